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
    for (const raw of hex ? [piece, piece.toLowerCase(), piece.toUpperCase()] : [piece]) addWindows(raw)
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
 * reader would decode it (see decodedView: escapes decoded, invisible characters dropped), so
 * that `\u0074ok…`, `%2f`, `&#116;` or a zero-width space inside a secret hide nothing.
 */
export function redact(text: string): string {
  if (forms.size === 0 || text.length < MIN_SECRET_FORM) return text
  const direct = replaceRanges(text, findForms(text))
  const view = decodedView(direct)
  if (view === undefined) return replaceRanges(direct, findWindows(direct))
  const found = [...findForms(view.text), ...findWindows(view.text)].map(([start, end]): [number, number] => [
    view.from[start],
    view.to[end - 1]
  ])
  return replaceRanges(direct, found)
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
  const found: [number, number][] = []
  if (windows.size === 0 || text.length < PREFIX_MATCH) return found
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
  if (secret.length > MAX_WINDOWED) return
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
 * Characters a reader does not see, or reads as nothing (soft hyphen, zero-width ones, word
 * joiner, bidi controls, variation selectors, BOM): a secret with them inserted is still the
 * secret to anyone who copies it.
 */
const IGNORABLE = /^\p{Default_Ignorable_Code_Point}$/u
/** Escapes a reader (or a browser, a shell, a JSON parser) decodes. */
const ESCAPE =
  /\\u([0-9a-fA-F]{4})|\\x([0-9a-fA-F]{2})|\\([\\/"'])|%([0-9a-fA-F]{2})|&#([0-9]{1,7});?|&#[xX]([0-9a-fA-F]{1,6});?|&(amp|lt|gt|quot|apos|sol|colon|lowbar|hyphen|period|plus|equals|num|percnt|bsol);/y
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
const MAY_DECODE = /[\\%&]|\p{Default_Ignorable_Code_Point}/u

/**
 * The text as a reader would decode it: JSON/JS escapes (`\u0074`, `\/`), percent-encoding of
 * ASCII (either case of hex), HTML character references, invisible characters dropped; up to
 * three times over (`%2526` is `%26` is `&`). `from[i]` and `to[i]` are where the i-th character
 * of the decoded text starts and ends in the original. Undefined when nothing decodes.
 */
function decodedView(original: string): DecodedView | undefined {
  let view: DecodedView | undefined
  for (let layer = 0; layer < 3; layer++) {
    const source = view?.text ?? original
    if (!MAY_DECODE.test(source)) break
    // Decoding never lengthens: each escape stands for fewer UTF-16 units than it is written in.
    const units: string[] = []
    const from = new Int32Array(source.length)
    const to = new Int32Array(source.length)
    const push = (unit: string, start: number, end: number): void => {
      from[units.length] = view ? view.from[start] : start
      to[units.length] = view ? view.to[end - 1] : end
      units.push(unit)
    }
    let changed = false
    for (let at = 0; at < source.length;) {
      const first = source.charCodeAt(at)
      // '\\', '%', '&'
      const escape = first === 0x5c || first === 0x25 || first === 0x26 ? execAt(ESCAPE, source, at) : null
      if (escape) {
        const [whole, u, x, simple, percent, decimal, hexRef, named] = escape
        const code = u ?? x ?? percent ?? hexRef
        const number = code !== undefined ? parseInt(code, 16) : decimal !== undefined ? Number(decimal) : -1
        const decoded =
          number >= 0 ? String.fromCodePoint(Math.min(number, 0x10ffff)) : (simple ?? NAMED[named])
        for (let unit = 0; unit < decoded.length; unit++) push(decoded[unit], at, at + whole.length)
        at += whole.length
        changed = true
        continue
      }
      const size = first >= 0xd800 && first <= 0xdbff && at + 1 < source.length ? 2 : 1
      if (first > 0x7f && IGNORABLE.test(source.slice(at, at + size))) {
        at += size
        changed = true
        continue
      }
      push(source[at], at, at + 1)
      at += 1
    }
    if (!changed) break
    view = { text: units.join(''), from, to }
  }
  return view
}

interface DecodedView {
  text: string
  from: Int32Array
  to: Int32Array
}

function execAt(pattern: RegExp, text: string, at: number): RegExpExecArray | null {
  pattern.lastIndex = at
  return pattern.exec(text)
}
