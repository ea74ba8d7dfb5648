/**
 * Reads at Atlas's distance (issue 17): the stand-in delays every answer by LATENCY_MS, as a
 * server about 100 ms from a hosted runner would, and records how many requests were in flight.
 * Measured: the wall time of one check of 1, 10, 20 and 50 endpoints; the largest number of
 * requests in flight; the requests of a 30-check wait of 10 endpoints with an API key and with
 * a service account; and (issue 16) a wait for 1 endpoint and 2 clusters.
 *
 * Each measure feature-detects what it needs, so the bench runs before and after those land:
 * the stand-in's `latencyMs` option (probed: an answer must really come that late) and its
 * `maxInFlight` record; for clusters, the action's `cluster-name` input and the stand-in's
 * `clusters` option (its `playCluster` method). A measure whose feature is missing is reported
 * as not measured, with the reason, instead of as a number that would mislead.
 */
import { readActionYml } from '../../standin/action-yml.js'
import type { RequestRecord, StandinOptions } from '../../standin/atlas-standin.js'
import { runAction } from '../../standin/runner.js'
import {
  SIZES,
  V2_KEY,
  V2_SERVICE_ACCOUNT,
  describe,
  endpointIds,
  expectAvailable,
  progress,
  waitInputs,
  waitScript,
  withStandin,
  type BenchStandin,
  type Variant
} from './setup.js'

/** Roughly Atlas from a hosted runner. */
export const LATENCY_MS = 100
/** Endpoints per check whose wall time is measured. */
export const CHECK_SIZES = [1, 10, 20, 50]
/** Endpoints in the request-count waits. */
export const WAIT_ENDPOINTS = 10
/** Clusters in the cluster wait (issue 16). */
export const WAIT_CLUSTERS = ['Cluster0', 'Cluster1']

/** Why a measure did not run, or its result. */
export type Measured<T> = { ok: true; value: T } | { ok: false; reason: string }

export interface CheckWallTime {
  variant: Variant
  endpoints: number
  /** The second check of the wait: the arrival of its first read to the answer to its last. */
  spanMs: number
  /** The whole run: the arrival of its first request to the answer to its last (sign-in included). */
  firstToLastMs: number
  /** Spawn to exit. */
  runMs: number
  requests: number
  /** The stand-in's record; undefined when it keeps none. */
  maxInFlight: number | undefined
}

export interface WaitCount {
  variant: Variant
  endpoints: number
  checks: number
  requests: number
  /** Requests by what they were for (endpoint, oauth, cluster…, and 'other' for challenges and the rest). */
  byTarget: Record<string, number>
  wallMs: number
  maxInFlight: number | undefined
}

export interface ConcurrencyResults {
  latencyMs: number
  checks: Measured<CheckWallTime[]>
  waits: Measured<WaitCount[]>
  clusters: Measured<WaitCount>
}

/** The stand-in options of this file, typed loosely: `latencyMs` and `clusters` may not exist yet. */
function standinOptions(options: Record<string, unknown>): Partial<StandinOptions> {
  return { latencyMs: LATENCY_MS, ...options } as Partial<StandinOptions>
}

function maxInFlight(bench: BenchStandin): number | undefined {
  const value = (bench.standin as unknown as { maxInFlight?: unknown }).maxInFlight
  return typeof value === 'number' ? value : undefined
}

/**
 * An answer from this stand-in takes LATENCY_MS at least, or the option is not there (yet).
 * The quickest of three answers counts: the harness's first fetch also loads undici.
 */
async function latencyApplies(bench: BenchStandin): Promise<boolean> {
  const times: number[] = []
  for (let i = 0; i < 3; i++) {
    const started = performance.now()
    const response = await fetch(bench.standin.endpointUrl('v2'))
    await response.arrayBuffer()
    times.push(performance.now() - started)
  }
  return Math.min(...times) >= LATENCY_MS * 0.9
}

const NO_LATENCY = `the stand-in has no latencyMs option yet (an answer came sooner than ${LATENCY_MS} ms)`

/** Answer times of every request, kept by onRequest (called when a request is answered). */
function answerClock(): {
  onRequest: (record: RequestRecord) => void
  answeredAt: (r: RequestRecord) => number
} {
  const times = new WeakMap<RequestRecord, number>()
  return {
    onRequest: record => void times.set(record, Date.now()),
    answeredAt: record => times.get(record) ?? Number.NaN
  }
}

/**
 * One check of K endpoints inside a wait, timed on the wire: every endpoint PENDING at the first
 * check and AVAILABLE at the second, and the second check is timed, from the arrival of its
 * first read to the answer to its last. The first check also pays for signing in (Digest
 * challenges, the token), which a wait pays once; the whole run's span is kept beside it.
 */
export async function measureCheckWallTimes(): Promise<Measured<CheckWallTime[]>> {
  const results: CheckWallTime[] = []
  // A key reads through at most 4 Digest sessions (its request floor), 2 pipelined requests each; a bearer token, 8 at once.
  for (const variant of [V2_KEY, V2_SERVICE_ACCOUNT])
    for (const count of CHECK_SIZES) {
      const ids = endpointIds(count)
      const clock = answerClock()
      const endpoints = ids.map(id => ({ id, script: [{ status: 'PENDING' }, { status: 'AVAILABLE' }] }))
      const outcome = await withStandin(
        standinOptions({ endpoints, onRequest: clock.onRequest }),
        async bench => {
          if (!(await latencyApplies(bench))) return undefined
          bench.standin.requests.length = 0
          const run = await runAction({
            inputs: waitInputs(bench, variant, { 'endpoint-id': ids.join('\n') })
          })
          expectAvailable(run, `One check of ${count} endpoints at ${LATENCY_MS} ms (${describe(variant)})`)
          const sent = bench.standin.requests
          // The second check: each endpoint's second read that was answered.
          const second = ids.map(
            id => sent.filter(r => r.target === 'endpoint' && r.endpointId === id && r.status === 200)[1]
          )
          if (second.some(read => read === undefined))
            throw new Error(`One check of ${count} endpoints: a second read is missing`)
          const checkStart = Math.min(...second.map(read => read.at))
          const checkEnd = Math.max(...second.map(clock.answeredAt))
          return {
            variant,
            endpoints: count,
            spanMs: checkEnd - checkStart,
            firstToLastMs: Math.max(...sent.map(clock.answeredAt)) - sent[0].at,
            runMs: run.durationMs,
            requests: sent.length,
            maxInFlight: maxInFlight(bench)
          }
        }
      )
      if (outcome === undefined) return { ok: false, reason: NO_LATENCY }
      progress(
        `one check of ${count} endpoints at ${LATENCY_MS} ms (${describe(variant)}): ${Math.round(outcome.spanMs)} ms on the wire, ${outcome.requests} requests in the run, at most ${outcome.maxInFlight ?? '?'} in flight`
      )
      results.push(outcome)
    }
  return { ok: true, value: results }
}

function countByTarget(requests: RequestRecord[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const request of requests) {
    const target =
      request.status === 401 && request.auth === 'none' ? 'challenge' : (request.target ?? 'other')
    counts[target] = (counts[target] ?? 0) + 1
  }
  return counts
}

/** A wait of SIZES.polls checks for WAIT_ENDPOINTS endpoints, each AVAILABLE at its last check. */
async function waitOfEndpoints(variant: Variant): Promise<WaitCount | undefined> {
  const ids = endpointIds(WAIT_ENDPOINTS)
  const endpoints = ids.map(id => ({ id, script: waitScript() }))
  return withStandin(standinOptions({ endpoints }), async bench => {
    if (!(await latencyApplies(bench))) return undefined
    bench.standin.requests.length = 0
    const run = await runAction({ inputs: waitInputs(bench, variant, { 'endpoint-id': ids.join('\n') }) })
    const what = `The ${SIZES.polls}-check wait of ${ids.length} endpoints at ${LATENCY_MS} ms (${describe(variant)})`
    expectAvailable(run, what, ids.length * SIZES.polls)
    const { requests } = bench.standin
    progress(`${what}: ${requests.length} requests in ${(run.durationMs / 1000).toFixed(1)} s`)
    return {
      variant,
      endpoints: ids.length,
      checks: SIZES.polls,
      requests: requests.length,
      byTarget: countByTarget(requests),
      wallMs: run.durationMs,
      maxInFlight: maxInFlight(bench)
    }
  })
}

export async function measureWaitCounts(): Promise<Measured<WaitCount[]>> {
  const waits = await Promise.all([waitOfEndpoints(V2_KEY), waitOfEndpoints(V2_SERVICE_ACCOUNT)])
  if (waits.some(wait => wait === undefined)) return { ok: false, reason: NO_LATENCY }
  return { ok: true, value: waits as WaitCount[] }
}

/**
 * Issue 16's wait: 1 endpoint (AVAILABLE at its last check) and 2 clusters (the stand-in's
 * default: IDLE, serving every endpoint). It runs only when
 * action.yml declares `cluster-name` and the stand-in serves clusters; it has no target yet.
 */
export async function measureClusterWait(): Promise<Measured<WaitCount>> {
  if (!readActionYml().inputs.some(input => input.name === 'cluster-name')) {
    return { ok: false, reason: 'action.yml has no cluster-name input yet (issue 16)' }
  }
  const clusters = WAIT_CLUSTERS.map(name => ({ name }))
  const outcome = await withStandin(standinOptions({ script: waitScript(), clusters }), async bench => {
    if (typeof (bench.standin as unknown as { playCluster?: unknown }).playCluster !== 'function') {
      return 'the stand-in serves no clusters yet (no playCluster)'
    }
    if (!(await latencyApplies(bench))) return NO_LATENCY
    bench.standin.requests.length = 0
    const run = await runAction({
      inputs: waitInputs(bench, V2_KEY, { 'cluster-name': WAIT_CLUSTERS.join('\n') })
    })
    const what = `The ${SIZES.polls}-check wait of 1 endpoint and ${clusters.length} clusters at ${LATENCY_MS} ms`
    if (run.exitCode !== 0) {
      throw new Error(
        `${what}: the action exited with ${run.exitCode}: ${run.stdout.trimEnd().split('\n').pop()}`
      )
    }
    const { requests } = bench.standin
    progress(`${what}: ${requests.length} requests in ${(run.durationMs / 1000).toFixed(1)} s`)
    return {
      variant: V2_KEY,
      endpoints: 1,
      checks: Number(run.outputs.attempts),
      requests: requests.length,
      byTarget: countByTarget(requests),
      wallMs: run.durationMs,
      maxInFlight: maxInFlight(bench)
    }
  })
  return typeof outcome === 'string' ? { ok: false, reason: outcome } : { ok: true, value: outcome }
}
