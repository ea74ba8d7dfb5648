/**
 * Issue 14, the credential half, end to end: the bundled action against hostile token, revoke
 * and API answers on 127.0.0.1. Judged as a runner would judge it: the log as the runner obeys
 * it (no command the action did not mean, every token masked before it could show), the
 * outputs file and the summary file, each checked for every credential of the run in raw,
 * cut-short and HTML-escaped forms.
 */
import type { ChildProcess } from 'node:child_process'
import fc from 'fast-check'
import type { AtlasStandin, StandinOptions, Step } from '../../standin/atlas-standin.js'
import { OAuthStandin, type OAuthStandinOptions, type TokenStep } from '../../standin/oauth-standin.js'
import { runAction, type ActionRun, type RunOptions } from '../../standin/runner.js'
import { startStandin } from '../helpers/harness.js'
import { IDS, REQUIRED_INPUTS } from '../helpers/ids.js'
import { asTheRunnerSeesIt } from '../helpers/runner-log.js'

const CLIENT_ID = 'mdb_sa_id_0123456789abcdef01234567'
const CLIENT_SECRET = 'mdb_sa_sk_Zq4tW9xYp2LmN7vB3cR8sK1dF6gH0jA5'
const BASIC = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')
/** The tokens the stand-in issues, in order, so that scripts can echo them. */
const TOKENS = Array.from(
  { length: 20 },
  (_, i) => `tok${String(i).padStart(2, '0')}_Zm9vYmFyYmF6cXV4cXV1eHh5eXp6MDEy`
)
const SA_INPUTS = {
  ...REQUIRED_INPUTS,
  'public-key': '',
  'private-key': '',
  'client-id': CLIENT_ID,
  'client-secret': CLIENT_SECRET,
  'wait-for': 'AVAILABLE',
  'interval-seconds': '1'
}
/** What the action means to tell the runner; anything else obeyed is an injection. */
const MEANT = new Set(['add-mask', 'debug', 'error', 'warning', 'group', 'endgroup'])

let standin: AtlasStandin
let oauth: OAuthStandin
afterEach(async () => standin?.stop())

interface Setup {
  oauth?: Partial<OAuthStandinOptions>
  standin?: Partial<StandinOptions>
  inputs?: Record<string, string>
  run?: Partial<RunOptions>
}

async function run(script: Step[], setup: Setup = {}): Promise<ActionRun> {
  oauth = new OAuthStandin({
    accounts: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }],
    tokenValues: TOKENS,
    ...setup.oauth
  })
  standin = await startStandin({ script, serviceAccounts: oauth, ...setup.standin })
  return runAction({
    ...setup.run,
    inputs: { ...SA_INPUTS, 'base-url': standin.baseUrlV2, ...setup.inputs }
  })
}

const htmlEscaped = (text: string): string => text.replace(/[^A-Za-z0-9 ]/g, ch => `&#${ch.codePointAt(0)};`)

/**
 * No credential of the run in the log (but in its own `::add-mask::` line, before any other
 * line that could hold it), the outputs or the summary: raw, cut short by one character, or
 * HTML-escaped; and no line the runner would obey that the action did not mean.
 */
function expectNothingLeaked(result: ActionRun, more: string[] = []): void {
  const view = asTheRunnerSeesIt(result.stdout)
  expect(view.commands.filter(command => !MEANT.has(command.name)).map(c => c.line)).toEqual([])
  expect(view.whileStopped).toEqual([])
  const credentials = [CLIENT_SECRET, BASIC, ...oauth.issuedTokens(), ...more]
  for (const credential of credentials) {
    const forms = [
      credential,
      credential.slice(0, -1),
      htmlEscaped(credential),
      htmlEscaped(credential.slice(0, -1))
    ]
    const lines = result.stdout.split(/\r\n|\r|\n/)
    for (const form of forms) {
      expect(lines.filter(line => line.includes(form) && line !== `::add-mask::${credential}`)).toEqual([])
      expect(result.stderr).not.toContain(form)
      expect(result.outputFile).not.toContain(form)
      expect(result.summary).not.toContain(form)
    }
    // Masked before anything else could show it (the runner masks only from then on).
    const first = lines.findIndex(line => line.includes(credential.slice(0, 12)))
    if (first >= 0) expect(lines[first]).toBe(`::add-mask::${credential}`)
  }
}

describe('echoed credentials never show: every field of every answer', () => {
  const echo = (c: string) => ({
    'X-Error-Code': c,
    'WWW-Authenticate': `Bearer error="${c}"`,
    Deprecation: c,
    'Retry-After': c
  })

  it.each<[string, string]>([
    ['the client secret', CLIENT_SECRET],
    ['the Basic credential', BASIC]
  ])('the token endpoint echoes %s in a 401, a 400, a 429, a 503, a 200 without a token', async (_, c) => {
    const steps: TokenStep[] = [
      {
        status: 401,
        body: JSON.stringify({ error: `invalid_client:${c}`, error_description: c }),
        headers: echo(c)
      },
      { status: 400, body: JSON.stringify({ error: c, error_description: `bad ${c}` }), headers: echo(c) },
      { status: 429, retryAfter: c, body: JSON.stringify({ error: 429, errorCode: c, detail: c }) },
      {
        status: 503,
        body: JSON.stringify({ error: 503, errorCode: c, detail: c, reason: c }),
        headers: echo(c)
      },
      { status: 200, body: JSON.stringify({ [c]: c }), contentType: `text/${c}` },
      { status: 200, body: `<html>${c}</html>`, contentType: `text/html; ${c}` }
    ]
    for (const step of steps) {
      if (standin) await standin.stop()
      const result = await run([{ status: 'AVAILABLE' }], {
        oauth: { script: [step] },
        inputs: { 'max-retries': '0' }
      })
      expect(result.exitCode).toBe(1)
      expect(result.stdout).toMatch(/^::error::The Atlas token endpoint/m)
      expectNothingLeaked(result)
    }
  })

  it.each([401, 403, 404, 500])(
    'a read answering %i echoes the tokens in its detail and headers',
    async status => {
      const detail = `Bearer ${TOKENS[0]} then Bearer ${TOKENS[1]}`
      const result = await run(
        [{ error: status, errorCode: TOKENS[0], detail, headers: echo(TOKENS[0]), times: 5 }],
        {
          inputs: { 'max-retries': '0' }
        }
      )
      expect(result.exitCode).toBe(1)
      expect(result.stdout).toMatch(new RegExp(`^::error::.*HTTP ${status}`, 'm'))
      expect(result.stdout).toContain('Bearer ***')
      expectNothingLeaked(result)
    }
  )

  it('errorMessage echoing the token: not in error-message, response, endpoints, the log or the summary', async () => {
    const result = await run(
      [{ status: 'REJECTED', errorMessage: `token ${TOKENS[0]} refused`, headers: echo(TOKENS[0]) }],
      {}
    )
    expect(result.exitCode).toBe(1)
    expect(result.outputs['error-message']).toBe('token *** refused')
    expect(JSON.parse(result.outputs.response).errorMessage).toBe('token *** refused')
    expect(JSON.parse(result.outputs.endpoints)[0].errorMessage).toBe('token *** refused')
    expectNothingLeaked(result)
  })

  it('an errorMessage that hides the token behind \\u escapes is redacted once decoded', async () => {
    const hidden = [...TOKENS[0]].map(ch => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')
    const body = `{"connectionStatus":"REJECTED","errorMessage":"Bearer ${hidden}","interfaceEndpointId":"${IDS.interfaceEndpointId}"}`
    const result = await run([
      { raw: { status: 200, headers: { 'Content-Type': 'application/json' }, body } }
    ])
    expect(result.exitCode).toBe(1)
    expect(result.outputs['error-message']).toBe('Bearer ***')
    expect(JSON.parse(result.outputs.response).errorMessage).toBe('Bearer ***')
    expectNothingLeaked(result)
  })

  it('a listing refused with the token echoed (endpoint-id: *)', async () => {
    const result = await run([{ status: 'AVAILABLE' }], {
      standin: {
        serviceScript: [
          { error: 403, errorCode: 'X', detail: `Bearer ${TOKENS[0]}`, headers: echo(TOKENS[0]) }
        ]
      },
      inputs: { 'endpoint-id': '*', 'interface-endpoint-id': '', 'max-retries': '0' }
    })
    expect(result.exitCode).toBe(1)
    expectNothingLeaked(result)
  })

  it('a revoke answer echoing the token and the secret: one warning, nothing shown', async () => {
    const c = TOKENS[0]
    const result = await run([{ status: 'AVAILABLE' }], {
      oauth: {
        revokeScript: [
          {
            status: 400,
            body: JSON.stringify({ error: c, error_description: `token ${c} for ${CLIENT_SECRET}` }),
            headers: echo(c)
          }
        ]
      }
    })
    expect(result.exitCode).toBe(0)
    const warnings = result.stdout.split('\n').filter(line => line.startsWith('::warning'))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(
      /Could not revoke this run's access token \(the revoke endpoint answered HTTP 400/
    )
    expectNothingLeaked(result)
  })
})

describe('a property: any credential, in any field, in any form a server may echo it', () => {
  type Where = 'token 401' | 'read 403' | 'read 200' | 'revoke 400' | 'read 500 header'
  const wrap: Record<string, (c: string) => string> = {
    raw: c => c,
    'cut short': c => c.slice(0, -1),
    '\\u-escaped': c => [...c].map(ch => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''),
    '\\/-escaped': c => c.replace(/\//g, '\\/'),
    'inside text': c => `x${c}y`
  }
  const json = { 'Content-Type': 'application/json' }

  function scenario(where: Where, text: string, header: string): { script: Step[]; setup: Setup } {
    switch (where) {
      case 'token 401':
        return {
          script: [{ status: 'AVAILABLE' }],
          setup: {
            oauth: {
              script: [
                {
                  status: 401,
                  body: `{"error":"invalid_client:${text}","error_description":"${text}"}`,
                  headers: { 'X-Error-Code': header }
                }
              ]
            }
          }
        }
      case 'read 403':
        return {
          script: [
            {
              raw: {
                status: 403,
                headers: { ...json, 'X-Error-Code': header },
                body: `{"error":403,"errorCode":"${text}","detail":"Bearer ${text}","reason":"${text}"}`
              }
            }
          ],
          setup: {}
        }
      case 'read 200':
        return {
          script: [
            {
              raw: {
                status: 200,
                headers: { ...json, Deprecation: header, Sunset: header },
                body: `{"connectionStatus":"REJECTED","errorMessage":"${text}","interfaceEndpointId":"${IDS.interfaceEndpointId}"}`
              }
            }
          ],
          setup: {}
        }
      case 'revoke 400':
        return {
          script: [{ status: 'AVAILABLE' }],
          setup: {
            oauth: {
              revokeScript: [
                {
                  status: 400,
                  body: `{"error":"${text}","error_description":"${text}"}`,
                  headers: { 'X-Error-Code': header }
                }
              ]
            }
          }
        }
      case 'read 500 header':
        return {
          script: [
            {
              error: 500,
              errorCode: 'UNEXPECTED_ERROR',
              detail: 'x',
              headers: { 'X-Error-Code': header, 'Retry-After': header },
              times: 5
            }
          ],
          setup: { inputs: { 'max-retries': '0' } }
        }
    }
  }

  it('holds for 15 random cases', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<Where>('token 401', 'read 403', 'read 200', 'revoke 400', 'read 500 header'),
        fc.constantFrom('secret', 'basic', 'token'),
        fc.constantFrom(...Object.keys(wrap)),
        async (where, which, form) => {
          // Before any token is issued, only the secret and the Basic credential can be echoed.
          const credential =
            which === 'secret'
              ? CLIENT_SECRET
              : which === 'basic' || where === 'token 401'
                ? BASIC
                : TOKENS[0]
          if (standin) await standin.stop()
          const { script, setup } = scenario(where, wrap[form](credential), credential)
          const result = await run(script, setup)
          expect(result.stdout).not.toMatch(/^::error::Unexpected error/m)
          expectNothingLeaked(result)
        }
      ),
      { numRuns: 15, seed: 14 }
    )
  }, 120_000)
})

describe('no line from the network is obeyed, so a token renewed after one is still masked', () => {
  it('a hostile listed ID and a hostile header, then a token renewed on a 401', async () => {
    const hostile =
      'vpce-0123456789abcdef0\n::stop-commands::x\n::error title=Deploy approved::All checks passed'
    const result = await run([{ status: 'AVAILABLE' }], {
      standin: {
        endpoints: [
          {
            id: hostile,
            script: [{ error: 401, errorCode: 'UNAUTHORIZED', detail: 'refused' }, { status: 'AVAILABLE' }]
          },
          {
            id: IDS.interfaceEndpointId,
            script: [
              { error: 401, errorCode: 'UNAUTHORIZED', detail: 'refused' },
              { status: 'AVAILABLE', headers: { Deprecation: '::stop-commands::y ##[add-mask]z' } }
            ]
          }
        ]
      },
      inputs: { 'endpoint-id': '*', 'interface-endpoint-id': '' }
    })
    const view = asTheRunnerSeesIt(result.stdout)
    expect(view.commands.map(c => c.name)).not.toContain('stop-commands')
    expect(
      result.stdout.split(/\r\n|\r|\n/).filter(line => /^[\s\u0085]*::stop-commands/.test(line))
    ).toEqual([])
    expect(result.stdout).toMatch(/::add-mask::/)
    // As the runner shows it: no token in clear, whichever ones were issued.
    for (const token of oauth.issuedTokens()) expect(view.shown.join('\n')).not.toContain(token)
    expectNothingLeaked(result)
  })
})

describe('bounded tokens', () => {
  it('expires_in 0.001 for 6 s: a token every 5 s at most, each revoked', async () => {
    const result = await run([{ status: 'PENDING', times: 6 }, { status: 'AVAILABLE' }], {
      // The tokens really last an hour; the answer claims a millisecond.
      oauth: { claimedExpiresIn: 0.001 }
    })
    expect(result.exitCode).toBe(0)
    // Checks at 0..6 s: a token at 0 s and one at 5 s (before: one per read, 7 and more).
    expect(oauth.tokenRequests).toBe(2)
    expect(oauth.revokeRequests).toBe(oauth.tokenRequests)
    expect(oauth.activeTokens()).toBe(0)
    expect(result.stdout.split('\n').filter(line => line.startsWith('::add-mask::tok'))).toHaveLength(
      oauth.tokenRequests
    )
    expectNothingLeaked(result)
  })

  it('tokens Atlas keeps refusing: at most 10 renewals, then a failure naming the token endpoint; every token revoked', async () => {
    // Every check, Atlas refuses the token in hand once (a 401), then reads with the new one:
    // the reads of a check share one token, so one renewal per check, 11 checks to the limit.
    const refusedThenPending = Array.from({ length: 14 }, () => [
      { error: 401, errorCode: 'UNAUTHORIZED', detail: 'no' },
      { status: 'PENDING' }
    ]).flat() as Step[]
    const result = await run([], {
      standin: { endpoints: [{ id: IDS.interfaceEndpointId, script: refusedThenPending }] },
      inputs: { 'endpoint-id': IDS.interfaceEndpointId, 'interface-endpoint-id': '', 'timeout-seconds': '20' }
    })
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toMatch(
      /^::error::.*Atlas refused 11 access tokens of service account .* soon after the token endpoint \(http:\/\/127\.0\.0\.1:\d+\/api\/oauth\/token\) issued them/m
    )
    expect(oauth.tokenRequests).toBe(11)
    expect(oauth.revokeRequests).toBe(11)
    expect(oauth.activeTokens()).toBe(0)
    expectNothingLeaked(result)
  }, 40_000)

  it('a token that is not Bearer is refused, and revoked', async () => {
    const result = await run([{ status: 'AVAILABLE' }], { oauth: { tokenType: 'mac' } })
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toMatch(/^::error::.*a token of type "mac"; this action only knows Bearer tokens/m)
    expect([oauth.tokenRequests, oauth.revokeRequests, oauth.activeTokens()]).toEqual([1, 1, 0])
    expectNothingLeaked(result)
  })

  it.each<[string, string, RegExp]>([
    [
      '"Bearer\\r\\n"',
      JSON.stringify({ access_token: TOKENS[0], token_type: 'Bearer\r\n', expires_in: 3600 }),
      /a token of type "Bearer\\r\\n"/
    ],
    [
      'a CR LF in the token',
      JSON.stringify({ access_token: `${TOKENS[0]}\r\nX-Injected: 1`, token_type: 'Bearer' }),
      /it holds a line break/
    ],
    [
      'a token outside Latin-1',
      JSON.stringify({ access_token: `${TOKENS[0]}€`, token_type: 'Bearer' }),
      /outside Latin-1/
    ],
    [
      'a one-character token',
      JSON.stringify({ access_token: 'e', token_type: 'Bearer' }),
      /it is 1 character long/
    ],
    [
      'a 1,000,000-character token',
      JSON.stringify({ access_token: 'x'.repeat(1_000_000), token_type: 'Bearer' }),
      /it is 1000000 characters long/
    ]
  ])(
    '%s: a token-endpoint error at once, not "Could not reach Atlas", no retry, no read',
    async (_, body, message) => {
      const result = await run([{ status: 'AVAILABLE' }], {
        oauth: { script: [{ status: 200, body, times: 5 }] },
        inputs: { 'max-retries': '3' }
      })
      expect(result.exitCode).toBe(1)
      expect(result.stdout).toMatch(
        new RegExp(
          `^::error::The Atlas token endpoint \\(.*\\) answered HTTP 200 with .*${message.source}`,
          'm'
        )
      )
      expect(result.stdout).not.toMatch(/Could not reach Atlas/)
      expect(oauth.tokenRequests).toBe(1)
      expect(standin.requests.filter(r => r.target === 'endpoint')).toHaveLength(0)
      expect(result.stdout).not.toMatch(/^::add-mask::e$/m)
      expect(result.stdout).not.toMatch(/^::add-mask::x{100}/m)
      expectNothingLeaked(result, [TOKENS[0]])
    }
  )
})

describe('the smaller items', () => {
  it('a hanging revoke: one warning line, naming the fixed 2 s', async () => {
    const result = await run([{ status: 'AVAILABLE' }], {
      oauth: { revokeScript: [{ status: 200, hang: true }] }
    })
    expect(result.exitCode).toBe(0)
    const warnings = result.stdout.split('\n').filter(line => line.startsWith('::warning'))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/Revoking this run's access token took more than 2 s \(a fixed limit\)/)
    expect(result.stdout).not.toMatch(/request-timeout-seconds/)
    expect(result.durationMs).toBeLessThan(5_000)
  })

  it('a Retry-After past the deadline says Atlas asked to wait that long', async () => {
    const result = await run([{ error: 429, errorCode: 'RATE_LIMITED', headers: { 'Retry-After': '30' } }], {
      inputs: { 'timeout-seconds': '6' }
    })
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toMatch(/^::error::.*Atlas asked to wait 30 s, past the deadline/m)
    expect(result.durationMs).toBeLessThan(4_000)
  })

  it('a second SIGTERM while the revoke hangs: the revoke is abandoned, outputs and summary still written', async () => {
    let child: ChildProcess | undefined
    let first = false
    let second = false
    const result = await run([{ status: 'PENDING' }], {
      oauth: { revokeScript: [{ status: 200, hang: true }] },
      inputs: { 'interval-seconds': '30' },
      run: {
        onStart: started => (child = started),
        onStdout: text => {
          if (!first && text.includes('next check in 30 s')) {
            first = true
            child?.kill('SIGTERM')
            const poll = setInterval(() => {
              if (oauth.revokeRequests > 0) {
                clearInterval(poll)
                second = true
                child?.kill('SIGTERM')
              }
            }, 10)
          }
        }
      }
    })
    expect([first, second]).toEqual([true, true])
    expect(result.exitCode).not.toBe(0)
    expect(result.signal).toBeNull()
    expect(result.stdout).toMatch(/^::error::The step was cancelled \(SIGTERM\)/m)
    expect(result.outputs['connection-status']).toBe('PENDING')
    expect(result.summary).toContain(htmlEscaped('the revoke was abandoned'))
    expect(result.durationMs).toBeLessThan(5_000)
    expectNothingLeaked(result)
  })
})
