import { quote } from '../common/text.js'

/**
 * Reading `WWW-Authenticate` exactly (RFC 9110 §11), and choosing the Digest challenge to
 * answer (RFC 7616).
 *
 * The grammar:
 *   WWW-Authenticate = #challenge                  (comma-separated; empty elements allowed)
 *   challenge   = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
 *   auth-param  = token BWS "=" BWS ( token / quoted-string )
 *   token68     = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
 *   quoted-string = DQUOTE *( qdtext / "\" ( HTAB / SP / VCHAR / obs-text ) ) DQUOTE
 *
 * Commas separate challenges and also the parameters inside one, so a list element that is
 * `token =` continues the current challenge and any other token starts a new one. Several
 * header lines are one list joined with ", " (RFC 9110 §5.3), which this parser reads the
 * same as one line: node:http and fetch both join them that way.
 */

/** One challenge: a scheme and either a token68 or named parameters. */
export interface Challenge {
  /** As sent; schemes compare case-insensitively. */
  scheme: string
  token68?: string
  /** Parameter names in lower case; values with quotes and backslash escapes removed. */
  params: Map<string, string>
}

/** The field does not follow the grammar; `position` is the 0-based character where it stopped. */
export class ChallengeSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly position: number
  ) {
    super(`${reason} at character ${position + 1}`)
    this.name = 'ChallengeSyntaxError'
  }
}

const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/
const TOKEN68 = /[A-Za-z0-9\-._~+/]+=*/y
// qdtext and the characters a quoted-pair may escape: HTAB, SP, VCHAR, obs-text.
const QUOTABLE = /[\t\x20-\x7e\x80-\xff]/

/** Every challenge in a `WWW-Authenticate` field value, in order. */
export function parseChallenges(field: string): Challenge[] {
  return new ChallengeReader(field).challenges()
}

class ChallengeReader {
  private at = 0

  constructor(private readonly text: string) {}

  challenges(): Challenge[] {
    const found: Challenge[] = []
    this.skipSeparators()
    while (!this.ended()) {
      found.push(this.challenge())
      this.skipWhitespace()
      if (!this.ended() && this.peek() !== ',') throw this.error('expected a comma between challenges')
      this.skipSeparators()
    }
    return found
  }

  /** One challenge; stops at the comma (or end) that follows it. */
  private challenge(): Challenge {
    const scheme = this.token('an authentication scheme')
    const challenge: Challenge = { scheme, params: new Map() }
    if (this.ended() || this.peek() === ',') return challenge
    if (this.skipWhitespace() === 0) throw this.error('expected a space after the scheme')
    if (this.ended() || this.peek() === ',') return challenge

    const token68 = this.token68()
    if (token68 !== undefined) {
      challenge.token68 = token68
      return challenge
    }
    for (;;) {
      this.param(challenge.params)
      this.skipWhitespace()
      if (this.ended()) return challenge
      if (this.peek() !== ',') throw this.error('expected a comma after a parameter')
      // The next list element is another parameter of this challenge (`name =`) or a new one.
      const comma = this.at
      this.skipSeparators()
      if (this.ended() || !this.paramFollows()) {
        this.at = comma
        return challenge
      }
    }
  }

  /** A token68 that makes up the rest of the challenge (up to a comma or the end), if it is one. */
  private token68(): string | undefined {
    TOKEN68.lastIndex = this.at
    const match = TOKEN68.exec(this.text)
    if (!match) return undefined
    const after = this.at + match[0].length
    const rest = /^[ \t]*(,|$)/.exec(this.text.slice(after))
    if (!rest) return undefined
    this.at = after
    return match[0]
  }

  private param(params: Map<string, string>): void {
    const start = this.at
    const name = this.token('a parameter name').toLowerCase()
    this.skipWhitespace()
    if (this.peek() !== '=') throw this.error('expected "=" after a parameter name')
    this.at += 1
    this.skipWhitespace()
    const value = this.peek() === '"' ? this.quotedString() : this.token('a parameter value')
    if (params.has(name)) throw new ChallengeSyntaxError(`parameter "${name}" given twice`, start)
    params.set(name, value)
  }

  /** Whether the next list element is `token BWS "="`, a parameter of the current challenge. */
  private paramFollows(): boolean {
    let i = this.at
    while (i < this.text.length && TCHAR.test(this.text[i])) i += 1
    if (i === this.at) return false
    while (this.text[i] === ' ' || this.text[i] === '\t') i += 1
    // A new challenge is a scheme then a space (or a comma, or the end), never `token =`.
    return this.text[i] === '='
  }

  private quotedString(): string {
    const start = this.at
    this.at += 1
    let value = ''
    while (!this.ended()) {
      const ch = this.text[this.at]
      if (ch === '"') {
        this.at += 1
        return value
      }
      if (ch === '\\') {
        const escaped = this.text[this.at + 1]
        if (escaped === undefined || !QUOTABLE.test(escaped))
          throw this.error('invalid escape in a quoted string')
        value += escaped
        this.at += 2
        continue
      }
      if (!QUOTABLE.test(ch)) throw this.error('invalid character in a quoted string')
      value += ch
      this.at += 1
    }
    throw new ChallengeSyntaxError('unterminated quoted string', start)
  }

  private token(what: string): string {
    const start = this.at
    while (!this.ended() && TCHAR.test(this.text[this.at])) this.at += 1
    if (this.at === start) throw this.error(`expected ${what}`)
    return this.text.slice(start, this.at)
  }

  /** Skips commas and whitespace between list elements (empty elements are allowed). */
  private skipSeparators(): void {
    while (!this.ended() && /[ \t,]/.test(this.text[this.at])) this.at += 1
  }

  private skipWhitespace(): number {
    const start = this.at
    while (this.peek() === ' ' || this.peek() === '\t') this.at += 1
    return this.at - start
  }

  private peek(): string | undefined {
    return this.text[this.at]
  }

  private ended(): boolean {
    return this.at >= this.text.length
  }

  private error(reason: string): ChallengeSyntaxError {
    return new ChallengeSyntaxError(reason, this.at)
  }
}

/** A Digest challenge this client can answer, read from its parameters. */
export interface DigestChallenge {
  realm: string
  nonce: string
  /** Echoed verbatim when sent. */
  opaque?: string
  /** The `algorithm` parameter as sent (echoed in the answer); undefined when absent (MD5). */
  algorithm?: string
  /** The node:crypto name of the hash. */
  hash: DigestHash
  /** A -sess algorithm: HA1 also covers the nonce and the client nonce. */
  session: boolean
  /** The qop values offered that this client knows ('auth', 'auth-int'); empty when no qop was sent. */
  qops: string[]
}

export type DigestHash = 'md5' | 'sha256' | 'sha512-256'

/** The algorithms of RFC 7616 §3.3, weakest first; each also comes as `<name>-sess`. */
const HASHES: ReadonlyArray<[name: string, hash: DigestHash]> = [
  ['MD5', 'md5'],
  ['SHA-256', 'sha256'],
  ['SHA-512-256', 'sha512-256']
]
const QOPS = ['auth', 'auth-int']

export type DigestChoice = { ok: true; challenge: DigestChallenge } | { ok: false; offered: string }

/**
 * The Digest challenge to answer among those in a `WWW-Authenticate` field: the strongest hash
 * offered that this client supports (SHA-512-256, then SHA-256, then MD5; a -sess variant
 * counts as its hash), the server's order deciding between equals (RFC 7616 §3.7: the first one
 * supported). Any other scheme (Basic above all) is never chosen, and a Digest challenge is
 * never answered with less than it asks for: an unknown algorithm or qop makes that challenge
 * unsupported rather than read as MD5 or as no qop. When none is supported, `offered` says what
 * was, for the error message.
 */
export function chooseDigestChallenge(field: string): DigestChoice {
  let challenges: Challenge[]
  try {
    challenges = parseChallenges(field)
  } catch (error) {
    if (!(error instanceof ChallengeSyntaxError)) throw error
    return {
      ok: false,
      offered: `WWW-Authenticate could not be read, ${error.message}: ${quote(field, 300)}`
    }
  }
  let best: { challenge: DigestChallenge; rank: number } | undefined
  for (const challenge of challenges) {
    const digest = readDigest(challenge)
    if (digest === undefined) continue
    const rank = HASHES.findIndex(([, hash]) => hash === digest.hash) * 2 + (digest.qops.length > 0 ? 1 : 0)
    if (best === undefined || rank > best.rank) best = { challenge: digest, rank }
  }
  if (best !== undefined) return { ok: true, challenge: best.challenge }
  const offered = challenges.map(describe).join('; ')
  return { ok: false, offered: offered === '' ? 'no challenge at all' : offered }
}

/** A challenge as a Digest challenge this client supports, or undefined. */
function readDigest(challenge: Challenge): DigestChallenge | undefined {
  if (challenge.scheme.toLowerCase() !== 'digest' || challenge.token68 !== undefined) return undefined
  const { params } = challenge
  const realm = params.get('realm')
  const nonce = params.get('nonce')
  if (realm === undefined || nonce === undefined || nonce === '') return undefined

  const algorithm = params.get('algorithm')
  const name = (algorithm ?? 'MD5').toUpperCase()
  const session = name.endsWith('-SESS')
  const hash = HASHES.find(([known]) => known === (session ? name.slice(0, -5) : name))?.[1]
  if (hash === undefined) return undefined

  const qop = params.get('qop')
  const offeredQops = qop === undefined ? [] : qop.split(',').map(value => value.trim().toLowerCase())
  const qops = QOPS.filter(known => offeredQops.includes(known))
  // A qop list with nothing we know would be answered without qop: less than was asked.
  if (qop !== undefined && qops.length === 0) return undefined
  // -sess needs the client nonce, which is only sent with a qop (RFC 7616 §3.4.2).
  if (session && qops.length === 0) return undefined

  return { realm, nonce, opaque: params.get('opaque'), algorithm, hash, session, qops }
}

/** `Digest algorithm="SHA-1" qop="auth-conf"` or `Basic`: what a person needs to see of a challenge. */
function describe(challenge: Challenge): string {
  // A scheme is a token: nothing in it can break a log line.
  if (challenge.scheme.toLowerCase() !== 'digest') return challenge.scheme.slice(0, 40)
  const shown = ['algorithm', 'qop']
    .filter(name => challenge.params.has(name))
    .map(name => `${name}=${quote(challenge.params.get(name) ?? '', 60)}`)
  if (!challenge.params.has('realm')) shown.push('no realm')
  if (!challenge.params.has('nonce') || challenge.params.get('nonce') === '') shown.push('no nonce')
  if (challenge.token68 !== undefined) shown.push('a token68 instead of parameters')
  return ['Digest', ...shown].join(' ')
}
