/**
 * Shows the action's job summary outside GitHub: as text for a terminal, and as a standalone
 * HTML page. The summary is the small, fixed set of tags src/summary.ts writes (h2, h3, p,
 * table, ul, code, a, sub, br), so a few regular expressions read it; this is no general HTML
 * parser.
 */

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' }

/** The action escapes nearly every punctuation mark as `&#NN;`, so decoding is not optional. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] !== '#') return NAMED_ENTITIES[name.toLowerCase()] ?? whole
    const code =
      name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10)
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole
  })
}

/** Text of an HTML fragment: tags stripped, links keep their target, `<br>` breaks the line. */
function inlineText(html: string): string {
  const withLinks = html.replace(/<a\s[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi, '$2 ($1)')
  const stripped = withLinks.replace(/<br\s*\/?>/gi, '\n').replace(/<[^>]+>/g, '')
  return decodeEntities(stripped)
    .replace(/[ \t]+/g, ' ')
    .trim()
}

/** Columns a terminal gives the text: emoji take two, the emoji variation selector none. */
export function displayWidth(text: string): number {
  let width = 0
  for (const ch of text) {
    if (ch === '\ufe0f' || ch === '\u200d') continue
    width += /\p{Extended_Pictographic}/u.test(ch) && ch.codePointAt(0)! > 0xff ? 2 : 1
  }
  return width
}

export function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)))
}

/** Rows as aligned columns; a header row (all `<th>`) gets a rule under it. */
function tableText(html: string, indent: string): string[] {
  const rows = [...html.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/gi)].map(row => ({
    header: !/<td/i.test(row[1]),
    cells: [...row[1].matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/gi)].map(cell =>
      inlineText(cell[1]).replace(/\n/g, ' ')
    )
  }))
  const widths: number[] = []
  for (const { cells } of rows)
    cells.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, displayWidth(cell))))
  const lines: string[] = []
  for (const { header, cells } of rows) {
    lines.push(
      indent +
        cells
          .map((cell, i) => padEnd(cell, widths[i]))
          .join('  ')
          .trimEnd()
    )
    // Only a multi-column header row is a table header; a lone <th> is a row label.
    if (header && cells.length > 1) lines.push(indent + widths.map(w => '─'.repeat(w)).join('  '))
  }
  return lines
}

/** The summary as terminal text: underlined headings, paragraphs, bullets, aligned tables. */
export function summaryToText(html: string, indent = '  '): string {
  const lines: string[] = []
  const blocks = /<(h[1-6]|p|table|ul|ol)\b[^>]*>([\s\S]*?)<\/\1>/gi
  let rest = 0
  // A blank line between blocks, except right under a heading's rule or after a blank line.
  const separate = (): void => {
    const last = lines[lines.length - 1]
    if (last !== undefined && last !== '' && !/^\s*[═─]+$/.test(last)) lines.push('')
  }
  const loose = (fragment: string): void => {
    const text = inlineText(fragment)
    if (text === '') return
    separate()
    lines.push(...text.split('\n').map(line => indent + line))
  }
  for (const match of html.matchAll(blocks)) {
    loose(html.slice(rest, match.index))
    rest = match.index + match[0].length
    const [, tag, inner] = match
    const name = tag.toLowerCase()
    separate()
    if (name[0] === 'h') {
      const text = inlineText(inner).replace(/\n/g, ' ')
      lines.push(
        indent + text,
        indent + (name === 'h1' || name === 'h2' ? '═' : '─').repeat(displayWidth(text))
      )
    } else if (name === 'table') {
      lines.push(...tableText(inner, indent))
    } else if (name === 'ul' || name === 'ol') {
      for (const item of inner.matchAll(/<li[^>]*>([\s\S]*?)<\/li>/gi)) {
        lines.push(`${indent}• ${inlineText(item[1]).replace(/\n/g, `\n${indent}  `)}`)
      }
    } else {
      loose(inner)
    }
  }
  loose(html.slice(rest))
  return lines.join('\n')
}

/**
 * A full page around the summary, styled after GitHub's job summary card and its markdown body
 * (primer's github-markdown-css: 14px system font, tables sized to their content with 1px
 * borders and striped rows, `code` on a grey background, `sub` at 75%), so that a screenshot of
 * it shows what a workflow author sees. `note` follows the title in the card's header.
 */
export function summaryPage(summaryHtml: string, title: string, note = 'job summary (local demo)'): string {
  const css = `
  body { margin: 0; padding: 24px 16px; background: #f6f8fa; color: #1f2328;
    font: 14px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif,
      "Apple Color Emoji", "Segoe UI Emoji", "Noto Color Emoji"; }
  .card { max-width: 1012px; margin: 0 auto; background: #fff; border: 1px solid #d1d9e0; border-radius: 6px; }
  .card > header { padding: 12px 16px; border-bottom: 1px solid #d1d9e0; font-weight: 600; }
  .card > header small { color: #59636e; font-weight: 400; }
  .markdown-body { padding: 16px 24px 8px; word-wrap: break-word; }
  .markdown-body > :first-child { margin-top: 0 !important; }
  h2, h3 { font-weight: 600; line-height: 1.25; margin: 24px 0 16px; }
  h2 { font-size: 1.5em; padding-bottom: .3em; border-bottom: 1px solid #d1d9e0b3; }
  h3 { font-size: 1.25em; }
  p, ul, table, details { margin: 0 0 16px; }
  ul { padding-left: 2em; }
  table { display: block; width: max-content; max-width: 100%; overflow: auto; border-spacing: 0;
    border-collapse: collapse; font-variant: tabular-nums; }
  th { font-weight: 600; }
  th, td { border: 1px solid #d1d9e0; padding: 6px 13px; }
  tr { background: #fff; border-top: 1px solid #d1d9e0b3; }
  tr:nth-child(2n) { background: #f6f8fa; }
  code { font: 85% ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace;
    padding: .2em .4em; margin: 0; white-space: break-spaces; background: #818b981f; border-radius: 6px; }
  sub { font-size: 75%; line-height: 0; position: relative; vertical-align: baseline; bottom: -.25em; }
  summary { cursor: pointer; }
  a { color: #0969da; text-decoration: none; }
  a:hover { text-decoration: underline; }`
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${css}
</style>
</head>
<body>
<div class="card">
<header>${escapeHtml(title)} <small>· ${escapeHtml(note)}</small></header>
<div class="markdown-body">
${summaryHtml.trim()}
</div>
</div>
</body>
</html>
`
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, ch => `&#${ch.charCodeAt(0)};`)
}
