import { redact } from './redact.js'

/**
 * Text that came from outside (inputs, Atlas bodies and headers) is shown to people in three
 * places: the log, annotations and the job summary. These helpers make sure it is shown, not
 * obeyed: no line break can start a workflow command (`::warning::`), and no HTML or markdown
 * can change the summary page. Each one redacts the run's credentials first (common/redact.ts),
 * before it shortens or escapes anything: a secret cut short, or written as character
 * references, could no longer be recognised.
 */

/**
 * Quotes text for a log line or message: JSON string syntax, so line breaks and control
 * characters become visible escapes and the text can never begin a new log line. Long text is
 * shortened with an ellipsis.
 */
export function quote(text: string, maxLength = 200): string {
  text = redact(text)
  const shortened = text.length > maxLength ? `${text.slice(0, maxLength)}…` : text
  // U+2028/2029 end lines in some viewers, and bidi controls reorder what a reader sees;
  // JSON.stringify leaves all of them alone.
  return JSON.stringify(shortened).replace(INVISIBLE, ch => `\\u${hex4(ch)}`)
}

/**
 * Unicode bidirectional controls (they can make text read in another order than it is
 * written) and the line separators some viewers break lines on.
 */
const INVISIBLE = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g

function hex4(ch: string): string {
  return (ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')
}

/** Shows bidi controls (and U+2028/2029) as "[U+202E]", so they cannot reorder a log line or an annotation. */
export function showInvisible(text: string): string {
  return text.replace(INVISIBLE, ch => `[U+${hex4(ch)}]`)
}

/**
 * Long text from Atlas, shortened for a place with a size limit, with a note saying so.
 * Counts UTF-16 units (close enough to characters for a limit) and never splits a surrogate pair.
 */
export function shorten(text: string, maxLength: number, where = 'here'): string {
  text = redact(text)
  if (text.length <= maxLength) return text
  let cut = maxLength
  if (/[\ud800-\udbff]/.test(text.charAt(cut - 1))) cut -= 1
  return `${text.slice(0, cut)}… [shortened ${where}: ${text.length} characters in all]`
}

/** One line of plain text: control characters and line breaks become spaces, runs collapse. */
export function oneLine(text: string, maxLength = 300): string {
  const flat = redact(text)
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  return showInvisible(flat.length > maxLength ? `${flat.slice(0, maxLength)}…` : flat)
}

/**
 * Escapes text for the job summary, which GitHub renders as markdown with inline HTML.
 * Every ASCII character except letters, digits and spaces becomes a numeric character
 * reference, so neither HTML tags nor markdown syntax (`*`, `_`, `[`, `|`, `` ` ``, `#`, `!`,
 * `~`, `\`), autolinks (`https://`, `www.`), mentions (`@`) nor emoji codes (`:x:`) can take
 * effect. Line breaks become `<br>`; bidi controls become visible ("[U+202E]").
 */
export function escapeForSummary(text: string): string {
  return showInvisible(redact(text))
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map(line =>
      line.replace(/[^A-Za-z0-9 \u00a0-\u200d\u2030-\ud7ff\ue000-\ufeff]/gu, ch => `&#${ch.codePointAt(0)};`)
    )
    .join('<br>')
}

/**
 * What the GitHub runner reads as a workflow command in a line of the step's log
 * (actions/runner ActionCommand.cs): `::name ...::` at the start once leading white space is
 * trimmed (.NET trims NEL and the Unicode spaces too), and the legacy `##[name ...]` anywhere
 * in the line.
 */
const COMMAND_START = /^[\s\u0085\u180e\u200b]*::/
const LEGACY_COMMAND = /##\[/g

/**
 * Every character a viewer may break a line on, or that the runner's line reader does: CR,
 * LF, NEL, vertical tab, form feed, U+2028/2029; and the other control characters, which have
 * no business in a log line.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const BREAKS_AND_CONTROLS = /\r\n|[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/g
const SHOWN_AS: Record<string, string> = { '\r\n': '\\r\\n', '\n': '\\n', '\r': '\\r' }

/**
 * Makes text one inert line of the log: credentials redacted, line breaks and control
 * characters shown as visible escapes (`\n`, `[U+0085]`), bidi controls shown, and nothing the
 * runner could read as a command: a leading `::` becomes `\::` and `##[` becomes `##\[`.
 * Nothing here decodes anything: `%0A` stays those three characters.
 */
export function inertLine(text: string): string {
  const flat = showInvisible(redact(text)).replace(
    BREAKS_AND_CONTROLS,
    ch => SHOWN_AS[ch] ?? `[U+${hex4(ch)}]`
  )
  const defused = flat.replace(LEGACY_COMMAND, '##\\[')
  return COMMAND_START.test(defused) ? defused.replace('::', '\\::') : defused
}

/**
 * Like inertLine, but keeps the line breaks the action meant (a list of invalid inputs):
 * for annotations (`::error::`, `::warning::`), whose text @actions/core encodes as one line
 * anyway. Each line is made inert on its own.
 */
export function inertLines(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map(inertLine)
    .join('\n')
}

/** Ends a sentence with a full stop, unless it already ends with one (inside a quote or not). */
export function endSentence(text: string): string {
  return /[.!?…]"?$/.test(text) ? text : `${text}.`
}

/** 30000 → "30 s"; 1500 → "1.5 s". */
export function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`
}
