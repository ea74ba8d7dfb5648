/**
 * The committed dist/index.js, run as a GitHub runner runs it: Node 24, INPUT_* variables,
 * GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files. Only the exit code, the log, the outputs file
 * and the summary file are looked at, as a workflow would.
 */
import type { AtlasStandin, StandinOptions } from '../../standin/atlas-standin.js'
import { runAction, type ActionRun, type RunOptions } from '../../standin/runner.js'
import { startStandin } from '../helpers/harness.js'
import { IDS, REQUIRED_INPUTS } from '../helpers/ids.js'
import { itWithSignals } from '../helpers/signals.js'
import { makeTestCertificate } from '../helpers/tls.js'

let standin: AtlasStandin
afterEach(async () => standin?.stop())

const OUTPUT_NAMES = [
  'connection-status',
  'cloud-provider',
  'endpoint-id',
  'endpoints',
  'delete-requested',
  'error-message',
  'interface-endpoint-id',
  'response',
  'endpoint-service-status',
  'connection-string',
  'clusters',
  'attempts',
  'elapsed-seconds'
]

async function run(
  script: StandinOptions['script'],
  inputs: Record<string, string> = {},
  options: Partial<RunOptions> & { standin?: Partial<StandinOptions> } = {}
): Promise<ActionRun> {
  standin = await startStandin({ script, ...options.standin })
  const result = await runAction({
    ...options,
    inputs: { ...REQUIRED_INPUTS, 'base-url': standin.baseUrl, 'interval-seconds': '1', ...inputs }
  })
  expectNoSecretLeaked(result)
  return result
}

/** The private key may appear in exactly one place: the ::add-mask:: command. */
function expectNoSecretLeaked(result: ActionRun, secret: string = IDS.privateKey): void {
  const log = `${result.stdout}\n${result.stderr}`
  const lines = log.split('\n').filter(line => line.includes(secret))
  expect(lines.every(line => line === `::add-mask::${secret}`)).toBe(true)
  expect(result.outputFile).not.toContain(secret)
  expect(result.summary).not.toContain(secret)
  expect(log).not.toMatch(/Digest username=/i)
  expect(log).not.toMatch(/authorization:/i)
}

describe('the bundled action, run as a runner runs it', () => {
  it('waits through NONE → PENDING_ACCEPTANCE → PENDING → AVAILABLE and succeeds', async () => {
    const result = await run(
      [{ status: 'NONE' }, { status: 'PENDING_ACCEPTANCE' }, { status: 'PENDING' }, { status: 'AVAILABLE' }],
      { 'wait-for': 'AVAILABLE' }
    )
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain(`::add-mask::${IDS.privateKey}`)
    expect(result.stdout.indexOf('::add-mask::')).toBeLessThan(result.stdout.indexOf('Checking'))
    expect(Object.keys(result.outputs).sort()).toEqual([...OUTPUT_NAMES].sort())
    expect(result.outputs).toMatchObject({
      'connection-status': 'AVAILABLE',
      'delete-requested': 'false',
      'error-message': '',
      'interface-endpoint-id': IDS.interfaceEndpointId,
      attempts: '4'
    })
    expect(JSON.parse(result.outputs.response)).toMatchObject({
      connectionStatus: 'AVAILABLE',
      errorMessage: null
    })
    expect(Number(result.outputs['elapsed-seconds'])).toBeGreaterThanOrEqual(3)
    // One log line per read, saying what comes next.
    for (const status of ['NONE', 'PENDING_ACCEPTANCE', 'PENDING']) {
      expect(result.stdout).toMatch(
        new RegExp(`^\\[00:0\\d\\] ${status}: waiting for AVAILABLE; next check in 1 s\\.$`, 'm')
      )
    }
    expect(result.stdout).toMatch(/^\[00:0\d\] AVAILABLE: reached\.$/m)
    expect(result.summary).toContain('✅')
    expect(result.summary).toContain('Status history')
    expect(result.summary.match(/<tr><td>00&#58;0\d<\/td>/g)).toHaveLength(4)
    expect(result.summary).toContain('example&#47;deploy&#47;actions&#47;runs&#47;1234')
    // N polls, N + 1 requests; every request named the action and asked for JSON.
    expect(standin.requests).toHaveLength(5)
    for (const request of standin.requests) {
      expect(request.userAgent).toMatch(/^atlas-privatelink-endpoint-status\/\d+\.\d+\.\d+/)
      expect(request.accept).toBe('application/json')
    }
  })

  it('reads once and succeeds when wait-for is empty, whatever the status', async () => {
    const result = await run([{ status: 'PENDING' }])
    expect(result.exitCode).toBe(0)
    expect(result.outputs['connection-status']).toBe('PENDING')
    expect(result.outputs.attempts).toBe('1')
    // Read once, PENDING is news, not a wait: ℹ️, never ⏳.
    expect(result.summary).toContain('<td>ℹ️</td>')
    expect(result.summary).not.toContain('⏳')
  })

  it("fails on REJECTED, quoting Atlas's errorMessage, with the outputs set", async () => {
    const errorMessage = 'AWS rejected the connection: wrong endpoint service name.'
    const result = await run([{ status: 'PENDING' }, { status: 'REJECTED', errorMessage }], {
      'wait-for': 'AVAILABLE'
    })
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toMatch(
      /^::error::The AWS interface endpoint vpce-0123456789abcdef0 is REJECTED, which is listed in fail-on\. Atlas says: "AWS rejected/m
    )
    expect(result.outputs['connection-status']).toBe('REJECTED')
    expect(result.outputs['error-message']).toBe(errorMessage)
    expect(result.summary).toContain('❌')
    expect(result.summary).toContain('AWS rejected the connection')
  })

  it('fails within seconds on wrong keys, with at most 3 requests, and still writes the summary', async () => {
    const wrong = 'ffffffff-ffff-ffff-ffff-ffffffffffff'
    standin = await startStandin()
    const result = await runAction({
      inputs: {
        ...REQUIRED_INPUTS,
        'private-key': wrong,
        'base-url': standin.baseUrl,
        'wait-for': 'AVAILABLE'
      }
    })
    expectNoSecretLeaked(result, wrong)
    expect(result.exitCode).toBe(1)
    expect(result.durationMs).toBeLessThan(3_000)
    expect(standin.requests.length).toBeLessThanOrEqual(3)
    expect(result.stdout).toMatch(
      /^::error::Atlas answered HTTP 401 \(UNEXPECTED_ERROR\).*key pair is wrong/m
    )
    expect(result.summary).toContain('Could not read')
    expect(result.outputs).toEqual({})
  })

  it.each([
    [
      { error: 404, errorCode: 'GROUP_NOT_FOUND', detail: 'No group with ID x exists.' },
      /project-id is wrong/
    ],
    [{ error: 404, errorCode: 'RESOURCE_NOT_FOUND' }, /private-link-id or interface-endpoint-id is wrong/],
    [{ error: 403, errorCode: 'IP_ADDRESS_NOT_ON_ACCESS_LIST' }, /access list/],
    [{ error: 403, errorCode: 'USER_UNAUTHORIZED' }, /Organization Owner or Project Owner/]
  ] as const)('fails at once with a hint on %j', async (step, hint) => {
    const result = await run([step], { 'wait-for': 'AVAILABLE' })
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toMatch(
      new RegExp(`^::error::Atlas answered HTTP ${step.error} \\(${step.errorCode}\\)`, 'm')
    )
    expect(result.stdout).toMatch(hint)
    expect(standin.requests).toHaveLength(2)
  })

  it('times out on time, with the last status in the outputs', async () => {
    const result = await run([{ status: 'PENDING' }], { 'wait-for': 'AVAILABLE', 'timeout-seconds': '3' })
    expect(result.exitCode).toBe(1)
    expect(result.durationMs).toBeLessThan(3_000 + 1_500)
    expect(result.stdout).toMatch(
      /^::error::Timed out waiting for AVAILABLE \(timeout-seconds: 3\): .* Waited \d(\.\d)? s; the last status was PENDING \(\d reads\)\./m
    )
    expect(result.outputs['connection-status']).toBe('PENDING')
    expect(result.summary).toContain('⏳')
  })

  it('rejects a bad input before sending anything, naming the input', async () => {
    const result = await run([{ status: 'AVAILABLE' }], { 'project-id': 'not-a-project' })
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toMatch(
      /^::error::Input "project-id" must be .*24 lower-case hexadecimal digits.*got "not-a-project"/m
    )
    expect(standin.requests).toHaveLength(0)
    expect(result.summary).toContain('Inputs are invalid')
  })

  it('waits at least Retry-After on a 429, then goes on', async () => {
    const result = await run(
      [{ error: 429, errorCode: 'RATE_LIMITED', headers: { 'Retry-After': '2' } }, { status: 'AVAILABLE' }],
      { 'wait-for': 'AVAILABLE' }
    )
    expect(result.exitCode).toBe(0)
    const [limited, next] = standin.requests.filter(r => r.authorized)
    expect(next.at - limited.at).toBeGreaterThanOrEqual(2_000)
    expect(result.stdout).toMatch(/HTTP 429 \(RATE_LIMITED\).*Retry 1 of 5 in 2 s/)
  })

  itWithSignals.each(['SIGTERM', 'SIGINT'] as const)(
    'stops at once on %s mid-wait, writes outputs and a summary saying so, and exits non-zero',
    async signal => {
      let signalledAt = 0
      const result = await run(
        [{ status: 'PENDING' }],
        { 'wait-for': 'AVAILABLE', 'interval-seconds': '30' },
        {
          onStdout: text => {
            if (signalledAt === 0 && text.includes('next check in 30 s')) {
              signalledAt = performance.now()
              child?.kill(signal)
            }
          },
          onStart: started => (child = started)
        }
      )
      const exitedAfterMs = performance.now() - signalledAt
      expect(signalledAt).toBeGreaterThan(0)
      expect(exitedAfterMs).toBeLessThan(2_000)
      expect(result.exitCode).not.toBe(0)
      expect(result.stdout).toMatch(new RegExp(`^::error::The step was cancelled \\(${signal}\\)`, 'm'))
      expect(result.outputs['connection-status']).toBe('PENDING')
      expect(result.summary).toContain('Cancelled')
    }
  )

  it('reaches an https API directly, trusting the TLS certificate from NODE_EXTRA_CA_CERTS', async () => {
    const certificate = makeTestCertificate()
    try {
      standin = await startStandin({ tls: { key: certificate.key, cert: certificate.cert } })
      const result = await runAction({
        inputs: { ...REQUIRED_INPUTS, 'base-url': standin.baseUrl },
        env: { NODE_EXTRA_CA_CERTS: certificate.certFile }
      })
      expectNoSecretLeaked(result)
      expect(standin.baseUrl).toMatch(/^https:/)
      expect(result.exitCode).toBe(0)
      expect(result.outputs['connection-status']).toBe('AVAILABLE')
    } finally {
      certificate.cleanup()
    }
  })

  it('with step debug logging on, shows request details but never the key or the Authorization header', async () => {
    const result = await run(
      [{ status: 'PENDING' }, { status: 'AVAILABLE' }],
      { 'wait-for': 'AVAILABLE' },
      {
        env: { RUNNER_DEBUG: '1' }
      }
    )
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toMatch(
      /^::debug::GET http:\/\/127\.0\.0\.1:\d+\/api\/atlas\/v1\.0\/groups\/.* → HTTP 200/m
    )
    expect(result.stdout).not.toMatch(/response="[0-9a-f]{32}"/)
    expect(result.stdout).not.toMatch(/cnonce/i)
  })

  it('shows Atlas text but never obeys it: no injected warning, no added output, escaped summary', async () => {
    const errorMessage =
      'x\n::warning::injected\nconnection-status<<EOF\nAVAILABLE\nEOF\n<img src=x onerror=alert(1)> **bold**'
    const result = await run([{ status: 'REJECTED', errorMessage }], { 'wait-for': 'AVAILABLE' })
    expect(result.exitCode).toBe(1)
    expect(result.stdout).not.toMatch(/^::warning::injected/m)
    expect(result.stdout.split('\n').filter(line => line.startsWith('::warning'))).toEqual([])
    expect(Object.keys(result.outputs).sort()).toEqual([...OUTPUT_NAMES].sort())
    expect(result.outputs['connection-status']).toBe('REJECTED')
    expect(result.outputs['error-message']).toBe(errorMessage)
    expect(result.summary).not.toContain('<img')
    expect(result.summary).not.toContain('**bold**')
    expect(result.summary).toContain('injected')
  })

  it('writes no summary when summary is false, and still sets the outputs', async () => {
    const result = await run([{ status: 'AVAILABLE' }], { summary: 'false' })
    expect(result.exitCode).toBe(0)
    expect(result.summary).toBe('')
    expect(result.outputs['connection-status']).toBe('AVAILABLE')
  })

  it('runs outside a runner too: no summary file, no failure because of it', async () => {
    const result = await run([{ status: 'AVAILABLE' }], {}, { withSummaryFile: false })
    expect(result.exitCode).toBe(0)
    expect(result.stdout).not.toMatch(/::warning::Could not write the job summary/)
  })
})

let child: import('node:child_process').ChildProcess | undefined
