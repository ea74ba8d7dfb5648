/**
 * Step overhead: one read, from spawn to exit, by the action in each set-up (v2 and v1.0 with
 * an API key, v2 with a service account, v2 reading several endpoints once) and by the two
 * floors (a plain Node 24 fetch, one curl --digest read). Runs are interleaved round robin so
 * that a slow patch of this shared machine hits every client alike, and the samples of one
 * round can be compared pairwise.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { RequestRecord } from '../../standin/atlas-standin.js'
import { baseEnvironment, node24, runAction } from '../../standin/runner.js'
import {
  curlDigestRead,
  freshChallengeRead,
  startJsonServer,
  timeProcess,
  writePlainFetchScript,
  type TimedProcess
} from '../bench-baselines.js'
import {
  IDS,
  KEYS,
  SIZES,
  V1_KEY,
  V2_KEY,
  V2_SERVICE_ACCOUNT,
  actionInputs,
  endpointIds,
  expectAvailable,
  median,
  progress,
  withStandin,
  type Variant
} from './setup.js'

/** The order of each round: the plain fetch runs right after the API-key read it is compared with. */
export const OVERHEAD_CLIENTS = [
  'actionV2',
  'plainFetch',
  'actionServiceAccount',
  'actionV1',
  'actionSeveral',
  'curl'
] as const
export type OverheadClient = (typeof OVERHEAD_CLIENTS)[number]
/** Per client, one sample per round, in round order (so index i of two clients is one round). */
export type Samples = Record<OverheadClient, number[]>

/** Where an action's time went, per run: its requests, one after another, as the stand-in saw them. */
export interface NetworkPhase {
  /** Requests the run sent. */
  requests: number[]
  /** Arrival of its first request at the stand-in to the answer to its last, in ms. */
  spanMs: number[]
}

export interface Overhead {
  samples: Samples
  network: Record<'actionV2' | 'actionServiceAccount', NetworkPhase>
  /** An answered request on a kept-alive connection to the stand-in, median of a quiet burst. */
  roundTripMs: number
}

export const ROUND_TRIPS = 50

/** The plain-fetch script and the local server it reads: the floor for "Node, one request". */
export interface PlainFetchFloor {
  script: string
  url: string
  stop: () => Promise<void>
}

export async function startPlainFetchFloor(): Promise<PlainFetchFloor> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'atlas-bench-fetch-'))
  const server = await startJsonServer({
    cloudProvider: 'AWS',
    connectionStatus: 'AVAILABLE',
    deleteRequested: false,
    errorMessage: null,
    interfaceEndpointId: IDS.endpointId
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

export function expectFloorRead(run: TimedProcess): void {
  if (run.exitCode !== 0 || run.stdout.trim() !== 'AVAILABLE') {
    throw new Error(`The plain-fetch script exited with ${run.exitCode}: ${run.stderr.trim()}`)
  }
}

export async function measureStepOverhead(floor: PlainFetchFloor): Promise<Overhead> {
  const several = endpointIds(SIZES.endpoints)
  const endpoints = several.map(id => ({ id, script: [{ status: 'AVAILABLE' }] }))
  const answeredAt = new WeakMap<RequestRecord, number>()
  const onRequest = (record: RequestRecord): void => void answeredAt.set(record, Date.now())
  return withStandin({ endpoints, onRequest }, async bench => {
    const env = baseEnvironment()
    const network: Overhead['network'] = {
      actionV2: { requests: [], spanMs: [] },
      actionServiceAccount: { requests: [], spanMs: [] }
    }
    const readOnce = async (
      variant: Variant,
      extra: Record<string, string> = {},
      phase?: NetworkPhase
    ): Promise<number> => {
      const before = bench.standin.requests.length
      const run = await runAction({ inputs: actionInputs(bench, variant, extra) })
      expectAvailable(run, `One read by the action (${variant.api}, ${variant.credential})`)
      const sent = bench.standin.requests.slice(before)
      if (phase && sent.length > 0) {
        phase.requests.push(sent.length)
        phase.spanMs.push((answeredAt.get(sent[sent.length - 1]) ?? NaN) - sent[0].at)
      }
      return run.durationMs
    }
    const clients: Record<OverheadClient, () => Promise<number>> = {
      actionV2: () => readOnce(V2_KEY, {}, network.actionV2),
      actionV1: () => readOnce(V1_KEY),
      actionServiceAccount: () => readOnce(V2_SERVICE_ACCOUNT, {}, network.actionServiceAccount),
      actionSeveral: () => readOnce(V2_KEY, { 'endpoint-id': several.join('\n') }),
      plainFetch: async () => {
        const run = await timeProcess(node24(), [floor.script, floor.url], env)
        expectFloorRead(run)
        return run.ms
      },
      curl: async () => (await curlDigestRead(bench.standin.endpointUrl('v2'), KEYS, env)).ms
    }
    const samples = await roundRobin(clients)
    // Warm-up rounds recorded their network phase too: keep the timed rounds only.
    for (const phase of Object.values(network)) {
      phase.requests.splice(0, SIZES.warmupRuns)
      phase.spanMs.splice(0, SIZES.warmupRuns)
    }
    const roundTrips: number[] = []
    for (let i = 0; i < ROUND_TRIPS; i++) {
      roundTrips.push((await freshChallengeRead(bench.standin.endpointUrl('v2'), KEYS)).answerMs)
    }
    return { samples, network, roundTripMs: median(roundTrips) }
  })
}

async function roundRobin(clients: Record<OverheadClient, () => Promise<number>>): Promise<Samples> {
  const samples = Object.fromEntries(OVERHEAD_CLIENTS.map(client => [client, []])) as unknown as Samples
  const { warmupRuns, overheadRuns } = SIZES
  for (let round = 1; round <= warmupRuns + overheadRuns; round++) {
    for (const client of OVERHEAD_CLIENTS) {
      const ms = await clients[client]()
      if (round > warmupRuns) samples[client].push(ms)
    }
    const label =
      round <= warmupRuns ? `warm-up ${round}/${warmupRuns}` : `run ${round - warmupRuns}/${overheadRuns}`
    if (round <= warmupRuns || (round - warmupRuns) % 5 === 0) progress(`step overhead: ${label}`)
  }
  return samples
}
