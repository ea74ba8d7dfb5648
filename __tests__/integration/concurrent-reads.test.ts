/**
 * The building blocks of concurrent reads working together, wired as the poll loop is meant to
 * wire them: the read scheduler runs a check's reads; every request passes its gate and
 * reports its headers to its budget (a wrapper around the transport, below the Digest
 * sessions); a 429 pauses everyone through withRetries' onRetry. Against the stand-in with a
 * latency, over real HTTP and on the real clock.
 */
import { ApiKeyAuthenticator, MAX_DIGEST_SESSIONS } from '../../src/auth/api-key.js'
import { Deadline, systemClock } from '../../src/common/clock.js'
import { nodeHttpFetch } from '../../src/http/node-http.js'
import { createTransport, type Send } from '../../src/http/transport.js'
import { withRetries } from '../../src/wait/retry.js'
import { ReadScheduler, type TaskResult } from '../../src/wait/scheduler.js'
import type { EndpointState } from '../../src/atlas/client.js'
import type { AtlasStandin, Step } from '../../standin/atlas-standin.js'
import { recordingLog } from '../helpers/fake-clock.js'
import { atlasOver, startStandin } from '../helpers/harness.js'
import { IDS } from '../helpers/ids.js'

const ids = Array.from({ length: 10 }, (_, i) => `vpce-${(i + 1).toString(16).padStart(17, '0')}`)
let standin: AtlasStandin | undefined
afterEach(async () => {
  await standin?.stop()
  standin = undefined
})

/** The whole stack for one run: scheduler, gated transport, API key, Atlas client. */
function stack(s: AtlasStandin, intervalMs = 1_000) {
  const log = recordingLog()
  const jobSignal = new AbortController().signal
  const deadline = new Deadline(systemClock, systemClock.now(), 60_000)
  const scheduler = new ReadScheduler({ clock: systemClock, log, intervalMs })
  /** When each request passed the gate, and when each 429 paused everyone (client side). */
  const sentAt: number[] = []
  const pausedAt: number[] = []
  const transport = createTransport({
    fetch: nodeHttpFetch,
    requestTimeoutMs: 5_000,
    deadline,
    signal: jobSignal
  })
  // Every request waits at the gate right before it goes out (after it got a Digest session),
  // and every answer tells the budget what Atlas has left.
  const gated: Send = async (url, init) => {
    await scheduler.gate(jobSignal)
    sentAt.push(performance.now())
    const response = await transport(url, init)
    scheduler.observe(response.headers)
    return response
  }
  const auth = new ApiKeyAuthenticator({ publicKey: IDS.publicKey, privateKey: IDS.privateKey, send: gated })
  const atlas = atlasOver(s, auth, log)
  /** One check: every endpoint read, retried as the poll loop retries, a 429 pausing every read. */
  const check = (
    onResult?: (result: PromiseSettledResult<EndpointState>, index: number) => void,
    only = ids
  ) =>
    scheduler.run(
      only.map(
        id => (signal: AbortSignal) =>
          withRetries(() => atlas.readEndpoint(id), {
            maxRetries: 3,
            clock: systemClock,
            deadline,
            signal,
            random: () => 0.5,
            onRetry: ({ error, delayMs }) => {
              if (!error.rateLimited) return
              pausedAt.push(performance.now())
              scheduler.pauseFor(delayMs)
            }
          })
      ),
      { onResult }
    )
  return { scheduler, auth, check, log, sentAt, pausedAt }
}

const statuses = (results: TaskResult<EndpointState>[]) =>
  results.map(r => (r.status === 'fulfilled' ? r.value.status : r.status))

async function serve(latencyMs: number, scripts: Record<number, Step[]> = {}): Promise<AtlasStandin> {
  standin = await startStandin({
    strictNc: true,
    latencyMs,
    endpoints: ids.map((id, i) => ({
      id,
      script: scripts[i] ?? [{ status: i % 3 ? 'PENDING' : 'AVAILABLE' }]
    }))
  })
  return standin
}

describe('a check of 10 endpoints, read concurrently through an API key', () => {
  it('keeps input order, at most 4 Digest sessions in flight, each challenged once, in about a quarter of the time', async () => {
    const s = await serve(50)
    const { check, auth } = stack(s)
    const told: number[] = []
    const started = performance.now()
    const first = await check((_result, index) => told.push(index))
    const firstMs = performance.now() - started
    const second = await check()
    expect(statuses(first)).toEqual(ids.map((_, i) => (i % 3 ? 'PENDING' : 'AVAILABLE')))
    expect(statuses(second)).toEqual(statuses(first))
    expect(told).toEqual([...ids.keys()])
    expect(s.maxInFlight).toBeLessThanOrEqual(MAX_DIGEST_SESSIONS)
    expect(auth.sessionCount).toBe(MAX_DIGEST_SESSIONS)
    // 2 checks of 10: 20 reads + one challenge per session, and no 401 to an answer.
    expect(s.requests).toHaveLength(20 + MAX_DIGEST_SESSIONS)
    expect(s.requests.filter(r => r.status === 401).every(r => r.auth === 'none')).toBe(true)
    // One after another this check costs 11 round trips of 50 ms; 4 at a time about 4.
    expect(firstMs).toBeLessThan(11 * 50)
  })

  it('pauses every read not yet sent for a 429 Retry-After while the others finish, and retries nothing early', async () => {
    const s = await serve(20, {
      0: [{ error: 429, errorCode: 'RATE_LIMITED', headers: { 'Retry-After': '1' } }, { status: 'AVAILABLE' }]
    })
    const { check, sentAt, pausedAt } = stack(s)
    const results = await check()
    expect(results.every(r => r.status === 'fulfilled')).toBe(true)
    expect(statuses(results)[0]).toBe('AVAILABLE')
    expect(pausedAt).toHaveLength(1)
    // Nothing passed the gate for the second after the 429; the reads held there went after it.
    const duringPause = sentAt.filter(at => at > pausedAt[0] && at < pausedAt[0] + 1_000 - 5)
    expect(duringPause).toEqual([])
    expect(sentAt.filter(at => at >= pausedAt[0] + 1_000 - 5).length).toBeGreaterThanOrEqual(1)
    // Endpoint 0 was read twice (429, then after the pause); every other endpoint exactly once.
    const reads = ids.map(id => s.requests.filter(r => r.endpointId === id && r.authorized).length)
    expect(reads).toEqual([2, 1, 1, 1, 1, 1, 1, 1, 1, 1])
  })

  it('with RateLimit-Remaining: 3, sends 3 reads at once and spreads the rest over the interval, saying so once', async () => {
    const left = (remaining: string): Step => ({
      status: 'PENDING',
      headers: { 'RateLimit-Limit': '100', 'RateLimit-Remaining': remaining }
    })
    // The first answer says 3 are left; from then on Atlas says none are.
    const s = await serve(5, {
      ...Object.fromEntries(ids.map((_, i) => [i, [left('0')]])),
      0: [left('3'), left('0')]
    })
    const { check, log } = stack(s, 700)
    await check(undefined, ids.slice(0, 1)) // one read first: it learns the budget
    s.requests.length = 0
    const results = await check()
    expect(statuses(results)).toEqual(ids.map(() => 'PENDING'))
    const offsets = s.requests.filter(r => r.authorized).map((r, _i, all) => r.at - all[0].at)
    expect(offsets).toHaveLength(10)
    // Three at once, then one every 100 ms (700 ms / 7), the last about 700 ms after the first.
    expect(offsets.slice(0, 3).every(ms => ms < 60)).toBe(true)
    for (let i = 3; i < 10; i++) expect(offsets[i]).toBeGreaterThanOrEqual((i - 2) * 100 - 15)
    expect(offsets[9]).toBeLessThan(700 + 150)
    expect(log.lines.filter(line => /RateLimit-Remaining/.test(line.message))).toHaveLength(1)
  })
})
