/**
 * JSON from the network, read so that two readers cannot disagree about it. JSON.parse keeps the
 * last of two members with the same name; another parser (a proxy, a log viewer, a person) may
 * keep the first. `{"connectionStatus":"REJECTED","connectionStatus":"AVAILABLE"}` is two
 * answers at once, and a gate takes neither.
 */

/**
 * The first member name that an object of `text` has twice (after unescaping: `"a"` and
 * `"\u0061"` are the same name), or undefined when none has. `text` must already be valid JSON
 * (JSON.parse accepted it): this only walks its structure, in one pass.
 */
export function duplicateKey(text: string): string | undefined {
  // One frame per open object ({keys}) or array (null); `key` is true where a name comes next.
  const frames: (Set<string> | null)[] = []
  let key = false
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i]
    if (ch === '"') {
      let end = i + 1
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1
      const top = frames[frames.length - 1]
      if (key && top) {
        const name = JSON.parse(text.slice(i, end + 1)) as string
        if (top.has(name)) return name
        top.add(name)
        key = false
      }
      i = end
    } else if (ch === '{') {
      frames.push(new Set())
      key = true
    } else if (ch === '[') {
      frames.push(null)
      key = false
    } else if (ch === '}' || ch === ']') {
      frames.pop()
      key = false
    } else if (ch === ',') {
      key = frames[frames.length - 1] instanceof Set
    }
  }
  return undefined
}
