/**
 * The bundled action on the v2 API for AWS, Azure and GCP, and on v1.0 as before: waits,
 * fail-fast statuses, Azure IDs in both spellings, deletion as a goal, retired versions and
 * deprecation headers, all run as a runner runs it and judged only by what a workflow sees
 * (exit code, log, outputs, summary) plus what the stand-in recorded on the wire.
 */
import type { AtlasStandin, StandinOptions, Step } from '../../standin/atlas-standin.js'
import { readActionYml } from '../../standin/action-yml.js'
import { runAction, type ActionRun } from '../../standin/runner.js'
import { startStandin } from '../helpers/harness.js'
import { CLOUD_IDS, IDS, REQUIRED_INPUTS } from '../helpers/ids.js'

type Cloud = 'AWS' | 'AZURE' | 'GCP'
const V2_ACCEPT = 'application/vnd.atlas.2023-01-01+json'
/**
 * Not CLOUD_IDS.azureEndpointId: its subscription ID is IDS.privateKey, so the leak check
 * could not tell the ID (shown on purpose) from the key.
 */
const AZURE_ID =
  '/subscriptions/1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d/resourceGroups/rg-app/providers/Microsoft.Network/privateEndpoints/pe-atlas-1'
const ENDPOINT_ID: Record<Cloud, string> = {
  AWS: IDS.interfaceEndpointId,
  AZURE: AZURE_ID,
  GCP: CLOUD_IDS.gcpEndpointGroupName
}
/** The body field each cloud reports its status in. */
const STATUS_FIELD: Record<Cloud, string> = { AWS: 'connectionStatus', AZURE: 'status', GCP: 'status' }

let standin: AtlasStandin
afterEach(async () => standin?.stop())

interface Case {
  cloud?: Cloud
  api?: 'v1.0' | 'v2'
  script: StandinOptions['script']
  inputs?: Record<string, string>
  standin?: Partial<StandinOptions>
}

/** One run against a fresh stand-in of `cloud`, on the v2 API unless told otherwise. */
async function run({
  cloud = 'AWS',
  api = 'v2',
  script,
  inputs = {},
  standin: extra
}: Case): Promise<ActionRun> {
  standin = await startStandin({
    cloudProvider: cloud,
    interfaceEndpointId: ENDPOINT_ID[cloud],
    script,
    ...extra
  })
  const result = await runAction({
    inputs: {
      ...REQUIRED_INPUTS,
      'interface-endpoint-id': '',
      'cloud-provider': cloud,
      'endpoint-id': ENDPOINT_ID[cloud],
      'base-url': standin.apiRoot(api),
      'interval-seconds': '1',
      ...inputs
    }
  })
  expectNoSecretLeaked(result)
  return result
}

/** The private key may appear only in the ::add-mask:: command. */
function expectNoSecretLeaked(result: ActionRun): void {
  const lines = `${result.stdout}\n${result.stderr}`.split('\n').filter(line => line.includes(IDS.privateKey))
  expect(lines.every(line => line === `::add-mask::${IDS.privateKey}`)).toBe(true)
  expect(result.outputFile).not.toContain(IDS.privateKey)
  expect(result.summary).not.toContain(IDS.privateKey)
}

/** The summary's text with its character references decoded, to look for sentences in it. */
function summaryText(result: ActionRun): string {
  return result.summary.replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
}

const errorLines = (result: ActionRun) => result.stdout.split('\n').filter(line => line.startsWith('::error'))
const warningLines = (result: ActionRun) =>
  result.stdout.split('\n').filter(line => line.startsWith('::warning'))

/**
 * N status reads cost N + 1 requests (one challenge), each authorized one asking for the v2
 * version; a run that ends on a failing status reads the endpoint service once more, for the
 * report (`serviceReads`).
 */
function expectReadsOnTheWire(reads: number, api: 'v1.0' | 'v2' = 'v2', serviceReads = 0): void {
  expect(standin.requests).toHaveLength(reads + serviceReads + 1)
  const answered = standin.requests.filter(request => request.authorized)
  expect(answered.filter(request => request.target === 'endpoint')).toHaveLength(reads)
  expect(answered.filter(request => request.target === 'listing')).toHaveLength(serviceReads)
  for (const request of standin.requests) {
    expect(request.api).toBe(api)
    expect(request.accept).toBe(api === 'v2' ? V2_ACCEPT : 'application/json')
  }
  if (api === 'v2') for (const request of answered) expect(request.version).toBe('2023-01-01')
}

describe('v2 for every cloud', () => {
  it.each([
    ['AWS', ['PENDING_ACCEPTANCE', 'PENDING', 'AVAILABLE']],
    ['AZURE', ['INITIATING', 'AVAILABLE']],
    ['GCP', ['INITIATING', 'VERIFIED', 'AVAILABLE']]
  ] as const)('%s: waits through %j to AVAILABLE, N checks in N + 1 requests', async (cloud, statuses) => {
    const result = await run({
      cloud,
      script: statuses.map(status => ({ status })),
      inputs: { 'wait-for': 'AVAILABLE' }
    })
    expect(result.exitCode).toBe(0)
    expect(result.outputs).toMatchObject({
      'connection-status': 'AVAILABLE',
      'cloud-provider': cloud,
      'endpoint-id': ENDPOINT_ID[cloud],
      'interface-endpoint-id': ENDPOINT_ID[cloud],
      attempts: String(statuses.length)
    })
    expect(JSON.parse(result.outputs.response)).toMatchObject({ [STATUS_FIELD[cloud]]: 'AVAILABLE' })
    expect(result.stdout).toContain(`API: ${standin.baseUrlV2} (v2)`)
    expect(warningLines(result)).toEqual([])
    expectReadsOnTheWire(statuses.length)
    for (const request of standin.requests) {
      expect(request).toMatchObject({
        target: 'endpoint',
        cloudProvider: cloud,
        endpointId: ENDPOINT_ID[cloud]
      })
    }
    expect(result.summary).toContain('✅')
  })

  it('defaults base-url to the v2 API root', () => {
    const baseUrl = readActionYml().inputs.find(input => input.name === 'base-url')
    expect(baseUrl?.default).toBe('https://cloud.mongodb.com/api/atlas/v2')
  })

  it.each(['AZURE', 'GCP'] as const)(
    '%s: FAILED fails at once, without waiting out the interval',
    async cloud => {
      const errorMessage = 'The endpoint could not be connected.'
      const result = await run({
        cloud,
        script: [{ status: 'FAILED', errorMessage }],
        inputs: { 'wait-for': 'AVAILABLE', 'interval-seconds': '30', 'timeout-seconds': '600' }
      })
      expect(result.exitCode).toBe(1)
      expect(result.durationMs).toBeLessThan(5_000)
      expect(errorLines(result)).toHaveLength(1)
      expect(errorLines(result)[0]).toMatch(
        new RegExp(
          `^::error::The .* ${ENDPOINT_ID[cloud]} is FAILED, which is listed in fail-on\\. Atlas says: "The endpoint could not be connected\\."`
        )
      )
      expect(result.outputs).toMatchObject({
        'connection-status': 'FAILED',
        'cloud-provider': cloud,
        'endpoint-id': ENDPOINT_ID[cloud],
        'error-message': errorMessage,
        attempts: '1'
      })
      expectReadsOnTheWire(1, 'v2', 1)
      expect(result.summary).toContain('❌')
      expect(result.summary).not.toContain('✅')
    }
  )

  it('GCP: one FAILED forwarding rule fails the step while the group is still INITIATING', async () => {
    const group = CLOUD_IDS.gcpEndpointGroupName
    const rules = [0, 1, 2].map(i => ({ name: `${group}-${i}`, status: i === 1 ? 'FAILED' : 'AVAILABLE' }))
    const result = await run({
      cloud: 'GCP',
      script: [{ status: 'INITIATING', forwardingRules: rules }],
      inputs: { 'wait-for': 'AVAILABLE' }
    })
    expect(result.exitCode).toBe(1)
    expect(errorLines(result)[0]).toMatch(
      new RegExp(`is INITIATING, and its forwarding rule ${group}-1 is FAILED, which is listed in fail-on`)
    )
    expect(result.outputs).toMatchObject({
      'connection-status': 'INITIATING',
      'endpoint-id': group,
      attempts: '1'
    })
    expect(summaryText(result)).toContain(`${group}-1: FAILED`)
    expectReadsOnTheWire(1, 'v2', 1)
  })

  it.each([
    ['raw', AZURE_ID],
    ['already encoded', encodeURIComponent(AZURE_ID)]
  ])('AZURE: an ID given %s reaches Atlas as one segment, encoded once', async (_, given) => {
    const result = await run({
      cloud: 'AZURE',
      script: [{ status: 'AVAILABLE' }],
      inputs: { 'endpoint-id': given }
    })
    expect(result.exitCode).toBe(0)
    expect(result.outputs['endpoint-id']).toBe(AZURE_ID)
    expectReadsOnTheWire(1)
    for (const request of standin.requests) {
      expect(request.endpointId).toBe(AZURE_ID)
      expect(request.path).toMatch(/\/endpoint\/%2Fsubscriptions%2F[^/]+$/)
      expect(request.path).not.toContain('%25')
    }
  })

  it.each([
    ['AZURE', 'REJECTED', true],
    ['AZURE', 'REJECTED, FAILED', false],
    ['AWS', 'REJECTED', false]
  ] as const)(
    '%s with fail-on %j: warns about a status the cloud never reports: %s',
    async (cloud, failOn, warns) => {
      const result = await run({ cloud, script: [{ status: 'AVAILABLE' }], inputs: { 'fail-on': failOn } })
      expect(result.exitCode).toBe(0)
      const warning = warningLines(result).filter(line => /fail-on lists REJECTED/.test(line))
      expect(warning).toHaveLength(warns ? 1 : 0)
      if (warns) expect(warning[0]).toMatch(/never reported for AZURE endpoints/)
    }
  )
})

describe('deletion as the goal', () => {
  it.each(['AWS', 'AZURE', 'GCP'] as const)(
    '%s: DELETING then a 404 about the endpoint is DELETED',
    async cloud => {
      const result = await run({
        cloud,
        script: [{ status: 'DELETING' }, { gone: true }],
        inputs: { 'wait-for': 'DELETED' }
      })
      expect(result.exitCode).toBe(0)
      expect(result.outputs).toMatchObject({
        'connection-status': 'DELETED',
        'cloud-provider': cloud,
        attempts: '2'
      })
      expect(result.stdout).toMatch(/DELETED \(not found, and the endpoint service confirms it\)/)
      expect(summaryText(result)).toContain('not found, and the endpoint service confirms it')
      expect(summaryText(result)).toContain('✅')
      // The 404 is corroborated: the service is gone with its last endpoint (404), the project
      // is there (200), and it has no endpoint service with a near ID (200).
      const answered = standin.requests.filter(request => request.authorized)
      expect(answered.map(request => `${request.target} ${request.status}`)).toEqual([
        'endpoint 200',
        'endpoint 404',
        'listing 404',
        'project 200',
        'services 200'
      ])
      expect(standin.requests).toHaveLength(answered.length + 1)
    }
  )

  const htmlPage: Step = {
    raw: { status: 404, headers: { 'Content-Type': 'text/html' }, body: '<html><h1>Not Found</h1></html>' }
  }
  it.each([
    [
      'a wrong project (GROUP_NOT_FOUND)',
      {},
      { projectId: 'a'.repeat(24) },
      /HTTP 404 \(GROUP_NOT_FOUND\).*project-id is wrong/
    ],
    [
      'an invalid project (INVALID_GROUP_ID)',
      {},
      { invalidProjectIds: [IDS.projectId] },
      /HTTP 404 \(INVALID_GROUP_ID\).*project-id is wrong/
    ],
    ["a 404 that is not Atlas's JSON (an HTML page)", htmlPage, {}, /HTTP 404\. The project exists/]
  ] as [string, Step, Partial<StandinOptions>, RegExp][])(
    'refuses %s: never DELETED',
    async (_, answer, extra, message) => {
      const script: Step[] = [{ status: 'DELETING' }, ...('raw' in answer ? [answer] : [])]
      const result = await run({ script, inputs: { 'wait-for': 'DELETED' }, standin: extra })
      expect(result.exitCode).toBe(1)
      expect(errorLines(result)).toHaveLength(1)
      expect(errorLines(result)[0]).toMatch(message)
      expect(result.outputs['connection-status']).toBe('raw' in answer ? 'DELETING' : undefined)
      expect(result.summary).not.toContain('✅')
    }
  )

  it('without DELETED in wait-for, a 404 is an error about the IDs, not a deletion', async () => {
    const result = await run({ script: [{ gone: true }], inputs: { 'wait-for': 'AVAILABLE' } })
    expect(result.exitCode).toBe(1)
    expect(errorLines(result)[0]).toMatch(
      /HTTP 404 \(PRIVATELINK_INTERFACE_ENDPOINT_NOT_FOUND\).*endpoint-service-id or endpoint-id is wrong/
    )
  })
})

describe('API versions', () => {
  it('a retired v2 version (410 VERSION_GONE) fails, saying so and what to change', async () => {
    const result = await run({
      script: [{ status: 'AVAILABLE' }],
      standin: { retiredVersions: ['2023-01-01'] }
    })
    expect(result.exitCode).toBe(1)
    expect(errorLines(result)).toHaveLength(1)
    expect(errorLines(result)[0]).toMatch(
      /HTTP 410 \(VERSION_GONE\).*no longer serves API version 2023-01-01.*update the action/
    )
    expect(summaryText(result)).toMatch(/Update the action to its latest release/)
    expect(standin.requests.at(-1)?.status).toBe(410)
  })

  it.each([
    ['v2', /needs the Project Read Only role/],
    ['v1.0', /needs the Organization Owner or Project Owner role/]
  ] as const)('%s: a 403 names the role that API asks for', async (api, role) => {
    const result = await run({
      api,
      script: [{ error: 403, errorCode: 'USER_UNAUTHORIZED' }],
      inputs: { 'wait-for': 'AVAILABLE' }
    })
    expect(result.exitCode).toBe(1)
    expect(errorLines(result)[0]).toMatch(role)
    expectReadsOnTheWire(1, api)
  })
})

describe('v1.0, as before', () => {
  const deprecated = { Deprecation: '@1767225600', Sunset: 'Wed, 30 Sep 2026 00:00:00 GMT' }

  it('waits to AVAILABLE with Accept: application/json, and warns once about a Deprecation header', async () => {
    const result = await run({
      api: 'v1.0',
      script: ['NONE', 'PENDING', 'AVAILABLE'].map(status => ({ status, headers: deprecated })),
      inputs: {
        'cloud-provider': '',
        'endpoint-id': '',
        'interface-endpoint-id': IDS.interfaceEndpointId,
        'wait-for': 'AVAILABLE'
      }
    })
    expect(result.exitCode).toBe(0)
    expect(result.outputs).toMatchObject({
      'connection-status': 'AVAILABLE',
      'cloud-provider': 'AWS',
      'interface-endpoint-id': IDS.interfaceEndpointId,
      attempts: '3'
    })
    expect(JSON.parse(result.outputs.response)).toEqual({
      connectionStatus: 'AVAILABLE',
      deleteRequested: false,
      errorMessage: null,
      interfaceEndpointId: IDS.interfaceEndpointId
    })
    expect(result.stdout).toContain(`API: ${standin.baseUrl} (v1.0)`)
    const warnings = warningLines(result)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(
      /v1\.0 .*deprecated.*Move base-url to https:\/\/cloud\.mongodb\.com\/api\/atlas\/v2/
    )
    expectReadsOnTheWire(3, 'v1.0')
  })

  it.each([
    ['fails on REJECTED', [{ status: 'REJECTED' }], 'AVAILABLE', 1, 'REJECTED', ['listing 200']],
    [
      "reads DELETED from v1.0's 404 when waiting for deletion, corroborated on the same host's v2 API",
      [{ status: 'DELETING' }, { gone: true }],
      'DELETED',
      0,
      'DELETED',
      ['listing 404', 'project 200', 'services 200']
    ]
  ] as [string, Step[], string, number, string, string[]][])(
    '%s',
    async (_, script, waitFor, exitCode, status, around) => {
      const result = await run({ api: 'v1.0', script, inputs: { 'wait-for': waitFor } })
      expect(result.exitCode).toBe(exitCode)
      expect(result.outputs['connection-status']).toBe(status)
      const answered = standin.requests.filter(request => request.authorized)
      expect(answered.filter(request => request.target === 'endpoint')).toHaveLength(script.length)
      expect(
        answered.filter(request => request.target !== 'endpoint').map(r => `${r.target} ${r.status}`)
      ).toEqual(around)
      for (const request of answered.filter(r => r.target === 'endpoint' || r.target === 'listing'))
        expect(request.api).toBe('v1.0')
    }
  )

  it('refuses Azure on v1.0 before sending anything', async () => {
    const result = await run({ cloud: 'AZURE', api: 'v1.0', script: [{ status: 'AVAILABLE' }] })
    expect(result.exitCode).toBe(1)
    expect(errorLines(result)[0]).toMatch(/cloud-provider.*AZURE.*v1\.0 API/)
    expect(standin.requests).toHaveLength(0)
  })
})
