import { CLOUDS } from '../../src/common/clouds.js'
import { ACTION_DEFAULTS, DEFAULT_BASE_URL, Input, V1_BASE_URL } from '../../src/common/constants.js'
import { InputError } from '../../src/common/errors.js'
import { type InputReader, maskSecrets, readSettings } from '../../src/inputs/inputs.js'
import { CLOUD_IDS, IDS } from '../helpers/ids.js'

const CLIENT_ID = 'mdb_sa_id_0123456789abcdef01234567'
const CLIENT_SECRET = 'mdb_sa_sk_S3cretServiceAccountValue0123'
const AZURE_ID = CLOUD_IDS.azureEndpointId
/** The i-th well-formed AWS endpoint ID. */
const vpce = (i: number) => `vpce-${i.toString(16).padStart(17, '0')}`
const [V1, V2, V3] = [vpce(1), vpce(2), vpce(3)]
/** A valid endpoint ID of each cloud. */
const ID_OF: Record<string, string> = {
  AWS: IDS.interfaceEndpointId,
  AZURE: AZURE_ID,
  GCP: 'atlas-psc-group-1'
}
const BASE: Record<string, string> = {
  'public-key': IDS.publicKey,
  'private-key': IDS.privateKey,
  'project-id': IDS.projectId,
  'endpoint-service-id': IDS.privateLinkId,
  'endpoint-id': IDS.interfaceEndpointId
}

/** Inputs as a runner passes them: every input, '' or its action.yml default when not given; trimmed. */
const runner =
  (inputs: Record<string, string>): InputReader =>
  name =>
    (inputs[name] ?? ACTION_DEFAULTS[name] ?? '').trim()

const settings = (overrides: Record<string, string> = {}) => readSettings(runner({ ...BASE, ...overrides }))

/** The InputError readSettings throws for these inputs (fails the test when it throws nothing). */
function inputError(overrides: Record<string, string>): InputError {
  try {
    settings(overrides)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return error as InputError
  }
  throw new Error(`readSettings accepted ${JSON.stringify(overrides)}`)
}

/** The one problem these inputs have. */
function problem(overrides: Record<string, string>): string {
  const error = inputError(overrides)
  expect(error.problems).toHaveLength(1)
  expect(error.message).not.toContain('\n')
  return error.message
}

describe('readSettings', () => {
  it('returns the action.yml defaults for an AWS endpoint on the v2 API', () => {
    expect(settings()).toEqual({
      credentials: { kind: 'api-key', publicKey: IDS.publicKey, privateKey: IDS.privateKey },
      projectId: IDS.projectId,
      cloud: CLOUDS.AWS,
      endpointServiceId: IDS.privateLinkId,
      endpointIds: [IDS.interfaceEndpointId],
      clusterNames: [],
      waitFor: [],
      failOn: ['REJECTED', 'FAILED'],
      timeoutMs: 900_000,
      intervalMs: 10_000,
      requestTimeoutMs: 30_000,
      maxRetries: 5,
      baseUrl: DEFAULT_BASE_URL,
      api: 'v2',
      summary: true,
      warnings: []
    })
  })

  it("applies the defaults to inputs missing altogether, but keeps an input given as ''", () => {
    const only =
      (inputs: Record<string, string>): InputReader =>
      name =>
        inputs[name]
    expect(readSettings(only(BASE))).toMatchObject({
      failOn: ['REJECTED', 'FAILED'],
      cloud: CLOUDS.AWS,
      timeoutMs: 900_000
    })
    expect(readSettings(only({ ...BASE, 'fail-on': '' })).failOn).toEqual([])
  })

  it.each([
    ['aws', 'AWS'],
    ['Azure', 'AZURE'],
    [' gcp ', 'GCP']
  ] as const)('reads cloud-provider %j as %s', (given, provider) => {
    expect(settings({ 'cloud-provider': given, 'endpoint-id': ID_OF[provider] }).cloud).toBe(CLOUDS[provider])
  })

  it('rejects a cloud-provider it does not know', () => {
    expect(problem({ 'cloud-provider': 'amazon' })).toContain(
      'Input "cloud-provider" must be AWS, AZURE or GCP (any case); got "amazon"'
    )
  })

  describe.each([
    [
      'endpoint-service-id',
      'private-link-id',
      IDS.privateLinkId,
      '5f1a2b3c4d5e6f7a8b9c0d1f',
      'endpointServiceId'
    ],
    ['endpoint-id', 'interface-endpoint-id', IDS.interfaceEndpointId, 'vpce-0123456789abcdeff', 'endpointIds']
  ])('%s and its older name %s', (name, alias, value, other, field) => {
    const expected = field === 'endpointIds' ? [value] : value
    it('accept either', () => {
      expect(settings({ [name]: '', [alias]: value })).toMatchObject({ [field]: expected })
      expect(settings({ [name]: value, [alias]: '' })).toMatchObject({ [field]: expected })
    })
    it('accept both with the same value', () => {
      expect(settings({ [name]: value, [alias]: value })).toMatchObject({ [field]: expected })
    })
    it('reject both with different values, naming both', () => {
      const message = problem({ [name]: value, [alias]: other })
      expect(message).toContain(`Inputs "${name}" and "${alias}"`)
      expect(message).toContain(other)
    })
    it('require one of them', () => {
      expect(problem({ [name]: '', [alias]: '' })).toContain(`Input "${name}" is required`)
      expect(problem({ [name]: '', [alias]: '' })).toContain(`its older name "${alias}" works too`)
    })
  })
})

describe('readSettings: endpoint IDs per cloud', () => {
  const azure = (id: string) => settings({ 'cloud-provider': 'AZURE', 'endpoint-id': id })
  const gcp = (id: string) => settings({ 'cloud-provider': 'GCP', 'endpoint-id': id })

  it('accepts an Azure resource ID raw or percent-encoded once (kept decoded), and GCP names loosely', () => {
    expect(azure(AZURE_ID).endpointIds).toEqual([AZURE_ID])
    expect(azure(encodeURIComponent(AZURE_ID)).endpointIds).toEqual([AZURE_ID])
    expect(azure(AZURE_ID.replace(/\//g, '%2f')).endpointIds).toEqual([AZURE_ID])
    expect(gcp('atlas-psc-group-1').endpointIds).toEqual(['atlas-psc-group-1'])
    expect(gcp('Rule_1.a').endpointIds).toEqual(['Rule_1.a'])
  })

  it.each([
    ['AZURE', 'an AWS ID', IDS.interfaceEndpointId],
    ['AZURE', 'an ID encoded twice', encodeURIComponent(encodeURIComponent(AZURE_ID))],
    ['AZURE', 'an ID of another resource type', AZURE_ID.replace('privateEndpoints', 'virtualNetworks')],
    ['GCP', 'a name starting with "-"', '-group'],
    ['GCP', 'a name with a space', 'my group'],
    ['GCP', 'a path', 'projects/p/group'],
    ['GCP', 'a name of 129 characters', 'g'.repeat(129)],
    ['AWS', 'an ENI ID', 'eni-0123'],
    ['AWS', '"vpce-" and nothing', 'vpce-'],
    ['AWS', 'an Azure ID', AZURE_ID],
    ['AWS', 'a line break inside', 'vpce-0123\nabc,vpce-1'],
    ['AWS', '16 hex digits', 'vpce-0123456789abcdef'],
    ['AWS', '18 hex digits', 'vpce-0123456789abcdef01'],
    ['AWS', 'a non-hex letter', 'vpce-0123456789abcdefg'],
    ['AWS', 'upper-case "VPCE-"', 'VPCE-0123456789abcdef0'],
    ['AWS', '"..": the service resource itself', '..'],
    ['AWS', '"%2e%2e"', '%2e%2e'],
    ['AWS', 'a trailing "/.."', 'vpce-0123456789abcdef0/..'],
    ['AWS', 'a line break followed by "::"', 'vpce-0123456789abcdef0\n::stop-commands::x'],
    ['AZURE', 'the whole ID in upper case', AZURE_ID.toUpperCase()],
    ['AZURE', 'a name ".."', AZURE_ID.replace(/pe-atlas-1$/, '..')],
    ['AZURE', 'a resource group "."', AZURE_ID.replace('rg-app', '.')],
    ['AZURE', 'a name ending in "."', `${AZURE_ID}.`],
    ['AZURE', 'a name with "%2e%2e" encoded once', encodeURIComponent(AZURE_ID.replace(/pe-atlas-1$/, '..'))],
    ['AZURE', 'a short subscription', AZURE_ID.replace('7c9e6679-', '7c9e667-')],
    ['AZURE', 'a trailing slash', `${AZURE_ID}/`],
    ['GCP', '".."', '..'],
    ['GCP', 'a line break followed by "::"', 'group\n::error::x']
  ])('rejects for %s %s', (provider, _case, id) => {
    const message = inputError({ 'cloud-provider': provider, 'endpoint-id': id }).message
    expect(message).toContain('Input "endpoint-id"')
  })

  it("reads several IDs, comma or newline separated, in order (a trailing separator tolerated), or '*'", () => {
    expect(settings({ 'endpoint-id': `${V1}, ${V2}\n${V3},` }).endpointIds).toEqual([V1, V2, V3])
    expect(settings({ 'endpoint-id': `${V1}\r\n${V2}\n` }).endpointIds).toEqual([V1, V2])
    expect(settings({ 'endpoint-id': '*' }).endpointIds).toBe('*')
  })

  it('accepts up to 50 endpoints, and rejects 51', () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => vpce(i)).join(',')
    expect(settings({ 'endpoint-id': ids(50) }).endpointIds).toHaveLength(50)
    expect(problem({ 'endpoint-id': ids(51) })).toContain('lists 51 endpoints; at most 50')
  })

  it('rejects an ID given twice (also once encoded, once not, or in another case on Azure) and an empty entry among others', () => {
    expect(problem({ 'endpoint-id': `${V1},${V2},${V1}` })).toContain(`"${V1}" more than once`)
    const twice = `${AZURE_ID}\n${encodeURIComponent(AZURE_ID)}`
    expect(problem({ 'cloud-provider': 'azure', 'endpoint-id': twice })).toContain('more than once')
    const otherCase = `${AZURE_ID}\n${AZURE_ID.replace('pe-atlas-1', 'PE-Atlas-1')}`
    expect(problem({ 'cloud-provider': 'azure', 'endpoint-id': otherCase })).toContain('more than once')
    expect(problem({ 'endpoint-id': `${V1},,${V2}` })).toContain('empty entry')
    expect(problem({ 'endpoint-id': `${V1}\n \n${V2}` })).toContain('empty entry')
  })

  it('accepts only the lower-case hex digits the API accepts, showing the lower-case form', () => {
    const upper = 'vpce-0123456789ABCDEF0'
    const message = problem({ 'endpoint-id': upper })
    expect(message).toContain('17 lower-case hexadecimal digits')
    expect(message).toContain(`did you mean "${IDS.interfaceEndpointId}"?`)
    // Only a change of case is offered as a fix: no guess for an ID wrong in other ways.
    expect(problem({ 'endpoint-id': 'vpce-0123456789ABCDEF' })).not.toContain('did you mean')
    expect(problem({ 'endpoint-id': 'vpce-0123456789abcdefX' })).not.toContain('did you mean')
  })

  it('offers the lower-case subscription and the fixed words of an Azure ID, keeping the names as given', () => {
    const shouted = AZURE_ID.replace(
      '7c9e6679-7425-40de-944b-e07fc1f90ae7',
      '7C9E6679-7425-40DE-944B-E07FC1F90AE7'
    )
      .replace(
        '/providers/Microsoft.Network/privateEndpoints/',
        '/PROVIDERS/microsoft.network/PRIVATEENDPOINTS/'
      )
      .replace('rg-app', 'RG-App')
    const message = problem({ 'cloud-provider': 'AZURE', 'endpoint-id': shouted })
    expect(message).toContain(`did you mean "${AZURE_ID.replace('rg-app', 'RG-App')}"?`)
    // Atlas writes "resourcegroups": the API's pattern accepts it as is.
    const atlasSpelling = AZURE_ID.replace('resourceGroups', 'resourcegroups')
    expect(settings({ 'cloud-provider': 'AZURE', 'endpoint-id': atlasSpelling }).endpointIds).toEqual([
      atlasSpelling
    ])
  })

  it('shows a hostile ID escaped on one line, never raw', () => {
    const hostile = 'vpce-0123456789abcdef0\r::error::x\u2028::warning::y'
    const message = problem({ 'endpoint-id': hostile })
    expect(message).not.toMatch(/[\n\r\u2028\u2029]/)
    expect(message).toContain('\\u2028')
  })
})

describe('readSettings: cluster-name', () => {
  const names = (value: string, waitFor = 'AVAILABLE') =>
    settings({ 'cluster-name': value, 'wait-for': waitFor }).clusterNames

  it('reads none, one, or several (lines or commas, "a," line endings), in input order', () => {
    expect(settings().clusterNames).toEqual([])
    expect(names('')).toEqual([])
    expect(names('Cluster0')).toEqual(['Cluster0'])
    expect(names('Cluster0, analytics-1\nreporting,\nz')).toEqual([
      'Cluster0',
      'analytics-1',
      'reporting',
      'z'
    ])
    expect(names('Cluster0\r\nCluster1\n')).toEqual(['Cluster0', 'Cluster1'])
    expect(names('a'.repeat(64))).toEqual(['a'.repeat(64)])
    expect(names('9-lives')).toEqual(['9-lives'])
  })

  it('takes up to 20 clusters, not 21', () => {
    const list = (n: number) => Array.from({ length: n }, (_, i) => `c${i}`).join('\n')
    expect(names(list(20))).toHaveLength(20)
    expect(problem({ 'cluster-name': list(21), 'wait-for': 'AVAILABLE' })).toBe(
      'Input "cluster-name" lists 21 clusters; at most 20 are accepted.'
    )
  })

  it.each([
    ['-abc', '"-abc"'],
    ['a_b', '"a_b"'],
    ['Cluster 0', '"Cluster 0"'],
    ['Cluster0.prod', '"Cluster0.prod"'],
    ['\u0421luster0', '"\u0421luster0"'], // a Cyrillic Es for the C
    ['Cluster\u212a', '"Cluster\u212a"'], // the Kelvin sign, which lower-cases to "k"
    ['Cluster\u200b0', '"Cluster\u200b0"'], // a zero-width space
    ['Cluster0\u202e', '"Cluster0\\u202E"'] // a bidi control, shown escaped
  ])('refuses %p, naming the input and showing what was given', (value, shown) => {
    const message = problem({ 'cluster-name': value, 'wait-for': 'AVAILABLE' })
    expect(message).toContain('Input "cluster-name" must list Atlas cluster names')
    expect(message).toContain(`got ${shown}`)
  })

  it('refuses a name longer than 64 characters, and shows a huge one shortened', () => {
    expect(problem({ 'cluster-name': 'a'.repeat(65) })).toContain('(65 characters)')
    const huge = problem({ 'cluster-name': 'b'.repeat(1_000_000) })
    expect(huge.length).toBeLessThan(600)
    expect(huge).toContain('(1000000 characters)')
  })

  it('never lets a line break followed by :: reach the message as a workflow command', () => {
    const message = problem({ 'cluster-name': 'Cluster0 ::error::x\n::add-mask::y' })
    expect(message).not.toContain('\n')
    expect(message).toContain('Input "cluster-name"')
    const second = problem({ 'cluster-name': 'Cluster0\n::set-output name=x::y' })
    expect(second).not.toContain('\n')
    expect(second).toContain('"::set-output name=x::y"')
  })

  it('refuses empty entries and the same cluster twice, in any case', () => {
    expect(problem({ 'cluster-name': 'a,,b' })).toContain('has an empty entry among its cluster names')
    expect(problem({ 'cluster-name': 'Cluster0\ncluster0' })).toBe(
      'Input "cluster-name" lists the cluster "cluster0" more than once (cluster names ignore case); give each cluster once.'
    )
  })

  it('combines only with wait-for: AVAILABLE, or no wait-for (read once)', () => {
    expect(names('Cluster0', 'available')).toEqual(['Cluster0'])
    expect(names('Cluster0', '')).toEqual(['Cluster0'])
    for (const waitFor of ['DELETED', 'AVAILABLE, PENDING', 'PENDING']) {
      expect(problem({ 'cluster-name': 'Cluster0', 'wait-for': waitFor })).toContain(
        'Input "cluster-name" waits for the clusters to serve the endpoints, so it combines only with wait-for: AVAILABLE'
      )
    }
    // Without cluster-name, any wait-for is as before.
    expect(settings({ 'wait-for': 'DELETED' }).clusterNames).toEqual([])
  })

  it('reports a bad cluster-name along with the other bad inputs', () => {
    const error = inputError({ 'cluster-name': 'a_b', 'project-id': 'nope' })
    expect(error.problems).toHaveLength(2)
  })
})

describe('readSettings: base-url', () => {
  it.each([
    [DEFAULT_BASE_URL, DEFAULT_BASE_URL, 'v2'],
    [`${V1_BASE_URL}/`, V1_BASE_URL, 'v1.0'],
    ['https://cloud.mongodbgov.com/api/atlas/v2/', 'https://cloud.mongodbgov.com/api/atlas/v2', 'v2'],
    ['http://127.0.0.1:8080/api/atlas/v2', 'http://127.0.0.1:8080/api/atlas/v2', 'v2'],
    ['http://localhost/api/atlas/v1.0', 'http://localhost/api/atlas/v1.0', 'v1.0']
  ])('reads %s as %s (%s)', (given, baseUrl, api) => {
    expect(settings({ 'base-url': given })).toMatchObject({ baseUrl, api })
  })

  it.each([
    'https://cloud.mongodb.com',
    'https://cloud.mongodb.com/api/atlas/v1',
    'https://cloud.mongodb.com/api/atlas',
    'https://cloud.mongodb.com/api/atlas/v2/groups'
  ])('rejects %s, showing both accepted forms', given => {
    const message = problem({ 'base-url': given })
    expect(message).toContain(DEFAULT_BASE_URL)
    expect(message).toContain(V1_BASE_URL)
  })

  it.each(['AZURE', 'GCP'])('rejects the v1.0 API with %s', provider => {
    expect(
      problem({ 'base-url': V1_BASE_URL, 'cloud-provider': provider, 'endpoint-id': ID_OF[provider] })
    ).toContain('knows only AWS')
  })

  it.each([
    'https://cloud.mongodb.com/api/atlas/v2?x=1',
    'https://cloud.mongodb.com/api/atlas/v2#top',
    'http://cloud.mongodb.com/api/atlas/v2',
    'http://127.0.0.1.example.com/api/atlas/v2',
    'ftp://cloud.mongodb.com/api/atlas/v2',
    'cloud.mongodb.com/api/atlas/v2',
    'https://cloud.mongodb.com/api/atlas v2'
  ])('rejects %s', given => {
    expect(problem({ 'base-url': given })).toContain('Input "base-url"')
  })
})

/** Deterministic pseudo-random numbers (mulberry32), so that a failure can be replayed. */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

describe('readSettings never shows base-url credentials', () => {
  // Every fifth character is one of ~^|, which no message contains: any 5 characters shown would hold one.
  const MARKERS = [...'~^|']
  const CHARS = [...'abcXYZ019/?#\\@:% ', 'é', '中', '😀', '%2F', '%40']
  const random = seeded(20261128)
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]
  const forms = [
    (pw: string) => `https://user:${pw}@cloud.mongodb.com/api/atlas/v2`,
    (pw: string) => `https:/user:${pw}@cloud.mongodb.com/api/atlas/v2`,
    (pw: string) => `https:\\\\user:${pw}@cloud.mongodb.com\\api\\atlas\\v2`,
    (pw: string) => `https://user:${pw}@cloud.mongodb.com`
  ]
  const others: Record<string, string>[] = [
    {},
    { 'project-id': 'nothex' },
    { 'max-retries': '-1', 'cloud-provider': 'x' }
  ]

  it('whatever the password holds, in any form, with other bad inputs or none (400 cases)', () => {
    for (let i = 0; i < 400; i++) {
      const length = 6 + Math.floor(random() * 25)
      const password = Array.from({ length }, (_, j) => (j % 5 === 0 ? pick(MARKERS) : pick(CHARS))).join('')
      const error = inputError({ 'base-url': pick(forms)(password), ...pick(others) })
      const shown = `${error.message}\n${error.problems.join('\n')}`
      expect(shown).toContain('Input "base-url"')
      expect(shown).not.toContain(password)
      expect(shown).not.toMatch(/[~^|]/)
      const chars = [...password]
      for (let at = 0; at + 6 <= chars.length; at++)
        expect(shown).not.toContain(chars.slice(at, at + 6).join(''))
    }
  })
})

describe('readSettings: wait-for and fail-on', () => {
  it('accepts the status names of any cloud, and DELETED, in any case', () => {
    expect(settings({ 'wait-for': 'available, Deleted' }).waitFor).toEqual(['AVAILABLE', 'DELETED'])
    expect(settings({ 'wait-for': 'AVAILABLE, available,,' }).waitFor).toEqual(['AVAILABLE'])
    expect(
      settings({ 'cloud-provider': 'gcp', 'endpoint-id': 'g', 'wait-for': 'VERIFIED' }).warnings
    ).toEqual([])
  })

  it('rejects a name no cloud uses, and a status both wanted and failing', () => {
    expect(problem({ 'wait-for': 'AVAILABLE, READY' })).toContain('Input "wait-for" lists "READY"')
    expect(problem({ 'wait-for': 'AVAILABLE, rejected' })).toContain('both list REJECTED')
  })

  it('warns about a name the chosen cloud never reports', () => {
    const [warning] = settings({ 'wait-for': 'AVAILABLE, INITIATING' }).warnings
    expect(warning).toContain('wait-for lists INITIATING, which is never reported for AWS endpoints')
    const azure = settings({ 'cloud-provider': 'azure', 'endpoint-id': AZURE_ID, 'fail-on': 'REJECTED' })
    expect(azure.warnings).toEqual([expect.stringContaining('fail-on lists REJECTED')])
  })

  it.each(['AWS', 'AZURE', 'GCP'])('does not warn about the default fail-on for %s', provider => {
    expect(settings({ 'cloud-provider': provider, 'endpoint-id': ID_OF[provider] }).warnings).toEqual([])
  })

  it("warns that fail-on: none fails a new endpoint, and that '' turns fail-on off", () => {
    const result = settings({ 'fail-on': 'none' })
    expect(result.failOn).toEqual(['NONE'])
    expect(result.warnings).toHaveLength(1)
    expect(result.warnings[0]).toContain("To turn fail-on off, give fail-on: ''")
  })
})

describe('readSettings: credentials', () => {
  const none = { 'public-key': '', 'private-key': '' }

  it('accepts a service account', () => {
    expect(settings({ ...none, 'client-id': CLIENT_ID, 'client-secret': CLIENT_SECRET }).credentials).toEqual(
      {
        kind: 'service-account',
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET
      }
    )
  })

  it.each([
    ['neither pair', none, 'No credentials were given: give either "client-id" and "client-secret"'],
    ['both pairs', { 'client-id': CLIENT_ID, 'client-secret': CLIENT_SECRET }, 'two kinds of credentials'],
    ['half an API key', { 'private-key': '' }, 'Input "private-key" is required'],
    ['the other half', { 'public-key': '' }, 'Input "public-key" is required'],
    ['half a service account', { ...none, 'client-id': CLIENT_ID }, 'Input "client-secret" is required'],
    ['the other half of it', { ...none, 'client-secret': CLIENT_SECRET }, 'Input "client-id" is required'],
    [
      'a malformed client-id',
      { ...none, 'client-id': 'mdb_sa_id_xyz', 'client-secret': CLIENT_SECRET },
      '"mdb_sa_id_" then 24 hexadecimal digits; got "mdb_sa_id_xyz"'
    ]
  ])('rejects %s, naming what to give', (_case, overrides, expected) => {
    expect(problem(overrides)).toContain(expected)
  })

  it.each([
    ['without its prefix', 'S3cretWithoutPrefix~'],
    ['with a space', 'mdb_sa_sk_S3cret~ value'],
    ['with a quote', 'mdb_sa_sk_S3cret~"x']
  ])('never echoes a client-secret %s', (_case, secret) => {
    const message = problem({ ...none, 'client-id': CLIENT_ID, 'client-secret': secret })
    expect(message).toContain('Input "client-secret"')
    expect(message).not.toContain('S3cret')
  })

  it('never echoes a secret pasted into client-id', () => {
    const message = problem({ ...none, 'client-id': CLIENT_SECRET, 'client-secret': CLIENT_SECRET })
    expect(message).toContain('a service account secret (not shown)')
    expect(message).not.toContain('S3cret')
  })

  it.each(['SECRETA SECRETB', 'SECRETA\nSECRETB', 'SECRETA"SECRETB', 'SECRETA\\SECRETB', 'S'.repeat(257)])(
    'never shows a malformed private key (%j), even among other bad inputs',
    privateKey => {
      const error = inputError({ 'private-key': privateKey, 'project-id': 'x', 'max-retries': '-1' })
      expect(error.problems).toHaveLength(3)
      expect(error.message).toContain('Input "private-key"')
      expect(error.message).not.toContain('SECRET')
      expect(error.message).not.toContain('SSSSSS')
    }
  )
})

describe('readSettings: numbers, summary and the error itself', () => {
  it.each([
    ['timeout-seconds', '0'],
    ['timeout-seconds', '86401'],
    ['timeout-seconds', '1.5'],
    ['timeout-seconds', '1e3'],
    ['interval-seconds', '3601'],
    ['request-timeout-seconds', '601'],
    ['max-retries', '101'],
    ['max-retries', '-1'],
    ['summary', 'yes'],
    ['project-id', `${IDS.projectId}0`],
    ['project-id', IDS.projectId.slice(1)],
    ['project-id', `${IDS.projectId.slice(1)}g`],
    ['project-id', `${IDS.projectId}\n::error::x`],
    ['endpoint-service-id', '../../../../x'],
    ['endpoint-service-id', '..'],
    ['endpoint-service-id', '%2e%2e'],
    ['endpoint-service-id', `${IDS.privateLinkId} `.repeat(3)]
  ])('rejects %s %j', (name, value) => {
    expect(problem({ [name]: value })).toContain(`Input "${name}"`)
  })

  it.each(['project-id', 'endpoint-service-id'])(
    'rejects %s in upper case (the API accepts only lower case), showing the lower-case form',
    name => {
      const lower = name === 'project-id' ? IDS.projectId : IDS.privateLinkId
      const message = problem({ [name]: lower.toUpperCase() })
      expect(message).toContain('24 lower-case hexadecimal digits')
      expect(message).toContain(`did you mean "${lower}"?`)
      const mixed = `${lower.slice(0, 23)}F`
      expect(problem({ [name]: mixed })).toContain(`did you mean "${lower.slice(0, 23)}f"?`)
      expect(problem({ [name]: `${lower.toUpperCase()}0` })).not.toContain('did you mean')
    }
  )

  it('accepts the limits of each range', () => {
    expect(
      settings({ 'timeout-seconds': '86400', 'interval-seconds': '1', 'max-retries': '0' })
    ).toMatchObject({
      timeoutMs: 86_400_000,
      intervalMs: 1_000,
      maxRetries: 0
    })
  })

  it('lists every bad input in one InputError, one per line', () => {
    const error = inputError({
      'project-id': 'nothex',
      'cloud-provider': 'x',
      'wait-for': 'READY',
      summary: 'yes'
    })
    expect(error.problems).toHaveLength(4)
    const [first, ...items] = error.message.split('\n')
    expect(first).toBe('4 inputs are invalid:')
    expect(items.every(line => line.startsWith('- Input'))).toBe(true)
  })

  it('tells whether a valid summary input asks for a job summary', () => {
    expect(inputError({ 'project-id': 'x', summary: 'false' }).writeSummary).toBe(false)
    expect(inputError({ 'project-id': 'x', summary: 'yes' }).writeSummary).toBe(true)
  })
})

describe('maskSecrets', () => {
  function masked(inputs: Record<string, string>): string[] {
    const calls: string[] = []
    maskSecrets(runner(inputs), secret => void calls.push(secret))
    return calls
  }

  it('masks the private key and the client secret', () => {
    expect(masked({ 'private-key': IDS.privateKey, 'client-secret': CLIENT_SECRET })).toEqual([
      IDS.privateKey,
      CLIENT_SECRET
    ])
  })

  it('masks each line of a multi-line secret too, but never a blank line', () => {
    const calls = masked({ 'client-secret': 'first-line\r\n\n   \nsecond-line', 'private-key': 'a\nb' })
    expect(calls).toEqual(expect.arrayContaining(['first-line', 'second-line', 'a', 'b']))
    expect(calls.every(secret => secret.trim() !== '')).toBe(true)
  })

  it('reads only the two secrets, before anything else', () => {
    const read: Input[] = []
    maskSecrets(
      name => {
        read.push(name)
        return 'x'
      },
      () => undefined
    )
    expect(read).toEqual([Input.PrivateKey, Input.ClientSecret])
    expect(masked({})).toEqual([])
  })
})
