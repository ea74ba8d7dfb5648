import {
  endSentence,
  escapeForSummary,
  inertLine,
  inertLines,
  oneLine,
  quote,
  seconds,
  shorten,
  showInvisible
} from '../../src/common/text.js'

/** Every Unicode bidi control: each can make text read in another order than it is written. */
const BIDI = [
  '\u061c',
  '\u200e',
  '\u200f',
  '\u202a',
  '\u202b',
  '\u202c',
  '\u202d',
  '\u202e',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069'
]
const hex = (ch: string): string => ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')
const anyBidi = new RegExp(`[${BIDI.join('')}]`)

describe('quote', () => {
  it('turns line breaks into visible escapes so text cannot start a workflow command', () => {
    const quoted = quote('x\n::warning::injected')
    expect(quoted).toBe('"x\\n::warning::injected"')
    expect(quoted).not.toContain('\n')
  })

  it('escapes the Unicode line separators JSON leaves alone', () => {
    expect(quote('a\u2028b\u2029c')).toBe('"a\\u2028b\\u2029c"')
  })

  it.each(BIDI.map(ch => [hex(ch), ch]))('shows the bidi control U+%s as \\u%s', (code, ch) => {
    const quoted = quote(`admin${ch}txt.exe`)
    expect(quoted).toBe(`"admin\\u${code}txt.exe"`)
    expect(quoted).not.toMatch(anyBidi)
  })

  it('shortens long text with an ellipsis, after 200 characters by default', () => {
    expect(quote('abcdef', 3)).toBe('"abc…"')
    expect(quote('x'.repeat(201))).toBe(`"${'x'.repeat(200)}…"`)
    expect(quote('x'.repeat(200))).toBe(`"${'x'.repeat(200)}"`)
  })
})

describe('oneLine', () => {
  it('flattens control characters and runs of whitespace into single spaces', () => {
    expect(oneLine('a\r\n\tb  \u0007c')).toBe('a b c')
    expect(oneLine('  a\u2028b\u2029c\u007f ')).toBe('a b c')
  })

  it.each(BIDI.map(ch => [hex(ch), ch]))('shows the bidi control U+%s as [U+%s]', (code, ch) => {
    const flat = oneLine(`a${ch}b`)
    expect(flat).toBe(`a[U+${code}]b`)
    expect(flat).not.toMatch(anyBidi)
  })

  it('shortens long text', () => {
    expect(oneLine('x'.repeat(10), 4)).toBe('xxxx…')
    expect(oneLine('x'.repeat(300))).toBe('x'.repeat(300))
    expect(oneLine('x'.repeat(301))).toBe(`${'x'.repeat(300)}…`)
  })
})

describe('showInvisible', () => {
  it('shows every bidi control and line separator, and leaves other text alone', () => {
    const text = `A${BIDI.join('B')}\u2028\u2029 é 中 😀`
    const shown = showInvisible(text)
    expect(shown).not.toMatch(anyBidi)
    expect(shown).not.toMatch(/[\u2028\u2029]/)
    for (const ch of BIDI) expect(shown).toContain(`[U+${hex(ch)}]`)
    expect(shown.endsWith('[U+2028][U+2029] é 中 😀')).toBe(true)
  })
})

describe('shorten', () => {
  it('keeps text within the limit as it is', () => {
    expect(shorten('abc', 3)).toBe('abc')
  })

  it('cuts longer text with a note that says where and how long it was', () => {
    expect(shorten('abcdef', 3, 'by the action')).toBe('abc… [shortened by the action: 6 characters in all]')
    expect(shorten('abcdef', 3)).toContain('[shortened here')
  })

  it('never splits a surrogate pair', () => {
    const cut = shorten(`ab${'😀'.repeat(10)}`, 3)
    expect(cut.startsWith('ab…')).toBe(true)
    // No lone surrogate: the result survives a round trip through UTF-8 unchanged.
    expect(Buffer.from(cut, 'utf8').toString('utf8')).toBe(cut)
  })

  it('caps a megabyte of text to the limit and a short note', () => {
    expect(shorten('<'.repeat(1_040_000), 1000).length).toBeLessThan(1100)
  })
})

describe('escapeForSummary', () => {
  it('neutralises HTML tags', () => {
    const escaped = escapeForSummary('<img src=x onerror=alert(1)><script>')
    expect(escaped).not.toMatch(/[<>]/)
    expect(escaped).toContain('&#60;img')
  })

  it('neutralises markdown, autolinks, mentions and emoji codes', () => {
    const escaped = escapeForSummary(
      '**bold** [link](https://evil.example) @team :rocket: | `code` # h ~x~ !'
    )
    const withoutEntities = escaped.replace(/&#\d+;/g, '')
    expect(withoutEntities).toMatch(/^[A-Za-z ]+$/)
    expect(escaped).toContain('bold')
  })

  it('keeps letters, digits, spaces and non-ASCII text readable', () => {
    expect(escapeForSummary('AWS rejected é 42 中')).toBe('AWS rejected é 42 中')
  })

  it('turns line breaks into <br> so a table cell stays one cell', () => {
    expect(escapeForSummary('a\r\nb\nc\rd')).toBe('a<br>b<br>c<br>d')
  })

  it.each(BIDI.map(ch => [hex(ch), ch]))('shows the bidi control U+%s as [U+%s]', (code, ch) => {
    const escaped = escapeForSummary(`a${ch}b`)
    expect(escaped).toBe(`a&#91;U&#43;${code}&#93;b`)
    expect(escaped).not.toMatch(anyBidi)
  })

  it('lets no bidi control through, wherever it stands among other text', () => {
    const text = BIDI.map((ch, i) => `${'<'.repeat(i)}${ch}\n`).join('')
    for (const shown of [escapeForSummary(text), oneLine(text), quote(text, 10_000)]) {
      expect(shown).not.toMatch(anyBidi)
    }
  })
})

describe('endSentence', () => {
  it.each([
    ['Done', 'Done.'],
    ['Done.', 'Done.'],
    ['Really?', 'Really?'],
    ['Atlas says: "no."', 'Atlas says: "no."'],
    ['Atlas says: "no"', 'Atlas says: "no".']
  ])('ends %j as %j', (text, ended) => {
    expect(endSentence(text)).toBe(ended)
  })
})

describe('seconds', () => {
  it.each([
    [30_000, '30 s'],
    [0, '0 s'],
    [1_500, '1.5 s'],
    [4_500, '4.5 s'],
    [250, '0.3 s']
  ])('shows %i ms as %s', (ms, shown) => {
    expect(seconds(ms)).toBe(shown)
  })
})

describe('inertLine: nothing the runner could obey', () => {
  /** What the runner treats as a command (actions/runner ActionCommand.cs TryParseV2, TryParse). */
  const isCommand = (line: string): boolean => /^[\s\u0085]*::/.test(line) || /##\[/.test(line)

  it.each([
    ['a line feed', 'x\n::stop-commands::tok'],
    ['a carriage return', 'x\r::add-mask::x'],
    ['CR LF', 'x\r\n::error title=Deploy approved::All checks passed'],
    ['NEL', 'x\u0085::warning::x'],
    ['U+2028', 'x\u2028::warning::x'],
    ['U+2029', 'x\u2029::warning::x'],
    ['a vertical tab', 'x\u000b::warning::x'],
    ['a form feed', 'x\u000c::warning::x'],
    ['leading spaces', '   ::error::x'],
    ['a leading NEL and no-break spaces', '\u0085\u00a0\u3000::error::x'],
    ['the legacy form, anywhere', 'Atlas says: ##[add-mask]x'],
    ['the legacy form at the start', '##[stop-commands]tok']
  ])('%s: one line, no command', (_, text) => {
    const line = inertLine(text)
    expect(line.split(/\r\n|\r|\n/)).toHaveLength(1)
    // eslint-disable-next-line no-control-regex -- the controls are what is checked
    expect(line).not.toMatch(/[\u0085\u2028\u2029\u000b\u000c]/)
    expect(isCommand(line)).toBe(false)
  })

  it('shows what it changed, and decodes nothing', () => {
    expect(inertLine('a\nb\r\nc\rd')).toBe('a\\nb\\r\\nc\\rd')
    expect(inertLine('a\u0085b')).toBe('a[U+0085]b')
    expect(inertLine('::x::y')).toBe('\\::x::y')
    expect(inertLine('a ##[b]')).toBe('a ##\\[b]')
    expect(inertLine('%0A::x')).toBe('%0A::x')
    expect(inertLine('tab\tkept')).toBe('tab\tkept')
  })

  it("inertLines keeps the action's own line breaks, each line inert", () => {
    expect(inertLines('2 inputs are invalid:\n- a\n::error::b')).toBe(
      '2 inputs are invalid:\n- a\n\\::error::b'
    )
  })
})
