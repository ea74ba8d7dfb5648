/**
 * The bundled action behind a proxy, run as a runner runs it, and seen as a workflow sees it:
 * exit code, the ::error:: line, the summary file, and how many connections the proxy got.
 * Atlas is the stand-in with a test certificate (trusted through NODE_EXTRA_CA_CERTS), at
 * `atlas.test`, a name only the proxy can resolve.
 */
import type { AtlasStandin, StandinOptions } from '../../standin/atlas-standin.js'
import { ConnectProxy, type ConnectProxyOptions } from '../../standin/connect-proxy.js'
import { runAction, type ActionRun } from '../../standin/runner.js'
import { startStandin } from '../helpers/harness.js'
import { IDS, REQUIRED_INPUTS } from '../helpers/ids.js'
import { makeTestCertificate, type TestCertificate } from '../helpers/tls.js'

let certificate: TestCertificate
let standin: AtlasStandin
let proxy: ConnectProxy | undefined

beforeAll(() => {
  certificate = makeTestCertificate()
})
afterAll(() => certificate.cleanup())
afterEach(async () => {
  await standin?.stop()
  await proxy?.stop()
  proxy = undefined
})

interface ProxiedRun {
  /** Proxy behaviour; omit to set `env` by hand. */
  proxy?: ConnectProxyOptions
  inputs?: Record<string, string>
  env?: Record<string, string>
  host?: string
  script?: StandinOptions['script']
}

async function runThroughProxy(setup: ProxiedRun): Promise<ActionRun> {
  standin = await startStandin({
    script: setup.script,
    tls: { key: certificate.key, cert: certificate.cert }
  })
  if (setup.proxy) proxy = await new ConnectProxy(setup.proxy).start()
  const result = await runAction({
    inputs: {
      ...REQUIRED_INPUTS,
      'base-url': onHost(standin.baseUrl, setup.host ?? 'atlas.test'),
      'interval-seconds': '1',
      ...setup.inputs
    },
    env: {
      ...(proxy ? { HTTPS_PROXY: proxy.url } : {}),
      NODE_EXTRA_CA_CERTS: certificate.certFile,
      ...setup.env
    }
  })
  const log = `${result.stdout}\n${result.stderr}`
  // The private key may appear only in ::add-mask:: commands.
  const leaks = log
    .split('\n')
    .filter(line => line.includes(IDS.privateKey) && !line.startsWith('::add-mask::'))
  expect(leaks).toEqual([])
  return result
}

/** The stand-in's API root, addressed by another name (atlas.test: only the proxy resolves it). */
function onHost(baseUrl: string, host: string): string {
  const url = new URL(baseUrl)
  url.hostname = host
  return url.href.replace(/\/$/, '')
}

/** The summary's text: every character of an error message is written there as an entity. */
function summaryText(result: ActionRun): string {
  return result.summary.replace(/&#(\d+);/g, (_entity, code: string) => String.fromCodePoint(Number(code)))
}

/** The ::error:: line, as the runner shows it (the toolkit escapes % as %25 in commands). */
function errorLine(result: ActionRun): string {
  const line = result.stdout.split('\n').find(l => l.startsWith('::error::')) ?? ''
  return line.replace(/%25/g, '%')
}

describe('the bundled action behind a proxy', () => {
  it('reaches Atlas through HTTPS_PROXY and keeps one tunnel for every poll', async () => {
    const result = await runThroughProxy({
      proxy: {},
      inputs: { 'wait-for': 'AVAILABLE' },
      script: [{ status: 'PENDING' }, { status: 'PENDING' }, { status: 'AVAILABLE' }]
    })
    expect(result.exitCode).toBe(0)
    expect(result.outputs['connection-status']).toBe('AVAILABLE')
    expect(result.outputs.attempts).toBe('3')
    expect(result.stdout).toContain(`through proxy ${proxy?.url}`)
    expect(proxy?.tunnels).toEqual([`atlas.test:${standin.port}`])
    expect(proxy?.connections).toBe(1)
  })

  it.each([
    ['through the proxy', {}, 1],
    ['bypassing it for NO_PROXY=localhost', { NO_PROXY: 'localhost' }, 0]
  ] as const)('with HTTPS_PROXY set, reaches https://localhost %s', async (_case, env, tunnels) => {
    const result = await runThroughProxy({ proxy: {}, host: 'localhost', env })
    expect(result.exitCode).toBe(0)
    expect(result.outputs['connection-status']).toBe('AVAILABLE')
    expect(proxy?.tunnels).toHaveLength(tunnels)
  })

  it('reaches Atlas through an https:// proxy (TLS to the proxy, then TLS to Atlas inside the tunnel)', async () => {
    const result = await runThroughProxy({ proxy: { tls: { key: certificate.key, cert: certificate.cert } } })
    expect(proxy?.url).toMatch(/^https:/)
    expect(result.exitCode).toBe(0)
    expect(result.outputs['connection-status']).toBe('AVAILABLE')
    expect(proxy?.tunnels).toEqual([`atlas.test:${standin.port}`])
  })

  it('sends the credentials from the proxy URL, and never logs the password, even with DEBUG=https-proxy-agent', async () => {
    proxy = await new ConnectProxy({ credentials: { user: 'runner', password: 's3cret@1' } }).start()
    const result = await runThroughProxy({
      env: {
        HTTPS_PROXY: proxy.url.replace('http://', 'http://runner:s3cret%401@'),
        DEBUG: 'https-proxy-agent*'
      }
    })
    expect(result.exitCode).toBe(0)
    expect(result.outputs['connection-status']).toBe('AVAILABLE')
    expect(result.stderr).toContain('https-proxy-agent') // its debug log was on
    // Only the runner's masking may be told the password.
    expect(`${withoutMasks(result.stdout)}${result.stderr}${summaryText(result)}`).not.toMatch(/s3cret/)
  })

  it.each([
    ['0', 1],
    ['2', 3]
  ])(
    'a proxy that drops the CONNECT gets one connection per try (max-retries %s), and is named',
    async (maxRetries, tries) => {
      const result = await runThroughProxy({
        proxy: { mode: 'drop' },
        inputs: { 'max-retries': maxRetries, 'request-timeout-seconds': '5' }
      })
      expect(result.exitCode).toBe(1)
      expect(proxy?.connections).toBeGreaterThanOrEqual(tries)
      expect(proxy?.connections).toBeLessThanOrEqual(tries + 2)
      expect(errorLine(result)).toContain(
        `::error::Could not reach Atlas through the proxy ${proxy?.url} (HTTPS_PROXY): the proxy closed the connection without answering the CONNECT request.`
      )
      expect(summaryText(result)).toContain('the proxy closed the connection without answering')
    }
  )

  it('a proxy that answers 407 is recognised on the first try, not retried, and the step says what to set', async () => {
    const result = await runThroughProxy({ proxy: { status: 407 } })
    expect(result.exitCode).toBe(1)
    expect(proxy?.tunnels).toHaveLength(1)
    expect(result.durationMs).toBeLessThan(5_000)
    expect(result.stdout).not.toMatch(/Retry 1 of/)
    expect(errorLine(result)).toContain(
      'the proxy asked for credentials (HTTP 407 Proxy Authentication Required)'
    )
    expect(errorLine(result)).toContain(
      'put them in the proxy URL in HTTPS_PROXY: http://user:password@proxy:port'
    )
    expect(summaryText(result)).toContain('asked for credentials')
  })

  it('a proxy that answers the CONNECT after request-timeout-seconds: each try ends at the timeout, naming the proxy', async () => {
    const result = await runThroughProxy({
      proxy: { delayMs: 3_000 },
      inputs: { 'max-retries': '1', 'request-timeout-seconds': '1' }
    })
    expect(result.exitCode).toBe(1)
    expect(proxy?.tunnels).toHaveLength(2)
    expect(result.durationMs).toBeLessThan(6_000)
    expect(errorLine(result)).toContain(
      `through the proxy ${proxy?.url} (HTTPS_PROXY): the proxy did not answer the CONNECT request within 1 s (request-timeout-seconds)`
    )
  })

  it('a proxy that answers the CONNECT within request-timeout-seconds is only slow', async () => {
    const result = await runThroughProxy({
      proxy: { delayMs: 1_000 },
      inputs: { 'request-timeout-seconds': '3' }
    })
    expect(result.exitCode).toBe(0)
    expect(result.outputs['connection-status']).toBe('AVAILABLE')
    expect(proxy?.tunnels).toHaveLength(1)
  })

  it.each([
    ['HTTPS_PROXY', 'socks5://runner:s3cret@127.0.0.1:1080', 'its scheme is socks5://'],
    [
      'HTTPS_PROXY',
      'http://runner:s3cret%@127.0.0.1:3128',
      'has a % that does not start a percent-encoded character'
    ],
    ['https_proxy', 'http://runner:s3cret@[127.0.0.1:3128', 'it is not a valid URL']
  ])(
    '%s=%s: fails before any request, names the variable, writes the summary, never connects directly',
    async (variable, value, problem) => {
      const result = await runThroughProxy({ host: 'localhost', env: { [variable]: value } })
      expect(result.exitCode).toBe(1)
      expect(errorLine(result)).toMatch(
        new RegExp(`^::error::The proxy variable ${variable} cannot be used: `)
      )
      expect(errorLine(result)).toContain(problem)
      expect(errorLine(result)).toContain('Accepted: http://[user:password@]host:port')
      expect(result.stdout).not.toMatch(/Unexpected error/)
      expect(summaryText(result)).toContain(`The proxy variable ${variable} cannot be used`)
      expect(`${withoutMasks(result.stdout)}${result.stderr}${summaryText(result)}`).not.toContain('s3cret')
      expect(standin.requests).toEqual([])
    }
  )
})

/** The log without its ::add-mask:: lines, which tell the runner what to hide. */
function withoutMasks(log: string): string {
  return log
    .split('\n')
    .filter(line => !line.startsWith('::add-mask::'))
    .join('\n')
}
