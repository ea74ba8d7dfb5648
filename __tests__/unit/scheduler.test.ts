import { CancelledError } from '../../src/common/errors.js'
import { MAX_READS_IN_FLIGHT, ReadScheduler, type Task } from '../../src/wait/scheduler.js'
import { recordingLog } from '../helpers/fake-clock.js'
import { ManualClock, settle } from '../helpers/manual-clock.js'

const T0 = Date.UTC(2026, 10, 28, 12, 0, 0)

/** Headers as an answer carries them. */
const headers = (values: Record<string, string>) => new Headers(values)

/** Tasks the test finishes by hand, recording when each started and how many ran at once. */
function controlled(count: number, clock: ManualClock) {
  const starts: { index: number; at: number }[] = []
  const finishers: { resolve: (v: string) => void; reject: (e: unknown) => void }[] = []
  const signals: AbortSignal[] = []
  let running = 0
  let maxRunning = 0
  const tasks: Task<string>[] = Array.from({ length: count }, (_, index) => signal => {
    starts.push({ index, at: clock.now() - T0 })
    signals[index] = signal
    running += 1
    maxRunning = Math.max(maxRunning, running)
    return new Promise<string>((resolve, reject) => {
      finishers[index] = {
        resolve: v => {
          running -= 1
          resolve(v)
        },
        reject: e => {
          running -= 1
          reject(e)
        }
      }
    })
  })
  return {
    tasks,
    starts,
    signals,
    started: () => starts.map(s => s.index),
    finish: (index: number, value = `read ${index}`) => finishers[index].resolve(value),
    fail: (index: number, error: unknown) => finishers[index].reject(error),
    get maxRunning() {
      return maxRunning
    },
    get running() {
      return running
    }
  }
}

function setup(intervalMs = 10_000, limit?: number) {
  const clock = new ManualClock(T0)
  const log = recordingLog()
  const scheduler = new ReadScheduler({ clock, log, intervalMs, limit })
  return { clock, log, scheduler }
}

let unhandled: unknown[] = []
const onUnhandled = (reason: unknown): void => void unhandled.push(reason)
beforeEach(() => {
  unhandled = []
  process.on('unhandledRejection', onUnhandled)
})
afterEach(() => {
  process.off('unhandledRejection', onUnhandled)
})

describe('ReadScheduler.run', () => {
  it('returns results in input order, and tells them in input order, whatever order they finish in', async () => {
    const { clock, scheduler } = setup()
    const reads = controlled(6, clock)
    const told: number[] = []
    const running = scheduler.run(reads.tasks, { onResult: (_r, index) => told.push(index) })
    await settle()
    for (const index of [5, 3, 1, 4]) reads.finish(index)
    await settle()
    expect(told).toEqual([]) // read 0 is still out: nothing may be told before it
    reads.fail(0, new Error('read 0 failed'))
    await settle()
    expect(told).toEqual([0, 1])
    reads.finish(2)
    const results = await running
    expect(told).toEqual([0, 1, 2, 3, 4, 5])
    expect(results.map(r => (r.status === 'fulfilled' ? r.value : r.status))).toEqual([
      'rejected',
      'read 1',
      'read 2',
      'read 3',
      'read 4',
      'read 5'
    ])
    expect((results[0] as PromiseRejectedResult).reason).toEqual(new Error('read 0 failed'))
  })

  it(`keeps at most ${MAX_READS_IN_FLIGHT} in flight, starting each next one in input order as one ends`, async () => {
    const { clock, scheduler } = setup()
    const reads = controlled(20, clock)
    const running = scheduler.run(reads.tasks)
    await settle()
    expect(reads.started()).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
    reads.finish(6)
    await settle()
    expect(reads.started()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8])
    for (let i = 0; i < 20; i++) {
      if (i !== 6) reads.finish(i)
      await settle()
    }
    expect((await running).every(r => r.status === 'fulfilled')).toBe(true)
    expect(reads.maxRunning).toBe(MAX_READS_IN_FLIGHT)
    expect(reads.started()).toEqual([...Array(20).keys()])
  })

  it('honours a smaller limit (4, the Digest sessions of one API key)', async () => {
    const { clock, scheduler } = setup(10_000, 4)
    const reads = controlled(9, clock)
    const running = scheduler.run(reads.tasks)
    await settle()
    expect(reads.started()).toEqual([0, 1, 2, 3])
    for (let i = 0; i < 9; i++) {
      reads.finish(i)
      await settle()
    }
    await running
    expect(reads.maxRunning).toBe(4)
  })

  it('turns a task that throws before returning a promise into a rejected result', async () => {
    const { scheduler } = setup()
    const boom: Task<string> = () => {
      throw new Error('thrown at once')
    }
    const results = await scheduler.run([boom, async () => 'fine'])
    expect(results[0]).toEqual({ status: 'rejected', reason: new Error('thrown at once') })
    expect(results[1]).toEqual({ status: 'fulfilled', value: 'fine' })
  })

  it('resolves an empty list at once', async () => {
    const { scheduler } = setup()
    await expect(scheduler.run([])).resolves.toEqual([])
  })
})

describe('stopping a run (fail-fast)', () => {
  it('starts nothing more, abandons the reads in flight without an unhandled rejection, and tells nothing after', async () => {
    const { clock, scheduler } = setup()
    const reads = controlled(12, clock)
    const stop = new AbortController()
    const told: number[] = []
    const running = scheduler.run(reads.tasks, {
      signal: stop.signal,
      onResult: (result, index) => {
        told.push(index)
        // The check's verdict: read 2 has a fail-on status.
        if (result.status === 'fulfilled' && result.value === 'FAILED') stop.abort()
      }
    })
    await settle()
    reads.finish(0)
    reads.finish(1)
    reads.finish(5) // done before the stop: its result is kept
    await settle()
    expect(reads.started()).toEqual([...Array(11).keys()]) // 8, 9 and 10 took the places of 0, 1 and 5
    reads.finish(2, 'FAILED')
    const results = await running // resolves without waiting for the reads still in flight
    expect(told).toEqual([0, 1, 2])
    const status = (index: number) => results[index].status
    expect([0, 1, 2, 5].map(status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled'])
    expect([3, 4, 6, 7, 8, 9, 10, 11].map(status).every(s => s === 'stopped')).toBe(true)
    // The abandoned reads were told to stop, and end later, some with errors nobody awaits.
    expect(reads.signals[3].aborted).toBe(true)
    reads.fail(3, new CancelledError())
    reads.fail(4, new Error('connection reset'))
    for (const index of [6, 7, 8, 9, 10]) reads.finish(index)
    await settle()
    expect(told).toEqual([0, 1, 2])
    expect(reads.started()).toHaveLength(11) // 11 never started
    expect(unhandled).toEqual([])
  })

  it('starts nothing when stopped before it begins', async () => {
    const { clock, scheduler } = setup()
    const reads = controlled(3, clock)
    const results = await scheduler.run(reads.tasks, { signal: AbortSignal.abort() })
    expect(results).toEqual([{ status: 'stopped' }, { status: 'stopped' }, { status: 'stopped' }])
    expect(reads.started()).toEqual([])
  })

  it('rejects the run, and starts nothing more, when onResult throws', async () => {
    const { clock, scheduler } = setup(10_000, 1)
    const reads = controlled(3, clock)
    const running = scheduler.run(reads.tasks, {
      onResult: () => {
        throw new Error('the caller broke')
      }
    })
    await settle()
    reads.finish(0)
    await expect(running).rejects.toThrow('the caller broke')
    await settle()
    expect(reads.started()).toEqual([0])
    expect(unhandled).toEqual([])
  })
})

describe('the shared 429 pause', () => {
  it('holds every read not yet sent until the pause ends, and retries nothing in flight early', async () => {
    const { clock, scheduler } = setup()
    const sends: { index: number; at: number }[] = []
    const answers = new Map<number, (status: number) => void>()
    // A read as the Atlas client will do it: gate, send, and on a 429 pause everyone and retry after it.
    const read =
      (index: number): Task<number> =>
      async signal => {
        for (;;) {
          await scheduler.gate(signal)
          sends.push({ index, at: clock.now() - T0 })
          const status = await new Promise<number>(resolve => answers.set(index, resolve))
          if (status !== 429) return status
          scheduler.pauseFor(10_000)
          await clock.sleep(10_000, signal)
        }
      }
    const running = scheduler.run(Array.from({ length: 10 }, (_, i) => read(i)))
    await settle()
    expect(sends.map(s => s.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7])

    answers.get(0)?.(429) // read 0 is rate-limited while 1-7 are in flight
    await clock.advance(1_000)
    for (const index of [1, 2]) answers.get(index)?.(200) // in flight: answered as they are
    await settle()
    // Reads 8 and 9 started but wait at the gate: nothing is sent during the pause.
    expect(sends.map(s => s.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
    expect(scheduler.pauseRemaining()).toBe(9_000)

    await clock.advance(8_999)
    expect(sends).toHaveLength(8)
    await clock.advance(1)
    // At the end of the pause: read 0 again, then 8 and 9.
    expect(sends.slice(8).map(s => s.index)).toEqual(expect.arrayContaining([0, 8, 9]))
    expect(sends.slice(8).every(s => s.at === 10_000)).toBe(true)
    for (const index of [0, 3, 4, 5, 6, 7, 8, 9]) answers.get(index)?.(200)
    const results = await running
    expect(results.every(r => r.status === 'fulfilled' && r.value === 200)).toBe(true)
    // Each in-flight read was sent exactly once; only the rate-limited one twice.
    const perRead = sends.reduce<number[]>(
      (counts, s) => ((counts[s.index] = (counts[s.index] ?? 0) + 1), counts),
      []
    )
    expect(perRead).toEqual([2, 1, 1, 1, 1, 1, 1, 1, 1, 1])
  })

  it('lengthens a pause with a later 429 and never shortens it', async () => {
    const { clock, scheduler } = setup()
    scheduler.pauseFor(20_000)
    scheduler.pauseFor(5_000)
    expect(scheduler.pauseRemaining()).toBe(20_000)
    let opened = false
    void scheduler.gate().then(() => (opened = true))
    await clock.advance(15_000)
    scheduler.pauseFor(10_000) // a second 429 at 15 s: now until 25 s
    await clock.advance(5_000)
    expect(opened).toBe(false)
    await clock.advance(5_000)
    expect(opened).toBe(true)
  })

  it('ignores a pause that is not a positive finite number', async () => {
    const { scheduler } = setup()
    for (const ms of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) scheduler.pauseFor(ms)
    expect(scheduler.pauseRemaining()).toBe(0)
    await expect(scheduler.gate()).resolves.toBeUndefined()
  })

  it('lets a cancelled job out of the gate at once', async () => {
    const { scheduler } = setup()
    scheduler.pauseFor(60_000)
    const cancel = new AbortController()
    const waiting = scheduler.gate(cancel.signal)
    cancel.abort(new CancelledError('SIGTERM'))
    await expect(waiting).rejects.toThrow(/cancelled \(SIGTERM\)/)
  })

  it('stops reads waiting at the gate when the run is stopped', async () => {
    const { clock, scheduler } = setup()
    scheduler.pauseFor(30_000)
    const reads = controlled(3, clock)
    const stop = new AbortController()
    const running = scheduler.run(reads.tasks, { signal: stop.signal })
    await settle()
    stop.abort()
    expect((await running).map(r => r.status)).toEqual(['stopped', 'stopped', 'stopped'])
    await clock.advance(30_000)
    expect(reads.started()).toEqual([])
    expect(unhandled).toEqual([])
  })
})

describe('the rate-limit budget', () => {
  it('with RateLimit-Remaining: 3 and 10 reads, sends 3 at once and spreads the other 7 over the interval', async () => {
    const { clock, log, scheduler } = setup(7_000)
    scheduler.observe(headers({ 'RateLimit-Limit': '100', 'RateLimit-Remaining': '3' }))
    const reads = controlled(10, clock)
    const running = scheduler.run(reads.tasks)
    await settle()
    expect(reads.started()).toEqual([0, 1, 2])
    for (const index of [0, 1, 2]) reads.finish(index)
    await settle()
    expect(reads.started()).toEqual([0, 1, 2]) // answered, but the budget is spent
    for (let step = 1; step <= 7; step++) {
      await clock.advance(1_000)
      reads.finish(2 + step)
    }
    await running
    expect(reads.starts.map(s => s.at)).toEqual([0, 0, 0, 1_000, 2_000, 3_000, 4_000, 5_000, 6_000, 7_000])
    expect(log.lines).toEqual([
      {
        level: 'info',
        message:
          "Atlas reports 3 of 100 requests left in this project's rate limit (RateLimit-Remaining), fewer than the 10 reads this check still has to send, so the last 7 are spread over the 7 s interval instead of being sent at once."
      }
    ])

    // The next check, still short of budget: spread again, but said only once.
    const again = controlled(2, clock)
    const second = scheduler.run(again.tasks)
    await settle()
    expect(again.started()).toEqual([])
    await clock.advance(3_500)
    again.finish(0)
    await clock.advance(3_500)
    again.finish(1)
    await second
    expect(again.starts.map(s => s.at)).toEqual([10_500, 14_000])
    expect(log.lines).toHaveLength(1)
  })

  it('learns the budget from the first answers, counting the reads already in flight against it', async () => {
    const { clock, log, scheduler } = setup(10_000)
    const reads = controlled(12, clock)
    const running = scheduler.run(reads.tasks)
    await settle()
    expect(reads.started()).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
    // Read 0's answer: 9 left; 7 other reads are in flight and may not be counted yet.
    scheduler.observe(headers({ 'RateLimit-Remaining': '9' }))
    reads.finish(0)
    await settle()
    reads.finish(1)
    await settle()
    // 2 could be sent (9 - 7); 4 remain to start; so 2 go now and 2 are spread over 10 s.
    expect(reads.started()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    for (let i = 2; i < 10; i++) reads.finish(i)
    await settle()
    expect(reads.started()).toHaveLength(10)
    await clock.advance(5_000)
    expect(reads.started()).toHaveLength(11)
    reads.finish(10)
    await clock.advance(5_000)
    reads.finish(11)
    await running
    expect(reads.starts.map(s => s.at).slice(10)).toEqual([5_000, 10_000])
    expect(log.text()).toMatch(
      /Atlas reports 2 requests left .* the last 2 are spread over the 10 s interval/
    )
  })

  it('sends everything at once when Remaining covers the check', async () => {
    const { clock, log, scheduler } = setup()
    scheduler.observe(headers({ 'RateLimit-Limit': '100', 'RateLimit-Remaining': '10' }))
    const reads = controlled(8, clock)
    const running = scheduler.run(reads.tasks)
    await settle()
    expect(reads.started()).toHaveLength(8)
    for (let i = 0; i < 8; i++) reads.finish(i)
    await running
    expect(log.lines).toEqual([])
  })

  it('stops a read waiting for its slot when the run is stopped', async () => {
    const { clock, scheduler } = setup(10_000)
    scheduler.observe(headers({ 'RateLimit-Remaining': '0' }))
    const reads = controlled(2, clock)
    const stop = new AbortController()
    const running = scheduler.run(reads.tasks, { signal: stop.signal })
    await settle()
    stop.abort()
    expect((await running).map(r => r.status)).toEqual(['stopped', 'stopped'])
    await clock.advance(10_000)
    expect(reads.started()).toEqual([])
    expect(unhandled).toEqual([])
  })

  it.each<[string, string | undefined]>([
    ['missing', undefined],
    ['empty', ''],
    ['negative', '-1'],
    ['a fraction', '2.5'],
    ['an exponent', '1e3'],
    ['hexadecimal', '0x10'],
    ['two values (a repeated header)', '3, 5'],
    ['a number then text', '3 requests'],
    ['a newline then a workflow command', '3\n::error::injected'],
    ['a credential echoed back', 'Digest username="abcdefgh"'],
    ['huge', '9'.repeat(100_000)],
    ['too many digits to be exact', '1234567890123456'],
    ['non-ASCII digits', '３']
  ])('ignores a RateLimit-Remaining that is %s, and never logs it', async (_what, value) => {
    const { clock, log, scheduler } = setup()
    const get = (name: string): string | null =>
      name === 'RateLimit-Remaining' ? (value ?? null) : name === 'RateLimit-Limit' ? '3\n::warning::x' : null
    scheduler.observe({ get })
    const reads = controlled(8, clock)
    const running = scheduler.run(reads.tasks)
    await settle()
    expect(reads.started()).toHaveLength(8) // no budget known: nothing held back
    for (let i = 0; i < 8; i++) reads.finish(i)
    await running
    expect(log.lines).toEqual([])
  })

  it('reads a plain count with spaces around it, and a hostile Limit is left out of the log', async () => {
    const { clock, log, scheduler } = setup(1_000)
    const values: Record<string, string> = {
      'ratelimit-remaining': ' 1 ',
      'ratelimit-limit': '100\u0000::error::x'
    }
    scheduler.observe({ get: name => values[name.toLowerCase()] ?? null })
    const reads = controlled(2, clock)
    const running = scheduler.run(reads.tasks)
    await settle()
    expect(reads.started()).toEqual([0])
    reads.finish(0)
    await clock.advance(1_000)
    reads.finish(1)
    await running
    expect(log.text()).toBe(
      "Atlas reports 1 request left in this project's rate limit (RateLimit-Remaining), fewer than the 2 reads this check still has to send, so the last one is spread over the 1 s interval instead of being sent at once."
    )
  })
})
