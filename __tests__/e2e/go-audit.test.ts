/**
 * A red-team audit of the verdict: answers that are not quite Atlas saying "yes" must never pass
 * the gate. Run as a runner runs the bundle, against a stand-in that answers each request as
 * scripted, judged by the exit code, the outputs and the summary's verdict.
 *
 * Every case here passed the step (exit 0, ✅) against the dist/ of main at e0b9cf4:
 * - a status not written as Atlas writes it: "available", " AVAILABLE", "AVAILABLE\n", and
 *   non-ASCII look-alikes that String.trim or toUpperCase turn into AVAILABLE ("AVAıLABLE" with a
 *   dotless i, a leading U+FEFF, a trailing U+00A0);
 * - JSON with a member twice (JSON.parse keeps the last, other readers the first): REJECTED then
 *   AVAILABLE, deleteRequested true then false, another endpoint's ID then the one asked for; a
 *   cluster UPDATING then IDLE, or paused true then false;
 * - deleteRequested that is neither true nor false (1, "TRUE", null, {}), read as false;
 * - a Google Cloud endpoint group AVAILABLE with a forwarding rule INITIATING or DELETING, or
 *   with no rules at all;
 * - a teardown confirmed by an endpoint service listing with another service's id (one
 *   without an id is read as the service asked about: the single-service read is not
 *   documented to carry it); with '*', such an empty listing passed at once;
 * - a teardown confirmed by "the service is gone" while the project's own list of endpoint
 *   services still names it (in any case);
 * - a cluster whose private connection string lists the AWS endpoint ID in upper case;
 * - an AWS endpoint answering 200 with connectionStatus DELETED (AWS never reports it: only a
 *   404 the endpoint service confirms is a deletion).
 */
import type { AtlasStandin, ClusterStep, StandinOptions, Step } from '../../standin/atlas-standin.js'
import { runAction, type ActionRun } from '../../standin/runner.js'
import { startStandin } from '../helpers/harness.js'
import { CLOUD_IDS, IDS, REQUIRED_INPUTS } from '../helpers/ids.js'

const V2_TYPE = 'application/vnd.atlas.2023-01-01+json'
const CLUSTER_TYPE = 'application/vnd.atlas.2024-08-05+json'
const AWS_ID = IDS.interfaceEndpointId
const GCP_ID = CLOUD_IDS.gcpEndpointGroupName
const SERVICE_ID = IDS.privateLinkId
const OTHER_SERVICE_ID = '6a1b2c3d4e5f6a7b8c9d0e10'

let standin: AtlasStandin
afterEach(async () => standin?.stop())

async function run(
  inputs: Record<string, string>,
  options: Partial<StandinOptions>,
  cloud: 'AWS' | 'GCP' = 'AWS'
): Promise<ActionRun> {
  const id = cloud === 'AWS' ? AWS_ID : GCP_ID
  standin = await startStandin({ cloudProvider: cloud, interfaceEndpointId: id, ...options })
  return runAction({
    inputs: {
      ...REQUIRED_INPUTS,
      'interface-endpoint-id': '',
      'cloud-provider': cloud,
      'endpoint-id': id,
      'base-url': standin.baseUrlV2,
      'interval-seconds': '1',
      'timeout-seconds': '2',
      'wait-for': 'AVAILABLE',
      ...inputs
    }
  })
}

/** A 200 with this exact text. */
const answer = (body: string, type = V2_TYPE): Step & ClusterStep => ({
  raw: { status: 200, headers: { 'Content-Type': type }, body }
})
const awsBody = (fields: Record<string, unknown> = {}) =>
  JSON.stringify({
    cloudProvider: 'AWS',
    connectionStatus: 'AVAILABLE',
    deleteRequested: false,
    errorMessage: null,
    interfaceEndpointId: AWS_ID,
    ...fields
  })
/** The AWS body with `member` written once more before the others: `{"member":value,…}`. */
const twice = (member: string, value: unknown) =>
  awsBody().replace('{', `{${JSON.stringify(member)}:${JSON.stringify(value)},`)
const gcpBody = (rules: { status: string }[] | undefined) =>
  JSON.stringify({
    cloudProvider: 'GCP',
    status: 'AVAILABLE',
    deleteRequested: false,
    errorMessage: null,
    endpointGroupName: GCP_ID,
    gcpProjectId: 'customer-project-1',
    portMappingEnabled: false,
    ...(rules === undefined
      ? {}
      : {
          endpoints: rules.map((rule, i) => ({
            endpointName: `${GCP_ID}-${i}`,
            ipAddress: `10.128.0.${10 + i}`,
            status: rule.status
          }))
        })
  })

const endpointReads = () => standin.requests.filter(r => r.authorized && r.target === 'endpoint')
const errors = (result: ActionRun): string[] =>
  result.stdout.split('\n').filter(line => line.startsWith('::error'))
const decoded = (html: string): string =>
  html.replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
const headline = (result: ActionRun): string => decoded(/<h2>(.*?)<\/h2>/.exec(result.summary)?.[1] ?? '')

/**
 * Never a go: exit 1, a verdict that is not a pass, one error; and, unless the endpoints may have
 * arrived (a run held back by its cluster), no ✅ row and no endpoint marked reached.
 */
function expectNoGo(result: ActionRun, { endpointsArrived = false } = {}): void {
  expect(result.exitCode).toBe(1)
  expect(headline(result)).toMatch(/^❌/)
  expect(errors(result)).toHaveLength(1)
  if (endpointsArrived) return
  expect(result.summary).not.toContain('✅')
  if (result.outputs.endpoints !== undefined && result.outputs.endpoints !== '') {
    const endpoints = JSON.parse(result.outputs.endpoints) as { reached: boolean }[]
    expect(endpoints.every(endpoint => !endpoint.reached)).toBe(true)
  }
}

describe('a status is a pass only as Atlas writes it', () => {
  it.each(['available', ' AVAILABLE', 'AVAILABLE\n', 'Available\t'])(
    'connectionStatus %j is "not yet": the step times out',
    async status => {
      const result = await run({}, { script: [answer(awsBody({ connectionStatus: status }))] })
      expectNoGo(result)
      expect(errors(result)[0]).toContain('Timed out waiting for AVAILABLE')
      expect(result.stdout).toContain('not as Atlas writes it')
    }
  )

  it.each(['available', 'AVAILABLE\n'])(
    'read once, connectionStatus %j is shown as it came, never as a status a workflow could take for AVAILABLE',
    async status => {
      const result = await run(
        { 'wait-for': '' },
        { script: [answer(awsBody({ connectionStatus: status }))] }
      )
      // GitHub compares strings in expressions without regard to case: the output must not be
      // "available" (or "AVAILABLE") for `connection-status == 'AVAILABLE'` to stay false.
      expect(result.outputs['connection-status']).toBe(JSON.stringify(status))
      expect(result.outputs['connection-status'].toUpperCase()).not.toBe('AVAILABLE')
      const [endpoint] = JSON.parse(result.outputs.endpoints) as { status: string; reached: boolean }[]
      expect(endpoint.status).toBe(JSON.stringify(status))
      expect(endpoint.reached).toBe(false)
    }
  )

  it.each([
    ['a dotless i', 'AVA\u0131LABLE'],
    ['a leading byte-order mark', '\ufeffAVAILABLE'],
    ['a trailing no-break space', 'AVAILABLE\u00a0']
  ])('a look-alike with %s is not a status at all', async (_case, status) => {
    const result = await run({}, { script: [answer(awsBody({ connectionStatus: status }))] })
    expectNoGo(result)
    expect(errors(result)[0]).toContain('connectionStatus a string')
    expect(endpointReads()).toHaveLength(1)
  })

  it('an AWS endpoint answering 200 with DELETED does not pass a teardown', async () => {
    const result = await run(
      { 'wait-for': 'DELETED' },
      { script: [answer(awsBody({ connectionStatus: 'DELETED' }))] }
    )
    expectNoGo(result)
    expect(result.stdout).toContain('only a 404 the endpoint service confirms counts as DELETED')
    // A 200 is not a 404: nothing to corroborate, and never "DELETED" on its word.
    expect(result.stdout).not.toContain('asking the endpoint service whether it is gone')
    expect(errors(result)[0]).toContain('Timed out waiting for DELETED')
  })
})

describe('JSON that says two things at once is never a pass', () => {
  it.each<[string, string]>([
    ['connectionStatus REJECTED, then AVAILABLE', twice('connectionStatus', 'REJECTED')],
    ['deleteRequested true, then false', twice('deleteRequested', true)],
    ['another endpoint, then the one asked for', twice('interfaceEndpointId', 'vpce-0000000000000000f')],
    ['the same member, once escaped', awsBody().replace('{', '{"connection\\u0053tatus":"REJECTED",')]
  ])('an endpoint answer with %s', async (_case, body) => {
    const result = await run({}, { script: [answer(body)] })
    expectNoGo(result)
    expect(errors(result)[0]).toContain('more than once')
  })

  it.each<[string, string, string]>([
    ['stateName UPDATING, then IDLE', '"stateName":"IDLE"', '"stateName":"UPDATING","stateName":"IDLE"'],
    ['paused true, then false', '"paused":false', '"paused":true,"paused":false']
  ])('a cluster answer with %s', async (_case, from, to) => {
    const cluster = JSON.stringify({
      name: 'Cluster0',
      stateName: 'IDLE',
      paused: false,
      clusterType: 'REPLICASET',
      connectionStrings: {
        privateEndpoint: [
          {
            srvConnectionString: 'mongodb+srv://cluster0-pl-0.ab1cd.mongodb.net',
            type: 'MONGOD',
            endpoints: [{ endpointId: AWS_ID, providerName: 'AWS', region: 'US_EAST_1' }]
          }
        ]
      }
    })
    const result = await run(
      { 'cluster-name': 'Cluster0' },
      { clusters: [{ name: 'Cluster0', script: [answer(cluster.replace(from, to), CLUSTER_TYPE)] }] }
    )
    expectNoGo(result, { endpointsArrived: true })
    expect(result.outputs['connection-string']).toBe('')
    expect(errors(result)[0]).toContain('more than once')
  })
})

describe('deleteRequested is true or false, nothing in between', () => {
  it.each<[string, unknown]>([
    ['1', 1],
    ['"TRUE"', 'TRUE'],
    ['null', null],
    ['an object', {}]
  ])('AVAILABLE with deleteRequested %s never passes', async (_case, value) => {
    const result = await run({}, { script: [answer(awsBody({ deleteRequested: value }))] })
    expectNoGo(result)
    expect(errors(result)[0]).toContain('neither true nor false')
  })
})

describe('a Google Cloud endpoint group passes only with every forwarding rule AVAILABLE', () => {
  it.each<[string, { status: string }[] | undefined]>([
    ['a rule INITIATING', [{ status: 'AVAILABLE' }, { status: 'INITIATING' }]],
    ['a rule DELETING', [{ status: 'AVAILABLE' }, { status: 'DELETING' }]],
    ['a rule "available"', [{ status: 'available' }]],
    ['an empty rule list', []],
    ['no rule list', undefined]
  ])('an AVAILABLE group with %s is "not yet"', async (_case, rules) => {
    const result = await run({}, { script: [answer(gcpBody(rules))] }, 'GCP')
    expectNoGo(result)
    expect(errors(result)[0]).toContain('Timed out waiting for AVAILABLE')
    expect(result.outputs['connection-status']).toBe('AVAILABLE')
  })

  it('waits while a rule is INITIATING, then passes when every rule is AVAILABLE', async () => {
    const result = await run(
      { 'timeout-seconds': '8' },
      {
        script: [
          answer(gcpBody([{ status: 'AVAILABLE' }, { status: 'INITIATING' }])),
          answer(gcpBody([{ status: 'AVAILABLE' }, { status: 'AVAILABLE' }]))
        ]
      },
      'GCP'
    )
    expect(result.exitCode).toBe(0)
    expect(endpointReads()).toHaveLength(2)
    expect(result.stdout).toContain(`AVAILABLE (but its forwarding rule ${GCP_ID}-1 is INITIATING)`)
    expect(headline(result)).toMatch(/^✅ Passed/)
  })
})

describe('a teardown counts only on the word of the service asked about', () => {
  const listing = (fields: Record<string, unknown>) =>
    answer(JSON.stringify({ cloudProvider: 'AWS', status: 'AVAILABLE', interfaceEndpoints: [], ...fields }))

  it.each<[string, Record<string, unknown>]>([
    ['another service’s id', { id: OTHER_SERVICE_ID }],
    ['a numeric id', { id: 1 }],
    ['the id in upper case', { id: SERVICE_ID.toUpperCase() }]
  ])('a 404 is not confirmed by an empty listing with %s', async (_case, fields) => {
    const result = await run(
      { 'wait-for': 'DELETED' },
      { script: [{ gone: true }], serviceScript: [listing(fields)] }
    )
    expectNoGo(result)
    expect(result.outputs['connection-status']).not.toBe('DELETED')
    expect(errors(result)[0]).toContain('does not say which service it lists')
  })

  it('with \'*\', an empty listing of another service is not "every endpoint is DELETED"', async () => {
    const result = await run(
      { 'wait-for': 'DELETED', 'endpoint-id': '*' },
      { serviceScript: [listing({ id: OTHER_SERVICE_ID })] }
    )
    expectNoGo(result)
    expect(result.stdout).not.toContain('every endpoint is DELETED')
    expect(endpointReads()).toHaveLength(0)
  })

  it.each([
    ['as it is', SERVICE_ID],
    ['in upper case', SERVICE_ID.toUpperCase()]
  ])('a service that 404s while the project still lists it (%s) is not gone', async (_case, listedId) => {
    const result = await run(
      { 'wait-for': 'DELETED' },
      {
        script: [{ gone: true }],
        serviceScript: [{ gone: true }],
        servicesScript: [
          answer(
            JSON.stringify([
              { id: listedId, cloudProvider: 'AWS', status: 'AVAILABLE', interfaceEndpoints: [AWS_ID] }
            ])
          )
        ]
      }
    )
    expectNoGo(result)
    expect(result.outputs['connection-status'] ?? '').not.toBe('DELETED')
    expect(errors(result)[0]).toContain("yet lists it among the project's endpoint services")
  })
})

describe('a cluster serves the endpoint only when it lists the ID Atlas gave it', () => {
  it('an AWS endpoint listed in upper case is not the endpoint: the cluster is not ready', async () => {
    const result = await run(
      { 'cluster-name': 'Cluster0' },
      {
        clusters: [
          {
            name: 'Cluster0',
            script: [{ stateName: 'IDLE', privateEndpoints: [{ endpoints: [AWS_ID.toUpperCase()] }] }]
          }
        ]
      }
    )
    expectNoGo(result, { endpointsArrived: true })
    expect(result.outputs['connection-string']).toBe('')
    expect(errors(result)[0]).toContain(`do not list ${AWS_ID}`)
    expect(JSON.parse(result.outputs.clusters)).toEqual([expect.objectContaining({ ready: false })])
  })
})
