import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import DigestClient from 'digest-fetch'
import { ApiKeyAuthenticator, MAX_DIGEST_SESSIONS } from '../../src/auth/api-key.js'
import { StrictDigestClient } from '../../src/auth/digest.js'
import { Deadline, systemClock } from '../../src/common/clock.js'
import { AtlasApiError } from '../../src/common/errors.js'
import { nodeHttpFetch } from '../../src/http/node-http.js'
import { createTransport, type FetchLike, type Send } from '../../src/http/transport.js'
import type { AtlasStandin } from '../../standin/atlas-standin.js'
import { DigestServer, type Offer, type OfferedDigest } from '../../standin/digest-server.js'
import { FakeClock } from '../helpers/fake-clock.js'
import { clientFor, startStandin, waitAgainst } from '../helpers/harness.js'
import { IDS } from '../helpers/ids.js'

const run = promisify(execFile)
let standin: AtlasStandin | undefined
let server: DigestServer | undefined
afterEach(async () => {
  await standin?.stop()
  await server?.stop()
  standin = server = undefined
})

const endpointUrl = (s: AtlasStandin | undefined): string =>
  `${s?.baseUrl}/groups/${IDS.projectId}/privateEndpoint/${IDS.privateLinkId}/interfaceEndpoints/${IDS.interfaceEndpointId}`

describe('the stand-in speaks Digest like Atlas (checked with curl, a client nobody here wrote)', () => {
  it('lets curl --digest in with the right key pair', async () => {
    standin = await startStandin()
    const { stdout } = await run('curl', [
      '--silent',
      '--digest',
      '--user',
      `${IDS.publicKey}:${IDS.privateKey}`,
      '--header',
      'Accept: application/json',
      '--write-out',
      '\n%{http_code}',
      endpointUrl(standin)
    ])
    const [body, code] = stdout.split('\n')
    expect(code).toBe('200')
    expect(JSON.parse(body)).toMatchObject({ connectionStatus: 'AVAILABLE' })
    expect(standin.requests.map(r => r.status)).toEqual([401, 200])
  })

  it('refuses curl with a wrong password, with the Atlas challenge and body', async () => {
    standin = await startStandin()
    const { stdout } = await run('curl', [
      '--silent',
      '--include',
      '--digest',
      '--user',
      `${IDS.publicKey}:wrong-password`,
      endpointUrl(standin)
    ])
    expect(stdout).toMatch(/^HTTP\/1\.1 401/m)
    expect(stdout).toMatch(
      /Www-Authenticate: Digest realm="MMS Public API", domain="", nonce="[A-Za-z0-9+/=]+", algorithm=MD5, qop="auth", stale=false/i
    )
    expect(stdout).toContain('"errorCode":"UNEXPECTED_ERROR"')
    expect(standin.requests.at(-1)?.refused).toMatch(/wrong response hash/)
  })
})

describe('StrictDigestClient', () => {
  it('reuses one challenge across polls: N polls cost N + 1 requests', async () => {
    standin = await startStandin({ script: [{ status: 'PENDING', times: 9 }, { status: 'AVAILABLE' }] })
    const result = await waitAgainst(standin, { clock: new FakeClock() })
    expect(result.outcome).toBe('reached')
    expect(result.attempts).toBe(10)
    expect(standin.requests).toHaveLength(11)
  })

  it('counts nc in 8 hex digits from 00000001, past 16 polls, against a server that checks it strictly', async () => {
    standin = await startStandin({
      strictNc: true,
      script: [{ status: 'PENDING', times: 19 }, { status: 'AVAILABLE' }]
    })
    const result = await waitAgainst(standin, { clock: new FakeClock() })
    expect(result.outcome).toBe('reached')
    expect(result.attempts).toBe(20)
    const counts = standin.requests.filter(r => r.authorized).map(r => r.nc)
    expect(counts[0]).toBe('00000001')
    expect(counts[9]).toBe('0000000a')
    expect(counts[15]).toBe('00000010')
    expect(counts[19]).toBe('00000014')
    expect(standin.requests.filter(r => r.status === 401)).toHaveLength(1)
  })

  it.each([true, false])(
    'answers a fresh challenge once when the server refuses every reused nonce (stale=%s)',
    async stale => {
      standin = await startStandin({
        nonces: 'single-use',
        staleOnRefusal: stale,
        script: [{ status: 'PENDING', times: 4 }, { status: 'AVAILABLE' }]
      })
      const result = await waitAgainst(standin, { clock: new FakeClock(), maxRetries: 0 })
      expect(result.outcome).toBe('reached')
      expect(result.attempts).toBe(5)
      // Each poll: the used nonce is refused, the fresh one answered, and it starts at nc 1.
      expect(standin.requests).toHaveLength(10)
      expect(standin.requests.filter(r => r.authorized).every(r => r.nc === '00000001')).toBe(true)
    }
  )

  it('fails on wrong keys within seconds and at most 3 requests, with the hint about the key pair', async () => {
    standin = await startStandin()
    const { client } = clientFor(standin, { privateKey: 'ffffffff-0000-0000-0000-000000000000' })
    const started = performance.now()
    const error = await client.readEndpoint(IDS.interfaceEndpointId).catch((e: unknown) => e)
    expect(performance.now() - started).toBeLessThan(3000)
    expect(error).toBeInstanceOf(AtlasApiError)
    expect((error as AtlasApiError).httpStatus).toBe(401)
    expect((error as Error).message).toMatch(/UNEXPECTED_ERROR.*not authorized.*key pair is wrong/s)
    expect(standin.requests.length).toBeLessThanOrEqual(3)
  })

  it('draws a fresh 32-hex-digit client nonce from crypto for each challenge', async () => {
    standin = await startStandin({ nonces: 'single-use' })
    const seen: string[] = []
    const digest = new StrictDigestClient(IDS.publicKey, IDS.privateKey, async (url, init) => {
      const header = new Headers(init.headers).get('authorization')
      const cnonce = header ? /cnonce="([^"]+)"/.exec(header)?.[1] : undefined
      if (cnonce) seen.push(cnonce)
      return fetch(url, init)
    })
    for (let i = 0; i < 3; i++) expect((await digest.fetch(endpointUrl(standin))).status).toBe(200)
    expect(seen.length).toBeGreaterThanOrEqual(3)
    for (const cnonce of seen) expect(cnonce).toMatch(/^[0-9a-f]{32}$/)
    // One cnonce per challenge: three challenges (one per request on single-use nonces).
    expect(new Set(seen).size).toBe(3)
  })

  it("accepts a URL object and leaves the caller's headers untouched", async () => {
    standin = await startStandin()
    const digest = new StrictDigestClient(IDS.publicKey, IDS.privateKey, (url, init) => fetch(url, init))
    const headers = { Accept: 'application/json' }
    const response = await digest.fetch(new URL(endpointUrl(standin)), { headers })
    expect(response.status).toBe(200)
    expect(headers).toEqual({ Accept: 'application/json' })
  })
})

describe('StrictDigestClient with a gate (two requests of one session at once)', () => {
  it('counts nc in the order requests are handed to the connection, whatever order they leave the gate in', async () => {
    const challenge =
      'Digest realm="MMS Public API", domain="", nonce="abc+/def", algorithm=MD5, qop="auth", stale=false'
    /** What reached the "connection", in order: each request's nc as it was handed over. */
    const written: string[] = []
    const send: Send = async (_url, init) => {
      const authorization = (init.headers as Record<string, string> | undefined)?.Authorization ?? ''
      written.push(/nc=([0-9a-f]{8})/.exec(authorization)?.[1] ?? 'none')
      await new Promise(resolve => setTimeout(resolve, 5))
      const status = authorization ? 200 : 401
      return {
        status,
        statusText: '',
        headers: {
          get: (name: string) => (name === 'www-authenticate' && status === 401 ? challenge : null)
        },
        text: async () => '{}'
      }
    }
    // The gate lets waiting requests go in the reverse order of their arrival (the worst case
    // after a 429's pause: timers of different lengths ending together).
    const waiting: (() => void)[] = []
    const gate = () => new Promise<void>(resolve => waiting.push(resolve))
    const digest = new StrictDigestClient(IDS.publicKey, IDS.privateKey, send, { gate })
    const first = digest.fetch('http://atlas.test/a')
    waiting.shift()?.()
    await new Promise(resolve => setTimeout(resolve, 30))
    waiting.shift()?.() // the answer to the challenge
    expect((await first).status).toBe(200)
    const reads = [
      digest.fetch('http://atlas.test/b'),
      digest.fetch('http://atlas.test/c'),
      digest.fetch('http://atlas.test/d')
    ]
    await new Promise(resolve => setTimeout(resolve, 1))
    for (const open of waiting.splice(0).reverse()) open()
    expect((await Promise.all(reads)).map(r => r.status)).toEqual([200, 200, 200])
    // Handed over in nc order: the nc is taken when the request goes, not when it queued.
    expect(written).toEqual(['none', '00000001', '00000002', '00000003', '00000004'])
  })
})

describe('concurrent reads with one API key (Digest sessions)', () => {
  const ids = Array.from({ length: 10 }, (_, i) => `vpce-${(i + 1).toString(16).padStart(17, '0')}`)

  async function serve(options: Parameters<typeof startStandin>[0] = {}): Promise<AtlasStandin> {
    standin = await startStandin({ endpoints: ids.map(id => ({ id })), latencyMs: 20, ...options })
    return standin
  }

  function authenticator(privateKey: string = IDS.privateKey): ApiKeyAuthenticator {
    return new ApiKeyAuthenticator({
      publicKey: IDS.publicKey,
      privateKey,
      send: createTransport({
        fetch: nodeHttpFetch,
        requestTimeoutMs: 5_000,
        deadline: new Deadline(systemClock, systemClock.now(), 60_000),
        signal: new AbortController().signal
      })
    })
  }

  /** One check: every endpoint read at once; the status of each. */
  const check = (s: AtlasStandin, auth: ApiKeyAuthenticator): Promise<number[]> =>
    Promise.all(
      ids.map(
        async id =>
          (await auth.send(s.endpointUrl('v1.0', id), { headers: { Accept: 'application/json' } })).status
      )
    )

  /** The nonce counts each nonce received, in arrival order. */
  function countsPerNonce(s: AtlasStandin): string[][] {
    const perNonce = new Map<string, string[]>()
    for (const r of s.requests)
      if (r.authorized && r.nonce) perNonce.set(r.nonce, [...(perNonce.get(r.nonce) ?? []), r.nc ?? ''])
    return [...perNonce.values()]
  }

  it(`answers 10 concurrent reads on a strict-nc server with at most ${MAX_DIGEST_SESSIONS} challenges, then none`, async () => {
    const s = await serve({ strictNc: true })
    const auth = authenticator()
    expect(await check(s, auth)).toEqual(ids.map(() => 200))
    expect(auth.sessionCount).toBe(MAX_DIGEST_SESSIONS)
    expect(s.requests.filter(r => r.status === 401)).toHaveLength(MAX_DIGEST_SESSIONS)
    expect(s.requests.every(r => r.status === 200 || r.auth === 'none')).toBe(true) // no 401 to an answer
    expect(s.maxInFlight).toBeLessThanOrEqual(MAX_DIGEST_SESSIONS)

    // Two more checks: every session reuses its nonce, its nc rising by one per request.
    expect(await check(s, auth)).toEqual(ids.map(() => 200))
    expect(await check(s, auth)).toEqual(ids.map(() => 200))
    expect(s.requests).toHaveLength(3 * ids.length + MAX_DIGEST_SESSIONS)
    const counts = countsPerNonce(s)
    expect(counts).toHaveLength(MAX_DIGEST_SESSIONS)
    expect(counts.flat()).toHaveLength(30)
    for (const nc of counts) expect(nc).toEqual(nc.map((_, i) => (i + 1).toString(16).padStart(8, '0')))
  })

  it.each([1, 2, 3, 4, 10])('keeps N checks of %i endpoints at K×N + min(K, 4) requests at most', async k => {
    const s = await serve({ strictNc: true, endpoints: ids.slice(0, k).map(id => ({ id })) })
    const auth = authenticator()
    const n = 5
    for (let i = 0; i < n; i++) {
      const statuses = await Promise.all(
        ids.slice(0, k).map(async id => (await auth.send(s.endpointUrl('v1.0', id), {})).status)
      )
      expect(statuses.every(status => status === 200)).toBe(true)
    }
    expect(s.requests.length).toBeLessThanOrEqual(k * n + Math.min(k, 4))
    if (k === 1) expect(s.requests).toHaveLength(n + 1)
  })

  it('costs exactly 2 requests per read when the server refuses every reused nonce', async () => {
    const s = await serve({ nonces: 'single-use' })
    const auth = authenticator()
    expect(await check(s, auth)).toEqual(ids.map(() => 200))
    expect(await check(s, auth)).toEqual(ids.map(() => 200))
    expect(s.requests).toHaveLength(2 * 2 * ids.length)
    expect(s.requests.filter(r => r.status === 200)).toHaveLength(2 * ids.length)
    // Each fresh nonce is answered once, from nc 00000001.
    expect(countsPerNonce(s).every(nc => nc.length === 1 && nc[0] === '00000001')).toBe(true)
  })

  it('reads concurrently through the Atlas client too, in the order asked', async () => {
    const s = await serve({
      strictNc: true,
      endpoints: ids.map((id, i) => ({ id, script: [{ status: i % 2 ? 'PENDING' : 'AVAILABLE' }] }))
    })
    const { client } = clientFor(s)
    const states = await Promise.all(ids.map(id => client.readEndpoint(id)))
    expect(states.map(state => state.status)).toEqual(ids.map((_, i) => (i % 2 ? 'PENDING' : 'AVAILABLE')))
    expect(s.requests.filter(r => r.status === 401).length).toBeLessThanOrEqual(MAX_DIGEST_SESSIONS)
  })

  it('hands back each 401 with wrong keys, at most 2 requests per read', async () => {
    const s = await serve()
    const auth = authenticator('ffffffff-0000-0000-0000-000000000000')
    expect(await check(s, auth)).toEqual(ids.map(() => 401))
    expect(s.requests.length).toBeLessThanOrEqual(2 * ids.length)
    expect(s.authorizedCount).toBe(0)
  })
})

describe('stock digest-fetch 3.1.1 (why the subclass exists)', () => {
  it('sends a decimal nc that a strict server refuses on the 10th request of a nonce', async () => {
    standin = await startStandin({ strictNc: true })
    const stock = new DigestClient(IDS.publicKey, IDS.privateKey)
    const statuses: number[] = []
    for (let i = 0; i < 10; i++) statuses.push((await stock.fetch(endpointUrl(standin))).status)
    expect(statuses.slice(0, 9).every(s => s === 200)).toBe(true)
    expect(statuses[9]).not.toBe(200)
    expect(standin.requests.some(r => r.refused?.includes('nc 00000010 after 00000009'))).toBe(true)
  })

  it('does not restart nc on a fresh nonce, so a single-use-nonce server refuses it', async () => {
    standin = await startStandin({ nonces: 'single-use' })
    const stock = new DigestClient(IDS.publicKey, IDS.privateKey)
    expect((await stock.fetch(endpointUrl(standin))).status).toBe(200)
    expect((await stock.fetch(endpointUrl(standin))).status).toBe(401)
  })
})

describe('unusual Digest challenges, against a server that checks every answer with its own code', () => {
  const USER = 'abcdefgh'
  const PASSWORD = '01234567-89ab-cdef-0123-456789abcdef'
  const digest = (offer: Partial<OfferedDigest> = {}): OfferedDigest => ({
    realm: 'r',
    nonce: 'n-1',
    qop: 'auth',
    ...offer
  })

  /** The real sending stack: transport (timeouts, size limit) over node:http, or over global fetch. */
  function realSend(fetch: FetchLike = nodeHttpFetch): Send {
    return createTransport({
      fetch,
      requestTimeoutMs: 5_000,
      deadline: new Deadline(systemClock, systemClock.now(), 60_000),
      signal: new AbortController().signal
    })
  }

  async function serve(lines: Offer[][]): Promise<DigestServer> {
    server = await new DigestServer({ user: USER, password: PASSWORD, lines }).start()
    return server
  }

  /** `reads` reads through one client; the status of each. */
  async function read(s: DigestServer, reads: number, send = realSend()): Promise<number[]> {
    const client = new StrictDigestClient(USER, PASSWORD, send)
    const statuses: number[] = []
    for (let i = 0; i < reads; i++) statuses.push((await client.fetch(`${s.baseUrl}/v1/resource?x=1`)).status)
    return statuses
  }

  it.each<[string, Offer[][], RegExp]>([
    ['Basic before Digest in one header line', [['Basic realm="x"', digest()]], /^Digest .*nonce="n-1"/],
    ['Basic before Digest in two header lines', [['Basic realm="x"'], [digest()]], /^Digest .*nonce="n-1"/],
    ['a token68 challenge before Digest', [['Bearer abc+/==', digest()]], /^Digest /],
    ['algorithm=SHA-256', [[digest({ algorithm: 'SHA-256' })]], /algorithm=SHA-256, /],
    ['algorithm=MD5-sess', [[digest({ algorithm: 'MD5-sess' })]], /algorithm=MD5-sess, /],
    ['algorithm=SHA-256-sess', [[digest({ algorithm: 'SHA-256-sess' })]], /algorithm=SHA-256-sess, /],
    ['algorithm=SHA-512-256', [[digest({ algorithm: 'SHA-512-256' })]], /algorithm=SHA-512-256, /],
    [
      'algorithm=SHA-512-256-sess',
      [[digest({ algorithm: 'SHA-512-256-sess' })]],
      /algorithm=SHA-512-256-sess, /
    ],
    [
      'qop="auth-int" only (a GET: the hash of an empty body)',
      [[digest({ qop: 'auth-int' })]],
      /qop=auth-int, /
    ],
    ['qop="auth-int, auth" (auth preferred)', [[digest({ qop: 'auth-int, auth' })]], /qop=auth, /],
    ['nonce="a b"', [[digest({ nonce: 'a b' })]], /nonce="a b"/],
    [
      'opaque="nonce=zzz" before the nonce',
      [[digest({ opaque: 'nonce=zzz', nonce: 'n-2' })]],
      /nonce="n-2".*opaque="nonce=zzz"/
    ],
    [
      'quoted values holding commas, quotes and backslashes',
      [[digest({ realm: 'a, "b"', nonce: 'c\\d, e=f', opaque: '"' })]],
      /realm="a, \\"b\\"", nonce="c\\\\d, e=f".*opaque="\\""/
    ],
    ['no qop at all (RFC 2069)', [[digest({ qop: undefined })]], /^(?!.*(qop|nc|cnonce)=)/],
    [
      'MD5, SHA-256 and SHA-512-256 offered in that order (the strongest is answered)',
      [
        [digest({ algorithm: 'MD5', nonce: 'n-md5' }), digest({ algorithm: 'SHA-256', nonce: 'n-256' })],
        [digest({ algorithm: 'SHA-512-256', nonce: 'n-512' })]
      ],
      /nonce="n-512".*algorithm=SHA-512-256, /
    ]
  ])('%s: 3 reads cost 4 requests, every answer checked', async (_name, lines, answer) => {
    const s = await serve(lines)
    expect(await read(s, 3)).toEqual([200, 200, 200])
    expect(s.exchanges.map(e => e.refused ?? e.status)).toEqual([401, 200, 200, 200])
    for (const exchange of s.exchanges.slice(1)) expect(exchange.authorization).toMatch(answer)
    // The challenge is reused: nc counts 1, 2, 3 on its nonce whenever a qop is answered.
    const counts = s.exchanges.slice(1).map(e => e.answer?.nc)
    if (counts[0] !== undefined) expect(counts).toEqual(['00000001', '00000002', '00000003'])
  })

  it('reads several header lines the same through global fetch as through node:http', async () => {
    const s = await serve([['Basic realm="x"'], [digest({ algorithm: 'SHA-256', opaque: 'nonce=zzz' })]])
    expect(
      await read(
        s,
        2,
        realSend((url, init) => fetch(url, init))
      )
    ).toEqual([200, 200])
    expect(s.exchanges).toHaveLength(3)
  })

  it('still returns the 401 to its answer when the password is wrong (the key pair is what is wrong then)', async () => {
    const s = await serve([[digest({ algorithm: 'SHA-256-sess' })]])
    const client = new StrictDigestClient(USER, 'wrong-password', realSend())
    expect((await client.fetch(`${s.baseUrl}/x`)).status).toBe(401)
    expect(s.exchanges.map(e => e.refused ?? e.status)).toEqual([401, 'wrong response hash'])
  })

  it.each<[string, Offer[][], string]>([
    ['only Basic', [['Basic realm="x"']], 'Basic'],
    [
      'an algorithm it does not know',
      [[digest({ algorithm: 'SHA-1' })]],
      'Digest algorithm="SHA-1" qop="auth"'
    ],
    ['a qop it does not know', [[digest({ qop: 'auth-conf' })]], 'Digest qop="auth-conf"'],
    [
      '-sess without qop',
      [[digest({ algorithm: 'MD5-sess', qop: undefined })]],
      'Digest algorithm="MD5-sess"'
    ],
    [
      'Basic and an unknown Digest, in two lines',
      [['Basic realm="x"'], [digest({ algorithm: 'SHA3' })]],
      'Basic; Digest algorithm="SHA3" qop="auth"'
    ],
    [
      'a header that does not parse',
      [['Digest realm="r" nonce="n"']],
      'WWW-Authenticate could not be read, expected a comma after a parameter at character 18'
    ]
  ])(
    'stops on %s with "unsupported Digest challenge", never blaming the key',
    async (_name, lines, offered) => {
      const s = await serve(lines)
      const error = await read(s, 1).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(AtlasApiError)
      const { message } = error as AtlasApiError
      expect(message.startsWith(`unsupported Digest challenge (${offered}`)).toBe(true)
      expect(message).not.toMatch(/key pair|wrong|revoked/i)
      // Nothing was answered: one request, without Authorization (so never a Basic one either).
      expect(s.exchanges).toHaveLength(1)
      expect(s.exchanges[0].authorization).toBeUndefined()
    }
  )
})
