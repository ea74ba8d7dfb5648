/**
 * `npm run demo [-- --scenario NAME]`: the action, end to end, on this machine. It starts the
 * Atlas stand-in on 127.0.0.1, runs the committed dist/index.js exactly as a runner would
 * (standin/runner.ts), and shows what a workflow author would see: the step log, the requests
 * Atlas received, the outputs and the job summary. No credentials, no network.
 */
import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { AtlasStandin, type RequestRecord, type Step } from '../standin/atlas-standin.js'
import { ACTION, ROOT, runAction } from '../standin/runner.js'
import { displayWidth, padEnd, summaryPage, summaryToText } from './render-summary.js'

// Made-up IDs and key pair, well-formed as Atlas's are; none of them exists anywhere.
const DEMO = {
  publicKey: 'demokey1',
  privateKey: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  projectId: '64b7f0c2a1d3e5f708192a3b',
  privateLinkId: '64b7f0c2a1d3e5f708192a3c',
  interfaceEndpointId: 'vpce-0d3e0a1b2c3d4e5f6'
} as const

interface Scenario {
  /** The one line printed before the run: what it shows, and what to expect. */
  shows: string
  script: Step[]
  /** Inputs that differ from the common ones below. */
  inputs?: Record<string, string>
}

const SCENARIOS: Record<string, Scenario> = {
  available: {
    shows:
      'a new endpoint goes NONE → PENDING_ACCEPTANCE → PENDING → AVAILABLE, checked once a second; expect success (exit 0) in about 3 s.',
    script: [
      { status: 'NONE' },
      { status: 'PENDING_ACCEPTANCE' },
      { status: 'PENDING' },
      { status: 'AVAILABLE' }
    ]
  },
  rejected: {
    shows:
      'AWS rejects the connection (NONE → PENDING_ACCEPTANCE → REJECTED); expect the step to fail (exit 1) in about 2 s, quoting Atlas’s error message.',
    script: [
      { status: 'NONE' },
      { status: 'PENDING_ACCEPTANCE' },
      {
        status: 'REJECTED',
        errorMessage:
          'AWS rejected the connection: the VPC endpoint was created for a different service name.'
      }
    ]
  },
  timeout: {
    shows:
      'the endpoint stays PENDING past timeout-seconds: 3; expect the step to fail (exit 1) with a timeout message within 3 s.',
    script: [{ status: 'PENDING' }],
    inputs: { 'timeout-seconds': '3' }
  },
  'bad-key': {
    shows:
      'the action is given the wrong private key, so Atlas answers 401; expect the step to fail (exit 1) within a second, without retrying.',
    script: [{ status: 'AVAILABLE' }],
    inputs: { 'private-key': '00000000-0000-4000-8000-000000000000' }
  },
  'rate-limited': {
    shows:
      'Atlas answers 429 with Retry-After: 1 twice, then PENDING → AVAILABLE; expect the action to wait out both and succeed (exit 0) in about 3 s.',
    script: [
      { error: 429, headers: { 'Retry-After': '1' }, times: 2 },
      { status: 'PENDING' },
      { status: 'AVAILABLE' }
    ]
  }
}

const USAGE = `Usage: npm run demo [-- --scenario NAME]

Runs the bundled action (dist/index.js) against a local Atlas stand-in on 127.0.0.1 and shows
its log, the requests the stand-in saw, the outputs and the job summary. No credentials needed.

Scenarios:
${Object.entries(SCENARIOS)
  .map(([name, { shows }]) => `  ${name.padEnd(15)}${shows.split(';')[0]}`)
  .join('\n')}

The default scenario is "available". The exit code is the action's.`

async function main(): Promise<number> {
  let scenarioName: string
  try {
    const { values } = parseArgs({
      options: {
        scenario: { type: 'string', short: 's', default: 'available' },
        help: { type: 'boolean', short: 'h' }
      }
    })
    if (values.help) {
      console.log(USAGE)
      return 0
    }
    scenarioName = values.scenario
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

  const standin = await new AtlasStandin({ ...DEMO, script: scenario.script }).start()
  console.log(`Scenario ${scenarioName}: ${scenario.shows}`)
  console.log(`Atlas stand-in listening at ${standin.baseUrl}\n`)
  console.log(heading('Step log (live)'))

  const log = new RunnerLog()
  // Ctrl-C reaches the action too (same process group); it cancels itself like a cancelled
  // job and still writes its summary, so let the demo live long enough to show it.
  const ignoreInterrupt = (): void => undefined
  process.on('SIGINT', ignoreInterrupt)
  const run = await runAction({
    inputs: {
      'public-key': DEMO.publicKey,
      'private-key': DEMO.privateKey,
      'project-id': DEMO.projectId,
      'private-link-id': DEMO.privateLinkId,
      'interface-endpoint-id': DEMO.interfaceEndpointId,
      'wait-for': 'AVAILABLE',
      'interval-seconds': '1',
      'timeout-seconds': '30',
      'base-url': standin.baseUrl,
      ...scenario.inputs
    },
    onStdout: text => log.write(text)
  }).finally(() => standin.stop())
  process.off('SIGINT', ignoreInterrupt)
  log.end()
  if (run.stderr.trim() !== '') console.log(`\n(stderr)\n${log.mask(run.stderr.trimEnd())}`)
  const exitCode = run.exitCode ?? 1

  console.log(`\n${heading(`Requests the stand-in saw (${standin.requests.length})`)}`)
  const first = standin.requests[0]?.at ?? 0
  printTable(
    ['#', 'at', 'method', 'status', 'nc', 'authorized'],
    standin.requests.map((request, i) => [
      String(i + 1),
      `+${((request.at - first) / 1000).toFixed(2)} s`,
      request.method,
      String(request.status),
      request.nc ?? '—',
      authorization(request)
    ])
  )

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

/** Whether the Digest answer was right, and why not: never the keys themselves. */
function authorization(request: RequestRecord): string {
  if (request.authorized) return 'yes'
  if (!request.hadAuthorization) return 'no: sent without credentials, got the Digest challenge'
  // "unknown user <public key>" would print a key; the reason alone is enough.
  const reason = request.refused?.startsWith('unknown user') ? 'unknown user' : request.refused
  return `no: ${reason ?? 'refused'}`
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

/** Aligned columns; later lines of a multi-line value line up under its first line. */
function printTable(header: string[], rows: string[][]): void {
  if (rows.length === 0) return
  const widths = header.map((title, i) =>
    Math.max(displayWidth(title), ...rows.map(row => displayWidth(row[i].split('\n')[0])))
  )
  const format = (cells: string[]): string =>
    `  ${cells.map((cell, i) => (i === cells.length - 1 ? cell : padEnd(cell, widths[i]))).join('  ')}`.trimEnd()
  console.log(format(header))
  console.log(format(widths.map(width => '─'.repeat(width))))
  const indent = ' '.repeat(2 + widths.slice(0, -1).reduce((sum, width) => sum + width + 2, 0))
  for (const row of rows) console.log(format(row).replace(/\n/g, `\n${indent}`))
}

process.exitCode = await main()
