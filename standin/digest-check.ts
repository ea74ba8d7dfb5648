/**
 * The server side of HTTP Digest as Atlas speaks it: the challenge and 401 body recorded from
 * Atlas traffic, the state of every nonce it handed out, and the check of each answer (MD5,
 * qop=auth, nc strictly counted per nonce when asked, a used nonce refused when single-use).
 */
import { createHash, randomBytes } from 'node:crypto'
import type http from 'node:http'
import type { StandinOptions } from './atlas-types.js'

export const REALM = 'MMS Public API'
/** Atlas's 401 body, for a challenge and for a wrong key alike. */
export const UNAUTHORIZED_BODY =
  '{"error":401,"reason":"Unauthorized","detail":"You are not authorized for this resource.","errorCode":"UNEXPECTED_ERROR"}'

interface NonceState {
  lastNc: number
  used: boolean
}

/** The verdict on one Digest answer; `reason` is for test failures. */
export type DigestVerdict =
  | { ok: true; nc: string; nonce: string }
  | { ok: false; stale: boolean; reason: string; nc?: string; nonce?: string }

export class DigestCheck {
  private readonly nonces = new Map<string, NonceState>()

  constructor(
    private readonly options: Pick<
      StandinOptions,
      'publicKey' | 'privateKey' | 'nonces' | 'strictNc' | 'staleOnRefusal'
    >
  ) {}

  /** Answers 401 with a fresh nonce. */
  challenge(response: http.ServerResponse, stale: boolean): void {
    // 24 random bytes in base64: 32 characters that can hold '+' and '/', like Atlas's nonces.
    const nonce = randomBytes(24).toString('base64')
    this.nonces.set(nonce, { lastNc: 0, used: false })
    response.writeHead(401, {
      'Content-Type': 'application/json',
      'Www-Authenticate': `Digest realm="${REALM}", domain="", nonce="${nonce}", algorithm=MD5, qop="auth", stale=${stale}`
    })
    response.end(UNAUTHORIZED_BODY)
  }

  /** Checks a Digest answer as RFC 7616 (MD5, qop=auth) says; the reason is for test failures. */
  check(method: string, url: string, header: string | undefined): DigestVerdict {
    if (!header) return { ok: false, stale: false, reason: 'no Authorization header' }
    if (!/^Digest\s/i.test(header)) return { ok: false, stale: false, reason: 'not a Digest answer' }
    const fields = parseDigestFields(header.slice(7))
    const { username, realm, nonce, uri, qop, nc, cnonce, response, algorithm } = fields
    const refuse = (reason: string, stale = false) => ({ ok: false as const, stale, reason, nc, nonce })
    if (username !== this.options.publicKey) return refuse(`unknown user ${username}`)
    if (realm !== REALM) return refuse(`wrong realm ${realm}`)
    if (algorithm !== undefined && algorithm.toUpperCase() !== 'MD5') return refuse(`algorithm ${algorithm}`)
    if (uri !== url) return refuse(`uri ${uri} is not the request target ${url}`)
    if (qop !== 'auth') return refuse(`qop ${qop}`)
    if (!nc || !/^[0-9a-f]{8}$/.test(nc)) return refuse(`nc ${nc} is not 8 lowercase hex digits`)
    if (!cnonce) return refuse('no cnonce')
    const state = nonce ? this.nonces.get(nonce) : undefined
    if (!nonce || !state) return refuse(`unknown nonce ${nonce}`, true)

    const ha1 = md5(`${username}:${REALM}:${this.options.privateKey}`)
    const ha2 = md5(`${method}:${uri}`)
    const expected = md5(`${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`)
    if (response !== expected) return refuse('wrong response hash (wrong key pair)')

    if ((this.options.nonces ?? 'reuse') === 'single-use' && state.used) {
      return refuse('nonce already used', this.options.staleOnRefusal ?? true)
    }
    const count = parseInt(nc, 16)
    if ((this.options.strictNc ?? true) && count !== state.lastNc + 1) {
      return refuse(`nc ${nc} after ${state.lastNc.toString(16).padStart(8, '0')} on this nonce`)
    }
    if (count <= state.lastNc) return refuse(`nc ${nc} replayed`)
    state.lastNc = count
    state.used = true
    return { ok: true, nc, nonce }
  }
}

/** `a="x", b=y` → {a: 'x', b: 'y'}; quoted values may hold commas. */
export function parseDigestFields(text: string): Record<string, string | undefined> {
  const fields: Record<string, string> = {}
  const pattern = /([a-zA-Z]+)=("((?:[^"\\]|\\.)*)"|[^,\s]*)/g
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    fields[match[1].toLowerCase()] = match[3] !== undefined ? match[3].replace(/\\(.)/g, '$1') : match[2]
  }
  return fields
}

function md5(text: string): string {
  return createHash('md5').update(text).digest('hex')
}
