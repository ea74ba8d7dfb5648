import { AtlasClient } from '../../src/atlas/client.js'
import type { Log } from '../../src/common/log.js'
import { ApiKeyAuthenticator } from '../../src/auth/api-key.js'
import { CLOUDS, type CloudProvider } from '../../src/common/clouds.js'
import { Deadline, systemClock, type Clock } from '../../src/common/clock.js'
import { createTransport, type FetchLike } from '../../src/http/transport.js'
import { nodeHttpFetch } from '../../src/http/node-http.js'
import { waitForStatus, type WaitResult } from '../../src/wait/wait.js'
import type { ApiVersion } from '../../src/common/constants.js'
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
  /** The v1.0 API unless a test says otherwise (the stand-in's baseUrl is its v1.0 root). */
  api?: ApiVersion
  cloudProvider?: CloudProvider
  notFoundIsDeleted?: boolean
}

/** The real client stack (Digest client, transport, node:http) pointed at a stand-in. */
export function clientFor(standin: AtlasStandin, setup: ClientSetup = {}) {
  const clock = setup.clock ?? systemClock
  const deadline = new Deadline(clock, clock.now(), setup.budgetMs ?? 60_000)
  const log = recordingLog()
  const auth = new ApiKeyAuthenticator({
    publicKey: IDS.publicKey,
    privateKey: setup.privateKey ?? IDS.privateKey,
    send: createTransport({
      fetch: setup.fetch ?? nodeHttpFetch,
      requestTimeoutMs: setup.requestTimeoutMs ?? 5_000,
      deadline,
      signal: setup.signal ?? new AbortController().signal
    })
  })
  const client = atlasOver(standin, auth, log, clock, setup)
  return { client, deadline, log, clock }
}

/** An Atlas client for the stand-in, signing with `auth` (an API key): v1.0 and AWS unless `setup` says otherwise. */
export function atlasOver(
  standin: AtlasStandin,
  auth: Pick<ApiKeyAuthenticator, 'send'>,
  log: Log,
  clock: Clock = systemClock,
  setup: Pick<ClientSetup, 'baseUrl' | 'api' | 'cloudProvider' | 'projectId' | 'notFoundIsDeleted'> = {}
): AtlasClient {
  return new AtlasClient({
    baseUrl: setup.baseUrl ?? standin.baseUrl,
    api: setup.api ?? 'v1.0',
    cloud: CLOUDS[setup.cloudProvider ?? 'AWS'],
    projectId: setup.projectId ?? IDS.projectId,
    endpointServiceId: IDS.privateLinkId,
    send: (url, init) => auth.send(url, init),
    credentialKind: 'api-key',
    notFoundIsDeleted: setup.notFoundIsDeleted ?? false,
    log,
    now: () => clock.now()
  })
}

export interface WaitSetup extends ClientSetup {
  waitFor?: string[]
  failOn?: string[]
  endpointIds?: string[]
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
  const cloud = CLOUDS[setup.cloudProvider ?? 'AWS']
  const result = await waitForStatus({
    endpointIds: setup.endpointIds ?? [IDS.interfaceEndpointId],
    waitFor: setup.waitFor ?? ['AVAILABLE'],
    failOn: setup.failOn ?? ['REJECTED', 'FAILED'],
    intervalMs: setup.intervalMs ?? 1_000,
    maxRetries: setup.maxRetries ?? 5,
    read: id => client.readEndpoint(id),
    knownStatuses: cloud.statuses,
    noun: cloud.noun,
    advice: cloud.failureAdvice,
    clock,
    deadline,
    signal: setup.signal ?? new AbortController().signal,
    random: setup.random ?? (() => 0.5),
    log
  })
  return { ...result, log }
}
