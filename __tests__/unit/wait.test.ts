import type { EndpointState } from '../../src/atlas/client.js'
import { Deadline } from '../../src/common/clock.js'
import type { KnownStatus } from '../../src/common/constants.js'
import {
  AtlasApiError,
  CancelledError,
  RetriesExhaustedError,
  TransientError
} from '../../src/common/errors.js'
import { clockTime, waitForStatus, type WaitOptions } from '../../src/wait/wait.js'
import { FakeClock, recordingLog } from '../helpers/fake-clock.js'
import { IDS } from '../helpers/ids.js'

function state(
  connectionStatus: string,
  extra: { deleteRequested?: boolean; errorMessage?: string | null } = {}
): EndpointState {
  const deleteRequested = extra.deleteRequested ?? false
  const errorMessage = extra.errorMessage ?? null
  return {
    connectionStatus,
    deleteRequested,
    errorMessage,
    interfaceEndpointId: IDS.interfaceEndpointId,
    body: { connectionStatus, deleteRequested, errorMessage, interfaceEndpointId: IDS.interfaceEndpointId }
  }
}

/** A read that answers with each step in turn (throwing the errors), then repeats the last. */
function scriptedRead(steps: (EndpointState | Error)[]) {
  const read = async (): Promise<EndpointState> => {
    const step = steps[Math.min(read.calls, steps.length - 1)]
    read.calls += 1
    if (step instanceof Error) throw step
    return step
  }
  read.calls = 0
  return read
}

interface Setup {
  waitFor?: KnownStatus[]
  failOn?: KnownStatus[]
  intervalMs?: number
  timeoutMs?: number
  maxRetries?: number
  signal?: AbortSignal
  read: () => Promise<EndpointState>
}

async function run(setup: Setup) {
  const clock = new FakeClock()
  const log = recordingLog()
  const options: WaitOptions = {
    waitFor: setup.waitFor ?? ['AVAILABLE'],
    failOn: setup.failOn ?? ['REJECTED'],
    intervalMs: setup.intervalMs ?? 10_000,
    maxRetries: setup.maxRetries ?? 5,
    read: setup.read,
    clock,
    deadline: new Deadline(clock, clock.now(), setup.timeoutMs ?? 900_000),
    signal: setup.signal ?? new AbortController().signal,
    random: () => 0.5,
    log
  }
  const result = await waitForStatus(options)
  return { result, clock, log }
}

describe('waitForStatus', () => {
  it('follows an endpoint through NONE, PENDING_ACCEPTANCE and PENDING to AVAILABLE', async () => {
    const read = scriptedRead([
      state('NONE'),
      state('PENDING_ACCEPTANCE'),
      state('PENDING'),
      state('AVAILABLE')
    ])
    const { result, clock, log } = await run({ read })
    expect(result.outcome).toBe('reached')
    expect(result.message).toBe('The interface endpoint is AVAILABLE.')
    expect(result.attempts).toBe(4)
    expect(result.last?.connectionStatus).toBe('AVAILABLE')
    expect(result.history).toEqual([
      { atMs: 0, status: 'NONE' },
      { atMs: 10_000, status: 'PENDING_ACCEPTANCE' },
      { atMs: 20_000, status: 'PENDING' },
      { atMs: 30_000, status: 'AVAILABLE' }
    ])
    expect(clock.sleeps).toEqual([10_000, 10_000, 10_000])
    expect(read.calls).toBe(4)
    const info = log.lines.filter(line => line.level === 'info').map(line => line.message)
    expect(info).toHaveLength(4)
    expect(info[0]).toBe('[00:00] NONE: waiting for AVAILABLE; next check in 10 s.')
    expect(info[3]).toBe('[00:30] AVAILABLE: reached; done.')
    expect(log.lines.filter(line => line.level === 'warning')).toEqual([])
  })

  it('records a status once however many times it is read', async () => {
    const read = scriptedRead([state('PENDING'), state('PENDING'), state('PENDING'), state('AVAILABLE')])
    const { result } = await run({ read })
    expect(result.outcome).toBe('reached')
    expect(result.attempts).toBe(4)
    expect(result.history).toEqual([
      { atMs: 0, status: 'PENDING' },
      { atMs: 30_000, status: 'AVAILABLE' }
    ])
  })

  it('records a status again when it comes back after another', async () => {
    const read = scriptedRead([state('PENDING'), state('NONE'), state('PENDING'), state('AVAILABLE')])
    const { result } = await run({ read })
    expect(result.history.map(change => change.status)).toEqual(['PENDING', 'NONE', 'PENDING', 'AVAILABLE'])
  })

  it('stops with "failed" on a fail-on status, quoting the errorMessage Atlas gave', async () => {
    const read = scriptedRead([
      state('PENDING'),
      state('REJECTED', { errorMessage: 'Endpoint "vpce-1" rejected\nby AWS' })
    ])
    const { result, clock } = await run({ read })
    expect(result.outcome).toBe('failed')
    expect(result.attempts).toBe(2)
    expect(result.last?.connectionStatus).toBe('REJECTED')
    expect(result.message).toContain('REJECTED, which is listed in fail-on')
    expect(result.message).toContain('Atlas says: "Endpoint \\"vpce-1\\" rejected\\nby AWS"')
    expect(result.message).not.toContain('\n')
    expect(clock.sleeps).toEqual([10_000])
  })

  it('says so when a failing status comes without an error message', async () => {
    const { result } = await run({ read: scriptedRead([state('REJECTED', { errorMessage: null })]) })
    expect(result.outcome).toBe('failed')
    expect(result.message).toContain('Atlas gave no error message')
  })

  it('fails on any status listed in fail-on, not only REJECTED', async () => {
    const { result } = await run({
      failOn: ['PENDING_ACCEPTANCE'],
      read: scriptedRead([state('NONE'), state('PENDING_ACCEPTANCE')])
    })
    expect(result.outcome).toBe('failed')
    expect(result.attempts).toBe(2)
  })

  it('reads once and reports any status when wait-for is empty', async () => {
    const read = scriptedRead([state('PENDING'), state('AVAILABLE')])
    const { result, clock, log } = await run({ waitFor: [], read })
    expect(result.outcome).toBe('reported')
    expect(result.message).toBe('The interface endpoint is PENDING.')
    expect(result.attempts).toBe(1)
    expect(read.calls).toBe(1)
    expect(clock.sleeps).toEqual([])
    expect(result.history).toEqual([{ atMs: 0, status: 'PENDING' }])
    expect(log.text('info')).toContain('read once')
  })

  it('reads once and fails on a fail-on status when wait-for is empty', async () => {
    const read = scriptedRead([state('REJECTED', { errorMessage: 'no' })])
    const { result } = await run({ waitFor: [], read })
    expect(result.outcome).toBe('failed')
    expect(result.attempts).toBe(1)
  })

  it('reads once and reports REJECTED when fail-on is empty', async () => {
    const { result } = await run({ waitFor: [], failOn: [], read: scriptedRead([state('REJECTED')]) })
    expect(result.outcome).toBe('reported')
  })

  it('stops at once as "unreachable" when deletion was requested while waiting for AVAILABLE', async () => {
    const read = scriptedRead([state('PENDING', { deleteRequested: true }), state('AVAILABLE')])
    const { result, clock } = await run({ read })
    expect(result.outcome).toBe('unreachable')
    expect(result.attempts).toBe(1)
    expect(read.calls).toBe(1)
    expect(clock.sleeps).toEqual([])
    expect(result.message).toContain('can no longer become AVAILABLE')
    expect(result.message).toContain('deleteRequested: true')
  })

  it('stops as "unreachable" on DELETING while waiting for AVAILABLE', async () => {
    const read = scriptedRead([state('PENDING'), state('DELETING'), state('AVAILABLE')])
    const { result } = await run({ read })
    expect(result.outcome).toBe('unreachable')
    expect(result.attempts).toBe(2)
    expect(result.last?.connectionStatus).toBe('DELETING')
    expect(result.message).toContain('(DELETING)')
  })

  it('keeps waiting through deleteRequested when DELETING is the goal', async () => {
    const read = scriptedRead([
      state('AVAILABLE', { deleteRequested: true }),
      state('AVAILABLE', { deleteRequested: true }),
      state('DELETING', { deleteRequested: true })
    ])
    const { result, clock } = await run({ waitFor: ['DELETING'], read })
    expect(result.outcome).toBe('reached')
    expect(result.attempts).toBe(3)
    expect(result.last?.connectionStatus).toBe('DELETING')
    expect(clock.sleeps).toEqual([10_000, 10_000])
  })

  it('times out without sleeping past the deadline', async () => {
    const read = scriptedRead([state('PENDING')])
    const { result, clock, log } = await run({ timeoutMs: 60_000, intervalMs: 10_000, read })
    expect(result.outcome).toBe('timeout')
    expect(result.last?.connectionStatus).toBe('PENDING')
    expect(clock.sleeps.reduce((sum, ms) => sum + ms, 0)).toBeLessThan(60_000)
    expect(clock.sleeps).toEqual([10_000, 10_000, 10_000, 10_000, 10_000])
    expect(result.attempts).toBe(6)
    expect(result.history).toEqual([{ atMs: 0, status: 'PENDING' }])
    expect(result.message).toContain('waiting for AVAILABLE')
    expect(result.message).toContain('the last status was PENDING')
    expect(result.message).toContain('timeout-seconds: 60')
    expect(log.text('info')).toContain('after the deadline')
  })

  it('names every target status when it times out', async () => {
    const { result } = await run({
      waitFor: ['AVAILABLE', 'DELETING'],
      timeoutMs: 15_000,
      read: scriptedRead([state('NONE')])
    })
    expect(result.outcome).toBe('timeout')
    expect(result.message).toContain('AVAILABLE or DELETING')
    expect(result.message).toContain('the last status was NONE')
  })

  it('times out rather than start a retry pause that ends after the deadline', async () => {
    const read = scriptedRead([
      state('PENDING'),
      new TransientError('Atlas answered HTTP 429.', 120_000, true)
    ])
    const { result, clock } = await run({ timeoutMs: 60_000, read })
    expect(result.outcome).toBe('timeout')
    expect(result.last?.connectionStatus).toBe('PENDING')
    expect(result.attempts).toBe(1)
    expect(result.message).toContain('Atlas answered HTTP 429.')
    expect(result.message).toContain('after the deadline')
    expect(clock.sleeps).toEqual([10_000])
  })

  it('warns once about a status it does not know, and keeps waiting', async () => {
    const read = scriptedRead([
      state('PENDING_RECONNECT'),
      state('PENDING_RECONNECT'),
      state('PENDING'),
      state('PENDING_RECONNECT'),
      state('AVAILABLE')
    ])
    const { result, log } = await run({ read })
    const warnings = log.lines.filter(line => line.level === 'warning')
    expect(warnings).toHaveLength(1)
    expect(warnings[0].message).toContain('"PENDING_RECONNECT"')
    expect(warnings[0].message).toContain('keeps waiting for AVAILABLE')
    expect(warnings[0].title).toBe('Unknown connection status')
    expect(result.outcome).toBe('reached')
    expect(result.attempts).toBe(5)
  })

  it('reports an unknown status as is when reading once', async () => {
    const { result, log } = await run({ waitFor: [], read: scriptedRead([state('PENDING_RECONNECT')]) })
    expect(result.outcome).toBe('reported')
    expect(result.last?.connectionStatus).toBe('PENDING_RECONNECT')
    expect(log.lines.filter(line => line.level === 'warning')).toHaveLength(1)
  })

  it('retries transient errors without counting them as attempts', async () => {
    const read = scriptedRead([
      state('PENDING'),
      new TransientError('The connection was reset.'),
      new TransientError('Atlas answered HTTP 503.'),
      state('AVAILABLE')
    ])
    const { result, clock, log } = await run({ read })
    expect(result.outcome).toBe('reached')
    expect(result.attempts).toBe(2)
    expect(read.calls).toBe(4)
    expect(clock.sleeps).toEqual([10_000, 500, 1_000])
    expect(result.history).toEqual([
      { atMs: 0, status: 'PENDING' },
      { atMs: 11_500, status: 'AVAILABLE' }
    ])
    expect(log.text('info')).toContain('The connection was reset. Retry 1 of 5 in 0.5 s.')
    expect(log.text('info')).toContain('Atlas answered HTTP 503. Retry 2 of 5 in 1 s.')
  })

  it('starts the retry count afresh after each good read', async () => {
    const reset = (): TransientError => new TransientError('The connection was reset.')
    const read = scriptedRead([
      reset(),
      reset(),
      state('PENDING'),
      reset(),
      reset(),
      state('PENDING'),
      state('AVAILABLE')
    ])
    const { result } = await run({ maxRetries: 2, read })
    expect(result.outcome).toBe('reached')
    expect(result.attempts).toBe(3)
  })

  it('ends with "error" when retries are exhausted', async () => {
    const read = scriptedRead([state('PENDING'), new TransientError('Atlas answered HTTP 503.')])
    const { result, log } = await run({ maxRetries: 2, read })
    expect(result.outcome).toBe('error')
    expect(result.attempts).toBe(1)
    expect(result.last?.connectionStatus).toBe('PENDING')
    expect(result.message).toContain('Atlas answered HTTP 503.')
    expect(result.message).toContain('Gave up after 3 failed tries in a row (max-retries: 2).')
    expect(read.calls).toBe(4)
    expect(log.text('debug')).toContain('RetriesExhaustedError')
  })

  it('ends with "error" and the message of a RetriesExhaustedError thrown by the read', async () => {
    const exhausted = new RetriesExhaustedError('Gave up.', new TransientError('503'))
    const { result } = await run({ read: scriptedRead([exhausted]) })
    expect(result).toMatchObject({ outcome: 'error', message: 'Gave up.', attempts: 0, history: [] })
    expect(result.last).toBeUndefined()
  })

  it('ends with "error" at once on an AtlasApiError', async () => {
    const read = scriptedRead([
      new AtlasApiError('Atlas answered HTTP 401 Unauthorized. Check the API key.', 401, 'UNAUTHORIZED'),
      state('AVAILABLE')
    ])
    const { result, clock } = await run({ read })
    expect(result.outcome).toBe('error')
    expect(result.message).toBe('Atlas answered HTTP 401 Unauthorized. Check the API key.')
    expect(result.attempts).toBe(0)
    expect(result.last).toBeUndefined()
    expect(read.calls).toBe(1)
    expect(clock.sleeps).toEqual([])
  })

  it('ends with "cancelled" when the job is cancelled, keeping the last status', async () => {
    const controller = new AbortController()
    let calls = 0
    const read = async (): Promise<EndpointState> => {
      calls += 1
      if (calls === 2) controller.abort(new CancelledError('SIGTERM'))
      return state(calls === 1 ? 'NONE' : 'PENDING')
    }
    const { result, clock } = await run({ read, signal: controller.signal })
    expect(result.outcome).toBe('cancelled')
    expect(result.message).toContain('SIGTERM')
    expect(result.message).toContain('The last status read was PENDING.')
    expect(result.last?.connectionStatus).toBe('PENDING')
    expect(result.attempts).toBe(2)
    expect(calls).toBe(2)
    expect(clock.sleeps).toEqual([10_000])
  })

  it('ends with "cancelled" during a retry pause before any status was read', async () => {
    const controller = new AbortController()
    const read = async (): Promise<EndpointState> => {
      controller.abort(new CancelledError('SIGINT'))
      throw new TransientError('The connection was reset.')
    }
    const { result } = await run({ read, signal: controller.signal })
    expect(result.outcome).toBe('cancelled')
    expect(result.message).toContain('SIGINT')
    expect(result.message).not.toContain('last status')
    expect(result.last).toBeUndefined()
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
