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
 * Registers a credential: raw, URL-encoded (encodeURIComponent and form encoding), base64 and
 * base64url of its UTF-8 bytes, JSON-escaped (also with `\/`), and as the job summary escapes
 * it. Each line of a multi-line secret (a PEM key pasted whole) is registered too.
 */
export function registerSecret(secret: string): void {
  const pieces = [secret, ...secret.split(/\r\n|\r|\n/).map(line => line.trim())]
  for (const piece of new Set(pieces)) {
    if (piece.length < MIN_SECRET_FORM) continue
    const starts = formsOf(piece.slice(0, PREFIX_MATCH))
    formsOf(piece).forEach((form, i) => {
      if (form.length < MIN_SECRET_FORM || forms.has(form)) return
      // Encodings of a prefix are prefixes of the encoding, but for base64's last partial group.
      let start = starts[i]
      while (!form.startsWith(start)) start = start.slice(0, -1)
      forms.set(form, start.length >= MIN_SECRET_FORM ? start : form)
      matcher = undefined
    })
  }
}

/** Replaces every registered credential (and any cut-short start of one) with `***`. */
export function redact(text: string): string {
  if (forms.size === 0 || text.length < MIN_SECRET_FORM) return text
  const { pattern, byPrefix } = (matcher ??= buildMatcher())
  pattern.lastIndex = 0
  let out = ''
  let from = 0
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    const start = match.index
    // The longest run of text that agrees with a registered form starting with this prefix.
    let end = start + match[0].length
    for (const form of byPrefix.get(match[0]) ?? []) {
      let i = match[0].length
      while (i < form.length && text.charCodeAt(start + i) === form.charCodeAt(i)) i += 1
      end = Math.max(end, start + i)
    }
    out += `${text.slice(from, start)}${REDACTED}`
    from = end
    pattern.lastIndex = end
  }
  return from === 0 ? text : out + text.slice(from)
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

function formsOf(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8')
  const json = JSON.stringify(secret).slice(1, -1)
  return [
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
