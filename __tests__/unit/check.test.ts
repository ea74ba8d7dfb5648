import type { AtlasClient, EndpointState, ServiceRead, ServiceState } from '../../src/atlas/client.js'
import { CLOUDS } from '../../src/common/clouds.js'
import { Deadline } from '../../src/common/clock.js'
import {
  AtlasApiError,
  CancelledError,
  RetriesExhaustedError,
  TransientError
} from '../../src/common/errors.js'
import { ADVICE, adviceFor } from '../../src/report/advice.js'
import { checkEndpoints, type CheckOptions } from '../../src/wait/check.js'
import { FakeClock, recordingLog } from '../helpers/fake-clock.js'
import { endpointState } from '../helpers/states.js'

const SERVICE = '6a1b2c3d4e5f6a7b8c9d0e1f'

const state = (status: string, extra: Partial<EndpointState> = {}): EndpointState =>
  endpointState(status, { endpointId: 'vpce-0', ...extra })

type Step<T> = T | Error

/** Each step in turn (throwing the errors), then the last again. */
function next<T>(steps: Step<T>[], done: number): T {
  const step = steps[Math.min(done, steps.length - 1)]
  if (step instanceof Error) throw step
  return step
}

/** An object shaped like AtlasClient: scripted lists of the service and reads of each endpoint. */
function fakeAtlas(
  reads: Record<string, Step<EndpointState>[]>,
  lists: Step<string[] | ServiceState>[] = [Object.keys(reads)]
) {
  const calls: string[] = []
  const atlas = {
    readService: async (): Promise<ServiceRead> => {
      const done = calls.filter(call => call === 'list').length
      calls.push('list')
      const step = next(lists, done)
      const service = Array.isArray(step)
        ? { status: 'AVAILABLE', errorMessage: null, endpointIds: step }
        : step
      return { found: true, service }
    },
    readEndpoint: async (id: string): Promise<EndpointState> => {
      const done = calls.filter(call => call === id).length
      calls.push(id)
      return { ...next(reads[id], done), endpointId: id }
    }
  }
  return { atlas: atlas as unknown as AtlasClient, calls }
}

interface Setup extends Partial<Omit<CheckOptions, 'atlas' | 'clock' | 'deadline' | 'log'>> {
  reads?: Record<string, Step<EndpointState>[]>
  lists?: Step<string[] | ServiceState>[]
  timeoutMs?: number
}

async function run(setup: Setup) {
  const clock = new FakeClock()
  const log = recordingLog()
  const reads = setup.reads ?? {}
  const { atlas, calls } = fakeAtlas(reads, setup.lists)
  const result = await checkEndpoints({
    endpointIds: Object.keys(reads),
    endpointServiceId: SERVICE,
    waitFor: ['AVAILABLE'],
    failOn: ['REJECTED'],
    intervalMs: 10_000,
    maxRetries: 5,
    knownStatuses: CLOUDS.AWS.statuses,
    noun: CLOUDS.AWS.noun,
    advice: CLOUDS.AWS.failureAdvice,
    signal: new AbortController().signal,
    random: () => 0.5,
    ...setup,
    atlas,
    clock,
    deadline: new Deadline(clock, clock.now(), setup.timeoutMs ?? 900_000),
    log
  })
  return { result, clock, log, calls, info: log.text('info').split('\n') }
}

describe("checkEndpoints with endpoint-id '*'", () => {
  it('lists the endpoint service once, then waits for every endpoint it lists', async () => {
    const reads = { 'vpce-a': [state('AVAILABLE')], 'vpce-b': [state('PENDING'), state('AVAILABLE')] }
    const { result, calls, info } = await run({ endpointIds: '*', reads })
    // vpce-a arrived in the first check: it is read again when vpce-b arrives (one moment).
    expect(calls).toEqual(['list', 'vpce-a', 'vpce-b', 'vpce-b', 'vpce-a'])
    expect(info[0]).toBe(
      `[00:00] The endpoint service ${SERVICE} is AVAILABLE and lists 2 endpoints: vpce-a, vpce-b.`
    )
    expect(result.outcome).toBe('reached')
    expect(result.endpoints.map(endpoint => endpoint.id)).toEqual(['vpce-a', 'vpce-b'])
  })

  it('is an error when the service lists no endpoints', async () => {
    const { result, calls } = await run({ endpointIds: '*', lists: [[]] })
    expect(calls).toEqual(['list'])
    expect(result).toMatchObject({ outcome: 'error', endpoints: [], attempts: 0, history: [] })
    expect(result.message).toContain(`The endpoint service ${SERVICE} has no endpoints`)
    expect(result.message).toContain('name the endpoints in endpoint-id')
  })

  it('advises on the IDs, not a re-run, when the service lists no endpoints', async () => {
    const { result } = await run({ endpointIds: '*', lists: [[]] })
    const advice = adviceFor(result.outcome, result.error)
    // Re-running cannot create an endpoint: the advice is about the IDs, as the message is.
    expect(advice).not.toBe(ADVICE.transient)
    expect(advice?.section).toBe(ADVICE.ids.section)
  })

  it('is reached when the service lists no endpoints and DELETED is the goal', async () => {
    const { result } = await run({ endpointIds: '*', waitFor: ['DELETED'], lists: [[]] })
    expect(result).toMatchObject({ outcome: 'reached', endpoints: [] })
    expect(result.message).toContain('every endpoint is DELETED')
  })

  it('is still an error with no endpoints when only DELETING is the goal', async () => {
    expect((await run({ endpointIds: '*', waitFor: ['DELETING'], lists: [[]] })).result.outcome).toBe('error')
  })

  it('retries the listing on a TransientError, saying so', async () => {
    const reads = { 'vpce-a': [state('AVAILABLE')] }
    const lists = [new TransientError('Atlas answered HTTP 503.'), ['vpce-a']]
    const { result, calls, clock, info } = await run({ endpointIds: '*', reads, lists })
    expect(calls).toEqual(['list', 'list', 'vpce-a'])
    expect(clock.sleeps).toEqual([500])
    expect(info[0]).toBe(
      '[00:00] Reading the endpoint service: Atlas answered HTTP 503. Retry 1 of 5 in 0.5 s.'
    )
    expect(result.outcome).toBe('reached')
  })

  it('ends with an error, keeping it, when the listing fails for good', async () => {
    const exhausted = await run({ endpointIds: '*', maxRetries: 1, lists: [new TransientError('reset.')] })
    expect(exhausted.result.outcome).toBe('error')
    expect(exhausted.result.error).toBeInstanceOf(RetriesExhaustedError)
    expect(exhausted.result.message).toContain('Could not list the endpoints of the endpoint service: reset.')
    const refused = new AtlasApiError('Atlas answered HTTP 403.', 403, undefined)
    const forbidden = await run({ endpointIds: '*', lists: [refused] })
    expect(forbidden.result).toMatchObject({ outcome: 'error', error: refused })
  })

  it('times out, or is cancelled, while listing', async () => {
    const late = new TransientError('Atlas answered HTTP 429.', 120_000, true)
    const timedOut = await run({ endpointIds: '*', timeoutMs: 60_000, lists: [late] })
    expect(timedOut.result.outcome).toBe('timeout')
    expect(timedOut.result.message).toContain('Timed out listing the endpoint service')
    const controller = new AbortController()
    controller.abort(new CancelledError('SIGTERM'))
    const cancelled = await run({
      endpointIds: '*',
      signal: controller.signal,
      lists: [new TransientError('x')]
    })
    expect(cancelled.result.outcome).toBe('cancelled')
  })

  it('never lists the service when the endpoints are named', async () => {
    const { calls } = await run({ reads: { 'vpce-a': [state('AVAILABLE')] } })
    expect(calls).toEqual(['vpce-a'])
  })
})

describe('checkEndpoints with several endpoints named (waitForStatus)', () => {
  const [A, B, C] = ['vpce-a', 'vpce-b', 'vpce-c']

  it('logs one line per endpoint per check, reads arrived ones no more, and names the last to arrive', async () => {
    const { result, calls, info } = await run({
      reads: {
        [A]: [state('AVAILABLE')],
        [B]: [state('PENDING'), state('PENDING'), state('AVAILABLE')],
        [C]: [state('PENDING'), state('AVAILABLE')]
      }
    })
    expect(calls).toEqual([A, B, C, B, C, B, A, C])
    expect(info).toEqual([
      `[00:00] ${A}: AVAILABLE: reached (2 still to come).`,
      `[00:00] ${B}: PENDING: waiting for AVAILABLE; next check in 10 s.`,
      `[00:00] ${C}: PENDING: waiting for AVAILABLE; next check in 10 s.`,
      `[00:10] ${B}: PENDING: waiting for AVAILABLE; next check in 10 s.`,
      `[00:10] ${C}: AVAILABLE: reached (1 still to come).`,
      `[00:20] ${B}: AVAILABLE: reached.`,
      `[00:20] 2 endpoints arrived in an earlier check; reading them again, so that the verdict is about one moment.`,
      `[00:20] ${A}: AVAILABLE: still there.`,
      `[00:20] ${C}: AVAILABLE: still there.`
    ])
    expect(result).toMatchObject({
      outcome: 'reached',
      message: 'All 3 endpoints reached AVAILABLE.',
      attempts: 8
    })
    expect(result.decisive?.id).toBe(B)
    expect(result.endpoints.map(endpoint => [endpoint.id, endpoint.reachedAtMs])).toEqual([
      [A, 0],
      [B, 20_000],
      [C, 10_000]
    ])
    expect(result.history.map(change => `${change.endpointId}@${change.atMs}:${change.status}`)).toEqual([
      `${A}@0:AVAILABLE`,
      `${B}@0:PENDING`,
      `${C}@0:PENDING`,
      `${C}@10000:AVAILABLE`,
      `${B}@20000:AVAILABLE`
    ])
  })

  it('stops at the first endpoint that fails: reads not yet started never start; it names it', async () => {
    const { result, calls } = await run({
      concurrency: 1,
      reads: {
        [A]: [state('PENDING')],
        [B]: [state('REJECTED', { errorMessage: 'no' })],
        [C]: [state('PENDING')]
      }
    })
    // The endpoint service is read once when a run ends without success, for the report.
    expect(calls).toEqual([A, B, 'list'])
    expect(result.service?.status).toBe('AVAILABLE')
    expect(result.outcome).toBe('failed')
    expect(result.decisive?.id).toBe(B)
    expect(result.message).toContain(`${B} is REJECTED`)
  })

  it('names the endpoint being deleted', async () => {
    const { result } = await run({ reads: { [A]: [state('PENDING')], [B]: [state('DELETING')] } })
    expect(result.outcome).toBe('unreachable')
    expect(result.decisive?.id).toBe(B)
    expect(result.message).toContain(`${B} is DELETING`)
  })

  it('times out naming the endpoints still missing, with the first as decisive', async () => {
    const { result } = await run({
      timeoutMs: 30_000,
      reads: { [A]: [state('AVAILABLE')], [B]: [state('PENDING')], [C]: [state('PENDING_ACCEPTANCE')] }
    })
    expect(result.outcome).toBe('timeout')
    expect(result.decisive?.id).toBe(B)
    expect(result.message).toContain(
      `2 of 3 endpoints are not there yet: ${B} (PENDING), ${C} (PENDING_ACCEPTANCE)`
    )
    expect(result.deciding?.map(endpoint => endpoint.id)).toEqual([B, C])
  })

  it('reads each once and reports them when wait-for is empty', async () => {
    const { result, calls, info } = await run({
      waitFor: [],
      reads: { [A]: [state('AVAILABLE')], [B]: [state('PENDING')] }
    })
    expect(calls).toEqual([A, B])
    expect(info).toHaveLength(2)
    expect(result).toMatchObject({ outcome: 'reported', message: '2 endpoints were read.' })
  })

  it('names the endpoint whose read failed for good', async () => {
    const refused = new AtlasApiError('Atlas answered HTTP 404.', 404, 'RESOURCE_NOT_FOUND')
    const { result } = await run({ reads: { [A]: [state('PENDING')], [B]: [refused] } })
    expect(result.outcome).toBe('error')
    expect(result.message).toBe(`${B}: Atlas answered HTTP 404.`)
    expect(result.decisive?.id).toBe(B)
    expect(result.endpoints[0].last?.status).toBe('PENDING')
  })
})

describe("checkEndpoints and the endpoint service's own status", () => {
  const service = (
    status: string,
    endpointIds: string[] = [],
    errorMessage: string | null = null
  ): ServiceState => ({
    status,
    errorMessage,
    endpointIds
  })

  it("with '*', fails at once on a FAILED service, with Atlas's message, reading no endpoint", async () => {
    const { result, calls } = await run({
      endpointIds: '*',
      lists: [service('FAILED', [], 'The service attachment could not be created.')]
    })
    expect(calls).toEqual(['list'])
    expect(result).toMatchObject({ outcome: 'failed', serviceDecided: true })
    expect(result.message).toContain('is FAILED')
    expect(result.message).toContain('Atlas says: "The service attachment could not be created."')
    expect(adviceFor(result.outcome, result.error, { serviceStatus: 'FAILED', serviceDecided: true })).toBe(
      ADVICE.serviceFailed
    )
  })

  it("with '*', fails on a DELETING service unless waiting for DELETED", async () => {
    const deleting = await run({ endpointIds: '*', lists: [service('DELETING', ['vpce-a'])] })
    expect(deleting.result).toMatchObject({ outcome: 'unreachable', serviceDecided: true })
    const teardown = await run({
      endpointIds: '*',
      waitFor: ['DELETED'],
      lists: [service('DELETING', [])]
    })
    expect(teardown.result.outcome).toBe('reached')
  })

  it("with '*', waits while the service is WAITING_FOR_USER, then checks what it lists", async () => {
    const { result, calls, info } = await run({
      endpointIds: '*',
      reads: { 'vpce-a': [state('AVAILABLE')] },
      lists: [service('WAITING_FOR_USER'), service('INITIATING'), service('AVAILABLE', ['vpce-a'])]
    })
    expect(calls).toEqual(['list', 'list', 'list', 'vpce-a'])
    expect(info[0]).toContain('is WAITING_FOR_USER and lists 0 endpoints')
    expect(result.outcome).toBe('reached')
  })

  it("with '*', times out saying the service is still WAITING_FOR_USER", async () => {
    const { result } = await run({
      endpointIds: '*',
      timeoutMs: 30_000,
      lists: [service('WAITING_FOR_USER')]
    })
    expect(result).toMatchObject({ outcome: 'timeout', serviceDecided: true })
    expect(result.message).toContain('it is still WAITING_FOR_USER')
    expect(result.service?.status).toBe('WAITING_FOR_USER')
    expect(adviceFor(result.outcome, result.error, { serviceStatus: 'WAITING_FOR_USER' })).toBe(
      ADVICE.serviceWaitingForUser
    )
  })

  it('reads the service once when named endpoints time out, and not after a failure to read', async () => {
    const timedOut = await run({
      timeoutMs: 20_000,
      reads: { 'vpce-a': [state('PENDING')] },
      lists: [service('WAITING_FOR_USER', ['vpce-a'])]
    })
    expect(timedOut.result.outcome).toBe('timeout')
    expect(timedOut.calls.filter(call => call === 'list')).toHaveLength(1)
    expect(timedOut.result.service?.status).toBe('WAITING_FOR_USER')

    const refused = new AtlasApiError('Atlas answered HTTP 401.', 401, undefined)
    const failed = await run({ reads: { 'vpce-a': [refused] } })
    expect(failed.result.outcome).toBe('error')
    expect(failed.calls).toEqual(['vpce-a'])
    expect(failed.result.service).toBeUndefined()
  })
})
