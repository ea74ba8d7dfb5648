/**
 * How far apart two IDs are, in single-character edits (insert, delete, substitute, or swap two
 * neighbours: the usual typos), compared without regard to case. Used to tell a mistyped ID
 * from a deleted one, and a missing cluster from a misspelt one.
 */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  const s = a.toLowerCase()
  const t = b.toLowerCase()
  if (Math.abs(s.length - t.length) > limit) return limit + 1
  // Optimal string alignment distance, three rows kept.
  let before = new Array<number>(t.length + 1).fill(0)
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j)
  for (let i = 1; i <= s.length; i++) {
    const current = [i]
    let rowMin = i
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1
      let value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1])
        value = Math.min(value, before[j - 2] + 1)
      current.push(value)
      rowMin = Math.min(rowMin, value)
    }
    if (rowMin > limit) return limit + 1
    before = previous
    previous = current
  }
  return previous[t.length]
}

/**
 * The candidate nearest to `name`, when one is within `maxDistance` edits and differs from it;
 * the first such in the list on a tie. Long lists are bounded by the callers (at most a few
 * thousand names).
 */
export function nearest(name: string, candidates: readonly string[], maxDistance = 2): string | undefined {
  let best: string | undefined
  let bestDistance = maxDistance + 1
  for (const candidate of candidates) {
    if (candidate.toLowerCase() === name.toLowerCase()) continue
    const distance = editDistance(name, candidate, maxDistance)
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  return best
}
