// undici's Client alone (one connection, HTTP/1.1 pipelining), not the package index: no fetch,
// no Agent, no proxy code. undici parses responses (llhttp compiled to WebAssembly); nothing here
// reads HTTP bytes itself. The bundle leaves out undici's web/fetch/body.js (an external in
// scripts/bundle.ts): undici requires it only to send a FormData or Blob body, which these GETs
// never carry, and it would pull in undici's fetch and node:crypto (about 140 KB).
import Client from 'undici/lib/dispatcher/client.js'
import { Readable } from 'node:stream'
import { headerRecord } from './node-http.js'
import type { ConnectOptions } from './proxy.js'
import type { FetchLike, HttpResponse } from './transport.js'

/**
 * One persistent connection for one Digest session, able to carry two requests at once
 * (HTTP/1.1 pipelining, RFC 9112 §9.3.2: the server answers them in order). Loaded only when a
 * run with an API key has more reads at once than it has Digest sessions, and only for direct
 * connections (src/auth/api-key.ts): a run through a proxy keeps node:http.
 *
 * - Requests are written in the order `fetch` is called, and `fetch` hands the request to the
 *   connection before it returns (no await first): the caller signs a request (its Digest nonce
 *   count) and calls `fetch` in one synchronous step, so nonce counts go out in order.
 * - A connection pipelines only once it has answered a request with keep-alive (HTTP/1.1, no
 *   `Connection: close`); a new connection (after the server closed one) starts again at one
 *   request at a time.
 * - When the server closes a connection with a pipelined request unanswered, undici writes that
 *   request again, unchanged, first on the next connection (RFC 9112 §9.3.2). That is right for
 *   a server that never read it (Apache, nginx: a `Connection: close` answer ends the
 *   connection); a server that read it and closed without answering sees the same nonce count
 *   twice, refuses the second, and the Digest client answers its fresh challenge once (one more
 *   request). A request is never written a third time: see `MAX_WRITES`.
 * - After a connection closed without warning under a pipelined request (the server announced
 *   keep-alive, then closed), this connection stops pipelining for good: such a server would
 *   cost a retry every time.
 */
export interface PipelinedConnection {
  fetch: FetchLike
  /** What happened on the wire (for tests and the benchmark). */
  readonly stats: PipelineStats
  /** Requests this connection may carry at once now (1 until keep-alive is proven, then 2). */
  readonly depth: number
  /** Ends the connection; requests still on it fail. Never throws. */
  close(): Promise<void>
}

export interface PipelineStats {
  /** Connections opened. */
  connections: number
  /** Requests written while another was still unanswered on the same connection. */
  pipelined: number
  /** Requests written a second time, on a new connection, after the server closed the one they were on unanswered. */
  rewritten: number
}

/** Requests on one connection at most. */
export const PIPELINE_DEPTH = 2
/** How many times one request may be written: once, and once more after a closed connection. */
const MAX_WRITES = 2

interface UndiciHandler {
  onConnect(abort: (error?: Error) => void): void
  onHeaders(statusCode: number, headers: Buffer[], resume: () => void, statusText: string): boolean
  onData(chunk: Buffer): boolean
  onComplete(trailers: unknown): void
  onError(error: Error): void
  onUpgrade?(): void
}

interface UndiciClient {
  pipelining: number
  dispatch(options: Record<string, unknown>, handler: UndiciHandler): boolean
  on(event: 'connect' | 'disconnect' | 'error', listener: (...args: unknown[]) => void): void
  destroy(error?: Error): Promise<void>
}

export function openPipelinedConnection(origin: string, connect?: ConnectOptions): PipelinedConnection {
  const client = new (Client as unknown as new (url: string, options: object) => UndiciClient)(origin, {
    pipelining: 1,
    // The transport's own timer ends every request (request-timeout-seconds, the deadline).
    headersTimeout: 0,
    bodyTimeout: 0,
    ...(connect ? { connect: { ...connect } } : {})
  })
  /** Requests written on the current connection and not yet settled. */
  let running = 0
  let stopped = false
  /** Set when this server closed a connection under a pipelined request without warning. */
  let noPipelining = false
  // A handler that throws is reported as an 'error' event; unheard, it would end the process.
  client.on('error', () => undefined)
  // A new connection starts at one request at a time; keep-alive promotes it (onHeaders).
  const stats: PipelineStats = { connections: 0, pipelined: 0, rewritten: 0 }
  client.on('connect', () => (stats.connections += 1))
  client.on('disconnect', () => {
    running = 0
    if (client.pipelining !== 1) client.pipelining = 1
  })

  const fetch: FetchLike = (url, init) =>
    new Promise<HttpResponse>((resolve, reject) => {
      const target = new URL(url)
      const signal = init.signal ?? undefined
      if (signal?.aborted) return reject(signal.reason)
      let abort: ((error?: Error) => void) | undefined
      let writes = 0
      let settled = false
      /** On the wire: written and not yet settled. */
      let onWire = false
      /** Written while another request was unanswered on the same connection. */
      let pipelined = false
      let body: Readable | undefined
      const leaveWire = (): void => {
        if (onWire) running = Math.max(0, running - 1)
        onWire = false
      }
      const fail = (error: unknown): void => {
        leaveWire()
        signal?.removeEventListener('abort', onAbort)
        if (!settled) {
          settled = true
          reject(error)
        } else body?.destroy(error instanceof Error ? error : new Error(String(error)))
      }
      const onAbort = (): void => {
        const reason = signal?.reason
        // Written: undici ends it (and, as HTTP/1.1 has no other way, its connection). Not
        // written yet: it throws from onConnect when its turn comes, and is never written.
        if (abort) abort(reason instanceof Error ? reason : new Error(String(reason)))
        fail(reason)
      }
      signal?.addEventListener('abort', onAbort, { once: true })

      const handler: UndiciHandler = {
        onConnect(abortRequest) {
          if (signal?.aborted || stopped) throw signal?.reason ?? new Error('The connection was closed.')
          writes += 1
          // Written a second time after a closed connection: it goes first on the new one, so
          // its nonce count is still in order. A third time would be a loop: stop it.
          if (writes > MAX_WRITES)
            throw new Error('the request was written twice and the connection closed each time')
          abort = abortRequest
          pipelined = running > 0
          if (pipelined) stats.pipelined += 1
          if (writes > 1) stats.rewritten += 1
          running += 1
          onWire = true
        },
        onHeaders(statusCode, raw, resume, statusText) {
          const headers = new Map<string, string>()
          for (let i = 0; i + 1 < raw.length; i += 2) {
            const name = raw[i].toString('latin1').toLowerCase()
            const value = raw[i + 1].toString('latin1')
            const before = headers.get(name)
            headers.set(name, before === undefined ? value : `${before}, ${value}`)
          }
          if (statusCode < 200) return true
          // Keep-alive answered (undici has already refused HTTP/1.0 without keep-alive and
          // `Connection: close`: it writes nothing more on such a connection).
          const closing = /(^|,)\s*close\s*(,|$)/i.test(headers.get('connection') ?? '')
          if (!closing && client.pipelining < PIPELINE_DEPTH && !noPipelining)
            client.pipelining = PIPELINE_DEPTH
          body = new Readable({ read: () => resume() })
          body.on('error', () => undefined)
          // A body left unread (too large, or not wanted) ends the request and its connection.
          body.once('close', () => {
            if (!body?.readableEnded && abort) abort(new Error('the response body was not read to its end'))
          })
          settled = true
          signal?.removeEventListener('abort', onAbort)
          signal?.addEventListener('abort', onAbort, { once: true })
          resolve({
            status: statusCode,
            statusText,
            headers: { get: (name: string) => headers.get(name.toLowerCase()) ?? null },
            body
          })
          return true
        },
        onData(chunk) {
          return body?.push(chunk) ?? true
        },
        onComplete() {
          leaveWire()
          signal?.removeEventListener('abort', onAbort)
          body?.push(null)
        },
        onError(error) {
          // The server announced keep-alive, then closed this connection under a request: it
          // will do it again, and each time a pipelined request is lost with it. Stop pipelining.
          if (
            (error as { code?: string }).code === 'UND_ERR_SOCKET' &&
            (pipelined || client.pipelining > 1)
          ) {
            noPipelining = true
            client.pipelining = 1
          }
          fail(error)
        }
      }
      client.dispatch(
        {
          origin: target.origin,
          path: `${target.pathname}${target.search}`,
          method: init.method ?? 'GET',
          headers: headerRecord(init.headers),
          body: typeof init.body === 'string' ? init.body : null
        },
        handler
      )
    })

  return {
    fetch,
    stats,
    get depth() {
      return noPipelining ? 1 : PIPELINE_DEPTH
    },
    close: async () => {
      stopped = true
      await client.destroy().catch(() => undefined)
    }
  }
}
