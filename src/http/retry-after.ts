/** Milliseconds to wait from a Retry-After header: delay-seconds or an HTTP date. */
export function retryAfterMs(value: string | null, now: number): number | undefined {
  if (value === null) return undefined
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000
  // An HTTP date names its month ("Wed, 21 Oct 2026 07:28:00 GMT"); Date.parse alone would
  // read "1.5" or "-1" as dates in 2001 and retry at once.
  if (!/\b[A-Za-z]{3}\b/.test(trimmed)) return undefined
  const date = Date.parse(trimmed)
  if (Number.isNaN(date)) return undefined
  return Math.max(0, date - now)
}
