/**
 * The README's contents list is kept by hand: it must name every `## ` heading, in order, and
 * link each to the anchor GitHub gives it, so that it stays right as sections come and go.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { ROOT } from '../../standin/paths.js'

/** The `## ` headings outside code blocks. */
function headings(markdown: string): string[] {
  let fenced = false
  const found: string[] = []
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced
    else if (!fenced && line.startsWith('## ')) found.push(line.slice(3).trim())
  }
  return found
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchor(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-')
}

/** `[text](#anchor)` entries of the list right after the `**Contents**` line. */
function contents(markdown: string): { text: string; anchor: string }[] {
  const after = markdown.split(/(?:^|\n)\*\*Contents\*\*\n/)[1]
  if (after === undefined) throw new Error('README has no **Contents** list')
  const list = after.replace(/^\n+/, '').split('\n\n')[0]
  return list.split('\n').map(line => {
    const match = /^- \[(.+)\]\(#(.+)\)$/.exec(line)
    if (!match) throw new Error(`Not a contents entry: ${line}`)
    return { text: match[1], anchor: match[2] }
  })
}

const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8')

describe('README contents', () => {
  it('lists every ## heading, in order, with its GitHub anchor', () => {
    expect(contents(readme)).toEqual(headings(readme).map(text => ({ text, anchor: anchor(text) })))
  })

  it('comes before the first section', () => {
    expect(readme.indexOf('\n**Contents**\n')).toBeLessThan(readme.indexOf('\n## '))
  })

  it('the checks see what they must: headings in code, anchors with punctuation, a missing entry', () => {
    const sample = [
      '**Contents**',
      '',
      '- [Moving from v1.0](#moving-from-v10)',
      '',
      '## Moving from v1.0',
      '```yaml',
      '## not a heading',
      '```',
      '## The `env:` rule, made safe',
      ''
    ].join('\n')
    expect(headings(sample)).toEqual(['Moving from v1.0', 'The `env:` rule, made safe'])
    expect(anchor('The `env:` rule, made safe')).toBe('the-env-rule-made-safe')
    // One entry for two headings: the comparison the first test makes would fail.
    expect(contents(sample).map(entry => entry.text)).toEqual(['Moving from v1.0'])
  })
})
