import type { Outcome, WaitResult } from '../wait/wait.js'
import { clockTime } from '../wait/wait.js'
import { escapeForSummary as esc } from '../common/text.js'

/** What the summary needs to know about the run. */
export interface SummaryReport {
  projectId: string
  privateLinkId: string
  interfaceEndpointId: string
  waitFor: string[]
  result: WaitResult
  elapsedMs: number
  /** A link to this run, when the runner says where it is. */
  runUrl?: string
}

type Mark = 'good' | 'bad' | 'waiting' | 'stopped'
const MARKS: Record<Mark, string> = { good: '✅', bad: '❌', waiting: '⏳', stopped: '⏹️' }

const HEADINGS: Record<Outcome, (status: string, target: string) => string> = {
  reached: status => `PrivateLink interface endpoint is ${status}`,
  reported: status => `PrivateLink interface endpoint is ${status}`,
  failed: status => `PrivateLink interface endpoint is ${status}`,
  unreachable: status => `PrivateLink interface endpoint is ${status} and being deleted`,
  timeout: (_status, target) => `Timed out waiting for ${target || 'the interface endpoint'}`,
  cancelled: () => 'Cancelled while checking the PrivateLink interface endpoint',
  error: () => 'Could not read the PrivateLink interface endpoint'
}

/** Good, bad or still on its way: what a reader should feel about the status itself. */
export function statusMark(status: string | undefined, outcome: Outcome): Mark {
  if (outcome === 'cancelled') return 'stopped'
  if (outcome === 'reached') return 'good'
  if (outcome === 'failed' || outcome === 'unreachable' || status === undefined) return 'bad'
  if (status === 'AVAILABLE') return 'good'
  if (status === 'REJECTED' || status === 'DELETING') return 'bad'
  return 'waiting'
}

function outcomeMark(outcome: Outcome, status: string | undefined): Mark {
  if (outcome === 'reached' || outcome === 'reported') return statusMark(status, outcome)
  if (outcome === 'timeout') return 'waiting'
  if (outcome === 'cancelled') return 'stopped'
  return 'bad'
}

/**
 * The job summary as HTML (GitHub renders it inside markdown). Every piece of text is escaped
 * here, whether it came from Atlas or from inputs: nothing can add markup to the page.
 */
export function renderSummary(report: SummaryReport): string {
  const { result } = report
  const status = result.last?.connectionStatus
  const target = report.waitFor.join(' or ')
  const heading = `${MARKS[outcomeMark(result.outcome, status)]} ${esc(HEADINGS[result.outcome](status ?? '', target))}`

  const rows: [string, string][] = [
    ['Interface endpoint', code(result.last?.interfaceEndpointId || report.interfaceEndpointId)],
    ['Project', code(report.projectId)],
    ['Private link', code(report.privateLinkId)],
    [
      'Status',
      status === undefined
        ? `${MARKS.bad} no status read`
        : `${MARKS[statusMark(status, result.outcome)]} <strong>${esc(status)}</strong>`
    ],
    ['Waiting for', target ? esc(target) : 'nothing: read once'],
    ['Delete requested', result.last ? (result.last.deleteRequested ? 'yes' : 'no') : '—'],
    ['Atlas error message', result.last?.errorMessage ? esc(result.last.errorMessage) : '—'],
    ['Attempts', String(result.attempts)],
    ['Elapsed', esc(`${(report.elapsedMs / 1000).toFixed(1)} s`)]
  ]

  const parts = [
    `<h2>${heading}</h2>`,
    `<p>${esc(result.message)}</p>`,
    '<table>',
    ...rows.map(([name, value]) => `<tr><th align="left">${esc(name)}</th><td>${value}</td></tr>`),
    '</table>'
  ]
  if (result.history.length > 0) {
    parts.push(
      '<h3>Status history</h3>',
      '<table>',
      '<tr><th align="left">After</th><th align="left">Status</th></tr>',
      ...result.history.map(
        change => `<tr><td>${esc(clockTime(change.atMs))}</td><td>${esc(change.status)}</td></tr>`
      ),
      '</table>'
    )
  }
  if (report.runUrl) parts.push(`<p><sub><a href="${esc(report.runUrl)}">Workflow run</a></sub></p>`)
  return `${parts.join('\n')}\n`
}

/** The summary for a run that stopped on its inputs, before any request. */
export function renderInputErrorSummary(problems: string[]): string {
  return [
    `<h2>${MARKS.bad} ${esc('Inputs are invalid: nothing was sent to Atlas')}</h2>`,
    '<ul>',
    ...problems.map(problem => `<li>${esc(problem)}</li>`),
    '</ul>',
    ''
  ].join('\n')
}

function code(text: string): string {
  return `<code>${esc(text)}</code>`
}
