/**
 * The bundled action with an API key and more endpoints than Digest sessions, run as a runner
 * runs it: going straight to Atlas, its 4 sessions carry 2 reads each on pipelined connections
 * (8 at once); through a proxy they keep node:http, one read each (4 at once). The stand-in
 * checks nonce counts strictly and delays every answer, as Atlas would from a hosted runner.
 */
import type { AtlasStandin, StandinOptions } from '../../standin/atlas-standin.js'
import { ConnectProxy } from '../../standin/connect-proxy.js'
import { runAction, type ActionRun } from '../../standin/runner.js'
import { startStandin } from '../helpers/harness.js'
import { IDS, REQUIRED_INPUTS } from '../helpers/ids.js'
import { makeTestCertificate, type TestCertificate } from '../helpers/tls.js'

const ids = Array.from({ length: 20 }, (_, i) => `vpce-${(i + 1).toString(16).padStart(17, '0')}`)
let certificate: TestCertificate
let standin: AtlasStandin | undefined
let proxy: ConnectProxy | undefined

beforeAll(() => {
  certificate = makeTestCertificate()
})
afterAll(() => certificate.cleanup())
afterEach(async () => {
  await standin?.stop()
  await proxy?.stop()
  standin = undefined
  proxy = undefined
})

async function waitFor20(
  options: Partial<StandinOptions>,
  env: Record<string, string>,
  host = '127.0.0.1'
): Promise<ActionRun> {
  standin = await startStandin({
    strictNc: true,
    latencyMs: 50,
    endpoints: ids.map(id => ({ id, script: [{ status: 'PENDING' }, { status: 'AVAILABLE' }] })),
    ...options
  })
  const base = new URL(standin.baseUrlV2)
  base.hostname = host
  const result = await runAction({
    inputs: {
      ...REQUIRED_INPUTS,
      'interface-endpoint-id': '',
      'endpoint-id': ids.join('\n'),
      'base-url': base.href.replace(/\/$/, ''),
      'interval-seconds': '1',
      'wait-for': 'AVAILABLE'
    },
    env
  })
  expect(
    `${result.stdout}${result.stderr}`
      .split('\n')
      .filter(l => l.includes(IDS.privateKey) && !l.startsWith('::add-mask::'))
  ).toEqual([])
  return result
}

function expectFloor(s: AtlasStandin): void {
  // 2 checks of 20 endpoints, one challenge per session, and no refused answer.
  expect(s.requests).toHaveLength(2 * 20 + 4)
  expect(s.requests.filter(r => r.status === 401).every(r => r.auth === 'none')).toBe(true)
  expect(s.requests.filter(r => r.status === 401)).toHaveLength(4)
}

describe('an API key reading 20 endpoints', () => {
  it('straight to Atlas (http): 8 reads at once over 4 Digest sessions', async () => {
    const result = await waitFor20({}, {})
    expect(result.exitCode).toBe(0)
    expect(result.outputs['connection-status']).toBe('AVAILABLE')
    expectFloor(standin as AtlasStandin)
    expect(standin?.maxInFlight).toBe(8)
  })

  it('straight to Atlas over TLS (a CA from NODE_EXTRA_CA_CERTS): 8 at once', async () => {
    const result = await waitFor20(
      { tls: { key: certificate.key, cert: certificate.cert } },
      { NODE_EXTRA_CA_CERTS: certificate.certFile },
      'localhost'
    )
    expect(result.exitCode).toBe(0)
    expectFloor(standin as AtlasStandin)
    // Answers the server still owed: over TLS an answer's 'close' can come after the client
    // has read it and sent the next request, so maxInFlight over-counts there.
    expect(standin?.maxOwed).toBe(8)
  })

  it('read once (no wait-for): never loads the pipelined path, 4 at once', async () => {
    // Its chunk and the WebAssembly parser undici compiles cost a one-check run more than they
    // save (a read of 10 endpoints took 0.37 s instead of 0.2 s: exit waits for the compiler).
    standin = await startStandin({
      strictNc: true,
      latencyMs: 50,
      endpoints: ids.map(id => ({ id, script: [{ status: 'AVAILABLE' }] }))
    })
    const result = await runAction({
      inputs: {
        ...REQUIRED_INPUTS,
        'interface-endpoint-id': '',
        'endpoint-id': ids.join('\n'),
        'base-url': standin.baseUrlV2,
        'wait-for': ''
      }
    })
    expect(result.exitCode).toBe(0)
    expect(standin.requests).toHaveLength(20 + 4)
    expect(standin.maxInFlight).toBe(4)
  })

  it('through HTTPS_PROXY: node:http, one read per session, 4 at once', async () => {
    proxy = await new ConnectProxy({}).start()
    const result = await waitFor20(
      { tls: { key: certificate.key, cert: certificate.cert } },
      { HTTPS_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: certificate.certFile },
      'atlas.test'
    )
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain(`through proxy ${proxy.url}`)
    expectFloor(standin as AtlasStandin)
    expect(standin?.maxOwed).toBe(4)
  })
})
