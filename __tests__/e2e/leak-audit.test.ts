/**
 * A red-team audit of secrets and runner commands, end to end: the bundled action against a
 * stand-in (and a proxy) that echo the run's credentials back in the forms a person could still
 * read them in: upper-cased hex, zero-width characters inserted, base64 of a longer string,
 * escapes the action does not decode (`\u0074`, `%2f`, `&#116;`), the secret without its public
 * prefix, and a proxy's Basic credential. Judged by what a workflow sees: the log as the runner
 * shows it, stderr, the outputs file and the summary (its character references decoded), each
 * decoded again the ways a reader could decode it.
 *
 * Every case in "echoed credentials in forms a reader can decode" failed against the dist/ of
 * main at e0b9cf4.
 */
import net, { type AddressInfo } from 'node:net'
import type { AtlasStandin, StandinOptions, Step } from '../../standin/atlas-standin.js'
import { OAuthStandin, type OAuthStandinOptions } from '../../standin/oauth-standin.js'
import { runAction, type ActionRun, type RunOptions } from '../../standin/runner.js'
import { startStandin } from '../helpers/harness.js'
import { IDS, REQUIRED_INPUTS } from '../helpers/ids.js'
import { asTheRunnerSeesIt } from '../helpers/runner-log.js'

const CLIENT_ID = 'mdb_sa_id_0123456789abcdef01234567'
const CLIENT_SECRET = 'mdb_sa_sk_Zq4tW9xYp2LmN7vB3cR8sK1dF6gH0jA5'
const BASIC = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')
const TOKENS = Array.from({ length: 5 }, (_, i) => `tok${i}_Zm9vYmFyYmF6cXV4cXV1eHh5eXp6MDEyMzQ1Njc4OQ`)
const SA_INPUTS = {
  ...REQUIRED_INPUTS,
  'public-key': '',
  'private-key': '',
  'client-id': CLIENT_ID,
  'client-secret': CLIENT_SECRET,
  'max-retries': '0'
}
const API_KEY_INPUTS = { ...REQUIRED_INPUTS, 'max-retries': '0' }
/** What the action means to tell the runner; anything else obeyed is an injection. */
const MEANT = new Set(['add-mask', 'debug', 'error', 'warning', 'group', 'endgroup'])

let standin: AtlasStandin | undefined
let oauth: OAuthStandin
let server: net.Server | undefined
afterEach(async () => {
  await standin?.stop()
  standin = undefined
  await new Promise<void>(resolve => (server ? server.close(() => resolve()) : resolve()))
  server = undefined
})

async function runSa(
  script: Step[],
  setup: { oauth?: Partial<OAuthStandinOptions>; standin?: Partial<StandinOptions> } = {}
): Promise<ActionRun> {
  oauth = new OAuthStandin({
    accounts: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }],
    tokenValues: TOKENS,
    ...setup.oauth
  })
  standin = await startStandin({ script, serviceAccounts: oauth, ...setup.standin })
  return runAction({ inputs: { ...SA_INPUTS, 'base-url': standin.baseUrlV2 } })
}

async function runApiKey(script: Step[], run: Partial<RunOptions> = {}): Promise<ActionRun> {
  standin = await startStandin({ script })
  return runAction({ ...run, inputs: { ...API_KEY_INPUTS, 'base-url': standin.baseUrlV2, ...run.inputs } })
}

/** A 403 whose body is Atlas's error JSON with this detail. */
const refused = (detail: string, headers: Record<string, string> = {}): Step => ({
  raw: {
    status: 403,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify({ error: 403, errorCode: 'USER_UNAUTHORIZED', detail, reason: 'Forbidden' })
  }
})

/** A 200 REJECTED endpoint whose errorMessage is this text (and other fields as given). */
const rejected = (errorMessage: string, more: Record<string, string> = {}): Step => ({
  raw: {
    status: 200,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      connectionStatus: 'REJECTED',
      errorMessage,
      interfaceEndpointId: IDS.interfaceEndpointId,
      ...more
    })
  }
})

/** What a workflow can see: the log as the runner shows it (masked), stderr, outputs, summary. */
function views(result: ActionRun): Record<string, string> {
  return {
    log: asTheRunnerSeesIt(result.stdout).shown.join('\n'),
    stderr: result.stderr,
    outputs: result.outputFile,
    summary: decodeEntities(result.summary)
  }
}

function decodeEntities(text: string): string {
  return text
    .replace(/&#(\d+);?/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&#x([0-9a-f]+);?/gi, (_, code: string) => String.fromCodePoint(parseInt(code, 16)))
}

/** Decodings any reader could apply to a piece of text to get a credential back from it. */
function readings(text: string): string[] {
  const unescaped = (value: string): string =>
    decodeEntities(value)
      .replace(/\\\\/g, '\\')
      .replace(/\\u([0-9a-f]{4})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
      .replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
  const out = [text, text.replace(/\p{Default_Ignorable_Code_Point}/gu, '')]
  out.push(unescaped(out[1]), unescaped(unescaped(out[1])))
  // Every run of base64 characters, decoded from each of its first four positions.
  for (const run of text.match(/[A-Za-z0-9+/_-]{16,}/g) ?? []) {
    for (let at = 0; at < 4; at++) {
      const piece = run.slice(at).replace(/-/g, '+').replace(/_/g, '/')
      out.push(Buffer.from(piece.slice(0, piece.length - (piece.length % 4)), 'base64').toString('latin1'))
    }
  }
  return out
}

/**
 * No credential in anything a workflow sees, in any reading of it. A hex credential (the API
 * private key) is compared without regard to case, as hex is read. `parts` are pieces of a
 * credential that give it away on their own (the secret without its public `mdb_sa_sk_`).
 */
function expectNothingRecoverable(result: ActionRun, credentials: string[], parts: string[] = []): void {
  const view = asTheRunnerSeesIt(result.stdout)
  expect(view.commands.filter(command => !MEANT.has(command.name)).map(c => c.line)).toEqual([])
  expect(view.whileStopped).toEqual([])
  const found: string[] = []
  for (const [where, text] of Object.entries(views(result))) {
    for (const reading of readings(text)) {
      // A credential cut short still gives away its start: its first 16 characters are enough.
      for (const secret of [...credentials, ...credentials.map(c => c.slice(0, 16)), ...parts]) {
        const hex = /^[0-9a-f-]+$/i.test(secret)
        const hit = hex ? reading.toLowerCase().includes(secret.toLowerCase()) : reading.includes(secret)
        if (hit) found.push(`${where}: ${secret}`)
      }
    }
  }
  expect([...new Set(found)]).toEqual([])
}

describe('echoed credentials in forms a reader can decode', () => {
  it('the API private key echoed upper-cased (hex reads the same in either case)', async () => {
    const upper = IDS.privateKey.toUpperCase()
    const result = await runApiKey([refused(`The key ${upper} has no access`, { 'X-Error-Code': upper })])
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toMatch(/^::error::Atlas answered HTTP 403/m)
    expectNothingRecoverable(result, [IDS.privateKey])
  })

  it('an access token with a zero-width space inserted, in errorMessage: not in the outputs, log or summary', async () => {
    const token = TOKENS[0]
    const result = await runSa([rejected(`Token ${token.slice(0, 3)}\u200b${token.slice(3)} is not allowed`)])
    expect(result.exitCode).toBe(1)
    expect(result.outputs['connection-status']).toBe('REJECTED')
    expect(result.outputs['error-message']).toBe('Token *** is not allowed')
    expectNothingRecoverable(result, [...oauth.issuedTokens(), CLIENT_SECRET, BASIC])
  })

  it('a soft hyphen and a word joiner inside the client secret, in a token-endpoint error', async () => {
    const hidden = `${CLIENT_SECRET.slice(0, 5)}\u00ad${CLIENT_SECRET.slice(5, 20)}\u2060${CLIENT_SECRET.slice(20)}`
    const result = await runSa([{ status: 'AVAILABLE' }], {
      oauth: {
        script: [
          { status: 401, body: JSON.stringify({ error: 'invalid_client', error_description: hidden }) }
        ]
      }
    })
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toMatch(/^::error::The Atlas token endpoint answered HTTP 401/m)
    expectNothingRecoverable(result, [CLIENT_SECRET, BASIC])
  })

  it('the Authorization header echoed as base64 of "Bearer <token>" (the token off base64 alignment)', async () => {
    const echoed = Buffer.from(`Authorization: Bearer ${TOKENS[0]}`).toString('base64')
    const result = await runSa([refused(`Request ${echoed} refused`)])
    expect(result.exitCode).toBe(1)
    expectNothingRecoverable(result, [...oauth.issuedTokens(), CLIENT_SECRET, BASIC])
  })

  it('the client secret without its public mdb_sa_sk_ prefix, in a token-endpoint error', async () => {
    const result = await runSa([{ status: 'AVAILABLE' }], {
      oauth: {
        script: [
          {
            status: 401,
            body: JSON.stringify({
              error: 'invalid_client',
              error_description: `unknown secret ${CLIENT_SECRET.slice('mdb_sa_sk_'.length)}`
            })
          }
        ]
      }
    })
    expect(result.exitCode).toBe(1)
    expectNothingRecoverable(result, [CLIENT_SECRET, BASIC], [CLIENT_SECRET.slice('mdb_sa_sk_'.length)])
  })

  it('an access token with its first characters cut off, in errorMessage', async () => {
    const result = await runSa([rejected(`refused ...${TOKENS[0].slice(3)}`)])
    expect(result.exitCode).toBe(1)
    expectNothingRecoverable(result, [...oauth.issuedTokens()], [TOKENS[0].slice(3)])
  })

  it.each<[string, (token: string) => string]>([
    [
      '\\u escapes in a text/plain body',
      t => [...t].map(ch => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')
    ],
    ['decimal character references', t => [...t].map(ch => `&#${ch.charCodeAt(0)};`).join('')],
    ['hex character references', t => [...t].map(ch => `&#x${ch.charCodeAt(0).toString(16)};`).join('')],
    [
      'percent-encoding with lower-case hex',
      t => [...t].map(ch => `%${ch.charCodeAt(0).toString(16)}`).join('')
    ]
  ])('the private key as %s', async (_, encode) => {
    const result = await runApiKey([
      {
        raw: {
          status: 403,
          headers: { 'Content-Type': 'text/plain', 'X-Error-Code': 'FORBIDDEN' },
          body: `refused key ${encode(IDS.privateKey)}`
        }
      }
    ])
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toMatch(/^::error::Atlas answered HTTP 403 \(FORBIDDEN\)/m)
    expectNothingRecoverable(result, [IDS.privateKey])
  })

  it('a proxy echoes the Proxy-Authorization it got in a malformed answer to the CONNECT: the Basic credential is hidden', async () => {
    const user = 'deploy-bot'
    const password = 'Pr0xy-S3cret-passw0rd'
    server = net.createServer(socket => {
      let head = ''
      socket.on('data', chunk => {
        head += chunk.toString('latin1')
        if (!head.includes('\r\n\r\n')) return
        const echoed = /proxy-authorization: *([^\r\n]*)/i.exec(head)?.[1] ?? 'none'
        // A header line without a colon: https-proxy-agent puts the line in its error.
        socket.end(`HTTP/1.1 407 Proxy Authentication Required\r\nYou sent ${echoed}\r\n\r\n`)
      })
      socket.on('error', () => socket.destroy())
    })
    await new Promise<void>(resolve => server?.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as AddressInfo).port
    const result = await runApiKey([{ status: 'AVAILABLE' }], {
      env: { HTTP_PROXY: `http://${user}:${password}@127.0.0.1:${port}` }
    })
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toMatch(/^::error::.*through the proxy http:\/\/127\.0\.0\.1:\d+ \(HTTP_PROXY\)/m)
    expect(standin?.requests).toHaveLength(0)
    const basic = Buffer.from(`${user}:${password}`).toString('base64')
    expectNothingRecoverable(result, [password, basic, IDS.privateKey])
  })
})

describe('what held: nothing from the network is obeyed', () => {
  it.each([
    '::stop-commands::pwned-0123456789',
    'abc%0A::error::Deploy%20approved',
    '##[stop-commands]pwned0123456789',
    '::set-output%20name=connection-status::AVAILABLE'
  ])('an access token %s is masked as one value, and no command comes of it', async token => {
    const result = await runSa([{ status: 'AVAILABLE' }], { oauth: { tokenValues: [token] } })
    expect(result.exitCode).toBe(0)
    const view = asTheRunnerSeesIt(result.stdout)
    expect(view.commands.filter(command => command.name === 'add-mask').map(c => c.data)).toContain(token)
    expect(view.commands.map(c => c.name).filter(name => !MEANT.has(name))).toEqual([])
    expect(result.outputs['connection-status']).toBe('AVAILABLE')
    expectNothingRecoverable(result, [token, CLIENT_SECRET, BASIC])
  })

  it('every line break a viewer or the runner may honour, and HTML, markdown and comments, in errorMessage', async () => {
    const breaks = ['\r', '\n', '\u0085', '\u2028', '\u2029', '\u000b', '\u000c', '\r\n']
    const markup =
      '<script>alert(1)</script><img src=x onerror=alert(1)>[approved](https://evil.example/x)<!-- hidden --></td></tr></table><details open><summary>ok</summary>'
    const message = `${breaks.map(b => `${b}::warning::injected${b}##[error]legacy`).join('')} ${markup}`
    const result = await runApiKey([rejected(message)], { inputs: { 'fail-on': '' } })
    expect(result.exitCode).toBe(0)
    // Split as generously as any viewer would: still no line that is a command.
    // eslint-disable-next-line no-control-regex -- the line breaks are the point
    const lines = `${result.stdout}\n${result.stderr}`.split(/\r\n|[\r\n\u0085\u2028\u2029\u000b\u000c]/)
    expect(lines.filter(line => /^\s*::warning::injected|##\[error\]/.test(line))).toEqual([])
    expect(asTheRunnerSeesIt(result.stdout).commands.map(c => c.name)).toEqual(
      expect.not.arrayContaining(['warning'])
    )
    for (const tag of ['<script', '<img', '<!--', '<details open', '</table><details', '](https'])
      expect(result.summary).not.toContain(tag)
    expect(result.outputs['error-message']).toBe(message)
  })
})
