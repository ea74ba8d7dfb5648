import { AtlasApiError, ResponseFormatError, TransientError } from '../common/errors.js'
import { MIN_SECRET_FORM, parseNetworkJson, registerSecret } from '../common/redact.js'
import { endSentence, oneLine, quote } from '../common/text.js'
import { retryAfterMs } from '../http/retry-after.js'
import type { BufferedResponse } from '../http/transport.js'

/**
 * The Atlas OAuth token endpoint's answer, read: a token (masked the moment it is seen), or a
 * typed error a person can act on, one per way the endpoint says no. Nothing here ever puts
 * the client secret or a token in a message: the response's text is redacted by the transport,
 * and quote() and oneLine() redact again before they shorten.
 */

export interface TokenContext {
  tokenUrl: string
  clientId: string
  /** Registers a credential (redactor and core.setSecret): the access token, once it is known to be one. */
  mask: (secret: string) => void
  /** For Retry-After given as an HTTP date. */
  now: () => number
}

/** Atlas documents 1 h tokens; used only when the answer gives no usable expires_in. */
const DEFAULT_EXPIRES_IN_S = 3600

/**
 * An access token is sent in every read's Authorization header: it must be something a header
 * can carry (visible ASCII, no spaces), long enough to be a secret and short enough to send.
 * Atlas's tokens are a few hundred characters.
 */
export const MIN_TOKEN_LENGTH = 16
export const MAX_TOKEN_LENGTH = 16_384
const HEADER_SAFE = /^[\x21-\x7e]+$/

/**
 * The token endpoint answered 200, but not with a token this action can use. `issued` is the
 * token it did hand out, when there was one worth revoking: the caller revokes it.
 */
export class UnusableTokenError extends ResponseFormatError {
  constructor(
    message: string,
    readonly issued: string | undefined
  ) {
    super(message)
    this.name = 'UnusableTokenError'
  }
}

const ROTATE_HINT =
  'The client ID or secret is wrong, or the secret has expired: create a new secret under Organization Access Manager → Service Accounts in Atlas and update the client-secret secret.'

export async function readTokenAnswer(
  response: BufferedResponse,
  context: TokenContext
): Promise<{ value: string; expiresInS: number }> {
  if (response.status !== 200) throw tokenError(response, await response.text(), context)

  // The raw body, only to take the token out of it; every message below uses redacted text.
  const raw = response.rawText ? await response.rawText() : await response.text()
  const what = `The Atlas token endpoint (${context.tokenUrl}) answered HTTP 200 with`
  const where = 'A proxy, captive portal or wrong base-url may be answering instead of Atlas.'
  let body: unknown
  try {
    body = JSON.parse(raw)
  } catch {
    // Not quoted: a body we cannot parse may still hold a token.
    const type = response.headers.get('content-type')
    const kind = type ? oneLine(type, 60) : 'no content type'
    throw new ResponseFormatError(
      `${what} something that is not JSON (${kind}, ${raw.length} characters). ${where}`
    )
  }
  const record = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>
  const { access_token: value, token_type: type, expires_in: expiresIn } = record
  if (typeof value !== 'string' || value === '') {
    const fields = Object.keys(record)
      .slice(0, 10)
      .map(key => quote(oneLine(key, 40)))
    throw new ResponseFormatError(
      `${what} JSON without an access_token (fields: ${fields.join(', ') || 'none'}). ${where}`
    )
  }
  // Revocable: anything a form can carry, at a size worth sending (the caller revokes it on refusal).
  const issued = value.length <= MAX_TOKEN_LENGTH ? value : undefined
  const legal =
    value.length >= MIN_TOKEN_LENGTH && value.length <= MAX_TOKEN_LENGTH && HEADER_SAFE.test(value)
  // Hidden from every message whatever it is; handed to the runner's masking only when it is a
  // real token (a one-letter "token" would mask every "e" in the log).
  if (value.length >= MIN_SECRET_FORM) registerSecret(value)
  if (legal) context.mask(value)
  if (!legal) {
    throw new UnusableTokenError(
      `${what} an access_token that cannot be sent in an HTTP header: ${describeToken(value)}; a token is ${MIN_TOKEN_LENGTH} to ${MAX_TOKEN_LENGTH} visible ASCII characters. ${where} Nothing was sent with it, and it was not retried.`,
      issued
    )
  }
  // Compared as it came: "Bearer\r\n" is not "Bearer".
  if (typeof type !== 'string' || type.toLowerCase() !== 'bearer') {
    const got = typeof type === 'string' ? quote(type, 40) : 'none'
    throw new UnusableTokenError(
      `${what} a token of type ${got}; this action only knows Bearer tokens. ${where}`,
      issued
    )
  }
  const seconds = Number(expiresIn)
  return { value, expiresInS: Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_EXPIRES_IN_S }
}

/** What is wrong with a token, without showing any of it. */
function describeToken(value: string): string {
  if (value.length < MIN_TOKEN_LENGTH || value.length > MAX_TOKEN_LENGTH)
    return `it is ${value.length} ${value.length === 1 ? 'character' : 'characters'} long`
  if (/[\r\n]/.test(value)) return 'it holds a line break'
  if (/[ \t]/.test(value)) return 'it holds white space'
  if ([...value].some(ch => (ch.codePointAt(0) ?? 0) > 0xff)) return 'it holds characters outside Latin-1'
  return 'it holds control or non-ASCII characters'
}

/** 429, 5xx: transient (the read loop retries the whole read); anything else: stop, saying why. */
function tokenError(response: BufferedResponse, text: string, context: TokenContext): Error {
  const { status } = response
  const { code, detail } = errorFields(text, response.headers.get('x-error-code'))
  const said = endSentence(`The Atlas token endpoint answered ${describe(status, code, detail)}`)
  if (status === 429) {
    return new TransientError(
      `${said} It allows about 50 token requests a minute per IP address and service account.`,
      retryAfterMs(response.headers.get('retry-after'), context.now()),
      true
    )
  }
  if (status >= 500) return new TransientError(said)
  const fail = (hint: string): AtlasApiError => new AtlasApiError(`${said} ${hint}`, status, code)
  if (status >= 300 && status < 400) {
    return fail(
      'The action does not follow redirects, so that the client secret is only ever sent to base-url. Check base-url: its host must be the Atlas host itself (https://cloud.mongodb.com, or https://cloud.mongodbgov.com for Atlas for Government).'
    )
  }
  if (status === 401 || code === 'invalid_client') return fail(ROTATE_HINT)
  if (status === 403 && (code === 'access_denied' || /limit/i.test(detail ?? ''))) {
    return fail(
      `Service account ${context.clientId} already holds 100 active access tokens, the most Atlas allows. This action revokes its token at the end of every run, so other tools, or runs killed before they could revoke, hold them: wait for them to expire (1 h after they were issued) or revoke them from the tools that hold them.`
    )
  }
  if (status === 400) {
    return fail(
      'This action asks for a token exactly as Atlas documents (grant_type=client_credentials), so something between the runner and Atlas, such as a proxy, may have changed the request.'
    )
  }
  return fail(
    `Atlas did not issue an access token to service account ${context.clientId}; this is not a transient error, so it was not retried.`
  )
}

/** "HTTP 401 (invalid_client): "Invalid credentials provided."", from any OAuth or Atlas error answer. */
export function describeAnswer(status: number, text: string, headers: BufferedResponse['headers']): string {
  const { code, detail } = errorFields(text, headers.get('x-error-code'))
  return describe(status, code, detail)
}

/** quote() and oneLine() redact the run's credentials before they shorten anything. */
function describe(status: number, code: string | undefined, detail: string | undefined): string {
  const said = detail ? `: ${quote(oneLine(detail, 300))}` : ''
  return `HTTP ${status}${code ? ` (${oneLine(code, 80)})` : ''}${said}`
}

/** The code and description of an OAuth error ({error, error_description}) or an Atlas one ({errorCode, detail}). */
function errorFields(text: string, header: string | null): { code?: string; detail?: string } {
  let body: Record<string, unknown> = {}
  try {
    const parsed: unknown = parseNetworkJson(text)
    if (typeof parsed === 'object' && parsed !== null) body = parsed as Record<string, unknown>
  } catch {
    // Not JSON (an HTML error page from a proxy): only the status and header speak.
  }
  const nonEmpty = (value: unknown): string | undefined =>
    typeof value === 'string' && value !== '' ? value : undefined
  return {
    code: nonEmpty(body.error) ?? nonEmpty(body.errorCode) ?? nonEmpty(header),
    detail: nonEmpty(body.error_description) ?? nonEmpty(body.detail) ?? nonEmpty(body.reason)
  }
}
