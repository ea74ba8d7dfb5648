/**
 * "Did you mean …?" for names and IDs a person typed: the edit distance between two strings,
 * and the one candidate close enough to a name Atlas does not know to be a likely typo.
 */

/** Longer text is not a name or an ID anyone typed; comparing it would only cost time. */
const MAX_COMPARED_LENGTH = 512

/**
 * The optimal-string-alignment distance (Damerau–Levenshtein without repeated edits of one
 * substring): insertions, deletions, substitutions and swaps of two neighbouring characters
 * each cost 1, so "Clsuter0" is 1 from "Cluster0". Compares UTF-16 units as given; callers
 * fold case. Stops early, returning `limit + 1`, once the distance must exceed `limit`.
 */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1
  // Only cells within `band` of the diagonal can hold a distance within the limit: O(n·limit).
  const band = Math.min(Math.max(a.length, b.length), limit)
  const far = a.length + b.length + 1
  // Three rows: the one before the previous (for swaps), the previous, the current.
  let before = new Int32Array(b.length + 1).fill(far)
  let previous = new Int32Array(b.length + 1).fill(far)
  let current = new Int32Array(b.length + 1).fill(far)
  for (let j = 0; j <= Math.min(b.length, band); j += 1) previous[j] = j
  for (let i = 1; i <= a.length; i += 1) {
    const from = Math.max(1, i - band)
    const to = Math.min(b.length, i + band)
    current.fill(far)
    if (i <= band) current[0] = i
    let rowMin = current[0]
    for (let j = from; j <= to; j += 1) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1
      let value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
      if (
        i > 1 &&
        j > 1 &&
        a.charCodeAt(i - 1) === b.charCodeAt(j - 2) &&
        a.charCodeAt(i - 2) === b.charCodeAt(j - 1)
      ) {
        value = Math.min(value, before[j - 2] + 1)
      }
      current[j] = value
      if (value < rowMin) rowMin = value
    }
    if (rowMin > limit) return limit + 1
    ;[before, previous, current] = [previous, current, before]
  }
  return Math.min(previous[b.length], limit + 1)
}

/**
 * The candidate nearest to `name`, compared without regard to case, when it is at most
 * `maxDistance` edits away; undefined when none is, or when `name` itself is a candidate
 * (spelled exactly so: then nothing is mistyped). A candidate that differs from `name` only in
 * case is distance 0, the nearest possible. Ties go to the earlier candidate, so the answer
 * does not depend on anything but the order Atlas listed them in.
 */
export function nearest(name: string, candidates: readonly string[], maxDistance = 2): string | undefined {
  if (name === '' || name.length > MAX_COMPARED_LENGTH || candidates.includes(name)) return undefined
  const folded = name.toLowerCase()
  let best: { candidate: string; distance: number } | undefined
  for (const candidate of candidates) {
    if (candidate === '' || candidate.length > MAX_COMPARED_LENGTH) continue
    const limit = best ? Math.min(best.distance - 1, maxDistance) : maxDistance
    if (limit < 0) break
    const distance = editDistance(folded, candidate.toLowerCase(), limit)
    if (distance <= limit) best = { candidate, distance }
  }
  return best?.candidate
}
