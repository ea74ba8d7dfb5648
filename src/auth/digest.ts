import { randomBytes } from 'node:crypto'
import DigestClient from 'digest-fetch'
import type { BufferedResponse, Send } from '../http/transport.js'
import { headerRecord } from '../http/node-http.js'

/**
 * digest-fetch 3.1.1, made correct for a client that polls.
 *
 * The stock client has four defects that would reach users (line numbers in
 * digest-fetch-src.js):
 * 1. `nc` is zero-padded *decimal* (line 138); RFC 7616 wants 8 hex digits, so the 10th
 *    request on a nonce would send 00000010, which a strict server reads as 16.
 * 2. `nc` is never reset when a new challenge arrives (line 185), so the first request on a
 *    fresh nonce can carry nc=00000003; a server that expects 00000001 refuses it, and the
 *    stock client hands that 401 back as if the keys were wrong.
 * 3. the client nonce comes from Math.random (lines 205-211), not a cryptographic source.
 * 4. a URL object as the first argument crashes (line 119), and the caller's headers object is
 *    mutated (lines 149-153).
 *
 * This subclass keeps what is right upstream (challenge parsing, hashing, qop) and replaces
 * the four methods that hold those defects. Each override is small enough to offer upstream as
 * a patch to the method of the same name.
 *
 * What a poll costs: the challenge is kept and reused, so N reads cost N + 1 requests when the
 * server accepts a reused nonce. When it refuses one (401 with a fresh challenge, `stale` or
 * not), the client answers the fresh challenge once; only a 401 to that answer is returned,
 * and only that means the keys are wrong.
 */
export class StrictDigestClient extends DigestClient {
  constructor(
    user: string,
    password: string,
    private readonly send: Send
  ) {
    // Atlas challenges with algorithm=MD5, qop="auth".
    super(user, password, { algorithm: 'MD5' })
  }

  /** Requests go through the project's transport (timeouts, size limit, proxy), not bare fetch. */
  override async getClient(): Promise<Send> {
    return this.send
  }

  override async fetch(url: string | URL, options: RequestInit = {}): Promise<BufferedResponse> {
    const target = String(url)
    const first = await this.send(target, this.addAuth(target, options))
    if (first.status !== 401) return first

    const challenge = first.headers.get('www-authenticate')
    if (challenge === null || !/^\s*digest\s/i.test(challenge)) return first
    // A fresh challenge: either our first request had none, or the server refused our nonce
    // (expired, `stale`, or single-use). Answer it once; its 401 is the one that counts.
    this.parseAuth(challenge)
    const second = await this.send(target, this.addAuth(target, options))
    if (second.status === 401) this.hasAuth = false
    return second
  }

  /** Parses the challenge, then starts the request count of the new nonce over. */
  override parseAuth(header: string | null): void {
    super.parseAuth(header)
    this.digest.nc = 0
  }

  /** 16 bytes from the operating system's CSPRNG, as 32 hex digits. */
  override makeNonce(): string {
    return randomBytes(16).toString('hex')
  }

  /**
   * Returns a copy of `options` with an Authorization header answering the current challenge
   * (or the options untouched while there is none). Counts the request on the nonce first, so
   * every request, answered or lost, gets its own nc.
   */
  override addAuth(url: string, options: RequestInit): RequestInit {
    if (!this.hasAuth) return options
    const { pathname, search } = new URL(url)
    const uri = `${pathname}${search}`
    const method = (options.method ?? 'GET').toUpperCase()
    const { realm, nonce, cnonce, qop, opaque, algorithm, scheme } = this.digest as DigestState

    this.digest.nc += 1
    const nc = this.digest.nc.toString(16).padStart(8, '0')

    let ha1: string = this.computeHash(this.user, realm, this.password)
    if (algorithm.endsWith('-sess')) ha1 = this.hashWithAlgorithm(`${ha1}:${nonce}:${cnonce}`)
    const ha2: string = this.hashWithAlgorithm(`${method}:${uri}`)
    const response: string = qop
      ? this.hashWithAlgorithm(`${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`)
      : this.hashWithAlgorithm(`${ha1}:${nonce}:${ha2}`)

    const parameters = [
      `username="${this.user}"`,
      `realm="${realm}"`,
      `nonce="${nonce}"`,
      `uri="${uri}"`,
      ...(opaque !== null && opaque !== undefined ? [`opaque="${opaque}"`] : []),
      ...(qop ? [`qop=${qop}`, `nc=${nc}`, `cnonce="${cnonce}"`] : []),
      `algorithm=${algorithm}`,
      `response="${response}"`
    ]
    const headers = { ...headerRecord(options.headers), Authorization: `${scheme} ${parameters.join(', ')}` }
    return { ...options, headers }
  }
}

interface DigestState {
  realm: string
  nonce: string
  cnonce: string
  qop: string | null
  opaque: string | null | undefined
  algorithm: string
  scheme: string
  nc: number
}
