import { escapeForSummary, oneLine, quote } from '../../src/common/text.js'

describe('quote', () => {
  it('turns line breaks into visible escapes so text cannot start a workflow command', () => {
    const quoted = quote('x\n::warning::injected')
    expect(quoted).toBe('"x\\n::warning::injected"')
    expect(quoted).not.toContain('\n')
  })

  it('escapes the Unicode line separators JSON leaves alone', () => {
    expect(quote('a\u2028b\u2029c')).toBe('"a\\u2028b\\u2029c"')
  })

  it('shortens long text with an ellipsis', () => {
    expect(quote('abcdef', 3)).toBe('"abc…"')
  })
})

describe('oneLine', () => {
  it('flattens control characters and runs of whitespace into single spaces', () => {
    expect(oneLine('a\r\n\tb  \u0007c')).toBe('a b c')
  })

  it('shortens long text', () => {
    expect(oneLine('x'.repeat(10), 4)).toBe('xxxx…')
  })
})

describe('escapeForSummary', () => {
  it('neutralises HTML tags', () => {
    const escaped = escapeForSummary('<img src=x onerror=alert(1)><script>')
    expect(escaped).not.toMatch(/[<>]/)
    expect(escaped).toContain('&#60;img')
  })

  it('neutralises markdown, autolinks, mentions and emoji codes', () => {
    const escaped = escapeForSummary('**bold** [link](https://evil.example) @team :rocket: | `code` # h')
    const withoutEntities = escaped.replace(/&#\d+;/g, '')
    expect(withoutEntities).toMatch(/^[A-Za-z ]+$/)
    expect(escaped).toContain('bold')
  })

  it('keeps letters, digits, spaces and non-ASCII text readable', () => {
    expect(escapeForSummary('AWS rejected é 42')).toBe('AWS rejected é 42')
  })

  it('turns line breaks into <br> so a table cell stays one cell', () => {
    expect(escapeForSummary('a\r\nb\nc')).toBe('a<br>b<br>c')
  })
})
