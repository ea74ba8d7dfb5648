import { USER_AGENT } from '../common/constants.js'
import type { Log } from '../common/log.js'
import { oneLine, seconds } from '../common/text.js'
import { headerRecord } from '../http/node-http.js'
import type { BufferedResponse, Send } from '../http/transport.js'
import type { Authenticator } from './authenticator.js'
import { describeAnswer, readTokenAnswer } from './token-answer.js'

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
  /** How long close() may take, whatever revokeSend does; 2000 unless a test says otherwise. */
  closeTimeoutMs?: number
}

interface Token {
  value: string
  /** When to stop using it and ask for the next one (see renewalMarginMs). */
  renewAt: number
}

const FORM = 'application/x-www-form-urlencoded'
const WARNING_TITLE = 'Atlas service account'

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
 * One token per run, fetched on the first send(), masked on arrival, reused, renewed before it
 * expires, replaced once when a read is refused with 401, and revoked by close(). A request
 * made with a token goes through `send` like any other, so retries (429, 5xx, network) of the
 * token request happen in the caller's retry loop, within max-retries and the deadline.
 */
export class ServiceAccountAuthenticator implements Authenticator {
  readonly kind = 'service-account'
  readonly publicId: string
  private readonly basic: string
  private readonly tokenUrl: string
  private readonly revokeUrl: string
  private token: Token | undefined
  private pending: Promise<Token> | undefined
  private closed = false

  constructor(private readonly options: ServiceAccountOptions) {
    this.publicId = options.clientId
    // From the raw strings, as Atlas expects (not form-encoded first, as RFC 6749 would have it).
    const credentials = Buffer.from(`${options.clientId}:${options.clientSecret}`, 'utf8').toString('base64')
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

    // Revoked, expired early, or lost by Atlas: one new token, one more try.
    this.options.log.debug(
      'Atlas refused the access token (HTTP 401); getting a new one and repeating the request once.'
    )
    if (this.token === used) this.token = undefined
    // A 401 to the new token too is handed back: the caller says the credentials are wrong.
    return this.sendWith(await this.currentToken(), url, init)
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    const work = (async () => {
      await this.pending?.catch(() => undefined)
      // Cleared after the revoke, so that redact() still hides it in what the revoke answers.
      if (this.token) await this.revoke(this.token.value)
      this.token = undefined
    })()
    const limitMs = this.options.closeTimeoutMs ?? 2000
    let timer: NodeJS.Timeout | undefined
    const timedOut = new Promise<boolean>(resolve => {
      timer = setTimeout(() => resolve(true), limitMs)
      timer.unref()
    })
    if (await Promise.race([work.then(() => false), timedOut])) {
      this.options.log.warning(
        `Revoking this run's access token took more than ${seconds(limitMs)}, so the step went on without waiting; the token expires by itself within the hour.`,
        WARNING_TITLE
      )
    }
    clearTimeout(timer)
  }

  private sendWith(token: Token, url: string, init: RequestInit): Promise<BufferedResponse> {
    return this.options.send(url, {
      ...init,
      headers: { ...headerRecord(init.headers), Authorization: `Bearer ${token.value}` }
    })
  }

  /** The token in hand while it is fresh; otherwise one token request, shared by concurrent callers. */
  private async currentToken(): Promise<Token> {
    if (this.token && this.options.now() < this.token.renewAt) return this.token
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
    const { value, expiresInS } = await readTokenAnswer(response, {
      tokenUrl: this.tokenUrl,
      clientId: this.publicId,
      mask: this.options.mask,
      redact: text => this.redact(text),
      now: this.options.now
    })
    const lifetimeMs = expiresInS * 1000
    const marginMs = renewalMarginMs(lifetimeMs)
    this.token = { value, renewAt: requestedAt + lifetimeMs - marginMs }
    this.options.log.debug(
      `Got an access token for service account ${this.publicId}, valid for ${seconds(lifetimeMs)}; it will be replaced ${seconds(marginMs)} before it expires.`
    )
    return this.token
  }

  private async revoke(token: string): Promise<void> {
    const failed = (why: string): void =>
      this.options.log.warning(
        `Could not revoke this run's access token (${why}); it expires by itself within the hour, and until then counts towards the service account's 100 active tokens.`,
        WARNING_TITLE
      )
    try {
      const response = await this.options.revokeSend(this.revokeUrl, {
        method: 'POST',
        headers: this.formHeaders(),
        body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString()
      })
      if (response.status === 200) {
        this.options.log.debug(`Revoked the access token of service account ${this.publicId}.`)
      } else {
        const text = await response.text()
        const said = describeAnswer(response.status, text, response.headers, t => this.redact(t))
        failed(`the revoke endpoint answered ${said}`)
      }
    } catch (error) {
      failed(this.redact(oneLine((error as Error).message, 300)))
    }
  }

  private formHeaders(): Record<string, string> {
    return {
      Authorization: this.basic,
      'Content-Type': FORM,
      Accept: 'application/json',
      'User-Agent': USER_AGENT
    }
  }

  /** Whatever a server echoes back, the secret and the token never reach a message. */
  private redact(text: string): string {
    const secrets = [this.options.clientSecret, this.token?.value].filter(
      (s): s is string => !!s && s.length >= 4
    )
    return secrets.reduce((out, secret) => out.split(secret).join('***'), text)
  }
}
