import { USER_AGENT } from '../common/constants.js'
import { AtlasApiError } from '../common/errors.js'
import { registerSecret } from '../common/redact.js'
import type { Log } from '../common/log.js'
import { oneLine, seconds } from '../common/text.js'
import { headerRecord } from '../http/node-http.js'
import type { BufferedResponse, Send } from '../http/transport.js'
import type { Authenticator } from './authenticator.js'
import { describeAnswer, readTokenAnswer, UnusableTokenError } from './token-answer.js'

export interface ServiceAccountOptions {
  /** `mdb_sa_id_` + 24 hex digits; public, safe to log. */
  clientId: string
  clientSecret: string
  /** base-url's scheme and host (https://cloud.mongodb.com); a full base-url works too, only its origin is used. */
  origin: string
  /** The run's transport (deadline, cancellation, request timeout, size cap, no redirects, proxy): token requests and reads. */
  send: Send
  /**
   * The transport for the revoke at close(): the same fetch and proxy, but tied neither to the
   * cancellation signal nor to the run's deadline (a cancelled or timed-out run still revokes),
   * with a request timeout of 2 s. In main.ts: `createTransport({ fetch, requestTimeoutMs: 2000,
   * deadline: new Deadline(systemClock, startedAt, Infinity), signal: new AbortController().signal })`.
   */
  revokeSend: Send
  /** Masks a secret in the log (core.setSecret): each access token the moment it arrives. */
  mask: (secret: string) => void
  log: Log
  now: () => number
  /** How long close() may take, whatever revokeSend does; CLOSE_TIMEOUT_MS unless a test says otherwise. */
  closeTimeoutMs?: number
}

interface Token {
  value: string
  /** When to stop using it and ask for the next one (see renewalMarginMs, MIN_RENEWAL_INTERVAL_MS). */
  renewAt: number
  /** Replaced or refused: no longer used, and its revoke is under way. */
  retired: boolean
}

const FORM = 'application/x-www-form-urlencoded'
const WARNING_TITLE = 'Atlas service account'

/** How long close() waits for the revokes, whatever they do: a fixed limit, not request-timeout-seconds. */
export const CLOSE_TIMEOUT_MS = 2_000
/**
 * Scheduled renewals come at most this often, whatever expires_in says (`expires_in: 0.001`
 * must not start a storm of token requests); a shorter-lived token is renewed on its 401.
 */
export const MIN_RENEWAL_INTERVAL_MS = 5_000
/**
 * Renewals forced by a 401 in one run. Atlas allows about 100 active tokens per service
 * account; a token endpoint whose tokens the API keeps refusing must not use them up.
 */
export const MAX_FORCED_RENEWALS = 10

/**
 * How early a token is replaced: a minute before it expires (a 1 h token serves 59 min), or a
 * tenth of its life when it is shorter than 10 min, so that a short-lived token is still used
 * for most of its life: a wait costs one token request per token lifetime.
 */
export function renewalMarginMs(expiresInMs: number): number {
  return Math.min(60_000, expiresInMs / 10)
}

/**
 * A service account: OAuth 2.0 client credentials, then `Authorization: Bearer` on every read.
 * One token at a time, fetched on the first send(), masked on arrival, shared by concurrent
 * callers, renewed before it expires (at most once per 5 s), replaced when a read is refused
 * with 401 (once per refused token, at most 10 times a run). Every token no longer used is
 * revoked: a replaced one at once, the last by close(). A request made with a token goes
 * through `send` like any other, so retries (429, 5xx, network) of the token request happen in
 * the caller's retry loop, within max-retries and the deadline.
 */
export class ServiceAccountAuthenticator implements Authenticator {
  readonly kind = 'service-account'
  readonly publicId: string
  closeNote: string | undefined
  private readonly basic: string
  private readonly tokenUrl: string
  private readonly revokeUrl: string
  private token: Token | undefined
  private pending: Promise<Token> | undefined
  private forcedRenewals = 0
  /** One per token revoked, resolving to what went wrong (undefined when it was revoked). */
  private readonly revokes: Promise<string | undefined>[] = []
  private closed = false

  constructor(private readonly options: ServiceAccountOptions) {
    this.publicId = options.clientId
    // From the raw strings, as Atlas expects (not form-encoded first, as RFC 6749 would have it).
    const credentials = Buffer.from(`${options.clientId}:${options.clientSecret}`, 'utf8').toString('base64')
    registerSecret(options.clientSecret)
    registerSecret(credentials)
    options.mask(credentials)
    this.basic = `Basic ${credentials}`
    const origin = new URL(options.origin).origin
    this.tokenUrl = `${origin}/api/oauth/token`
    this.revokeUrl = `${origin}/api/oauth/revoke`
  }

  async send(url: string, init: RequestInit): Promise<BufferedResponse> {
    if (this.closed) throw new Error('The service account session was closed before this request.')
    const used = await this.currentToken()
    const first = await this.sendWith(used, url, init)
    if (first.status !== 401) return first

    // Revoked, expired early, or lost by Atlas: one new token, one more try. When several
    // requests were refused the same token, only the first renews it; the others use the new one.
    if (!used.retired) {
      this.retire(used)
      this.forcedRenewals += 1
      if (this.forcedRenewals > MAX_FORCED_RENEWALS) throw this.tooManyRefusals()
      this.options.log.debug(
        'Atlas refused the access token (HTTP 401); getting a new one and repeating the request once.'
      )
    }
    // A 401 to the new token too is handed back: the caller says the credentials are wrong.
    return this.sendWith(await this.currentToken(), url, init)
  }

  async close(abandon?: AbortSignal): Promise<void> {
    if (this.closed) return
    this.closed = true
    const work = (async () => {
      await this.pending?.catch(() => undefined)
      if (this.token) this.retire(this.token)
      return Promise.all(this.revokes)
    })()
    const limitMs = this.options.closeTimeoutMs ?? CLOSE_TIMEOUT_MS
    let timer: NodeJS.Timeout | undefined
    let onAbandon: (() => void) | undefined
    const outcome = await Promise.race([
      work,
      new Promise<'timeout'>(resolve => {
        timer = setTimeout(() => resolve('timeout'), limitMs)
        timer.unref()
      }),
      new Promise<'abandoned'>(resolve => {
        onAbandon = () => resolve('abandoned')
        if (abandon?.aborted) onAbandon()
        else abandon?.addEventListener('abort', onAbandon, { once: true })
      })
    ])
    clearTimeout(timer)
    if (onAbandon) abandon?.removeEventListener('abort', onAbandon)
    const total = this.revokes.length
    const tokens = total === 1 ? "this run's access token" : `this run's ${total} access tokens`
    const until =
      "expires by itself within the hour, and until then counts towards the service account's 100 active tokens"
    if (outcome === 'abandoned') {
      this.closeNote = `The job was cancelled a second time while ${tokens} ${total === 1 ? 'was' : 'were'} being revoked, so the revoke was abandoned: ${total === 1 ? 'it' : 'each'} ${until}.`
    } else if (outcome === 'timeout') {
      this.closeNote = `Revoking ${tokens} took more than ${seconds(limitMs)} (a fixed limit), so the step went on without waiting: a token not revoked ${until}.`
    } else {
      const problems = outcome.filter((problem): problem is string => problem !== undefined)
      if (problems.length === 0) return
      const which = total === 1 ? tokens : `${problems.length} of ${tokens}`
      this.closeNote = `Could not revoke ${which} (${problems[0]}${problems.length > 1 ? `; and ${problems.length - 1} more` : ''}): a token not revoked ${until}.`
    }
    this.options.log.warning(this.closeNote, WARNING_TITLE)
  }

  private sendWith(token: Token, url: string, init: RequestInit): Promise<BufferedResponse> {
    return this.options.send(url, {
      ...init,
      headers: { ...headerRecord(init.headers), Authorization: `Bearer ${token.value}` }
    })
  }

  /** The token in hand while it is fresh; otherwise one token request, shared by concurrent callers. */
  private async currentToken(): Promise<Token> {
    if (this.token && !this.token.retired && this.options.now() < this.token.renewAt) return this.token
    this.pending ??= this.fetchToken().finally(() => (this.pending = undefined))
    return this.pending
  }

  private async fetchToken(): Promise<Token> {
    const requestedAt = this.options.now()
    const response = await this.options.send(this.tokenUrl, {
      method: 'POST',
      headers: this.formHeaders(),
      body: 'grant_type=client_credentials'
    })
    let answer: { value: string; expiresInS: number }
    try {
      answer = await readTokenAnswer(response, {
        tokenUrl: this.tokenUrl,
        clientId: this.publicId,
        mask: this.options.mask,
        now: this.options.now
      })
    } catch (error) {
      // A token of the wrong type (or one that cannot be sent) was still issued: revoke it.
      if (error instanceof UnusableTokenError && error.issued !== undefined)
        this.revokes.push(this.revoke(error.issued))
      throw error
    }
    const lifetimeMs = answer.expiresInS * 1000
    const marginMs = renewalMarginMs(lifetimeMs)
    const usedForMs = Math.max(lifetimeMs - marginMs, MIN_RENEWAL_INTERVAL_MS)
    const replaced = this.token
    this.token = { value: answer.value, renewAt: requestedAt + usedForMs, retired: false }
    if (replaced) this.retire(replaced)
    this.options.log.debug(
      `Got an access token for service account ${this.publicId}, valid for ${seconds(lifetimeMs)}; it will be replaced after ${seconds(usedForMs)}.`
    )
    return this.token
  }

  /** A token no longer used: never sent again, and revoked now (close() waits for the revoke). */
  private retire(token: Token): void {
    if (token.retired) return
    token.retired = true
    if (this.token === token) this.token = undefined
    this.revokes.push(this.revoke(token.value))
  }

  /** Revokes one token; resolves to what went wrong, or undefined. Never throws. */
  private async revoke(token: string): Promise<string | undefined> {
    try {
      const response = await this.options.revokeSend(this.revokeUrl, {
        method: 'POST',
        headers: this.formHeaders(),
        body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString()
      })
      if (response.status === 200) {
        this.options.log.debug(`Revoked an access token of service account ${this.publicId}.`)
        return undefined
      }
      const said = describeAnswer(response.status, await response.text(), response.headers)
      return `the revoke endpoint answered ${said}`
    } catch (error) {
      return oneLine((error as Error).message, 300)
    }
  }

  private tooManyRefusals(): AtlasApiError {
    return new AtlasApiError(
      `Atlas refused ${MAX_FORCED_RENEWALS + 1} access tokens of service account ${this.publicId} (HTTP 401) soon after the token endpoint (${this.tokenUrl}) issued them, so the step stopped asking for more: each token a run asks for counts towards the service account's 100 active tokens. The token endpoint issues tokens the API does not accept: check that base-url points at Atlas itself and that nothing between the runner and Atlas changes the Authorization header.`,
      401,
      undefined
    )
  }

  private formHeaders(): Record<string, string> {
    return {
      Authorization: this.basic,
      'Content-Type': FORM,
      Accept: 'application/json',
      'User-Agent': USER_AGENT
    }
  }
}
