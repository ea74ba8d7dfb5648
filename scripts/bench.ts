/**
 * `npm run bench`: what the action costs, measured on this machine against the Atlas stand-in
 * on 127.0.0.1, next to what users would otherwise run (scripts/bench-baselines.ts): requests
 * per check on the v2 and v1.0 APIs, with an API key and a service account; the time of one
 * read from process start to exit; several endpoints in one step against one step each; bundle
 * size, peak memory, time to notice. The measures live in scripts/bench/, one file each.
 *
 * It runs dist/index.js (or the bundle ACTION_BUNDLE names) as a runner does
 * (standin/runner.ts), prints a markdown table, writes it to BENCHMARK.md and into the README
 * between `<!-- bench:start -->` and `<!-- bench:end -->`. Progress goes to stderr.
 * `--dry-run` writes nothing; `--quick` runs tiny sizes to try the bench itself (and writes nothing).
 *
 * Exit code 0 when every measurement completed, whether or not its target was met; 1 when
 * something broke (no bundle, a run that did not end as scripted); 2 for a wrong option.
 */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readFile, readdir, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { parseArgs } from 'node:util'
import * as prettier from 'prettier'
import { ACTION, ROOT, node24 } from '../standin/runner.js'
import { oneStepForAll, jobsSideBySide, stepsOneAfterAnother } from './bench/endpoints.js'
import { floorPeakMemory, peakMemory } from './bench/memory.js'
import {
  LATENCY_MS,
  measureCheckWallTimes,
  measureClusterWait,
  measureWaitCounts
} from './bench/concurrency.js'
import { measureTimeToNotice } from './bench/notice.js'
import { measureStartup } from './bench/startup.js'
import { OVERHEAD_CLIENTS, measureStepOverhead, startPlainFetchFloor } from './bench/overhead.js'
import { benchmarkFile, notesBlock, readmeBlock, type BundleFacts, type Results } from './bench/report.js'
import {
  actionRequests,
  curlLoopRequests,
  freshChallengeRequests,
  serviceAccountRequests
} from './bench/requests.js'
import {
  SIZES,
  V1_KEY,
  V2_KEY,
  V2_SERVICE_ACCOUNT,
  elapsedMs,
  progress,
  redact,
  shrinkForQuickRun
} from './bench/setup.js'

const REPORT = path.join(ROOT, 'BENCHMARK.md')
const README = path.join(ROOT, 'README.md')
const README_START = '<!-- bench:start -->'
const README_END = '<!-- bench:end -->'
const COMMAND = 'npm run bench'
const USAGE = `Usage: ${COMMAND} [-- --dry-run] [-- --quick]

  --dry-run  measure and print, write neither BENCHMARK.md nor the README
  --quick    tiny sizes (a few checks, a few rounds), to try the bench itself; implies --dry-run

ACTION_BUNDLE=path/to/index.js measures another build than dist/index.js.`

async function measure(): Promise<Results> {
  const floor = await startPlainFetchFloor()
  try {
    // The timing-sensitive measures first, alone, while nothing else runs.
    progress(
      `step overhead: ${SIZES.warmupRuns} warm-up and ${SIZES.overheadRuns} timed rounds of ${OVERHEAD_CLIENTS.length} clients`
    )
    const overhead = await measureStepOverhead(floor)
    progress(`time to notice: ${SIZES.noticeRuns} waits, each flipped to AVAILABLE after a random delay`)
    const notice = await measureTimeToNotice()
    progress(`start-up: the bundle a one-read run loads, and its CPU profile`)
    const startup = await measureStartup()
    progress(`one check of 1 to 50 endpoints at Atlas's distance`)
    const checks = await measureCheckWallTimes()
    // The waits mostly sleep, and counts and max RSS do not depend on timing, so they share the
    // same ~30 s: one after another they would take ten minutes.
    progress(`${SIZES.polls}-check waits of every client at the same time, ~${SIZES.polls + 3} s`)
    const several = Promise.all([
      measureWaitCounts(),
      measureClusterWait(),
      oneStepForAll(),
      stepsOneAfterAnother(),
      jobsSideBySide(),
      floorPeakMemory(floor)
    ])
    const [v2Reuse, v2SingleUse, v1Reuse, v1SingleUse, serviceAccount, memory, curlLoop, freshChallenge] =
      await Promise.all([
        actionRequests(V2_KEY, 'reuse'),
        actionRequests(V2_KEY, 'single-use'),
        actionRequests(V1_KEY, 'reuse'),
        actionRequests(V1_KEY, 'single-use'),
        serviceAccountRequests(V2_SERVICE_ACCOUNT),
        peakMemory(V2_KEY),
        curlLoopRequests(),
        freshChallengeRequests()
      ])
    const [waits, clusters, oneStep, oneAfterAnother, sideBySide, floorMemory] = await several
    return {
      v2Reuse,
      v2SingleUse,
      v1Reuse,
      v1SingleUse,
      serviceAccount,
      curlLoop,
      freshChallenge,
      overhead,
      oneStep,
      oneAfterAnother,
      sideBySide,
      memory,
      floorMemory,
      notice,
      startup,
      concurrency: { latencyMs: LATENCY_MS, checks, waits, clusters },
      bundle: await bundleFacts()
    }
  } finally {
    await floor.stop()
  }
}

/** index.js is what every run loads; the chunks beside it load on demand. */
async function bundleFacts(): Promise<BundleFacts> {
  const bytes = await readFile(ACTION)
  const dir = path.dirname(ACTION)
  const chunks = (await readdir(dir)).filter(name => name.endsWith('.js') && name !== path.basename(ACTION))
  const sizes = await Promise.all(chunks.map(async name => (await stat(path.join(dir, name))).size))
  return {
    bytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    chunks: chunks.length,
    chunkBytes: sizes.reduce((sum, size) => sum + size, 0)
  }
}

/** The bench measures a bundle; without it, curl or Node 24 it cannot start. */
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

/** Replaces the README's bench block, formatted as prettier formats the rest of the README. */
async function writeReadmeBlock(block: string): Promise<void> {
  const readme = await readFile(README, 'utf8')
  const start = readme.indexOf(README_START)
  const end = readme.indexOf(README_END)
  if (start < 0 || end < start) {
    throw new Error(`README.md has no ${README_START} … ${README_END} block to write the results into.`)
  }
  const options = { ...(await prettier.resolveConfig(README)), parser: 'markdown' }
  const formatted = await prettier.format(block, options)
  const next = `${readme.slice(0, start + README_START.length)}\n\n${formatted}${readme.slice(end)}`
  await writeFile(README, next)
}

async function main(): Promise<number> {
  let dryRun: boolean
  try {
    const { values } = parseArgs({
      options: {
        'dry-run': { type: 'boolean' },
        quick: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' }
      }
    })
    if (values.help) {
      console.log(USAGE)
      return 0
    }
    if (values.quick) shrinkForQuickRun()
    dryRun = Boolean(values['dry-run'] || values.quick)
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`)
    return 2
  }
  try {
    checkPrerequisites()
    const results = await measure()
    const bundleName = path.relative(ROOT, ACTION).startsWith('..') ? ACTION : path.relative(ROOT, ACTION)
    const previous = existsSync(REPORT) ? await readFile(REPORT, 'utf8') : ''
    const text = benchmarkFile(results, elapsedMs(), bundleName, COMMAND, notesBlock(previous))
    console.log(text)
    if (dryRun) {
      progress('dry run: BENCHMARK.md and README.md left as they were')
      return 0
    }
    await writeFile(REPORT, text)
    await writeReadmeBlock(readmeBlock(results, elapsedMs()))
    progress(`wrote ${path.relative(process.cwd(), REPORT) || REPORT} and the bench block of README.md`)
    return 0
  } catch (error) {
    console.error(`${COMMAND} failed: ${redact((error as Error).message)}`)
    return 1
  }
}

process.exitCode = await main()
