import { DEFAULT_BASE_URL, Input } from '../../src/common/constants.js'
import { InputError } from '../../src/common/errors.js'
import { type InputReader, maskSecrets, readSettings } from '../../src/inputs/inputs.js'
import { IDS, REQUIRED_INPUTS } from '../helpers/ids.js'

/** The defaults action.yml declares, as the runner passes them to the action. */
const ACTION_DEFAULTS: Record<string, string> = {
  'wait-for': '',
  'fail-on': 'REJECTED',
  'timeout-seconds': '900',
  'interval-seconds': '10',
  'request-timeout-seconds': '30',
  'max-retries': '5',
  'base-url': DEFAULT_BASE_URL,
  summary: 'true'
}

/** Reads inputs the way core.getInput does: trimmed, '' when unset. */
function reader(inputs: Record<string, string>): InputReader {
  return (name: Input) => (inputs[name] ?? '').trim()
}

function settings(overrides: Record<string, string> = {}) {
  return readSettings(reader({ ...REQUIRED_INPUTS, ...ACTION_DEFAULTS, ...overrides }))
}

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

describe('readSettings', () => {
  it('returns the action.yml defaults, converted to milliseconds', () => {
    expect(settings()).toEqual({
      publicKey: IDS.publicKey,
      privateKey: IDS.privateKey,
      projectId: IDS.projectId,
      privateLinkId: IDS.privateLinkId,
      interfaceEndpointId: IDS.interfaceEndpointId,
      waitFor: [],
      failOn: ['REJECTED'],
      timeoutMs: 900_000,
      intervalMs: 10_000,
      requestTimeoutMs: 30_000,
      maxRetries: 5,
      baseUrl: 'https://cloud.mongodb.com/api/atlas/v1.0',
      summary: true
    })
  })

  it('falls back to the same numbers, base URL and summary when optional inputs are unset', () => {
    const result = readSettings(reader({ ...REQUIRED_INPUTS }))
    expect(result).toMatchObject({
      waitFor: [],
      failOn: [],
      timeoutMs: 900_000,
      intervalMs: 10_000,
      requestTimeoutMs: 30_000,
      maxRetries: 5,
      baseUrl: DEFAULT_BASE_URL,
      summary: true
    })
  })

  it('converts given numbers to milliseconds and accepts the limits of each range', () => {
    expect(
      settings({
        'timeout-seconds': '86400',
        'interval-seconds': '1',
        'request-timeout-seconds': '600',
        'max-retries': '0'
      })
    ).toMatchObject({ timeoutMs: 86_400_000, intervalMs: 1_000, requestTimeoutMs: 600_000, maxRetries: 0 })
    expect(settings({ 'max-retries': '100', 'request-timeout-seconds': '1' })).toMatchObject({
      maxRetries: 100,
      requestTimeoutMs: 1_000
    })
  })

  it('reads statuses in any case, with spaces around the commas', () => {
    expect(settings({ 'wait-for': 'available, Pending' }).waitFor).toEqual(['AVAILABLE', 'PENDING'])
    expect(settings({ 'fail-on': 'rejected,deleting' }).failOn).toEqual(['REJECTED', 'DELETING'])
  })

  it('removes duplicate statuses and tolerates empty entries', () => {
    expect(settings({ 'wait-for': 'AVAILABLE, available,,Available,' }).waitFor).toEqual(['AVAILABLE'])
  })

  it('accepts fail-on "" as no failing status', () => {
    expect(settings({ 'fail-on': '' }).failOn).toEqual([])
  })

  it('rejects a status that is both in wait-for and in fail-on', () => {
    const error = inputError({ 'wait-for': 'AVAILABLE, rejected', 'fail-on': 'REJECTED' })
    expect(error.problems).toHaveLength(1)
    expect(error.message).toContain('Inputs "wait-for" and "fail-on" both list REJECTED')
  })

  it('accepts http for loopback hosts only', () => {
    expect(settings({ 'base-url': 'http://127.0.0.1:8080/x' }).baseUrl).toBe('http://127.0.0.1:8080/x')
    expect(settings({ 'base-url': 'http://localhost/x' }).baseUrl).toBe('http://localhost/x')
    expect(settings({ 'base-url': 'http://[::1]:1/x' }).baseUrl).toBe('http://[::1]:1/x')
  })

  it('removes a trailing slash from base-url', () => {
    expect(settings({ 'base-url': 'https://cloud.mongodbgov.com/api/atlas/v1.0/' }).baseUrl).toBe(
      'https://cloud.mongodbgov.com/api/atlas/v1.0'
    )
  })

  it('reads summary with the spellings core.getBooleanInput accepts', () => {
    expect(settings({ summary: 'False' }).summary).toBe(false)
    expect(settings({ summary: 'FALSE' }).summary).toBe(false)
    expect(settings({ summary: 'True' }).summary).toBe(true)
  })

  const validIdWithNewline = `${IDS.projectId.slice(0, 12)}\n${IDS.projectId.slice(12)}`

  it.each<[string, Input, string]>([
    ['public-key empty', Input.PublicKey, ''],
    ['public-key whitespace only', Input.PublicKey, '   '],
    ['public-key with an internal newline', Input.PublicKey, 'abcd\nefgh'],
    ['public-key with a space', Input.PublicKey, 'abcd efgh'],
    ['public-key with a quote', Input.PublicKey, 'abcd"efgh'],
    ['public-key too long', Input.PublicKey, 'a'.repeat(129)],
    ['private-key empty', Input.PrivateKey, ''],
    ['private-key whitespace only', Input.PrivateKey, ' \t '],
    ['private-key too long', Input.PrivateKey, 'k'.repeat(257)],
    ['project-id empty', Input.ProjectId, ''],
    ['project-id whitespace only', Input.ProjectId, '   '],
    ['project-id with an internal newline', Input.ProjectId, validIdWithNewline],
    ['project-id too short', Input.ProjectId, IDS.projectId.slice(1)],
    ['project-id too long', Input.ProjectId, `${IDS.projectId}0`],
    ['project-id not hexadecimal', Input.ProjectId, `${IDS.projectId.slice(1)}g`],
    ['private-link-id empty', Input.PrivateLinkId, ''],
    ['private-link-id too short', Input.PrivateLinkId, '6a1b2c'],
    ['private-link-id not hexadecimal', Input.PrivateLinkId, 'zz1b2c3d4e5f6a7b8c9d0e1f'],
    ['private-link-id a path', Input.PrivateLinkId, '../../../../../../../x/y'],
    ['interface-endpoint-id empty', Input.InterfaceEndpointId, ''],
    ['interface-endpoint-id whitespace only', Input.InterfaceEndpointId, '  '],
    ['interface-endpoint-id without vpce-', Input.InterfaceEndpointId, '0123456789abcdef0'],
    ['interface-endpoint-id vpce- and nothing', Input.InterfaceEndpointId, 'vpce-'],
    ['interface-endpoint-id vpce- with non-hex', Input.InterfaceEndpointId, 'vpce-0123xyz'],
    ['interface-endpoint-id with a newline', Input.InterfaceEndpointId, 'vpce-0123\nabc'],
    ['interface-endpoint-id too long', Input.InterfaceEndpointId, `vpce-${'a'.repeat(65)}`],
    ['wait-for unknown status', Input.WaitFor, 'AVAILABLE, READY'],
    ['wait-for misspelt status', Input.WaitFor, 'AVAILIBLE'],
    ['fail-on unknown status', Input.FailOn, 'FAILED'],
    ['timeout-seconds 0', Input.TimeoutSeconds, '0'],
    ['timeout-seconds negative', Input.TimeoutSeconds, '-5'],
    ['timeout-seconds not a number', Input.TimeoutSeconds, 'abc'],
    ['timeout-seconds decimal', Input.TimeoutSeconds, '1.5'],
    ['timeout-seconds huge', Input.TimeoutSeconds, '99999999999'],
    ['timeout-seconds over a day', Input.TimeoutSeconds, '86401'],
    ['timeout-seconds with a unit', Input.TimeoutSeconds, '60s'],
    ['timeout-seconds with an exponent', Input.TimeoutSeconds, '1e3'],
    ['interval-seconds 0', Input.IntervalSeconds, '0'],
    ['interval-seconds over an hour', Input.IntervalSeconds, '3601'],
    ['interval-seconds negative', Input.IntervalSeconds, '-1'],
    ['max-retries negative', Input.MaxRetries, '-1'],
    ['max-retries over 100', Input.MaxRetries, '101'],
    ['max-retries decimal', Input.MaxRetries, '2.0'],
    ['request-timeout-seconds 0', Input.RequestTimeoutSeconds, '0'],
    ['request-timeout-seconds over 600', Input.RequestTimeoutSeconds, '601'],
    ['base-url with credentials', Input.BaseUrl, 'https://user:pass@host/x'],
    ['base-url with a query string', Input.BaseUrl, 'https://cloud.mongodb.com/api/atlas/v1.0?x=1'],
    ['base-url with an empty query string', Input.BaseUrl, 'https://cloud.mongodb.com/api/atlas/v1.0?'],
    ['base-url with a fragment', Input.BaseUrl, 'https://cloud.mongodb.com/api/atlas/v1.0#top'],
    ['base-url http to a non-loopback host', Input.BaseUrl, 'http://cloud.mongodb.com/api/atlas/v1.0'],
    ['base-url http to a host named like loopback', Input.BaseUrl, 'http://127.0.0.1.example.com/x'],
    ['base-url ftp', Input.BaseUrl, 'ftp://cloud.mongodb.com/api/atlas/v1.0'],
    ['base-url not a URL', Input.BaseUrl, 'cloud.mongodb.com/api/atlas/v1.0'],
    ['base-url with whitespace', Input.BaseUrl, 'https://cloud.mongodb.com/api/atlas v1.0'],
    ['summary yes', Input.Summary, 'yes'],
    ['summary 1', Input.Summary, '1']
  ])('rejects %s', (_case, name, value) => {
    const error = inputError({ [name]: value })
    expect(error.problems).toHaveLength(1)
    expect(error.message).toContain(`Input "${name}"`)
    // Nothing given can start a new log line (and so a workflow command).
    expect(error.message).not.toContain('\n')
  })

  it('never shows the password of a base-url with credentials', () => {
    const error = inputError({ 'base-url': 'https://user:pass@host/x' })
    // The message may say "user name or password"; it must not show the ones given.
    const shown = error.message.replace(/user name or password/g, '')
    expect(shown).not.toContain('pass')
    expect(shown).not.toContain('user')
    expect(error.message).toContain('"https://host/x"')
  })

  it.each([
    'https://alice:S3cretT0ken@cloud.mongodb.com/api/atlas/v1.0',
    'https://:S3cretT0ken@cloud.mongodb.com/api/atlas/v1.0',
    'https://S3cretT0ken@cloud.mongodb.com/api/atlas/v1.0',
    'http://alice:S3cretT0ken@127.0.0.1:8080/x'
  ])('rejects base-url %s without showing its credentials', value => {
    const error = inputError({ 'base-url': value })
    expect(error.message).toContain('Input "base-url" must not contain a user name or password')
    expect(error.message).not.toContain('S3cretT0ken')
    expect(error.message).not.toContain('alice')
  })

  it.each([
    'https://alice:S3cretT0ken@cloud.mongodb.com/api/atlas v1.0',
    'https://alice:S3cret\nT0ken@cloud.mongodb.com/x',
    'https://alice:S3cretT0ken@cloud.mongodb.com:99999/x'
  ])('never shows credentials of a base-url that is malformed in another way too (%j)', value => {
    const error = inputError({ 'base-url': value })
    expect(error.message).toContain('Input "base-url"')
    expect(error.message).not.toContain('S3cret')
    expect(error.message).not.toContain('alice')
  })

  it.each([
    ['a space', 'SECRETA SECRETB'],
    ['a newline', 'SECRETA\nSECRETB'],
    ['a quote', 'SECRETA"SECRETB'],
    ['a backslash', 'SECRETA\\SECRETB']
  ])('never shows a private key containing %s in its error', (_case, privateKey) => {
    const error = inputError({ 'private-key': privateKey })
    expect(error.message).toContain('Input "private-key"')
    expect(error.message).not.toContain('SECRET')
    expect(error.problems.join('\n')).not.toContain('SECRET')
  })

  it('never shows the private key when other inputs are wrong too', () => {
    const error = inputError({ 'private-key': 'SECRETA SECRETB', 'project-id': 'x', 'max-retries': '-1' })
    expect(error.problems).toHaveLength(3)
    expect(error.message).not.toContain('SECRET')
  })

  it('lists every bad input in one InputError', () => {
    const error = inputError({
      'public-key': '',
      'project-id': 'nothex',
      'interface-endpoint-id': 'eni-123',
      'wait-for': 'READY',
      'timeout-seconds': '0',
      'base-url': 'ftp://x',
      summary: 'yes'
    })
    expect(error.problems).toHaveLength(7)
    expect(error.message.split('\n')[0]).toBe('7 inputs are invalid:')
    for (const name of [
      'public-key',
      'project-id',
      'interface-endpoint-id',
      'wait-for',
      'timeout-seconds',
      'base-url',
      'summary'
    ]) {
      expect(error.message).toContain(`Input "${name}"`)
    }
    // One problem per line, each a list item.
    expect(error.message.split('\n').slice(1)).toHaveLength(7)
    expect(
      error.message
        .split('\n')
        .slice(1)
        .every(line => line.startsWith('- '))
    ).toBe(true)
  })

  it('tells, with the error, whether a valid summary input asks for a job summary', () => {
    expect(inputError({ 'project-id': 'x', summary: 'false' }).writeSummary).toBe(false)
    expect(inputError({ 'project-id': 'x', summary: 'true' }).writeSummary).toBe(true)
    expect(inputError({ 'project-id': 'x', summary: 'yes' }).writeSummary).toBe(true)
  })
})

describe('maskSecrets', () => {
  function masked(privateKey: string | undefined): string[] {
    const calls: string[] = []
    const inputs: Record<string, string> = { ...REQUIRED_INPUTS }
    if (privateKey === undefined) delete inputs['private-key']
    else inputs['private-key'] = privateKey
    maskSecrets(reader(inputs), secret => void calls.push(secret))
    return calls
  }

  it('masks the private key', () => {
    expect(masked(IDS.privateKey)).toContain(IDS.privateKey)
  })

  it('masks the whole of a multi-line key and each of its lines', () => {
    const calls = masked('first-line\r\nsecond-line\n  third-line  ')
    expect(calls[0]).toBe('first-line\r\nsecond-line\n  third-line')
    expect(calls).toEqual(expect.arrayContaining(['first-line', 'second-line', 'third-line']))
  })

  it('does not mask blank lines of a key, which would hide every space in the log', () => {
    const calls = masked('first-line\n\n   \nsecond-line')
    expect(calls.every(secret => secret.trim() !== '')).toBe(true)
    expect(calls).toEqual(expect.arrayContaining(['first-line', 'second-line']))
  })

  it('masks nothing when there is no private key', () => {
    expect(masked(undefined)).toEqual([])
    expect(masked('   ')).toEqual([])
  })

  it('reads nothing but the private key', () => {
    const read: Input[] = []
    maskSecrets(
      name => {
        read.push(name)
        return IDS.privateKey
      },
      () => undefined
    )
    expect(read).toEqual([Input.PrivateKey])
  })
})

describe('inputs missing altogether (not started by a runner)', () => {
  const only =
    (inputs: Record<string, string>): InputReader =>
    name =>
      inputs[name]

  it('take the action.yml defaults, so REJECTED still fails the step', () => {
    const result = readSettings(only({ ...REQUIRED_INPUTS }))
    expect(result.failOn).toEqual(['REJECTED'])
    expect(result.timeoutMs).toBe(900_000)
  })

  it("but an input given as '' stays '': fail-on '' means fail on nothing", () => {
    expect(readSettings(only({ ...REQUIRED_INPUTS, 'fail-on': '' })).failOn).toEqual([])
  })
})
