/**
 * Runs the bundled action the way a GitHub runner does: `node dist/index.js` on Node 24 (the
 * runtime action.yml declares), inputs as INPUT_* variables, outputs and the job summary
 * through the GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files. The end-to-end tests, the demo and
 * the benchmark all start the action through here.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, mkdirSync, openSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { readActionYml } from './action-yml.js'
import { findNode24, type NodeRuntime } from './node24.js'
import { ROOT } from './paths.js'

export { ROOT }
/** The bundle to run: dist/index.js, or another build named by ACTION_BUNDLE (to try a change before bundling it). */
export const ACTION = process.env.ACTION_BUNDLE ?? path.join(ROOT, 'dist', 'index.js')
let runtime: NodeRuntime | undefined

/**
 * The node to run the bundle with: Node 24 when it can be had (standin/node24.ts), else this
 * machine's own node, announced on stderr so that a test log or the demo says which runtime
 * the action really ran on, once per run: jest loads this module afresh for every test file
 * and in every worker, so the "said it" mark is a file named after the run's main process.
 */
export function node24(): string {
  if (!runtime) {
    runtime = findNode24()
    if (runtime.notice && firstToSay()) process.stderr.write(`${runtime.notice}\n`)
  }
  return runtime.path
}

function firstToSay(): boolean {
  // A jest worker forked with IPC belongs to its parent's run; anything else is its own run.
  const run =
    process.env.JEST_WORKER_ID !== undefined && process.send !== undefined ? process.ppid : process.pid
  const marks = path.join(ROOT, 'node_modules', '.cache', 'node24', 'notices')
  try {
    mkdirSync(marks, { recursive: true })
    closeSync(openSync(path.join(marks, String(run)), 'wx'))
    return true
  } catch {
    return false
  }
}

export interface ActionRun {
  exitCode: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  /** Parsed from the GITHUB_OUTPUT file. */
  outputs: Record<string, string>
  /** The raw GITHUB_OUTPUT file. */
  outputFile: string
  /** The GITHUB_STEP_SUMMARY file ('' when none was written). */
  summary: string
  durationMs: number
}

export interface RunOptions {
  /** Input names as in action.yml (`project-id`), values as a workflow would give them. */
  inputs: Record<string, string>
  /** Extra environment (proxy variables, RUNNER_DEBUG, NODE_EXTRA_CA_CERTS...). */
  env?: Record<string, string>
  /** Called once the process has started (to send it a signal, say). */
  onStart?: (child: ChildProcess) => void
  /** Set false to run without GITHUB_STEP_SUMMARY, as outside a runner. */
  withSummaryFile?: boolean
  /** Stream the action's log lines here as they come (the demo prints them live). */
  onStdout?: (text: string) => void
}

/** What is kept of this machine's environment: nothing that could change a run. */
export function baseEnvironment(): Record<string, string> {
  const keep = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'SYSTEMROOT']
  const env: Record<string, string> = {}
  for (const name of keep) if (process.env[name]) env[name] = process.env[name] as string
  return env
}

/**
 * The environment a runner gives the action: GITHUB_* variables, the output and summary files,
 * and every input action.yml declares, with its default when the workflow gives none. The input
 * name is upper-cased and keeps its hyphens: INPUT_PROJECT-ID.
 */
export function runnerEnvironment(
  inputs: Record<string, string>,
  files: { dir: string; output: string; summary?: string; extra?: Record<string, string> }
): Record<string, string> {
  const env: Record<string, string> = {
    ...baseEnvironment(),
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    RUNNER_TEMP: files.dir,
    GITHUB_OUTPUT: files.output,
    GITHUB_REPOSITORY: 'example/deploy',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '1234',
    ...(files.summary !== undefined ? { GITHUB_STEP_SUMMARY: files.summary } : {}),
    ...files.extra
  }
  const defaults = Object.fromEntries(
    readActionYml()
      .inputs.filter(input => input.default !== undefined)
      .map(input => [input.name, input.default as string])
  )
  for (const [name, value] of Object.entries({ ...defaults, ...inputs })) {
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  }
  return env
}

export async function runAction(options: RunOptions): Promise<ActionRun> {
  const dir = await mkdtemp(path.join(tmpdir(), 'atlas-action-'))
  const outputPath = path.join(dir, 'output')
  const summaryPath = path.join(dir, 'summary')
  await writeFile(outputPath, '')
  const withSummary = options.withSummaryFile ?? true
  if (withSummary) await writeFile(summaryPath, '')

  const env = runnerEnvironment(options.inputs, {
    dir,
    output: outputPath,
    summary: withSummary ? summaryPath : undefined,
    extra: options.env
  })

  const started = performance.now()
  const child = spawn(node24(), [ACTION], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
    options.onStdout?.(chunk)
  })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  options.onStart?.(child)
  const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>(resolve =>
    child.on('close', (code, sig) => resolve([code, sig]))
  )
  const durationMs = performance.now() - started

  const outputFile = await readFile(outputPath, 'utf8')
  const summary = withSummary ? await readFile(summaryPath, 'utf8') : ''
  await rm(dir, { recursive: true, force: true })
  return {
    exitCode,
    signal,
    stdout,
    stderr,
    outputs: parseOutputFile(outputFile),
    outputFile,
    summary,
    durationMs
  }
}

/** Parses `name<<DELIMITER\nvalue\nDELIMITER` records, as the runner does. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    if (line === '') continue
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line)
    if (heredoc) {
      const [, name, delimiter] = heredoc
      const value: string[] = []
      for (i += 1; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i])
      if (i >= lines.length) throw new Error(`Output ${name} is not closed by its delimiter`)
      outputs[name] = value.join('\n')
    } else {
      const eq = line.indexOf('=')
      if (eq < 0) throw new Error(`Unparseable output line: ${line}`)
      outputs[line.slice(0, eq)] = line.slice(eq + 1)
    }
  }
  return outputs
}
