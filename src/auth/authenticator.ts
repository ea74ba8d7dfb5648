import type { BufferedResponse } from '../http/transport.js'

/**
 * One way of signing in to the Atlas Administration API, chosen once in `run()`; the rest of
 * the code sends requests through it and never asks which kind it is.
 * - api-key.ts: a programmatic API key (HTTP Digest).
 * - service-account.ts: a service account (OAuth 2.0 client credentials, bearer token).
 */
export interface Authenticator {
  readonly kind: 'api-key' | 'service-account'
  /** The public identifier (API public key or client ID), safe to log. */
  readonly publicId: string
  /** Sends one authenticated request; reacts to a 401 as this kind of credential requires. Throws typed errors (src/common/errors.ts). */
  send(url: string, init: RequestInit): Promise<BufferedResponse>
  /**
   * Ends the run's session (revokes the tokens), bounded to 2 s; never throws; problems are
   * one warning on the log. When `abandon` is aborted (a second cancellation), stops waiting at once.
   */
  close(abandon?: AbortSignal): Promise<void>
  /** Set by close() when the session could not be ended cleanly (a token left active): one sentence for the summary. */
  readonly closeNote?: string
}
