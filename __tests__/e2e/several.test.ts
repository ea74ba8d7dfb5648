/**
 * Issue 10 end to end: one step checks several endpoints (a list, or '*' for every endpoint of
 * the endpoint service), run as a runner runs the bundle. Requests are counted in the stand-in's
 * own records: an endpoint that arrived is never read again.
 */
import type {
  AtlasStandin,
  EndpointSpec,
  RequestRecord,
  StandinOptions
} from '../../standin/atlas-standin.js'
import { OAuthStandin } from '../../standin/oauth-standin.js'
import { runAction, type ActionRun } from '../../standin/runner.js'
import { startStandin } from '../helpers/harness.js'
import { IDS, REQUIRED_INPUTS } from '../helpers/ids.js'

const A = 'vpce-0aaaaaaaaaaaaaaa1'
const B = 'vpce-0bbbbbbbbbbbbbbb2'
const C = 'vpce-0ccccccccccccccc3'
const GITHUB_SUMMARY_LIMIT = 1024 * 1024

let standin: AtlasStandin
afterEach(async () => standin?.stop())

async function run(
  endpoints: EndpointSpec[],
  inputs: Record<string, string>,
  options: Partial<StandinOptions> = {},
  env: Record<string, string> = {}
): Promise<ActionRun> {
  standin = await startStandin({ endpoints, ...options })
  const result = await runAction({
    inputs: {
      ...REQUIRED_INPUTS,
      'interface-endpoint-id': '',
      'base-url': standin.baseUrlV2,
      'interval-seconds': '1',
      'wait-for': 'AVAILABLE',
      ...inputs
    },
    env
  })
  const log = `${result.stdout}\n${result.stderr}`
  const leaks = log.split('\n').filter(line => line.includes(IDS.privateKey))
  expect(leaks.filter(line => line !== `::add-mask::${IDS.privateKey}`)).toEqual([])
  expect(`${result.outputFile}${result.summary}`).not.toContain(IDS.privateKey)
  return result
}

const reads = (id?: string): RequestRecord[] =>
  standin.requests.filter(
    r => r.target === 'endpoint' && r.authorized && (id === undefined || r.endpointId === id)
  )
/** The wait's lines about one endpoint: `[00:01] vpce-…: PENDING: waiting for …`. */
const linesAbout = (result: ActionRun, id: string): string[] =>
  result.stdout.split('\n').filter(line => new RegExp(`^\\[\\d\\d:\\d\\d\\] ${id}: `).test(line))

interface EndpointOutput {
  id: string
  status: string | null
  deleteRequested: boolean | null
  errorMessage: string | null
  reached: boolean
}
const endpointsOutput = (result: ActionRun): EndpointOutput[] => JSON.parse(result.outputs.endpoints)
/** The endpoint table's rows: the summary's first table, before the settings and the history. */
/** The endpoint rows of the summary's first table (Atlas's messages sit in rows of their own, under them). */
const tableRows = (summary: string): string[] =>
  summary.slice(summary.indexOf('<table>'), summary.indexOf('</table>')).match(/<tr><td>[^<]/g) ?? []

describe('several endpoints, end to end', () => {
  it('waits for 3 endpoints arriving at different times, one log line per endpoint per check', async () => {
    const endpoints = [
      { id: A, script: [{ status: 'AVAILABLE' }] },
      { id: B, script: [{ status: 'PENDING' }, { status: 'AVAILABLE' }] },
      { id: C, script: [{ status: 'PENDING', times: 2 }, { status: 'AVAILABLE' }] }
    ]
    // Input order (C, A, B) differs from the stand-in's order and from the order of arrival.
    const result = await run(endpoints, { 'interface-endpoint-id': `${C}, ${A},${B}` })
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toMatch(/^All 3 endpoints reached AVAILABLE\.$/m)
    // Checks: C A B, then C B, then C and (one moment) A and B again; within a check the reads
    // run side by side, so only the counts per endpoint are fixed.
    expect([reads(A), reads(B), reads(C)].map(r => r.length)).toEqual([2, 3, 3])
    expect([linesAbout(result, A), linesAbout(result, B), linesAbout(result, C)].map(l => l.length)).toEqual([
      2, 3, 3
    ])
    expect(linesAbout(result, A)[0]).toMatch(/AVAILABLE: reached \(2 still to come\)\.$/)
    expect(linesAbout(result, A)[1]).toMatch(/AVAILABLE: still there\.$/)
    expect(linesAbout(result, C)[0]).toMatch(/PENDING: waiting for AVAILABLE; next check in 1 s\.$/)
    // The log lines of a check stay in input order (C, A, B) whatever order the answers came in.
    const first = result.stdout.split('\n').filter(line => line.startsWith('[00:00] vpce-'))
    expect(first.map(line => line.slice(8, 30))).toEqual([C, A, B])
    // K endpoints × N checks cost at most K×N + min(K, 4) requests with an API key: one Digest
    // challenge per session, at most 4 sessions; here 8 reads and 3 challenges.
    expect(standin.requests).toHaveLength(8 + 3)
    expect(standin.requests.length).toBeLessThanOrEqual(3 * 3 + 3)
    expect(result.outputs['connection-status']).toBe('AVAILABLE')
    expect(result.outputs.attempts).toBe('8')
    // The per-endpoint outputs describe the decisive endpoint: the last to arrive.
    expect(result.outputs['endpoint-id']).toBe(C)
    expect(endpointsOutput(result)).toEqual(
      [C, A, B].map(id => ({
        id,
        status: 'AVAILABLE',
        deleteRequested: false,
        errorMessage: null,
        reached: true
      }))
    )
    expect(tableRows(result.summary)).toHaveLength(3)
  })

  it('costs K×N + 2 requests with a service account: one token, the reads, one revoke', async () => {
    const clientId = 'mdb_sa_id_0123456789abcdef01234567'
    const clientSecret = 'mdb_sa_sk_Zq4tW9xYp2LmN7vB3cR8sK1dF6gH0jA5'
    const oauth = new OAuthStandin({ accounts: [{ clientId, clientSecret }] })
    const endpoints = [
      { id: A, script: [{ status: 'PENDING' }, { status: 'AVAILABLE' }] },
      { id: B, script: [{ status: 'AVAILABLE' }] }
    ]
    const result = await run(
      endpoints,
      {
        'public-key': '',
        'private-key': '',
        'client-id': clientId,
        'client-secret': clientSecret,
        'interface-endpoint-id': `${A}\n${B}`
      },
      { serviceAccounts: oauth }
    )
    expect(result.exitCode).toBe(0)
    // A and B, then A, then B again for the one-moment pass: one token serves them all.
    expect(
      reads()
        .map(r => `${r.endpointId} ${r.auth}`)
        .sort()
    ).toEqual([`${A} bearer`, `${A} bearer`, `${B} bearer`, `${B} bearer`].sort())
    expect(standin.requests).toHaveLength(4 + 2)
    expect([oauth.tokenRequests, oauth.revokeRequests]).toEqual([1, 1])
    for (const secret of [clientSecret, ...oauth.issuedTokens()]) {
      expect(result.stdout.split('\n').filter(line => line.includes(secret))).toEqual([
        `::add-mask::${secret}`
      ])
    }
  })

  it('fails fast when one of 3 is REJECTED, naming it; reads in flight are abandoned', async () => {
    const errorMessage = 'AWS rejected the connection: wrong endpoint service name.'
    const endpoints = [
      { id: A, script: [{ status: 'AVAILABLE' }] },
      { id: B, script: [{ status: 'REJECTED', errorMessage }] },
      { id: C, script: [{ status: 'PENDING' }] }
    ]
    const result = await run(endpoints, { 'endpoint-id': `${A},${B},${C}`, 'interval-seconds': '30' })
    expect(result.exitCode).toBe(1)
    expect(result.durationMs).toBeLessThan(5_000)
    expect(result.stdout).toMatch(
      new RegExp(
        `^::error::The AWS interface endpoint ${B} is REJECTED, which is listed in fail-on\\. Atlas says: "AWS rejected`,
        'm'
      )
    )
    // The three reads went out together; the endpoint service is read once more for the report.
    expect(reads().length).toBeLessThanOrEqual(3)
    expect(standin.requests.filter(r => r.authorized && r.target === 'listing')).toHaveLength(1)
    expect(result.outputs['endpoint-id']).toBe(B)
    expect(result.outputs['error-message']).toBe(errorMessage)
    expect(result.outputs['connection-status']).toBe('MIXED')
    const output = endpointsOutput(result).map(e => [e.id, e.status, e.reached])
    expect(output[1]).toEqual([B, 'REJECTED', false])
    expect(output.map(([id]) => id)).toEqual([A, B, C])
    expect(result.summary).toContain(
      `Blocked&#58; the AWS interface endpoint ${B.replace(/-/g, '&#45;')} &#40;one of 3&#41; is REJECTED`
    )
  })

  it("checks every endpoint the service lists with '*', costing one more request for the listing", async () => {
    const endpoints = [
      { id: A, script: [{ status: 'AVAILABLE' }] },
      { id: B, script: [{ status: 'PENDING' }, { status: 'AVAILABLE' }] },
      { id: C, script: [{ status: 'AVAILABLE' }] }
    ]
    const result = await run(endpoints, {
      'endpoint-id': '*',
      'private-link-id': '',
      'endpoint-service-id': IDS.privateLinkId
    })
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain(
      `The endpoint service ${IDS.privateLinkId} is AVAILABLE and lists 3 endpoints: ${A}, ${B}, ${C}.`
    )
    const authorized = standin.requests.filter(r => r.authorized)
    expect(authorized[0].target).toBe('listing')
    // A B C, then B, then A and C again for the one-moment pass.
    expect([reads(A), reads(B), reads(C)].map(r => r.length)).toEqual([2, 2, 2])
    // Reads + the listing + one Digest challenge per session (the listing's, and 2 more for
    // the 3 reads that went out together).
    expect(standin.requests).toHaveLength(6 + 1 + 3)
    expect(endpointsOutput(result).map(e => e.id)).toEqual([A, B, C])
  })

  it("fails when '*' finds no endpoints, saying so", async () => {
    const result = await run([], { 'endpoint-id': '*' })
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toMatch(
      new RegExp(
        `^::error::The endpoint service ${IDS.privateLinkId} has no endpoints \\(the service is AVAILABLE\\), so there is nothing to check`,
        'm'
      )
    )
    expect(standin.requests.filter(r => r.authorized).map(r => r.target)).toEqual(['listing'])
  })

  it("succeeds on '*' with no endpoints when waiting for DELETED, with its outputs and a plain summary", async () => {
    const deleted = await run([], { 'endpoint-id': '*', 'wait-for': 'DELETED' })
    expect(deleted.exitCode).toBe(0)
    expect(deleted.stdout).toMatch(/has no endpoints left: every endpoint is DELETED\.$/m)
    expect(standin.requests.filter(r => r.authorized).map(r => r.target)).toEqual(['listing'])
    expect(deleted.summary).toContain('✅')
    expect(deleted.summary).not.toContain('undefined')
    // A passing step sets its outputs, so that fromJSON(steps.<id>.outputs.endpoints) works after it.
    expect(deleted.outputs.endpoints).toBe('[]')
    expect(deleted.outputs['connection-status']).toBe('DELETED')
  })

  it('times out naming the endpoints still missing; connection-status is MIXED', async () => {
    const endpoints = [
      { id: A, script: [{ status: 'AVAILABLE' }] },
      { id: B, script: [{ status: 'PENDING' }] },
      { id: C, script: [{ status: 'PENDING_ACCEPTANCE' }] }
    ]
    const result = await run(endpoints, { 'endpoint-id': `${A}\n${B}\n${C}`, 'timeout-seconds': '3' })
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toMatch(
      new RegExp(
        `^::error::Timed out waiting for AVAILABLE \\(timeout-seconds: 3\\):.* 2 of 3 endpoints are not there yet: ${B} \\(PENDING\\), ${C} \\(PENDING_ACCEPTANCE\\)`,
        'm'
      )
    )
    const checks = linesAbout(result, B).length
    expect(checks).toBeGreaterThanOrEqual(3)
    expect(reads(A)).toHaveLength(1)
    expect(reads(B)).toHaveLength(checks)
    expect(reads(C)).toHaveLength(checks)
    // One challenge per Digest session (3 reads side by side: 3 sessions), the reads, and one
    // read of the endpoint service for the report.
    expect(standin.requests).toHaveLength(3 + 1 + 2 * checks + 1)
    expect(result.outputs['connection-status']).toBe('MIXED')
    expect(endpointsOutput(result).map(e => [e.id, e.status, e.reached])).toEqual([
      [A, 'AVAILABLE', true],
      [B, 'PENDING', false],
      [C, 'PENDING_ACCEPTANCE', false]
    ])
  })

  it('pauses every read for a 429 with Retry-After on one endpoint', async () => {
    const endpoints = [
      {
        id: A,
        script: [
          { error: 429, errorCode: 'RATE_LIMITED', headers: { 'Retry-After': '2' } },
          { status: 'AVAILABLE' }
        ]
      },
      { id: B, script: [{ status: 'PENDING' }, { status: 'AVAILABLE' }] }
    ]
    const result = await run(endpoints, { 'endpoint-id': `${A}, ${B}` })
    expect(result.exitCode).toBe(0)
    const limited = reads().find(r => r.status === 429) as RequestRecord
    // Nothing is sent while the 429's pause lasts (B's first read was already in flight with A's).
    const during = standin.requests.filter(r => r.at > limited.at + 200 && r.at - limited.at < 2_000)
    expect(during).toEqual([])
    // After it: A again, B (its first read too, if it had not gone out before the 429), and A
    // once more for the one-moment pass.
    const after = standin.requests.filter(r => r.at - limited.at >= 2_000)
    expect(after.filter(r => r.endpointId === A).map(r => r.status)).toEqual([200, 200])
    expect(reads(B).filter(r => r.status === 200)).toHaveLength(2)
    expect(after.every(r => r.status === 200)).toBe(true)
    expect(result.stdout).toMatch(
      new RegExp(`${A}: Atlas answered HTTP 429 \\(RATE_LIMITED\\).*Retry 1 of 5 in 2 s`)
    )
    expect(result.outputs.attempts).toBe('4')
  })

  it('never sends more reads than RateLimit-Remaining allows: spreads them over the interval, saying so once', async () => {
    const ids = Array.from({ length: 10 }, (_, i) => `vpce-${i.toString(16).padStart(17, '0')}`)
    const limited = { 'RateLimit-Limit': '100', 'RateLimit-Remaining': '3' }
    const result = await run(
      ids.map(id => ({
        id,
        script: [
          { status: 'PENDING', headers: limited },
          { status: 'AVAILABLE', headers: limited }
        ]
      })),
      { 'endpoint-id': ids.join('\n'), 'interval-seconds': '2', 'timeout-seconds': '30' }
    )
    expect(result.exitCode).toBe(0)
    const notes = result.stdout.split('\n').filter(line => /RateLimit-Remaining/.test(line))
    expect(notes).toHaveLength(1)
    // The second check's reads, which start once Atlas has said 3 are left, are spread out.
    const second = reads()
      .filter(r => r.status === 200)
      .slice(10, 20)
    expect(second.at(-1)!.at - second[0].at).toBeGreaterThanOrEqual(1_000)
  })

  it('checks 50 endpoints with long Atlas messages within the 1 MiB summary limit, one row each', async () => {
    const ids = Array.from({ length: 50 }, (_, i) => `vpce-${i.toString(16).padStart(17, '0')}`)
    // Every character escapes to several bytes in the summary; Atlas's text is shortened per cell.
    const errorMessage = '<script>&"\''.repeat(2_000)
    const script = [
      { status: 'PENDING', errorMessage },
      { status: 'AVAILABLE', errorMessage }
    ]
    const result = await run(
      ids.map(id => ({ id, script })),
      { 'endpoint-id': ids.join('\n'), 'timeout-seconds': '60' }
    )
    expect(result.exitCode).toBe(0)
    expect(Buffer.byteLength(result.summary)).toBeLessThanOrEqual(GITHUB_SUMMARY_LIMIT)
    expect(tableRows(result.summary)).toHaveLength(50)
    for (const id of ids) expect(result.summary).toContain(`<code>${id.replace(/-/g, '&#45;')}</code>`)
    expect(result.summary).not.toContain('<script>')
    const output = endpointsOutput(result)
    expect(output.map(e => e.id)).toEqual(ids)
    expect(output.every(e => e.reached && e.status === 'AVAILABLE')).toBe(true)
    for (const id of ids) expect(linesAbout(result, id)).toHaveLength(2)
    // 50 endpoints × 2 checks, + 4 Digest challenges (at most 4 sessions), never more.
    expect(standin.requests).toHaveLength(50 * 2 + 4)
    expect(Buffer.byteLength(result.outputFile)).toBeLessThan(1024 * 1024)
  })

  it.each([
    ['the same ID twice', `${A}\n${B}\n${A}`, new RegExp(`lists "${A}" more than once`)],
    [
      '51 IDs',
      Array.from({ length: 51 }, (_, i) => `vpce-${i.toString(16).padStart(17, '0')}`).join(','),
      /lists 51 endpoints; at most 50 are accepted/
    ]
  ])('refuses %s before sending anything', async (_, value, message) => {
    const result = await run([{ id: A }, { id: B }], { 'endpoint-id': value })
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toMatch(new RegExp(`^::error::Input "endpoint-id" ${message.source}`, 'm'))
    expect(standin.requests).toHaveLength(0)
    expect(result.summary).toContain('Inputs are invalid')
  })
})
