import type { Authenticator } from './authenticator.js'
import { StrictDigestClient, type DigestHooks } from './digest.js'
import type { BufferedResponse, Send } from '../http/transport.js'
import type { PipelineStats } from '../http/pipeline.js'

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
  /** Every request waits here before it is signed (a 429's pause), and reports its headers back. */
  gate?: DigestHooks
  /**
   * Direct connections only (no proxy): loads a sender of one pipelined connection per Digest
   * session (src/http/pipeline.ts), so that a session carries 2 requests at once. Called once the
   * first burst in which more reads waited than there are sessions is over; a run that never
   * needs it never loads it.
   */
  pipeline?: () => Promise<(origin: string) => PipelinedSend>
}

/** One Digest session's own connection, as a Send, and how many requests it carries at once now. */
export interface PipelinedSend {
  send: Send
  readonly stats: PipelineStats
  readonly depth: number
  close(): Promise<void>
}

/** One Digest session and what it is doing. */
interface Session {
  digest: StrictDigestClient
  /** Requests it is serving (signed or about to be). */
  active: number
  /** Its own pipelined connection once it has one (a direct run that needed more than 4 at once). */
  connection?: PipelinedSend
}

/**
 * A programmatic API key, spoken as HTTP Digest. One instance per run, so that Digest
 * challenges are reused from one poll to the next. A 401 that survives a fresh challenge is
 * handed back to the caller, which says the key pair is wrong.
 *
 * Concurrent requests: a Digest session (a StrictDigestClient: its challenge, client nonce and
 * nonce count) counts its requests in the order they go out, so that a strict server (Apache
 * mod_auth_digest with AuthDigestNcCheck On) sees every nc in order. A request takes the first
 * idle session; when every session is busy, a new one is opened (it answers its own first
 * challenge) while fewer than MAX_DIGEST_SESSIONS exist. Requests sent one after another all use
 * the first session, so a wait of N reads of one endpoint still costs N + 1 requests.
 *
 * Over node:http (and always through a proxy) a session serves one request at a time. On a
 * direct connection, after a burst in which more requests waited than there are sessions, each
 * session moves (once it is idle) to a connection of its own that carries 2 requests at once (HTTP/1.1 pipelining:
 * written back to back, answered in order), so that 4 sessions serve 8 reads at once. A session
 * signs each request right before handing it to that connection, after the gate, in one
 * synchronous step (StrictDigestClient.signAndSend): its nonce counts reach the server in order.
 */
export class ApiKeyAuthenticator implements Authenticator {
  readonly kind = 'api-key'
  readonly publicId: string
  /** Requests this authenticator sends at once, at most; more wait their turn (see the class comment). */
  readonly maxConcurrent = MAX_DIGEST_SESSIONS * 2
  private readonly sessions: Session[] = []
  /** Requests waiting for a session, first come first served. */
  private readonly queue: ((session: Session) => void)[] = []
  private readonly publicKey: string
  private readonly privateKey: string
  private readonly transport: Send
  private readonly gate: DigestHooks | undefined
  private readonly loadPipeline: ApiKeyOptions['pipeline']
  /** Opens a session's pipelined connection, once loaded. */
  private openConnection: ((origin: string) => PipelinedSend) | undefined
  private loading: Promise<void> | undefined
  /** More reads waited than sessions could serve: the pipelined path is loaded once they are done. */
  private pipeliningWanted = false
  private origin: string | undefined

  constructor(options: ApiKeyOptions) {
    this.publicId = options.publicKey
    this.publicKey = options.publicKey
    this.privateKey = options.privateKey
    this.transport = options.send
    this.gate = options.gate
    this.loadPipeline = options.pipeline
  }

  async send(url: string, init: RequestInit): Promise<BufferedResponse> {
    this.origin ??= new URL(url).origin
    const session = await this.acquire()
    try {
      return await session.digest.fetch(url, init)
    } finally {
      this.release(session)
    }
  }

  /** Settles once the pipelined path has been loaded (or could not be); undefined before it is asked for. */
  get pipelineLoaded(): Promise<void> | undefined {
    return this.loading
  }

  /** Digest sessions opened so far (each answered one challenge of its own). */
  get sessionCount(): number {
    return this.sessions.length
  }

  /** Sessions that moved to a pipelined connection of their own. */
  get pipelinedSessions(): number {
    return this.sessions.filter(session => session.connection !== undefined).length
  }

  /** The pipelined connections' counts, summed (tests and the benchmark). */
  get pipelineStats(): PipelineStats {
    const total: PipelineStats = { connections: 0, pipelined: 0, rewritten: 0 }
    for (const { connection } of this.sessions) {
      if (connection === undefined) continue
      total.connections += connection.stats.connections
      total.pipelined += connection.stats.pipelined
      total.rewritten += connection.stats.rewritten
    }
    return total
  }

  /** Digest has no session to end on the server; the pipelined connections are closed. */
  async close(): Promise<void> {
    await Promise.all(this.sessions.map(session => session.connection?.close()))
  }

  /** How many requests a session may serve at once now. */
  private capacity(session: Session): number {
    // Pipelined only on its own connection and once it holds a challenge: two unsigned
    // requests would cost two challenges.
    return session.connection !== undefined && session.digest.answering ? session.connection.depth : 1
  }

  private acquire(): Promise<Session> | Session {
    const idle = this.sessions.find(session => session.active === 0)
    if (idle !== undefined) return this.take(idle)
    if (this.sessions.length < MAX_DIGEST_SESSIONS) {
      const opened: Session = {
        digest: new StrictDigestClient(this.publicKey, this.privateKey, this.transport, this.gate),
        active: 0
      }
      this.sessions.push(opened)
      return this.take(opened)
    }
    const spare = this.sessions.find(session => session.active < this.capacity(session))
    if (spare !== undefined) return this.take(spare)
    this.pipeliningWanted = true
    return new Promise(resolve => this.queue.push(resolve))
  }

  /** Counts a request on the session; an idle session moves to its pipelined connection first, once there is one. */
  private take(session: Session): Session {
    if (session.active === 0 && session.connection === undefined && this.openConnection && this.origin) {
      session.connection = this.openConnection(this.origin)
      session.digest.useSend(session.connection.send)
    }
    session.active += 1
    return session
  }

  /** Hands the session (or any with room) to the next waiting requests. */
  private release(session: Session): void {
    session.active -= 1
    this.drain()
    if (this.pipeliningWanted && this.queue.length === 0 && this.sessions.every(each => each.active === 0))
      this.startPipelining()
  }

  private drain(): void {
    while (this.queue.length > 0) {
      const free =
        this.sessions.find(session => session.active === 0) ??
        this.sessions.find(session => session.active < this.capacity(session))
      if (free === undefined) return
      const next = this.queue.shift() as (session: Session) => void
      next(this.take(free))
    }
  }

  /**
   * Loads the pipelined connections (once), if this run may use them. Called when the burst of
   * reads that found every session busy is over (every session idle, nothing waiting): the load,
   * and the WebAssembly parser undici compiles on its first connection, then fall in the pause
   * before the next check, not in the middle of this one; the next check reads 8 at once.
   */
  private startPipelining(): void {
    if (this.loading !== undefined || this.loadPipeline === undefined) return
    this.loading = this.loadPipeline().then(
      open => {
        this.openConnection = open
        this.drain()
      },
      () => undefined // not loaded: one request per session, as over a proxy
    )
  }
}
