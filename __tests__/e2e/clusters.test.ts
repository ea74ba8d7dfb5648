/**
 * Issue 16 end to end: "ready to connect". With cluster-name, the step passes only when every
 * endpoint is AVAILABLE and every named cluster is IDLE, not paused, and lists the endpoints in
 * a private connection string, which it hands to the deploy in `connection-string`. Run as a
 * runner runs the bundle, judged by what a workflow sees and by the stand-in's records.
 */
import type { AtlasStandin, ClusterSpec, EndpointSpec, StandinOptions } from '../../standin/atlas-standin.js'
import { OAuthStandin } from '../../standin/oauth-standin.js'
import { runAction, type ActionRun } from '../../standin/runner.js'
import { startStandin } from '../helpers/harness.js'
import { REQUIRED_INPUTS } from '../helpers/ids.js'

const A = 'vpce-0aaaaaaaaaaaaaaa1'
const B = 'vpce-0bbbbbbbbbbbbbbb2'
const ID = 'mdb_sa_id_0123456789abcdef01234567'
const SECRET = 'mdb_sa_sk_Zq4tW9xYp2LmN7vB3cR8sK1dF6gH0jA5'

let standin: AtlasStandin
afterEach(async () => standin?.stop())

async function run(
  endpoints: EndpointSpec[],
  clusters: ClusterSpec[],
  inputs: Record<string, string>,
  options: Partial<StandinOptions> = {}
): Promise<ActionRun> {
  standin = await startStandin({ endpoints, clusters, ...options })
  return runAction({
    inputs: {
      ...REQUIRED_INPUTS,
      'interface-endpoint-id': '',
      'endpoint-id': endpoints.map(e => e.id).join('\n'),
      'base-url': standin.baseUrlV2,
      'interval-seconds': '1',
      'timeout-seconds': '8',
      'wait-for': 'AVAILABLE',
      ...inputs
    }
  })
}

const decoded = (html: string): string =>
  html.replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
const headline = (result: ActionRun): string => decoded(/<h2>(.*?)<\/h2>/.exec(result.summary)?.[1] ?? '')
const requestsFor = (target: string) => standin.requests.filter(r => r.authorized && r.target === target)

interface ClusterOutput {
  name: string
  state: string
  paused: boolean
  ready: boolean
  type: string
  connectionString: string
  srvConnectionString: string
  srvShardOptimizedConnectionString: string
}
const clustersOutput = (result: ActionRun): ClusterOutput[] =>
  JSON.parse(result.outputs.clusters) as ClusterOutput[]

describe('ready to connect', () => {
  it('passes after the cluster is ready, not before, and hands over its private connection string', async () => {
    const result = await run(
      [{ id: A, script: [{ status: 'PENDING' }, { status: 'AVAILABLE' }] }],
      [
        {
          name: 'Cluster0',
          script: [
            { stateName: 'UPDATING', times: 2 },
            { stateName: 'IDLE', privateEndpoints: [{ endpoints: [A] }] }
          ]
        }
      ],
      { 'cluster-name': 'Cluster0' }
    )
    expect(result.exitCode).toBe(0)
    const clusterReads = requestsFor('cluster')
    expect(clusterReads).toHaveLength(3)
    // No cluster read before the endpoint arrived.
    const firstAvailable = standin.requests.find(
      r => r.target === 'endpoint' && r.authorized && r.status === 200
    )
    expect(clusterReads[0].at).toBeGreaterThanOrEqual(firstAvailable?.at ?? 0)
    expect(result.outputs['connection-string']).toMatch(/^mongodb\+srv:\/\/[a-z0-9.-]+/)
    expect(clustersOutput(result)).toEqual([
      expect.objectContaining({ name: 'Cluster0', state: 'IDLE', paused: false, ready: true })
    ])
    expect(result.outputs['connection-string']).not.toContain('@')
    expect(result.outputs['connection-status']).toBe('AVAILABLE')
    expect(headline(result)).toBe(
      `✅ Passed: the AWS interface endpoint ${A} is AVAILABLE and cluster Cluster0 is ready to connect; the deploy may go on`
    )
    expect(decoded(result.summary)).toContain('Clusters')
    expect(result.stdout).toMatch(
      /cluster Cluster0 is IDLE, and its private connection string lists the endpoint: ready/
    )
  })

  it('waits on an IDLE cluster that lists another endpoint only, then times out with the endpoints ready', async () => {
    const result = await run(
      [{ id: A, script: [{ status: 'AVAILABLE' }] }],
      [{ name: 'Cluster0', script: [{ stateName: 'IDLE', privateEndpoints: [{ endpoints: [B] }] }] }],
      { 'cluster-name': 'Cluster0', 'timeout-seconds': '3' }
    )
    expect(result.exitCode).toBe(1)
    expect(headline(result)).toMatch(
      new RegExp(
        `^❌ Timed out after [\\d.]+ s: the endpoint is ready but cluster Cluster0 is IDLE; its private connection strings do not list ${A}`
      )
    )
    expect(result.outputs['connection-status']).toBe('AVAILABLE')
    expect(result.outputs['connection-string']).toBe('')
  })

  it('fails fast on a cluster that is not found, naming a near name when the project has one', async () => {
    const near = await run([{ id: A, script: [{ status: 'AVAILABLE' }] }], [{ name: 'Cluster0' }], {
      'cluster-name': 'Clustr0',
      'timeout-seconds': '30'
    })
    expect(near.exitCode).toBe(1)
    expect(near.durationMs).toBeLessThan(10_000)
    expect(near.stdout).toContain(
      'Atlas has no cluster named Clustr0 in this project; it has a cluster named Cluster0'
    )
    await standin.stop()
    const far = await run([{ id: A, script: [{ status: 'AVAILABLE' }] }], [{ name: 'Cluster0' }], {
      'cluster-name': 'Analytics',
      'timeout-seconds': '30'
    })
    expect(far.exitCode).toBe(1)
    expect(far.stdout).toContain('Atlas has no cluster named Analytics in this project.')
    expect(headline(far)).toBe(
      '❌ Blocked: Atlas has no cluster named Analytics in this project; the deploy should not go on'
    )
  })

  it.each([
    ['paused', { stateName: 'IDLE', paused: true }, 'cluster Cluster0 is paused'],
    ['DELETING', { stateName: 'DELETING' }, 'cluster Cluster0 is being deleted']
  ] as const)('fails at once on a %s cluster', async (_, step, words) => {
    const result = await run(
      [{ id: A, script: [{ status: 'AVAILABLE' }] }],
      [{ name: 'Cluster0', script: [step] }],
      { 'cluster-name': 'Cluster0', 'timeout-seconds': '30' }
    )
    expect(result.exitCode).toBe(1)
    expect(result.durationMs).toBeLessThan(10_000)
    expect(headline(result)).toBe(`❌ Blocked: ${words}; the deploy should not go on`)
  })

  it('fails on a Flex cluster: its private endpoints are not dedicated-cluster endpoints', async () => {
    const result = await run(
      [{ id: A, script: [{ status: 'AVAILABLE' }] }],
      [{ name: 'Small0', kind: 'flex' }],
      { 'cluster-name': 'Small0', 'timeout-seconds': '30' }
    )
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toMatch(
      /Small0 is a Flex cluster, which the project's private endpoints do not serve/
    )
    expect(headline(result)).toBe(
      '❌ Blocked: cluster Small0 is not a dedicated cluster, which private endpoints serve; the deploy should not go on'
    )
  })

  it('waits for two clusters, one late, and chooses the shard-optimized string of a sharded one', async () => {
    const result = await run(
      [{ id: A, script: [{ status: 'AVAILABLE' }] }],
      [
        { name: 'Sharded0', clusterType: 'SHARDED' },
        {
          name: 'Late1',
          script: [
            { stateName: 'UPDATING', times: 2 },
            { stateName: 'IDLE', privateEndpoints: [{ endpoints: [A] }] }
          ]
        }
      ],
      { 'cluster-name': 'Sharded0, Late1' }
    )
    expect(result.exitCode).toBe(0)
    const [sharded, late] = clustersOutput(result)
    expect(sharded).toMatchObject({ name: 'Sharded0', ready: true, type: 'MONGOS' })
    expect(sharded.srvShardOptimizedConnectionString).not.toBe('')
    expect(result.outputs['connection-string']).toBe(sharded.srvShardOptimizedConnectionString)
    expect(late).toMatchObject({ name: 'Late1', ready: true })
    // Clusters add at most M reads per check once the endpoint is there: 3 checks × 2 clusters.
    expect(requestsFor('cluster')).toHaveLength(6)
  })

  it('reads the clusters once with no wait-for, and the outcome is the endpoints’', async () => {
    const result = await run(
      [{ id: A, script: [{ status: 'AVAILABLE' }] }],
      [{ name: 'Cluster0', script: [{ stateName: 'UPDATING' }] }],
      { 'cluster-name': 'Cluster0', 'wait-for': '' }
    )
    expect(result.exitCode).toBe(0)
    expect(requestsFor('cluster')).toHaveLength(1)
    expect(clustersOutput(result)[0]).toMatchObject({ state: 'UPDATING', ready: false })
  })

  it('works with a service account: one token serves the endpoint and cluster reads', async () => {
    const oauth = new OAuthStandin({ accounts: [{ clientId: ID, clientSecret: SECRET }] })
    const result = await run(
      [{ id: A, script: [{ status: 'AVAILABLE' }] }],
      [{ name: 'Cluster0' }],
      {
        'cluster-name': 'Cluster0',
        'public-key': '',
        'private-key': '',
        'client-id': ID,
        'client-secret': SECRET
      },
      { serviceAccounts: oauth }
    )
    expect(result.exitCode).toBe(0)
    expect(result.outputs['connection-string']).not.toBe('')
    expect(standin.requests.filter(r => r.auth === 'bearer' && r.authorized)).toHaveLength(2)
  })

  it('refuses cluster-name with wait-for DELETED before any request', async () => {
    const result = await run([{ id: A, script: [{ status: 'AVAILABLE' }] }], [{ name: 'Cluster0' }], {
      'cluster-name': 'Cluster0',
      'wait-for': 'DELETED'
    })
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toMatch(/^::error::.*cluster-name/m)
    expect(standin.requests).toHaveLength(0)
  })

  it('costs one Digest challenge for the whole run: the cluster reads reuse it', async () => {
    const result = await run(
      [{ id: A, script: [{ status: 'AVAILABLE' }] }],
      [
        {
          name: 'Cluster0',
          script: [{ stateName: 'UPDATING' }, { stateName: 'IDLE', privateEndpoints: [{ endpoints: [A] }] }]
        }
      ],
      { 'cluster-name': 'Cluster0' }
    )
    expect(result.exitCode).toBe(0)
    // Check 1: endpoint + cluster; check 2: cluster, then the endpoint again (one moment).
    expect(standin.requests.filter(r => !r.authorized)).toHaveLength(1)
    expect(requestsFor('endpoint')).toHaveLength(2)
    expect(requestsFor('cluster')).toHaveLength(2)
  })
})
