import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import DigestClient from 'digest-fetch'
import { StrictDigestClient } from '../../src/auth/digest.js'
import { AtlasApiError } from '../../src/common/errors.js'
import type { AtlasStandin } from '../../standin/atlas-standin.js'
import { FakeClock } from '../helpers/fake-clock.js'
import { clientFor, startStandin, waitAgainst } from '../helpers/harness.js'
import { IDS } from '../helpers/ids.js'

const run = promisify(execFile)
let standin: AtlasStandin
afterEach(async () => standin?.stop())

const endpointUrl = (s: AtlasStandin): string =>
  `${s.baseUrl}/groups/${IDS.projectId}/privateEndpoint/${IDS.privateLinkId}/interfaceEndpoints/${IDS.interfaceEndpointId}`

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
    const error = await client.readEndpoint().catch((e: unknown) => e)
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
