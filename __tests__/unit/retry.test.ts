import { Deadline } from '../../src/common/clock.js'
import {
  AtlasApiError,
  CancelledError,
  DeadlineError,
  RetriesExhaustedError,
  TransientError
} from '../../src/common/errors.js'
import { backoffDelay, type RetryOptions, withRetries } from '../../src/wait/retry.js'
import { FakeClock } from '../helpers/fake-clock.js'

const half = (): number => 0.5
const almostOne = (): number => 0.999

function networkError(): TransientError {
  return new TransientError('The connection was reset.')
}

function rateLimited(retryAfterMs?: number): TransientError {
  return new TransientError('Atlas answered HTTP 429.', retryAfterMs, true)
}

/** An operation that throws the given errors in turn, then returns `value`; counts its calls. */
function scripted<T>(errors: Error[], value: T) {
  const operation = async (): Promise<T> => {
    operation.calls += 1
    const error = errors[operation.calls - 1]
    if (error) throw error
    return value
  }
  operation.calls = 0
  return operation
}

function options(clock: FakeClock, overrides: Partial<RetryOptions> = {}) {
  const retries: { failures: number; delayMs: number; message: string }[] = []
  const resolved: RetryOptions = {
    maxRetries: 5,
    clock,
    deadline: new Deadline(clock, clock.now(), 900_000),
    signal: new AbortController().signal,
    random: half,
    onRetry: ({ error, failures, delayMs }) =>
      void retries.push({ failures, delayMs, message: error.message }),
    ...overrides
  }
  return { options: resolved, retries }
}

describe('backoffDelay', () => {
  it('uses Retry-After when the server gave one, whatever the error', () => {
    expect(backoffDelay(new TransientError('503', 7_000), 3, 0, half)).toBe(7_000)
    expect(backoffDelay(rateLimited(2_000), 1, 3, half)).toBe(2_000)
    expect(backoffDelay(new TransientError('503', 0), 4, 0, almostOne)).toBe(0)
  })

  it('backs off 10 s, 20 s, 40 s for the 1st, 2nd and 3rd 429 in a row without Retry-After', () => {
    expect(backoffDelay(rateLimited(), 1, 1, half)).toBe(10_000)
    expect(backoffDelay(rateLimited(), 2, 2, half)).toBe(20_000)
    expect(backoffDelay(rateLimited(), 3, 3, half)).toBe(40_000)
  })

  it('counts 429s in a row, not failures, and ignores the random number for them', () => {
    expect(backoffDelay(rateLimited(), 4, 1, almostOne)).toBe(10_000)
  })

  it.each([
    [1, half, 500],
    [2, half, 1_000],
    [3, half, 2_000],
    [5, half, 8_000],
    [6, half, 15_000],
    [20, half, 15_000],
    [1, almostOne, 999],
    [2, almostOne, 1_998],
    [5, almostOne, 15_984],
    [6, almostOne, 29_970],
    [1, () => 0, 0]
  ])('uses full jitter below min(30 s, 1 s × 2^(n-1)): failure %i → %p', (failures, random, expected) => {
    expect(backoffDelay(networkError(), failures, 0, random)).toBe(expected)
  })
})

describe('withRetries', () => {
  it('returns the value of a successful operation without pausing', async () => {
    const clock = new FakeClock()
    const operation = scripted([], 'state')
    const { options: opts, retries } = options(clock)
    await expect(withRetries(operation, opts)).resolves.toBe('state')
    expect(operation.calls).toBe(1)
    expect(clock.sleeps).toEqual([])
    expect(retries).toEqual([])
  })

  it('retries transient errors and returns the value that follows', async () => {
    const clock = new FakeClock()
    const operation = scripted([networkError(), networkError()], 'state')
    const { options: opts, retries } = options(clock)
    await expect(withRetries(operation, opts)).resolves.toBe('state')
    expect(operation.calls).toBe(3)
    expect(clock.sleeps).toEqual([500, 1_000])
    expect(retries.map(r => [r.failures, r.delayMs])).toEqual([
      [1, 500],
      [2, 1_000]
    ])
    expect(retries[0].message).toBe('The connection was reset.')
  })

  it.each([0, 1, 3, 5])(
    'gives up with RetriesExhaustedError after max-retries %i retries (max-retries + 1 calls)',
    async maxRetries => {
      const clock = new FakeClock()
      const last = new TransientError('Atlas answered HTTP 503.')
      const errors = [...Array.from({ length: maxRetries }, networkError), last]
      const operation = scripted(errors, 'never')
      const { options: opts } = options(clock, { maxRetries })
      const error = await withRetries(operation, opts).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(RetriesExhaustedError)
      expect((error as RetriesExhaustedError).lastError).toBe(last)
      expect((error as Error).message).toContain('Atlas answered HTTP 503.')
      expect((error as Error).message).toContain(`max-retries: ${maxRetries}`)
      expect(operation.calls).toBe(maxRetries + 1)
      expect(clock.sleeps).toHaveLength(maxRetries)
    }
  )

  it('does not retry at all with max-retries 0', async () => {
    const clock = new FakeClock()
    const operation = scripted([networkError()], 'state')
    const { options: opts, retries } = options(clock, { maxRetries: 0 })
    await expect(withRetries(operation, opts)).rejects.toThrow('Gave up after 1 failed try (max-retries: 0).')
    expect(operation.calls).toBe(1)
    expect(clock.sleeps).toEqual([])
    expect(retries).toEqual([])
  })

  it('lets any other error through at once', async () => {
    const clock = new FakeClock()
    const forbidden = new AtlasApiError('Atlas answered HTTP 401.', 401, undefined)
    const operation = scripted([forbidden], 'state')
    const { options: opts } = options(clock)
    await expect(withRetries(operation, opts)).rejects.toBe(forbidden)
    expect(operation.calls).toBe(1)
    expect(clock.sleeps).toEqual([])
  })

  it('lets a non-transient error through even after transient ones', async () => {
    const clock = new FakeClock()
    const broken = new TypeError('boom')
    const operation = scripted([networkError(), broken], 'state')
    const { options: opts } = options(clock)
    await expect(withRetries(operation, opts)).rejects.toBe(broken)
    expect(operation.calls).toBe(2)
    expect(clock.sleeps).toEqual([500])
  })

  it('starts every call afresh: failures of an earlier call do not count', async () => {
    const clock = new FakeClock()
    const { options: opts } = options(clock, { maxRetries: 2 })
    await expect(withRetries(scripted([networkError(), networkError()], 'a'), opts)).resolves.toBe('a')
    await expect(withRetries(scripted([networkError(), networkError()], 'b'), opts)).resolves.toBe('b')
    // The second call's backoff starts from the first step again.
    expect(clock.sleeps).toEqual([500, 1_000, 500, 1_000])
  })

  it('pauses as the policy says: Retry-After, 429 steps (reset by another error), jitter', async () => {
    const clock = new FakeClock()
    const operation = scripted(
      [rateLimited(), rateLimited(), networkError(), rateLimited(), new TransientError('503', 3_000)],
      'state'
    )
    const { options: opts } = options(clock)
    await expect(withRetries(operation, opts)).resolves.toBe('state')
    expect(clock.sleeps).toEqual([10_000, 20_000, 2_000, 10_000, 3_000])
  })

  it('never starts a pause that would end at the deadline', async () => {
    const clock = new FakeClock()
    const deadline = new Deadline(clock, clock.now(), 5_000)
    const operation = scripted([new TransientError('Atlas answered HTTP 503.', 5_000)], 'state')
    const { options: opts, retries } = options(clock, { deadline })
    const error = await withRetries(operation, opts).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DeadlineError)
    expect((error as Error).message).toContain('Atlas answered HTTP 503.')
    expect((error as Error).message).toContain('5 s')
    expect(clock.sleeps).toEqual([])
    expect(retries).toEqual([])
    expect(operation.calls).toBe(1)
  })

  it('never starts a pause that would end after the deadline, counting time already spent', async () => {
    const clock = new FakeClock()
    const deadline = new Deadline(clock, clock.now(), 60_000)
    clock.advance(45_000)
    const operation = scripted([rateLimited(), rateLimited()], 'state')
    const { options: opts } = options(clock, { deadline })
    // 10 s fits in the 15 s left; the next 20 s does not.
    await expect(withRetries(operation, opts)).rejects.toBeInstanceOf(DeadlineError)
    expect(clock.sleeps).toEqual([10_000])
    expect(operation.calls).toBe(2)
  })

  it('starts a pause that ends just before the deadline', async () => {
    const clock = new FakeClock()
    const deadline = new Deadline(clock, clock.now(), 5_000)
    const operation = scripted([new TransientError('503', 4_999)], 'state')
    const { options: opts } = options(clock, { deadline })
    await expect(withRetries(operation, opts)).resolves.toBe('state')
    expect(clock.sleeps).toEqual([4_999])
  })

  it('stops with CancelledError when the signal is aborted before the pause', async () => {
    const clock = new FakeClock()
    const controller = new AbortController()
    const operation = async (): Promise<string> => {
      controller.abort(new CancelledError('SIGTERM'))
      throw networkError()
    }
    const { options: opts } = options(clock, { signal: controller.signal })
    const error = await withRetries(operation, opts).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CancelledError)
    expect((error as Error).message).toContain('SIGTERM')
    expect(clock.sleeps).toEqual([])
  })
})
