/**
 * The run's credentials, and the one function that hides them in text from outside. Every
 * credential the run holds (private key, client secret, the Basic credential, each access
 * token) is registered here the moment it is known; `redact()` then replaces it with `***` in
 * any text, in every form a server could echo it back in. It runs before text is shortened,
 * escaped, quoted, logged, put in an output or in the summary: a secret cut short or written
 * as HTML character references is no longer a string the runner's masking can recognise.
 */

export const REDACTED = '***'

/** Shorter forms are not registered: hiding every 3-letter match would hide ordinary words. */
export const MIN_SECRET_FORM = 8

/**
 * A secret cut short is still a secret: text holding the first PREFIX_MATCH characters of a
 * secret, in any of its forms, is redacted from there for as long as it goes on matching that
 * form. Counted in the secret's own characters (`mdb_sa_sk_Zq`), not in those of its form
 * (`mdb&#95;sa&#95;` is only 7 of them, and would match a public client ID).
 */
const PREFIX_MATCH = 12

/** Each registered form, with the start of it that is enough to recognise it. */
const forms = new Map<string, string>()
let matcher: { pattern: RegExp; byPrefix: Map<string, string[]> } | undefined
/**
 * Every PREFIX_MATCH-character run of each raw secret (and of the other case of a hex one), by
 * a hash of it: a secret echoed without its start (`Zq4tW9…` for `mdb_sa_sk_Zq4tW9…`, whose
 * prefix is public; a token with its first letters cut off) gives itself away all the same.
 * Only raw secrets: an encoded form's runs would count encoding characters (see PREFIX_MATCH).
 */
const windows = new Map<number, { secret: string; offset: number }[]>()
/**
 * The raw secrets (both cases of a hex one) whose runs are looked for. A text up to
 * ANCHORED_TEXT characters long (a log line, an output, a summary) is searched for each
 * secret's ANCHOR-character pieces with indexOf, and a hit is widened to the run around it;
 * a longer one (a body of up to 1 MiB) is scanned once with the rolling hash of `windows`,
 * built on first need. Registering costs next to nothing, which a run pays at its start.
 */
const runSecrets: string[] = []
/** Every run of PREFIX_MATCH characters holds a whole piece of this length starting at a multiple of it. */
const ANCHOR = PREFIX_MATCH / 2
const ANCHORED_TEXT = 16_384

/**
 * Registers a credential: raw, URL-encoded (encodeURIComponent and form encoding), base64 and
 * base64url of its UTF-8 bytes, JSON-escaped (also with `\/`), and as the job summary escapes
 * it. Each line of a multi-line secret (a PEM key pasted whole) is registered too.
 */
export function registerSecret(secret: string): void {
  const pieces = [secret, ...secret.split(/\r\n|\r|\n/).map(line => line.trim())]
  for (const piece of new Set(pieces)) {
    if (piece.length < MIN_SECRET_FORM) continue
    // Hex (an API private key is a UUID) reads the same in either case: both are the secret.
    const hex = isHex(piece)
    for (const raw of hex ? [piece, piece.toLowerCase(), piece.toUpperCase()] : [piece]) {
      if (raw.length <= MAX_WINDOWED && !runSecrets.includes(raw)) {
        runSecrets.push(raw)
        windows.clear()
      }
    }
    const starts = formsOf(piece.slice(0, PREFIX_MATCH), hex)
    formsOf(piece, hex).forEach((form, i) => {
      if (form.length < MIN_SECRET_FORM || forms.has(form)) return
      // Encodings of a prefix are prefixes of the encoding, but for base64's last partial group.
      let start = starts[i]
      while (!form.startsWith(start)) start = start.slice(0, -1)
      forms.set(form, start.length >= MIN_SECRET_FORM ? start : form)
      matcher = undefined
    })
  }
}

/**
 * Replaces every registered credential (and any cut-short start of one, and any run of
 * PREFIX_MATCH characters of a raw one) with `***`. The text is read twice: as it is, and as a
 * reader would decode it (see decodedLayers: escapes decoded, invisible characters dropped), so
 * that `\u0074ok…`, `%2f`, `&#116;` or a zero-width space inside a secret hide nothing.
 */
export function redact(text: string): string {
  if (forms.size === 0 || text.length < MIN_SECRET_FORM) return text
  const direct = replaceRanges(text, findForms(text))
  const layers = decodedLayers(direct)
  if (layers.length === 0) return replaceRanges(direct, findWindows(direct))
  const seen = layers[layers.length - 1].text
  const found = [...findForms(seen), ...findWindows(seen)]
  return replaceRanges(
    direct,
    found.map(([start, end]) => sourceRange(layers, start, end))
  )
}

/** Where the registered forms (and their cut-short starts) are in the text. */
function findForms(text: string): [number, number][] {
  const { pattern, byPrefix } = (matcher ??= buildMatcher())
  pattern.lastIndex = 0
  const found: [number, number][] = []
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    const start = match.index
    // The longest run of text that agrees with a registered form starting with this prefix.
    let end = start + match[0].length
    for (const form of byPrefix.get(match[0]) ?? []) {
      let i = match[0].length
      while (i < form.length && text.charCodeAt(start + i) === form.charCodeAt(i)) i += 1
      end = Math.max(end, start + i)
    }
    found.push([start, end])
    pattern.lastIndex = end
  }
  return found
}

/** Where a run of at least PREFIX_MATCH characters of a raw secret is in the text. */
function findWindows(text: string): [number, number][] {
  if (runSecrets.length === 0 || text.length < PREFIX_MATCH) return []
  return text.length <= ANCHORED_TEXT ? findAnchoredRuns(text) : findHashedRuns(text)
}

/** Each secret's ANCHOR-character pieces found with indexOf, each hit widened to its run. */
function findAnchoredRuns(text: string): [number, number][] {
  const found: [number, number][] = []
  for (const secret of runSecrets) {
    for (let offset = 0; offset + ANCHOR <= secret.length; offset += ANCHOR) {
      const anchor = secret.slice(offset, offset + ANCHOR)
      for (let at = text.indexOf(anchor); at !== -1; at = text.indexOf(anchor, at + 1)) {
        let before = 0
        while (before < offset && text.charCodeAt(at - before - 1) === secret.charCodeAt(offset - before - 1))
          before += 1
        let after = ANCHOR
        while (
          offset + after < secret.length &&
          text.charCodeAt(at + after) === secret.charCodeAt(offset + after)
        )
          after += 1
        if (before + after >= PREFIX_MATCH) found.push([at - before, at + after])
      }
    }
  }
  return found
}

/** One pass of a rolling hash over the text, for texts too long to search piece by piece. */
function findHashedRuns(text: string): [number, number][] {
  if (windows.size === 0) for (const secret of runSecrets) addWindows(secret)
  const found: [number, number][] = []
  let at = 0
  let hash = hashOf(text, 0)
  while (at + PREFIX_MATCH <= text.length) {
    let end = at
    for (const { secret, offset } of windows.get(hash) ?? []) {
      let i = 0
      while (offset + i < secret.length && text.charCodeAt(at + i) === secret.charCodeAt(offset + i)) i += 1
      if (i >= PREFIX_MATCH) end = Math.max(end, at + i)
    }
    if (end > at) {
      found.push([at, end])
      at = end
      if (at + PREFIX_MATCH <= text.length) hash = hashOf(text, at)
      continue
    }
    if (at + PREFIX_MATCH < text.length)
      hash = roll(hash, text.charCodeAt(at), text.charCodeAt(at + PREFIX_MATCH))
    at += 1
  }
  return found
}

/** Each range (overlapping ones merged) replaced with `***`. */
function replaceRanges(text: string, ranges: [number, number][]): string {
  if (ranges.length === 0) return text
  ranges.sort((a, b) => a[0] - b[0])
  let out = ''
  let from = 0
  for (const [start, end] of ranges) {
    if (end <= from) continue
    if (start >= from) out += `${text.slice(from, start)}${REDACTED}`
    from = end
  }
  return out + text.slice(from)
}

/** True when the text holds a registered credential (or the start of one). */
export function holdsSecret(text: string): boolean {
  return redact(text) !== text
}

/**
 * JSON from the network, parsed, with every string (and every key) redacted after parsing:
 * a credential written with `\u0041` or `\/` escapes is caught once the escapes are decoded.
 * Throws what JSON.parse throws.
 */
export function parseNetworkJson(text: string): unknown {
  return redactStrings(JSON.parse(text))
}

/**
 * A network body as the rest of the action may see it: redacted as text, and, when it is JSON
 * whose decoded strings still hold a credential (hidden behind escapes), re-serialised with
 * those strings redacted.
 */
export function redactBody(text: string): string {
  const flat = redact(text)
  if (forms.size === 0 || !flat.includes('\\')) return flat
  let parsed: unknown
  try {
    parsed = JSON.parse(flat)
  } catch {
    return flat
  }
  const changed = { value: false }
  const clean = redactStrings(parsed, changed)
  return changed.value ? JSON.stringify(clean) : flat
}

/** Forgets every registered credential: for tests, which share one process. */
export function forgetSecrets(): void {
  forms.clear()
  windows.clear()
  runSecrets.length = 0
  matcher = undefined
}

function redactStrings(value: unknown, changed: { value: boolean } = { value: false }): unknown {
  if (typeof value === 'string') {
    const clean = redact(value)
    if (clean !== value) changed.value = true
    return clean
  }
  if (Array.isArray(value)) return value.map(item => redactStrings(item, changed))
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        redactStrings(key, changed) as string,
        redactStrings(item, changed)
      ])
    )
  }
  return value
}

/**
 * The forms of a secret, always in the same order (registerSecret pairs each with the same form
 * of the secret's start). `hex`: the secret is hex, and its upper- and lower-case spellings are
 * forms too.
 */
function formsOf(secret: string, hex: boolean): string[] {
  const bytes = Buffer.from(secret, 'utf8')
  const json = JSON.stringify(secret).slice(1, -1)
  return [
    ...(hex ? [secret.toLowerCase(), secret.toUpperCase()] : [secret, secret]),
    // Base64 of a longer text that holds the secret (`Bearer <token>`, `user:password`): the
    // secret's characters there depend on where it starts, modulo 3. The other two alignments.
    ...[1, 2].flatMap(shift => {
      const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64')
      // Drop the characters that hold bits of the bytes before, and those of the bytes after.
      const whole = Math.floor((shift + bytes.length) / 3) * 4
      const core = encoded.slice(shift + 1, whole)
      return [core, core.replace(/\+/g, '-').replace(/\//g, '_')]
    }),
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
    bytes.toString('base64'),
    bytes.toString('base64').replace(/=+$/, ''),
    bytes.toString('base64url'),
    json,
    json.replace(/\//g, '\\/'),
    // As escapeForSummary writes it (src/common/text.ts): a last line of defence for the summary.
    secret.replace(/[^A-Za-z0-9 \u00a0-\u200d\u2030-\ud7ff\ue000-\ufeff]/gu, ch => `&#${ch.codePointAt(0)};`)
  ]
}

function buildMatcher(): { pattern: RegExp; byPrefix: Map<string, string[]> } {
  const byPrefix = new Map<string, string[]>()
  for (const [form, prefix] of forms) {
    byPrefix.set(prefix, [...(byPrefix.get(prefix) ?? []), form])
  }
  // Longer prefixes first, so that a short one never hides a longer match at the same place.
  const alternatives = [...byPrefix.keys()]
    .sort((a, b) => b.length - a.length)
    .map(prefix => prefix.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
  return { pattern: new RegExp(alternatives.join('|'), 'g'), byPrefix }
}

function isHex(secret: string): boolean {
  return /^[0-9a-f-]+$/i.test(secret) && /[a-f]/i.test(secret)
}

/** Secrets longer than this (no credential is) are still redacted by their forms, not by runs. */
const MAX_WINDOWED = 16_384

function addWindows(secret: string): void {
  for (let offset = 0; offset + PREFIX_MATCH <= secret.length; offset++) {
    const hash = hashOf(secret, offset)
    const entries = windows.get(hash) ?? []
    const run = secret.slice(offset, offset + PREFIX_MATCH)
    // One entry per run: a run seen before (`xxxx…`) is found by the first entry already.
    if (entries.some(entry => entry.secret.startsWith(run, entry.offset))) continue
    entries.push({ secret, offset })
    windows.set(hash, entries)
  }
}

/** A rolling hash of PREFIX_MATCH UTF-16 units (a plain sum of codes times powers of 31, mod 2^32). */
const HIGHEST_POWER = Array.from({ length: PREFIX_MATCH - 1 }).reduce<number>(p => Math.imul(p, 31), 1)

function hashOf(text: string, at: number): number {
  let hash = 0
  for (let i = at; i < at + PREFIX_MATCH; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0
  return hash
}

function roll(hash: number, leaving: number, entering: number): number {
  return (Math.imul(hash - Math.imul(leaving, HIGHEST_POWER), 31) + entering) | 0
}

/**
 * Characters a reader does not see, or reads as nothing: Unicode's Default_Ignorable_Code_Point
 * (soft hyphen, zero-width ones, word joiner, bidi controls, variation selectors, BOM, tags). A
 * secret with them inserted is still the secret to anyone who copies it. Spelled out rather
 * than as `\p{…}`: a Unicode property class costs a run milliseconds to compile, and every run
 * redacts (__tests__/unit/redact.test.ts checks this list against the property).
 */
export const IGNORABLE_SOURCE =
  '\\u00ad\\u034f\\u061c\\u115f\\u1160\\u17b4\\u17b5\\u180b-\\u180f\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u206f\\u3164\\ufe00-\\ufe0f\\ufeff\\uffa0\\ufff0-\\ufff8'
/** The same, beyond the BMP, as surrogate pairs: U+1BCA0–1BCA3, U+1D173–1D17A, U+E0000–E0FFF. */
export const IGNORABLE_ASTRAL =
  '\\ud82f[\\udca0-\\udca3]|\\ud834[\\udd73-\\udd7a]|[\\udb40-\\udb43][\\udc00-\\udfff]'
/**
 * What a reader (a browser, a shell, a JSON parser) decodes: JSON/JS escapes (`\u0074`, `\/`),
 * percent-encoding (either case of hex), HTML character references; and runs of ignorable
 * characters, which decode to nothing.
 */
const DECODABLE = new RegExp(
  // eslint-disable-next-line no-misleading-character-class -- code points one by one, on purpose
  `\\\\u([0-9a-fA-F]{4})|\\\\x([0-9a-fA-F]{2})|\\\\([\\\\/"'])|%([0-9a-fA-F]{2})|&#([0-9]{1,7});?|&#[xX]([0-9a-fA-F]{1,6});?|&(amp|lt|gt|quot|apos|sol|colon|lowbar|hyphen|period|plus|equals|num|percnt|bsol);|((?:[${IGNORABLE_SOURCE}]|${IGNORABLE_ASTRAL})+)`,
  'g'
)
const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  sol: '/',
  colon: ':',
  lowbar: '_',
  hyphen: '-',
  period: '.',
  plus: '+',
  equals: '=',
  num: '#',
  percnt: '%',
  bsol: '\\'
}

/** One piece a layer of decoding replaced: decoded [at, at + length) was source [from, from + span). */
interface Edit {
  at: number
  length: number
  from: number
  span: number
}

/** One layer of decoding: the decoded text, and its edits in order. */
interface Layer {
  text: string
  edits: Edit[]
}

/**
 * The text as a reader would decode it, up to three times over (`%2526` is `%26` is `&`): one
 * layer per pass that changed something, the last one's text being what a reader sees.
 * Decoding is done by the regex engine; where a decoded character came from is worked out only
 * for what is found in it (sourceRange), which is almost never.
 */
function decodedLayers(original: string): Layer[] {
  const layers: Layer[] = []
  let source = original
  for (let pass = 0; pass < 3; pass++) {
    const edits: Edit[] = []
    let shift = 0
    const text = source.replace(
      DECODABLE,
      (
        whole: string,
        u: string | undefined,
        x: string | undefined,
        simple: string | undefined,
        percent: string | undefined,
        decimal: string | undefined,
        hexRef: string | undefined,
        named: string | undefined,
        ignorable: string | undefined,
        offset: number
      ) => {
        const code = u ?? x ?? percent ?? hexRef
        const number = code !== undefined ? parseInt(code, 16) : decimal !== undefined ? Number(decimal) : -1
        const decoded =
          ignorable !== undefined
            ? ''
            : number >= 0
              ? String.fromCodePoint(Math.min(number, 0x10ffff))
              : (simple ?? NAMED[named ?? ''] ?? whole)
        edits.push({ at: offset + shift, length: decoded.length, from: offset, span: whole.length })
        shift += decoded.length - whole.length
        return decoded
      }
    )
    if (edits.length === 0) break
    layers.push({ text, edits })
    source = text
  }
  return layers
}

/** Where [start, end) of the last layer's text was in the original text. */
function sourceRange(layers: Layer[], start: number, end: number): [number, number] {
  let [from, to] = [start, end]
  for (let i = layers.length - 1; i >= 0; i--) {
    const { edits } = layers[i]
    from = position(edits, from, false)
    to = position(edits, to - 1, true)
  }
  return [from, to]
}

/**
 * Where the decoded character at `index` came from in the layer's source: its start, or (with
 * `after`) the position just after it; a character decoded from an escape maps to the escape.
 */
function position(edits: Edit[], index: number, after: boolean): number {
  // The last edit that starts at or before index (binary search: edits are in order).
  let low = 0
  let high = edits.length - 1
  let found = -1
  while (low <= high) {
    const middle = (low + high) >> 1
    if (edits[middle].at <= index) {
      found = middle
      low = middle + 1
    } else high = middle - 1
  }
  if (found < 0) return after ? index + 1 : index
  const edit = edits[found]
  if (index < edit.at + edit.length) return after ? edit.from + edit.span : edit.from
  const plain = edit.from + edit.span + (index - edit.at - edit.length)
  return after ? plain + 1 : plain
}
