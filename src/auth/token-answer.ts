import { AtlasApiError, ResponseFormatError, TransientError } from '../common/errors.js'
import { endSentence, oneLine, quote } from '../common/text.js'
import { retryAfterMs } from '../http/retry-after.js'
import type { BufferedResponse } from '../http/transport.js'

/**
 * The Atlas OAuth token endpoint's answer, read: a token (masked the moment it is seen), or a
 * typed error a person can act on, one per way the endpoint says no. Nothing here ever puts
 * the client secret or a token in a message.
 */

export interface TokenContext {
  tokenUrl: string
  clientId: string
  /** core.setSecret: called with the access token before anything else looks at the answer. */
  mask: (secret: string) => void
  /** Removes the secret (and any token in hand) from text a server sent back. */
  redact: (text: string) => string
  /** For Retry-After given as an HTTP date. */
  now: () => number
}

/** Atlas documents 1 h tokens; used only when the answer gives no usable expires_in. */
const DEFAULT_EXPIRES_IN_S = 3600

const ROTATE_HINT =
  'The client ID or secret is wrong, or the secret has expired: create a new secret under Organization Access Manager → Service Accounts in Atlas and update the client-secret secret.'

export async function readTokenAnswer(
  response: BufferedResponse,
  context: TokenContext
): Promise<{ value: string; expiresInS: number }> {
  const text = await response.text()
  if (response.status !== 200) throw tokenError(response, text, context)

  const what = `The Atlas token endpoint (${context.tokenUrl}) answered HTTP 200 with`
  const where = 'A proxy, captive portal or wrong base-url may be answering instead of Atlas.'
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    // Not quoted: a body we cannot parse may still hold a token.
    const type = response.headers.get('content-type')
    const kind = type ? oneLine(type, 60) : 'no content type'
    throw new ResponseFormatError(
      `${what} something that is not JSON (${kind}, ${text.length} characters). ${where}`
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
  context.mask(value)
  if (typeof type !== 'string' || type.toLowerCase() !== 'bearer') {
    const got = typeof type === 'string' ? quote(oneLine(type, 40)) : 'none'
    throw new ResponseFormatError(
      `${what} a token of type ${got}; this action only knows Bearer tokens. ${where}`
    )
  }
  const seconds = Number(expiresIn)
  return { value, expiresInS: Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_EXPIRES_IN_S }
}

/** 429, 5xx: transient (the read loop retries the whole read); anything else: stop, saying why. */
function tokenError(response: BufferedResponse, text: string, context: TokenContext): Error {
  const { status } = response
  const { code, detail } = errorFields(text, response.headers.get('x-error-code'))
  const said = endSentence(
    `The Atlas token endpoint answered ${describe(status, code, detail, context.redact)}`
  )
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
export function describeAnswer(
  status: number,
  text: string,
  headers: BufferedResponse['headers'],
  redact: (text: string) => string
): string {
  const { code, detail } = errorFields(text, headers.get('x-error-code'))
  return describe(status, code, detail, redact)
}

function describe(
  status: number,
  code: string | undefined,
  detail: string | undefined,
  redact: (text: string) => string
): string {
  const said = detail ? `: ${quote(redact(oneLine(detail, 300)))}` : ''
  return `HTTP ${status}${code ? ` (${oneLine(code, 80)})` : ''}${said}`
}

/** The code and description of an OAuth error ({error, error_description}) or an Atlas one ({errorCode, detail}). */
function errorFields(text: string, header: string | null): { code?: string; detail?: string } {
  let body: Record<string, unknown> = {}
  try {
    const parsed: unknown = JSON.parse(text)
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
