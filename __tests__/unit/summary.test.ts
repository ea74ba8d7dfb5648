import type { EndpointState } from '../../src/atlas/client.js'
import { CLOUDS } from '../../src/common/clouds.js'
import {
  AtlasApiError,
  ConnectionError,
  ProxyConfigError,
  ResponseFormatError,
  RetriesExhaustedError,
  TransientError
} from '../../src/common/errors.js'
import { escapeForSummary as esc } from '../../src/common/text.js'
import { ADVICE, adviceFor, type Advice } from '../../src/report/advice.js'
import { forgetSecrets, registerSecret } from '../../src/common/redact.js'
import {
  breakable,
  MAX_SUMMARY_BYTES,
  renderInputErrorSummary,
  renderSummary,
  type SummaryReport
} from '../../src/report/summary.js'
import { statusMark } from '../../src/report/verdict.js'
import type { EndpointProgress, Outcome, WaitResult } from '../../src/wait/wait.js'
import { endpointState } from '../helpers/states.js'

const ID = 'vpce-0123456789abcdef0'
const LINKS = {
  atlas: 'https://cloud.mongodb.com/v2/5f1a2b3c4d5e6f7a8b9c0d1e#/security/network/privateEndpoint',
  readme: 'https://github.com/o/r/blob/v1/README.md',
  run: 'https://github.com/o/r/actions/runs/42'
}
const ONE_MIB = 1024 * 1024

const state = (status: string, extra: Partial<EndpointState> = {}): EndpointState =>
  endpointState(status, { endpointId: ID, raw: '{}', ...extra })
const endpoint = (last?: EndpointState, extra: Partial<EndpointProgress> = {}): EndpointProgress => ({
  id: last?.endpointId ?? ID,
  last,
  reached: false,
  ...extra
})

function render(
  outcome: Outcome,
  endpoints: EndpointProgress[],
  extra: Partial<WaitResult> = {},
  settings: Partial<SummaryReport> = {}
): string {
  const result: WaitResult = {
    outcome,
    message: 'What happened.',
    endpoints,
    decisive: endpoints[endpoints.length - 1],
    attempts: 4,
    history: [],
    ...extra
  }
  return renderSummary({
    projectId: '5f1a2b3c4d5e6f7a8b9c0d1e',
    endpointServiceId: '6a1b2c3d4e5f6a7b8c9d0e1f',
    cloud: CLOUDS.AWS,
    api: 'v2',
    credential: 'API key abcdefgh',
    waitFor: ['AVAILABLE'],
    failOn: ['REJECTED', 'FAILED'],
    timeoutMs: 900_000,
    elapsedMs: 31_540,
    links: LINKS,
    result,
    ...settings
  })
}

/** Numeric character references back to text: what a reader sees. */
const decode = (html: string): string =>
  html.replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
const heading = (html: string): string => decode(/<h2>(.*)<\/h2>/.exec(html)?.[1] ?? '(no heading)')
const count = (html: string, part: string): number => html.split(part).length - 1
/** The data rows of the `index`-th table (1: endpoints, 2: settings, 3: history). */
function rows(html: string, index: number): string[] {
  const table = html.split('<table>')[index] ?? ''
  return (
    table
      .split('</table>')[0]
      .split('\n')
      .filter(line => line.startsWith('<tr><td>'))
      // Atlas's message sits in a row of its own under its endpoint (a first cell left empty).
      .filter(line => !line.startsWith('<tr><td></td><td colspan'))
  )
}

/** Each "What to do" line: its text and the README link it gives. */
function whatToDo(html: string): { text: string; href?: string }[] {
  const pattern =
    /<p><strong>What to do:<\/strong> (.*?)(?: <a href="([^"]*)">More in the README<\/a>)?<\/p>/g
  return [...html.matchAll(pattern)].map(match => ({
    text: decode(match[1]),
    href: match[2] && decode(match[2])
  }))
}

describe('renderSummary: the first line states the verdict', () => {
  const cases: [Outcome, EndpointProgress, string, Advice | undefined][] = [
    [
      'reached',
      endpoint(state('AVAILABLE'), { reached: true }),
      '✅ Passed: the AWS interface endpoint vpce-0123456789abcdef0 is AVAILABLE; the deploy may go on',
      undefined
    ],
    [
      'reported',
      endpoint(state('PENDING')),
      'ℹ️ Passed, read once: the AWS interface endpoint vpce-0123456789abcdef0 is PENDING',
      undefined
    ],
    [
      'failed',
      endpoint(state('REJECTED')),
      '❌ Blocked: the AWS interface endpoint vpce-0123456789abcdef0 is REJECTED, which is listed in fail-on; the deploy should not go on',
      ADVICE.rejectedAws
    ],
    [
      'unreachable',
      endpoint(state('AVAILABLE', { deleteRequested: true })),
      '❌ Blocked: the AWS interface endpoint vpce-0123456789abcdef0 is being deleted',
      ADVICE.deleting
    ],
    [
      'timeout',
      endpoint(state('PENDING')),
      '❌ Timed out after 900 s: the AWS interface endpoint vpce-0123456789abcdef0 did not become AVAILABLE',
      ADVICE.timeout
    ],
    ['cancelled', endpoint(state('PENDING')), '⏹️ Cancelled', ADVICE.cancelled],
    [
      'error',
      endpoint(),
      '❌ Could not read the AWS interface endpoint vpce-0123456789abcdef0; the deploy should not go on',
      ADVICE.transient
    ]
  ]

  it.each(cases)('%s', (outcome, progress, start, advice) => {
    const html = render(outcome, [progress])
    expect(heading(html).startsWith(start)).toBe(true)
    expect(heading(html)).not.toContain('⏳')
    const lines = whatToDo(html)
    if (advice === undefined) {
      expect(lines).toEqual([])
      expect(html).not.toContain('What to do')
    } else {
      expect(lines).toEqual([{ text: advice.text, href: `${LINKS.readme}#${advice.section}` }])
      expect(count(html, 'What to do:')).toBe(1)
    }
  })

  it('says a deleted endpoint that was the goal is DELETED', () => {
    const gone = state('DELETED', { notFound: true })
    expect(
      heading(render('reached', [endpoint(gone, { reached: true })], {}, { waitFor: ['DELETED'] }))
    ).toContain('is DELETED')
  })

  it.each<Outcome>(['reached', 'error', 'timeout', 'cancelled'])(
    "never shows 'undefined' when '*' listed no endpoints (%s)",
    outcome => {
      const html = render(outcome, [], { decisive: undefined, attempts: 0 }, { waitFor: ['DELETED'] })
      expect(heading(html)).not.toContain('undefined')
      expect(decode(html)).not.toContain('undefined')
    }
  )

  it('names the failing status of a GCP forwarding rule, not the group status, as the one in fail-on', () => {
    const group = state('INITIATING', {
      cloudProvider: 'GCP',
      endpointId: 'atlas-psc-group-1',
      forwardingRules: [{ name: 'rule-1', ipAddress: '10.0.0.3', status: 'FAILED' }]
    })
    const shown = heading(render('failed', [endpoint(group)], {}, { cloud: CLOUDS.GCP }))
    expect(shown.startsWith('❌ Blocked')).toBe(true)
    expect(shown).not.toContain('INITIATING, which is listed in fail-on')
    expect(shown).toContain('FAILED')
  })
})

describe('renderSummary: the page', () => {
  it("shows Atlas's errorMessage once on REJECTED, its line breaks as <br>", () => {
    const message = 'Endpoint rejected\nby AWS: check the region'
    const html = render('failed', [endpoint(state('REJECTED', { errorMessage: message }))], {
      message: `The AWS interface endpoint is REJECTED. Atlas says: ${JSON.stringify(message)}`
    })
    expect(count(html, esc(message))).toBe(1)
    expect(esc(message)).toContain('rejected<br>by AWS')
    expect(html).not.toContain('rejected\nby')
    expect(html).not.toContain('rejected\\nby')
  })

  it('links to the Atlas UI and the run when given, and to nothing when not', () => {
    const html = render('reached', [endpoint(state('AVAILABLE'), { reached: true })])
    const hrefs = [...html.matchAll(/<a href="([^"]*)">([^<]*)<\/a>/g)].map(match => [
      decode(match[1]),
      match[2]
    ])
    expect(hrefs).toEqual(
      expect.arrayContaining([
        [LINKS.atlas, 'Private endpoints in Atlas'],
        [LINKS.run, 'This workflow run']
      ])
    )
    const bare = render('reached', [endpoint(state('AVAILABLE'), { reached: true })], {}, { links: {} })
    expect(bare).not.toContain('<a ')
  })

  it('keeps a hostile link inside its attribute', () => {
    const html = render(
      'reached',
      [endpoint(state('AVAILABLE'))],
      {},
      { links: { run: 'https://x/"onmouseover="alert(1)' } }
    )
    expect(html).not.toContain('"onmouseover')
  })

  it('lists GCP forwarding rules with their statuses', () => {
    const group = state('AVAILABLE', {
      cloudProvider: 'GCP',
      endpointId: 'atlas-psc-group-1',
      forwardingRules: [
        { name: 'rule-0', ipAddress: '10.0.0.2', status: 'AVAILABLE' },
        { name: 'rule-1', ipAddress: '10.0.0.3', status: 'INITIATING' }
      ]
    })
    const html = render('reported', [endpoint(group)], {}, { cloud: CLOUDS.GCP, waitFor: [] })
    expect(html).toContain(`<sub>${esc('rule-0: AVAILABLE')}</sub>`)
    expect(html).toContain(`<sub>${esc('rule-1: INITIATING')}</sub>`)
  })

  it('has one row per endpoint and an Endpoint column in the history when there are several', () => {
    const ids = ['vpce-a', 'vpce-b', 'vpce-c']
    const endpoints = ids.map(id => endpoint(state('AVAILABLE', { endpointId: id }), { id, reached: true }))
    const history = ids.map((endpointId, i) => ({ atMs: i * 10_000, endpointId, status: 'AVAILABLE' }))
    const html = render('reached', endpoints, { history })
    expect(heading(html)).toContain('Passed: all 3 AWS interface endpoints reached AVAILABLE')
    expect(rows(html, 1).map(row => decode(/<code>(.*?)<\/code>/.exec(row)?.[1] ?? ''))).toEqual(ids)
    expect(html).toContain('<th align="left">Endpoint</th><th align="left">Status</th></tr>')
    expect(rows(html, 3)).toHaveLength(3)
    const single = render('reached', [endpoints[0]], { history: history.slice(0, 1) })
    expect(single).toContain('<tr><th align="left">After</th><th align="left">Status</th></tr>')
  })

  it('shows hostile text from Atlas as text: no HTML, markdown, link, line break or bidi control', () => {
    const hostile = '<script>alert(1)</script> **x** [a](http://e) | b\n::warning::y \u202Eexe.txt'
    const html = render('failed', [endpoint(state('REJECTED', { errorMessage: hostile }))], {
      history: [{ atMs: 0, endpointId: ID, status: 'REJECTED' }]
    })
    for (const bad of ['<script', '**', '](', '::warning::', 'http://e', '\u202E'])
      expect(html).not.toContain(bad)
    expect(decode(html)).toContain('[U+202E]exe.txt')
    expect(html.split('\n').every(line => line === '' || line.startsWith('<'))).toBe(true)
  })

  it('stays under 1 MiB with a megabyte of Atlas text, shortened visibly', () => {
    const huge = '<'.repeat(1_040_000)
    const html = render('failed', [endpoint(state('REJECTED', { errorMessage: huge }))])
    expect(Buffer.byteLength(html)).toBeLessThanOrEqual(MAX_SUMMARY_BYTES)
    expect(MAX_SUMMARY_BYTES).toBeLessThanOrEqual(ONE_MIB)
    expect(decode(html)).toContain('[shortened in this summary: 1040000 characters in all]')
    const error = render('error', [endpoint()], { message: huge })
    expect(Buffer.byteLength(error)).toBeLessThan(ONE_MIB)
  })

  it('stays under 1 MiB and readable with 50 endpoints of a million characters each', () => {
    const endpoints = Array.from({ length: 50 }, (_, i) =>
      endpoint(state('REJECTED', { endpointId: `vpce-${i}`, errorMessage: `${i}:${'<'.repeat(1_000_000)}` }))
    )
    const html = render('failed', endpoints, { decisive: endpoints[7] })
    expect(Buffer.byteLength(html)).toBeLessThan(ONE_MIB)
    expect(rows(html, 1)).toHaveLength(50)
    expect(html.match(/<strong>Atlas says:<\/strong>/g)).toHaveLength(50)
    expect(heading(html)).toContain('Blocked: the AWS interface endpoint vpce-7 (one of 50) is REJECTED')
  })

  it('shows the settings, escaped, and says what an empty wait-for or fail-on means', () => {
    const html = render(
      'reported',
      [endpoint(state('PENDING'))],
      {},
      { waitFor: [], failOn: [], projectId: '<b>p</b>' }
    )
    expect(html).not.toContain('<b>')
    expect(html).toContain('nothing: read once')
    expect(html).toContain('nothing (fail-on is empty)')
    expect(decode(html)).toContain('API key abcdefgh')
  })
})

describe('adviceFor', () => {
  it.each<[string, unknown, Advice]>([
    ['401', new AtlasApiError('x', 401, undefined), ADVICE.credentialsApiKey],
    ['403', new AtlasApiError('x', 403, undefined), ADVICE.role],
    ['403 access list', new AtlasApiError('x', 403, 'IP_ADDRESS_NOT_ON_ACCESS_LIST'), ADVICE.accessList],
    ['404', new AtlasApiError('x', 404, 'RESOURCE_NOT_FOUND'), ADVICE.ids],
    ['400', new AtlasApiError('x', 400, 'PATH_PARAM_PARSE_ERROR'), ADVICE.ids],
    ['406', new AtlasApiError('x', 406, undefined), ADVICE.version],
    ['410', new AtlasApiError('x', 410, undefined), ADVICE.version],
    ['a redirect', new AtlasApiError('x', 302, undefined), ADVICE.baseUrl],
    ['a token limit', new AtlasApiError('Token limit reached.', 429, undefined), ADVICE.tokenLimit],
    ['an unreadable 200', new ResponseFormatError('x'), ADVICE.baseUrl],
    ['retries exhausted', new RetriesExhaustedError('x', new TransientError('y')), ADVICE.transient],
    ['an untrusted certificate', new ConnectionError('self-signed certificate'), ADVICE.tls],
    ['a proxy refusing', new ConnectionError('The proxy answered 407.'), ADVICE.proxy],
    ['a bad proxy variable', new ProxyConfigError('x'), ADVICE.proxy],
    ['anything else', new Error('x'), ADVICE.transient]
  ])('advises on %s', (_case, error, advice) => {
    expect(adviceFor('error', error)).toBe(advice)
  })

  it('gives no advice when the step passed', () => {
    expect(adviceFor('reached')).toBeUndefined()
    expect(adviceFor('reported')).toBeUndefined()
  })
})

describe('statusMark', () => {
  it.each<[string, EndpointState | undefined, boolean, string]>([
    ['not read', undefined, false, '❓'],
    ['arrived', state('AVAILABLE'), true, '✅'],
    ['failing', state('REJECTED'), false, '❌'],
    [
      'a failing forwarding rule',
      state('AVAILABLE', { forwardingRules: [{ name: 'r', ipAddress: '', status: 'FAILED' }] }),
      false,
      '❌'
    ],
    ['being deleted', state('AVAILABLE', { deleteRequested: true }), false, '🗑️'],
    ['deleting', state('DELETING'), false, '🗑️'],
    ['on its way', state('PENDING'), false, '⏳']
  ])('marks an endpoint %s', (_case, last, reached, mark) => {
    expect(statusMark(last, endpoint(last, { reached }), ['REJECTED', 'FAILED'])).toBe(mark)
  })

  it('marks AVAILABLE read once (no wait-for) as good news, but not while still waiting for something else', () => {
    const available = state('AVAILABLE')
    expect(statusMark(available, endpoint(available, { reached: false }), ['REJECTED'], [])).toBe('✅')
    expect(statusMark(available, endpoint(available, { reached: false }), ['REJECTED'], ['DELETED'])).toBe(
      '⏳'
    )
    const leaving = state('AVAILABLE', { deleteRequested: true })
    expect(statusMark(leaving, endpoint(leaving, { reached: false }), ['REJECTED'], [])).toBe('🗑️')
  })
})

describe('renderInputErrorSummary', () => {
  it('lists each problem, escaped, with the advice on inputs', () => {
    const problems = [
      'Input "project-id" must be 24 hexadecimal digits; got "<img src=x>".',
      'Input "base-url": "http://e"\n::error::x'
    ]
    const html = renderInputErrorSummary(problems, { readme: LINKS.readme })
    expect(heading(html)).toBe('❌ Inputs are invalid: nothing was sent to Atlas')
    expect([...html.matchAll(/<li>(.*?)<\/li>/g)].map(match => match[1])).toEqual(problems.map(esc))
    for (const bad of ['<img', '::error::', 'http://e']) expect(html).not.toContain(bad)
    expect(whatToDo(html)).toEqual([
      { text: ADVICE.input.text, href: `${LINKS.readme}#${ADVICE.input.section}` }
    ])
  })
})

describe('breakable: long runs wrap in a browser', () => {
  it('puts <wbr> between escaped pieces of a long run, never inside a character reference', () => {
    const html = breakable('<'.repeat(100))
    expect(html.split('<wbr>')).toHaveLength(3)
    for (const piece of html.split('<wbr>')) expect(piece).toMatch(/^(&#60;)+$/)
    expect(breakable('short words stay as they are')).toBe(esc('short words stay as they are'))
  })

  it('redacts a credential before cutting the text into pieces', () => {
    registerSecret('mdb_sa_sk_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefgh')
    try {
      const html = breakable(
        `x${'y'.repeat(30)}mdb_sa_sk_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefgh${'z'.repeat(40)}`
      )
      expect(html.replace(/<wbr>/g, '')).not.toContain('AbCdEf')
      expect(html.replace(/<wbr>/g, '')).toContain('&#42;&#42;&#42;')
    } finally {
      forgetSecrets()
    }
  })
})
