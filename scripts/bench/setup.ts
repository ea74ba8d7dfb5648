/**
 * What every measure of `npm run bench` shares: the made-up credentials and IDs, the sizes of
 * the runs, the stand-in set-up, the inputs a workflow would give, and the checks that stop
 * the bench when a run did not end as scripted.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { AtlasStandin, type ApiVersion, type StandinOptions, type Step } from '../../standin/atlas-standin.js'
import { OAuthStandin } from '../../standin/oauth-standin.js'
import type { ActionRun } from '../../standin/runner.js'
import type { KeyPair } from '../bench-baselines.js'

/** The sizes of the runs; `--quick` shrinks them to try the bench itself, not to measure. */
export const SIZES = {
  /** Checks in the waits that the request counts and the peak memory come from. */
  polls: 30,
  /**
   * Timed rounds per client for the step overhead, after the warm-up rounds. 40: with 20, two
   * identical clients came out 7 % apart on this shared machine, more than the start-up
   * target's margin.
   */
  overheadRuns: 40,
  warmupRuns: 2,
  noticeRuns: 5,
  /** Endpoints in the several-endpoints measure. */
  endpoints: 10
}

export function shrinkForQuickRun(): void {
  Object.assign(SIZES, { polls: 4, overheadRuns: 3, warmupRuns: 1, noticeRuns: 1, endpoints: 3 })
}

export const INTERVAL_MS = 1000

/**
 * A key pair and a service account made up for this run only, so that no credential worth
 * keeping appears in a process list or a file. The secrets are never printed: see redact().
 */
export const KEYS: KeyPair = { publicKey: 'benchkey', privateKey: randomUUID() }
export const SERVICE_ACCOUNT = {
  clientId: `mdb_sa_id_${randomBytes(12).toString('hex')}`,
  clientSecret: `mdb_sa_sk_${randomBytes(24).toString('base64url')}`
}
export const IDS = {
  projectId: '65a1b2c3d4e5f60718293a4b',
  endpointServiceId: '65a1b2c3d4e5f60718293a4c',
  endpointId: 'vpce-0a1b2c3d4e5f60718'
} as const

/** `count` well-formed AWS endpoint IDs, the first being IDS.endpointId. */
export function endpointIds(count: number): string[] {
  return Array.from(
    { length: count },
    (_, i) => `vpce-0a1b2c3d4e5f607${(0x18 + i).toString(16).padStart(2, '0')}`
  )
}

/** N - 1 checks see PENDING, the Nth AVAILABLE: a wait of exactly N checks. */
export function waitScript(polls = SIZES.polls): Step[] {
  return [{ status: 'PENDING', times: polls - 1 }, { status: 'AVAILABLE' }]
}

export type Credential = 'api-key' | 'service-account'

/** One way the action is set up: which API and which kind of credential. */
export interface Variant {
  api: ApiVersion
  credential: Credential
}

export const V2_KEY: Variant = { api: 'v2', credential: 'api-key' }
export const V1_KEY: Variant = { api: 'v1.0', credential: 'api-key' }
export const V2_SERVICE_ACCOUNT: Variant = { api: 'v2', credential: 'service-account' }

export function describe({ api, credential }: Variant): string {
  return `${api}, ${credential === 'api-key' ? 'API key' : 'service account'}`
}

export interface BenchStandin {
  standin: AtlasStandin
  /** The OAuth side, when the stand-in accepts the bench's service account. */
  oauth: OAuthStandin
  /** The `base-url` for an API version. */
  apiRoot: (api: ApiVersion) => string
}

/** A stand-in that knows the bench's key pair and service account, stopped after `use`. */
export async function withStandin<T>(
  options: Partial<StandinOptions>,
  use: (bench: BenchStandin) => Promise<T>
): Promise<T> {
  const oauth = new OAuthStandin({ accounts: [SERVICE_ACCOUNT] })
  const standin = await new AtlasStandin({
    ...KEYS,
    projectId: IDS.projectId,
    privateLinkId: IDS.endpointServiceId,
    interfaceEndpointId: IDS.endpointId,
    serviceAccounts: oauth,
    ...options
  }).start()
  try {
    return await use({
      standin,
      oauth,
      apiRoot: api => (api === 'v2' ? standin.baseUrlV2 : standin.baseUrl)
    })
  } finally {
    await standin.stop()
  }
}

/** The inputs of one read (no wait-for) of IDS.endpointId, or of the endpoints given. */
export function actionInputs(
  bench: BenchStandin,
  variant: Variant,
  extra: Record<string, string> = {}
): Record<string, string> {
  const credentials: Record<string, string> =
    variant.credential === 'api-key'
      ? { 'public-key': KEYS.publicKey, 'private-key': KEYS.privateKey }
      : { 'client-id': SERVICE_ACCOUNT.clientId, 'client-secret': SERVICE_ACCOUNT.clientSecret }
  return {
    ...credentials,
    'project-id': IDS.projectId,
    'endpoint-service-id': IDS.endpointServiceId,
    'endpoint-id': IDS.endpointId,
    'base-url': bench.apiRoot(variant.api),
    'wait-for': '',
    ...extra
  }
}

/** A wait for AVAILABLE, one check a second; the timeout only stops a broken run from eating the budget. */
export function waitInputs(
  bench: BenchStandin,
  variant: Variant,
  extra: Record<string, string> = {}
): Record<string, string> {
  return actionInputs(bench, variant, {
    'wait-for': 'AVAILABLE',
    'interval-seconds': String(INTERVAL_MS / 1000),
    'timeout-seconds': String(2 * SIZES.polls + 30),
    ...extra
  })
}

/** The action prints each secret once, in ::add-mask::; nothing printed here may carry one. */
export function redact(text: string): string {
  return [KEYS.privateKey, SERVICE_ACCOUNT.clientSecret].reduce(
    (masked, secret) => masked.split(secret).join('***'),
    text
  )
}

/** A run that did not end as scripted makes every number from it meaningless: stop the bench. */
export function expectAvailable(
  run: Pick<ActionRun, 'exitCode' | 'outputs' | 'stdout'>,
  what: string,
  attempts?: number
): void {
  const { exitCode, outputs } = run
  if (exitCode === 0 && outputs['connection-status'] === 'AVAILABLE') {
    if (attempts === undefined || outputs.attempts === String(attempts)) return
  }
  const lastLine = run.stdout.trimEnd().split('\n').pop() ?? ''
  throw new Error(
    `${what}: the action exited with ${exitCode}, connection-status ${outputs['connection-status'] ?? '(none)'}, attempts ${outputs.attempts ?? '(none)'}${attempts === undefined ? '' : ` (expected ${attempts})`}. Its last log line: ${redact(lastLine)}`
  )
}

const benchStarted = performance.now()

export function elapsedMs(): number {
  return performance.now() - benchStarted
}

export function progress(message: string): void {
  console.error(`[bench ${(elapsedMs() / 1000).toFixed(1).padStart(5)} s] ${message}`)
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}
