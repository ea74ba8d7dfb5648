import net, { type LookupFunction } from 'node:net'
import { ProxyConfigError } from '../../src/common/errors.js'
import {
  bypassesProxy,
  chooseFetch,
  maskProxyPasswords,
  proxyFor,
  type ConnectOptions
} from '../../src/http/proxy.js'
import type { AtlasStandin } from '../../standin/atlas-standin.js'
import { ConnectProxy, type ConnectProxyOptions } from '../../standin/connect-proxy.js'
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
  it('accepts an https:// proxy (spoken to over TLS)', () => {
    expect(proxyFor('https://cloud.mongodb.com/x', { HTTPS_PROXY: 'https://p:3129' })?.href).toBe(
      'https://p:3129/'
    )
  })

  // Never a silent direct connection past the proxy the runner's owner set, and never the password.
  it.each([
    [
      'HTTPS_PROXY',
      'socks5://user:s3cret@p:1080',
      /scheme is socks5:\/\/, which this action does not support/
    ],
    ['HTTPS_PROXY', 'socks4://p:1080', /scheme is socks4:\/\//],
    [
      'https_proxy',
      'http://user:s3cret%@p:3128',
      /has a % that does not start a percent-encoded character .*%25/
    ],
    ['HTTPS_PROXY', 'http://user:s3cret%zz@p:3128', /proxy http:\/\/p:3128\) has a % that/],
    ['HTTPS_PROXY', 'http://user:s3cret@[p:3128', /is not a valid URL/],
    ['HTTPS_PROXY', 'http://user:s3cret@p:99999', /is not a valid URL/]
  ])('%s=%s is refused with a message that names the variable', (variable, value, problem) => {
    const env = { [variable]: value }
    let thrown: unknown
    try {
      proxyFor('https://cloud.mongodb.com/x', env)
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(ProxyConfigError)
    const message = (thrown as Error).message
    expect(message).toMatch(new RegExp(`^The proxy variable ${variable} cannot be used: `))
    expect(message).toMatch(problem)
    expect(message).toContain('Accepted: http://[user:password@]host:port')
    expect(message).not.toContain('s3cret')
  })

  it('ignores a malformed proxy variable that does not apply (NO_PROXY lists the host)', () => {
    expect(
      proxyFor('https://cloud.mongodb.com/x', { HTTPS_PROXY: 'socks5://p:1080', NO_PROXY: '.mongodb.com' })
    ).toBeUndefined()
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

  it('refuses to choose any sender when the proxy variable cannot be used (no direct connection)', async () => {
    process.env.HTTPS_PROXY = 'socks5://127.0.0.1:1080'
    await expect(chooseFetch(target(), { ca: certificate.cert })).rejects.toThrow(ProxyConfigError)
    expect(standin.requests).toEqual([])
  })

  it('keeps one tunnel for a whole wait (one CONNECT for three polls)', async () => {
    await standin.stop()
    standin = await startStandin({
      tls: { key: certificate.key, cert: certificate.cert },
      script: [{ status: 'PENDING' }, { status: 'PENDING' }, { status: 'AVAILABLE' }]
    })
    process.env.HTTPS_PROXY = proxy.url
    const { result } = await waitThrough(target())
    expect(result.outcome).toBe('reached')
    expect(result.attempts).toBe(3)
    expect(proxy.tunnels).toHaveLength(1)
    expect(proxy.connections).toBe(1)
  })

  it('tunnels an http API through HTTP_PROXY', async () => {
    await standin.stop()
    standin = await startStandin()
    process.env.HTTP_PROXY = proxy.url
    const { proxy: used, result } = await waitThrough(`http://atlas.test:${standin.port}/api/atlas/v1.0`)
    expect(used).toBe(proxy.url)
    expect(result.outcome).toBe('reached')
    expect(proxy.tunnels).toEqual([`atlas.test:${standin.port}`])
  })

  it('refuses a server whose certificate is not trusted, without retrying, and says what to do', async () => {
    process.env.HTTPS_PROXY = proxy.url
    const { result } = await waitThrough(target(), {}) // no test CA: the certificate is unknown
    expect(result.outcome).toBe('error')
    expect(result.message).toMatch(/not trusted .*NODE_EXTRA_CA_CERTS/s)
    expect(proxy.tunnels).toHaveLength(1)
  })
})

describe('a proxy that fails: one CONNECT per try, and the message names the proxy', () => {
  let standin: AtlasStandin
  let proxy: ConnectProxy
  let certificate: TestCertificate
  let saved: string | undefined

  beforeAll(() => {
    certificate = makeTestCertificate()
  })
  afterAll(() => certificate.cleanup())
  beforeEach(async () => {
    saved = process.env.HTTPS_PROXY
    standin = await startStandin({ tls: { key: certificate.key, cert: certificate.cert } })
  })
  afterEach(async () => {
    if (saved === undefined) delete process.env.HTTPS_PROXY
    else process.env.HTTPS_PROXY = saved
    await standin.stop()
    await proxy?.stop()
  })

  /** A wait through a proxy with `options` (or at `proxyUrl`), on an injected clock. */
  async function waitThroughProxy(
    options: ConnectProxyOptions,
    setup: { maxRetries?: number; requestTimeoutMs?: number; proxyUrl?: (url: string) => string } = {}
  ) {
    proxy = await new ConnectProxy(options).start()
    process.env.HTTPS_PROXY = (setup.proxyUrl ?? (url => url))(proxy.url)
    const baseUrl = `https://atlas.test:${standin.port}/api/atlas/v1.0`
    const { fetch } = await chooseFetch(baseUrl, { ca: certificate.cert })
    const clock = new FakeClock()
    const result = await waitAgainst(standin, {
      clock,
      fetch,
      baseUrl,
      maxRetries: setup.maxRetries ?? 2,
      requestTimeoutMs: setup.requestTimeoutMs ?? 2_000
    })
    return { result, clock }
  }

  it('drops the CONNECT: one connection per try (max-retries + 1), transient, names the proxy', async () => {
    const { result, clock } = await waitThroughProxy({ mode: 'drop' }, { maxRetries: 2 })
    expect(result.outcome).toBe('error')
    expect(proxy.connections).toBe(3)
    expect(proxy.tunnels).toHaveLength(3)
    expect(clock.sleeps).toHaveLength(2)
    expect(result.message).toContain(
      `Could not reach Atlas through the proxy ${proxy.url} (HTTPS_PROXY): the proxy closed the connection without answering the CONNECT request.`
    )
    expect(result.message).not.toMatch(/Atlas did not answer/)
  })

  it('refuses the connection: transient, names the proxy and what to check', async () => {
    const closed = net.createServer()
    await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as net.AddressInfo).port
    await new Promise<void>(resolve => closed.close(() => resolve()))
    const { result, clock } = await waitThroughProxy(
      {},
      { maxRetries: 1, proxyUrl: () => `http://127.0.0.1:${port}` }
    )
    expect(result.outcome).toBe('error')
    expect(clock.sleeps).toHaveLength(1)
    expect(result.message).toMatch(
      new RegExp(
        `through the proxy http://127\\.0\\.0\\.1:${port} \\(HTTPS_PROXY\\): the proxy refused the connection: check the host and port .*\\(ECONNREFUSED\\)`
      )
    )
  })

  it('answers 407: recognised on the first try, not retried, says what to put in the proxy URL', async () => {
    const { result, clock } = await waitThroughProxy({ status: 407 })
    expect(result.outcome).toBe('error')
    expect(proxy.tunnels).toHaveLength(1)
    expect(clock.sleeps).toEqual([])
    expect(result.message).toContain(
      `through the proxy ${proxy.url} (HTTPS_PROXY): the proxy asked for credentials (HTTP 407`
    )
    expect(result.message).toContain(
      'put them in the proxy URL in HTTPS_PROXY: http://user:password@proxy:port'
    )
    expect(result.message).toContain('@ as %40')
  })

  it('answers 407 to wrong credentials: says they were refused, never shows the password', async () => {
    const { result, clock } = await waitThroughProxy(
      { credentials: { user: 'runner', password: 'right' } },
      { proxyUrl: url => url.replace('http://', 'http://runner:wr%40ng@') }
    )
    expect(result.outcome).toBe('error')
    expect(clock.sleeps).toEqual([])
    expect(result.message).toContain('the proxy refused the credentials in HTTPS_PROXY (HTTP 407')
    expect(result.message).not.toMatch(/wr%40ng|wr@ng/)
    expect(proxy.authorizations).toEqual([`Basic ${Buffer.from('runner:wr@ng').toString('base64')}`])
  })

  it('accepts the right credentials, percent-decoded', async () => {
    const { result } = await waitThroughProxy(
      { credentials: { user: 'run:ner', password: 'p@ss%word' } },
      { proxyUrl: url => url.replace('http://', 'http://run%3Aner:p%40ss%25word@') }
    )
    expect(result.outcome).toBe('reached')
    expect(proxy.tunnels).toHaveLength(1)
    expect(proxy.authorizations[0]).toBe(`Basic ${Buffer.from('run:ner:p@ss%word').toString('base64')}`)
  })

  it.each([
    [403, false, /refused the CONNECT request to atlas\.test:\d+ with HTTP 403 Forbidden/],
    [502, true, /answered the CONNECT request to atlas\.test:\d+ with HTTP 502 Bad Gateway/]
  ])('answers %i: names the proxy; retried: %s', async (status, retried, problem) => {
    const { result, clock } = await waitThroughProxy({ status }, { maxRetries: 1 })
    expect(result.outcome).toBe('error')
    expect(result.message).toContain(`through the proxy ${proxy.url} (HTTPS_PROXY)`)
    expect(result.message).toMatch(problem)
    expect(clock.sleeps).toHaveLength(retried ? 1 : 0)
    expect(proxy.tunnels).toHaveLength(retried ? 2 : 1)
  })

  it('answers the CONNECT later than request-timeout-seconds: each try ends at the timeout, names the proxy, and closes its connection', async () => {
    const started = performance.now()
    const { result, clock } = await waitThroughProxy(
      { delayMs: 5_000 },
      { maxRetries: 1, requestTimeoutMs: 300 }
    )
    expect(performance.now() - started).toBeLessThan(2_000)
    expect(result.outcome).toBe('error')
    expect(clock.sleeps).toHaveLength(1)
    expect(proxy.tunnels).toHaveLength(2)
    expect(result.message).toContain(
      `through the proxy ${proxy.url} (HTTPS_PROXY): the proxy did not answer the CONNECT request within 0.3 s (request-timeout-seconds)`
    )
    // The connections to the proxy were closed by the client when it gave up, not left open.
    await new Promise(resolve => setTimeout(resolve, 100))
    expect(proxy.openConnections).toBe(0)
  })
})

describe('maskProxyPasswords', () => {
  /** The Proxy-Authorization credential the tunnel sends: the proxy may echo it back. */
  const basic = (userPassword: string): string => Buffer.from(userPassword).toString('base64')

  it.each([
    ['http://user:s3cret@proxy:3128', ['s3cret', basic('user:s3cret')]],
    ['http://user:pa%2Fss%40word@proxy:3128', ['pa%2Fss%40word', 'pa/ss@word', basic('user:pa/ss@word')]],
    // Not a URL (the host would be "user", the port "pa"): refused before any request, no Basic sent.
    ['http://user:pa/ss@word@proxy:3128', ['pa/ss@word']],
    ['user:bare-secret@proxy:3128', ['bare-secret', basic('user:bare-secret')]],
    ['http://user:bad%zzpass@proxy:3128', ['bad%zzpass']],
    ['http://proxy:3128', []],
    ['http://user@proxy:3128', []]
  ])('masks the password of %s, as written and decoded, and the Basic credential', (value, expected) => {
    const masked: string[] = []
    maskProxyPasswords({ HTTPS_PROXY: value }, secret => masked.push(secret))
    expect(masked).toEqual(expected)
  })
})
