/**
 * Issue 9 end to end: the bundled action signs in with an Atlas service account (OAuth client
 * credentials) against the stand-in's token and revoke endpoints, as a runner runs it. Token
 * requests, reads and revokes are counted in the stand-in's own records.
 */
import type { ChildProcess } from 'node:child_process'
import type { AtlasStandin, RequestRecord, StandinOptions } from '../../standin/atlas-standin.js'
import { OAuthStandin, type OAuthStandinOptions } from '../../standin/oauth-standin.js'
import { runAction, type ActionRun, type RunOptions } from '../../standin/runner.js'
import { startStandin } from '../helpers/harness.js'
import { IDS, REQUIRED_INPUTS } from '../helpers/ids.js'
import { itWithSignals } from '../helpers/signals.js'

const CLIENT_ID = 'mdb_sa_id_0123456789abcdef01234567'
const CLIENT_SECRET = 'mdb_sa_sk_Zq4tW9xYp2LmN7vB3cR8sK1dF6gH0jA5'
/** The Basic credential the action builds from the pair: as secret as the secret itself. */
const BASIC = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')
const SA_INPUTS = {
  ...REQUIRED_INPUTS,
  'public-key': '',
  'private-key': '',
  'client-id': CLIENT_ID,
  'client-secret': CLIENT_SECRET
}

let standin: AtlasStandin
let oauth: OAuthStandin
let child: ChildProcess | undefined
afterEach(async () => standin?.stop())

interface Setup {
  oauth?: Partial<OAuthStandinOptions>
  standin?: Partial<StandinOptions>
  inputs?: Record<string, string>
  run?: Partial<RunOptions>
}

async function run(script: StandinOptions['script'], setup: Setup = {}): Promise<ActionRun> {
  oauth = new OAuthStandin({
    accounts: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }],
    ...setup.oauth
  })
  standin = await startStandin({ script, serviceAccounts: oauth, ...setup.standin })
  const result = await runAction({
    ...setup.run,
    inputs: { ...SA_INPUTS, 'base-url': standin.baseUrlV2, 'interval-seconds': '1', ...setup.inputs }
  })
  expectNoSecretLeaked(result)
  return result
}

/** The client secret, the Basic credential and every token issued appear only in ::add-mask:: lines. */
function expectNoSecretLeaked(result: ActionRun, more: string[] = []): void {
  const secrets = [CLIENT_SECRET, BASIC, ...more, ...(oauth?.issuedTokens() ?? [])]
  const log = `${result.stdout}\n${result.stderr}`
  for (const secret of secrets) {
    const lines = log.split('\n').filter(line => line.includes(secret))
    expect(lines.filter(line => line !== `::add-mask::${secret}`)).toEqual([])
    expect(result.outputFile).not.toContain(secret)
    expect(result.summary).not.toContain(secret)
  }
  expect(log).not.toMatch(/authorization:/i)
  expect(log).not.toMatch(/Bearer [A-Za-z0-9_-]{8}/)
}

const reads = (): RequestRecord[] => standin.requests.filter(r => r.target === 'endpoint')
const tokenTimes = (): number[] => oauth.requests.filter(r => r.path === '/api/oauth/token').map(r => r.at)
/** The summary escapes every character but letters, digits and spaces. */
const esc = (text: string): string => text.replace(/[^A-Za-z0-9 ]/g, ch => `&#${ch.codePointAt(0)};`)

describe('a service account, end to end', () => {
  it('outlives a token: one token request per token lifetime, one read per check, one revoke per token', async () => {
    // Tokens of 6 s are renewed 0.6 s early; checks every 1 s at 0…6 s: tokens at 0 and ~6 s.
    // (A token shorter than 5 s is renewed on its 401: scheduled renewals come 5 s apart at most.)
    const result = await run([{ status: 'PENDING', times: 6 }, { status: 'AVAILABLE' }], {
      oauth: { expiresInSeconds: 6 },
      inputs: { 'wait-for': 'AVAILABLE' }
    })
    expect(result.exitCode).toBe(0)
    expect(result.outputs.attempts).toBe('7')
    expect(reads()).toHaveLength(7)
    for (const read of reads())
      expect(read).toMatchObject({ auth: 'bearer', status: 200, clientId: CLIENT_ID })
    expect(oauth.tokenRequests).toBe(2)
    const times = tokenTimes()
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(5_400)
    // The replaced token is revoked when it is replaced, the last one at the end.
    expect(oauth.revokeRequests).toBe(2)
    expect(oauth.activeTokens()).toBe(0)
    // Nothing else went out: tokens + reads + tokens (revokes).
    expect(standin.requests).toHaveLength(2 + 7 + 2)
    expect(standin.requests.filter(r => r.target === 'oauth').every(r => r.auth === 'basic')).toBe(true)
    // Every token was masked the moment it arrived.
    for (const token of oauth.issuedTokens()) expect(result.stdout).toContain(`::add-mask::${token}`)
  })

  it('says "service account" and the client ID in the Settings group and the summary, never the secret', async () => {
    const result = await run([{ status: 'AVAILABLE' }], { inputs: { 'wait-for': 'AVAILABLE' } })
    expect(result.exitCode).toBe(0)
    const settings = result.stdout.slice(
      result.stdout.indexOf('::group::Settings'),
      result.stdout.indexOf('::endgroup::')
    )
    expect(settings).toContain(`Signed in with a service account: client ID ${CLIENT_ID}`)
    expect(result.summary).toContain(esc(`service account ${CLIENT_ID}`))
    expect(result.summary).not.toContain(esc('API key'))
    expect(result.stdout.indexOf(`::add-mask::${CLIENT_SECRET}`)).toBeLessThan(
      result.stdout.indexOf('Checking')
    )
    expect(standin.requests.map(r => `${r.target} ${r.auth}`)).toEqual([
      'oauth basic',
      'endpoint bearer',
      'oauth basic'
    ])
  })

  it('reads the v1.0 API with a bearer token too', async () => {
    oauth = new OAuthStandin({ accounts: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }] })
    standin = await startStandin({
      script: [{ status: 'PENDING' }, { status: 'AVAILABLE' }],
      serviceAccounts: oauth
    })
    const result = await runAction({
      inputs: { ...SA_INPUTS, 'base-url': standin.baseUrl, 'interval-seconds': '1', 'wait-for': 'AVAILABLE' }
    })
    expectNoSecretLeaked(result)
    expect(result.exitCode).toBe(0)
    expect(result.outputs['connection-status']).toBe('AVAILABLE')
    expect(reads().map(r => `${r.api} ${r.auth} ${r.status}`)).toEqual(['v1.0 bearer 200', 'v1.0 bearer 200'])
    expect([oauth.tokenRequests, oauth.revokeRequests]).toEqual([1, 1])
  })

  it('renews a token Atlas rejects mid-run once, and goes on', async () => {
    let invalidated = false
    const result = await run([{ status: 'PENDING', times: 2 }, { status: 'AVAILABLE' }], {
      inputs: { 'wait-for': 'AVAILABLE' },
      run: {
        onStdout: text => {
          if (!invalidated && text.includes('waiting for AVAILABLE')) {
            invalidated = true
            oauth.invalidateAll()
          }
        }
      }
    })
    expect(invalidated).toBe(true)
    expect(result.exitCode).toBe(0)
    expect(result.outputs.attempts).toBe('3')
    expect(reads().map(r => r.status)).toEqual([200, 401, 200, 200])
    expect(oauth.tokenRequests).toBe(2)
    // The refused token is revoked as it is replaced, the new one at the end.
    expect(oauth.revokeRequests).toBe(2)
    expect(oauth.activeTokens()).toBe(0)
  })

  it('renews only once when the new token is refused too, and says the credentials are refused', async () => {
    const result = await run([{ error: 401, errorCode: 'UNEXPECTED_ERROR', times: 10 }], {
      inputs: { 'wait-for': 'AVAILABLE' }
    })
    expect(result.exitCode).toBe(1)
    expect(reads()).toHaveLength(2)
    expect(oauth.tokenRequests).toBe(2)
    expect(result.stdout).toMatch(
      /^::error::Atlas answered HTTP 401 .*The service account was refused even with a new token/m
    )
    expect(oauth.revokeRequests).toBe(2)
  })

  const ROTATE = /The client ID or secret is wrong, or the secret has expired/
  it.each<[string, Partial<OAuthStandinOptions>, string, RegExp, RegExp]>([
    [
      'invalid_client 401 (a wrong secret)',
      {},
      'mdb_sa_sk_wrong',
      /HTTP 401 \(invalid_client\): "Invalid credentials provided\."/,
      ROTATE
    ],
    [
      'invalid_client 400',
      {
        script: [
          {
            status: 400,
            body: '{"error":"invalid_client","error_description":"Client authentication failed."}'
          }
        ]
      },
      CLIENT_SECRET,
      /HTTP 400 \(invalid_client\): "Client authentication failed\."/,
      ROTATE
    ],
    [
      '403 token limit',
      { tokenLimit: 0 },
      CLIENT_SECRET,
      /HTTP 403 \(access_denied\): "Access Token limit reached/,
      new RegExp(`Service account ${CLIENT_ID} already holds 100 active access tokens`)
    ]
  ])(
    'stops at once on %s, saying what to do, with no read and nothing to revoke',
    async (_, options, secret, said, hint) => {
      const result = await run([{ status: 'AVAILABLE' }], {
        oauth: options,
        inputs: { 'wait-for': 'AVAILABLE', 'client-secret': secret }
      })
      expect(result.exitCode).toBe(1)
      expect(result.durationMs).toBeLessThan(3_000)
      const error = result.stdout.split('\n').find(line => line.startsWith('::error::')) ?? ''
      expect(error).toMatch(/^::error::The Atlas token endpoint answered /)
      expect(error).toMatch(said)
      expect(error).toMatch(hint)
      expect(oauth.tokenRequests).toBe(1)
      expect(reads()).toHaveLength(0)
      expect(oauth.revokeRequests).toBe(0)
      expect(result.summary).toContain('Could not read')
      expectNoSecretLeaked(result, [secret])
    }
  )

  it('retries a 429 with Retry-After within max-retries, waiting as long as it says', async () => {
    const result = await run([{ status: 'AVAILABLE' }], {
      oauth: { script: [{ status: 429, retryAfter: '1', times: 2 }] },
      inputs: { 'wait-for': 'AVAILABLE', 'max-retries': '2' }
    })
    expect(result.exitCode).toBe(0)
    expect(oauth.tokenRequests).toBe(3)
    const times = tokenTimes()
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(1_000)
    expect(times[2] - times[1]).toBeGreaterThanOrEqual(1_000)
    expect(result.stdout).toMatch(/token endpoint answered HTTP 429 \(RATE_LIMITED\).*Retry 1 of 2 in 1 s/)
    expect(result.stdout).toMatch(/Retry 2 of 2 in 1 s/)
    expect(oauth.revokeRequests).toBe(1)
  })

  it('gives up on a 429 after max-retries, saying so', async () => {
    const result = await run([{ status: 'AVAILABLE' }], {
      oauth: { script: [{ status: 429, retryAfter: '1', times: 5 }] },
      inputs: { 'wait-for': 'AVAILABLE', 'max-retries': '2' }
    })
    expect(result.exitCode).toBe(1)
    expect(oauth.tokenRequests).toBe(3)
    expect(result.stdout).toMatch(
      /^::error::.*HTTP 429.*Gave up after 3 failed tries in a row \(max-retries: 2\)/m
    )
    expect(reads()).toHaveLength(0)
  })

  it('retries a 429 without Retry-After after 10 s, as Atlas advises', async () => {
    const result = await run([{ status: 'AVAILABLE' }], {
      oauth: { script: [{ status: 429 }] },
      inputs: { 'wait-for': 'AVAILABLE', 'max-retries': '1' }
    })
    expect(result.exitCode).toBe(0)
    const times = tokenTimes()
    expect(times).toHaveLength(2)
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(10_000)
    expect(result.stdout).toMatch(/HTTP 429 \(RATE_LIMITED\).*Retry 1 of 1 in 10 s/)
  }, 40_000)

  it('retries a 5xx from the token endpoint as transient, and gives up after max-retries', async () => {
    const result = await run([{ status: 'AVAILABLE' }], {
      oauth: { script: [{ status: 503, times: 2 }] },
      inputs: { 'wait-for': 'AVAILABLE', 'max-retries': '2' }
    })
    expect(result.exitCode).toBe(0)
    expect(oauth.tokenRequests).toBe(3)
    expect(result.stdout).toMatch(/token endpoint answered HTTP 503 \(UNEXPECTED_ERROR\).*Retry 1 of 2/)

    await standin.stop()
    const failed = await run([{ status: 'AVAILABLE' }], {
      oauth: { script: [{ status: 502, times: 5 }] },
      inputs: { 'wait-for': 'AVAILABLE', 'max-retries': '1' }
    })
    expect(failed.exitCode).toBe(1)
    expect(oauth.tokenRequests).toBe(2)
    expect(failed.stdout).toMatch(
      /^::error::.*HTTP 502.*Gave up after 2 failed tries in a row \(max-retries: 1\)/m
    )
  })

  itWithSignals('still revokes its token when the run is cancelled (SIGTERM) mid-wait', async () => {
    let signalled = false
    const result = await run([{ status: 'PENDING' }], {
      inputs: { 'wait-for': 'AVAILABLE', 'interval-seconds': '30' },
      run: {
        onStart: started => (child = started),
        onStdout: text => {
          if (!signalled && text.includes('next check in 30 s')) {
            signalled = true
            child?.kill('SIGTERM')
          }
        }
      }
    })
    expect(signalled).toBe(true)
    expect(result.exitCode).not.toBe(0)
    expect(result.stdout).toMatch(/^::error::The step was cancelled \(SIGTERM\)/m)
    expect(oauth.tokenRequests).toBe(1)
    expect(oauth.revokeRequests).toBe(1)
    expect(oauth.requests.at(-1)).toMatchObject({ path: '/api/oauth/revoke', status: 200 })
    expect(oauth.activeTokens()).toBe(0)
  })

  it('with RUNNER_DEBUG=1, leaks neither the secret nor any token, through renewals and a rejected token', async () => {
    let invalidated = false
    const result = await run([{ status: 'PENDING', times: 4 }, { status: 'AVAILABLE' }], {
      oauth: { expiresInSeconds: 2 },
      inputs: { 'wait-for': 'AVAILABLE' },
      run: {
        env: { RUNNER_DEBUG: '1' },
        onStdout: text => {
          if (!invalidated && text.includes('waiting for AVAILABLE')) {
            invalidated = true
            oauth.invalidateAll()
          }
        }
      }
    })
    expect(result.exitCode).toBe(0)
    expect(oauth.issuedTokens().length).toBeGreaterThanOrEqual(3)
    expect(result.stdout).toMatch(/^::debug::POST http:\/\/127\.0\.0\.1:\d+\/api\/oauth\/token → HTTP 200/m)
    expect(result.stdout).toMatch(/^::debug::Got an access token for service account /m)
    expect(result.stdout).toMatch(/^::debug::Revoked an access token/m)
    // run() checked the log, outputs and summary; here the secrets are also checked on stderr alone.
    for (const secret of [CLIENT_SECRET, BASIC, ...oauth.issuedTokens()])
      expect(result.stderr).not.toContain(secret)
  })

  it.each([
    [
      'both pairs',
      { 'public-key': IDS.publicKey, 'private-key': IDS.privateKey },
      /two kinds of credentials/
    ],
    ['a client ID without its secret', { 'client-secret': '' }, /Input "client-secret" is required/],
    ['a secret without its client ID', { 'client-id': '' }, /Input "client-id" is required/],
    ['neither pair', { 'client-id': '', 'client-secret': '' }, /No credentials were given/]
  ])('refuses %s before sending anything', async (_, inputs, message) => {
    const result = await run([{ status: 'AVAILABLE' }], { inputs })
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toMatch(new RegExp(`^::error::.*${message.source}`, 'm'))
    expect(standin.requests).toHaveLength(0)
    expect(result.summary).toContain('Inputs are invalid')
  })
})
