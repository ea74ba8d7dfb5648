import { compileFunction } from 'node:vm'
import ts from 'typescript'

/** A character that is not printable ASCII, tab or a line break: what gets escaped. */
const OUTSIDE_ASCII = /[^\t\n\r\x20-\x7e]/

/**
 * The code with every character outside printable ASCII (tab and line breaks kept) written as
 * a \u escape (an astral one as its two surrogates). V8 keeps an all-ASCII source as one byte
 * per character; one non-ASCII character (a `…` in a message) makes Node decode the whole file
 * into a two-byte string, about 0.5 ms of every start.
 *
 * The escape means the character itself in strings, untagged templates, regular expressions
 * (with or without the u flag), identifiers and comments. Where it would not, the build stops:
 * after a backslash (`\é` would turn into an escaped backslash), in a tagged template (its tag
 * sees the raw text), and for U+2028/U+2029, which end a `//` comment but would not as escapes.
 * The result is compiled, so that an escape standing for whitespace between tokens fails here.
 * Only reflection sees the difference: a regular expression's `.source` and a function's
 * `toString()` show the escape (nothing in src/ reads either).
 */
export function asciiOnly(name: string, code: string): string {
  const refuse = (why: string): never => {
    throw new Error(`${name}: ${why}; the bundle cannot be made ASCII safely (scripts/bundle.ts)`)
  }
  if (new RegExp(`\\\\${OUTSIDE_ASCII.source}`).test(code)) refuse('a backslash before a non-ASCII character')
  if (/[\u2028\u2029]/.test(code)) refuse('a raw U+2028 or U+2029')
  const source = ts.createSourceFile(name, code, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS)
  const visit = (node: ts.Node): void => {
    if (ts.isTaggedTemplateExpression(node) && OUTSIDE_ASCII.test(node.template.getText(source)))
      refuse(`a non-ASCII character in a tagged template (${node.tag.getText(source).slice(0, 40)}\`…\`)`)
    ts.forEachChild(node, visit)
  }
  visit(source)
  const ascii = code.replace(
    new RegExp(OUTSIDE_ASCII.source, 'g'),
    char => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`
  )
  compileFunction(ascii, ['exports', 'require', 'module', '__filename', '__dirname'], { filename: name })
  return ascii
}
