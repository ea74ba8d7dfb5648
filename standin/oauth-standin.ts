/**
 * The OAuth 2.0 side of the Atlas stand-in: service accounts' token and revoke endpoints, and
 * the check of `Authorization: Bearer` on API requests. Written from the Atlas documentation
 * (see ../shared/reference, "Service accounts"), never from src/: the Basic header is checked
 * against the raw `id:secret`, answers have Atlas's shapes, tokens expire by the stand-in's own
 * clock, and at most 100 tokens per service account are active at once.
 */
import { randomBytes } from 'node:crypto'
import type http from 'node:http'
import type { BearerAuthority } from './atlas-standin.js'

export interface ServiceAccount {
  clientId: string
  clientSecret: string
}

/** A scripted answer to the next token request(s), in place of a token, whatever the credentials. */
export interface TokenStep {
  /** 429 and 5xx get an Atlas-style error body unless `body` is given. */
  status: number
  /** The Retry-After header to send (a 429 without it is the documented "header may be missing"). */
  retryAfter?: string
  body?: string
  contentType?: string
  /** More headers, hostile ones included (X-Error-Code, WWW-Authenticate, Deprecation...). */
  headers?: Record<string, string>
  /** Read the request and never answer (a revoke that hangs). */
  hang?: boolean
  times?: number
}

export interface OAuthStandinOptions {
  accounts: ServiceAccount[]
  /** expires_in of every token issued (3600 like Atlas); short values let tests outlive tokens. */
  expiresInSeconds?: number
  /** The stand-in's clock, for expiry: a fake one in tests. */
  now?: () => number
  /** Active tokens per service account before 403 access_denied (100 like Atlas). */
  tokenLimit?: number
  script?: TokenStep[]
  /** Scripted answers to the next revoke request(s), in place of revoking. */
  revokeScript?: TokenStep[]
  /** The access tokens to issue, in order (then random ones): a test can script echoes of them. */
  tokenValues?: string[]
  /** token_type of the tokens issued ('Bearer' like Atlas). */
  tokenType?: string
  /** The expires_in the answer claims, when it is not the tokens' real lifetime (expiresInSeconds). */
  claimedExpiresIn?: unknown
}

export interface OAuthRecord {
  at: number
  path: typeof TOKEN_PATH | typeof REVOKE_PATH
  status: number
  /** The client ID the Basic header named, when it named a known one. */
  clientId?: string
  /** Why the request was refused (never the secret it carried). */
  refused?: string
}

interface IssuedToken {
  clientId: string
  expiresAt: number
  revoked: boolean
  invalidated: boolean
}

interface Answer {
  status: number
  body?: string
  headers?: Record<string, string>
  clientId?: string
  refused?: string
  hang?: boolean
}

export const TOKEN_PATH = '/api/oauth/token'
export const REVOKE_PATH = '/api/oauth/revoke'
const FORM = 'application/x-www-form-urlencoded'
const JSON_TYPE = 'application/json'

export class OAuthStandin implements BearerAuthority {
  /** Every token and revoke request, in order. */
  readonly requests: OAuthRecord[] = []
  /** expires_in of the next tokens issued; a test may change it mid-run. */
  expiresInSeconds: number
  private readonly tokens = new Map<string, IssuedToken>()
  private readonly script: TokenStep[]
  private readonly revokeScript: TokenStep[]
  private readonly tokenValues: string[]
  private readonly now: () => number
  private readonly tokenLimit: number

  constructor(private readonly options: OAuthStandinOptions) {
    this.expiresInSeconds = options.expiresInSeconds ?? 3600
    this.now = options.now ?? Date.now
    this.tokenLimit = options.tokenLimit ?? 100
    this.script = (options.script ?? []).map(step => ({ ...step }))
    this.revokeScript = (options.revokeScript ?? []).map(step => ({ ...step }))
    this.tokenValues = [...(options.tokenValues ?? [])]
  }

  get tokenRequests(): number {
    return this.requests.filter(r => r.path === TOKEN_PATH).length
  }

  get revokeRequests(): number {
    return this.requests.filter(r => r.path === REVOKE_PATH).length
  }

  /** Tokens issued (to one service account, or to all) that are neither expired, revoked nor invalidated. */
  activeTokens(clientId?: string): number {
    const active = [...this.tokens.values()].filter(token => this.problem(token) === undefined)
    return active.filter(token => clientId === undefined || token.clientId === clientId).length
  }

  /** Every token ever issued, so that tests can check none of them reached a message. */
  issuedTokens(): string[] {
    return [...this.tokens.keys()]
  }

  /** Makes every current token fail verify(), as when Atlas rejects a token mid-run. */
  invalidateAll(): void {
    for (const token of this.tokens.values()) token.invalidated = true
  }

  handle(request: http.IncomingMessage, body: string, response: http.ServerResponse): boolean {
    const path = new URL(request.url ?? '/', 'http://standin').pathname
    if (path !== TOKEN_PATH && path !== REVOKE_PATH) return false
    const answer =
      request.method !== 'POST'
        ? { status: 405, headers: { Allow: 'POST' } }
        : path === TOKEN_PATH
          ? this.issue(request, body)
          : this.revoke(request, body)
    const { status, clientId, refused } = answer
    this.requests.push({ at: this.now(), path, status, clientId, refused })
    // A hanging answer keeps the connection open until the client gives up or the server stops.
    if (answer.hang) return true
    response.writeHead(status, answer.headers ?? {}).end(answer.body)
    return true
  }

  verify(authorization: string | undefined): { ok: true; clientId: string } | { ok: false; reason: string } {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')
    if (!match) return { ok: false, reason: 'no bearer token' }
    const token = this.tokens.get(match[1])
    if (!token) return { ok: false, reason: 'unknown token' }
    const problem = this.problem(token)
    return problem === undefined ? { ok: true, clientId: token.clientId } : { ok: false, reason: problem }
  }

  private problem(token: IssuedToken): string | undefined {
    if (token.revoked) return 'token revoked'
    if (token.invalidated) return 'token invalidated'
    if (this.now() >= token.expiresAt) return 'token expired'
    return undefined
  }

  private issue(request: http.IncomingMessage, body: string): Answer {
    const step = next(this.script)
    if (step) return scripted(step)
    const client = this.authenticate(request.headers.authorization)
    if (!client.ok) return client.answer
    const { clientId } = client
    const form = formProblem(request, body, 'grant_type')
    if (form) return { ...form, clientId }
    const grant = new URLSearchParams(body).get('grant_type')
    if (grant !== 'client_credentials') {
      return {
        ...oauthError(400, 'unsupported_grant_type', 'Only client_credentials is supported.'),
        clientId
      }
    }
    if (this.activeTokens(clientId) >= this.tokenLimit) {
      return {
        ...oauthError(
          403,
          'access_denied',
          'Access Token limit reached. Revoke unused tokens or wait for them to expire.'
        ),
        clientId,
        refused: `${this.tokenLimit} active tokens`
      }
    }
    const token = this.tokenValues.shift() ?? randomBytes(32).toString('base64url')
    const expiresIn = this.expiresInSeconds
    const expiresAt = this.now() + expiresIn * 1000
    this.tokens.set(token, { clientId, expiresAt, revoked: false, invalidated: false })
    const type = this.options.tokenType ?? 'Bearer'
    const claimed = 'claimedExpiresIn' in this.options ? this.options.claimedExpiresIn : expiresIn
    return { ...json(200, { access_token: token, token_type: type, expires_in: claimed }), clientId }
  }

  /** RFC 7009: 200 with no body, also for a token that is unknown or already gone. */
  private revoke(request: http.IncomingMessage, body: string): Answer {
    const step = next(this.revokeScript)
    if (step) return scripted(step)
    const client = this.authenticate(request.headers.authorization)
    if (!client.ok) return client.answer
    const { clientId } = client
    const form = formProblem(request, body, 'token')
    if (form) return { ...form, clientId }
    const token = this.tokens.get(new URLSearchParams(body).get('token') ?? '')
    if (token?.clientId === clientId) token.revoked = true
    return { status: 200, clientId }
  }

  /** Basic base64(clientId ":" clientSecret), of the raw UTF-8 strings, exactly. */
  private authenticate(
    header: string | undefined
  ): { ok: true; clientId: string } | { ok: false; answer: Answer } {
    const refuse = (why: string, clientId?: string) => ({
      ok: false as const,
      answer: {
        ...oauthError(401, 'invalid_client', 'Invalid credentials provided.'),
        clientId,
        refused: why
      }
    })
    const match = /^Basic ([A-Za-z0-9+/]+={0,2})$/i.exec(header ?? '')
    if (!match) return refuse('no Basic credentials')
    const decoded = Buffer.from(match[1], 'base64').toString('utf8')
    if (Buffer.from(decoded, 'utf8').toString('base64') !== match[1])
      return refuse('not base64 of UTF-8 text')
    const colon = decoded.indexOf(':')
    if (colon < 0) return refuse('no colon between client ID and secret')
    const account = this.options.accounts.find(a => a.clientId === decoded.slice(0, colon))
    if (!account) return refuse('unknown client ID')
    if (account.clientSecret !== decoded.slice(colon + 1)) return refuse('wrong secret', account.clientId)
    return { ok: true, clientId: account.clientId }
  }
}

/** 400 invalid_request when the body is not a form or lacks its required field. */
function formProblem(request: http.IncomingMessage, body: string, field: string): Answer | undefined {
  const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()
  if (type !== FORM) {
    return {
      ...oauthError(400, 'invalid_request', `Content-Type must be ${FORM}.`),
      refused: `content type ${type}`
    }
  }
  if (!new URLSearchParams(body).has(field)) {
    return { ...oauthError(400, 'invalid_request', `Missing ${field}.`), refused: `no ${field}` }
  }
  return undefined
}

function oauthError(status: number, error: string, description: string): Answer {
  return json(status, { error, error_description: description })
}

function json(status: number, body: object): Answer {
  const headers = { 'Content-Type': JSON_TYPE, 'Cache-Control': 'no-store' }
  return { status, headers, body: JSON.stringify(body) }
}

/** The next step of a script, used up `times` times. */
function next(script: TokenStep[]): TokenStep | undefined {
  const step = script[0]
  if (step) {
    step.times = (step.times ?? 1) - 1
    if (step.times <= 0) script.shift()
  }
  return step
}

/** The Atlas API's error shape for 429 and 5xx (the token endpoint's limiter is Atlas's). */
function scripted(step: TokenStep): Answer {
  const limited = step.status === 429
  const body =
    step.body ??
    JSON.stringify({
      error: step.status,
      errorCode: limited ? 'RATE_LIMITED' : 'UNEXPECTED_ERROR',
      detail: limited ? 'Resource rate limit exceeded.' : 'Unexpected error.',
      reason: limited ? 'Too Many Requests' : 'Internal Server Error'
    })
  const headers: Record<string, string> = { 'Content-Type': step.contentType ?? JSON_TYPE, ...step.headers }
  if (step.retryAfter !== undefined) headers['Retry-After'] = step.retryAfter
  return { status: step.status, headers, body, refused: `scripted ${step.status}`, hang: step.hang }
}
