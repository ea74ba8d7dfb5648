/**
 * A small HTTP Digest server for the challenges Atlas does not send today but a proxy, or a
 * future Atlas, could: several challenges in one header line or in several, Basic before
 * Digest, SHA-256 and SHA-512-256, -sess, qop="auth-int", nonces and opaques holding spaces,
 * commas, quotes and `nonce=`. It writes exactly the challenges it is given and checks every
 * answer with its own code (node:crypto and a parser of its own), never the client's: a
 * mistake shared by both would otherwise pass.
 *
 * A nonce stays valid, with nc checked strictly (the previous nc of that nonce + 1, in 8 hex
 * digits), so a client that reuses a challenge gets N reads for N + 1 requests.
 */
import { createHash } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'

/** A Digest challenge to offer; parameters are written in this order: realm, opaque, nonce, algorithm, qop. */
export interface OfferedDigest {
  realm: string
  nonce: string
  /** Written as a token (`algorithm=SHA-256`); omitted when undefined (MD5 by default). */
  algorithm?: string
  /** Written as a quoted list (`qop="auth, auth-int"`); omitted when undefined. */
  qop?: string
  /** Written before the nonce, so a client that looks for `nonce=` anywhere finds it here first. */
  opaque?: string
}

/** A Digest challenge, or any challenge written verbatim (`Basic realm="x"`). */
export type Offer = OfferedDigest | string

export interface DigestServerOptions {
  user: string
  password: string
  /** The WWW-Authenticate header lines of a 401, each a list of challenges joined with ", ". */
  lines: Offer[][]
}

/** One request as the server saw it. */
export interface DigestExchange {
  method: string
  url: string
  status: number
  /** The Authorization header as received. */
  authorization?: string
  /** The parameters of a Digest answer, unquoted. */
  answer?: Record<string, string>
  /** Why an answer was refused, for test failure messages. */
  refused?: string
}

export class DigestServer {
  readonly exchanges: DigestExchange[] = []
  private readonly server: http.Server
  private readonly lastNc = new Map<string, number>()

  constructor(private readonly options: DigestServerOptions) {
    this.server = http.createServer((request, response) => this.handle(request, response))
  }

  get baseUrl(): string {
    const { port } = this.server.address() as AddressInfo
    return `http://127.0.0.1:${port}`
  }

  /** The WWW-Authenticate lines exactly as sent. */
  get challengeLines(): string[] {
    return this.options.lines.map(line => line.map(writeOffer).join(', '))
  }

  async start(): Promise<this> {
    await new Promise<void>(resolve => this.server.listen(0, '127.0.0.1', resolve))
    return this
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections()
    await new Promise<void>(resolve => this.server.close(() => resolve()))
  }

  private handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const method = request.method ?? 'GET'
      const url = request.url ?? '/'
      const authorization = request.headers.authorization
      const exchange: DigestExchange = { method, url, status: 401, authorization }
      this.exchanges.push(exchange)
      if (authorization !== undefined) {
        const verdict = this.check(method, url, Buffer.concat(chunks), authorization)
        exchange.answer = verdict.answer
        if (verdict.ok) {
          exchange.status = 200
          response.writeHead(200, { 'Content-Type': 'application/json' })
          response.end(JSON.stringify({ ok: true }))
          return
        }
        exchange.refused = verdict.reason
      }
      response.setHeader('WWW-Authenticate', this.challengeLines)
      response.writeHead(401, { 'Content-Type': 'application/json' })
      response.end(JSON.stringify({ error: 401, reason: 'Unauthorized' }))
    })
  }

  /** Checks a Digest answer as RFC 7616 §3.4 says, against the challenge whose nonce it names. */
  private check(
    method: string,
    uri: string,
    body: Buffer,
    authorization: string
  ): { ok: boolean; reason?: string; answer?: Record<string, string> } {
    const scheme = /^(\S+) /.exec(authorization)?.[1] ?? ''
    if (scheme.toLowerCase() !== 'digest') return { ok: false, reason: `a ${scheme} answer, not Digest` }
    const answer = readAnswer(authorization.slice(scheme.length + 1))
    if (answer === undefined) return { ok: false, reason: 'an answer that does not parse' }
    const refuse = (reason: string) => ({ ok: false, reason, answer })

    const offer = this.options.lines
      .flat()
      .find((o): o is OfferedDigest => typeof o !== 'string' && o.nonce === answer.nonce)
    if (offer === undefined) return refuse(`unknown nonce ${JSON.stringify(answer.nonce)}`)
    if (answer.username !== this.options.user) return refuse('another user')
    if (answer.realm !== offer.realm) return refuse(`realm ${JSON.stringify(answer.realm)}`)
    if (answer.uri !== uri) return refuse(`uri ${answer.uri} for ${uri}`)
    if (answer.opaque !== offer.opaque) return refuse(`opaque ${JSON.stringify(answer.opaque)}`)
    const algorithm = offer.algorithm ?? 'MD5'
    if ((answer.algorithm ?? 'MD5') !== algorithm)
      return refuse(`algorithm ${answer.algorithm} for ${algorithm}`)

    const offeredQops = offer.qop?.split(',').map(q => q.trim()) ?? []
    const { qop, nc, cnonce } = answer
    if (offer.qop === undefined) {
      if (qop !== undefined || nc !== undefined || cnonce !== undefined)
        return refuse('qop, nc or cnonce without a qop offered')
    } else {
      if (qop === undefined || !offeredQops.includes(qop)) return refuse(`qop ${qop} for ${offer.qop}`)
      if (!cnonce) return refuse('no cnonce')
      if (nc === undefined || !/^[0-9a-f]{8}$/.test(nc)) return refuse(`nc ${nc}`)
      const last = this.lastNc.get(offer.nonce) ?? 0
      if (parseInt(nc, 16) !== last + 1) return refuse(`nc ${nc} after ${last}`)
    }

    const session = algorithm.toLowerCase().endsWith('-sess')
    const hash = HASH[algorithm.toLowerCase().replace(/-sess$/, '')]
    if (hash === undefined) return refuse(`algorithm ${algorithm} answered, which this server cannot check`)
    const h = (text: string | Buffer) => createHash(hash).update(text).digest('hex')
    let ha1 = h(`${this.options.user}:${offer.realm}:${this.options.password}`)
    if (session) ha1 = h(`${ha1}:${offer.nonce}:${cnonce}`)
    const ha2 = qop === 'auth-int' ? h(`${method}:${uri}:${h(body)}`) : h(`${method}:${uri}`)
    const expected = qop
      ? h(`${ha1}:${offer.nonce}:${nc}:${cnonce}:${qop}:${ha2}`)
      : h(`${ha1}:${offer.nonce}:${ha2}`)
    if (answer.response !== expected) return refuse('wrong response hash')
    if (nc !== undefined) this.lastNc.set(offer.nonce, parseInt(nc, 16))
    return { ok: true, answer }
  }
}

const HASH: Record<string, string> = { md5: 'md5', 'sha-256': 'sha256', 'sha-512-256': 'sha512-256' }

function writeOffer(offer: Offer): string {
  if (typeof offer === 'string') return offer
  const q = (value: string) => `"${value.replace(/["\\]/g, '\\$&')}"`
  return [
    `Digest realm=${q(offer.realm)}`,
    ...(offer.opaque !== undefined ? [`opaque=${q(offer.opaque)}`] : []),
    `nonce=${q(offer.nonce)}`,
    ...(offer.algorithm !== undefined ? [`algorithm=${offer.algorithm}`] : []),
    ...(offer.qop !== undefined ? [`qop=${q(offer.qop)}`] : [])
  ].join(', ')
}

/**
 * `a="x", b=y` read strictly from left to right: each parameter in turn, quoted values with
 * their escapes removed, so a value can never be found inside another. Undefined when any part
 * does not parse or a name comes twice.
 */
function readAnswer(text: string): Record<string, string> | undefined {
  const answer: Record<string, string> = {}
  const parameter = /[ \t]*([A-Za-z0-9_-]+)=(?:"((?:[^"\\]|\\.)*)"|([^",\s]+))[ \t]*(?:,|$)/y
  while (parameter.lastIndex < text.length) {
    const match = parameter.exec(text)
    if (match === null) return undefined
    const name = match[1].toLowerCase()
    if (name in answer) return undefined
    answer[name] = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : match[3]
  }
  return answer
}
