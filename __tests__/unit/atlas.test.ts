import { retryAfterMs } from '../../src/atlas/client.js'

const NOW = Date.UTC(2026, 10, 28, 12, 0, 0)

describe('retryAfterMs', () => {
  it('is undefined without the header', () => {
    expect(retryAfterMs(null, NOW)).toBeUndefined()
  })

  it.each([
    ['0', 0],
    ['5', 5_000],
    [' 7 ', 7_000],
    ['120', 120_000]
  ])('reads delay-seconds %p as %i ms', (value, ms) => {
    expect(retryAfterMs(value, NOW)).toBe(ms)
  })

  it('reads an HTTP date as the time left until it', () => {
    expect(retryAfterMs(new Date(NOW + 30_000).toUTCString(), NOW)).toBe(30_000)
    expect(retryAfterMs('Sat, 28 Nov 2026 12:01:00 GMT', NOW)).toBe(60_000)
  })

  it('reads an HTTP date in the past as no wait', () => {
    expect(retryAfterMs('Sat, 28 Nov 2026 11:59:00 GMT', NOW)).toBe(0)
  })

  it('is undefined for a value that is neither seconds nor a date', () => {
    expect(retryAfterMs('soon', NOW)).toBeUndefined()
    // Date.parse reads these as dates in 2001; they are neither seconds nor an HTTP date.
    expect(retryAfterMs('1.5', NOW)).toBeUndefined()
    expect(retryAfterMs('-1', NOW)).toBeUndefined()
    expect(retryAfterMs('', NOW)).toBeUndefined()
  })
})
