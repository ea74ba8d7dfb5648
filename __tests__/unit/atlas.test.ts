import { describeAnswer, hint, readErrorBody, type HintContext } from '../../src/atlas/errors.js'
import { CLOUDS } from '../../src/common/clouds.js'
import { retryAfterMs } from '../../src/http/retry-after.js'

// The parsing of 200 answers (endpoints and endpoint services) is tested in endpoint.test.ts
// and endpoint-service.test.ts.

const NOW = Date.UTC(2026, 10, 28, 12, 0, 0)
const headers = (values: Record<string, string> = {}) => ({
  get: (name: string) => values[name.toLowerCase()] ?? null
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
