import type { EndpointState } from '../../src/atlas/client.js'
import {
  renderInputErrorSummary,
  renderSummary,
  statusMark,
  type SummaryReport
} from '../../src/report/summary.js'
import { escapeForSummary } from '../../src/common/text.js'
import type { Outcome, WaitResult } from '../../src/wait/wait.js'
import { IDS } from '../helpers/ids.js'

function state(
  connectionStatus: string,
  extra: { deleteRequested?: boolean; errorMessage?: string | null } = {}
): EndpointState {
  return {
    connectionStatus,
    deleteRequested: extra.deleteRequested ?? false,
    errorMessage: extra.errorMessage ?? null,
    interfaceEndpointId: IDS.interfaceEndpointId,
    body: { connectionStatus }
  }
}

function report(result: Partial<WaitResult> & { outcome: Outcome }, extra: Partial<SummaryReport> = {}) {
  const full: WaitResult = {
    message: 'The interface endpoint is AVAILABLE.',
    attempts: 4,
    history: [],
    ...result
  }
  return renderSummary({
    projectId: IDS.projectId,
    privateLinkId: IDS.privateLinkId,
    interfaceEndpointId: IDS.interfaceEndpointId,
    waitFor: ['AVAILABLE'],
    result: full,
    elapsedMs: 31_540,
    ...extra
  })
}

/** The value cell of the summary table row named `name`. */
function cell(html: string, name: string): string {
  const start = `<tr><th align="left">${escapeForSummary(name)}</th><td>`
  const from = html.indexOf(start)
  expect(from).toBeGreaterThanOrEqual(0)
  const to = html.indexOf('</td></tr>', from)
  return html.slice(from + start.length, to)
}

function heading(html: string): string {
  const match = /<h2>(.*)<\/h2>/.exec(html)
  expect(match).not.toBeNull()
  return match![1]
}

const reachedHistory = [
  { atMs: 0, status: 'NONE' },
  { atMs: 10_000, status: 'PENDING_ACCEPTANCE' },
  { atMs: 20_000, status: 'PENDING' },
  { atMs: 30_000, status: 'AVAILABLE' }
]

describe('renderSummary', () => {
  it('shows a reached status with a heading, a table and the history', () => {
    const html = report({ outcome: 'reached', last: state('AVAILABLE'), history: reachedHistory })
    expect(heading(html)).toBe(`✅ ${escapeForSummary('PrivateLink interface endpoint is AVAILABLE')}`)
    expect(html).toContain(`<p>${escapeForSummary('The interface endpoint is AVAILABLE.')}</p>`)
    expect(cell(html, 'Interface endpoint')).toBe(`<code>${escapeForSummary(IDS.interfaceEndpointId)}</code>`)
    expect(cell(html, 'Project')).toBe(`<code>${IDS.projectId}</code>`)
    expect(cell(html, 'Private link')).toBe(`<code>${IDS.privateLinkId}</code>`)
    expect(cell(html, 'Status')).toBe('✅ <strong>AVAILABLE</strong>')
    expect(cell(html, 'Waiting for')).toBe('AVAILABLE')
    expect(cell(html, 'Delete requested')).toBe('no')
    expect(cell(html, 'Atlas error message')).toBe('—')
    expect(cell(html, 'Attempts')).toBe('4')
    expect(cell(html, 'Elapsed')).toBe(escapeForSummary('31.5 s'))
    expect(html).toContain('<h3>Status history</h3>')
    const rows = [...html.matchAll(/<tr><td>(.*?)<\/td><td>(.*?)<\/td><\/tr>/g)].map(m => [m[1], m[2]])
    expect(rows).toEqual([
      [escapeForSummary('00:00'), 'NONE'],
      [escapeForSummary('00:10'), escapeForSummary('PENDING_ACCEPTANCE')],
      [escapeForSummary('00:20'), escapeForSummary('PENDING')],
      [escapeForSummary('00:30'), 'AVAILABLE']
    ])
    expect(html.endsWith('\n')).toBe(true)
  })

  it('shows a failed status with ❌, the Atlas error message and delete requested', () => {
    const html = report({
      outcome: 'failed',
      message: 'The interface endpoint is REJECTED, which is listed in fail-on.',
      last: state('REJECTED', { deleteRequested: true, errorMessage: 'AWS rejected it' }),
      attempts: 2,
      history: [{ atMs: 0, status: 'REJECTED' }]
    })
    expect(heading(html)).toBe(`❌ ${escapeForSummary('PrivateLink interface endpoint is REJECTED')}`)
    expect(cell(html, 'Status')).toBe('❌ <strong>REJECTED</strong>')
    expect(cell(html, 'Delete requested')).toBe('yes')
    expect(cell(html, 'Atlas error message')).toBe('AWS rejected it')
    expect(cell(html, 'Attempts')).toBe('2')
  })

  it('shows a timeout with ⏳ and names the target', () => {
    const html = report(
      { outcome: 'timeout', message: 'Timed out.', last: state('PENDING'), attempts: 6 },
      { waitFor: ['AVAILABLE', 'DELETING'] }
    )
    expect(heading(html)).toBe(`⏳ ${escapeForSummary('Timed out waiting for AVAILABLE or DELETING')}`)
    expect(cell(html, 'Status')).toBe(`⏳ <strong>${escapeForSummary('PENDING')}</strong>`)
    expect(cell(html, 'Waiting for')).toBe('AVAILABLE or DELETING')
  })

  it('shows an error with ❌', () => {
    const html = report({ outcome: 'error', message: 'Gave up.', last: state('PENDING'), attempts: 1 })
    expect(heading(html)).toBe(`❌ ${escapeForSummary('Could not read the PrivateLink interface endpoint')}`)
  })

  it('shows an endpoint being deleted with ❌', () => {
    const html = report({ outcome: 'unreachable', message: 'x', last: state('DELETING') })
    expect(heading(html)).toMatch(/^❌ /)
    expect(heading(html)).toContain('being deleted')
  })

  it('shows a cancelled run with ⏹️', () => {
    const html = report({ outcome: 'cancelled', message: 'Cancelled.', last: state('PENDING') })
    expect(heading(html)).toMatch(/^⏹️ /)
    expect(cell(html, 'Status')).toBe(`⏹️ <strong>${escapeForSummary('PENDING')}</strong>`)
  })

  it('marks a status read once by what it is', () => {
    const read = (status: string) =>
      report({ outcome: 'reported', message: 'x', last: state(status) }, { waitFor: [] })
    expect(heading(read('AVAILABLE'))).toMatch(/^✅ /)
    expect(heading(read('PENDING'))).toMatch(/^⏳ /)
    expect(heading(read('REJECTED'))).toMatch(/^❌ /)
    expect(cell(read('PENDING'), 'Waiting for')).toBe('nothing: read once')
  })

  it('shows hostile text from Atlas as text: no HTML, markdown, link or line break', () => {
    const hostile = '<script>alert(1)</script> **x** [a](http://e) | b\n::warning::y'
    const html = report({
      outcome: 'failed',
      message: `The interface endpoint is REJECTED. Atlas says: ${hostile}`,
      last: state('REJECTED', { errorMessage: hostile }),
      history: [{ atMs: 0, status: 'REJECTED' }]
    })
    const errorCell = cell(html, 'Atlas error message')
    for (const text of [html, errorCell]) {
      expect(text).not.toContain('<script')
      expect(text).not.toContain('**')
      expect(text).not.toContain('](')
      expect(text).not.toContain('::warning::')
      expect(text).not.toContain('http://e')
    }
    expect(errorCell).not.toContain('\n')
    expect(errorCell).not.toContain('|')
    expect(errorCell).toContain('alert')
    expect(errorCell).toContain('<br>')
    // Every line of the page is an element of its own: the hostile line break made no new line.
    expect(html.split('\n').every(line => line === '' || line.startsWith('<'))).toBe(true)
  })

  it('escapes the inputs it shows too', () => {
    const html = report(
      { outcome: 'error', message: 'x', attempts: 0 },
      { projectId: '<b>p</b>', interfaceEndpointId: '**e**' }
    )
    expect(html).not.toContain('<b>')
    expect(html).not.toContain('**')
  })

  it('says "no status read" and shows no history before any read succeeded', () => {
    const html = report({
      outcome: 'error',
      message: 'Atlas answered HTTP 401 Unauthorized.',
      attempts: 0,
      history: []
    })
    expect(heading(html)).toMatch(/^❌ /)
    expect(cell(html, 'Status')).toBe('❌ no status read')
    expect(cell(html, 'Interface endpoint')).toBe(`<code>${escapeForSummary(IDS.interfaceEndpointId)}</code>`)
    expect(cell(html, 'Delete requested')).toBe('—')
    expect(cell(html, 'Atlas error message')).toBe('—')
    expect(cell(html, 'Attempts')).toBe('0')
    expect(html).not.toContain('Status history')
    expect(html).not.toContain('<h3>')
  })

  it('links to the run when it knows where it is, with the address escaped', () => {
    const html = report(
      { outcome: 'reached', last: state('AVAILABLE') },
      { runUrl: 'https://github.com/o/r/actions/runs/1"onmouseover="x' }
    )
    expect(html).toContain('>Workflow run</a>')
    expect(html).not.toContain('"onmouseover')
    expect(report({ outcome: 'reached', last: state('AVAILABLE') })).not.toContain('Workflow run')
  })
})

describe('statusMark', () => {
  it.each<[string | undefined, Outcome, string]>([
    ['AVAILABLE', 'reached', 'good'],
    ['DELETING', 'reached', 'good'],
    ['AVAILABLE', 'reported', 'good'],
    ['PENDING', 'reported', 'waiting'],
    ['PENDING_RECONNECT', 'reported', 'waiting'],
    ['REJECTED', 'reported', 'bad'],
    ['DELETING', 'reported', 'bad'],
    ['REJECTED', 'failed', 'bad'],
    ['PENDING', 'failed', 'bad'],
    ['PENDING', 'unreachable', 'bad'],
    ['PENDING', 'timeout', 'waiting'],
    [undefined, 'timeout', 'bad'],
    [undefined, 'error', 'bad'],
    ['AVAILABLE', 'error', 'good'],
    ['PENDING', 'cancelled', 'stopped'],
    [undefined, 'cancelled', 'stopped']
  ])('marks %s after %s as %s', (status, outcome, mark) => {
    expect(statusMark(status, outcome)).toBe(mark)
  })
})

describe('renderInputErrorSummary', () => {
  it('lists each problem, escaped, under a heading', () => {
    const problems = [
      'Input "project-id" must be 24 hexadecimal digits; got "<img src=x>".',
      'Input "wait-for" lists "**READY**", which is not an Atlas connection status.',
      'Input "base-url" must be https; got "http://e"\n::error::x'
    ]
    const html = renderInputErrorSummary(problems)
    expect(heading(html)).toBe(`❌ ${escapeForSummary('Inputs are invalid: nothing was sent to Atlas')}`)
    const items = [...html.matchAll(/<li>(.*?)<\/li>/g)].map(m => m[1])
    expect(items).toEqual(problems.map(escapeForSummary))
    expect(html).not.toContain('<img')
    expect(html).not.toContain('**')
    expect(html).not.toContain('::error::')
    expect(html).toContain('project')
  })

  it('shows an empty list as an empty list', () => {
    expect(renderInputErrorSummary([])).not.toContain('<li>')
  })
})
