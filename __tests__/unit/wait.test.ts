import type { EndpointState } from '../../src/atlas/client.js'
import { CLOUDS } from '../../src/common/clouds.js'
import { Deadline } from '../../src/common/clock.js'
import {
  AtlasApiError,
  CancelledError,
  RetriesExhaustedError,
  TransientError
} from '../../src/common/errors.js'
import type { ServiceRead } from '../../src/atlas/client.js'
import type { DeletionReads } from '../../src/wait/deletion.js'
import type { ClusterState } from '../../src/atlas/cluster.js'
import { ClusterNotFoundError, type ClusterReader } from '../../src/atlas/clusters.js'
import { watchClusters } from '../../src/wait/cluster-watch.js'
import { ClusterFailure, type ClusterWatch } from '../../src/wait/clusters.js'
import { clockTime, FINAL_CHECK_MARGIN_MS, waitForStatus, type WaitOptions } from '../../src/wait/wait.js'
import { FakeClock, recordingLog } from '../helpers/fake-clock.js'
import { endpointState } from '../helpers/states.js'

const ID = 'vpce-0123456789abcdef0'

const state = (status: string, extra: Partial<EndpointState> = {}): EndpointState =>
  endpointState(status, { endpointId: ID, ...extra })
const gone = (): EndpointState => ({ ...state('DELETED'), notFound: true })
const SERVICE_ID = '6a1b2c3d4e5f6a7b8c9d0e1f'
const service = (endpointIds: string[], status = 'AVAILABLE'): ServiceRead => ({
  found: true,
  service: { status, errorMessage: null, endpointIds }
})
const serviceGone: ServiceRead = { found: false, errorCode: 'PRIVATE_ENDPOINT_SERVICE_NOT_FOUND' }

/** The corroborating reads, scripted: the service's answers in turn, the project, the project's services. */
function deletionReads(services: ServiceRead[], project = true, serviceIds: string[] = []) {
  const calls: string[] = []
  const reads: DeletionReads = {
    readService: async () => {
      calls.push('service')
      return services[Math.min(calls.filter(c => c === 'service').length - 1, services.length - 1)]
    },
    projectExists: async () => {
      calls.push('project')
      return project
    },
    listServiceIds: async () => {
      calls.push('services')
      return serviceIds
    }
  }
  return { reads, endpointServiceId: SERVICE_ID, calls }
}

type Step = EndpointState | Error | ((clock: FakeClock) => EndpointState)

/** Reads that answer each endpoint with its steps in turn (throwing the errors), then repeat the last. */
function scripted(steps: Record<string, Step[]>, clock: FakeClock) {
  const calls: string[] = []
  const read = async (id: string): Promise<EndpointState> => {
    const own = steps[id]
    const step = own[Math.min(calls.filter(call => call === id).length, own.length - 1)]
    calls.push(id)
    if (step instanceof Error) throw step
    return typeof step === 'function' ? step(clock) : { ...step, endpointId: id }
  }
  return { read, calls }
}

interface Setup extends Partial<Omit<WaitOptions, 'read' | 'clock' | 'deadline' | 'log'>> {
  steps: Record<string, Step[]> | Step[]
  timeoutMs?: number
}

async function run(setup: Setup) {
  const clock = new FakeClock()
  const start = clock.now()
  const log = recordingLog()
  const steps = Array.isArray(setup.steps) ? { [ID]: setup.steps } : setup.steps
  const { read, calls } = scripted(steps, clock)
  const result = await waitForStatus({
    endpointIds: Object.keys(steps),
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
    read,
    clock,
    deadline: new Deadline(clock, start, setup.timeoutMs ?? 900_000),
    log
  })
  return { result, clock, log, calls, elapsed: clock.now() - start, info: log.text('info').split('\n') }
}

describe('waitForStatus, one endpoint', () => {
  it('follows an endpoint through NONE, PENDING_ACCEPTANCE and PENDING to AVAILABLE', async () => {
    const { result, clock, log, calls, info } = await run({
      steps: [state('NONE'), state('PENDING_ACCEPTANCE'), state('PENDING'), state('AVAILABLE')]
    })
    expect(result).toMatchObject({ outcome: 'reached', message: 'The AWS interface endpoint is AVAILABLE.' })
    expect(result.attempts).toBe(4)
    expect(result.decisive).toMatchObject({ id: ID, reached: true, reachedAtMs: 30_000 })
    expect(result.decisive?.last?.status).toBe('AVAILABLE')
    expect(result.history).toEqual(
      [
        [0, 'NONE'],
        [10_000, 'PENDING_ACCEPTANCE'],
        [20_000, 'PENDING'],
        [30_000, 'AVAILABLE']
      ].map(([atMs, status]) => ({ atMs, endpointId: ID, status }))
    )
    expect(clock.sleeps).toEqual([10_000, 10_000, 10_000])
    expect(calls).toHaveLength(4)
    expect(info).toHaveLength(4)
    expect(info[0]).toBe('[00:00] NONE: waiting for AVAILABLE; next check in 10 s.')
    expect(info[3]).toBe('[00:30] AVAILABLE: reached.')
    expect(log.text('warning')).toBe('')
  })

  it('records a status once however often it is read, and again when it comes back', async () => {
    const { result } = await run({
      steps: [state('PENDING'), state('PENDING'), state('NONE'), state('PENDING'), state('AVAILABLE')]
    })
    expect(result.attempts).toBe(5)
    expect(result.history.map(change => change.status)).toEqual(['PENDING', 'NONE', 'PENDING', 'AVAILABLE'])
  })

  it("stops with 'failed' on a fail-on status, quoting Atlas's errorMessage and the cloud's advice", async () => {
    const { result, clock } = await run({
      steps: [state('PENDING'), state('REJECTED', { errorMessage: 'Endpoint "vpce-1" rejected\nby AWS' })]
    })
    expect(result.outcome).toBe('failed')
    expect(result.attempts).toBe(2)
    expect(result.decisive?.last?.status).toBe('REJECTED')
    expect(result.message).toContain(
      `The AWS interface endpoint ${ID} is REJECTED, which is listed in fail-on.`
    )
    expect(result.message).toContain('Atlas says: "Endpoint \\"vpce-1\\" rejected\\nby AWS".')
    expect(result.message).toContain(CLOUDS.AWS.failureAdvice.REJECTED)
    expect(result.message).not.toContain('\n')
    expect(clock.sleeps).toEqual([10_000])
  })

  it('says so when a failing status comes without an error message, and fails on any fail-on status', async () => {
    expect((await run({ steps: [state('REJECTED')] })).result.message).toContain(
      'Atlas gave no error message'
    )
    const { result } = await run({
      failOn: ['PENDING_ACCEPTANCE'],
      steps: [state('NONE'), state('PENDING_ACCEPTANCE')]
    })
    expect(result).toMatchObject({ outcome: 'failed', attempts: 2 })
  })

  it('reads once and reports any status when wait-for is empty', async () => {
    const { result, clock, calls, info } = await run({
      waitFor: [],
      steps: [state('PENDING'), state('AVAILABLE')]
    })
    expect(result).toMatchObject({
      outcome: 'reported',
      message: 'The AWS interface endpoint is PENDING.',
      attempts: 1
    })
    expect(calls).toHaveLength(1)
    expect(clock.sleeps).toEqual([])
    expect(result.history).toEqual([{ atMs: 0, endpointId: ID, status: 'PENDING' }])
    expect(info).toEqual(['[00:00] PENDING: read once (no wait-for); done.'])
  })

  it('reads once and fails on a fail-on status, or reports it when fail-on is empty', async () => {
    expect((await run({ waitFor: [], steps: [state('REJECTED')] })).result.outcome).toBe('failed')
    expect((await run({ waitFor: [], failOn: [], steps: [state('REJECTED')] })).result.outcome).toBe(
      'reported'
    )
  })
})

describe('waitForStatus and deletion (deleteRequested)', () => {
  it('does not count AVAILABLE with deleteRequested as reaching AVAILABLE: it is unreachable', async () => {
    const { result, clock, calls } = await run({ steps: [state('AVAILABLE', { deleteRequested: true })] })
    expect(result.outcome).toBe('unreachable')
    expect(result.decisive?.reached).toBe(false)
    expect(calls).toHaveLength(1)
    expect(clock.sleeps).toEqual([])
    expect(result.message).toContain('can no longer become AVAILABLE')
    expect(result.message).toContain('request to delete it (deleteRequested: true)')
  })

  it('takes deleteRequested and DELETING as progress when DELETED is the goal, and a 404 as arrival', async () => {
    const { result } = await run({
      waitFor: ['DELETED'],
      steps: [
        state('AVAILABLE', { deleteRequested: true }),
        state('DELETING', { deleteRequested: true }),
        gone()
      ],
      deletion: deletionReads([service([])])
    })
    expect(result).toMatchObject({ outcome: 'reached', attempts: 3 })
    expect(result.message).toBe(
      'The AWS interface endpoint is DELETED (not found, and the endpoint service confirms it).'
    )
    expect(result.history.map(change => change.status)).toEqual([
      'AVAILABLE (delete requested)',
      'DELETING (delete requested)',
      'DELETED'
    ])
  })

  it('records a delete request in the history even when the status stays the same', async () => {
    const { result } = await run({
      waitFor: ['AVAILABLE'],
      steps: [state('PENDING'), state('PENDING', { deleteRequested: true })]
    })
    expect(result.outcome).toBe('unreachable')
    expect(result.history.map(change => change.status)).toEqual(['PENDING', 'PENDING (delete requested)'])
  })

  it('fails a read-once of an endpoint being deleted, unless fail-on is empty', async () => {
    const failing = await run({ waitFor: [], steps: [state('AVAILABLE', { deleteRequested: true })] })
    expect(failing.result.outcome).toBe('unreachable')
    expect(failing.result.message).toContain('request to delete it')
    const off = await run({ waitFor: [], failOn: [], steps: [state('AVAILABLE', { deleteRequested: true })] })
    expect(off.result.outcome).toBe('reported')
    expect(off.result.message).toContain('request to delete it (deleteRequested: true)')
    expect(off.result.message).toContain('fail-on is empty')
  })
})

describe('waitForStatus and DELETED: a 404 is corroborated by the endpoint service', () => {
  const ID2 = 'vpce-0123456789abcdef1'

  it('counts a 404 as DELETED when the service, read in the same check, no longer lists the endpoint', async () => {
    const deletion = deletionReads([service([ID2])])
    const { result, calls, log } = await run({
      waitFor: ['DELETED'],
      steps: [state('DELETING'), gone()],
      deletion
    })
    expect(result.outcome).toBe('reached')
    expect(calls).toEqual([ID, ID])
    expect(deletion.calls).toEqual(['service'])
    expect(log.text('warning')).toBe('')
    expect(result.service?.endpointIds).toEqual([ID2])
  })

  it('keeps waiting while the service still lists the endpoint, and times out rather than pass', async () => {
    const deletion = deletionReads([service([ID])])
    const { result, info } = await run({ waitFor: ['DELETED'], steps: [gone()], deletion, timeoutMs: 30_000 })
    expect(result.outcome).toBe('timeout')
    expect(info[1]).toContain('not found, but the endpoint service still lists it: not deleted yet')
  })

  it('counts a gone service as proof only when the project is there, at most 3 extra requests per 404', async () => {
    const deletion = deletionReads([serviceGone], true, ['0123456789abcdef01234567'])
    const { result } = await run({ waitFor: ['DELETED'], steps: [state('DELETING'), gone()], deletion })
    expect(result.outcome).toBe('reached')
    expect(deletion.calls).toEqual(['service', 'project', 'services'])

    const noProject = deletionReads([serviceGone], false)
    const refused = await run({ waitFor: ['DELETED'], steps: [gone()], deletion: noProject })
    expect(refused.result.outcome).toBe('error')
    expect(refused.result.message).toContain('project-id is wrong')
    expect(noProject.calls).toEqual(['service', 'project'])
  })

  it('fails on a never-seen endpoint ID within 2 edits of one the service lists', async () => {
    const near = 'vpce-0123456789abcdef9'
    const { result } = await run({
      waitFor: ['DELETED'],
      steps: [gone()],
      deletion: deletionReads([service([near])])
    })
    expect(result.outcome).toBe('error')
    expect(result.message).toBe(
      `Atlas has no endpoint ${ID}; the endpoint service lists ${near}. Is endpoint-id mistyped?`
    )
  })

  it('fails on a missing endpoint service whose ID is within 2 edits of one the project has', async () => {
    const near = '6a1b2c3d4e5f6a7b8c9d0e2f'
    const { result } = await run({
      waitFor: ['DELETED'],
      steps: [gone()],
      deletion: deletionReads([serviceGone], true, [near])
    })
    expect(result.outcome).toBe('error')
    expect(result.message).toContain(
      `the project has the endpoint service ${near}. Is endpoint-service-id mistyped?`
    )
  })

  it('passes a never-seen endpoint with no near ID, saying plainly that it was not found at the first read', async () => {
    const { result, log } = await run({
      waitFor: ['DELETED'],
      steps: [gone()],
      deletion: deletionReads([service(['vpce-fedcba98765432100'])])
    })
    expect(result.outcome).toBe('reached')
    expect(log.text('warning')).toContain(
      `${ID} was not found at its first read: it was deleted before this step, or it never existed; the endpoint service lists one endpoint: "vpce-fedcba98765432100".`
    )
    expect(result.notes).toHaveLength(1)
  })

  it('does not call a seen endpoint mistyped when a near ID is listed', async () => {
    const { result } = await run({
      waitFor: ['DELETED'],
      steps: [state('DELETING'), gone()],
      deletion: deletionReads([service(['vpce-0123456789abcdef9'])])
    })
    expect(result.outcome).toBe('reached')
    expect(result.notes).toEqual([])
  })
})

describe('waitForStatus with several endpoints: one-moment verdicts', () => {
  const A = 'vpce-0000000000000000a'
  const B = 'vpce-0000000000000000b'

  it('reads an endpoint that arrived earlier again before passing (K - 1 extra reads at most)', async () => {
    const { result, calls } = await run({
      steps: { [A]: [state('AVAILABLE')], [B]: [state('PENDING'), state('AVAILABLE')] }
    })
    expect(result.outcome).toBe('reached')
    expect(calls).toEqual([A, B, B, A])
  })

  it('fails when an endpoint that arrived turns REJECTED before the last one arrives', async () => {
    const { result } = await run({
      steps: { [A]: [state('AVAILABLE'), state('REJECTED')], [B]: [state('PENDING'), state('AVAILABLE')] }
    })
    expect(result.outcome).toBe('failed')
    expect(result.decisive?.id).toBe(A)
  })

  it('keeps waiting when an endpoint that arrived is no longer there at the confirmation', async () => {
    const { result, calls, info } = await run({
      steps: {
        [A]: [state('AVAILABLE'), state('PENDING'), state('AVAILABLE')],
        [B]: [state('PENDING'), state('AVAILABLE')]
      }
    })
    expect(result.outcome).toBe('reached')
    // Check 3 finds A back; B, which arrived in check 2, is read again in the same moment.
    expect(calls).toEqual([A, B, B, A, A, B])
    expect(info.join('\n')).toContain(`${A}: PENDING: no longer AVAILABLE; waiting for it again`)
  })
})

describe('waitForStatus and statuses the cloud does not list', () => {
  it('does not call a status named in fail-on unknown, and stops on it', async () => {
    const { result, log } = await run({ failOn: ['REJECTED', 'FAILED'], steps: [state('FAILED')] })
    expect(result.outcome).toBe('failed')
    expect(log.text('warning')).toBe('')
  })
})

describe('waitForStatus and the deadline', () => {
  it('shortens the last pause so that a last check comes just before the deadline', async () => {
    const { result, clock, calls, info, elapsed } = await run({
      timeoutMs: 5_000,
      intervalMs: 5_000,
      steps: [state('PENDING')]
    })
    expect(clock.sleeps).toEqual([5_000 - FINAL_CHECK_MARGIN_MS])
    expect(calls).toHaveLength(2)
    expect(result.outcome).toBe('timeout')
    expect(result.decisive?.id).toBe(ID)
    expect(info[0]).toBe(
      '[00:00] PENDING: waiting for AVAILABLE; last check in 4.5 s, just before the deadline.'
    )
    expect(result.message).toContain('timeout-seconds: 5')
    expect(result.message).toContain('Waited 4.5 s;')
    expect(result.message).toContain('the last status was PENDING (2 reads)')
    expect(elapsed).toBeLessThanOrEqual(5_000)
  })

  it('counts the time a read takes against the last pause', async () => {
    const slow = (clock: FakeClock): EndpointState => {
      clock.advance(200)
      return state('PENDING')
    }
    const { result, clock, elapsed } = await run({ timeoutMs: 5_000, intervalMs: 5_000, steps: [slow] })
    expect(clock.sleeps).toEqual([4_300])
    expect(elapsed).toBe(4_700)
    expect(result.message).toContain('Waited 4.7 s;')
  })

  it('never sleeps past the deadline and stops within the margin of it, whatever the timings', async () => {
    for (const timeoutMs of [1_000, 5_000, 12_000, 30_000])
      for (const intervalMs of [1_000, 5_000, 10_000])
        for (const readMs of [0, 100, 400]) {
          const read = (clock: FakeClock): EndpointState => {
            clock.advance(readMs)
            return state('PENDING')
          }
          const { result, elapsed } = await run({ timeoutMs, intervalMs, steps: [read] })
          expect(result.outcome).toBe('timeout')
          expect(elapsed).toBeLessThanOrEqual(timeoutMs)
          expect(elapsed).toBeGreaterThanOrEqual(timeoutMs - FINAL_CHECK_MARGIN_MS)
        }
  })

  it('times out after 60 s of 10 s checks, with a last check at 59.5 s', async () => {
    const { result, clock } = await run({ timeoutMs: 60_000, steps: [state('PENDING')] })
    expect(clock.sleeps).toEqual([10_000, 10_000, 10_000, 10_000, 10_000, 9_500])
    expect(result).toMatchObject({ outcome: 'timeout', attempts: 7 })
    expect(result.history).toEqual([{ atMs: 0, endpointId: ID, status: 'PENDING' }])
    expect(result.message).toContain('Timed out waiting for AVAILABLE (timeout-seconds: 60)')
    expect(result.message).toContain('no time was left for another check.')
    expect(result.message).toContain('Waited 59.5 s')
  })

  it('times out rather than start a retry pause that ends after the deadline', async () => {
    const { result, clock, log } = await run({
      timeoutMs: 60_000,
      steps: [state('PENDING'), new TransientError('Atlas answered HTTP 429.', 120_000, true)]
    })
    expect(result).toMatchObject({ outcome: 'timeout', attempts: 1 })
    expect(result.message).toContain('Atlas answered HTTP 429.')
    expect(result.message).toContain('Atlas asked to wait 120 s, past the deadline')
    expect(result.message).toContain('Waited 10 s')
    expect(clock.sleeps).toEqual([10_000])
    expect(log.text('info')).toContain('Atlas asked to wait 120 s, past the deadline')
  })
})

describe('waitForStatus and failures along the way', () => {
  it('warns once about a status it does not know, and keeps waiting', async () => {
    const { result, log } = await run({
      steps: [state('PENDING_RECONNECT'), state('PENDING'), state('PENDING_RECONNECT'), state('AVAILABLE')]
    })
    const warnings = log.lines.filter(line => line.level === 'warning')
    expect(warnings).toHaveLength(1)
    expect(warnings[0].message).toContain('"PENDING_RECONNECT"')
    expect(warnings[0].message).toContain('keeps waiting for AVAILABLE')
    expect(warnings[0].title).toBe('Unknown status')
    expect(result).toMatchObject({ outcome: 'reached', attempts: 4 })
  })

  it('retries transient errors without counting them as reads', async () => {
    const { result, clock, calls, log } = await run({
      steps: [
        state('PENDING'),
        new TransientError('The connection was reset.'),
        new TransientError('Atlas answered HTTP 503.'),
        state('AVAILABLE')
      ]
    })
    expect(result).toMatchObject({ outcome: 'reached', attempts: 2 })
    expect(calls).toHaveLength(4)
    expect(clock.sleeps).toEqual([10_000, 500, 1_000])
    expect(result.history.map(change => change.atMs)).toEqual([0, 11_500])
    expect(log.text('info')).toContain('The connection was reset. Retry 1 of 5 in 0.5 s.')
    expect(log.text('info')).toContain('Atlas answered HTTP 503. Retry 2 of 5 in 1 s.')
  })

  it('starts the retry count afresh after each good read', async () => {
    const reset = (): TransientError => new TransientError('The connection was reset.')
    const { result } = await run({
      maxRetries: 2,
      steps: [reset(), reset(), state('PENDING'), reset(), reset(), state('PENDING'), state('AVAILABLE')]
    })
    expect(result).toMatchObject({ outcome: 'reached', attempts: 3 })
  })

  it("ends with 'error' when retries are exhausted, keeping the error for the advice", async () => {
    const { result, calls, log } = await run({
      maxRetries: 2,
      steps: [state('PENDING'), new TransientError('Atlas answered HTTP 503.')]
    })
    expect(result).toMatchObject({ outcome: 'error', attempts: 1 })
    expect(result.error).toBeInstanceOf(RetriesExhaustedError)
    expect(result.decisive?.last?.status).toBe('PENDING')
    expect(result.message).toContain('Gave up after 3 failed tries in a row (max-retries: 2).')
    expect(calls).toHaveLength(4)
    expect(log.text('debug')).toContain('RetriesExhaustedError')
  })

  it("ends with 'error' at once on an AtlasApiError", async () => {
    const refused = new AtlasApiError('Atlas answered HTTP 401. Check the API key.', 401, 'UNAUTHORIZED')
    const { result, clock, calls } = await run({ steps: [refused, state('AVAILABLE')] })
    expect(result).toMatchObject({ outcome: 'error', message: refused.message, attempts: 0, history: [] })
    expect(result.error).toBe(refused)
    expect(result.decisive).toMatchObject({ id: ID })
    expect(result.decisive?.last).toBeUndefined()
    expect(calls).toHaveLength(1)
    expect(clock.sleeps).toEqual([])
  })

  it("ends with 'cancelled' when the job is cancelled, keeping the last status", async () => {
    const controller = new AbortController()
    const cancelOnRead = (): EndpointState => {
      controller.abort(new CancelledError('SIGTERM'))
      return state('PENDING')
    }
    const { result, clock } = await run({ signal: controller.signal, steps: [state('NONE'), cancelOnRead] })
    expect(result).toMatchObject({ outcome: 'cancelled', attempts: 2 })
    expect(result.message).toContain('SIGTERM')
    expect(result.message).toContain('The last status read was PENDING.')
    expect(clock.sleeps).toEqual([10_000])
  })

  it("ends with 'cancelled' during a retry pause before any status was read", async () => {
    const controller = new AbortController()
    controller.abort(new CancelledError('SIGINT'))
    const { result } = await run({ signal: controller.signal, steps: [new TransientError('reset')] })
    expect(result.outcome).toBe('cancelled')
    expect(result.message).toContain('SIGINT')
    expect(result.message).not.toContain('last status')
  })
})

describe('clockTime', () => {
  it.each([
    [0, '00:00'],
    [999, '00:00'],
    [75_000, '01:15'],
    [3_599_000, '59:59'],
    [3_723_000, '1:02:03'],
    [-5_000, '00:00']
  ])('shows %i ms as %s', (ms, shown) => {
    expect(clockTime(ms)).toBe(shown)
  })
})

describe('waitForStatus with clusters (cluster-name)', () => {
  const entry = (ids: string[]) => ({
    connectionString: 'mongodb://pl-0-us-east-1.abcde.mongodb.net:1024/?ssl=true',
    srvConnectionString: 'mongodb+srv://cluster0-pl-0.abcde.mongodb.net',
    srvShardOptimizedConnectionString: '',
    type: 'MONGOD',
    endpoints: ids.map(endpointId => ({ endpointId, providerName: 'AWS', region: 'US_EAST_1' }))
  })
  const cluster = (stateName: string, ids: string[] = [], paused = false): ClusterState => ({
    name: 'Cluster0',
    stateName,
    paused,
    entries: ids.length > 0 ? [entry(ids)] : [],
    raw: '{}'
  })

  function watch(states: (ClusterState | Error)[], names = ['Cluster0'], near?: string) {
    const calls: string[] = []
    // The real watch, over a scripted reader.
    const reader = {
      readCluster: async (name: string): Promise<ClusterState> => {
        const step = states[Math.min(calls.filter(c => c === name).length, states.length - 1)]
        calls.push(name)
        if (step instanceof Error) throw step
        return { ...step, name }
      },
      listClusterNames: async () => (near ? [near] : [])
    }
    const clusters: ClusterWatch = watchClusters(reader as unknown as ClusterReader, names, CLOUDS.AWS)
    return { clusters, calls }
  }

  it('reads the clusters only once the endpoint has arrived, and passes when the cluster serves it', async () => {
    const { clusters, calls: clusterCalls } = watch([cluster('UPDATING'), cluster('IDLE', [ID])])
    const { result, calls, history } = await run({
      steps: [state('PENDING'), state('AVAILABLE')],
      clusters
    }).then(r => ({ ...r, history: r.result.history }))
    expect(result.outcome).toBe('reached')
    // Check 1: endpoint PENDING, no cluster read. Check 2: AVAILABLE, cluster UPDATING. Check 3:
    // cluster ready; the endpoint that arrived in check 2 is read again in the same moment.
    expect(calls).toEqual([ID, ID, ID])
    expect(clusterCalls).toEqual(['Cluster0', 'Cluster0'])
    expect(result.clusters?.[0]).toMatchObject({ ready: true })
    expect(history.map(change => `${change.endpointId}:${change.status}`)).toContain(
      'cluster Cluster0:IDLE, ready'
    )
  })

  it('times out naming the cluster when the endpoints are ready but it does not list them', async () => {
    const { clusters } = watch([cluster('IDLE', ['vpce-0fffffffffffffff0'])])
    const { result } = await run({ steps: [state('AVAILABLE')], clusters, timeoutMs: 30_000 })
    expect(result.outcome).toBe('timeout')
    expect(result.decidingClusters?.map(c => c.name)).toEqual(['Cluster0'])
    expect(result.message).toContain(
      `the endpoints are ready, but cluster Cluster0 is IDLE; its private connection strings do not list ${ID}`
    )
  })

  it('fails at once on a paused cluster, and on a missing one, naming a near name', async () => {
    const paused = await run({
      steps: [state('AVAILABLE')],
      clusters: watch([cluster('IDLE', [ID], true)]).clusters
    })
    expect(paused.result.outcome).toBe('failed')
    expect(paused.result.error).toBeInstanceOf(ClusterFailure)
    expect((paused.result.error as ClusterFailure).problem).toBe('paused')

    const missing = new ClusterNotFoundError(
      'Atlas has no cluster named "Clustr0".',
      'Clustr0',
      'CLUSTER_NOT_FOUND'
    )
    const typo = await run({
      steps: [state('AVAILABLE')],
      clusters: watch([missing], ['Clustr0'], 'Cluster0').clusters
    })
    expect(typo.result.outcome).toBe('failed')
    expect(typo.result.message).toContain(
      'Atlas has no cluster named Clustr0 in this project; it has a cluster named Cluster0'
    )
  })

  it('reads the clusters once and reports them when wait-for is empty, whatever they say', async () => {
    const { clusters, calls: clusterCalls } = watch([cluster('UPDATING')])
    const { result } = await run({ waitFor: [], steps: [state('AVAILABLE')], clusters })
    expect(result.outcome).toBe('reported')
    expect(clusterCalls).toEqual(['Cluster0'])
    expect(result.clusters?.[0]).toMatchObject({ ready: false })
  })
})
