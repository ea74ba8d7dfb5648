/**
 * `npm run bench`: what the action costs, measured on this machine against the Atlas stand-in
 * on 127.0.0.1, next to what users would otherwise run (scripts/bench-baselines.ts). It runs
 * the committed dist/index.js as a runner does (standin/runner.ts), prints a markdown table and
 * writes it to BENCHMARK.md, which the README quotes. Progress goes to stderr.
 *
 * Exit code 0 when every measurement completed, whether or not its target was met; 1 when
 * something broke (no bundle, a run that did not end as scripted).
 */
import { spawnSync } from 'node:child_process'
import { createHash, randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { AtlasStandin, type NoncePolicy, type StandinOptions, type Step } from '../standin/atlas-standin.js'
import {
  ACTION,
  ROOT,
  baseEnvironment,
  node24,
  parseOutputFile,
  runAction,
  runnerEnvironment,
  type ActionRun
} from '../standin/runner.js'
import {
  curlDigestRead,
  freshChallengeRead,
  pollUntil,
  startJsonServer,
  timeProcess,
  timeWithMaxRss,
  writePlainFetchScript,
  type KeyPair,
  type MaxRss,
  type TimedProcess
} from './bench-baselines.js'

/** Polls in the wait that the request counts and the peak memory come from. */
const POLLS = 30
const INTERVAL_MS = 1000
/** Timed runs per client for the step overhead, after the warm-up rounds. */
const OVERHEAD_RUNS = 20
const WARMUP_RUNS = 2
/** The action may take at most this multiple of the plain-fetch script's time for one read. */
const OVERHEAD_TARGET_RATIO = 1.3
const NOTICE_RUNS = 5
/** The flip comes at a random point of the poll cycle, some polls into the wait. */
const NOTICE_DELAY_MS = { min: 1500, max: 3500 }
const REPORT = path.join(ROOT, 'BENCHMARK.md')
const COMMAND = 'npm run bench'

/**
 * A key pair made up for this run only, so that no key worth keeping appears in a process list
 * or a file. The private key is never printed: see redact().
 */
const KEYS: KeyPair = { publicKey: 'benchkey', privateKey: randomUUID() }
const IDS = {
  projectId: '65a1b2c3d4e5f60718293a4b',
  privateLinkId: '65a1b2c3d4e5f60718293a4c',
  interfaceEndpointId: 'vpce-0a1b2c3d4e5f60718'
} as const

/** N - 1 polls see PENDING, the Nth AVAILABLE: a wait of exactly N polls. */
const WAIT_SCRIPT: Step[] = [{ status: 'PENDING', times: POLLS - 1 }, { status: 'AVAILABLE' }]

const benchStarted = performance.now()

function progress(message: string): void {
  console.error(`[bench ${((performance.now() - benchStarted) / 1000).toFixed(1).padStart(5)} s] ${message}`)
}

// ── Environment and runs ─────────────────────────────────────────────────────────────────────

/** What runAction keeps of this machine's environment; the baselines run with the same. */
const machineEnvironment = baseEnvironment

/**
 * The environment runAction gives the action, for the one run that cannot go through it: the
 * peak-memory run must start Node under a wrapper that reads the child's max RSS.
 */
function runnerEnvironmentIn(inputs: Record<string, string>, dir: string): Record<string, string> {
  return runnerEnvironment(inputs, {
    dir,
    output: path.join(dir, 'output'),
    summary: path.join(dir, 'summary')
  })
}

function actionInputs(baseUrl: string, extra: Record<string, string>): Record<string, string> {
  return {
    'public-key': KEYS.publicKey,
    'private-key': KEYS.privateKey,
    'project-id': IDS.projectId,
    'private-link-id': IDS.privateLinkId,
    'interface-endpoint-id': IDS.interfaceEndpointId,
    'base-url': baseUrl,
    ...extra
  }
}

/** The 30-poll wait; the timeout only stops a broken run from eating the two-minute budget. */
function waitInputs(baseUrl: string): Record<string, string> {
  return actionInputs(baseUrl, {
    'wait-for': 'AVAILABLE',
    'interval-seconds': String(INTERVAL_MS / 1000),
    'timeout-seconds': '60'
  })
}

async function withStandin<T>(
  options: Partial<StandinOptions>,
  use: (standin: AtlasStandin) => Promise<T>
): Promise<T> {
  const standin = await new AtlasStandin({ ...KEYS, ...IDS, ...options }).start()
  try {
    return await use(standin)
  } finally {
    await standin.stop()
  }
}

function endpointUrl(standin: AtlasStandin): string {
  return `${standin.baseUrl}/groups/${IDS.projectId}/privateEndpoint/${IDS.privateLinkId}/interfaceEndpoints/${IDS.interfaceEndpointId}`
}

/** The action prints the private key once, in ::add-mask::; nothing printed here may carry it. */
function redact(text: string): string {
  return text.split(KEYS.privateKey).join('***')
}

/** A run that did not end as scripted makes every number from it meaningless: stop the bench. */
function expectAvailable(
  run: Pick<ActionRun, 'exitCode' | 'outputs' | 'stdout'>,
  what: string,
  polls?: number
): void {
  const { exitCode, outputs } = run
  if (exitCode === 0 && outputs['connection-status'] === 'AVAILABLE') {
    if (polls === undefined || outputs.attempts === String(polls)) return
  }
  const lastLine = run.stdout.trimEnd().split('\n').pop() ?? ''
  throw new Error(
    `${what}: the action exited with ${exitCode}, connection-status ${outputs['connection-status'] ?? '(none)'}, attempts ${outputs.attempts ?? '(none)'}${polls === undefined ? '' : ` (expected ${polls})`}. Its last log line: ${redact(lastLine)}`
  )
}

// ── Requests per poll ────────────────────────────────────────────────────────────────────────

interface RequestCount {
  requests: number
  polls: number
}

async function actionRequests(nonces: NoncePolicy): Promise<RequestCount> {
  return withStandin({ script: WAIT_SCRIPT, nonces }, async standin => {
    const run = await runAction({ inputs: waitInputs(standin.baseUrl) })
    expectAvailable(run, `The ${POLLS}-poll wait (${nonces} nonces)`, POLLS)
    progress(`${POLLS}-poll wait, ${nonces} nonces: ${standin.requests.length} requests`)
    return { requests: standin.requests.length, polls: Number(run.outputs.attempts) }
  })
}

async function curlLoopRequests(): Promise<RequestCount> {
  return withStandin({ script: WAIT_SCRIPT }, async standin => {
    const url = endpointUrl(standin)
    const env = machineEnvironment()
    const read = async (): Promise<string> => (await curlDigestRead(url, KEYS, env)).status
    const polls = await pollUntil(read, 'AVAILABLE', POLLS + 5, INTERVAL_MS)
    progress(`curl --digest loop: ${standin.requests.length} requests for ${polls} polls`)
    return { requests: standin.requests.length, polls }
  })
}

/** Also returns the answered requests' round trips: the RTT in the time-to-notice target. */
async function freshChallengeRequests(): Promise<RequestCount & { roundTripsMs: number[] }> {
  return withStandin({ script: WAIT_SCRIPT }, async standin => {
    const url = endpointUrl(standin)
    const roundTripsMs: number[] = []
    const read = async (): Promise<string> => {
      const { status, answerMs } = await freshChallengeRead(url, KEYS)
      roundTripsMs.push(answerMs)
      return status
    }
    const polls = await pollUntil(read, 'AVAILABLE', POLLS + 5, INTERVAL_MS)
    progress(`fresh-challenge client: ${standin.requests.length} requests for ${polls} polls`)
    return { requests: standin.requests.length, polls, roundTripsMs }
  })
}

// ── Peak memory ──────────────────────────────────────────────────────────────────────────────

async function peakMemory(): Promise<MaxRss> {
  return withStandin({ script: WAIT_SCRIPT }, async standin => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'atlas-bench-rss-'))
    try {
      const env = runnerEnvironmentIn(waitInputs(standin.baseUrl), dir)
      await writeFile(env.GITHUB_OUTPUT, '')
      await writeFile(env.GITHUB_STEP_SUMMARY, '')
      const run = await timeWithMaxRss(node24(), [ACTION], env, dir)
      const outputs = parseOutputFile(await readFile(env.GITHUB_OUTPUT, 'utf8'))
      expectAvailable({ ...run, outputs }, `The ${POLLS}-poll wait under ${run.tool}`, POLLS)
      progress(`peak memory of the ${POLLS}-poll wait: ${mib(run.kib)}`)
      return { kib: run.kib, tool: run.tool }
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
}

/** Node 24 itself, for scale: the plain-fetch script's max RSS for its one read. */
async function floorPeakMemory(floor: PlainFetchFloor): Promise<MaxRss> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'atlas-bench-rss-'))
  try {
    const run = await timeWithMaxRss(node24(), [floor.script, floor.url], machineEnvironment(), dir)
    expectFloorRead(run)
    return { kib: run.kib, tool: run.tool }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

function mib(kib: number): string {
  return `${(kib / 1024).toFixed(1)} MiB`
}

// ── Step overhead ────────────────────────────────────────────────────────────────────────────

type OverheadClient = 'action' | 'plainFetch' | 'curl'
type Samples = Record<OverheadClient, number[]>

/** The plain-fetch script and the local server it reads: the floor for "Node, one request". */
interface PlainFetchFloor {
  script: string
  url: string
  stop: () => Promise<void>
}

async function startPlainFetchFloor(): Promise<PlainFetchFloor> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'atlas-bench-fetch-'))
  const server = await startJsonServer({
    connectionStatus: 'AVAILABLE',
    deleteRequested: false,
    errorMessage: null,
    interfaceEndpointId: IDS.interfaceEndpointId
  })
  return {
    script: await writePlainFetchScript(dir),
    url: server.url,
    stop: async () => {
      await server.stop()
      await rm(dir, { recursive: true, force: true })
    }
  }
}

function expectFloorRead(run: TimedProcess): void {
  if (run.exitCode !== 0 || run.stdout.trim() !== 'AVAILABLE') {
    throw new Error(`The plain-fetch script exited with ${run.exitCode}: ${run.stderr.trim()}`)
  }
}

/**
 * One read, start to exit, by the action and by the two floors. Runs are interleaved round
 * robin so that a slow patch of this noisy machine hits all three alike, not one of them.
 */
async function measureStepOverhead(floor: PlainFetchFloor): Promise<Samples> {
  return withStandin({ script: [{ status: 'AVAILABLE' }] }, async standin => {
    const env = machineEnvironment()
    const clients: Record<OverheadClient, () => Promise<number>> = {
      action: async () => {
        const run = await runAction({ inputs: actionInputs(standin.baseUrl, { 'wait-for': '' }) })
        expectAvailable(run, 'One read by the action')
        return run.durationMs
      },
      plainFetch: async () => {
        const run = await timeProcess(node24(), [floor.script, floor.url], env)
        expectFloorRead(run)
        return run.ms
      },
      curl: async () => (await curlDigestRead(endpointUrl(standin), KEYS, env)).ms
    }
    return roundRobin(clients)
  })
}

async function roundRobin(clients: Record<OverheadClient, () => Promise<number>>): Promise<Samples> {
  const samples: Samples = { action: [], plainFetch: [], curl: [] }
  const order = Object.keys(clients) as OverheadClient[]
  for (let round = 1; round <= WARMUP_RUNS + OVERHEAD_RUNS; round++) {
    for (const client of order) {
      const ms = await clients[client]()
      if (round > WARMUP_RUNS) samples[client].push(ms)
    }
    const label =
      round <= WARMUP_RUNS ? `warm-up ${round}/${WARMUP_RUNS}` : `run ${round - WARMUP_RUNS}/${OVERHEAD_RUNS}`
    if (round <= WARMUP_RUNS || (round - WARMUP_RUNS) % 5 === 0) progress(`step overhead: ${label}`)
  }
  return samples
}

// ── Time to notice ───────────────────────────────────────────────────────────────────────────

interface NoticeSample {
  /** Flip to the action's exit: the number the target is about. */
  noticeMs: number
  /** Flip to the stand-in answering AVAILABLE: the wait for the next poll. */
  flipToAnswerMs: number
  /** That answer to the exit: reading it, outputs, summary, Node shutting down. */
  answerToExitMs: number
}

async function measureTimeToNotice(): Promise<NoticeSample[]> {
  let lastAnswerAt = 0
  const onRequest = (): void => {
    lastAnswerAt = performance.now()
  }
  return withStandin({ script: [{ status: 'PENDING' }], onRequest }, async standin => {
    const samples: NoticeSample[] = []
    for (let run = 1; run <= NOTICE_RUNS; run++) {
      const sample = await noticeOnce(standin, () => lastAnswerAt)
      progress(`time to notice: run ${run}/${NOTICE_RUNS}: ${Math.round(sample.noticeMs)} ms`)
      samples.push(sample)
    }
    return samples
  })
}

/** One wait on PENDING (forever), flipped to AVAILABLE at a random moment while it runs. */
async function noticeOnce(standin: AtlasStandin, lastAnswerAt: () => number): Promise<NoticeSample> {
  standin.play([{ status: 'PENDING' }])
  const delayMs = NOTICE_DELAY_MS.min + Math.random() * (NOTICE_DELAY_MS.max - NOTICE_DELAY_MS.min)
  let flippedAt: number | undefined
  let exitedAt: number | undefined
  let flip: NodeJS.Timeout | undefined
  const run = await runAction({
    inputs: waitInputs(standin.baseUrl),
    onStart: child => {
      flip = setTimeout(() => {
        standin.play([{ status: 'AVAILABLE' }])
        flippedAt = performance.now()
      }, delayMs)
      // 'exit', not 'close': the moment the process ends, before its pipes are drained.
      child.on('exit', () => (exitedAt = performance.now()))
    }
  })
  clearTimeout(flip)
  expectAvailable(run, 'The time-to-notice wait')
  if (flippedAt === undefined || exitedAt === undefined) {
    throw new Error('The time-to-notice wait ended before the stand-in flipped to AVAILABLE')
  }
  const answeredAt = lastAnswerAt()
  return {
    noticeMs: exitedAt - flippedAt,
    flipToAnswerMs: answeredAt - flippedAt,
    answerToExitMs: exitedAt - answeredAt
  }
}

// ── Report ───────────────────────────────────────────────────────────────────────────────────

interface Results {
  reuse: RequestCount
  singleUse: RequestCount
  curlLoop: RequestCount
  freshChallenge: RequestCount & { roundTripsMs: number[] }
  overhead: Samples
  bundleBytes: number
  bundleSha256: string
  memory: MaxRss
  floorMemory: MaxRss
  notice: NoticeSample[]
}

interface Row {
  measure: string
  client: string
  result: string
  target: string
  met: string
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

function ms(value: number): string {
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`
}

function yesNo(met: boolean): string {
  return met ? 'yes' : '**no**'
}

function perPoll({ requests, polls }: RequestCount): string {
  return `${requests} requests / ${polls} polls = ${(requests / polls).toFixed(2)} per poll`
}

function requestRows(results: Results): Row[] {
  const measure = `Requests per poll, ${POLLS}-poll wait, server accepts reused nonces`
  const anchor = `anchor: 2N = ${2 * POLLS}`
  return [
    {
      measure,
      client: 'this action (dist/index.js)',
      result: perPoll(results.reuse),
      target: `≤ N + 1 = ${results.reuse.polls + 1}`,
      met: yesNo(results.reuse.requests <= results.reuse.polls + 1)
    },
    {
      measure,
      client: `curl --digest loop (${results.curlLoop.polls} processes)`,
      result: perPoll(results.curlLoop),
      target: anchor,
      met: '—'
    },
    {
      measure,
      client: 'fresh challenge per request (Go Digest transport, as in Atlas CLI / Terraform)',
      result: perPoll(results.freshChallenge),
      target: anchor,
      met: '—'
    },
    {
      measure: `Requests per poll, ${POLLS}-poll wait, server refuses reused nonces`,
      client: 'this action (dist/index.js)',
      result: perPoll(results.singleUse),
      target: `≤ 2N = ${2 * results.singleUse.polls} (2 per poll expected)`,
      met: yesNo(results.singleUse.requests <= 2 * results.singleUse.polls)
    }
  ]
}

function overheadRows({ overhead }: Results): Row[] {
  const measure = `Step overhead: one read, spawn to exit (median of ${OVERHEAD_RUNS}, interleaved)`
  const spread = (values: number[]): string =>
    `${ms(median(values))} (range ${ms(Math.min(...values))}–${ms(Math.max(...values))})`
  const action = median(overhead.action)
  const floor = median(overhead.plainFetch)
  const ratio = action / floor
  return [
    {
      measure,
      client: 'this action, Node 24, read once (wait-for empty)',
      result: `${spread(overhead.action)}; ${ratio.toFixed(2)}× plain fetch`,
      target: `≤ ${OVERHEAD_TARGET_RATIO}× plain fetch = ${ms(floor * OVERHEAD_TARGET_RATIO)}`,
      met: yesNo(ratio <= OVERHEAD_TARGET_RATIO)
    },
    {
      measure,
      client: 'plain fetch script, Node 24, no auth',
      result: spread(overhead.plainFetch),
      target: 'anchor',
      met: '—'
    },
    { measure, client: 'curl --digest, one read', result: spread(overhead.curl), target: 'anchor', met: '—' }
  ]
}

function footprintRows(results: Results): Row[] {
  return [
    {
      measure: 'Bundle size',
      client: 'dist/index.js',
      result: `${results.bundleBytes.toLocaleString('en-US')} bytes (${(results.bundleBytes / 1024).toFixed(1)} KiB)`,
      target: '—',
      met: '—'
    },
    {
      measure: `Peak memory (max RSS), ${POLLS}-poll wait`,
      client: 'this action (dist/index.js)',
      result: `${mib(results.memory.kib)} (${results.memory.kib.toLocaleString('en-US')} KiB)`,
      target: '—',
      met: '—'
    },
    {
      measure: 'Peak memory (max RSS), one read',
      client: 'plain fetch script, Node 24, no auth',
      result: `${mib(results.floorMemory.kib)} (${results.floorMemory.kib.toLocaleString('en-US')} KiB)`,
      target: 'anchor: Node 24 itself',
      met: '—'
    }
  ]
}

function noticeRows({ notice, freshChallenge }: Results): Row[] {
  const times = notice.map(sample => sample.noticeMs)
  const worst = Math.max(...times)
  const limit = INTERVAL_MS + median(freshChallenge.roundTripsMs)
  return [
    {
      measure: `Time to notice AVAILABLE, interval-seconds 1 (${NOTICE_RUNS} runs)`,
      client: 'this action (dist/index.js)',
      result: `median ${ms(median(times))}, max ${ms(worst)}`,
      target: `max ≤ 1 s + RTT = ${ms(limit)}`,
      met: yesNo(worst <= limit)
    }
  ]
}

function markdownTable(rows: Row[]): string {
  const cell = (text: string): string => text.replace(/\|/g, '\\|')
  const lines = [
    '| Measure | Client | Result | Target | Met? |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map(
      row => `| ${[row.measure, row.client, row.result, row.target, row.met].map(cell).join(' | ')} |`
    )
  ]
  return lines.join('\n')
}

function nodeVersion(): string {
  return spawnSync(node24(), ['--version'], { encoding: 'utf8' }).stdout.trim()
}

function report(results: Results, runtimeMs: number): string {
  const rows = [
    ...requestRows(results),
    ...overheadRows(results),
    ...footprintRows(results),
    ...noticeRows(results)
  ]
  return `# Benchmark\n\n${header(results, runtimeMs)}\n\n${markdownTable(rows)}\n\n${methodNotes(results)}\n`
}

/** When, what and where: enough to tell whether another run is comparable. */
function header(results: Results, runtimeMs: number): string {
  const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z')
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU'
  return [
    `Measured ${date} by \`${COMMAND}\` (after \`npm ci\`; this file is its output). The committed`,
    `\`dist/index.js\` (sha256 \`${results.bundleSha256.slice(0, 16)}…\`) ran as a runner runs it, on Node ${nodeVersion()},`,
    `against the Atlas stand-in on 127.0.0.1. Machine: ${os.availableParallelism()} cores (${cpu}), ${os.type()} ${os.release()};`,
    `harness on Node ${process.version}. The whole run took ${Math.round(runtimeMs / 1000)} s.`
  ].join('\n')
}

function methodNotes({ notice, freshChallenge, memory }: Results): string {
  const split = (pick: (sample: NoticeSample) => number): string => {
    const values = notice.map(pick)
    return `median ${ms(median(values))}, max ${ms(Math.max(...values))}`
  }
  return `How each line is measured:

- **Requests per poll**: every request the stand-in received during a wait of exactly ${POLLS} polls
  (PENDING ×${POLLS - 1}, then AVAILABLE), one poll a second. The action ran through \`standin/runner.ts\`
  with \`wait-for: AVAILABLE\`; its poll count is its \`attempts\` output. The curl loop starts one
  \`curl --digest -H 'Accept: application/json'\` per poll (the user given as \`--config -\` on stdin: the
  \`--user\` option, kept out of the process list). The fresh-challenge client
  (scripts/bench-baselines.ts) sends an unauthenticated GET, reads the 401 challenge and answers it
  with nc=00000001 and a new cnonce, on every poll. The single-use row is the action against a
  stand-in that refuses a reused nonce with a fresh challenge.
- **Step overhead**: one read (\`wait-for\` empty) timed from spawn to exit; ${WARMUP_RUNS} warm-up rounds, then
  ${OVERHEAD_RUNS} rounds of action, plain fetch, curl in turn. The action answers a Digest challenge
  (2 requests) and writes its outputs and job summary; the plain-fetch script is Node 24 doing one
  \`fetch\` of a local server that answers 200 with the same JSON, without auth (1 request); curl does
  one Digest read (2 requests).
- **Peak memory**: max RSS of the Node 24 process, read with \`${memory.tool}\`; the action gets the same
  INPUT_* environment (action.yml defaults included) as from the runner.
- **Time to notice**: the stand-in answers PENDING until, ${NOTICE_DELAY_MS.min / 1000}–${NOTICE_DELAY_MS.max / 1000} s (random) after the start,
  it is switched to AVAILABLE; the time runs from that switch to the exit of the process. Split:
  switch → AVAILABLE answered ${split(s => s.flipToAnswerMs)}; answered → exit (outputs, job
  summary, Node shutting down) ${split(s => s.answerToExitMs)}. RTT is the median round trip of an
  answered request on loopback (fresh-challenge client): ${ms(median(freshChallenge.roundTripsMs))}.`
}

async function bundleFacts(): Promise<{ bundleBytes: number; bundleSha256: string }> {
  const bytes = (await stat(ACTION)).size
  const sha = createHash('sha256')
    .update(await readFile(ACTION))
    .digest('hex')
  return { bundleBytes: bytes, bundleSha256: sha }
}

/** The bench measures what is committed; without a bundle, curl or Node 24 it cannot start. */
function checkPrerequisites(): void {
  if (!existsSync(ACTION)) {
    throw new Error(
      `${path.relative(ROOT, ACTION)} is missing: run \`npm run bundle\` first, then \`${COMMAND}\`.`
    )
  }
  node24()
  if (spawnSync('curl', ['--version']).status !== 0) {
    throw new Error('curl is missing: the baselines need it (apt-get install curl).')
  }
}

async function main(): Promise<number> {
  try {
    checkPrerequisites()
    const floor = await startPlainFetchFloor()
    try {
      // The timing-sensitive measurement first, alone, while nothing else runs.
      progress(
        `step overhead: ${WARMUP_RUNS} warm-up and ${OVERHEAD_RUNS} timed rounds of action, plain fetch, curl`
      )
      const overhead = await measureStepOverhead(floor)
      progress(`time to notice: ${NOTICE_RUNS} waits, each flipped to AVAILABLE after a random delay`)
      const notice = await measureTimeToNotice()
      // The 30-poll waits mostly sleep, and counts and max RSS do not depend on timing, so they
      // share the same ~30 s: one after another they would blow the two-minute budget.
      progress(
        `${POLLS}-poll waits (action ×2 nonce policies, peak memory, curl loop, fresh challenge) in parallel, ~${POLLS} s`
      )
      const [reuse, singleUse, memory, curlLoop, freshChallenge, floorMemory] = await Promise.all([
        actionRequests('reuse'),
        actionRequests('single-use'),
        peakMemory(),
        curlLoopRequests(),
        freshChallengeRequests(),
        floorPeakMemory(floor)
      ])
      const results: Results = {
        reuse,
        singleUse,
        curlLoop,
        freshChallenge,
        overhead,
        memory,
        floorMemory,
        notice,
        ...(await bundleFacts())
      }
      const text = report(results, performance.now() - benchStarted)
      await writeFile(REPORT, text)
      console.log(text)
      progress(`wrote ${path.relative(process.cwd(), REPORT) || REPORT}`)
      return 0
    } finally {
      await floor.stop()
    }
  } catch (error) {
    console.error(`npm run bench failed: ${redact((error as Error).message)}`)
    return 1
  }
}

process.exitCode = await main()
