import { AtlasClient } from '../../src/atlas/client.js'
import { Deadline, systemClock, type Clock } from '../../src/common/clock.js'
import { createTransport, type FetchLike } from '../../src/http/transport.js'
import { nodeHttpFetch } from '../../src/http/node-http.js'
import { waitForStatus, type WaitResult } from '../../src/wait/wait.js'
import type { KnownStatus } from '../../src/common/constants.js'
import { AtlasStandin, type StandinOptions } from '../../standin/atlas-standin.js'
import { IDS } from './ids.js'
import { recordingLog } from './fake-clock.js'

/** A stand-in with the shared test IDs, started; stop it in afterEach. */
export async function startStandin(options: Partial<StandinOptions> = {}): Promise<AtlasStandin> {
  return new AtlasStandin({ ...IDS, ...options }).start()
}

export interface ClientSetup {
  clock?: Clock
  budgetMs?: number
  requestTimeoutMs?: number
  privateKey?: string
  projectId?: string
  signal?: AbortSignal
  fetch?: FetchLike
  baseUrl?: string
}

/** The real client stack (Digest client, transport, node:http) pointed at a stand-in. */
export function clientFor(standin: AtlasStandin, setup: ClientSetup = {}) {
  const clock = setup.clock ?? systemClock
  const deadline = new Deadline(clock, clock.now(), setup.budgetMs ?? 60_000)
  const log = recordingLog()
  const client = new AtlasClient({
    ...IDS,
    privateKey: setup.privateKey ?? IDS.privateKey,
    projectId: setup.projectId ?? IDS.projectId,
    baseUrl: setup.baseUrl ?? standin.baseUrl,
    log,
    now: () => clock.now(),
    fetch: createTransport({
      fetch: setup.fetch ?? nodeHttpFetch,
      requestTimeoutMs: setup.requestTimeoutMs ?? 5_000,
      deadline,
      signal: setup.signal ?? new AbortController().signal
    })
  })
  return { client, deadline, log, clock }
}

export interface WaitSetup extends ClientSetup {
  waitFor?: KnownStatus[]
  failOn?: KnownStatus[]
  intervalMs?: number
  maxRetries?: number
  random?: () => number
}

/** A whole wait through the real stack against a stand-in. */
export async function waitAgainst(
  standin: AtlasStandin,
  setup: WaitSetup = {}
): Promise<WaitResult & { log: ReturnType<typeof recordingLog> }> {
  const { client, deadline, log, clock } = clientFor(standin, setup)
  const result = await waitForStatus({
    waitFor: setup.waitFor ?? ['AVAILABLE'],
    failOn: setup.failOn ?? ['REJECTED'],
    intervalMs: setup.intervalMs ?? 1_000,
    maxRetries: setup.maxRetries ?? 5,
    read: () => client.readEndpoint(),
    clock,
    deadline,
    signal: setup.signal ?? new AbortController().signal,
    random: setup.random ?? (() => 0.5),
    log
  })
  return { ...result, log }
}
