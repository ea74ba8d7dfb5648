import type { Authenticator } from './authenticator.js'
import { StrictDigestClient } from './digest.js'
import type { BufferedResponse, Send } from '../http/transport.js'

export interface ApiKeyOptions {
  publicKey: string
  privateKey: string
  /** The run's transport (timeouts, deadline, cancellation, size cap, no redirects, proxy). */
  send: Send
}

/**
 * A programmatic API key, spoken as HTTP Digest. One instance per run, so that the Digest
 * challenge is reused from one poll to the next (N reads cost N + 1 requests). A 401 that
 * survives a fresh challenge is handed back to the caller, which says the key pair is wrong.
 */
export class ApiKeyAuthenticator implements Authenticator {
  readonly kind = 'api-key'
  readonly publicId: string
  private readonly digest: StrictDigestClient

  constructor(options: ApiKeyOptions) {
    this.publicId = options.publicKey
    this.digest = new StrictDigestClient(options.publicKey, options.privateKey, options.send)
  }

  send(url: string, init: RequestInit): Promise<BufferedResponse> {
    return this.digest.fetch(url, init)
  }

  /** Digest has no session to end. */
  async close(): Promise<void> {}
}
