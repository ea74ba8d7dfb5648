import { Deadline, type Clock } from '../common/clock.js'
import type { Log } from '../common/log.js'
import { createTransport, type FetchLike } from '../http/transport.js'
import type { Credentials } from '../inputs/inputs.js'
import { ApiKeyAuthenticator } from './api-key.js'
import type { Authenticator } from './authenticator.js'
import { ServiceAccountAuthenticator } from './service-account.js'

export interface SignInOptions {
  credentials: Credentials
  baseUrl: string
  requestTimeoutMs: number
  /** How bytes are sent (direct or through the proxy). */
  fetch: FetchLike
  deadline: Deadline
  /** Aborted when the job is cancelled. */
  signal: AbortSignal
  clock: Clock
  /** Registers a secret with the runner's masking (each access token, the moment it arrives). */
  mask: (secret: string) => void
  log: Log
}

/**
 * The credential the inputs name, as the one way every request of this run is signed; the
 * rest of the run never asks which kind it is.
 */
export function signIn(options: SignInOptions): Authenticator {
  const { credentials, fetch, log } = options
  const send = createTransport({
    fetch,
    requestTimeoutMs: options.requestTimeoutMs,
    deadline: options.deadline,
    signal: options.signal,
    onRequest: ({ method, url, status, ms }) =>
      log.debug(`${method} ${url} → HTTP ${status} in ${Math.round(ms)} ms`)
  })
  if (credentials.kind === 'api-key') return new ApiKeyAuthenticator({ ...credentials, send })
  // The revoke must go out even after a cancellation or at the deadline: its own 2 s budget.
  const revokeSend = createTransport({
    fetch,
    requestTimeoutMs: 2_000,
    timeoutName: 'the fixed limit for revoking a token',
    deadline: new Deadline(options.clock, options.clock.now(), Number.POSITIVE_INFINITY),
    signal: new AbortController().signal
  })
  return new ServiceAccountAuthenticator({
    ...credentials,
    origin: new URL(options.baseUrl).origin,
    send,
    revokeSend,
    mask: options.mask,
    log,
    now: () => options.clock.now()
  })
}
