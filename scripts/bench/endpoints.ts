/**
 * Several endpoints: one step that waits for N endpoints (N × 30 checks), against the two ways
 * to do it without that feature: N steps one after another in one job, and N jobs side by side
 * (a matrix), one endpoint each. Requests and wall time of each, and the time one check of N
 * endpoints takes inside the wait.
 */
import type { RequestRecord } from '../../standin/atlas-standin.js'
import { runAction, type ActionRun } from '../../standin/runner.js'
import {
  SIZES,
  V2_KEY,
  endpointIds,
  expectAvailable,
  progress,
  waitInputs,
  waitScript,
  withStandin
} from './setup.js'

export interface SeveralResult {
  requests: number
  /** Reads that got a status (the action's attempts, summed over runs). */
  reads: number
  /** Spawn to exit of the step, or of all steps one after another. */
  wallMs: number
  /** Action processes started. */
  processes: number
}

export interface OneStepResult extends SeveralResult {
  /** Per check: arrival of its first read at the stand-in to the answer to its last. */
  checkSpansMs: number[]
}

/** One step, `endpoint-id` listing all N, each endpoint AVAILABLE at its 30th read. */
export async function oneStepForAll(): Promise<OneStepResult> {
  const ids = endpointIds(SIZES.endpoints)
  const answered: { record: RequestRecord; answeredAt: number }[] = []
  const onRequest = (record: RequestRecord): void => {
    if (record.target === 'endpoint' && record.status === 200)
      answered.push({ record, answeredAt: Date.now() })
  }
  const endpoints = ids.map(id => ({ id, script: waitScript() }))
  return withStandin({ endpoints, onRequest }, async bench => {
    const run = await runAction({ inputs: waitInputs(bench, V2_KEY, { 'endpoint-id': ids.join('\n') }) })
    const what = `One step for ${ids.length} endpoints × ${SIZES.polls} checks`
    expectAvailable(run, what, ids.length * SIZES.polls)
    // Every check reads every endpoint (none arrives before the last check), in input order.
    const checkSpansMs: number[] = []
    for (let start = 0; start + ids.length <= answered.length; start += ids.length) {
      const check = answered.slice(start, start + ids.length)
      checkSpansMs.push(check[check.length - 1].answeredAt - check[0].record.at)
    }
    progress(`${what}: ${bench.standin.requests.length} requests in ${seconds(run.durationMs)}`)
    return {
      requests: bench.standin.requests.length,
      reads: Number(run.outputs.attempts),
      wallMs: run.durationMs,
      processes: 1,
      checkSpansMs
    }
  })
}

/**
 * N steps in one job, one after another, one endpoint each. The endpoints were created
 * together, so all turn AVAILABLE at the same moment: when the first step reads its 30th
 * check. The steps after it find theirs AVAILABLE on their first read.
 */
export async function stepsOneAfterAnother(): Promise<SeveralResult> {
  const [first, ...others] = endpointIds(SIZES.endpoints)
  let firstReads = 0
  const endpoints = [
    { id: first, script: waitScript() },
    ...others.map(id => ({ id, script: [{ status: 'PENDING' }] }))
  ]
  // Set once the stand-in exists: it is told about every request, including its own flips' cause.
  let flipOthers: (record: RequestRecord) => void = () => undefined
  return withStandin({ endpoints, onRequest: record => flipOthers(record) }, async bench => {
    flipOthers = record => {
      if (record.endpointId !== first || record.status !== 200) return
      firstReads += 1
      if (firstReads === SIZES.polls)
        for (const id of others) bench.standin.playFor(id, [{ status: 'AVAILABLE' }])
    }
    const runs: ActionRun[] = []
    for (const [i, id] of [first, ...others].entries()) {
      const run = await runAction({ inputs: waitInputs(bench, V2_KEY, { 'endpoint-id': id }) })
      expectAvailable(
        run,
        `Step ${i + 1} of ${others.length + 1} (one after another)`,
        i === 0 ? SIZES.polls : 1
      )
      runs.push(run)
    }
    const result = summarize(runs, bench.standin.requests.length)
    progress(
      `${runs.length} steps one after another: ${result.requests} requests in ${seconds(result.wallMs)}`
    )
    return result
  })
}

/** N jobs side by side (a matrix), one endpoint each, each endpoint AVAILABLE at its 30th read. */
export async function jobsSideBySide(): Promise<SeveralResult & { slowestMs: number }> {
  const ids = endpointIds(SIZES.endpoints)
  const endpoints = ids.map(id => ({ id, script: waitScript() }))
  return withStandin({ endpoints }, async bench => {
    const runs = await Promise.all(
      ids.map(async (id, i) => {
        const run = await runAction({ inputs: waitInputs(bench, V2_KEY, { 'endpoint-id': id }) })
        expectAvailable(run, `Job ${i + 1} of ${ids.length} (side by side)`, SIZES.polls)
        return run
      })
    )
    const result = summarize(runs, bench.standin.requests.length)
    const slowestMs = Math.max(...runs.map(run => run.durationMs))
    progress(
      `${runs.length} jobs side by side: ${result.requests} requests, the slowest ${seconds(slowestMs)}`
    )
    return { ...result, slowestMs }
  })
}

function summarize(runs: ActionRun[], requests: number): SeveralResult {
  return {
    requests,
    reads: runs.reduce((sum, run) => sum + Number(run.outputs.attempts), 0),
    wallMs: runs.reduce((sum, run) => sum + run.durationMs, 0),
    processes: runs.length
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`
}
