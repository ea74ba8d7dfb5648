import { StrictDigestClient } from '../../src/auth/digest.js'
import {
  ChallengeSyntaxError,
  chooseDigestChallenge,
  parseChallenges,
  type Challenge
} from '../../src/auth/digest-challenge.js'
import type { BufferedResponse } from '../../src/http/transport.js'

/** Challenges as plain data, for toEqual. */
const plain = (challenges: Challenge[]) =>
  challenges.map(({ scheme, token68, params }) => ({
    scheme,
    ...(token68 !== undefined ? { token68 } : {}),
    params: Object.fromEntries(params)
  }))

const ATLAS =
  'Digest realm="MMS Public API", domain="", nonce="669gyxpgL6MGDuSZvQ80Spv3k+Jc99ed", algorithm=MD5, qop="auth", stale=false'

describe('parseChallenges (RFC 9110 §11)', () => {
  it("reads Atlas's challenge, nonce with + and / included", () => {
    expect(plain(parseChallenges(ATLAS))).toEqual([
      {
        scheme: 'Digest',
        params: {
          realm: 'MMS Public API',
          domain: '',
          nonce: '669gyxpgL6MGDuSZvQ80Spv3k+Jc99ed',
          algorithm: 'MD5',
          qop: 'auth',
          stale: 'false'
        }
      }
    ])
  })

  it("reads RFC 9110's own example: two challenges, an escaped quote, a token value", () => {
    const field = 'Newauth realm="apps", type=1, title="Login to \\"apps\\"", Basic realm="simple"'
    expect(plain(parseChallenges(field))).toEqual([
      { scheme: 'Newauth', params: { realm: 'apps', type: '1', title: 'Login to "apps"' } },
      { scheme: 'Basic', params: { realm: 'simple' } }
    ])
  })

  it('keeps spaces, commas, "=" and backslash escapes inside quoted values', () => {
    const field = 'Digest opaque="nonce=zzz", nonce="a b", realm="x, \\"y\\" \\\\ z", qop="auth, auth-int"'
    expect(plain(parseChallenges(field))[0].params).toEqual({
      opaque: 'nonce=zzz',
      nonce: 'a b',
      realm: 'x, "y" \\ z',
      qop: 'auth, auth-int'
    })
  })

  it('reads token68 challenges, bare schemes, empty list elements and spaces around "="', () => {
    const field = ' , Bearer abc/+d==, Negotiate,, Digest  realm = "r" ,nonce=n ,  , Basic realm="b"'
    expect(plain(parseChallenges(field))).toEqual([
      { scheme: 'Bearer', token68: 'abc/+d==', params: {} },
      { scheme: 'Negotiate', params: {} },
      { scheme: 'Digest', params: { realm: 'r', nonce: 'n' } },
      { scheme: 'Basic', params: { realm: 'b' } }
    ])
  })

  it('reads parameter names in any case as lower case', () => {
    expect(plain(parseChallenges('DIGEST Realm="r", NONCE="n"'))[0]).toEqual({
      scheme: 'DIGEST',
      params: { realm: 'r', nonce: 'n' }
    })
  })

  it('reads several header lines joined with ", " (as node:http and fetch join them) as one list', () => {
    const lines = ['Basic realm="a, b"', 'Digest realm="r", nonce="n", qop="auth"', 'Bearer t0k3n=']
    expect(plain(parseChallenges(lines.join(', '))).map(c => c.scheme)).toEqual(['Basic', 'Digest', 'Bearer'])
  })

  it.each([
    ['Digest realm="unterminated', 'unterminated quoted string', 13],
    ['Digest realm="r" nonce="n"', 'expected a comma after a parameter', 17],
    ['Digest realm="r", realm="s"', 'parameter "realm" given twice', 18],
    ['Digest realm="r", nonce=, qop="auth"', 'expected a parameter value', 24],
    ['Digest realm="a\nb"', 'invalid character in a quoted string', 15],
    ['Digest realm="a\\\nb"', 'invalid escape in a quoted string', 15],
    ['Digest realm "r"', 'expected "=" after a parameter name', 13],
    ['"Digest" realm="r"', 'expected an authentication scheme', 0],
    ['Basic realm="x" Digest', 'expected a comma after a parameter', 16]
  ])('refuses %j: %s', (field, reason, position) => {
    let error: unknown
    try {
      parseChallenges(field)
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(ChallengeSyntaxError)
    expect(error).toMatchObject({ reason, position })
  })

  it('reads back any list of challenges it is given, however it is written (2,000 generated fields)', () => {
    const seed = 20240607
    const random = mulberry32(seed)
    for (let round = 0; round < 2000; round++) {
      const challenges = Array.from({ length: 1 + int(random, 4) }, () => generateChallenge(random))
      const field = writeField(challenges, random)
      let parsed: ReturnType<typeof plain>
      try {
        parsed = plain(parseChallenges(field))
      } catch (error) {
        throw new Error(`seed ${seed} round ${round}: ${JSON.stringify(field)}: ${String(error)}`, {
          cause: error
        })
      }
      expect({ field, parsed }).toEqual({ field, parsed: plain(challenges) })
    }
  })
})

describe('chooseDigestChallenge', () => {
  const digest = (params: string) => `Digest realm="r", nonce="n-${params.length}", ${params}`

  it.each([
    [[digest('algorithm=MD5, qop="auth"'), digest('algorithm=SHA-256, qop="auth"')], 'SHA-256'],
    [
      [digest('algorithm=SHA-256, qop="auth"'), digest('algorithm=SHA-512-256-sess, qop="auth"')],
      'SHA-512-256-sess'
    ],
    [[digest('algorithm=SHA-256-sess, qop="auth"'), digest('algorithm=SHA-256, qop="auth"')], 'SHA-256-sess'],
    [['Basic realm="x"', digest('algorithm=md5-SESS, qop="auth"')], 'md5-SESS'],
    [[digest('algorithm=SHA-1, qop="auth"'), digest('algorithm=MD5, qop="auth"')], 'MD5'],
    [[digest('qop="auth"')], undefined]
  ])('picks the strongest supported of %j: %s', (offers, algorithm) => {
    const choice = chooseDigestChallenge(offers.join(', '))
    expect(choice.ok && choice.challenge.algorithm).toBe(algorithm)
  })

  it('reads the hash, -sess, and the qops it knows', () => {
    const choice = chooseDigestChallenge(
      digest('algorithm=SHA-512-256-sess, qop="auth-int, auth-conf, auth"')
    )
    expect(choice).toEqual({
      ok: true,
      challenge: {
        realm: 'r',
        nonce: expect.any(String),
        opaque: undefined,
        algorithm: 'SHA-512-256-sess',
        hash: 'sha512-256',
        session: true,
        qops: ['auth', 'auth-int']
      }
    })
  })

  it.each([
    ['Basic realm="x"', 'Basic'],
    ['', 'no challenge at all'],
    [digest('algorithm=SHA-1, qop="auth"'), 'Digest algorithm="SHA-1" qop="auth"'],
    [digest('qop="auth-conf"'), 'Digest qop="auth-conf"'],
    [digest('algorithm=MD5-sess'), 'Digest algorithm="MD5-sess"'],
    ['Digest nonce="n", qop="auth"', 'Digest qop="auth" no realm'],
    ['Digest realm="r", qop="auth"', 'Digest qop="auth" no nonce'],
    ['Digest abcdef==', 'Digest no realm no nonce a token68 instead of parameters'],
    [
      'Basic realm="x", Digest realm="r", nonce="n", algorithm="SHA-1\\"\\n"',
      'Basic; Digest algorithm="SHA-1\\"n"'
    ]
  ])('supports nothing in %j and says what was offered: %s', (field, offered) => {
    expect(chooseDigestChallenge(field)).toEqual({ ok: false, offered })
  })

  it('says where a field stops following the grammar', () => {
    expect(chooseDigestChallenge('Digest realm="r", nonce="n')).toEqual({
      ok: false,
      offered:
        'WWW-Authenticate could not be read, unterminated quoted string at character 25: "Digest realm=\\"r\\", nonce=\\"n"'
    })
  })
})

describe('the answer, checked against the example of RFC 7616 §3.9.1', () => {
  // The RFC's two challenges (SHA-256 first, then MD5) and the answers it gives for each.
  const challenge = (algorithm: string) =>
    `Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=${algorithm}, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`

  class RfcExampleClient extends StrictDigestClient {
    override makeNonce(): string {
      return 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ'
    }
  }

  /** The Authorization the client sends in answer to `field` (the RFC's Mufasa and password). */
  async function answerTo(field: string): Promise<string> {
    const sent: (string | undefined)[] = []
    const respond = (status: number): BufferedResponse => ({
      status,
      statusText: '',
      headers: { get: name => (name.toLowerCase() === 'www-authenticate' ? field : null) },
      text: async () => ''
    })
    const client = new RfcExampleClient('Mufasa', 'Circle of Life', async (_url, init) => {
      sent.push(new Headers(init.headers).get('authorization') ?? undefined)
      return respond(sent.length === 1 ? 401 : 200)
    })
    await client.fetch('http://www.example.org/dir/index.html')
    return sent[1] ?? ''
  }

  it.each([
    [
      [challenge('SHA-256'), challenge('MD5')],
      'SHA-256',
      '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1'
    ],
    [[challenge('MD5')], 'MD5', '8ca523f5e9506fed4657c9700eebdbec']
  ])('answers %j with %s and the response the RFC gives', async (lines, algorithm, response) => {
    expect(await answerTo(lines.join(', '))).toBe(
      `Digest username="Mufasa", realm="http-auth@example.org", nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", uri="/dir/index.html", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS", qop=auth, nc=00000001, cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", algorithm=${algorithm}, response="${response}"`
    )
  })

  it('escapes quotes and backslashes in what it echoes, and keeps spaces', async () => {
    const answer = await answerTo(
      'Digest realm="a \\"b\\" \\\\c", nonce="x y", opaque="nonce=zzz", qop="auth"'
    )
    expect(answer).toContain(
      'realm="a \\"b\\" \\\\c", nonce="x y", uri="/dir/index.html", opaque="nonce=zzz"'
    )
  })
})

// --- generated fields -------------------------------------------------------------------

type Random = () => number

/** A small seeded PRNG, so a failing round can be replayed from its seed. */
function mulberry32(seed: number): Random {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const int = (random: Random, below: number) => Math.floor(random() * below)
const pick = <T>(random: Random, items: readonly T[]): T => items[int(random, items.length)]
const string = (random: Random, alphabet: string, min: number, max: number) =>
  Array.from({ length: min + int(random, max - min + 1) }, () => pick(random, [...alphabet])).join('')

const TCHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
const TOKEN68_CHARS = 'abcXYZ019-._~+/'
// Anything a quoted-string may hold: space, tab, punctuation that matters, and obs-text.
const VALUE_CHARS = 'aZ09 \t,;="\\=/+:nonce\u00e9\u00ff'

function generateChallenge(random: Random): Challenge {
  const scheme = string(random, TCHARS, 1, 8)
  if (random() < 0.2)
    return {
      scheme,
      token68: string(random, TOKEN68_CHARS, 1, 8) + '='.repeat(int(random, 3)),
      params: new Map()
    }
  const params = new Map<string, string>()
  const count = int(random, 5)
  while (params.size < count)
    params.set(string(random, TCHARS, 1, 6).toLowerCase(), string(random, VALUE_CHARS, 0, 10))
  return { scheme, params }
}

function writeField(challenges: Challenge[], random: Random): string {
  const ows = () => pick(random, ['', '', ' ', '  ', '\t'])
  const comma = () => `${ows()},${ows()}${random() < 0.1 ? `,${ows()}` : ''}`
  const value = (text: string) =>
    /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(text) && random() < 0.5
      ? text
      : `"${[...text].map(ch => (ch === '"' || ch === '\\' || random() < 0.1 ? `\\${ch}` : ch)).join('')}"`
  const name = (text: string) => [...text].map(ch => (random() < 0.5 ? ch.toUpperCase() : ch)).join('')
  const write = (c: Challenge) => {
    if (c.token68 !== undefined) return `${c.scheme} ${c.token68}`
    if (c.params.size === 0) return c.scheme
    const params = [...c.params].map(([n, v]) => `${name(n)}${ows()}=${ows()}${value(v)}`)
    return `${c.scheme}${pick(random, [' ', '  '])}${params.map((p, i) => (i === 0 ? p : `${comma()}${p}`)).join('')}`
  }
  return `${random() < 0.2 ? comma() : ''}${challenges
    .map(write)
    .map((c, i) => (i === 0 ? c : `${comma()}${c}`))
    .join('')}${random() < 0.2 ? comma() : ''}`
}
