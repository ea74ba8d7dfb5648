import {
  notFoundState,
  parseEndpoint,
  parseEndpointList,
  parseJson,
  safeStringify
} from '../../src/atlas/endpoint.js'
import { describeAnswer, hint, readErrorBody, type HintContext } from '../../src/atlas/errors.js'
import { CLOUDS } from '../../src/common/clouds.js'
import { ResponseFormatError } from '../../src/common/errors.js'
import { retryAfterMs } from '../../src/http/retry-after.js'
import { CLOUD_IDS, IDS } from '../helpers/ids.js'

const NOW = Date.UTC(2026, 10, 28, 12, 0, 0)
const JSON_TYPE = 'application/json'
const headers = (values: Record<string, string> = {}) => ({
  get: (name: string) => values[name.toLowerCase()] ?? null
})

/** What parseEndpoint throws for `text` (fails the test when it throws nothing). */
function formatError(text: string, cloud = CLOUDS.AWS): ResponseFormatError {
  try {
    parseEndpoint(text, JSON_TYPE, cloud, 'asked')
  } catch (error) {
    expect(error).toBeInstanceOf(ResponseFormatError)
    return error as ResponseFormatError
  }
  throw new Error(`parseEndpoint accepted ${text.slice(0, 80)}`)
}

describe('parseEndpoint', () => {
  it('reads an AWS interface endpoint', () => {
    const text = JSON.stringify({
      connectionStatus: 'REJECTED',
      deleteRequested: false,
      errorMessage: 'AWS said no',
      interfaceEndpointId: IDS.interfaceEndpointId
    })
    expect(parseEndpoint(text, JSON_TYPE, CLOUDS.AWS, 'vpce-0')).toEqual({
      status: 'REJECTED',
      deleteRequested: false,
      errorMessage: 'AWS said no',
      endpointId: IDS.interfaceEndpointId,
      cloudProvider: 'AWS',
      forwardingRules: [],
      raw: text,
      notFound: false
    })
  })

  it('reads an Azure private endpoint by its status field, with the ID Atlas returned', () => {
    const text = JSON.stringify({
      status: 'AVAILABLE',
      deleteRequested: true,
      errorMessage: null,
      privateEndpointResourceId: CLOUD_IDS.azureEndpointId,
      privateEndpointIPAddress: '10.0.0.4'
    })
    expect(parseEndpoint(text, JSON_TYPE, CLOUDS.AZURE, 'asked')).toMatchObject({
      status: 'AVAILABLE',
      deleteRequested: true,
      errorMessage: null,
      endpointId: CLOUD_IDS.azureEndpointId,
      cloudProvider: 'AZURE'
    })
  })

  it('reads a GCP endpoint group with its forwarding rules, skipping entries it cannot trust', () => {
    const text = JSON.stringify({
      status: 'INITIATING',
      endpointGroupName: CLOUD_IDS.gcpEndpointGroupName,
      endpoints: [
        { endpointName: 'rule-0', ipAddress: '10.0.0.2', status: 'AVAILABLE' },
        { endpointName: 'rule-1', ipAddress: 7, status: 'FAILED' },
        { endpointName: 'rule-2', status: '<b>x</b>' },
        { ipAddress: '10.0.0.9', status: 'FAILED' },
        42,
        null,
        'rule-3'
      ]
    })
    const state = parseEndpoint(text, JSON_TYPE, CLOUDS.GCP, 'asked')
    expect(state.status).toBe('INITIATING')
    expect(state.endpointId).toBe(CLOUD_IDS.gcpEndpointGroupName)
    expect(state.forwardingRules).toEqual([
      { name: 'rule-0', ipAddress: '10.0.0.2', status: 'AVAILABLE' },
      { name: 'rule-1', ipAddress: '', status: 'FAILED' },
      { name: 'rule-2', ipAddress: '', status: 'UNKNOWN' }
    ])
  })

  it('keeps the ID asked for when the body has none, or an empty one', () => {
    expect(parseEndpoint('{"connectionStatus":"PENDING"}', null, CLOUDS.AWS, 'vpce-1').endpointId).toBe(
      'vpce-1'
    )
    const empty = '{"connectionStatus":"PENDING","interfaceEndpointId":""}'
    expect(parseEndpoint(empty, null, CLOUDS.AWS, 'vpce-1').endpointId).toBe('vpce-1')
  })

  it('takes a newer status it does not know as is', () => {
    expect(parseEndpoint('{"status":"PENDING_RECONNECT"}', null, CLOUDS.AZURE, 'x').status).toBe(
      'PENDING_RECONNECT'
    )
  })

  it("reads the other cloud's field as no status at all, and says to check cloud-provider", () => {
    const error = formatError('{"status":"AVAILABLE"}', CLOUDS.AWS)
    expect(error.message).toContain('no connectionStatus field')
    expect(error.message).toContain('cloud-provider')
  })

  it.each<[string, string]>([
    ['status a number', '{"connectionStatus":1}'],
    ['status an object', '{"connectionStatus":{"a":"AVAILABLE"}}'],
    ['status an array', '{"connectionStatus":["AVAILABLE"]}'],
    ['status null', '{"connectionStatus":null}'],
    ['status empty', '{"connectionStatus":""}'],
    ['status with markup', '{"connectionStatus":"<img src=x>"}'],
    ['status too long', `{"connectionStatus":"${'A'.repeat(65)}"}`],
    ['status with a line break', '{"connectionStatus":"AVAILABLE\\n::error::x"}'],
    ['an array', '[{"connectionStatus":"AVAILABLE"}]'],
    ['a string', '"AVAILABLE"'],
    ['null', 'null'],
    ['5,000 nested arrays', `${'['.repeat(5000)}${']'.repeat(5000)}`],
    ['a status nested 100,000 deep', `${'{"connectionStatus":'.repeat(100_000)}1${'}'.repeat(100_000)}`],
    ['an object nested 100,000 deep', `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`],
    ['__proto__ carrying a status', '{"__proto__":{"connectionStatus":"AVAILABLE"}}'],
    ['an HTML page', '<html><body>Sign in to continue</body></html>'],
    ['truncated JSON', '{"connectionStatus":"AVAIL'],
    ['binary garbage', String.fromCharCode(...Array.from({ length: 512 }, (_, i) => (i * 131 + 7) % 256))],
    [
      'invalid UTF-8, decoded',
      Buffer.from([0x7b, 0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1, 0x7d]).toString('utf8')
    ],
    ['nothing', '']
  ])('throws only ResponseFormatError on %s', (_case, text) => {
    const error = formatError(text)
    // The message is one line, however the body was shaped.
    expect(error.message).not.toContain('\n')
    expect(error.message.length).toBeLessThan(600)
  })

  it('reads wrong types in the other fields as absent, never trusting them', () => {
    const text = JSON.stringify({
      connectionStatus: 'AVAILABLE',
      deleteRequested: 'yes',
      errorMessage: { text: 'x' },
      interfaceEndpointId: 5,
      endpoints: 'rule-0'
    })
    expect(parseEndpoint(text, null, CLOUDS.AWS, 'vpce-1')).toMatchObject({
      deleteRequested: false,
      errorMessage: null,
      endpointId: 'vpce-1',
      forwardingRules: []
    })
    const numbers = parseEndpoint('{"status":"AVAILABLE","endpoints":[1,2,3]}', null, CLOUDS.GCP, 'g')
    expect(numbers.forwardingRules).toEqual([])
  })

  it('reads deleteRequested given as the string "true" as a deletion request: a gate errs on the side of stopping', () => {
    const state = parseEndpoint(
      '{"connectionStatus":"AVAILABLE","deleteRequested":"true"}',
      null,
      CLOUDS.AWS,
      'vpce-1'
    )
    expect(state.deleteRequested).toBe(true)
  })

  it('turns a RangeError from JSON.parse (deep nesting on another engine) into ResponseFormatError', () => {
    const parse = JSON.parse
    JSON.parse = () => {
      throw new RangeError('Maximum call stack size exceeded')
    }
    try {
      const error = formatError('{"a":{"a":{}}}')
      expect(error.message).toContain('nested too deeply')
    } finally {
      JSON.parse = parse
    }
  })

  it('says what came instead of JSON, on one line, without markup running on', () => {
    const error = formatError('<html>\n<script>x</script>')
    expect(error.message).toContain('not JSON')
    expect(error.message).toContain('application/json')
    expect(error.message).toContain('proxy')
  })
})

describe('parseJson', () => {
  it('names what was expected when the JSON is not an object', () => {
    expect(() => parseJson('[]', null, 'the thing')).toThrow(/expected the thing/)
  })
})

describe('safeStringify', () => {
  it('never throws, even on a cyclic value', () => {
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    expect(safeStringify(cyclic)).toBe('(a value too deeply nested to show)')
    expect(safeStringify(undefined)).toBe('undefined')
  })
})

describe('notFoundState', () => {
  it('is DELETED, not found, with the ID asked for and the body kept', () => {
    const body = '{"error":404,"errorCode":"RESOURCE_NOT_FOUND"}'
    expect(notFoundState(CLOUDS.AZURE, CLOUD_IDS.azureEndpointId, body)).toEqual({
      status: 'DELETED',
      deleteRequested: false,
      errorMessage: null,
      endpointId: CLOUD_IDS.azureEndpointId,
      cloudProvider: 'AZURE',
      forwardingRules: [],
      raw: body,
      notFound: true
    })
  })
})

describe('parseEndpointList', () => {
  it.each([
    ['AWS', CLOUDS.AWS, { interfaceEndpoints: ['vpce-1', 'vpce-2'] }, ['vpce-1', 'vpce-2']],
    ['AZURE', CLOUDS.AZURE, { privateEndpoints: [CLOUD_IDS.azureEndpointId] }, [CLOUD_IDS.azureEndpointId]],
    ['GCP', CLOUDS.GCP, { endpointGroupNames: ['g-1', { endpointGroupName: 'g-2' }] }, ['g-1', 'g-2']]
  ])('lists the IDs of a %s endpoint service in order', (_name, cloud, body, ids) => {
    expect(parseEndpointList(JSON.stringify(body), JSON_TYPE, cloud)).toEqual(ids)
  })

  it('skips entries that are not IDs, and reads a missing list as empty', () => {
    const body = { interfaceEndpoints: ['', 3, null, {}, { interfaceEndpointId: 'vpce-3' }, 'vpce-4'] }
    expect(parseEndpointList(JSON.stringify(body), null, CLOUDS.AWS)).toEqual(['vpce-3', 'vpce-4'])
    expect(parseEndpointList('{"status":"AVAILABLE"}', null, CLOUDS.AWS)).toEqual([])
    expect(parseEndpointList('{"interfaceEndpoints":null}', null, CLOUDS.AWS)).toEqual([])
  })

  it.each(['{"interfaceEndpoints":"vpce-1"}', '{"interfaceEndpoints":{"0":"vpce-1"}}', '<html>', '[]'])(
    'throws ResponseFormatError on %s',
    text => {
      expect(() => parseEndpointList(text, null, CLOUDS.AWS)).toThrow(ResponseFormatError)
    }
  )
})

describe('readErrorBody', () => {
  it("reads Atlas's error JSON", () => {
    const text =
      '{"error":404,"errorCode":"GROUP_NOT_FOUND","detail":"No group with ID x exists.","reason":"Not Found"}'
    expect(readErrorBody(text, headers())).toEqual({
      isAtlasError: true,
      errorCode: 'GROUP_NOT_FOUND',
      detail: 'No group with ID x exists.'
    })
  })

  it('falls back to reason, and to the X-Error-Code header', () => {
    expect(
      readErrorBody('{"reason":"Forbidden"}', headers({ 'x-error-code': 'ORG_REQUIRES_ACCESS_LIST' }))
    ).toEqual({
      isAtlasError: false,
      errorCode: 'ORG_REQUIRES_ACCESS_LIST',
      detail: 'Forbidden'
    })
  })

  it("takes a plain-text body as the detail, but never an HTML page's or JSON's text", () => {
    expect(readErrorBody('Service Unavailable', headers()).detail).toBe('Service Unavailable')
    expect(readErrorBody('  <html><h1>502</h1></html>', headers()).detail).toBeUndefined()
    expect(readErrorBody('[1,2]', headers()).detail).toBeUndefined()
    expect(readErrorBody('', headers())).toEqual({
      isAtlasError: false,
      errorCode: undefined,
      detail: undefined
    })
  })

  it('is not fooled by a 404 page that merely looks like JSON', () => {
    expect(readErrorBody('{"error":"404","errorCode":"RESOURCE_NOT_FOUND"}', headers()).isAtlasError).toBe(
      false
    )
    expect(readErrorBody('{"error":404}', headers()).isAtlasError).toBe(false)
  })

  it('keeps an error code to one short line', () => {
    const body = readErrorBody(JSON.stringify({ error: 400, errorCode: `A\nB${'C'.repeat(200)}` }), headers())
    expect(body.errorCode).not.toContain('\n')
    expect(body.errorCode!.length).toBeLessThanOrEqual(81)
  })
})

describe('describeAnswer', () => {
  it('gives the status, the code and the detail quoted on one line', () => {
    expect(
      describeAnswer(404, { isAtlasError: true, errorCode: 'GROUP_NOT_FOUND', detail: 'No\ngroup.' })
    ).toBe('HTTP 404 (GROUP_NOT_FOUND): "No group."')
    expect(describeAnswer(502, { isAtlasError: false })).toBe('HTTP 502')
  })
})

describe('hint', () => {
  const context = (extra: Partial<HintContext> = {}): HintContext => ({
    api: 'v2',
    cloud: CLOUDS.AWS,
    credentialKind: 'api-key',
    ...extra
  })

  it('asks v2 for Project Read Only and v1.0 for Project Owner', () => {
    expect(hint(403, undefined, context())).toContain('Project Read Only')
    expect(hint(403, undefined, context({ api: 'v1.0' }))).toContain('Project Owner')
  })

  it("names the access list of the credential's kind", () => {
    expect(hint(403, 'IP_ADDRESS_NOT_ON_ACCESS_LIST', context())).toContain("API key's access list")
    expect(hint(403, 'ORG_REQUIRES_ACCESS_LIST', context({ credentialKind: 'service-account' }))).toContain(
      "service account's access list"
    )
  })

  it('names the inputs of the credential that was refused', () => {
    expect(hint(401, undefined, context())).toContain('public-key and private-key')
    expect(hint(401, undefined, context({ credentialKind: 'service-account' }))).toContain(
      'client-id and client-secret'
    )
  })

  it('tells a wrong project from a wrong endpoint, with the ID format of the cloud', () => {
    expect(hint(404, 'GROUP_NOT_FOUND', context())).toContain('project-id is wrong')
    const endpoint = hint(404, 'RESOURCE_NOT_FOUND', context({ cloud: CLOUDS.AZURE }))
    expect(endpoint).toContain('endpoint-service-id or endpoint-id is wrong')
    expect(endpoint).toContain('Azure resource ID')
    expect(hint(400, 'PATH_PARAM_PARSE_ERROR', context({ cloud: CLOUDS.GCP }))).toContain(
      'endpoint group name'
    )
  })

  it('says what to do when the API version is gone', () => {
    expect(hint(406, undefined, context())).toContain('update the action')
    expect(hint(410, undefined, context({ api: 'v1.0' }))).toContain('/api/atlas/v2')
  })
})

describe('retryAfterMs', () => {
  it('is undefined without the header', () => {
    expect(retryAfterMs(null, NOW)).toBeUndefined()
  })

  it.each([
    ['0', 0],
    ['5', 5_000],
    [' 7 ', 7_000],
    ['120', 120_000]
  ])('reads delay-seconds %p as %i ms', (value, ms) => {
    expect(retryAfterMs(value, NOW)).toBe(ms)
  })

  it('reads an HTTP date as the time left until it, and a past one as no wait', () => {
    expect(retryAfterMs(new Date(NOW + 30_000).toUTCString(), NOW)).toBe(30_000)
    expect(retryAfterMs('Sat, 28 Nov 2026 12:01:00 GMT', NOW)).toBe(60_000)
    expect(retryAfterMs('Sat, 28 Nov 2026 11:59:00 GMT', NOW)).toBe(0)
  })

  it.each(['soon', '1.5', '-1', '', 'Foo, 99 Bar 2026'])('is undefined for %p', value => {
    // Date.parse reads "1.5" and "-1" as dates in 2001; they are neither seconds nor an HTTP date.
    expect(retryAfterMs(value, NOW)).toBeUndefined()
  })
})
