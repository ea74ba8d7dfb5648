/**
 * `npm run demo [-- --scenario NAME | --list]`: the action, end to end, on this machine. It
 * starts the Atlas stand-in on 127.0.0.1, runs the committed dist/index.js exactly as a runner
 * would (standin/runner.ts), and shows what a workflow author would see: the step log, the
 * requests Atlas received, the outputs and the job summary. No credentials; nothing leaves the
 * machine (`npm run demo` fetches Node 24 from the npm registry once, before the first run).
 * `--list` prints the scenarios, one line each.
 */
import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { AtlasStandin, type RequestRecord } from '../standin/atlas-standin.js'
import { OAuthStandin } from '../standin/oauth-standin.js'
import { ACTION, ROOT, runAction } from '../standin/runner.js'
import {
  ALIASES,
  DEFAULT_SCENARIO,
  DEMO,
  SCENARIOS,
  scenarioInputs,
  type Scenario
} from './demo/scenarios.js'
import { displayWidth, padEnd, summaryPage, summaryToText } from './render-summary.js'

/** How to see the other scenarios: said at the end of every run. */
const LIST_HINT = 'npm run demo -- --list'

/** The scenarios, one line each: the name, then what it shows (the part of `shows` before ';'). */
function scenarioList(): string {
  const width = Math.max(...Object.keys(SCENARIOS).map(name => name.length)) + 2
  const lines = Object.entries(SCENARIOS).map(
    ([name, { shows }]) => `  ${name.padEnd(width)}${shows.split(';')[0]}`
  )
  const aliases = Object.entries(ALIASES)
    .map(([alias, name]) => `${alias} (${name})`)
    .join(', ')
  return `${lines.join('\n')}\n\nAlso accepted: ${aliases}.\nThe default scenario is "${DEFAULT_SCENARIO}".`
}

const LIST = `${Object.keys(SCENARIOS).length} scenarios; play one with \`npm run demo -- --scenario NAME\`:

${scenarioList()}`

const USAGE = `Usage: npm run demo [-- --scenario NAME | --list]

Runs the bundled action (dist/index.js, or ACTION_BUNDLE) against a local Atlas stand-in on
127.0.0.1 and shows its log, the requests the stand-in saw, the outputs and the job summary.
No credentials needed. --list prints the scenarios alone.

Scenarios:
${scenarioList()}
The exit code is the action's.`

async function main(): Promise<number> {
  let scenarioName: string
  try {
    const { values } = parseArgs({
      options: {
        scenario: { type: 'string', short: 's', default: DEFAULT_SCENARIO },
        list: { type: 'boolean', short: 'l' },
        help: { type: 'boolean', short: 'h' }
      }
    })
    if (values.help) {
      console.log(USAGE)
      return 0
    }
    if (values.list) {
      console.log(LIST)
      return 0
    }
    scenarioName = Object.hasOwn(ALIASES, values.scenario) ? ALIASES[values.scenario] : values.scenario
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`)
    return 2
  }
  const scenario = Object.hasOwn(SCENARIOS, scenarioName) ? SCENARIOS[scenarioName] : undefined
  if (!scenario) {
    console.error(`Unknown scenario "${scenarioName}".\n\n${USAGE}`)
    return 2
  }
  // The demo runs what is committed, not the source: a missing bundle is the one thing to fix first.
  if (!existsSync(ACTION)) {
    console.error(
      `${path.relative(ROOT, ACTION)} is missing: run \`npm run bundle\` first, then \`npm run demo\`.`
    )
    return 1
  }

  const { standin, oauth } = await startStandin(scenario)
  const apiRoot = scenario.api === 'v1.0' ? standin.baseUrl : standin.baseUrlV2
  console.log(`Scenario ${scenarioName}: ${scenario.shows}`)
  console.log(`Atlas stand-in listening at ${standin.origin} (base-url ${apiRoot})\n`)
  console.log(heading('Step log (live)'))

  const log = new RunnerLog()
  // Ctrl-C reaches the action too (same process group); it cancels itself like a cancelled
  // job and still writes its summary, so let the demo live long enough to show it.
  const ignoreInterrupt = (): void => undefined
  process.on('SIGINT', ignoreInterrupt)
  const run = await runAction({
    inputs: scenarioInputs(scenario, apiRoot),
    onStdout: text => log.write(text)
  }).finally(() => standin.stop())
  process.off('SIGINT', ignoreInterrupt)
  log.end()
  if (run.stderr.trim() !== '') console.log(`\n(stderr)\n${log.mask(run.stderr.trimEnd())}`)
  const exitCode = run.exitCode ?? 1

  console.log(`\n${heading(`Requests the stand-in saw (${standin.requests.length})`)}`)
  const first = standin.requests[0]?.at ?? 0
  printTable(
    ['#', 'at', 'method', 'request', 'status', 'credentials'],
    standin.requests.map((request, i) => [
      String(i + 1),
      `+${((request.at - first) / 1000).toFixed(2)} s`,
      request.method,
      what(request),
      String(request.status),
      credentials(request)
    ])
  )
  if (oauth) {
    const tokens = oauth.tokenRequests
    console.log(
      `\n  Service account: ${plural(tokens, 'token request')}, ${plural(oauth.revokeRequests, 'revoke request')}, ${oauth.activeTokens() === 0 ? 'no token left active' : `${plural(oauth.activeTokens(), 'token')} still active`}.`
    )
  }

  console.log(`\n${heading('Outputs')}`)
  const outputs = Object.entries(run.outputs)
  if (outputs.length === 0) console.log('  (none: no status was read)')
  printTable(['output', 'value'], outputs)

  console.log(`\n${heading('Job summary')}`)
  if (run.summary.trim() === '') {
    console.log('  (none was written)')
  } else {
    console.log(summaryToText(run.summary))
    const file = path.join(ROOT, '.demo', `summary-${scenarioName}.html`)
    await mkdir(path.dirname(file), { recursive: true })
    await writeFile(file, summaryPage(run.summary, `Demo: ${scenarioName}`))
    console.log(`\n  As a page: ${path.relative(process.cwd(), file) || file}`)
  }

  const verdict = exitCode === 0 ? 'succeeded' : `failed${run.signal ? ` (${run.signal})` : ''}`
  console.log(`\nThe action ${verdict}: exit code ${exitCode} after ${(run.durationMs / 1000).toFixed(1)} s.`)
  console.log(
    `This was the "${scenarioName}" scenario of ${Object.keys(SCENARIOS).length}; to see them all: ${LIST_HINT}`
  )
  return exitCode
}

/**
 * The step log as the runner shows it, not as the process prints it: workflow commands are
 * obeyed (masks hide the key, debug lines stay hidden, groups fold, annotations get their
 * label), so the raw `::add-mask::` line with the private key never reaches the terminal.
 */
class RunnerLog {
  private pending = ''
  private readonly secrets: string[] = []
  private inGroup = false

  write(chunk: string): void {
    const lines = (this.pending + chunk).split('\n')
    this.pending = lines.pop() ?? ''
    for (const line of lines) this.line(line.replace(/\r$/, ''))
  }

  end(): void {
    if (this.pending !== '') this.line(this.pending)
    this.pending = ''
  }

  mask(text: string): string {
    return this.secrets.reduce((masked, secret) => masked.split(secret).join('***'), text)
  }

  private line(line: string): void {
    const command = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/.exec(line)
    if (!command) return this.print(line)
    const [, name, properties = '', raw] = command
    const message = unescape(raw)
    switch (name) {
      case 'add-mask':
        if (message !== '') this.secrets.push(message)
        return
      case 'group':
        this.print(`▾ ${message}`)
        this.inGroup = true
        return
      case 'endgroup':
        this.inGroup = false
        return
      case 'debug': // hidden, as on a runner without RUNNER_DEBUG
        return
      case 'error':
      case 'warning':
      case 'notice': {
        const title = /(?:^|,)title=([^,]*)/.exec(properties)?.[1]
        const label = name[0].toUpperCase() + name.slice(1)
        return this.print(`${label}${title ? ` (${unescape(title)})` : ''}: ${message}`)
      }
      default:
        return this.print(line)
    }
  }

  private print(text: string): void {
    for (const line of this.mask(text).split('\n')) console.log(`  │ ${this.inGroup ? '  ' : ''}${line}`)
  }
}

/** The stand-in for a scenario: its cloud and endpoints, and the OAuth side for a service account. */
async function startStandin(scenario: Scenario): Promise<{ standin: AtlasStandin; oauth?: OAuthStandin }> {
  const oauth =
    scenario.credential === 'service-account'
      ? new OAuthStandin({ accounts: [{ clientId: DEMO.clientId, clientSecret: DEMO.clientSecret }] })
      : undefined
  const standin = await new AtlasStandin({
    publicKey: DEMO.publicKey,
    privateKey: DEMO.privateKey,
    projectId: DEMO.projectId,
    privateLinkId: DEMO.endpointServiceId,
    cloudProvider: scenario.cloud ?? 'AWS',
    endpoints: scenario.endpoints,
    clusters: scenario.clusters,
    serviceAccounts: oauth
  }).start()
  return { standin, oauth }
}

/**
 * What a request asked for, short: the API and the endpoint's path segment as sent (an Azure
 * resource ID travels percent-encoded as one segment; long ones are cut in the middle).
 */
function what(request: RequestRecord): string {
  const path = request.path.split('?')[0]
  if (request.target === 'oauth') return path.replace('/api/oauth/', 'oauth ')
  const api = request.api ?? '?'
  if (request.target === 'listing') return `${api} list the endpoint service`
  if (request.target === 'cluster') return `${api} read cluster ${request.clusterName ?? '?'}`
  if (request.target !== 'endpoint') return path
  const segment = path.split('/').at(-1) ?? ''
  return `${api} read ${segment.length > 40 ? `${segment.slice(0, 22)}…${segment.slice(-20)}` : segment}`
}

/** How the request was signed and whether that was accepted, and why not: never a secret. */
function credentials(request: RequestRecord): string {
  switch (request.auth) {
    case 'basic':
      return request.status === 200
        ? 'client ID and secret (Basic): accepted'
        : 'client ID and secret: refused'
    case 'bearer':
      return request.authorized ? 'bearer token: accepted' : `bearer token: ${request.refused ?? 'refused'}`
    case 'none':
      return request.status === 401 ? 'none: got the Digest challenge' : 'none'
    case 'digest': {
      if (request.authorized) return `Digest nc=${request.nc ?? '?'}: accepted`
      // "unknown user <public key>" would print a key; the reason alone is enough.
      const reason = request.refused?.startsWith('unknown user') ? 'unknown user' : request.refused
      return `Digest: ${reason ?? 'refused'}`
    }
  }
}

/** Undoes @actions/core's escaping of command messages and properties (`%` last). */
function unescape(text: string): string {
  return text
    .replace(/%0D/g, '\r')
    .replace(/%0A/g, '\n')
    .replace(/%3A/g, ':')
    .replace(/%2C/g, ',')
    .replace(/%25/g, '%')
}

function heading(text: string): string {
  return `── ${text} ${'─'.repeat(Math.max(0, 72 - text.length))}`
}

/** "1 token request", "2 token requests". */
function plural(n: number, singular: string): string {
  return `${n} ${n === 1 ? singular : `${singular}s`}`
}

/** Aligned columns; later lines of a multi-line value line up under its first line. */
function printTable(header: string[], rows: string[][]): void {
  if (rows.length === 0) return
  const widths = header.map((title, i) =>
    Math.max(displayWidth(title), ...rows.map(row => displayWidth(row[i].split('\n')[0])))
  )
  const format = (cells: string[]): string =>
    `  ${cells.map((cell, i) => (i === cells.length - 1 ? cell : padEnd(cell, widths[i]))).join('  ')}`.trimEnd()
  console.log(format(header))
  // The last column is not padded, and a long value (the endpoints JSON) would stretch the rule.
  console.log(
    format(widths.map((width, i) => '─'.repeat(i === widths.length - 1 ? Math.min(width, 40) : width)))
  )
  const indent = ' '.repeat(2 + widths.slice(0, -1).reduce((sum, width) => sum + width + 2, 0))
  for (const row of rows) console.log(format(row).replace(/\n/g, `\n${indent}`))
}

process.exitCode = await main()
