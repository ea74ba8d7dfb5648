import type { Authenticator } from './authenticator.js'
import { StrictDigestClient } from './digest.js'
import type { BufferedResponse, Send } from '../http/transport.js'

/**
 * Digest sessions one API key opens at most. Each costs one extra request (its own first
 * challenge), so N checks of K endpoints cost at most K×N + min(K, 4) requests.
 */
export const MAX_DIGEST_SESSIONS = 4

export interface ApiKeyOptions {
  publicKey: string
  privateKey: string
  /** The run's transport (timeouts, deadline, cancellation, size cap, no redirects, proxy). */
  send: Send
}

/**
 * A programmatic API key, spoken as HTTP Digest. One instance per run, so that Digest
 * challenges are reused from one poll to the next. A 401 that survives a fresh challenge is
 * handed back to the caller, which says the key pair is wrong.
 *
 * Concurrent requests: a Digest session (a StrictDigestClient: its challenge, client nonce and
 * nonce count) serves one request at a time, so its nc rises by one per request, in order, as
 * a strict server (Apache mod_auth_digest with AuthDigestNcCheck On) requires. A request takes
 * the first idle session; when every session is busy, a new one is opened (it answers its own
 * first challenge) while fewer than MAX_DIGEST_SESSIONS exist, else the request waits for the
 * first session to come free. Requests sent one after another all use the first session, so a
 * wait of N reads of one endpoint still costs N + 1 requests.
 */
export class ApiKeyAuthenticator implements Authenticator {
  readonly kind = 'api-key'
  readonly publicId: string
  /** Requests this authenticator sends at once; more wait their turn (see the class comment). */
  readonly maxConcurrent = MAX_DIGEST_SESSIONS
  private readonly sessions: StrictDigestClient[] = []
  private readonly busy = new Set<StrictDigestClient>()
  /** Requests waiting for a session, first come first served. */
  private readonly queue: ((session: StrictDigestClient) => void)[] = []
  private readonly publicKey: string
  private readonly privateKey: string
  private readonly transport: Send

  constructor(options: ApiKeyOptions) {
    this.publicId = options.publicKey
    this.publicKey = options.publicKey
    this.privateKey = options.privateKey
    this.transport = options.send
  }

  async send(url: string, init: RequestInit): Promise<BufferedResponse> {
    const session = await this.acquire()
    try {
      return await session.fetch(url, init)
    } finally {
      this.release(session)
    }
  }

  /** Digest sessions opened so far (each answered one challenge of its own). */
  get sessionCount(): number {
    return this.sessions.length
  }

  /** Digest has no session to end on the server. */
  async close(): Promise<void> {}

  private acquire(): Promise<StrictDigestClient> | StrictDigestClient {
    const idle = this.sessions.find(session => !this.busy.has(session))
    if (idle !== undefined) {
      this.busy.add(idle)
      return idle
    }
    if (this.sessions.length < MAX_DIGEST_SESSIONS) {
      const opened = new StrictDigestClient(this.publicKey, this.privateKey, this.transport)
      this.sessions.push(opened)
      this.busy.add(opened)
      return opened
    }
    return new Promise(resolve => this.queue.push(resolve))
  }

  /** Hands the session to the next waiting request, else marks it idle. */
  private release(session: StrictDigestClient): void {
    const next = this.queue.shift()
    if (next !== undefined) next(session)
    else this.busy.delete(session)
  }
}
