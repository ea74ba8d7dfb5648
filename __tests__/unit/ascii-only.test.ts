import { runInNewContext } from 'node:vm'
import { asciiOnly } from '../../scripts/ascii-only.js'

/** scripts/ascii-only.ts: dist/ is written in ASCII, and the escapes must not change what the code does. */
describe('the bundle made ASCII', () => {
  const run = (code: string): unknown => runInNewContext(`(() => { ${code} })()`)

  it.each([
    ['a string', `return 'caf\u00e9 \u2026 \u2705 \u{1f600}'`],
    ['an untagged template', 'const n = 2; return `${n} \u00d7 \u2192 \u{1f600}`'],
    [
      'a regular expression without the u flag',
      `return [/[.!?\u2026]"?$/.test('done\u2026'), 'caf\u00e9\u00e9'.replace(/\u00e9+/, '-')]`
    ],
    [
      'a regular expression with the u flag',
      `return ['\u{1f600}x'.match(/[\u{1f600}]/u)[0], /^.$/u.test('\u{1f600}')]`
    ],
    ['a comment', `/* caf\u00e9 */ // \u2014 note\nreturn 1`],
    ['an identifier', `const caf\u00e9 = 3; return caf\u00e9 * 2`]
  ])('in %s means what it meant', (_where, code) => {
    const ascii = asciiOnly('test.js', code)
    expect(ascii).toMatch(/^[\t\n\r\x20-\x7e]*$/)
    expect(run(ascii)).toEqual(run(code))
  })

  it('leaves an ASCII file as it is', () => {
    const code = 'module.exports = "plain" // ok\n'
    expect(asciiOnly('plain.js', code)).toBe(code)
  })

  it.each([
    [
      'a backslash before a non-ASCII character',
      `return '\\\u00e9'`,
      /a backslash before a non-ASCII character/
    ],
    [
      'a tagged template',
      'return String.raw`\u2026`',
      /a non-ASCII character in a tagged template \(String\.raw/
    ],
    ['an aliased tag', 'const r = String.raw; return r`caf\u00e9`', /tagged template \(r/],
    ['U+2028 ending a // comment', 'let x = 0 // note\u2028x = 1\nreturn x', /U\+2028 or U\+2029/],
    ['a non-ASCII space between tokens', 'return\u00a01', /Invalid or unexpected token/]
  ])('refuses %s, which an escape would change', (_what, code, message) => {
    expect(() => asciiOnly('hostile.js', code)).toThrow(message)
  })
})
