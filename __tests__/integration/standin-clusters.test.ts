/**
 * Clusters, the project and its endpoint services (issues 15 and 16), over real HTTP: first the
 * stand-in's own answers, checked with a small Digest client of the tests (__tests__/helpers/digest-get.ts, so that a mistake
 * in src/ cannot hide one in the stand-in), then the action's ClusterReader through the real
 * stack (Digest client, transport, node:http) against it.
 */
import { judgeCluster } from '../../src/atlas/cluster.js'
import {
  ClusterNotFoundError,
  ClusterReader,
  MAX_CLUSTER_PAGES,
  NotDedicatedClusterError
} from '../../src/atlas/clusters.js'
import { ApiKeyAuthenticator } from '../../src/auth/api-key.js'
import { Deadline, systemClock } from '../../src/common/clock.js'
import { CLOUDS } from '../../src/common/clouds.js'
import type { ApiVersion } from '../../src/common/constants.js'
import { nearest } from '../../src/common/edit-distance.js'
import { AtlasApiError, ResponseFormatError, TransientError } from '../../src/common/errors.js'
import { nodeHttpFetch } from '../../src/http/node-http.js'
import { createTransport } from '../../src/http/transport.js'
import { AtlasStandin, type ClusterStep, type StandinOptions } from '../../standin/atlas-standin.js'
import { recordingLog } from '../helpers/fake-clock.js'
import { digestGet, type Answer } from '../helpers/digest-get.js'
import { startStandin } from '../helpers/harness.js'
import { CLOUD_IDS, IDS } from '../helpers/ids.js'

const CLUSTER_TYPE = 'application/vnd.atlas.2024-08-05+json'
const V2 = 'application/vnd.atlas.2023-01-01+json'
const VPCE = IDS.interfaceEndpointId
const VPCE_2 = 'vpce-0123456789abcdef1'
let standin: AtlasStandin
afterEach(async () => standin?.stop())

async function start(options: Partial<StandinOptions> = {}): Promise<AtlasStandin> {
  standin = await startStandin(options)
  return standin
}

/** GET with a Digest answer to a fresh challenge (nc 00000001). */
const get = (url: string, accept = CLUSTER_TYPE): Promise<Answer> => digestGet(url, { Accept: accept })

const group = (s: AtlasStandin, id: string = IDS.projectId) => `${s.baseUrlV2}/groups/${id}`
const clusterUrl = (s: AtlasStandin, name: string) => `${group(s)}/clusters/${encodeURIComponent(name)}`

const serving = (ids: string[] = [VPCE]): ClusterStep => ({
  stateName: 'IDLE',
  privateEndpoints: [{ endpoints: ids }]
})

describe('stand-in: one cluster', () => {
  it('plays a cluster UPDATING without private strings, then IDLE listing the endpoint, in the 2024-08-05 shape', async () => {
    await start({
      clusters: [{ name: 'Cluster0', script: [{ stateName: 'UPDATING', times: 2 }, serving()] }]
    })
    const first = await get(clusterUrl(standin, 'Cluster0'))
    expect(first.status).toBe(200)
    expect(first.headers.get('content-type')).toBe(CLUSTER_TYPE)
    expect(first.body).toMatchObject({
      name: 'Cluster0',
      stateName: 'UPDATING',
      paused: false,
      clusterType: 'REPLICASET'
    })
    expect(first.body.connectionStrings).not.toHaveProperty('privateEndpoint')
    expect(first.body.connectionStrings.standardSrv).toBe('mongodb+srv://cluster0.ab1cd.mongodb.net')
    expect((await get(clusterUrl(standin, 'Cluster0'))).body.stateName).toBe('UPDATING')
    const ready = await get(clusterUrl(standin, 'Cluster0'))
    expect(ready.body.stateName).toBe('IDLE')
    expect(ready.body.connectionStrings.privateEndpoint).toEqual([
      {
        connectionString:
          'mongodb://pl-0-us-east-1.ab1cd.mongodb.net:1024,pl-0-us-east-1.ab1cd.mongodb.net:1025,pl-0-us-east-1.ab1cd.mongodb.net:1026/?ssl=true&authSource=admin&replicaSet=atlas-cluste-shard-0',
        srvConnectionString: 'mongodb+srv://cluster0-pl-0.ab1cd.mongodb.net',
        type: 'MONGOD',
        endpoints: [{ endpointId: VPCE, providerName: 'AWS', region: 'US_EAST_1' }]
      }
    ])
    const records = standin.requests.filter(r => r.authorized)
    expect(records.map(r => [r.target, r.clusterName, r.version])).toEqual(
      Array(3).fill(['cluster', 'Cluster0', '2024-08-05'])
    )
  })

  it('serves a cluster that serves every endpoint by default, finds names in any case, and lets a test replace the script', async () => {
    await start({ endpoints: [{ id: VPCE }, { id: VPCE_2 }], clusters: [{ name: 'Cluster0' }] })
    const answer = await get(clusterUrl(standin, 'cluster0'))
    expect(answer.body.name).toBe('Cluster0')
    expect(
      answer.body.connectionStrings.privateEndpoint[0].endpoints.map(
        (e: { endpointId: string }) => e.endpointId
      )
    ).toEqual([VPCE, VPCE_2])
    standin.playCluster('CLUSTER0', [{ stateName: 'IDLE', paused: true }])
    expect((await get(clusterUrl(standin, 'Cluster0'))).body).toMatchObject({
      paused: true,
      stateName: 'IDLE'
    })
  })

  it('gives a sharded cluster MONGOS entries with a shard-optimized string, one per entry and region', async () => {
    await start({
      clusters: [
        {
          name: 'Sharded1',
          clusterType: 'SHARDED',
          script: [
            {
              stateName: 'IDLE',
              privateEndpoints: [
                { endpoints: [VPCE] },
                { endpoints: [{ endpointId: VPCE_2, region: 'EU_WEST_1' }] }
              ]
            }
          ]
        }
      ]
    })
    const entries = (await get(clusterUrl(standin, 'Sharded1'))).body.connectionStrings.privateEndpoint
    expect(entries).toHaveLength(2)
    expect(entries[0]).toMatchObject({
      type: 'MONGOS',
      srvShardOptimizedConnectionString: 'mongodb+srv://sharded1-pl-0-lb.ab1cd.mongodb.net'
    })
    expect(entries[1].connectionString).toContain('pl-1-eu-west-1.ab1cd.mongodb.net:1024')
    expect(entries[1].endpoints).toEqual([{ endpointId: VPCE_2, providerName: 'AWS', region: 'EU_WEST_1' }])
  })

  it('answers an unknown cluster 404 CLUSTER_NOT_FOUND, flex and serverless 400 with their codes, another project GROUP_NOT_FOUND', async () => {
    await start({
      clusters: [
        { name: 'Flex0', kind: 'flex' },
        { name: 'Serverless0', kind: 'serverless' }
      ]
    })
    const missing = await get(clusterUrl(standin, 'Cluster9'))
    expect(missing.status).toBe(404)
    expect(missing.body).toMatchObject({
      errorCode: 'CLUSTER_NOT_FOUND',
      detail: `No cluster named Cluster9 exists in group ${IDS.projectId}.`
    })
    expect(missing.headers.get('x-error-code')).toBe('CLUSTER_NOT_FOUND')
    expect((await get(clusterUrl(standin, 'Flex0'))).body).toMatchObject({
      error: 400,
      errorCode: 'CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API'
    })
    expect((await get(clusterUrl(standin, 'Serverless0'))).body).toMatchObject({
      error: 400,
      errorCode: 'CANNOT_USE_SERVERLESS_INSTANCE_IN_CLUSTER_API'
    })
    const other = await get(`${group(standin, 'aaaaaaaaaaaaaaaaaaaaaaaa')}/clusters/Cluster0`)
    expect(other.body.errorCode).toBe('GROUP_NOT_FOUND')
    expect((await get(`${group(standin, 'nope')}/clusters/Cluster0`)).body.errorCode).toBe(
      'PATH_PARAM_PARSE_ERROR'
    )
  })

  it('plays error, gone and raw steps like the endpoint scripts', async () => {
    await start({
      clusters: [
        {
          name: 'Cluster0',
          script: [
            { error: 503, headers: { 'Retry-After': '3' } },
            { gone: true },
            { raw: { status: 200, body: '<html>' } }
          ]
        }
      ]
    })
    const busy = await get(clusterUrl(standin, 'Cluster0'))
    expect([busy.status, busy.headers.get('retry-after')]).toEqual([503, '3'])
    expect((await get(clusterUrl(standin, 'Cluster0'))).body.errorCode).toBe('CLUSTER_NOT_FOUND')
    const raw = await fetch(clusterUrl(standin, 'Cluster0'))
    expect(raw.status).toBe(401) // credentials first, always
  })

  it.each([
    ['2024-08-05', 200],
    ['2023-02-01', 200],
    ['2023-01-01', 200],
    ['2025-03-12', 406],
    ['none', 406]
  ])('serves the cluster versions (asked %s: %d)', async (version, status) => {
    await start({ clusters: [{ name: 'Cluster0' }] })
    const accept = version === 'none' ? 'application/json' : `application/vnd.atlas.${version}+json`
    const answer = await get(clusterUrl(standin, 'Cluster0'), accept)
    expect(answer.status).toBe(status)
    if (status === 200) expect(answer.headers.get('content-type')).toBe(accept)
    else expect(answer.body.errorCode).toBe('INVALID_VERSION_DATE')
  })
})

describe('stand-in: the cluster listing', () => {
  it('pages the clusters the cluster API serves, then the extra names', async () => {
    await start({
      clusters: [{ name: 'Cluster0' }, { name: 'Flex0', kind: 'flex' }, { name: 'Free0', kind: 'free' }],
      listedClusterNames: Array.from({ length: 1200 }, (_, i) => `big-${i}`)
    })
    const page = (n: number, size = 500) =>
      get(`${group(standin)}/clusters?itemsPerPage=${size}&pageNum=${n}`)
    const first = await page(1)
    expect(first.body.totalCount).toBe(1202)
    expect(first.body.results).toHaveLength(500)
    expect(first.body.results.slice(0, 3).map((c: { name: string }) => c.name)).toEqual([
      'Cluster0',
      'Free0',
      'big-0'
    ])
    expect(first.body.results[1].replicationSpecs[0].regionConfigs[0].providerName).toBe('TENANT')
    expect((await page(3)).body.results).toHaveLength(202)
    expect((await page(4)).body.results).toEqual([])
    expect((await get(`${group(standin)}/clusters`)).body.results).toHaveLength(100)
    expect((await page(1, 501)).body.errorCode).toBe('INVALID_QUERY_PARAMETER')
    expect(standin.requests.filter(r => r.authorized).every(r => r.target === 'clusters')).toBe(true)
  })
})

describe('stand-in: the project and its endpoint services', () => {
  it('serves the project, 404 GROUP_NOT_FOUND for another, and its script', async () => {
    await start({
      projectName: 'payments-prod',
      orgId: '64b7f0c2a1d3e5f708192aff',
      projectScript: [{ status: 'OK' }, { error: 500 }]
    })
    const project = await get(group(standin), V2)
    expect(project.status).toBe(200)
    expect(project.body).toMatchObject({
      id: IDS.projectId,
      name: 'payments-prod',
      orgId: '64b7f0c2a1d3e5f708192aff'
    })
    expect((await get(group(standin), V2)).status).toBe(500)
    expect((await get(group(standin, 'bbbbbbbbbbbbbbbbbbbbbbbb'), V2)).body.errorCode).toBe('GROUP_NOT_FOUND')
    expect((await get(group(standin), CLUSTER_TYPE)).status).toBe(406)
    expect(standin.requests.find(r => r.authorized)?.target).toBe('project')
  })

  it("lists the project's services of a cloud: its own (status and message from its script) and the others", async () => {
    await start({
      serviceScript: [{ status: 'WAITING_FOR_USER', errorMessage: 'Create the interface endpoint.' }],
      otherServices: [
        { id: '6a1b2c3d4e5f6a7b8c9d0e2f', status: 'FAILED', errorMessage: 'quota' },
        { id: '6a1b2c3d4e5f6a7b8c9d0e3f', status: 'AVAILABLE', cloudProvider: 'AZURE' }
      ]
    })
    const aws = await get(`${group(standin)}/privateEndpoint/AWS/endpointService`, V2)
    expect(aws.status).toBe(200)
    expect(aws.body).toEqual([
      expect.objectContaining({
        id: IDS.privateLinkId,
        cloudProvider: 'AWS',
        status: 'WAITING_FOR_USER',
        errorMessage: 'Create the interface endpoint.',
        interfaceEndpoints: [VPCE]
      }),
      expect.objectContaining({ id: '6a1b2c3d4e5f6a7b8c9d0e2f', status: 'FAILED', errorMessage: 'quota' })
    ])
    const azure = await get(`${group(standin)}/privateEndpoint/AZURE/endpointService`, V2)
    expect(azure.body.map((s: { id: string }) => s.id)).toEqual(['6a1b2c3d4e5f6a7b8c9d0e3f'])
    expect((await get(`${group(standin)}/privateEndpoint/aws/endpointService`, V2)).body.errorCode).toBe(
      'PATH_PARAM_PARSE_ERROR'
    )
    expect(standin.requests.filter(r => r.authorized).map(r => [r.target, r.cloudProvider])).toEqual([
      ['services', 'AWS'],
      ['services', 'AZURE'],
      ['services', 'aws']
    ])
  })

  it('leaves the service out once its last endpoint is gone, as its own read then 404s', async () => {
    await start({ endpoints: [{ id: VPCE, script: [{ status: 'DELETING' }, { gone: true }] }] })
    const list = () => get(`${group(standin)}/privateEndpoint/AWS/endpointService`, V2)
    expect((await list()).body).toHaveLength(1)
    await get(standin.endpointUrl('v2'), V2) // DELETING
    await get(standin.endpointUrl('v2'), V2) // gone
    expect((await list()).body).toEqual([])
    expect((await get(standin.serviceUrl('v2'), V2)).body.errorCode).toBe(
      'PRIVATE_ENDPOINT_SERVICE_NOT_FOUND'
    )
  })
})

/** The action's ClusterReader through the real stack, pointed at the stand-in. */
function readerFor(s: AtlasStandin, api: ApiVersion = 'v2', log = recordingLog()) {
  const deadline = new Deadline(systemClock, systemClock.now(), 60_000)
  const auth = new ApiKeyAuthenticator({
    publicKey: IDS.publicKey,
    privateKey: IDS.privateKey,
    send: createTransport({
      fetch: nodeHttpFetch,
      requestTimeoutMs: 5_000,
      deadline,
      signal: new AbortController().signal
    })
  })
  return new ClusterReader({
    baseUrl: api === 'v2' ? s.baseUrlV2 : s.baseUrl,
    api,
    projectId: IDS.projectId,
    send: (url, init) => auth.send(url, init),
    cloud: CLOUDS.AWS,
    credentialKind: 'api-key',
    now: () => Date.now(),
    log
  })
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (error) {
    return error as Error
  }
  throw new Error('expected a failure')
}

describe('ClusterReader against the stand-in', () => {
  it('reads a cluster until it serves the endpoint, on one Digest challenge, with the 2024-08-05 media type', async () => {
    await start({ clusters: [{ name: 'Cluster0', script: [{ stateName: 'UPDATING' }, serving()] }] })
    const reader = readerFor(standin)
    const updating = await reader.readCluster('Cluster0')
    expect(judgeCluster(updating, [VPCE], CLOUDS.AWS)).toEqual({
      kind: 'waiting',
      why: `cluster Cluster0 is UPDATING; its private connection strings do not list ${VPCE}`
    })
    const idle = await reader.readCluster('Cluster0')
    const verdict = judgeCluster(idle, [VPCE], CLOUDS.AWS)
    expect(verdict.kind).toBe('ready')
    expect(standin.requests.map(r => r.status)).toEqual([401, 200, 200])
    expect(standin.requests.every(r => r.accept === CLUSTER_TYPE && r.target === 'cluster')).toBe(true)
  })

  it('reads clusters from the v2 root of a v1.0 base-url', async () => {
    await start({ clusters: [{ name: 'Cluster0' }] })
    const reader = readerFor(standin, 'v1.0')
    expect(reader.movedToV2).toBe(true)
    expect(reader.root).toBe(standin.baseUrlV2)
    expect((await reader.readCluster('Cluster0')).stateName).toBe('IDLE')
    expect(standin.requests.at(-1)?.path).toBe(`/api/atlas/v2/groups/${IDS.projectId}/clusters/Cluster0`)
  })

  it('fails a missing cluster with a typed error naming it, and the listing names the near one', async () => {
    await start({ clusters: [{ name: 'Cluster0' }, { name: 'analytics' }] })
    const reader = readerFor(standin)
    const error = await failure(reader.readCluster('Clustr0'))
    expect(error).toBeInstanceOf(ClusterNotFoundError)
    expect(error).toMatchObject({ clusterName: 'Clustr0', httpStatus: 404, errorCode: 'CLUSTER_NOT_FOUND' })
    expect(error.message).toContain('Atlas has no cluster named "Clustr0"')
    const names = await reader.listClusterNames()
    expect(names).toEqual(['Cluster0', 'analytics'])
    expect(nearest('Clustr0', names)).toBe('Cluster0')
    expect(nearest('billing', names)).toBeUndefined()
  })

  it("fails a project 404 as the project's error, not the cluster's", async () => {
    await start({ clusters: [{ name: 'Cluster0' }], projectId: 'cccccccccccccccccccccccc' })
    const error = await failure(readerFor(standin).readCluster('Cluster0'))
    expect(error).not.toBeInstanceOf(ClusterNotFoundError)
    expect(error).toBeInstanceOf(AtlasApiError)
    expect(error.message).toContain('project-id is wrong')
  })

  it.each([
    ['flex', 'FLEX', 'a Flex cluster'],
    ['serverless', 'SERVERLESS', 'a serverless instance']
  ] as const)('fails a %s cluster as not dedicated', async (kind, tier, words) => {
    await start({ clusters: [{ name: 'Small0', kind }] })
    const error = await failure(readerFor(standin).readCluster('Small0'))
    expect(error).toBeInstanceOf(NotDedicatedClusterError)
    expect(error).toMatchObject({ tier, clusterName: 'Small0' })
    expect(error.message).toContain(`Cluster Small0 is ${words}`)
    expect(error.message).toContain('dedicated clusters (M10 and larger) only')
  })

  it('judges a free M0 cluster as not dedicated from its body', async () => {
    await start({ clusters: [{ name: 'Free0', kind: 'free' }] })
    const state = await readerFor(standin).readCluster('Free0')
    expect(judgeCluster(state, [VPCE], CLOUDS.AWS)).toMatchObject({ kind: 'failed' })
  })

  it('turns 429 and 5xx into transient errors carrying Retry-After', async () => {
    await start({
      clusters: [
        { name: 'Cluster0', script: [{ error: 429, headers: { 'Retry-After': '7' } }, { error: 503 }] }
      ]
    })
    const reader = readerFor(standin)
    const limited = await failure(reader.readCluster('Cluster0'))
    expect(limited).toBeInstanceOf(TransientError)
    expect(limited).toMatchObject({ retryAfterMs: 7000, rateLimited: true })
    const busy = await failure(reader.readCluster('Cluster0'))
    expect(busy).toBeInstanceOf(TransientError)
    expect(busy).toMatchObject({ rateLimited: false })
  })

  it.each([
    [
      'a connection string with a password',
      {
        privateEndpoints: [{ endpoints: [VPCE], srvConnectionString: 'mongodb+srv://u:s3cret@h.mongodb.net' }]
      },
      'user information'
    ],
    [
      'a connection string with a line break',
      { privateEndpoints: [{ endpoints: [VPCE], connectionString: 'mongodb://h:1024/\n::warning::x' }] },
      'not a mongodb:// URI'
    ]
  ])('refuses %s as a format error, never echoing it', async (_, step, found) => {
    await start({ clusters: [{ name: 'Cluster0', script: [{ stateName: 'IDLE', ...step }] }] })
    const error = await failure(readerFor(standin).readCluster('Cluster0'))
    expect(error).toBeInstanceOf(ResponseFormatError)
    expect(error.message).toContain(found)
    expect(error.message).not.toContain('s3cret')
    expect(error.message).not.toContain('\n')
  })

  it('refuses a body about another cluster, and HTML', async () => {
    await start({
      clusters: [
        {
          name: 'Cluster0',
          script: [
            {
              raw: {
                status: 200,
                headers: { 'Content-Type': CLUSTER_TYPE },
                body: '{"name":"Cluster1","stateName":"IDLE"}'
              }
            },
            { raw: { status: 200, headers: { 'Content-Type': 'text/html' }, body: '<html>login</html>' } }
          ]
        }
      ]
    })
    const reader = readerFor(standin)
    expect((await failure(reader.readCluster('Cluster0'))).message).toContain(
      'another cluster than the one asked for'
    )
    expect((await failure(reader.readCluster('Cluster0'))).message).toContain('not JSON')
  })

  it('reads a listing of 1200 names in three pages', async () => {
    await start({ listedClusterNames: Array.from({ length: 1200 }, (_, i) => `c-${i}`) })
    const names = await readerFor(standin).listClusterNames()
    expect(names).toHaveLength(1200)
    const pages = standin.requests
      .filter(r => r.authorized)
      .map(r => new URL(r.path, standin.origin).searchParams.get('pageNum'))
    expect(pages).toEqual(['1', '2', '3'])
  })

  it(`stops a listing that never ends after ${MAX_CLUSTER_PAGES} pages`, async () => {
    const page = JSON.stringify({
      results: Array.from({ length: 500 }, (_, i) => ({ name: `x${i}` })),
      totalCount: 1e9
    })
    await start({
      clusterListScript: [{ raw: { status: 200, headers: { 'Content-Type': CLUSTER_TYPE }, body: page } }]
    })
    const names = await readerFor(standin).listClusterNames()
    expect(names).toHaveLength(5000)
    expect(standin.requests.filter(r => r.authorized)).toHaveLength(MAX_CLUSTER_PAGES)
  })

  it('fails a listing that is not one, and passes its 5xx on as transient', async () => {
    await start({
      clusterListScript: [{ raw: { status: 200, body: '{"results": "x", "totalCount": 1}' } }, { error: 502 }]
    })
    const reader = readerFor(standin)
    expect(await failure(reader.listClusterNames())).toBeInstanceOf(ResponseFormatError)
    expect(await failure(reader.listClusterNames())).toBeInstanceOf(TransientError)
  })

  it('warns once when Atlas says the cluster version is deprecated', async () => {
    await start({
      clusters: [
        {
          name: 'Cluster0',
          script: [
            {
              ...serving(),
              headers: {
                Deprecation: 'Sun, 01 Mar 2026 00:00:00 GMT',
                Sunset: 'Mon, 01 Mar 2027 00:00:00 GMT'
              }
            } as ClusterStep
          ]
        }
      ]
    })
    const log = recordingLog()
    const reader = readerFor(standin, 'v2', log)
    await reader.readCluster('Cluster0')
    await reader.readCluster('Cluster0')
    expect(log.lines.filter(l => l.level === 'warning')).toHaveLength(1)
    expect(log.text('warning')).toContain('version 2024-08-05 of the cluster resource')
  })

  it('matches an Azure endpoint in a cluster entry', async () => {
    const id = CLOUD_IDS.azureEndpointId
    await start({ cloudProvider: 'AZURE', endpoints: [{ id }], clusters: [{ name: 'Cluster0' }] })
    const state = await readerFor(standin).readCluster('Cluster0')
    expect(judgeCluster(state, [id], CLOUDS.AZURE).kind).toBe('ready')
  })
})
