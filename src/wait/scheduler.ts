import type { Clock } from '../common/clock.js'
import type { Log } from '../common/log.js'
import { seconds } from '../common/text.js'

/** Reads of one check in flight at once, at most (issue 17: Atlas's limits, a runner's sockets). */
export const MAX_READS_IN_FLIGHT = 8

/** One read; `signal` aborts when the run it belongs to is stopped, so its retries and pauses end too. */
export type Task<T> = (signal: AbortSignal) => Promise<T>

/**
 * What became of one task: its value or error, or `stopped` when the run was stopped before it
 * settled (it never started, or it was still in flight and its outcome is ignored).
 */
export type TaskResult<T> = PromiseSettledResult<T> | { status: 'stopped' }

export interface RunOptions<T> {
  /** Aborting it stops the run: tasks not yet started never start, tasks in flight are abandoned. */
  signal?: AbortSignal
  /**
   * Told each result in input order, as soon as it and every result before it are known; never
   * after the run is stopped. Aborting `signal` from here stops the run at this result (fail-fast).
   */
  onResult?: (result: PromiseSettledResult<T>, index: number) => void
}

export interface SchedulerOptions {
  clock: Clock
  log: Log
  /** The pause between checks: a rate-limited check spreads its reads over it. */
  intervalMs: number
  /** Tasks in flight at once, at most (default MAX_READS_IN_FLIGHT). */
  limit?: number
}

/** The part of a response's headers the budget reads. */
export interface HeaderSource {
  get(name: string): string | null
}

/** Where a run is when the rate-limit budget is too small for the reads it still has to send. */
interface Spread {
  spacingMs: number
  nextSlotAt: number
}

/**
 * The reads of a check, run concurrently within Atlas's limits. One scheduler serves a whole
 * wait, so that a 429 pause and the rate-limit budget carry over from one check to the next:
 * - `run()` starts at most `limit` tasks at once, in input order, and returns their results in
 *   input order whatever order they finish in; stopping it (fail-fast) starts nothing more and
 *   abandons what is in flight without an unhandled rejection.
 * - `gate()` is what every request awaits before it is sent; `pauseFor()` (a 429) closes it for
 *   every read not yet sent, while requests already in flight finish as they are.
 * - `observe()` reads `RateLimit-Remaining` from each answer; when fewer requests are left than
 *   the check still has to send, the rest are spread over the interval instead of sent at once.
 */
export class ReadScheduler {
  private readonly clock: Clock
  private readonly log: Log
  private readonly intervalMs: number
  private readonly limit: number
  /** The clock time before which no request may be sent (a 429's Retry-After). */
  private pausedUntil = 0
  /** Requests Atlas still allows, as last reported, less the reads started since; unknown until reported. */
  private allowance: number | undefined
  /** Atlas's `RateLimit-Limit`, as last reported with a Remaining; for the log only. */
  private reportedLimit: number | undefined
  /** Tasks started and not yet settled, over all runs (abandoned ones included until they end). */
  private inFlight = 0
  private spreadNoted = false

  constructor(options: SchedulerOptions) {
    this.clock = options.clock
    this.log = options.log
    this.intervalMs = Math.max(0, options.intervalMs)
    this.limit = Math.max(1, Math.floor(options.limit ?? MAX_READS_IN_FLIGHT))
  }

  /**
   * Resolves when requests may be sent (at once, unless a 429 paused them); rejects with
   * CancelledError when `signal` aborts first. An arrow function, so it can be handed on as is.
   */
  readonly gate = async (signal?: AbortSignal): Promise<void> => {
    // A pause can be lengthened while it lasts (another 429): look again after each sleep.
    for (
      let wait = this.pausedUntil - this.clock.now();
      wait > 0;
      wait = this.pausedUntil - this.clock.now()
    ) {
      await this.clock.sleep(wait, signal)
    }
  }

  /** Closes the gate for `ms` from now (never shortens a pause already running). */
  pauseFor(ms: number): void {
    if (!Number.isFinite(ms) || ms <= 0) return
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + ms)
  }

  /** Milliseconds until the gate opens; 0 when it is open. */
  pauseRemaining(): number {
    return Math.max(0, this.pausedUntil - this.clock.now())
  }

  /**
   * Reads `RateLimit-Remaining` (and `RateLimit-Limit`, for the log) from an answer. Only a
   * plain non-negative integer counts; any other value is ignored, never logged.
   */
  observe(headers: HeaderSource): void {
    const remaining = countHeader(headers, 'RateLimit-Remaining')
    if (remaining === undefined) return
    this.reportedLimit = countHeader(headers, 'RateLimit-Limit')
    // The other reads in flight may have been sent after this answer was counted: assume they
    // were, so the budget is never overspent.
    const others = Math.max(0, this.inFlight - 1)
    this.allowance = Math.max(0, remaining - others)
  }

  /** Runs `tasks`, at most `limit` at once; see the class comment and RunOptions. */
  run<T>(tasks: ReadonlyArray<Task<T>>, options: RunOptions<T> = {}): Promise<TaskResult<T>[]> {
    const results: (TaskResult<T> | undefined)[] = tasks.map(() => undefined)
    const stopper = new AbortController()
    const signal = options.signal ? AbortSignal.any([options.signal, stopper.signal]) : stopper.signal
    let next = 0
    let delivered = 0
    let stopped = false
    let spread: Spread | undefined

    return new Promise<TaskResult<T>[]>((resolve, reject) => {
      const finish = (): void => {
        signal.removeEventListener('abort', onStop)
        resolve(results.map(result => result ?? { status: 'stopped' as const }))
      }
      const onStop = (): void => {
        if (stopped) return
        stopped = true
        finish()
      }
      if (signal.aborted) return onStop()
      signal.addEventListener('abort', onStop, { once: true })

      /** Hands the results known in an unbroken run from the start to onResult, in order. */
      const deliver = (): void => {
        while (!stopped && delivered < results.length) {
          const result = results[delivered]
          if (result === undefined || result.status === 'stopped') return
          const index = delivered
          delivered += 1
          try {
            options.onResult?.(result, index)
          } catch (error) {
            stopped = true
            stopper.abort()
            signal.removeEventListener('abort', onStop)
            reject(error instanceof Error ? error : new Error(String(error)))
            return
          }
        }
      }

      const worker = async (): Promise<void> => {
        while (!stopped && next < tasks.length) {
          const index = next
          next += 1
          try {
            spread = this.plan(tasks.length - index, spread)
            await this.admit(spread, signal)
          } catch {
            return // stopped while waiting for its turn
          }
          if (stopped) return
          this.inFlight += 1
          let result: PromiseSettledResult<T>
          try {
            result = { status: 'fulfilled', value: await tasks[index](signal) }
          } catch (reason) {
            result = { status: 'rejected', reason }
          } finally {
            this.inFlight -= 1
          }
          if (stopped) return
          results[index] = result
          deliver()
        }
      }

      const workers = Array.from({ length: Math.min(this.limit, tasks.length) }, () => worker())
      void Promise.all(workers).then(() => {
        if (!stopped) finish()
      })
    })
  }

  /**
   * Decides, before the next task starts, whether the budget covers the `left` tasks still to
   * start; when it does not, the run's reads beyond it are given evenly spaced slots over the
   * interval (once per run), and the log says so (once per scheduler).
   */
  private plan(left: number, spread: Spread | undefined): Spread | undefined {
    const allowance = this.allowance
    if (spread !== undefined || allowance === undefined || allowance >= left) return spread
    const beyond = left - allowance
    const spacingMs = this.intervalMs / beyond
    if (!this.spreadNoted) {
      this.spreadNoted = true
      const limit = this.reportedLimit !== undefined ? ` of ${this.reportedLimit}` : ''
      this.log.info(
        `Atlas reports ${allowance}${limit} ${allowance === 1 && limit === '' ? 'request' : 'requests'} left in this project's rate limit (RateLimit-Remaining), fewer than the ${left} reads this check still has to send, so ${beyond === 1 ? 'the last one is' : `the last ${beyond} are`} spread over the ${seconds(Math.round(this.intervalMs))} interval instead of being sent at once.`
      )
    }
    return { spacingMs, nextSlotAt: this.clock.now() + spacingMs }
  }

  /** Waits for the task's turn: its budget slot when the budget is spent, then the gate. */
  private async admit(spread: Spread | undefined, signal: AbortSignal): Promise<void> {
    if (this.allowance === undefined || this.allowance > 0) {
      if (this.allowance !== undefined) this.allowance -= 1
    } else if (spread !== undefined) {
      // Slots are taken in start order, before any wait, so the spacing holds with many workers.
      const slot = spread.nextSlotAt
      spread.nextSlotAt += spread.spacingMs
      const wait = slot - this.clock.now()
      if (wait > 0) await this.clock.sleep(wait, signal)
    }
    await this.gate(signal)
  }
}

/** A header holding a plain non-negative integer (spaces around allowed), else undefined. */
function countHeader(headers: HeaderSource, name: string): number | undefined {
  const value = headers.get(name)
  if (value === null || value.length > 32) return undefined
  const match = /^[ \t]*([0-9]{1,15})[ \t]*$/.exec(value)
  return match ? Number(match[1]) : undefined
}
