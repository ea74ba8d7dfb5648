/**
 * Issue 15 end to end: a verdict you can bet a teardown on. A 404 counts as DELETED only when
 * the endpoint service corroborates it in the same check; a mistyped endpoint or service ID
 * fails instead of passing; the endpoint service's own status is read and reported; a pass
 * with several endpoints is about one moment; and the headline counts what decided. Run as a
 * runner runs the bundle, judged by what a workflow sees and by the stand-in's own records.
 */
import type {
  AtlasStandin,
  EndpointSpec,
  RequestRecord,
  StandinOptions,
  Step
} from '../../standin/atlas-standin.js'
import { runAction, type ActionRun } from '../../standin/runner.js'
import { startStandin } from '../helpers/harness.js'
import { REQUIRED_INPUTS } from '../helpers/ids.js'

const A = 'vpce-0aaaaaaaaaaaaaaa1'
const B = 'vpce-0bbbbbbbbbbbbbbb2'
const C = 'vpce-0ccccccccccccccc3'

let standin: AtlasStandin
afterEach(async () => standin?.stop())

async function run(
  endpoints: EndpointSpec[],
  inputs: Record<string, string>,
  options: Partial<StandinOptions> = {}
): Promise<ActionRun> {
  standin = await startStandin({ endpoints, ...options })
  return runAction({
    inputs: {
      ...REQUIRED_INPUTS,
      'interface-endpoint-id': '',
      'base-url': standin.baseUrlV2,
      'interval-seconds': '1',
      'timeout-seconds': '4',
      ...inputs
    }
  })
}

const authorized = (target?: string): RequestRecord[] =>
  standin.requests.filter(r => r.authorized && (target === undefined || r.target === target))
/** Summary HTML with its character references decoded: the text a reader sees. */
const decoded = (html: string): string =>
  html.replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
/** The summary's first line, as text. */
const headline = (result: ActionRun): string => decoded(/<h2>(.*?)<\/h2>/.exec(result.summary)?.[1] ?? '')
const gone: Step = { gone: true }

describe('DELETED needs corroboration', () => {
  it('passes a teardown when the endpoint 404s and the service, read in the same check, no longer lists it', async () => {
    const result = await run(
      [
        { id: A, script: [{ status: 'DELETING', deleteRequested: true }, gone] },
        { id: B, script: [{ status: 'AVAILABLE' }] }
      ],
      { 'endpoint-id': A, 'wait-for': 'DELETED' }
    )
    expect(result.exitCode).toBe(0)
    expect(result.outputs['connection-status']).toBe('DELETED')
    expect(result.outputs['endpoint-service-status']).toBe('AVAILABLE')
    // 2 reads of the endpoint and one service read after the 404: no more.
    expect(authorized('endpoint')).toHaveLength(2)
    expect(authorized('listing')).toHaveLength(1)
    expect(headline(result)).toBe(
      `✅ Passed: the AWS interface endpoint ${A} is DELETED; the teardown may go on`
    )
  })

  it('keeps waiting while the service still lists the endpoint Atlas 404s, and never passes', async () => {
    // RESOURCE_NOT_FOUND is also what an unresolvable route gets: on its own it proves nothing.
    const result = await run(
      [{ id: A, script: [{ status: 'DELETING' }, { error: 404, errorCode: 'RESOURCE_NOT_FOUND' }] }],
      { 'endpoint-id': A, 'wait-for': 'DELETED', 'timeout-seconds': '3' }
    )
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain('not found, but the endpoint service still lists it: not deleted yet')
    // One service read per check that saw a 404, and nothing more.
    const checksWith404 = authorized('endpoint').filter(r => r.status === 404).length
    expect(authorized('listing')).toHaveLength(checksWith404)
    expect(headline(result)).toMatch(/^❌ Timed out after/)
  })

  it.each([
    'RESOURCE_NOT_FOUND',
    'NOT_ATLAS_GROUP',
    'INVALID_ATLAS_GROUP',
    'ATLAS_GROUP',
    'PROVIDER_NOT_FOUND',
    'PRIVATELINK_INTERFACE_ENDPOINT_ID_MALFORMED',
    'group_not_found',
    'GROUP_NOT_FOUND\u200b'
  ])('never passes a teardown on a 404 %j the service does not corroborate', async code => {
    // In the body only: a header cannot carry the zero-width space.
    const body = JSON.stringify({ error: 404, errorCode: code, detail: 'Not found.', reason: 'Not Found' })
    const notFound = { raw: { status: 404, headers: { 'Content-Type': 'application/json' }, body } }
    const result = await run([{ id: A, script: [notFound] }], {
      'endpoint-id': A,
      'wait-for': 'DELETED',
      'timeout-seconds': '3'
    })
    expect(result.exitCode).toBe(1)
    expect(result.outputs['connection-status'] ?? '').not.toBe('DELETED')
    expect(headline(result)).not.toMatch(/^✅/)
  })

  it('fails a teardown on a never-seen endpoint ID 1 character away from one the service lists', async () => {
    const typo = 'vpce-0aaaaaaaaaaaaaaa7'
    const result = await run([{ id: A, script: [{ status: 'AVAILABLE' }] }], {
      'endpoint-id': typo,
      'wait-for': 'DELETED'
    })
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain(
      `Atlas has no endpoint ${typo}; the endpoint service lists ${A}. Is endpoint-id mistyped?`
    )
    expect(headline(result)).toBe('❌ Blocked: an ID looks mistyped; the teardown should not go on')
  })

  it('fails a teardown on a missing endpoint service 1 character away from one the project has', async () => {
    // The step is given a service ID that does not exist; the project has one 1 character away.
    const near = '6a1b2c3d4e5f6a7b8c9d0e1e'
    const result = await run(
      [{ id: A, script: [{ status: 'AVAILABLE' }] }],
      { 'endpoint-id': A, 'wait-for': 'DELETED', 'private-link-id': near },
      { otherServices: [] }
    )
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain(
      `Atlas has no endpoint service ${near}; the project has the endpoint service 6a1b2c3d4e5f6a7b8c9d0e1f. Is endpoint-service-id mistyped?`
    )
    // The endpoint's 404, the service's 404, the project and its services: 3 more than the read.
    expect(authorized().map(r => `${r.target} ${r.status}`)).toEqual([
      'endpoint 404',
      'listing 404',
      'project 200',
      'services 200'
    ])
  })

  it('passes a never-seen endpoint with no near ID, with a warning and a note in the summary', async () => {
    const result = await run([{ id: A, script: [{ status: 'AVAILABLE' }] }], {
      'endpoint-id': C,
      'wait-for': 'DELETED'
    })
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toMatch(
      new RegExp(`^::warning title=Not found at the first read::${C} was not found at its first read`, 'm')
    )
    expect(decoded(result.summary)).toContain(`${C} was not found at its first read`)
  })
})

describe("the endpoint service's own status", () => {
  it("with '*', fails at once on a FAILED service, quoting Atlas's message", async () => {
    const result = await run(
      [],
      { 'endpoint-id': '*', 'wait-for': 'AVAILABLE' },
      {
        serviceScript: [{ status: 'FAILED', errorMessage: 'Quota exceeded for service attachments.' }]
      }
    )
    expect(result.exitCode).toBe(1)
    expect(result.outputs['endpoint-service-status']).toBe('FAILED')
    expect(result.stdout).toContain('Atlas says: "Quota exceeded for service attachments."')
    expect(headline(result)).toBe('❌ Blocked: the endpoint service is FAILED; the deploy should not go on')
    expect(authorized('endpoint')).toHaveLength(0)
  })

  it("with '*', stops on a DELETING service unless waiting for DELETED", async () => {
    const result = await run(
      [{ id: A, script: [{ status: 'AVAILABLE' }] }],
      { 'endpoint-id': '*', 'wait-for': 'AVAILABLE' },
      { serviceScript: [{ status: 'DELETING' }] }
    )
    expect(result.exitCode).toBe(1)
    expect(headline(result)).toContain('the endpoint service is being deleted')
  })

  it("with '*', waits on a WAITING_FOR_USER service and times out saying so", async () => {
    const result = await run(
      [],
      { 'endpoint-id': '*', 'wait-for': 'AVAILABLE', 'timeout-seconds': '3' },
      {
        serviceScript: [{ status: 'WAITING_FOR_USER' }]
      }
    )
    expect(result.exitCode).toBe(1)
    expect(headline(result)).toMatch(
      /^❌ Timed out after \d(\.\d)? s: the endpoint service is still WAITING_FOR_USER/
    )
    expect(decoded(result.summary)).toContain('Create the endpoint in your cloud')
  })

  it('reads the service once when named endpoints time out under a WAITING_FOR_USER service', async () => {
    const result = await run(
      [{ id: A, script: [{ status: 'PENDING_ACCEPTANCE' }] }],
      { 'endpoint-id': A, 'wait-for': 'AVAILABLE', 'timeout-seconds': '3' },
      { serviceScript: [{ status: 'WAITING_FOR_USER' }] }
    )
    expect(result.exitCode).toBe(1)
    expect(authorized('listing')).toHaveLength(1)
    expect(result.outputs['endpoint-service-status']).toBe('WAITING_FOR_USER')
    expect(decoded(result.summary)).toContain('The endpoint service is WAITING_FOR_USER:')
  })
})

describe('one-moment verdicts and headlines that count right', () => {
  it('fails when an endpoint that arrived turns REJECTED before the last one arrives', async () => {
    const result = await run(
      [
        {
          id: A,
          script: [{ status: 'AVAILABLE' }, { status: 'REJECTED', errorMessage: 'Rejected by AWS.' }]
        },
        { id: B, script: [{ status: 'PENDING' }, { status: 'AVAILABLE' }] }
      ],
      { 'endpoint-id': `${A}\n${B}`, 'wait-for': 'AVAILABLE' }
    )
    expect(result.exitCode).toBe(1)
    expect(headline(result)).toBe(
      `❌ Blocked: the AWS interface endpoint ${A} (one of 2) is REJECTED, which is listed in fail-on; the deploy should not go on`
    )
  })

  it('names only the endpoint still missing at a timeout, and its time agrees with the body', async () => {
    const result = await run(
      [
        { id: A, script: [{ status: 'AVAILABLE' }] },
        { id: B, script: [{ status: 'PENDING' }] }
      ],
      { 'endpoint-id': `${A}\n${B}`, 'wait-for': 'AVAILABLE', 'timeout-seconds': '3' }
    )
    expect(result.exitCode).toBe(1)
    const waited = /Waited (\d+(?:\.\d)? s)/.exec(result.stdout)?.[1]
    expect(headline(result)).toBe(
      `❌ Timed out after ${waited}: the AWS interface endpoint ${B} did not become AVAILABLE; the deploy should not go on`
    )
    expect(result.stdout).toContain(`1 of 2 endpoints is not there yet: ${B} (PENDING)`)
  })

  it('speaks of the teardown, never of a deploy, when a teardown fails', async () => {
    const result = await run([{ id: A, script: [{ status: 'AVAILABLE' }] }], {
      'endpoint-id': A,
      'wait-for': 'DELETED',
      'timeout-seconds': '2'
    })
    expect(result.exitCode).toBe(1)
    expect(headline(result)).toContain('the teardown should not go on')
    // The verdict, the paragraph and the advice: the links below may name the repository.
    expect(decoded(result.summary.split('<table>')[0])).not.toMatch(/deploy/)
    expect(decoded(result.summary)).toContain('deletion can take minutes')
  })
})
