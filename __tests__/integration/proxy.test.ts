import type { LookupFunction } from 'node:net'
import { bypassesProxy, chooseFetch, proxyFor, type ConnectOptions } from '../../src/http/proxy.js'
import type { AtlasStandin } from '../../standin/atlas-standin.js'
import { ConnectProxy } from '../../standin/connect-proxy.js'
import { FakeClock } from '../helpers/fake-clock.js'
import { startStandin, waitAgainst } from '../helpers/harness.js'
import { makeTestCertificate, type TestCertificate } from '../helpers/tls.js'

const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy']

/** Resolves every name to 127.0.0.1 for the direct (bypassed) path, so nothing leaves loopback. */
const toLoopback = ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
  if (options?.all) callback(null, [{ address: '127.0.0.1', family: 4 }])
  else callback(null, '127.0.0.1', 4)
}) as unknown as LookupFunction

describe('proxy selection (pure)', () => {
  const env = (vars: Record<string, string>) => vars
  it.each([
    ['https://cloud.mongodb.com/x', { HTTPS_PROXY: 'http://p:3128' }, 'http://p:3128/'],
    [
      'https://cloud.mongodb.com/x',
      { https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2' },
      'http://lower:1/'
    ],
    ['https://cloud.mongodb.com/x', { HTTPS_PROXY: 'p:3128' }, 'http://p:3128/'],
    ['https://cloud.mongodb.com/x', { HTTP_PROXY: 'http://p:3128' }, undefined],
    ['https://cloud.mongodb.com/x', { https_proxy: '', HTTPS_PROXY: 'http://upper:2' }, 'http://upper:2/'],
    // Loopback is proxied like any host unless NO_PROXY lists it, so a proxy can be tested locally.
    ['http://127.0.0.1:8080/x', { HTTP_PROXY: 'http://p:3128' }, 'http://p:3128/'],
    ['https://localhost/x', { HTTPS_PROXY: 'http://p:3128' }, 'http://p:3128/'],
    ['https://localhost/x', { HTTPS_PROXY: 'http://p:3128', NO_PROXY: 'localhost,127.0.0.1' }, undefined]
  ])('%s with %j → %s', (target, vars, expected) => {
    expect(proxyFor(target, env(vars))?.href).toBe(expected)
  })

  it.each([
    ['*', 'https://cloud.mongodb.com/', true],
    ['cloud.mongodb.com', 'https://cloud.mongodb.com/', true],
    ['mongodb.com', 'https://cloud.mongodb.com/', true],
    ['.mongodb.com', 'https://cloud.mongodb.com/', true],
    ['*.mongodb.com', 'https://cloud.mongodb.com/', true],
    ['cloud.mongodb.com:443', 'https://cloud.mongodb.com/', true],
    ['cloud.mongodb.com:8443', 'https://cloud.mongodb.com/', false],
    ['example.com, .internal', 'https://cloud.mongodb.com/', false],
    ['ongodb.com', 'https://cloud.mongodb.com/', false],
    [' CLOUD.MONGODB.COM ', 'https://cloud.mongodb.com/', true]
  ])('NO_PROXY=%j for %s bypasses: %s', (noProxy, target, expected) => {
    expect(bypassesProxy(new URL(target), noProxy)).toBe(expected)
  })
})

describe('requests through a real CONNECT proxy to a TLS server', () => {
  let standin: AtlasStandin
  let proxy: ConnectProxy
  let certificate: TestCertificate
  const saved: Record<string, string | undefined> = {}

  beforeAll(() => {
    certificate = makeTestCertificate()
  })
  afterAll(() => certificate.cleanup())
  beforeEach(async () => {
    for (const name of PROXY_VARIABLES) {
      saved[name] = process.env[name]
      delete process.env[name]
    }
    standin = await startStandin({ tls: { key: certificate.key, cert: certificate.cert } })
    proxy = await new ConnectProxy().start()
  })
  afterEach(async () => {
    for (const name of PROXY_VARIABLES) {
      if (saved[name] === undefined) delete process.env[name]
      else process.env[name] = saved[name]
    }
    await standin.stop()
    await proxy.stop()
  })

  const target = () => `https://atlas.test:${standin.port}/api/atlas/v1.0`

  /** Chooses how to reach baseUrl from the environment, then waits through that choice. */
  async function waitThrough(baseUrl: string, connect: ConnectOptions = { ca: certificate.cert }) {
    const choice = await chooseFetch(baseUrl, connect)
    const result = await waitAgainst(standin, { clock: new FakeClock(), fetch: choice.fetch, baseUrl })
    return { proxy: choice.proxy, result }
  }

  it('goes through HTTPS_PROXY (only the proxy can resolve atlas.test)', async () => {
    process.env.HTTPS_PROXY = proxy.url
    const { proxy: used, result } = await waitThrough(target())
    expect(used).toBe(proxy.url)
    expect(result.outcome).toBe('reached')
    expect(proxy.tunnels.length).toBeGreaterThan(0)
    expect(new Set(proxy.tunnels)).toEqual(new Set([`atlas.test:${standin.port}`]))
    expect(standin.requests.map(r => r.status)).toEqual([401, 200])
  })

  it('goes through HTTPS_PROXY to https://localhost too, unless NO_PROXY lists it', async () => {
    process.env.HTTPS_PROXY = proxy.url
    const local = `https://localhost:${standin.port}/api/atlas/v1.0`
    const proxied = await waitThrough(local)
    expect(proxied.proxy).toBe(proxy.url)
    expect(proxied.result.outcome).toBe('reached')
    expect(new Set(proxy.tunnels)).toEqual(new Set([`localhost:${standin.port}`]))

    process.env.NO_PROXY = 'localhost'
    const tunnelsBefore = proxy.tunnels.length
    const direct = await waitThrough(local)
    expect(direct.proxy).toBeUndefined()
    expect(direct.result.outcome).toBe('reached')
    expect(proxy.tunnels).toHaveLength(tunnelsBefore)
  })

  it('sends proxy credentials from the proxy URL, and never shows them', async () => {
    process.env.HTTPS_PROXY = proxy.url.replace('http://', 'http://user:s%40cret@')
    const { proxy: used, result } = await waitThrough(target())
    expect(used).toBe(proxy.url)
    expect(result.outcome).toBe('reached')
    expect(proxy.authorizations[0]).toBe(`Basic ${Buffer.from('user:s@cret').toString('base64')}`)
  })

  it.each(['atlas.test', '.test', '*.test', 'atlas.test:PORT', '*'])(
    'NO_PROXY=%s bypasses the proxy',
    async entry => {
      process.env.HTTPS_PROXY = proxy.url
      process.env.NO_PROXY = `example.com, ${entry.replace('PORT', String(standin.port))}`
      const { proxy: used, result } = await waitThrough(target(), {
        ca: certificate.cert,
        lookup: toLoopback
      })
      expect(used).toBeUndefined()
      expect(result.outcome).toBe('reached')
      expect(proxy.tunnels).toEqual([])
    }
  )

  it('refuses a server whose certificate is not trusted, without retrying, and says what to do', async () => {
    process.env.HTTPS_PROXY = proxy.url
    const { result } = await waitThrough(target(), {}) // no test CA: the certificate is unknown
    expect(result.outcome).toBe('error')
    expect(result.message).toMatch(/not trusted .*NODE_EXTRA_CA_CERTS/s)
    expect(proxy.tunnels).toHaveLength(1)
  })
})
