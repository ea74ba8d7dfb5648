import { editDistance, nearest } from '../../src/common/edit-distance.js'

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['', 'abc', 3],
    ['Cluster0', 'Cluster0', 0],
    ['Cluster0', 'Cluster1', 1],
    ['Cluster0', 'Cluster', 1],
    ['Cluster0', 'Clusters0', 1],
    ['Clsuter0', 'Cluster0', 1], // two neighbours swapped: one edit
    ['ca', 'abc', 3], // optimal string alignment: no edit of a swapped pair
    ['kitten', 'sitting', 3]
  ])('%p → %p is %p', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance)
    expect(editDistance(b, a)).toBe(distance)
  })

  it('agrees with the textbook table on random short strings, with and without a limit', () => {
    let seed = 42
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
    const word = () =>
      Array.from({ length: Math.floor(random() * 8) }, () => 'abc'[Math.floor(random() * 3)]).join('')
    for (let n = 0; n < 2000; n += 1) {
      const [a, b] = [word(), word()]
      const expected = textbook(a, b)
      expect(editDistance(a, b)).toBe(expected)
      expect(editDistance(a, b, 2)).toBe(Math.min(expected, 3))
    }
  })

  it('stops early past the limit, answering limit + 1', () => {
    expect(editDistance('aaaaaaaa', 'bbbbbbbb', 2)).toBe(3)
    expect(editDistance('a', 'abcdefgh', 2)).toBe(3)
    expect(editDistance('Cluster0', 'Cluster1', 2)).toBe(1)
  })
})

describe('nearest', () => {
  const clusters = ['Cluster0', 'analytics-prod', 'Cluster12', 'reporting']

  it('names the one candidate within two edits, ignoring case', () => {
    expect(nearest('Cluster1', clusters)).toBe('Cluster0')
    expect(nearest('analytcs-prod', clusters)).toBe('analytics-prod')
    expect(nearest('ANALYTICS-PROD', clusters)).toBe('analytics-prod')
    expect(nearest('Reportnig', clusters)).toBe('reporting')
  })

  it('prefers the closest, then the first listed', () => {
    expect(nearest('Cluster13', clusters)).toBe('Cluster12') // 1 edit, Cluster0 is 2
    expect(nearest('Cluster', ['Cluster1', 'Cluster2'])).toBe('Cluster1')
    expect(nearest('cluster0', ['Cluster1', 'CLUSTER0'])).toBe('CLUSTER0') // case only: distance 0
  })

  it('names nothing when nothing is near, when the name itself is listed, or for empty and huge input', () => {
    expect(nearest('billing', clusters)).toBeUndefined()
    expect(nearest('Cluster0', clusters)).toBeUndefined()
    expect(nearest('', clusters)).toBeUndefined()
    expect(nearest('x', [])).toBeUndefined()
    expect(nearest('a'.repeat(100_000), ['a'.repeat(100_001)])).toBeUndefined()
    expect(nearest('Cluster0', ['', 'b'.repeat(1_000_000)])).toBeUndefined()
  })

  it('takes a smaller or larger distance when asked', () => {
    expect(nearest('Clustr1', clusters, 1)).toBeUndefined()
    expect(nearest('Clustr1', clusters, 2)).toBe('Cluster0')
    expect(nearest('Clu', clusters, 5)).toBe('Cluster0')
  })

  it('does not take a lookalike letter for its ASCII twin', () => {
    // U+0421 CYRILLIC CAPITAL LETTER ES looks like "C".
    expect(nearest('\u0421luster0', ['Cluster0'], 0)).toBeUndefined()
    expect(nearest('\u0421luster0', ['Cluster0'])).toBe('Cluster0') // one substitution: a typo worth naming
  })

  it('stays fast on 5000 candidates', () => {
    const many = Array.from({ length: 5000 }, (_, i) => `cluster-${i.toString(36)}-${'x'.repeat(40)}`)
    const started = performance.now()
    expect(nearest(`cluster-zzz-${'x'.repeat(40)}`, many)).toBe(`cluster-zz-${'x'.repeat(40)}`)
    expect(performance.now() - started).toBeLessThan(3000)
  })
})

/** The full optimal-string-alignment table, as textbooks write it. */
function textbook(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0))
  )
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1)
    }
  }
  return d[a.length][b.length]
}
