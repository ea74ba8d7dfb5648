/**
 * Peak memory: the max RSS of the action's Node 24 process over a whole wait, and of Node 24
 * doing one plain fetch, for scale.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { ACTION, baseEnvironment, node24, parseOutputFile, runnerEnvironment } from '../../standin/runner.js'
import { timeWithMaxRss, type MaxRss } from '../bench-baselines.js'
import { expectFloorRead, type PlainFetchFloor } from './overhead.js'
import {
  SIZES,
  describe,
  expectAvailable,
  progress,
  waitInputs,
  waitScript,
  withStandin,
  type Variant
} from './setup.js'

/**
 * The wait under a wrapper that reads the child's max RSS: the one run that cannot go through
 * runAction, so it gets the same environment from runnerEnvironment.
 */
export async function peakMemory(variant: Variant): Promise<MaxRss> {
  return withStandin({ script: waitScript() }, async bench => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'atlas-bench-rss-'))
    try {
      const env = runnerEnvironment(waitInputs(bench, variant), {
        dir,
        output: path.join(dir, 'output'),
        summary: path.join(dir, 'summary')
      })
      await writeFile(env.GITHUB_OUTPUT, '')
      await writeFile(env.GITHUB_STEP_SUMMARY, '')
      const run = await timeWithMaxRss(node24(), [ACTION], env, dir)
      const outputs = parseOutputFile(await readFile(env.GITHUB_OUTPUT, 'utf8'))
      const what = `The ${SIZES.polls}-check wait (${describe(variant)}) under ${run.tool}`
      expectAvailable({ ...run, outputs }, what, SIZES.polls)
      progress(`peak memory of the ${SIZES.polls}-check wait: ${mib(run.kib)}`)
      return { kib: run.kib, tool: run.tool }
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
}

/** Node 24 itself, for scale: the plain-fetch script's max RSS for its one read. */
export async function floorPeakMemory(floor: PlainFetchFloor): Promise<MaxRss> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'atlas-bench-rss-'))
  try {
    const run = await timeWithMaxRss(node24(), [floor.script, floor.url], baseEnvironment(), dir)
    expectFloorRead(run)
    return { kib: run.kib, tool: run.tool }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

export function mib(kib: number): string {
  return `${(kib / 1024).toFixed(1)} MiB`
}
