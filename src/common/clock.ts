import { CancelledError } from './errors.js'

/**
 * Time, injected: the real one in `run()`, a fake one in unit tests, so that a test of a
 * 15-minute wait runs in milliseconds and never sleeps.
 */
export interface Clock {
  /** Milliseconds since the epoch (so HTTP dates in Retry-After can be compared with it). */
  now(): number
  /** Resolves after `ms`; rejects with CancelledError as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(cancellation(signal))
      const onAbort = (): void => {
        clearTimeout(timer)
        reject(cancellation(signal))
      }
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      }, ms)
      signal?.addEventListener('abort', onAbort, { once: true })
    })
}

/** The error a cancelled wait rejects with: the reason given to abort(), when it is one. */
export function cancellation(signal?: AbortSignal): Error {
  const reason: unknown = signal?.reason
  return reason instanceof CancelledError ? reason : new CancelledError()
}

/** The step's hard deadline, measured on the injected clock. */
export class Deadline {
  readonly at: number
  constructor(
    private readonly clock: Clock,
    readonly startedAt: number,
    readonly budgetMs: number
  ) {
    this.at = startedAt + budgetMs
  }

  /** Milliseconds left, never negative. */
  remaining(): number {
    return Math.max(0, this.at - this.clock.now())
  }

  elapsed(): number {
    return this.clock.now() - this.startedAt
  }
}
