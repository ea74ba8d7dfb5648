import { seconds } from '../common/text.js'
import type { Clock, Deadline } from '../common/clock.js'
import { DeadlineError, RetriesExhaustedError, TransientError } from '../common/errors.js'

export interface RetryOptions {
  /** Transient failures in a row tolerated before giving up (`max-retries`). */
  maxRetries: number
  clock: Clock
  deadline: Deadline
  signal: AbortSignal
  /** Uniform in [0, 1): Math.random in production, a fixed sequence in tests. */
  random: () => number
  /** Told before each pause, so the log can say what happened and what comes next. */
  onRetry: (retry: { error: TransientError; failures: number; delayMs: number }) => void
}

/** First pause of the exponential backoff for network errors and 5xx; it doubles each time. */
export const BASE_DELAY_MS = 1_000
export const MAX_DELAY_MS = 30_000
/** Atlas's advice for a 429 without Retry-After: wait 10 s, then 20 s, then 40 s... */
export const RATE_LIMIT_DELAY_MS = 10_000

/**
 * How long to pause before the next try:
 * - the server's Retry-After, when it gave one (never less);
 * - for a 429 without one, 10 s, 20 s, 40 s... (Atlas's documented advice);
 * - otherwise exponential backoff with full jitter: uniform in [0, min(30 s, 1 s × 2^(n-1))],
 *   so that many runners failing together do not retry together.
 */
export function backoffDelay(
  error: TransientError,
  failures: number,
  rateLimitedInARow: number,
  random: () => number
): number {
  if (error.retryAfterMs !== undefined) return error.retryAfterMs
  if (error.rateLimited) return RATE_LIMIT_DELAY_MS * 2 ** (rateLimitedInARow - 1)
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (failures - 1))
  return Math.floor(random() * ceiling)
}

/**
 * Runs `operation` until it succeeds, retrying TransientErrors. Stops with
 * RetriesExhaustedError after `maxRetries` retries in a row, and with DeadlineError rather
 * than start a pause that would end after the deadline. Any other error passes through.
 */
export async function withRetries<T>(operation: () => Promise<T>, options: RetryOptions): Promise<T> {
  let failures = 0
  let rateLimitedInARow = 0
  for (;;) {
    try {
      return await operation()
    } catch (error) {
      if (!(error instanceof TransientError)) throw error
      failures += 1
      rateLimitedInARow = error.rateLimited ? rateLimitedInARow + 1 : 0
      if (failures > options.maxRetries) {
        throw new RetriesExhaustedError(
          `${error.message} Gave up after ${failures} failed ${failures === 1 ? 'try' : 'tries in a row'} (max-retries: ${options.maxRetries}).`,
          error
        )
      }
      const delayMs = backoffDelay(error, failures, rateLimitedInARow, options.random)
      if (delayMs >= options.deadline.remaining()) {
        // Atlas's own Retry-After is not our backoff: say who asked for the wait.
        const why =
          error.retryAfterMs !== undefined
            ? `Atlas asked to wait ${seconds(delayMs)}, past the deadline (timeout-seconds), so the step stopped without waiting.`
            : `The next try was due in ${seconds(delayMs)}, after the deadline (timeout-seconds), so the step stopped.`
        throw new DeadlineError(`${error.message} ${why}`)
      }
      options.onRetry({ error, failures, delayMs })
      await options.clock.sleep(delayMs, options.signal)
    }
  }
}
