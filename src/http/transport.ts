import { cancellation, type Deadline } from '../common/clock.js'
import { MAX_RESPONSE_BYTES } from '../common/constants.js'
import { ConnectionError, DeadlineError, ResponseFormatError, TransientError } from '../common/errors.js'
import { redact, redactBody } from '../common/redact.js'
import { seconds } from '../common/text.js'

/**
 * The HTTP layer under the Digest client: one request, bounded in time and size, never
 * following a redirect, with every failure turned into a typed error (transient or not).
 */

/** The part of a fetch Response this project reads (global fetch's Response is one). */
export interface HttpResponse {
  status: number
  statusText: string
  headers: { get(name: string): string | null }
  body: AsyncIterable<Uint8Array> | null
}

/**
 * A response whose body has been read (at most 1 MiB of it). Its headers and text come with
 * the run's credentials redacted (common/redact.ts), whatever the server echoed back: no
 * layer above can pass a secret on by forgetting to redact.
 */
export interface BufferedResponse {
  status: number
  statusText: string
  headers: { get(name: string): string | null }
  /** The body, redacted (JSON whose escaped strings hide a credential comes back re-serialised, redacted). */
  text(): Promise<string>
  /** The body exactly as it came: only for reading a new access token out of the token endpoint's answer. */
  rawText?(): Promise<string>
}

/** How bytes are sent: node:http (nodeHttpFetch), directly or through a CONNECT proxy. */
export type FetchLike = (url: string, init: RequestInit) => Promise<HttpResponse>

/**
 * The proxy failed, not Atlas: it refused or dropped the connection, did not answer the
 * CONNECT, or answered it with an error (407: it wants credentials). Thrown by the proxied
 * sender; the transport turns it into a TransientError or a ConnectionError naming the proxy.
 */
export class ProxyFailure extends Error {
  constructor(
    /** The proxy and the variable it came from, without credentials: `http://proxy:3128 (HTTPS_PROXY)`. */
    readonly proxy: string,
    /** What went wrong, as the end of a sentence: `the proxy refused the connection (ECONNREFUSED)`. */
    readonly problem: string,
    /** Whether another try may succeed (a dropped connection may; a 407 will not). */
    readonly transient: boolean,
    /** True when the request was aborted before the proxy answered the CONNECT (a timeout). */
    readonly unanswered = false
  ) {
    super(`Could not reach Atlas through the proxy ${proxy}: ${problem}.`)
    this.name = 'ProxyFailure'
  }
}

/** One bounded request, as the Digest client sends it. */
export type Send = (url: string, init: RequestInit) => Promise<BufferedResponse>

export interface TransportOptions {
  /** What sends the bytes (see FetchLike). */
  fetch: FetchLike
  requestTimeoutMs: number
  /** What the request timeout is called in messages: `request-timeout-seconds` unless it is a fixed limit. */
  timeoutName?: string
  deadline: Deadline
  /** Aborted when the job is cancelled. */
  signal: AbortSignal
  /** Told about every request actually sent, for the debug log and the benchmark. */
  onRequest?: (exchange: { method: string; url: string; status: number; ms: number }) => void
}

/**
 * Wraps `fetch` so that each request:
 * - ends within `request-timeout-seconds`, and never after the step's deadline;
 * - stops at once when the job is cancelled;
 * - does not follow redirects (following one would send the Digest answer to wherever the
 *   Location points; the response is returned as is and reported);
 * - reads at most 1 MiB of body, then hands back a fully buffered response.
 */
export function createTransport(options: TransportOptions): Send {
  const { requestTimeoutMs, deadline, signal } = options
  const timeoutName = options.timeoutName ?? 'request-timeout-seconds'
  return async (url, init) => {
    if (signal.aborted) throw cancellation(signal)
    const remaining = deadline.remaining()
    const limitedByDeadline = remaining < requestTimeoutMs
    const timeoutMs = Math.min(requestTimeoutMs, remaining)
    if (timeoutMs <= 0) throw new DeadlineError('The deadline arrived before the next request could be sent.')

    const timer = new AbortController()
    const timeout = setTimeout(() => timer.abort(), timeoutMs)
    const started = process.hrtime.bigint()
    const method = init.method ?? 'GET'
    try {
      const response = await options.fetch(url, {
        ...init,
        redirect: 'manual',
        signal: AbortSignal.any([signal, timer.signal])
      })
      const body = await readLimited(response)
      options.onRequest?.({
        method,
        url,
        status: response.status,
        ms: Number(process.hrtime.bigint() - started) / 1e6
      })
      const raw = (): string => new TextDecoder().decode(body)
      return {
        status: response.status,
        statusText: response.statusText,
        headers: {
          get: name => {
            const value = response.headers.get(name)
            return value === null ? null : redact(value)
          }
        },
        // Redacted when read, not when received: a token that arrives later is hidden too.
        text: async () => redactBody(raw()),
        rawText: async () => raw()
      }
    } catch (error) {
      if (signal.aborted) throw cancellation(signal)
      if (timer.signal.aborted && error instanceof ProxyFailure && error.unanswered) {
        throw limitedByDeadline
          ? new DeadlineError(
              `The deadline arrived while waiting ${seconds(timeoutMs)} for the proxy ${error.proxy} to answer the CONNECT request.`
            )
          : new TransientError(
              `Could not reach Atlas through the proxy ${error.proxy}: the proxy did not answer the CONNECT request within ${seconds(timeoutMs)} (${timeoutName}).`
            )
      }
      if (timer.signal.aborted) {
        throw limitedByDeadline
          ? new DeadlineError(`The deadline arrived while waiting ${seconds(timeoutMs)} for Atlas to answer.`)
          : new TransientError(`Atlas did not answer within ${seconds(timeoutMs)} (${timeoutName}).`)
      }
      if (error instanceof ResponseFormatError) throw error
      throw classifyNetworkError(error)
    } finally {
      clearTimeout(timeout)
    }
  }
}

/** Reads the body, refusing more than MAX_RESPONSE_BYTES whatever Content-Length claims. */
async function readLimited(response: HttpResponse): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? '0')
  if (declared > MAX_RESPONSE_BYTES) {
    discard(response.body)
    throw tooLarge(response, declared)
  }
  if (!response.body) return new Uint8Array()
  const chunks: Uint8Array[] = []
  let size = 0
  // Web ReadableStreams and Node streams are both async iterables of bytes; leaving the loop
  // early cancels or destroys the stream.
  for await (const chunk of response.body) {
    size += chunk.byteLength
    if (size > MAX_RESPONSE_BYTES) throw tooLarge(response, size)
    chunks.push(chunk)
  }
  return Buffer.concat(chunks)
}

/** Stops a body we will not read, whichever kind of stream it is. */
function discard(body: HttpResponse['body']): void {
  const stream = body as { cancel?: () => Promise<void>; destroy?: () => void } | null
  if (typeof stream?.cancel === 'function') stream.cancel().catch(() => undefined)
  else stream?.destroy?.()
}

function tooLarge(response: HttpResponse, bytes: number): ResponseFormatError {
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
  // What global fetch (undici) reports, for a FetchLike built on it.
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
  if (error instanceof ProxyFailure) {
    return error.transient ? new TransientError(error.message) : new ConnectionError(error.message)
  }
  const cause = (error as { cause?: { code?: string; message?: string } }).cause
  const code = cause?.code ?? (error as { code?: string }).code ?? ''
  if (TLS_ERROR.test(code)) {
    return new ConnectionError(
      `The TLS certificate presented for the Atlas API was not trusted (${code}). If the runner reaches the internet through a TLS-inspecting proxy, point NODE_EXTRA_CA_CERTS at that proxy's CA certificate.`
    )
  }
  const what =
    NETWORK_ERRORS[code] ?? `the request failed: ${String(cause?.message ?? (error as Error).message)}`
  return new TransientError(`Could not reach Atlas: ${what}${code ? ` (${code})` : ''}.`)
}
