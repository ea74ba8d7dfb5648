import {
  IGNORABLE_ASTRAL,
  IGNORABLE_SOURCE,
  forgetSecrets,
  holdsSecret,
  parseNetworkJson,
  redact,
  redactBody,
  registerSecret
} from '../../src/common/redact.js'
import { escapeForSummary, inertLine, inertLines, oneLine, quote, shorten } from '../../src/common/text.js'

const SECRET = 'mdb_sa_sk_Zq4tW9xYp2LmN7vB3cR8sK1dF6gH0jA5'
/** A secret with every character the encodings treat differently: space, +, /, =, &, ", \, é. */
const AWKWARD = 'a b+c/d=e&f"g\\h é-0123456789'

/** The secret as the summary would write it, computed here (escapeForSummary itself redacts). */
const htmlEscaped = (text: string): string => text.replace(/[^A-Za-z0-9 ]/g, ch => `&#${ch.codePointAt(0)};`)

beforeEach(() => {
  forgetSecrets()
  registerSecret(SECRET)
  registerSecret(AWKWARD)
})
afterAll(() => forgetSecrets())

describe('redact', () => {
  it.each([
    ['raw', SECRET],
    ['encodeURIComponent', encodeURIComponent(AWKWARD)],
    ['form encoding', new URLSearchParams({ s: AWKWARD }).toString().slice(2)],
    ['base64', Buffer.from(AWKWARD).toString('base64')],
    ['base64url', Buffer.from(AWKWARD).toString('base64url')],
    ['JSON-escaped', JSON.stringify(AWKWARD).slice(1, -1)],
    ['JSON-escaped with \\/', JSON.stringify(AWKWARD).slice(1, -1).replace(/\//g, '\\/')],
    ['as the summary escapes it', htmlEscaped(SECRET)]
  ])('hides the %s form', (_, form) => {
    expect(redact(`before ${form} after`)).toBe('before *** after')
  })

  it('hides a secret cut short, down to its first 12 characters', () => {
    expect(redact(`x ${SECRET.slice(0, -1)}`)).toBe('x ***')
    expect(redact(`x ${SECRET.slice(0, 12)}…`)).toBe('x ***…')
    expect(redact(`x ${SECRET.slice(0, 11)}`)).toBe(`x ${SECRET.slice(0, 11)}`)
  })

  it('hides every occurrence, back to back', () => {
    expect(redact(`${SECRET}${SECRET}:${SECRET}`)).toBe('******:***')
  })

  it('leaves text alone when nothing is registered, and skips forms shorter than 8 characters', () => {
    forgetSecrets()
    expect(redact(`a ${SECRET}`)).toBe(`a ${SECRET}`)
    registerSecret('e')
    registerSecret('short')
    expect(redact('the secret here is e, or short')).toBe('the secret here is e, or short')
    expect(holdsSecret('short')).toBe(false)
  })

  it('registers each line of a multi-line secret', () => {
    registerSecret('-----BEGIN KEY-----\nAAAABBBBCCCCDDDD\n-----END KEY-----')
    expect(redact('the line AAAABBBBCCCCDDDD alone')).toBe('the line *** alone')
  })
})

describe('redact, reading the text as a reader decodes it', () => {
  it('lists exactly the code points Unicode calls Default_Ignorable_Code_Point', () => {
    const listed = new RegExp(`^(?:[${IGNORABLE_SOURCE}]|${IGNORABLE_ASTRAL})$`)
    const property = /^\p{Default_Ignorable_Code_Point}$/u
    const differ: string[] = []
    for (let code = 0; code <= 0x10ffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue
      const ch = String.fromCodePoint(code)
      if (listed.test(ch) !== property.test(ch)) differ.push(code.toString(16))
    }
    expect(differ).toEqual([])
  })

  it.each([
    [
      'percent-encoded, in both cases of hex',
      (s: string) =>
        [...s]
          .map(ch => `%${ch.charCodeAt(0).toString(16)}`)
          .join('')
          .replace(/%5f/, '%5F')
    ],
    [
      'as \\u escapes',
      (s: string) => [...s].map(ch => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')
    ],
    [
      'as hex character references',
      (s: string) => [...s].map(ch => `&#x${ch.charCodeAt(0).toString(16)};`).join('')
    ],
    [
      'with a zero-width space and a soft hyphen inside',
      (s: string) => `${s.slice(0, 5)}\u200b${s.slice(5, 20)}\u00ad${s.slice(20)}`
    ],
    [
      'encoded twice (%25 of %XX)',
      (s: string) => encodeURIComponent(encodeURIComponent(s.slice(0, 10))) + s.slice(10)
    ],
    ['without its first three characters', (s: string) => s.slice(3)]
  ])('hides the secret %s, and only it, in the text around it', (_case, encode) => {
    expect(redact(`a&b %zz before ${encode(SECRET)} after \\n`)).toBe('a&b %zz before *** after \\n')
  })

  it.each([
    ['a log line', 100],
    ['a body longer than the pieces are searched in (scanned with a rolling hash)', 20_000]
  ])('finds a run of 12 characters of a secret in %s, and widens it to the whole run', (_case, size) => {
    const padding = 'q'.repeat(size)
    const run = SECRET.slice(7, 30)
    expect(redact(`${padding} ${run}. ${padding}`)).toBe(`${padding} ***. ${padding}`)
    expect(redact(`${padding} ${SECRET.slice(7, 18)} ${padding}`)).toBe(
      `${padding} ${SECRET.slice(7, 18)} ${padding}`
    )
  })

  it('leaves text with escapes but no secret exactly as it was', () => {
    const text = `&#60;b&#62; %41 \\u0041 \u200b ${SECRET.slice(0, 11)} &amp; %zz`
    expect(redact(text)).toBe(text)
  })
})

describe('JSON from the network', () => {
  const escaped = SECRET.replace(/[a-z]/g, ch => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)

  it('parseNetworkJson redacts strings hidden behind \\u escapes, and keys', () => {
    const parsed = parseNetworkJson(`{"detail":"Bearer ${escaped}","${escaped}":[1,"${escaped}"]}`)
    expect(parsed).toEqual({ detail: 'Bearer ***', '***': [1, '***'] })
  })

  it('redactBody re-serialises a body only when an escaped string hid a credential', () => {
    expect(redactBody(`{"errorMessage":"${escaped}"}`)).toBe('{"errorMessage":"***"}')
    expect(redactBody('{"a":"line\\nbreak"}')).toBe('{"a":"line\\nbreak"}')
    expect(redactBody(`{"a": "${SECRET}"}`)).toBe('{"a": "***"}')
    expect(redactBody('not json \\ at all')).toBe('not json \\ at all')
  })
})

describe('every text helper redacts before it shortens or escapes', () => {
  const text = `Bearer ${SECRET} was refused`
  it.each<[string, () => string]>([
    ['quote', () => quote(text, 20)],
    ['oneLine', () => oneLine(text, 20)],
    ['shorten', () => shorten(text, 20)],
    ['escapeForSummary', () => escapeForSummary(text)],
    ['inertLine', () => inertLine(text)],
    ['inertLines', () => inertLines(`a\n${text}`)]
  ])('%s', (_, show) => {
    const shown = show()
    expect(shown).not.toContain(SECRET.slice(0, 12))
    expect(shown).not.toContain(htmlEscaped(SECRET.slice(0, 12)))
    expect(shown).toMatch(/\*\*\*|&#42;&#42;&#42;/)
  })
})

it("a cut-short match counts the secret's own characters: a public ID sharing its first 7 is left alone", () => {
  const clientId = 'mdb_sa_id_0123456789abcdef01234567'
  expect(redact(clientId)).toBe(clientId)
  expect(redact(htmlEscaped(clientId))).toBe(htmlEscaped(clientId))
  expect(escapeForSummary(`service account ${clientId}`)).toBe(htmlEscaped(`service account ${clientId}`))
  expect(redact(htmlEscaped(SECRET.slice(0, 12)))).toBe('***')
  expect(redact(Buffer.from(SECRET.slice(0, 13)).toString('base64'))).not.toContain(
    Buffer.from(SECRET.slice(0, 12)).toString('base64')
  )
})
