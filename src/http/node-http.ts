import http from 'node:http'
import type https from 'node:https'
import { preloadCrypto } from '../common/crypto.js'
import { ProxyFailure, type FetchLike } from './transport.js'

/**
 * A fetch-shaped sender over node:http. Global fetch is undici, which Node loads on first use
 * along with its WebAssembly HTTP parser; once a few responses have gone through that parser,
 * V8 starts optimising it on a background thread, and process exit waits for that to finish.
 * Measured here: one read by the action took 1.8× a plain `fetch` script, most of it spent
 * before the first request and after the last. node:http parses with the native llhttp that is
 * already in the binary, so a run costs little more than Node's own start-up.
 *
 * It returns the small part of a Response this project uses: status, headers.get() and the
 * body as an async iterable of bytes (the transport reads it with a size limit).
 */
const httpAgent = new http.Agent({ keepAlive: true })

/**
 * node:https (and with it TLS, X.509 and the rest of Node's crypto) is loaded when the first
 * https request goes out, not at start: a run against an http base-url (a loopback stand-in)
 * never needs it, and Node compiles each of those internal modules on first load.
 */
let secure: Promise<{ https: typeof https; agent: https.Agent }> | undefined
function loadHttps(): Promise<{ https: typeof https; agent: https.Agent }> {
  secure ??= import('node:https').then(({ default: https }) => ({
    https,
    agent: new https.Agent({ keepAlive: true })
  }))
  return secure
}

export interface NodeHttpOptions {
  /** The agent for every request (a proxy tunnel); Node's keep-alive agents by default. */
  agent?: http.Agent
  /** The proxy `agent` goes through, for messages: `http://proxy:3128 (HTTPS_PROXY)`. */
  proxy?: string
  /** Extra socket options for the target (tests: a CA to trust, a name resolver). */
  socket?: Pick<https.RequestOptions, 'ca' | 'lookup' | 'servername'>
}

/**
 * A sender with its own agent or socket options. Through a proxy, the request has no socket
 * until the proxy has answered the CONNECT; Node does not end such a request when it is
 * aborted (it waits for the socket), so the abort is handled here, and passed on to the
 * agent as `tunnelSignal` so that it drops the half-open connection to the proxy.
 */
export function createNodeHttpFetch(options: NodeHttpOptions = {}): FetchLike {
  return async (url, init) => {
    const target = new URL(url)
    const tls = target.protocol === 'https:' ? await loadHttps() : undefined
    const client = tls ? tls.https : http
    const defaultAgent = tls ? tls.agent : httpAgent
    return new Promise((resolve, reject) => {
      const signal = init.signal ?? undefined
      if (signal?.aborted) return reject(signal.reason)
      let tunnelled = false
      const request = client.request(
        target,
        {
          ...options.socket,
          method: init.method ?? 'GET',
          headers: headerRecord(init.headers),
          agent: options.agent ?? defaultAgent,
          signal,
          ...(options.proxy ? { tunnelSignal: signal } : {})
        },
        response => {
          signal?.removeEventListener('abort', onAbort)
          const headers = new Map<string, string>()
          for (const [name, value] of Object.entries(response.headers)) {
            if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value)
          }
          resolve({
            status: response.statusCode ?? 0,
            statusText: response.statusMessage ?? '',
            headers: { get: (name: string) => headers.get(name.toLowerCase()) ?? null },
            body: response
          })
        }
      )
      const onAbort = (): void => {
        if (options.proxy && !tunnelled) {
          reject(new ProxyFailure(options.proxy, 'the proxy did not answer the CONNECT request', true, true))
        } else reject(signal?.reason)
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      request.once('socket', () => (tunnelled = true))
      // The first request's bytes are on their way: where random bytes need node:crypto, load it
      // while the answer travels (../common/crypto.ts).
      request.once('finish', preloadCrypto)
      request.on('error', error => {
        signal?.removeEventListener('abort', onAbort)
        reject(error)
      })
      // Token and revoke requests carry a form body; reads carry none.
      request.end(typeof init.body === 'string' ? init.body : undefined)
    })
  }
}

/** node:http with Node's keep-alive agents: the direct path, used by every run without a proxy. */
export const nodeHttpFetch: FetchLike = createNodeHttpFetch()

/** Headers given as a plain object, a Headers instance or pairs, as a plain object. */
export function headerRecord(headers: RequestInit['headers']): Record<string, string> {
  if (headers === undefined) return {}
  if (Array.isArray(headers)) return Object.fromEntries(headers)
  // Duck-typed: naming the global Headers class would make Node load undici.
  const headersObject = headers as Headers
  if (typeof headersObject.forEach === 'function' && typeof headersObject.get === 'function') {
    const record: Record<string, string> = {}
    headersObject.forEach((value, name) => (record[name] = value))
    return record
  }
  return { ...(headers as Record<string, string>) }
}
