/**
 * An API key's Digest sessions on pipelined connections (src/http/pipeline.ts): with more
 * reads at once than sessions, each of the 4 sessions moves to a connection of its own that
 * carries 2 requests at once, each signed (its nonce count) right before it is written. Wired
 * as the run wires it (signIn with `direct`, the read scheduler's gate), against the stand-in
 * with a latency, over real HTTP and on the real clock.
 */
import type { EndpointState } from '../../src/atlas/client.js'
import { ApiKeyAuthenticator, MAX_DIGEST_SESSIONS } from '../../src/auth/api-key.js'
import { signIn, type RequestGate } from '../../src/auth/sign-in.js'
import { Deadline, systemClock } from '../../src/common/clock.js'
import { nodeHttpFetch } from '../../src/http/node-http.js'
import { withRetries } from '../../src/wait/retry.js'
import { ReadScheduler, type TaskResult } from '../../src/wait/scheduler.js'
import type { AtlasStandin, StandinOptions, Step } from '../../standin/atlas-standin.js'
import { recordingLog } from '../helpers/fake-clock.js'
import { atlasOver, startStandin } from '../helpers/harness.js'
import { IDS } from '../helpers/ids.js'

const idsOf = (count: number) =>
  Array.from({ length: count }, (_, i) => `vpce-${(i + 1).toString(16).padStart(17, '0')}`)
let standin: AtlasStandin | undefined
const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const close of closers.splice(0)) await close()
  await standin?.stop()
  standin = undefined
})

async function serve(
  ids: string[],
  options: Partial<StandinOptions> = {},
  scripts: Record<number, Step[]> = {}
): Promise<AtlasStandin> {
  standin = await startStandin({
    strictNc: true,
    latencyMs: 50,
    endpoints: ids.map((id, i) => ({
      id,
      script: scripts[i] ?? [{ status: i % 3 ? 'PENDING' : 'AVAILABLE' }]
    })),
    ...options
  })
  return standin
}

/** The run's stack: scheduler, signIn (direct, so pipelining may be used), Atlas client. */
async function stack(
  s: AtlasStandin,
  ids: string[],
  setup: { intervalMs?: number; requestTimeoutMs?: number; direct?: boolean } = {}
) {
  const log = recordingLog()
  const job = new AbortController()
  const deadline = new Deadline(systemClock, systemClock.now(), 60_000)
  const scheduler = new ReadScheduler({ clock: systemClock, log, intervalMs: setup.intervalMs ?? 1_000 })
  /** When each request left the gate (client side), and when each 429 paused everyone. */
  const sentAt: number[] = []
  const pausedAt: number[] = []
  const gate: RequestGate = {
    gate: async signal => {
      await scheduler.gate(signal)
      sentAt.push(performance.now())
    },
    observe: headers => scheduler.observe(headers)
  }
  const auth = (await signIn({
    credentials: { kind: 'api-key', publicKey: IDS.publicKey, privateKey: IDS.privateKey },
    baseUrl: s.baseUrl,
    requestTimeoutMs: setup.requestTimeoutMs ?? 5_000,
    fetch: nodeHttpFetch,
    direct: setup.direct === false ? undefined : {},
    deadline,
    signal: job.signal,
    clock: systemClock,
    mask: () => undefined,
    log,
    gate
  })) as ApiKeyAuthenticator
  closers.push(() => auth.close())
  const atlas = atlasOver(s, auth, log)
  const check = (only = ids, signal?: AbortSignal) =>
    scheduler.run(
      only.map(
        id => (taskSignal: AbortSignal) =>
          withRetries(() => atlas.readEndpoint(id), {
            maxRetries: 3,
            clock: systemClock,
            deadline,
            signal: taskSignal,
            random: () => 0.5,
            onRetry: ({ error, delayMs }) => {
              if (!error.rateLimited) return
              pausedAt.push(performance.now())
              scheduler.pauseFor(delayMs)
            }
          })
      ),
      signal ? { signal } : {}
    )
  return { auth, check, job, sentAt, pausedAt, log }
}

const statuses = (results: TaskResult<EndpointState>[]) =>
  results.map(r => (r.status === 'fulfilled' ? r.value.status : r.status))
const expected = (ids: string[]) => ids.map((_, i) => (i % 3 ? 'PENDING' : 'AVAILABLE'))

/** Every nonce's counts, in the order the server read them: n, n+1, n+2… with none missing or refused. */
function expectCountsInOrder(s: AtlasStandin): void {
  const byNonce = new Map<string, number[]>()
  for (const r of s.requests) {
    if (r.nonce === undefined || r.nc === undefined) continue
    byNonce.set(r.nonce, [...(byNonce.get(r.nonce) ?? []), parseInt(r.nc, 16)])
  }
  for (const counts of byNonce.values()) expect(counts).toEqual(counts.map((_, i) => counts[0] + i))
  expect(s.requests.filter(r => r.auth !== 'none' && r.refused !== undefined)).toEqual([])
}

describe('pipelined Digest sessions (direct connections, more reads than sessions)', () => {
  it('reads 8 at once over 4 sessions against a strict nonce-count server, each session challenged once', async () => {
    const ids = idsOf(20)
    const s = await serve(ids)
    const { auth, check } = await stack(s, ids)
    const first = await check()
    s.requests.length = 0
    const second = await check()
    expect(statuses(first)).toEqual(expected(ids))
    expect(statuses(second)).toEqual(expected(ids))
    expect(auth.sessionCount).toBe(MAX_DIGEST_SESSIONS)
    expect(auth.pipelinedSessions).toBe(MAX_DIGEST_SESSIONS)
    // The second check: 20 reads, no challenge, 8 at once, never more.
    expect(s.requests).toHaveLength(20)
    expect(s.maxInFlight).toBe(8)
    expectCountsInOrder(s)
  })

  it('costs K×N + min(K, 4) requests, with one challenge per session and none after', async () => {
    const ids = idsOf(10)
    const s = await serve(ids)
    const { check } = await stack(s, ids)
    for (let i = 0; i < 3; i++) expect(statuses(await check())).toEqual(expected(ids))
    expect(s.requests).toHaveLength(10 * 3 + 4)
    expect(s.requests.filter(r => r.status === 401)).toHaveLength(4)
    expect(s.requests.filter(r => r.status === 401).every(r => r.auth === 'none')).toBe(true)
    expect(s.maxInFlight).toBeLessThanOrEqual(8)
    expectCountsInOrder(s)
  })

  it('sends one endpoint N + 1 requests on one session and never opens a pipelined connection', async () => {
    const ids = idsOf(1)
    const s = await serve(ids)
    const { auth, check } = await stack(s, ids)
    for (let i = 0; i < 5; i++) await check()
    expect(s.requests).toHaveLength(6)
    expect(auth.sessionCount).toBe(1)
    expect(auth.pipelinedSessions).toBe(0)
  })

  it('costs 2 requests per read, no more, against a server that refuses a used nonce', async () => {
    const ids = idsOf(20)
    const s = await serve(ids, { nonces: 'single-use' })
    const { check } = await stack(s, ids)
    for (let i = 0; i < 2; i++) expect(statuses(await check())).toEqual(expected(ids))
    expect(s.requests).toHaveLength(2 * 20 * 2)
    expect(s.requests.filter(r => r.status === 200)).toHaveLength(40)
    expect(s.maxInFlight).toBeLessThanOrEqual(8)
  })

  it('against a server that closes the connection after every answer: never pipelines, K×N + min(K, 4) requests, all correct', async () => {
    const ids = idsOf(10)
    const s = await serve(ids, { closeAfter: 1 })
    const { auth, check } = await stack(s, ids)
    for (let i = 0; i < 3; i++) expect(statuses(await check())).toEqual(expected(ids))
    expect(s.requests).toHaveLength(10 * 3 + 4)
    expect(s.maxInFlight).toBeLessThanOrEqual(4)
    expect(auth.pipelinedSessions).toBe(MAX_DIGEST_SESSIONS)
    expect(auth.pipelineStats.pipelined).toBe(0)
    expect(auth.pipelineStats.rewritten).toBe(0)
    expectCountsInOrder(s)
  })

  it('against a server that closes after every 3 answers, dropping what was pipelined behind: re-sent unchanged, counts in order, no extra request', async () => {
    const ids = idsOf(20)
    const s = await serve(ids, { closeAfter: 3 })
    const { auth, check } = await stack(s, ids)
    for (let i = 0; i < 3; i++) expect(statuses(await check())).toEqual(expected(ids))
    expect(auth.pipelineStats.pipelined).toBeGreaterThan(0)
    expect(auth.pipelineStats.rewritten).toBeGreaterThan(0)
    expect(s.requests).toHaveLength(20 * 3 + 4)
    expect(s.maxInFlight).toBeLessThanOrEqual(8)
    expectCountsInOrder(s)
  })

  it('against a server that reads a pipelined request, then closes without answering it: every read still right, one challenge more per loss', async () => {
    const ids = idsOf(20)
    const s = await serve(ids, { closeAfter: 3, readPipelinedBeforeClose: true })
    const { auth, check } = await stack(s, ids)
    for (let i = 0; i < 3; i++) expect(statuses(await check())).toEqual(expected(ids))
    expect(auth.pipelineStats.rewritten).toBeGreaterThan(0)
    // Each lost answer: the request re-sent with the same nc is refused (a replay), and its
    // fresh challenge answered once: 2 more requests, never a 401 handed back.
    const lost = s.requests.filter(r => r.auth !== 'none' && r.refused !== undefined)
    expect(lost.length).toBeGreaterThan(0)
    expect(lost.length).toBeLessThanOrEqual(auth.pipelineStats.rewritten)
    expect(lost.every(r => /replayed|after/.test(r.refused ?? ''))).toBe(true)
    expect(s.requests.length).toBeLessThanOrEqual(20 * 3 + 4 + 3 * lost.length)
    // (The server counts a request whose answer it lost as in flight until the connection is
    // gone; the client had moved on to a new connection by then: no in-flight bound here.)
  })

  it('against a server that announces keep-alive, then closes: costs no more than one request at a time does, and stops pipelining', async () => {
    const ids = idsOf(16)
    const cost = async (direct: boolean) => {
      const s = await serve(ids, { closeAfter: 3, closeSilently: true, latencyMs: 20 })
      const { auth, check } = await stack(s, ids, { direct })
      for (let i = 0; i < 3; i++) expect(statuses(await check())).toEqual(expected(ids))
      const refused = s.requests.filter(r => r.auth !== 'none' && r.refused !== undefined).length
      const result = { requests: s.requests.length, refused, stats: auth.pipelineStats }
      await auth.close()
      await s.stop()
      standin = undefined
      return result
    }
    const oneAtATime = await cost(false)
    const pipelined = await cost(true)
    // Every read is right either way; a request lost with a connection the server closed
    // (a keep-alive race node:http has too) is retried, and a strict server refuses the gap
    // in nonce counts once (one challenge answered). Pipelining loses at most one more per
    // session before it stops.
    expect(pipelined.requests).toBeLessThanOrEqual(oneAtATime.requests + 3 * MAX_DIGEST_SESSIONS)
    expect(pipelined.refused).toBeLessThanOrEqual(oneAtATime.refused + 2 * MAX_DIGEST_SESSIONS)
  })

  it('a 429 with pipelined reads in flight: nothing passes the gate during the pause, nothing is retried early, counts stay in order', async () => {
    const ids = idsOf(16)
    const s = await serve(
      ids,
      { latencyMs: 20 },
      {
        5: [
          { status: 'PENDING' },
          { error: 429, errorCode: 'RATE_LIMITED', headers: { 'Retry-After': '1' } },
          { status: 'PENDING' }
        ]
      }
    )
    const { check, sentAt, pausedAt, auth } = await stack(s, ids)
    await check() // the sessions open and move to their pipelined connections
    s.requests.length = 0
    sentAt.length = 0
    const results = await check()
    expect(results.every(r => r.status === 'fulfilled')).toBe(true)
    expect(auth.pipelinedSessions).toBe(MAX_DIGEST_SESSIONS)
    expect(pausedAt).toHaveLength(1)
    const duringPause = sentAt.filter(at => at > pausedAt[0] && at < pausedAt[0] + 1_000 - 5)
    expect(duringPause).toEqual([])
    const reads = ids.map(id => s.requests.filter(r => r.endpointId === id && r.authorized).length)
    expect(reads).toEqual(ids.map((_, i) => (i === 5 ? 2 : 1)))
    expect(s.maxInFlight).toBe(8)
    expectCountsInOrder(s)
  })

  it('a cancellation with 8 reads on the wire ends them all at once, and nothing more is sent', async () => {
    const ids = idsOf(16)
    const s = await serve(ids)
    const { check, job, auth } = await stack(s, ids)
    await check()
    // Loaded once the first check's burst is over, in the pause a wait makes before the next.
    await auth.pipelineLoaded
    // Each session's own connection answers once with keep-alive: from then on, 2 at a time.
    await check()
    standinLatency(s, 2_000)
    let arrivals = 0
    ;(s as unknown as { server: import('node:http').Server }).server.on('request', () => (arrivals += 1))
    const stop = new AbortController()
    const pending = check(ids, stop.signal)
    // Let 8 reads reach the server (2 on each session's connection), then cancel the job.
    await new Promise(resolve => setTimeout(resolve, 200))
    expect(arrivals).toBe(8)
    const started = performance.now()
    job.abort()
    stop.abort()
    const results = await pending
    expect(performance.now() - started).toBeLessThan(100)
    expect(results.every(r => r.status === 'stopped')).toBe(true)
    // Nothing is re-sent on a new connection after the cancellation.
    await new Promise(resolve => setTimeout(resolve, 300))
    expect(arrivals).toBe(8)
  })
})

/** Changes the stand-in's latency from the next request on. */
function standinLatency(s: AtlasStandin, ms: number): void {
  ;(s as unknown as { options: StandinOptions }).options.latencyMs = ms
}
