/**
 * The stand-in itself, over real HTTP: what it serves must match the API reference
 * (../shared/reference/atlas-v2-private-endpoints.md), since it is the only Atlas the other
 * suites ever see. Requests are signed by a small Digest client of the tests (helpers/digest-get.ts: node:crypto and
 * global fetch), so a change in src/ cannot hide a mistake in the stand-in.
 */
import {
  AtlasStandin,
  CLOUDS,
  UNAUTHORIZED_BODY,
  type BearerAuthority,
  type StandinOptions
} from '../../standin/atlas-standin.js'
import { digestGet } from '../helpers/digest-get.js'
import { CLOUD_IDS, IDS } from '../helpers/ids.js'

const V2 = 'application/vnd.atlas.2023-01-01+json'
const { azureEndpointId: AZURE_ID, gcpEndpointGroupName: GCP_ID } = CLOUD_IDS
let standin: AtlasStandin
afterEach(async () => standin?.stop())

async function start(options: Partial<StandinOptions> = {}): Promise<AtlasStandin> {
  standin = await new AtlasStandin({ ...IDS, ...options }).start()
  return standin
}

interface Answer {
  status: number
  headers: Headers
  body: Record<string, unknown> & { errorCode?: string }
}

/** GET with a Digest answer to a fresh challenge (nc 00000001), or with the headers given. */
const get = (url: string, headers: Record<string, string> = { Accept: V2 }): Promise<Answer> =>
  digestGet(url, headers) as Promise<Answer>

const v2Root = (s: AtlasStandin) => `${s.baseUrlV2}/groups/${IDS.projectId}/privateEndpoint`

describe('v2 endpoint bodies, per cloud, as the reference lists them', () => {
  it.each([
    [
      'AWS',
      IDS.interfaceEndpointId,
      'cloudProvider connectionStatus deleteRequested errorMessage interfaceEndpointId'
    ],
    [
      'AZURE',
      AZURE_ID,
      'cloudProvider deleteRequested errorMessage privateEndpointConnectionName privateEndpointIPAddress privateEndpointResourceId status'
    ],
    [
      'GCP',
      GCP_ID,
      'cloudProvider deleteRequested endpointGroupName endpoints errorMessage gcpProjectId portMappingEnabled status'
    ]
  ] as const)('%s has exactly its fields, with the versioned Content-Type', async (cloud, id, fields) => {
    await start({ cloudProvider: cloud, endpoints: [{ id }] })
    const answer = await get(standin.endpointUrl('v2'))
    expect(answer.status).toBe(200)
    expect(answer.headers.get('content-type')).toBe(V2)
    expect(Object.keys(answer.body).sort()).toEqual(fields.split(' '))
    expect(answer.body).toMatchObject({ cloudProvider: cloud, deleteRequested: false, errorMessage: null })
    expect(Object.values(answer.body)).toContain(id)
  })

  it('has the status sets of the reference, each served in its cloud field', async () => {
    const reference = {
      AWS: ['NONE', 'PENDING_ACCEPTANCE', 'PENDING', 'AVAILABLE', 'REJECTED', 'DELETING'],
      AZURE: ['INITIATING', 'AVAILABLE', 'FAILED', 'DELETING'],
      GCP: ['INITIATING', 'VERIFIED', 'AVAILABLE', 'FAILED', 'DELETING', 'DELETED']
    }
    for (const [cloud, id, field] of [
      ['AWS', IDS.interfaceEndpointId, 'connectionStatus'],
      ['AZURE', AZURE_ID, 'status'],
      ['GCP', GCP_ID, 'status']
    ] as const) {
      expect(CLOUDS[cloud].statuses).toEqual(reference[cloud])
      await start({
        cloudProvider: cloud,
        endpoints: [{ id, script: reference[cloud].map(status => ({ status })) }]
      })
      const served = []
      while (served.length < reference[cloud].length) {
        served.push((await get(standin.endpointUrl('v2'))).body[field])
      }
      expect(served).toEqual(reference[cloud])
      await standin.stop()
    }
  })

  it('gives GCP forwarding rules their own statuses, and one rule when port-mapped', async () => {
    await start({
      cloudProvider: 'GCP',
      endpoints: [{ id: GCP_ID }, { id: 'psc-rule-1', portMappingEnabled: true }],
      script: [
        {
          status: 'INITIATING',
          forwardingRules: [
            { name: 'r-0', status: 'AVAILABLE' },
            { name: 'r-1', status: 'FAILED' }
          ]
        }
      ]
    })
    const legacy = await get(standin.endpointUrl('v2', GCP_ID))
    expect(legacy.body.endpoints).toEqual([
      { endpointName: 'r-0', ipAddress: expect.any(String), status: 'AVAILABLE' },
      { endpointName: 'r-1', ipAddress: expect.any(String), status: 'FAILED' }
    ])
    standin.playFor('psc-rule-1', [{ status: 'VERIFIED' }])
    const mapped = await get(standin.endpointUrl('v2', 'psc-rule-1'))
    expect(mapped.body).toMatchObject({ portMappingEnabled: true, status: 'VERIFIED' })
    expect(mapped.body.endpoints).toEqual([
      { endpointName: 'psc-rule-1', ipAddress: expect.any(String), status: 'INITIATING' }
    ])
  })

  it('keeps the v1.0 read exactly as it was: AWS only, four fields, application/json', async () => {
    await start()
    const answer = await get(standin.endpointUrl('v1.0'), { Accept: 'application/json' })
    expect(standin.endpointUrl('v1.0').startsWith(standin.baseUrl)).toBe(true)
    expect(answer.headers.get('content-type')).toBe('application/json')
    expect(answer.body).toEqual({
      connectionStatus: 'AVAILABLE',
      deleteRequested: false,
      errorMessage: null,
      interfaceEndpointId: IDS.interfaceEndpointId
    })
    await standin.stop()
    await start({ cloudProvider: 'AZURE', endpoints: [{ id: AZURE_ID }] })
    expect(
      (await get(`${standin.baseUrl}/groups/${IDS.projectId}/privateEndpoint/${IDS.privateLinkId}`)).body
        .errorCode
    ).toBe('RESOURCE_NOT_FOUND')
  })
})

describe('versions', () => {
  it.each([
    [406, 'INVALID_VERSION_DATE', 'no Accept', {}],
    [406, 'INVALID_VERSION_DATE', 'application/json', { Accept: 'application/json' }],
    [406, 'INVALID_VERSION_DATE', 'an unknown date', { Accept: 'application/vnd.atlas.2099-01-01+json' }],
    [410, 'VERSION_GONE', 'a retired date', { Accept: V2 }]
  ] as const)('answers %i %s to %s', async (status, code, _, headers) => {
    await start({ retiredVersions: status === 410 ? ['2023-01-01'] : [] })
    const answer = await get(standin.endpointUrl('v2'), headers)
    expect([answer.status, answer.body.errorCode, answer.headers.get('x-error-code')]).toEqual([
      status,
      code,
      code
    ])
    if (status === 410)
      expect(answer.body.parameters).toEqual(['2023-01-01', expect.stringMatching(/^api\/atlas\/v2\//)])
  })
})

describe('Azure IDs travel as one segment, percent-encoded once', () => {
  const url = (segment: string) =>
    `${v2Root(standin)}/AZURE/endpointService/${IDS.privateLinkId}/endpoint/${segment}`
  beforeEach(() => start({ cloudProvider: 'AZURE', endpoints: [{ id: AZURE_ID }] }))

  it('finds the endpoint encoded once, and records the decoded ID', async () => {
    const answer = await get(url(encodeURIComponent(AZURE_ID)))
    expect(answer.body).toMatchObject({ privateEndpointResourceId: AZURE_ID, status: 'AVAILABLE' })
    expect(standin.requests.at(-1)).toMatchObject({
      target: 'endpoint',
      api: 'v2',
      endpointId: AZURE_ID,
      auth: 'digest'
    })
  })

  it.each([
    ['unencoded (extra segments)', AZURE_ID],
    ['double-encoded', encodeURIComponent(encodeURIComponent(AZURE_ID))]
  ])('answers 404 RESOURCE_NOT_FOUND to an ID %s', async (_, segment) => {
    const answer = await get(url(segment))
    expect([answer.status, answer.body.errorCode]).toEqual([404, 'RESOURCE_NOT_FOUND'])
  })
})

describe('errors', () => {
  const at = (p: { group?: string; cloud?: string; service?: string; id?: string }) =>
    `${standin.baseUrlV2}/groups/${p.group ?? IDS.projectId}/privateEndpoint/${p.cloud ?? 'AWS'}/endpointService/${p.service ?? IDS.privateLinkId}/endpoint/${p.id ?? IDS.interfaceEndpointId}`
  const [other, zeros] = ['0123456789abcdef01234567', '000000000000000000000000']

  it('answers each 404 and 400 with Atlas codes', async () => {
    await start({ invalidProjectIds: [zeros] })
    const cases: [string, number, string][] = [
      [at({ group: other }), 404, 'GROUP_NOT_FOUND'],
      [at({ group: zeros }), 404, 'INVALID_GROUP_ID'],
      [at({ service: other }), 404, 'PRIVATE_ENDPOINT_SERVICE_NOT_FOUND'],
      [at({ cloud: 'GCP' }), 404, 'PRIVATE_ENDPOINT_SERVICE_NOT_FOUND'],
      [at({ id: 'vpce-0123456789abcdef1' }), 404, 'PRIVATELINK_INTERFACE_ENDPOINT_NOT_FOUND'],
      [`${standin.baseUrlV2}/groups/${IDS.projectId}/databaseUsers`, 404, 'RESOURCE_NOT_FOUND'],
      [at({ group: 'x' }), 400, 'PATH_PARAM_PARSE_ERROR'],
      [at({ cloud: 'aws' }), 400, 'PATH_PARAM_PARSE_ERROR'],
      [at({ service: 'not-hex' }), 400, 'PATH_PARAM_PARSE_ERROR'],
      [at({ id: '%E0%A4%A' }), 400, 'PATH_PARAM_PARSE_ERROR']
    ]
    for (const [url, status, code] of cases) {
      const answer = await get(url)
      expect([url, answer.status, answer.body.errorCode]).toEqual([url, status, code])
      expect(Object.keys(answer.body).sort()).toEqual('detail error errorCode parameters reason'.split(' '))
    }
  })

  it('plays a deleted endpoint as a 404, with the default code or the one scripted', async () => {
    await start({
      script: [
        { status: 'DELETING' },
        { gone: true, times: 1 },
        { gone: true, errorCode: 'RESOURCE_NOT_FOUND' }
      ]
    })
    const answers = []
    while (answers.length < 3) answers.push(await get(standin.endpointUrl('v2')))
    expect(answers.map(a => [a.status, a.body.connectionStatus ?? a.body.errorCode])).toEqual([
      [200, 'DELETING'],
      [404, 'PRIVATELINK_INTERFACE_ENDPOINT_NOT_FOUND'],
      [404, 'RESOURCE_NOT_FOUND']
    ])
  })
})

describe('the endpoint service (listing)', () => {
  it.each([
    ['AWS', ['vpce-0123456789abcdef0', 'vpce-0123456789abcdef1'], 'interfaceEndpoints'],
    ['AZURE', [AZURE_ID, AZURE_ID.replace('pe-atlas-1', 'pe-atlas-2')], 'privateEndpoints'],
    ['GCP', [GCP_ID, 'atlas-psc-group-2'], 'endpointGroupNames']
  ] as const)('lists %s endpoint IDs in its own field', async (cloud, ids, field) => {
    await start({ cloudProvider: cloud, endpoints: ids.map(id => ({ id })) })
    const answer = await get(standin.serviceUrl('v2'))
    expect(answer.body).toMatchObject({
      id: IDS.privateLinkId,
      cloudProvider: cloud,
      status: 'AVAILABLE',
      errorMessage: null,
      [field]: ids
    })
    expect(answer.body.regionName).toEqual(expect.any(String))
    expect(standin.requests.at(-1)).toMatchObject({ target: 'listing', api: 'v2', cloudProvider: cloud })
  })

  it('serves the v1.0 listing, an empty service, and a listing without the gone endpoints', async () => {
    await start({ endpoints: [] })
    expect((await get(standin.serviceUrl('v2'))).body.interfaceEndpoints).toEqual([])
    await standin.stop()
    const ids = ['vpce-0123456789abcdef0', 'vpce-0123456789abcdef1']
    await start({
      endpoints: [{ id: ids[0] }, { id: ids[1], script: [{ status: 'DELETING' }, { gone: true }] }]
    })
    const v1 = await get(standin.serviceUrl('v1.0'), {})
    expect(v1.body).toMatchObject({ id: IDS.privateLinkId, interfaceEndpoints: ids, status: 'AVAILABLE' })
    await get(standin.endpointUrl('v2', ids[1]))
    expect((await get(standin.serviceUrl('v2'))).body.interfaceEndpoints).toEqual([ids[0]])
    standin.playFor(ids[0], [{ gone: true }])
    const removed = await get(standin.serviceUrl('v2'))
    expect([removed.status, removed.body.errorCode]).toEqual([404, 'PRIVATE_ENDPOINT_SERVICE_NOT_FOUND'])
  })
})

it('plays several endpoints, each its own script', async () => {
  const ids = ['vpce-0123456789abcdef0', 'vpce-0123456789abcdef1', 'vpce-0123456789abcdef2']
  await start({
    endpoints: [
      { id: ids[0], script: [{ status: 'PENDING' }, { status: 'AVAILABLE' }] },
      { id: ids[1], script: [{ status: 'REJECTED', errorMessage: 'quota' }] },
      {
        id: ids[2],
        script: [{ error: 429, headers: { 'Retry-After': '1' } }, { status: 'PENDING_ACCEPTANCE' }]
      }
    ]
  })
  const read = async (id: string) => {
    const answer = await get(standin.endpointUrl('v2', id))
    return answer.body.connectionStatus ?? answer.status
  }
  expect([await read(ids[0]), await read(ids[1]), await read(ids[2])]).toEqual(['PENDING', 'REJECTED', 429])
  expect([await read(ids[0]), await read(ids[1]), await read(ids[2])]).toEqual([
    'AVAILABLE',
    'REJECTED',
    'PENDING_ACCEPTANCE'
  ])
})

describe('service-account bearer tokens', () => {
  const authority: BearerAuthority & { bodies: string[] } = {
    bodies: [],
    handle(request, body, response) {
      if (request.url !== '/api/oauth/token') return false
      authority.bodies.push(body)
      response.writeHead(200, { 'Content-Type': 'application/json' })
      response.end('{"access_token":"good","token_type":"Bearer","expires_in":3600}')
      return true
    },
    verify: header =>
      header === 'Bearer good'
        ? { ok: true, clientId: 'mdb_sa_id_0123' }
        : { ok: false, reason: 'unknown token' }
  }

  it('hands /api/oauth/* to the authority, accepts its tokens, refuses others with Atlas 401, and keeps Digest', async () => {
    await start({ serviceAccounts: authority })
    const token = await fetch(`${standin.origin}/api/oauth/token`, {
      method: 'POST',
      body: 'grant_type=client_credentials',
      headers: { Authorization: 'Basic eDp5' }
    })
    expect(token.status).toBe(200)
    expect(authority.bodies).toEqual(['grant_type=client_credentials'])
    expect((await fetch(`${standin.origin}/api/oauth/other`, { method: 'POST' })).status).toBe(404)

    expect((await get(standin.endpointUrl('v2'), { Accept: V2, Authorization: 'Bearer good' })).status).toBe(
      200
    )
    const refused = await fetch(standin.endpointUrl('v2'), {
      headers: { Accept: V2, Authorization: 'Bearer bad' }
    })
    expect(refused.status).toBe(401)
    expect(await refused.text()).toBe(UNAUTHORIZED_BODY)
    expect(refused.headers.get('www-authenticate')).toMatch(/^Digest realm="MMS Public API"/)
    expect((await get(standin.endpointUrl('v2'))).status).toBe(200)

    expect(standin.requests.map(r => [r.target, r.auth, r.status, r.clientId])).toEqual([
      ['oauth', 'basic', 200, undefined],
      ['oauth', 'none', 404, undefined],
      ['endpoint', 'bearer', 200, 'mdb_sa_id_0123'],
      ['endpoint', 'bearer', 401, undefined],
      ['endpoint', 'none', 401, undefined],
      ['endpoint', 'digest', 200, undefined]
    ])
    expect(standin.authorizedCount).toBe(2)
  })
})

describe('latency and requests in flight (for concurrency tests and the benchmark)', () => {
  it('delays every answer, a challenge included, by latencyMs', async () => {
    await start({ latencyMs: 150 })
    let started = performance.now()
    const challenge = await fetch(standin.endpointUrl('v2'), { headers: { Accept: V2 } })
    expect(challenge.status).toBe(401)
    expect(performance.now() - started).toBeGreaterThanOrEqual(145)
    started = performance.now()
    expect((await get(standin.endpointUrl('v2'))).status).toBe(200) // a challenge, then the answer
    expect(performance.now() - started).toBeGreaterThanOrEqual(290)
    // `at` is when the request arrived, before the delay.
    const [first, second] = standin.requests
    expect(second.at - first.at).toBeGreaterThanOrEqual(145)
  })

  it('answers at once without latencyMs, and counts one request in flight at a time when sent one by one', async () => {
    await start()
    const started = performance.now()
    for (let i = 0; i < 3; i++) expect((await get(standin.endpointUrl('v2'))).status).toBe(200)
    expect(performance.now() - started).toBeLessThan(1_000)
    expect(standin.requests.map(r => r.inFlight)).toEqual([1, 1, 1, 1, 1, 1])
    expect(standin.maxInFlight).toBe(1)
  })

  it('records how many requests were in flight when each arrived, and the most at once', async () => {
    await start({ latencyMs: 200 })
    const started = performance.now()
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => fetch(standin.endpointUrl('v2'), { headers: { Accept: V2 } }))
    )
    // Concurrent: six answers in about one latency, not six.
    expect(performance.now() - started).toBeLessThan(1_000)
    expect(answers.map(a => a.status)).toEqual([401, 401, 401, 401, 401, 401])
    expect(standin.requests.map(r => r.inFlight).sort()).toEqual([1, 2, 3, 4, 5, 6])
    expect(standin.maxInFlight).toBe(6)
    standin.requests.length = 0
    expect(standin.maxInFlight).toBe(0)
  })

  it('stops counting a request whose client went away before its delayed answer', async () => {
    await start({ latencyMs: 300 })
    const gone = await fetch(standin.endpointUrl('v2'), { signal: AbortSignal.timeout(50) }).catch(
      (e: unknown) => e
    )
    expect((gone as Error).name).toBe('TimeoutError')
    // The server notices the closed socket; the next request then arrives alone.
    for (let tries = 0; tries < 10 && standin.requests.length === 0; tries++) {
      const answer = await fetch(standin.endpointUrl('v2'), { headers: { Accept: V2 } })
      expect(answer.status).toBe(401)
      if (standin.requests.at(-1)?.inFlight !== 1) standin.requests.length = 0
    }
    expect(standin.requests.at(-1)?.inFlight).toBe(1)
    // The abandoned request was never answered, so never recorded.
    expect(standin.requests).toHaveLength(1)
  })
})
