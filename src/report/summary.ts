import type { ApiVersion } from '../common/constants.js'
import { redact } from '../common/redact.js'
import { escapeForSummary as esc, shorten } from '../common/text.js'
import { adviceFor, ADVICE, type Advice } from './advice.js'
import { clockTime, type WaitResult } from '../wait/wait.js'
import { isTeardown, MARKS, statusMark, verdict, type VerdictInput } from './verdict.js'

/** What the summary needs to know about the run. */
export interface SummaryReport extends VerdictInput {
  projectId: string
  endpointServiceId: string
  api: ApiVersion
  /** "API key abcdefgh" or "service account mdb_sa_id_…": never a secret. */
  credential: string
  credentialKind?: 'api-key' | 'service-account'
  elapsedMs: number
  links: SummaryLinks
}

export interface SummaryLinks {
  /** The Atlas UI page of the project's private endpoints. */
  atlas?: string
  /** The README of this action (its failure sections are anchors in it). */
  readme?: string
  /** This workflow run. */
  run?: string
}

/**
 * GitHub shows at most 1 MiB of a step's summary. Atlas's text is shortened per cell and the
 * history per row count, so that even 50 endpoints with hostile messages stay far below it.
 */
const MAX_CELL_TEXT = 1000
const MAX_HISTORY_ROWS = 200
export const MAX_SUMMARY_BYTES = 900 * 1024

/**
 * The job summary as HTML (GitHub renders it inside markdown, keeping table, th align, code,
 * sub, a href, br, details/summary). Every piece of text is escaped here, whether it came from
 * Atlas or from inputs: nothing can add markup to the page.
 */
export function renderSummary(report: SummaryReport): string {
  const { result } = report
  const { mark, text } = verdict(report)
  const advice = adviceFor(result.outcome, result.error, {
    provider: report.cloud.provider,
    credentialKind: report.credentialKind,
    serviceStatus: result.service?.status,
    serviceDecided: result.serviceDecided,
    waitingForClusters: (result.decidingClusters?.length ?? 0) > 0 && result.outcome === 'timeout',
    teardown: isTeardown(report.waitFor)
  })
  const parts = [`<h2>${MARKS[mark]} ${esc(text)}</h2>`]
  // Atlas's own errorMessage is in the table, and the advice has its own line: the paragraph
  // says only what the heading and the table do not.
  const paragraph = explanation(result, advice)
  if (paragraph) parts.push(`<p>${esc(shorten(paragraph, 2 * MAX_CELL_TEXT))}</p>`)
  parts.push(...serviceLine(result), ...notes(result))
  if (advice) parts.push(adviceLine(advice, report.links))
  parts.push(
    ...endpointTable(report),
    ...clusterTable(report),
    ...settings(report),
    ...history(report),
    ...links(report.links, advice)
  )
  return fit(`${parts.join('\n')}\n`)
}

function explanation(result: WaitResult, advice: Advice | undefined): string | undefined {
  if (result.outcome === 'failed' || result.outcome === 'reached') return undefined
  if (result.outcome === 'reported' && !/Note:/.test(result.message)) return undefined
  return advice ? result.message.replace(` ${advice.text}`, '').replace(advice.text, '') : result.message
}

/** A run of visible characters longer than this gets a line-break opportunity every BREAK_EVERY. */
const LONGEST_RUN = 60
const BREAK_EVERY = 40

/**
 * Escaped text that a browser can wrap: GitHub's summary keeps no style attribute, so a long
 * run without spaces (a hostile message, a connection string) would otherwise stretch its
 * table past the page. `<wbr>` goes between escaped pieces, never inside a character reference.
 */
export function breakable(text: string): string {
  // Redacted whole first: a credential cut into pieces could no longer be found in them.
  return redact(text)
    .split(/(\s+)/)
    .map(part =>
      part.length <= LONGEST_RUN
        ? esc(part)
        : (part.match(new RegExp(`[\\s\\S]{1,${BREAK_EVERY}}`, 'gu')) ?? [])
            .map(piece => esc(piece))
            .join('<wbr>')
    )
    .join('')
}

/** The endpoint service's own word, when it was read and is not simply AVAILABLE. */
function serviceLine(result: WaitResult): string[] {
  const service = result.service
  // When the service decided the run, the paragraph above already says all of this.
  if (!service || result.serviceDecided) return []
  if (service.status === 'AVAILABLE' && !service.errorMessage) return []
  const said = service.errorMessage
    ? `Atlas says: ${shorten(service.errorMessage, MAX_CELL_TEXT, 'in this summary')}`
    : 'Atlas gave no message.'
  return [
    `<p><strong>${esc(`The endpoint service is ${service.status ?? 'of no stated status'}:`)}</strong> ${esc(said)}</p>`
  ]
}

/** What a reader must know even when the step passed (an endpoint never seen, for one). */
function notes(result: WaitResult): string[] {
  return (result.notes ?? []).map(note => `<p>⚠️ ${esc(shorten(note, MAX_CELL_TEXT, 'in this summary'))}</p>`)
}

function adviceLine(advice: Advice, links: SummaryLinks): string {
  const more = links.readme
    ? ` <a href="${esc(`${links.readme}#${advice.section}`)}">More in the README</a>`
    : ''
  return `<p><strong>What to do:</strong> ${esc(advice.text)}${more}</p>`
}

function endpointTable(report: SummaryReport): string[] {
  const { result } = report
  if (result.endpoints.length === 0) return []
  // Arrived only when something arrived; Atlas's message gets a row of its own under its
  // endpoint, so that a long message cannot squeeze the ID column and break IDs at a hyphen.
  const anyArrived = result.endpoints.some(endpoint => endpoint.reachedAtMs !== undefined)
  const header = ['', 'Endpoint', 'Status', ...(anyArrived ? ['Arrived'] : [])]
  const rows = result.endpoints.flatMap(endpoint => {
    const state = endpoint.last
    const status = state === undefined ? 'not read' : state.notFound ? 'DELETED' : state.status
    const notes = [
      ...(state?.notFound ? ['not found, and the endpoint service confirms it'] : []),
      ...(state?.deleteRequested ? ['deletion requested'] : []),
      ...(state?.forwardingRules ?? []).map(rule =>
        report.failOn.includes(rule.status)
          ? `❌ ${rule.name}: ${rule.status}`
          : `${rule.name}: ${rule.status}`
      )
    ]
      .map(note => `<br><sub>${esc(note)}</sub>`)
      .join('')
    const cells = [
      statusMark(state, endpoint, report.failOn, report.waitFor),
      `<code>${esc(state?.endpointId || endpoint.id)}</code>`,
      `<strong>${esc(status)}</strong>${notes}`,
      ...(anyArrived ? [endpoint.reachedAtMs === undefined ? '—' : esc(clockTime(endpoint.reachedAtMs))] : [])
    ]
    const row = `<tr>${cells.map(cell => `<td>${cell}</td>`).join('')}</tr>`
    if (!state?.errorMessage) return [row]
    const message = breakable(shorten(state.errorMessage, MAX_CELL_TEXT, 'in this summary'))
    return [
      row,
      `<tr><td></td><td colspan="${header.length - 1}"><strong>Atlas says:</strong> ${message}</td></tr>`
    ]
  })
  return [
    '<table>',
    `<tr>${header.map(name => `<th align="left">${esc(name)}</th>`).join('')}</tr>`,
    ...rows,
    '</table>'
  ]
}

/** One row per named cluster: its state, whether it is ready, its private connection string, what it waits for. */
function clusterTable(report: SummaryReport): string[] {
  const clusters = report.result.clusters ?? []
  if (clusters.length === 0) return []
  const rows = clusters.map(cluster => {
    const state = cluster.last
    const mark =
      state === undefined
        ? '❓'
        : cluster.ready
          ? '✅'
          : cluster.verdict?.kind === 'failed'
            ? '❌'
            : report.waitFor.length === 0
              ? 'ℹ️'
              : '⏳'
    const string = cluster.connection
    const waiting =
      cluster.verdict?.kind === 'waiting' || cluster.verdict?.kind === 'failed' ? cluster.verdict.why : ''
    const cells = [
      mark,
      `<code>${esc(cluster.name)}</code>`,
      esc(state ? `${state.stateName}${state.paused ? ' (paused)' : ''}` : 'not read'),
      cluster.ready ? 'yes' : 'no',
      string ? `<code>${breakable(string)}</code>` : '—',
      waiting ? esc(waiting) : '—'
    ]
    return `<tr>${cells.map(cell => `<td>${cell}</td>`).join('')}</tr>`
  })
  const header = ['', 'Cluster', 'State', 'Ready', 'Private connection string', 'Waiting for']
  return [
    '<h3>Clusters</h3>',
    '<table>',
    `<tr>${header.map(name => `<th align="left">${esc(name)}</th>`).join('')}</tr>`,
    ...rows,
    '</table>'
  ]
}

function settings(report: SummaryReport): string[] {
  const rows: [string, string][] = [
    ['Project', `<code>${esc(report.projectId)}</code>`],
    ['Endpoint service', `<code>${esc(report.endpointServiceId)}</code>`],
    ['Cloud', esc(`${report.cloud.provider}, Atlas API ${report.api}`)],
    ['Signed in with', esc(report.credential)],
    ...(report.result.service?.status
      ? ([['Endpoint service status', esc(report.result.service.status)]] as [string, string][])
      : []),
    ['Waiting for', report.waitFor.length > 0 ? esc(report.waitFor.join(' or ')) : 'nothing: read once'],
    ['Fails on', report.failOn.length > 0 ? esc(report.failOn.join(', ')) : 'nothing (fail-on is empty)'],
    ['Endpoint reads', String(report.result.attempts)],
    ['Elapsed', esc(`${(report.elapsedMs / 1000).toFixed(1)} s`)]
  ]
  return [
    '<details><summary>Settings</summary>',
    '',
    '<table>',
    ...rows.map(([name, value]) => `<tr><th align="left">${esc(name)}</th><td>${value}</td></tr>`),
    '</table>',
    '</details>'
  ]
}

function history(report: SummaryReport): string[] {
  const changes = report.result.history
  if (changes.length === 0) return []
  // With clusters, a row may be about the endpoint or a cluster: say which.
  const several = report.result.endpoints.length > 1 || (report.result.clusters?.length ?? 0) > 0
  const shown = changes.slice(0, MAX_HISTORY_ROWS)
  const rows = shown.map(change => {
    const cells = [
      esc(clockTime(change.atMs)),
      ...(several ? [`<code>${esc(change.endpointId)}</code>`] : []),
      esc(change.status)
    ]
    return `<tr>${cells.map(cell => `<td>${cell}</td>`).join('')}</tr>`
  })
  const more =
    changes.length > shown.length
      ? [`<p><sub>${esc(`… and ${changes.length - shown.length} more changes, not shown.`)}</sub></p>`]
      : []
  // A long history (or one over several endpoints) would push the rest of the page down: fold it.
  const folded = several || changes.length > 10
  return [
    folded
      ? `<details><summary>Status history (${changes.length} changes)</summary>\n`
      : '<h3>Status history</h3>',
    '<table>',
    `<tr><th align="left">After</th>${several ? '<th align="left">Endpoint</th>' : ''}<th align="left">Status</th></tr>`,
    ...rows,
    '</table>',
    ...more,
    ...(folded ? ['</details>'] : [])
  ]
}

function links(links: SummaryLinks, advice: Advice | undefined): string[] {
  const items = [
    links.atlas ? `<a href="${esc(links.atlas)}">Private endpoints in Atlas</a>` : '',
    // A failure's "What to do" line links to its README section already.
    links.readme && !advice ? `<a href="${esc(links.readme)}">How this step works</a>` : '',
    links.run ? `<a href="${esc(links.run)}">This workflow run</a>` : ''
  ].filter(Boolean)
  return items.length > 0 ? [`<p><sub>${items.join(' · ')}</sub></p>`] : []
}

/** The last guard on GitHub's limit: whatever the content, never more than MAX_SUMMARY_BYTES. */
function fit(html: string): string {
  if (Buffer.byteLength(html) <= MAX_SUMMARY_BYTES) return html
  const head = html.slice(0, html.indexOf('<table>'))
  return `${head}<p>${esc('The details of this run were too large for a job summary and are not shown; the log has them.')}</p>\n`
}

/** The summary for a run that stopped on its inputs (or its proxy settings), before any request. */
export function renderInputErrorSummary(
  problems: string[],
  links: SummaryLinks = {},
  what: 'inputs' | 'proxy' = 'inputs'
): string {
  const advice = what === 'inputs' ? ADVICE.input : ADVICE.proxy
  const heading = what === 'inputs' ? 'Inputs are invalid' : 'The proxy settings cannot be used'
  return [
    `<h2>${MARKS.blocked} ${esc(`${heading}: nothing was sent to Atlas`)}</h2>`,
    '<ul>',
    ...problems.map(problem => `<li>${esc(problem)}</li>`),
    '</ul>',
    adviceLine(advice, links),
    ''
  ].join('\n')
}
