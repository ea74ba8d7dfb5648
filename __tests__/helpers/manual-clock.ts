import type { Clock } from '../../src/common/clock.js'
import { cancellation } from '../../src/common/clock.js'

interface Sleeper {
  at: number
  resolve: () => void
}

/**
 * A clock for concurrent code: time moves only when a test calls `advance`, and every sleeper
 * wakes at its own time. (FakeClock moves time forward on each sleep, which is right for one
 * sequential loop but lets two concurrent sleepers add their pauses together.)
 */
export class ManualClock implements Clock {
  private readonly sleepers = new Set<Sleeper>()
  readonly sleeps: number[] = []

  constructor(private time = Date.UTC(2026, 10, 28, 12, 0, 0)) {}

  now(): number {
    return this.time
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(cancellation(signal))
    this.sleeps.push(ms)
    return new Promise<void>((resolve, reject) => {
      const sleeper: Sleeper = {
        at: this.time + ms,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort)
          resolve()
        }
      }
      const onAbort = (): void => {
        this.sleepers.delete(sleeper)
        reject(cancellation(signal))
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.sleepers.add(sleeper)
    })
  }

  /** Sleepers waiting now. */
  get waiting(): number {
    return this.sleepers.size
  }

  /** Moves time forward by `ms`, waking each sleeper at its time and letting the code it resumes run. */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms
    for (;;) {
      await settle()
      const due = [...this.sleepers].filter(s => s.at <= target).sort((a, b) => a.at - b.at)[0]
      if (due === undefined) break
      this.time = Math.max(this.time, due.at)
      this.sleepers.delete(due)
      due.resolve()
    }
    this.time = target
    await settle()
  }
}

/** Lets every promise callback that is ready run (a macrotask turn, no real waiting). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>(resolve => setImmediate(resolve))
}
