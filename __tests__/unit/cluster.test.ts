import {
  connectionStringFor,
  judgeCluster,
  parseCluster,
  sameEndpoint,
  type ClusterState,
  type PrivateEndpointEntry
} from '../../src/atlas/cluster.js'
import { missingCluster, parseClusterPage, v2RootOf } from '../../src/atlas/clusters.js'
import { CLOUDS } from '../../src/common/clouds.js'
import { ResponseFormatError } from '../../src/common/errors.js'
import { CLOUD_IDS } from '../helpers/ids.js'

const TYPE = 'application/vnd.atlas.2024-08-05+json'
const VPCE = 'vpce-0123456789abcdef0'
const VPCE_2 = 'vpce-0123456789abcdef1'
const SRV = 'mongodb+srv://cluster0-pl-0.ab1cd.mongodb.net'
const STANDARD =
  'mongodb://pl-0-us-east-1.ab1cd.mongodb.net:1024,pl-0-us-east-1.ab1cd.mongodb.net:1025/?ssl=true&authSource=admin&replicaSet=atlas-x1-shard-0'

const entryJson = (overrides: Record<string, unknown> = {}) => ({
  connectionString: STANDARD,
  srvConnectionString: SRV,
  type: 'MONGOD',
  endpoints: [{ endpointId: VPCE, providerName: 'AWS', region: 'US_EAST_1' }],
  ...overrides
})
const body = (overrides: Record<string, unknown> = {}) =>
  JSON.stringify({
    name: 'Cluster0',
    stateName: 'IDLE',
    paused: false,
    clusterType: 'REPLICASET',
    connectionStrings: {
      standardSrv: 'mongodb+srv://cluster0.ab1cd.mongodb.net',
      privateEndpoint: [entryJson()]
    },
    ...overrides
  })
const parse = (text: string, asked = 'Cluster0') => parseCluster(text, TYPE, asked)

/** What parseCluster throws (fails the test when it throws nothing). */
function formatError(text: string, asked = 'Cluster0'): string {
  try {
    parse(text, asked)
  } catch (error) {
    expect(error).toBeInstanceOf(ResponseFormatError)
    const message = (error as Error).message
    expect(message).not.toMatch(/[\n\r]/)
    return message
  }
  throw new Error(`parseCluster accepted ${text.slice(0, 100)}`)
}

describe('parseCluster', () => {
  it('reads the state, the pause and every private endpoint entry', () => {
    const state = parse(body())
    expect(state).toEqual({
      name: 'Cluster0',
      stateName: 'IDLE',
      paused: false,
      clusterType: 'REPLICASET',
      entries: [
        {
          connectionString: STANDARD,
          srvConnectionString: SRV,
          srvShardOptimizedConnectionString: '',
          type: 'MONGOD',
          endpoints: [{ endpointId: VPCE, providerName: 'AWS', region: 'US_EAST_1' }]
        }
      ],
      raw: body()
    })
  })

  it('takes the name in any case, no connectionStrings or privateEndpoint as no entries, paused absent as false', () => {
    expect(parse(body({ name: 'CLUSTER0' }), 'cluster0').name).toBe('CLUSTER0')
    expect(parse(body({ connectionStrings: undefined })).entries).toEqual([])
    expect(parse(body({ connectionStrings: null })).entries).toEqual([])
    expect(parse(body({ connectionStrings: { standard: 'x' } })).entries).toEqual([])
    expect(parse(body({ connectionStrings: { privateEndpoint: null } })).entries).toEqual([])
    expect(parse(body({ paused: undefined })).paused).toBe(false)
    expect(parse(body({ paused: true })).paused).toBe(true)
    expect(parse(body({ clusterType: undefined })).clusterType).toBeUndefined()
  })

  it('reads a shared tier from the region configurations', () => {
    const specs = (providerName: string) => [{ regionConfigs: [{ providerName, regionName: 'US_EAST_1' }] }]
    expect(parse(body({ replicationSpecs: specs('TENANT') })).sharedTier).toBe('TENANT')
    expect(parse(body({ replicationSpecs: specs('FLEX') })).sharedTier).toBe('FLEX')
    expect(parse(body({ replicationSpecs: specs('AWS') })).sharedTier).toBeUndefined()
    expect(parse(body({ replicationSpecs: 'nonsense' })).sharedTier).toBeUndefined()
    expect(parse(body({ replicationSpecs: [null, { regionConfigs: [7] }] })).sharedTier).toBeUndefined()
  })

  it.each([
    ['not JSON', '<html>proxy</html>', 'not JSON'],
    ['an array', '[]', 'not an object'],
    ['no name', body({ name: undefined }), 'has no name field'],
    ['a name that is a number', body({ name: 7 }), 'has name "7"'],
    [
      'another cluster',
      body({ name: 'Cluster1' }),
      'name "Cluster1", another cluster than the one asked for'
    ],
    ['a Kelvin-sign lookalike', body({ name: 'Cluster\u212a' }), 'another cluster'],
    ['no stateName', body({ stateName: undefined }), 'no stateName field'],
    ['a stateName that is not a name', body({ stateName: 'IDLE\n::error::x' }), 'IDLE\\\\n::error::x'],
    ['a stateName object', body({ stateName: { a: 1 } }), 'stateName'],
    ['paused as a string', body({ paused: 'true' }), 'paused "\\"true\\""'],
    ['connectionStrings as a string', body({ connectionStrings: 'x' }), 'connectionStrings "\\"x\\""'],
    [
      'privateEndpoint as an object',
      body({ connectionStrings: { privateEndpoint: {} } }),
      'connectionStrings.privateEndpoint "{}"'
    ],
    [
      'an entry that is null',
      body({ connectionStrings: { privateEndpoint: [null] } }),
      'connectionStrings.privateEndpoint[0] "null"'
    ],
    [
      'endpoints as a string',
      body({ connectionStrings: { privateEndpoint: [entryJson({ endpoints: 'vpce' })] } }),
      '.endpoints "\\"vpce\\""'
    ],
    [
      'an endpointId number',
      body({ connectionStrings: { privateEndpoint: [entryJson({ endpoints: [{ endpointId: 5 }] })] } }),
      'endpoints[0].endpointId "5"'
    ],
    [
      'an endpointId with a line break',
      body({
        connectionStrings: { privateEndpoint: [entryJson({ endpoints: [{ endpointId: 'vpce-1\nx' }] })] }
      }),
      'endpointId'
    ],
    [
      'a type that is not a name',
      body({ connectionStrings: { privateEndpoint: [entryJson({ type: '<b>MONGOS</b>' })] } }),
      '.type'
    ],
    [
      'a region with a space',
      body({
        connectionStrings: {
          privateEndpoint: [entryJson({ endpoints: [{ endpointId: VPCE, region: 'US EAST' }] })]
        }
      }),
      '.region'
    ]
  ])('refuses %s, saying what it found', (_, text, found) => {
    expect(formatError(text)).toContain(found)
  })

  it.each([
    ['user information', 'mongodb+srv://admin:hunter2@cluster0-pl-0.ab1cd.mongodb.net', 'user information'],
    ['a line break and a workflow command', `${SRV}\n::add-mask::x`, 'not a mongodb+srv:// URI'],
    ['a space', `${SRV}/?a=b c`, 'not a mongodb+srv:// URI'],
    ['markup', `${SRV}/<script>`, 'not a mongodb+srv:// URI'],
    ['a quote', `${SRV}/?x="y"`, 'not a mongodb+srv:// URI'],
    ['the wrong scheme', 'https://cluster0-pl-0.ab1cd.mongodb.net', 'not a mongodb+srv:// URI'],
    ['a plain-scheme string in the SRV field', STANDARD, 'not a mongodb+srv:// URI'],
    ['a number', 42, 'srvConnectionString "42"'],
    ['a control character', `${SRV}\u0007`, 'not a mongodb+srv:// URI'],
    ['a bidi control', `${SRV}\u202e`, 'not a mongodb+srv:// URI'],
    ['5 KB', `mongodb+srv://${'a'.repeat(5000)}.mongodb.net`, 'of 5026 characters (at most 4096)']
  ])('refuses an SRV connection string with %s', (_, value, found) => {
    const message = formatError(
      body({ connectionStrings: { privateEndpoint: [entryJson({ srvConnectionString: value })] } })
    )
    expect(message).toContain(found)
    expect(message).not.toContain('hunter2')
    expect(message).not.toContain('\u202e')
    expect(message.length).toBeLessThan(700)
  })

  it('refuses user information in the standard string too, without showing it', () => {
    const message = formatError(
      body({
        connectionStrings: { privateEndpoint: [entryJson({ connectionString: 'mongodb://u:p4ss@h:1024/' })] }
      })
    )
    expect(message).toContain('connectionString holding user information')
    expect(message).not.toContain('p4ss')
  })

  it('refuses more than 50 entries and more than 100 endpoints in one entry', () => {
    expect(
      formatError(body({ connectionStrings: { privateEndpoint: Array(51).fill(entryJson()) } }))
    ).toContain('51 connectionStrings.privateEndpoint entries')
    const many = Array.from({ length: 101 }, (_, i) => ({ endpointId: `vpce-${i}` }))
    expect(
      formatError(body({ connectionStrings: { privateEndpoint: [entryJson({ endpoints: many })] } }))
    ).toContain('101 endpoints')
  })

  it('accepts empty or null strings as absent', () => {
    const [entry] = parse(
      body({
        connectionStrings: {
          privateEndpoint: [entryJson({ connectionString: null, srvConnectionString: '' })]
        }
      })
    ).entries
    expect(entry.connectionString).toBe('')
    expect(entry.srvConnectionString).toBe('')
  })
})

const entry = (
  ids: string[],
  overrides: Partial<PrivateEndpointEntry> = {},
  providerName = 'AWS'
): PrivateEndpointEntry => ({
  connectionString: STANDARD,
  srvConnectionString: SRV,
  srvShardOptimizedConnectionString: '',
  type: 'MONGOD',
  endpoints: ids.map(endpointId => ({ endpointId, providerName, region: 'US_EAST_1' })),
  ...overrides
})
const state = (overrides: Partial<ClusterState> = {}): ClusterState => ({
  name: 'Cluster0',
  stateName: 'IDLE',
  paused: false,
  entries: [entry([VPCE])],
  raw: '{}',
  ...overrides
})

describe('judgeCluster', () => {
  it('is ready when IDLE, not paused, and one entry lists every endpoint', () => {
    expect(judgeCluster(state(), [VPCE], CLOUDS.AWS)).toEqual({ kind: 'ready', entry: entry([VPCE]) })
    const both = entry([VPCE, VPCE_2])
    expect(judgeCluster(state({ entries: [entry([VPCE]), both] }), [VPCE, VPCE_2], CLOUDS.AWS)).toEqual({
      kind: 'ready',
      entry: both
    })
  })

  it('waits while Atlas applies a change, saying which endpoints are missing', () => {
    expect(judgeCluster(state({ stateName: 'UPDATING', entries: [] }), [VPCE], CLOUDS.AWS)).toEqual({
      kind: 'waiting',
      why: `cluster Cluster0 is UPDATING; its private connection strings do not list ${VPCE}`
    })
    expect(judgeCluster(state({ stateName: 'UPDATING' }), [VPCE], CLOUDS.AWS)).toEqual({
      kind: 'waiting',
      why: 'cluster Cluster0 is UPDATING; Atlas is still applying a change'
    })
    for (const stateName of ['CREATING', 'REPAIRING']) {
      expect(judgeCluster(state({ stateName }), [VPCE], CLOUDS.AWS).kind).toBe('waiting')
    }
  })

  it('waits when IDLE but no one entry lists every endpoint (two entries of one each do not add up)', () => {
    const verdict = judgeCluster(
      state({ entries: [entry([VPCE]), entry([VPCE_2])] }),
      [VPCE, VPCE_2],
      CLOUDS.AWS
    )
    expect(verdict).toEqual({
      kind: 'waiting',
      why: `cluster Cluster0 is IDLE; its private connection strings do not list ${VPCE_2}`
    })
    expect(
      judgeCluster(state({ entries: [entry(['vpce-0fffffffffffffff0'])] }), [VPCE], CLOUDS.AWS).kind
    ).toBe('waiting')
  })

  it('waits when the entry gives no string to connect with', () => {
    const bare = entry([VPCE], { connectionString: '', srvConnectionString: '' })
    expect(judgeCluster(state({ entries: [bare] }), [VPCE], CLOUDS.AWS)).toEqual({
      kind: 'waiting',
      why: 'cluster Cluster0 is IDLE; its private connection string entry for the endpoints gives no connection string'
    })
  })

  it('never takes an unknown state for ready', () => {
    expect(judgeCluster(state({ stateName: 'RESTARTING' }), [VPCE], CLOUDS.AWS)).toEqual({
      kind: 'waiting',
      why: 'cluster Cluster0 is in state RESTARTING, which this version of the action does not know; Atlas is still applying a change'
    })
  })

  it('fails at once when paused (even IDLE with the entry), deleting, or not dedicated', () => {
    const paused = judgeCluster(state({ paused: true }), [VPCE], CLOUDS.AWS)
    expect(paused).toMatchObject({ kind: 'failed', why: 'cluster Cluster0 is paused' })
    expect(paused.kind === 'failed' && paused.advice).toContain('Resume Cluster0')
    expect(judgeCluster(state({ stateName: 'DELETING' }), [VPCE], CLOUDS.AWS)).toMatchObject({
      kind: 'failed',
      why: 'cluster Cluster0 is DELETING'
    })
    expect(judgeCluster(state({ sharedTier: 'TENANT' }), [VPCE], CLOUDS.AWS)).toMatchObject({
      kind: 'failed',
      why: "cluster Cluster0 is a free (M0) cluster, which the project's private endpoints do not serve"
    })
    const flex = judgeCluster(state({ sharedTier: 'FLEX' }), [VPCE], CLOUDS.AWS)
    expect(flex.kind === 'failed' && flex.advice).toContain('dedicated clusters (M10 and larger) only')
  })

  it('matches Azure resource IDs in any case, percent-encoded or not', () => {
    const id = CLOUD_IDS.azureEndpointId
    for (const listed of [id, id.toUpperCase(), encodeURIComponent(id)]) {
      const verdict = judgeCluster(state({ entries: [entry([listed], {}, 'AZURE')] }), [id], CLOUDS.AZURE)
      expect(verdict.kind).toBe('ready')
    }
    expect(judgeCluster(state({ entries: [entry([`${id}-2`], {}, 'AZURE')] }), [id], CLOUDS.AZURE).kind).toBe(
      'waiting'
    )
  })

  it("does not count an entry listing the ID under another cloud's name, and compares GCP names exactly", () => {
    expect(judgeCluster(state({ entries: [entry([VPCE], {}, 'GCP')] }), [VPCE], CLOUDS.AWS).kind).toBe(
      'waiting'
    )
    expect(judgeCluster(state({ entries: [entry([VPCE], {}, '')] }), [VPCE], CLOUDS.AWS).kind).toBe('ready')
    expect(sameEndpoint('atlas-psc-1', 'atlas-psc-1', 'GCP')).toBe(true)
    expect(sameEndpoint('Atlas-psc-1', 'atlas-psc-1', 'GCP')).toBe(false)
    // AWS IDs are lower case by rule: an upper-case listing is not Atlas's word for the endpoint.
    expect(sameEndpoint('VPCE-0123456789ABCDEF0', VPCE, 'AWS')).toBe(false)
    expect(sameEndpoint('%E0%A4%A', VPCE, 'AWS')).toBe(false) // a malformed encoding is compared as it is
  })

  it('lists at most three missing endpoints by name', () => {
    const ids = ['vpce-1', 'vpce-2', 'vpce-3', 'vpce-4', 'vpce-5']
    const verdict = judgeCluster(state({ entries: [] }), ids, CLOUDS.AWS)
    expect(verdict.kind === 'waiting' && verdict.why).toContain('do not list vpce-1, vpce-2 and 3 more')
  })
})

describe('connectionStringFor', () => {
  it('prefers the shard-optimized SRV string, then the SRV string, then the standard one', () => {
    const optimized = 'mongodb+srv://cluster0-pl-0-lb.ab1cd.mongodb.net'
    expect(connectionStringFor(entry([VPCE], { srvShardOptimizedConnectionString: optimized }))).toBe(
      optimized
    )
    expect(connectionStringFor(entry([VPCE]))).toBe(SRV)
    expect(connectionStringFor(entry([VPCE], { srvConnectionString: '' }))).toBe(STANDARD)
    expect(connectionStringFor(entry([VPCE], { srvConnectionString: '', connectionString: '' }))).toBe('')
  })
})

describe('cluster listing pages, missing clusters and the v2 root', () => {
  it('reads names and counts, dropping names not of Atlas form', () => {
    const page = JSON.stringify({
      results: [{ name: 'Cluster0' }, { name: 'bad name\n::x' }, {}, null, 7],
      totalCount: 12
    })
    expect(parseClusterPage(page, TYPE)).toEqual({ results: ['Cluster0'], count: 5, totalCount: 12 })
  })

  it.each([
    ['{"results": {}, "totalCount": 1}', 'results is not a list'],
    ['{"results": [], "totalCount": "1"}', 'totalCount is not a whole number'],
    ['{"results": [], "totalCount": -1}', 'totalCount is not a whole number'],
    ['{"results": [], "totalCount": 1.5}', 'totalCount is not a whole number'],
    ['{"results": []}', 'totalCount is not a whole number'],
    ['<html>', 'not JSON']
  ])('refuses %s', (text, found) => {
    expect(() => parseClusterPage(text, TYPE)).toThrow(ResponseFormatError)
    expect(() => parseClusterPage(text, TYPE)).toThrow(found)
  })

  it('names the near cluster when there is one', () => {
    expect(missingCluster('Cluster1', undefined).why).toBe(
      'Atlas has no cluster named Cluster1 in this project'
    )
    const near = missingCluster('Clustr0', 'Cluster0')
    expect(near.why).toBe(
      'Atlas has no cluster named Clustr0 in this project; it has a cluster named Cluster0'
    )
    expect(near.advice).toContain('Is cluster-name mistyped? Set it to Cluster0')
  })

  it('reads clusters from the v2 root of a v1.0 base-url', () => {
    expect(v2RootOf('https://cloud.mongodb.com/api/atlas/v1.0')).toBe(
      'https://cloud.mongodb.com/api/atlas/v2'
    )
    expect(v2RootOf('https://cloud.mongodb.com/api/atlas/v2')).toBe('https://cloud.mongodb.com/api/atlas/v2')
    expect(v2RootOf('http://127.0.0.1:8080/api/atlas/v1.0')).toBe('http://127.0.0.1:8080/api/atlas/v2')
  })
})
