/**
 * The bundled action against hostile or misleading input, run as a runner runs it: deletion
 * gates, passwords in base-url, hostile 200 bodies, bidi controls from Atlas, `fail-on: none`
 * and a deadline shorter than two intervals. Judged only by what a workflow sees: exit code,
 * log, outputs and summary.
 */
import type { AtlasStandin, StandinOptions, Step } from '../../standin/atlas-standin.js'
import { runAction, type ActionRun } from '../../standin/runner.js'
import { startStandin } from '../helpers/harness.js'
import { CLOUD_IDS, IDS, REQUIRED_INPUTS } from '../helpers/ids.js'

let standin: AtlasStandin
afterEach(async () => standin?.stop())

async function run(
  script: Step[],
  inputs: Record<string, string> = {},
  options: Partial<StandinOptions> = {}
): Promise<ActionRun> {
  standin = await startStandin({ script, ...options })
  return runAction({
    inputs: { ...REQUIRED_INPUTS, 'base-url': standin.baseUrlV2, 'interval-seconds': '1', ...inputs }
  })
}

/** Everything a person can see of a run: the log (annotations included) and the summary. */
const visible = (result: ActionRun): string => `${result.stdout}\n${result.stderr}\n${result.summary}`
const annotations = (result: ActionRun, kind: 'error' | 'warning'): string[] =>
  result.stdout.split('\n').filter(line => line.startsWith(`::${kind}`))

/** The summary's text with its character references decoded. */
function summaryText(result: ActionRun): string {
  return result.summary.replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
}

describe('deletion requested: never a pass', () => {
  const onItsWayOut: Step[] = [{ status: 'AVAILABLE', deleteRequested: true }]

  it('AVAILABLE with deleteRequested fails a wait for AVAILABLE, and the summary says why', async () => {
    const result = await run(onItsWayOut, { 'wait-for': 'AVAILABLE' })
    expect(result.exitCode).toBe(1)
    expect(annotations(result, 'error')[0]).toMatch(/request to delete it \(deleteRequested: true\)/)
    expect(result.outputs).toMatchObject({ 'connection-status': 'AVAILABLE', 'delete-requested': 'true' })
    expect(result.summary).not.toContain('✅')
    expect(summaryText(result)).toMatch(/request to delete it \(deleteRequested: true\)/)
  })

  it.each([
    ['the default fail-on', 1, {}],
    ["fail-on: ''", 0, { 'fail-on': '' }]
  ] as const)('read once with %s: exit %i, saying deletion was requested', async (_, exitCode, inputs) => {
    const result = await run(onItsWayOut, inputs)
    expect(result.exitCode).toBe(exitCode)
    expect(result.stdout).toMatch(/request to delete it \(deleteRequested: true\)/)
    expect(summaryText(result)).toMatch(/request to delete it \(deleteRequested: true\)/)
    expect(result.summary).not.toContain('✅')
  })
})

describe('a password in base-url never shows', () => {
  it.each([
    ['https://svc-atlas:Pa/ss0rd!@cloud.mongodbgov.com/api/atlas/v1.0', 'Pa/ss0rd!'],
    ['https:/user:Pa/ss@cloud.mongodb.com/api/atlas/v2', 'Pa/ss'],
    ['https:\\\\svc-atlas:Pa\\ss0rd!@cloud.mongodb.com\\api\\atlas\\v2', 'Pa\\ss0rd!'],
    ['https://svc-atlas:Pa\\ss0rd!@cloud.mongodb.com/api/atlas/v2', 'Pa\\ss0rd!'],
    ['https://svc-atlas:P@ss/w0rd@cloud.mongodb.com/api/atlas/v2', 'P@ss/w0rd'],
    ['http://svc-atlas:Pa/ss0rd!@127.0.0.1:1/api/atlas/v2', 'Pa/ss0rd!']
  ])('%s', async (baseUrl, password) => {
    const result = await run([{ status: 'AVAILABLE' }], { 'base-url': baseUrl })
    expect(result.exitCode).toBe(1)
    expect(annotations(result, 'error')[0]).toMatch(/base-url/)
    expect(result.summary).toContain('Inputs are invalid')
    const encodings = [password, encodeURIComponent(password), JSON.stringify(password).slice(1, -1)]
    for (const shown of [visible(result), summaryText(result), result.outputFile]) {
      for (const form of encodings) expect(shown).not.toContain(form)
      // Nor its tail, as a cut after the "/" would leave.
      expect(shown).not.toContain(password.slice(-5))
    }
    expect(standin.requests).toHaveLength(0)
  })
})

describe('hostile 200 bodies: always a written summary, never a crash', () => {
  const MiB = 1024 * 1024
  const json = (value: unknown) => JSON.stringify(value)
  const huge = (field: string, fill: string, total: number) => {
    const head = `{"connectionStatus":"PENDING","${field}":"`
    return `${head}${fill.repeat(total - head.length - 2)}"}`
  }
  const binary = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) % 256))
  const invalidUtf8 = Buffer.concat([
    Buffer.from('{"connectionStatus":"REJECTED","errorMessage":"bad '),
    Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80, 0xf0, 0x9f]),
    Buffer.from('"}')
  ])
  const corpus: [string, string | Buffer, string?][] = [
    [
      '5,000 nested arrays in a field',
      `{"connectionStatus":"AVAILABLE","errorMessage":${'['.repeat(5000)}${']'.repeat(5000)}}`
    ],
    ['5,000 nested arrays as the status', `{"connectionStatus":${'['.repeat(5000)}${']'.repeat(5000)}}`],
    ['a body just under the 1 MiB cap', huge('errorMessage', 'x', MiB - 1)],
    ['a body just over the 1 MiB cap', huge('errorMessage', 'x', MiB + 1)],
    ['binary bytes', binary],
    ['invalid UTF-8', invalidUtf8],
    [
      'wrong types in every field',
      json({ connectionStatus: 42, deleteRequested: 'yes', errorMessage: { a: 1 }, interfaceEndpointId: [1] })
    ],
    [
      'wrong types around a good status',
      json({
        connectionStatus: 'REJECTED',
        deleteRequested: 'true',
        errorMessage: 7,
        interfaceEndpointId: {}
      })
    ],
    ['a status that is not a status name', json({ connectionStatus: '<b>AVAILABLE</b>\n::error::x' })],
    [
      "an errorMessage of 1,040,000 '<'",
      json({ connectionStatus: 'REJECTED', errorMessage: '<'.repeat(1_040_000) })
    ],
    ['JSON null', 'null'],
    ['a JSON array', '[{"connectionStatus":"AVAILABLE"}]'],
    ['an empty body', ''],
    [
      'GCP endpoints as a string',
      json({ status: 'INITIATING', endpointGroupName: 'g', endpoints: 'AVAILABLE' }),
      'GCP'
    ],
    ['GCP endpoints as a number', json({ status: 'INITIATING', endpoints: 3 }), 'GCP'],
    [
      'GCP endpoints of junk',
      json({
        status: 'AVAILABLE',
        endpoints: [
          null,
          1,
          'x',
          [],
          { endpointName: 5 },
          { endpointName: 'r', status: { s: 1 } },
          { endpointName: 'q', status: 'FAILED\u202e' }
        ]
      }),
      'GCP'
    ]
  ]

  it.each(corpus)('%s', async (_, body, cloud = 'AWS') => {
    const raw: Step = { raw: { status: 200, headers: { 'Content-Type': 'application/json' }, body } }
    const endpoint = cloud === 'GCP' ? CLOUD_IDS.gcpEndpointGroupName : IDS.interfaceEndpointId
    const result = await run(
      [raw],
      { 'cloud-provider': cloud, 'endpoint-id': endpoint, 'interface-endpoint-id': '' },
      {
        cloudProvider: cloud as StandinOptions['cloudProvider'],
        interfaceEndpointId: endpoint
      }
    )
    expect([0, 1]).toContain(result.exitCode)
    expect(result.summary.length).toBeGreaterThan(0)
    expect(Buffer.byteLength(result.summary)).toBeLessThan(MiB)
    expect(visible(result)).not.toMatch(
      /Unexpected error|TypeError|is not a function|Cannot read properties|\n\s+at .+:\d+:\d+/
    )
    for (const [name, value] of Object.entries(result.outputs)) {
      expect([name, Buffer.byteLength(value) < 1_000_000]).toEqual([name, true])
    }
    expect(annotations(result, 'error').length).toBeLessThanOrEqual(1)
    // One read; a run that ended on a failing status reads the endpoint service once more, for the report.
    expect(
      standin.requests.filter(request => request.authorized && request.target === 'endpoint')
    ).toHaveLength(1)
    expect(standin.requests.filter(request => request.authorized).length).toBeLessThanOrEqual(2)
  })
})

describe('bidi controls from Atlas are shown, never obeyed', () => {
  const BIDI = ['\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u061c', '\u200e', '\u200f']
  const text = `Rejected by ${BIDI.map((ch, i) => `${ch}part${i}`).join(' ')} end`

  it.each([
    ['errorMessage of a REJECTED endpoint', [{ status: 'REJECTED', errorMessage: text }]],
    ['detail of a 403', [{ error: 403, errorCode: 'USER_UNAUTHORIZED', detail: text }]],
    ['detail of a retried 503', [{ error: 503, detail: text }, { status: 'AVAILABLE' }]]
  ] as [string, Step[]][])('in the %s', async (_, script) => {
    const result = await run(script, { 'wait-for': 'AVAILABLE' })
    for (const ch of BIDI) expect(visible(result)).not.toContain(ch)
    // Shown instead, so that a reader knows they were there.
    expect(result.stdout).toMatch(/U\+202E|\\u202E/i)
    expect(result.stdout).toMatch(/part7/)
  })
})

describe('fail-on: none', () => {
  it("warns that '' turns fail-on off, then fails on a new endpoint's NONE as asked", async () => {
    const result = await run([{ status: 'NONE' }, { status: 'AVAILABLE' }], {
      'fail-on': 'none',
      'wait-for': 'AVAILABLE'
    })
    const warnings = annotations(result, 'warning')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/fail-on lists NONE.*fail-on: '' \(empty\)/)
    expect(result.exitCode).toBe(1)
    expect(annotations(result, 'error')[0]).toMatch(/is NONE, which is listed in fail-on/)
    expect(result.outputs['connection-status']).toBe('NONE')
  })
})

describe('a deadline shorter than two intervals', () => {
  it('reads twice, the second time just before the deadline, and says how long it waited', async () => {
    const result = await run([{ status: 'PENDING' }], {
      'wait-for': 'AVAILABLE',
      'timeout-seconds': '5',
      'interval-seconds': '5'
    })
    expect(result.exitCode).toBe(1)
    expect(result.durationMs).toBeLessThan(6_500)
    const reads = standin.requests.filter(request => request.authorized && request.target === 'endpoint')
    expect(reads).toHaveLength(2)
    const gap = reads[1].at - reads[0].at
    expect(gap).toBeGreaterThan(3_000)
    expect(gap).toBeLessThan(5_000)
    expect(result.stdout).toMatch(/last check in \d(\.\d)? s, just before the deadline/)
    const [error] = annotations(result, 'error')
    expect(error).toMatch(/^::error::Timed out waiting for AVAILABLE \(timeout-seconds: 5\)/)
    expect(error).not.toMatch(/Waited 0 s/)
    expect(error).toMatch(/Waited [45](\.\d)? s; the last status was PENDING \(2 reads\)/)
  })
})
