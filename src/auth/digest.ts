import DigestClient from 'digest-fetch'
import { nodeCrypto, randomBytes } from '../common/crypto.js'
import { AtlasApiError } from '../common/errors.js'
import { md5Hex } from '../common/md5.js'
import type { BufferedResponse, Send } from '../http/transport.js'
import { headerRecord } from '../http/node-http.js'
// Imported as usual: this file is itself in the API key's chunk (sign-in.ts imports it only for
// an API key run), and every such run reads a challenge first, so a chunk of its own for the
// parser would only add a file to load.
import { chooseDigestChallenge, type DigestChallenge } from './digest-challenge.js'

/**
 * digest-fetch 3.1.1, made correct for a client that polls.
 *
 * The stock client has these defects that would reach users (line numbers in
 * digest-fetch-src.js):
 * 1. `nc` is zero-padded *decimal* (line 138); RFC 7616 wants 8 hex digits, so the 10th
 *    request on a nonce would send 00000010, which a strict server reads as 16.
 * 2. `nc` is never reset when a new challenge arrives (line 185), so the first request on a
 *    fresh nonce can carry nc=00000003; a server that expects 00000001 refuses it, and the
 *    stock client hands that 401 back as if the keys were wrong.
 * 3. the client nonce comes from Math.random (lines 205-211), not a cryptographic source.
 * 4. a URL object as the first argument crashes (line 119), and the caller's headers object is
 *    mutated (lines 149-153).
 * 5. the challenge is read with one regex per field (lines 16-22): a value is found inside
 *    another (`opaque="nonce=zzz"` gives nonce zzz), spaces are stripped from quoted values, only
 *    the first challenge is considered (a Basic one first hides the Digest one), and the
 *    `algorithm` offered is ignored (the answer uses the constructor's), `auth-int` is answered
 *    as `auth`, values are sent back unescaped. Each of those ends as a 401 that reads as a
 *    wrong key pair.
 *
 * This subclass replaces the methods that hold those defects; challenges are read by
 * ./digest-challenge.ts, exactly. Each override is small enough to offer upstream as a patch
 * to the method of the same name. A challenge it cannot answer in full (an unknown algorithm
 * or qop) stops the run with "unsupported Digest challenge (…)" instead of being answered with
 * less than it asked for, which would fail as a "wrong key".
 *
 * What a poll costs: the challenge is kept and reused, so N reads cost N + 1 requests when the
 * server accepts a reused nonce. When it refuses one (401 with a fresh challenge, `stale` or
 * not), the client answers the fresh challenge once; only a 401 to that answer is returned,
 * and only that means the keys are wrong.
 *
 * One instance is one Digest session: one challenge, one client nonce, one nonce count. It must
 * serve one request at a time, so that each request carries the next nc and a server that
 * checks nc strictly sees them in order; ApiKeyAuthenticator keeps a pool of them for
 * concurrent reads.
 */
export class StrictDigestClient extends DigestClient {
  /** The challenge being answered; set whenever `hasAuth` is. */
  private challenge: DigestChallenge | undefined
  /** The client nonce for the current challenge. */
  private cnonce = ''

  constructor(
    user: string,
    password: string,
    private send: Send,
    private readonly hooks: DigestHooks = {}
  ) {
    super(user, password, { algorithm: 'MD5' })
  }

  /** Requests go through the project's transport (timeouts, size limit, proxy), not bare fetch. */
  override async getClient(): Promise<Send> {
    return this.send
  }

  /** Sends this session's next requests another way (its own pipelined connection); only while it has none in flight. */
  useSend(send: Send): void {
    this.send = send
  }

  /** Whether this session holds a challenge to answer (its requests are signed). */
  get answering(): boolean {
    return this.hasAuth && this.challenge !== undefined
  }

  override async fetch(url: string | URL, options: RequestInit = {}): Promise<BufferedResponse> {
    const target = String(url)
    const first = await this.signAndSend(target, options)
    if (first.status !== 401) return first

    const challenge = first.headers.get('www-authenticate')
    if (challenge === null) return first
    // A fresh challenge: either our first request had none, or the server refused our nonce
    // (expired, `stale`, or single-use). Answer it once; its 401 is the one that counts.
    const second = await this.signAndSend(target, options, challenge)
    if (second.status === 401) this.hasAuth = false
    return second
  }

  /**
   * Waits at the run's gate (a 429's pause), then, in one synchronous step, takes up a fresh
   * challenge if there is one, counts the request on the nonce (nc) and hands it to the
   * connection: with two requests of one session on its connection at once (pipelining), the
   * nonce counts go out in the order they were given, whatever order the two left the gate in.
   * `send` must start the request before its first await (createTransport does).
   */
  private async signAndSend(
    target: string,
    options: RequestInit,
    challenge?: string
  ): Promise<BufferedResponse> {
    if (this.hooks.gate) await this.hooks.gate()
    if (challenge !== undefined) this.parseAuth(challenge)
    const response = await this.send(target, this.addAuth(target, options))
    this.hooks.observe?.(response.headers)
    return response
  }

  /**
   * Takes the strongest Digest challenge offered as the one to answer, with a fresh client
   * nonce and the request count starting over; throws when no Digest challenge is supported.
   */
  override parseAuth(header: string | null): void {
    this.hasAuth = false
    this.challenge = undefined
    const choice = chooseDigestChallenge(header ?? '')
    if (!choice.ok) throw unsupported(choice.offered)
    this.challenge = choice.challenge
    this.digest.nc = 0
    this.cnonce = this.makeNonce()
    this.hasAuth = true
  }

  /** 16 bytes from the operating system's CSPRNG, as 32 hex digits. */
  override makeNonce(): string {
    return randomBytes(16).toString('hex')
  }

  /**
   * The hash the current challenge names (MD5 when it names none), in lower-case hex. MD5,
   * Atlas's, without loading node:crypto (../common/md5.ts); the others with it.
   */
  override hashWithAlgorithm(data: string): string {
    const hash = this.challenge?.hash ?? 'md5'
    if (hash === 'md5') return md5Hex(data)
    return nodeCrypto().createHash(hash).update(data, 'utf8').digest('hex')
  }

  /**
   * Returns a copy of `options` with an Authorization header answering the current challenge
   * (or the options untouched while there is none), as RFC 7616 §3.4 says. Counts the request
   * on the nonce first, so every request, answered or lost, gets its own nc.
   */
  override addAuth(url: string, options: RequestInit): RequestInit {
    const challenge = this.challenge
    if (!this.hasAuth || challenge === undefined) return options
    const { pathname, search } = new URL(url)
    const uri = `${pathname}${search}`
    const method = (options.method ?? 'GET').toUpperCase()
    const { realm, nonce, opaque, algorithm, session } = challenge
    const cnonce = this.cnonce
    const qop = this.chooseQop(challenge, options)

    this.digest.nc += 1
    const nc = this.digest.nc.toString(16).padStart(8, '0')

    let ha1: string = this.computeHash(this.user, realm, this.password)
    if (session) ha1 = this.hashWithAlgorithm(`${ha1}:${nonce}:${cnonce}`)
    // auth-int covers the body too; only bodyless requests get here with it (chooseQop).
    const ha2 = this.hashWithAlgorithm(
      qop === 'auth-int' ? `${method}:${uri}:${this.hashWithAlgorithm('')}` : `${method}:${uri}`
    )
    const response = this.hashWithAlgorithm(
      qop ? `${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}` : `${ha1}:${nonce}:${ha2}`
    )

    const parameters = [
      `username=${quoted(this.user, 'the public key')}`,
      `realm=${quoted(realm)}`,
      `nonce=${quoted(nonce)}`,
      `uri=${quoted(uri)}`,
      ...(opaque !== undefined ? [`opaque=${quoted(opaque)}`] : []),
      ...(qop ? [`qop=${qop}`, `nc=${nc}`, `cnonce=${quoted(cnonce)}`] : []),
      // Echoed as offered; a token in the challenge stays a token here.
      ...(algorithm !== undefined ? [`algorithm=${asToken(algorithm)}`] : []),
      `response=${quoted(response)}`
    ]
    const headers = { ...headerRecord(options.headers), Authorization: `Digest ${parameters.join(', ')}` }
    return { ...options, headers }
  }

  /** `auth` when offered; `auth-int` only for a request without a body (its hash is that of ""). */
  private chooseQop(challenge: DigestChallenge, options: RequestInit): string | undefined {
    if (challenge.qops.length === 0) return undefined
    if (challenge.qops.includes('auth')) return 'auth'
    if (options.body === undefined || options.body === null) return 'auth-int'
    throw unsupported(`Digest qop="auth-int" for a request with a body`)
  }
}

/** What the run's read scheduler asks of every request (src/wait/scheduler.ts), applied before signing. */
export interface DigestHooks {
  /** Resolves when the request may go (a 429 may have paused every request); rejects on cancellation. */
  gate?: () => Promise<void>
  /** Told the headers of every answer (the rate-limit budget). */
  observe?: (headers: { get(name: string): string | null }) => void
}

/** A challenge this client will not answer: not the key's fault, and retrying will not help. */
function unsupported(offered: string): AtlasApiError {
  return new AtlasApiError(
    `unsupported Digest challenge (${offered}). The server did not offer HTTP Digest authentication in a form this action answers (Digest with algorithm MD5, SHA-256 or SHA-512-256, plain or -sess, and qop "auth" or "auth-int"), so it was not answered. Atlas itself sends Digest with MD5 and qop="auth": check base-url and any proxy between the runner and Atlas.`,
    401,
    undefined
  )
}

/** A quoted-string (RFC 9110 §5.6.4): `"` and `\` escaped; nothing a header cannot carry. */
function quoted(value: string, what = 'a value from the challenge'): string {
  // eslint-disable-next-line no-control-regex -- control characters are what cannot be sent
  if (/[\u0000-\u0008\u000a-\u001f\u007f]|[^\u0000-\u00ff]/.test(value)) {
    throw new Error(`The Digest answer cannot carry ${what}: it holds a control or non-Latin-1 character.`)
  }
  return `"${value.replace(/["\\]/g, '\\$&')}"`
}

/** The algorithm was a token or a quoted-string in the challenge; answer with a token if it is one. */
function asToken(value: string): string {
  return /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(value) ? value : quoted(value)
}
