import { cancellation, type Deadline } from './clock.js'
import { MAX_RESPONSE_BYTES } from './constants.js'
import { ConnectionError, DeadlineError, ResponseFormatError, TransientError } from './errors.js'

/**
 * The HTTP layer under the Digest client: one request, bounded in time and size, never
 * following a redirect, with every failure turned into a typed error (transient or not).
 */

/** The shape of `fetch` this project relies on; `dispatcher` is undici's, used for proxies. */
export type FetchLike = (url: string, init: RequestInit & { dispatcher?: unknown }) => Promise<Response>

export interface TransportOptions {
  /** The real fetch to send with: global fetch, or undici's with a proxy dispatcher. */
  fetch: FetchLike
  requestTimeoutMs: number
  deadline: Deadline
  /** Aborted when the job is cancelled. */
  signal: AbortSignal
  /** Told about every request actually sent, for the debug log and the benchmark. */
  onRequest?: (exchange: { method: string; url: string; status: number; ms: number }) => void
}

/** Statuses whose response may not carry a body (the Response constructor refuses one). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304])

/**
 * Wraps `fetch` so that each request:
 * - ends within `request-timeout-seconds`, and never after the step's deadline;
 * - stops at once when the job is cancelled;
 * - does not follow redirects (following one would send the Digest answer to wherever the
 *   Location points; the response is returned as is and reported);
 * - reads at most 1 MiB of body, then hands back a fully buffered Response.
 */
export function createTransport(options: TransportOptions): FetchLike {
  const { requestTimeoutMs, deadline, signal } = options
  return async (url, init) => {
    if (signal.aborted) throw cancellation(signal)
    const remaining = deadline.remaining()
    const limitedByDeadline = remaining < requestTimeoutMs
    const timeoutMs = Math.min(requestTimeoutMs, remaining)
    if (timeoutMs <= 0) throw new DeadlineError('The deadline arrived before the next request could be sent.')

    const timer = new AbortController()
    const timeout = setTimeout(() => timer.abort(), timeoutMs)
    const started = performance.now()
    const method = init.method ?? 'GET'
    try {
      const response = await options.fetch(url, {
        ...init,
        redirect: 'manual',
        signal: AbortSignal.any([signal, timer.signal])
      })
      const body = await readLimited(response)
      options.onRequest?.({ method, url, status: response.status, ms: performance.now() - started })
      return new Response(NULL_BODY_STATUSES.has(response.status) ? null : body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers
      })
    } catch (error) {
      if (signal.aborted) throw cancellation(signal)
      if (timer.signal.aborted) {
        throw limitedByDeadline
          ? new DeadlineError(`The deadline arrived while waiting ${seconds(timeoutMs)} for Atlas to answer.`)
          : new TransientError(`Atlas did not answer within ${seconds(timeoutMs)} (request-timeout-seconds).`)
      }
      if (error instanceof ResponseFormatError) throw error
      throw classifyNetworkError(error)
    } finally {
      clearTimeout(timeout)
    }
  }
}

/** Reads the body, refusing more than MAX_RESPONSE_BYTES whatever Content-Length claims. */
async function readLimited(response: Response): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? '0')
  if (declared > MAX_RESPONSE_BYTES) {
    await response.body?.cancel().catch(() => undefined)
    throw tooLarge(response, declared)
  }
  if (!response.body) return new Uint8Array()
  const chunks: Uint8Array[] = []
  let size = 0
  const reader = response.body.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > MAX_RESPONSE_BYTES) {
      await reader.cancel().catch(() => undefined)
      throw tooLarge(response, size)
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks)
}

function tooLarge(response: Response, bytes: number): ResponseFormatError {
  const type = response.headers.get('content-type') ?? 'no content type'
  return new ResponseFormatError(
    `Atlas answered HTTP ${response.status} with a body of more than 1 MiB (${bytes} bytes so far, ${type}); the interface endpoint resource is a few hundred bytes, so this is not it. Check base-url and any proxy in between.`
  )
}

const NETWORK_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the connection was reset',
  EPIPE: 'the connection was closed while sending',
  ETIMEDOUT: 'the connection timed out',
  ENOTFOUND: 'the host name could not be resolved (DNS)',
  EAI_AGAIN: 'the host name could not be resolved (DNS, temporary failure)',
  ENETUNREACH: 'the network is unreachable',
  EHOSTUNREACH: 'the host is unreachable',
  UND_ERR_SOCKET: 'the other side closed the connection',
  UND_ERR_CONNECT_TIMEOUT: 'connecting timed out',
  UND_ERR_HEADERS_TIMEOUT: 'the response headers did not arrive in time',
  UND_ERR_BODY_TIMEOUT: 'the response body did not arrive in time',
  UND_ERR_CLOSED: 'the connection was closed'
}

/** Certificate problems: retrying cannot fix them, and the fix is on the runner. */
const TLS_ERROR = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS|HOSTNAME_MISMATCH/

/** Turns what `fetch` throws into a TransientError (retry) or a ConnectionError (stop). */
export function classifyNetworkError(error: unknown): Error {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause
  const code = cause?.code ?? (error as { code?: string }).code ?? ''
  if (TLS_ERROR.test(code)) {
    return new ConnectionError(
      `The TLS certificate presented for the Atlas API was not trusted (${code}). If the runner reaches the internet through a TLS-inspecting proxy, point NODE_EXTRA_CA_CERTS at that proxy's CA certificate.`
    )
  }
  const proxyStatus = /Proxy response \((\d+)\)/.exec(String(cause?.message ?? (error as Error).message))
  if (proxyStatus && proxyStatus[1] === '407') {
    return new ConnectionError(
      'The proxy asked for credentials (HTTP 407). Put them in the proxy URL of HTTPS_PROXY (http://user:password@proxy:port).'
    )
  }
  const what =
    NETWORK_ERRORS[code] ?? `the request failed: ${String(cause?.message ?? (error as Error).message)}`
  return new TransientError(`Could not reach Atlas: ${what}${code ? ` (${code})` : ''}.`)
}

export function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`
}
