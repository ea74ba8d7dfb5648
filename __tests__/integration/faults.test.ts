/**
 * The fault matrix: each row driven through a real socket to the stand-in on 127.0.0.1, with
 * the clock injected where the row is about time (pauses are recorded, never slept).
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { chooseFetch } from '../../src/http/proxy.js'
import { systemClock } from '../../src/common/clock.js'
import type { AtlasStandin, Step } from '../../standin/atlas-standin.js'
import { FakeClock } from '../helpers/fake-clock.js'
import { startStandin, waitAgainst } from '../helpers/harness.js'
import { makeTestCertificate } from '../helpers/tls.js'

let standin: AtlasStandin
afterEach(async () => standin?.stop())

const pending = (times = 1): Step => ({ status: 'PENDING', times })
const available: Step = { status: 'AVAILABLE' }

describe('transient failures are retried', () => {
  it.each([500, 502, 503, 504])('HTTP %i: retried with full-jitter exponential backoff', async code => {
    standin = await startStandin({ script: [{ error: code, times: 3 }, available] })
    const clock = new FakeClock()
    const result = await waitAgainst(standin, { clock, random: () => 0.5 })
    expect(result.outcome).toBe('reached')
    expect(result.attempts).toBe(1) // retried failures are not counted
    // random 0.5 × min(30 s, 1 s × 2^(n-1)): 500, 1000, 2000 ms
    expect(clock.sleeps).toEqual([500, 1000, 2000])
    expect(result.log.text()).toContain(`HTTP ${code}`)
  })

  it('gives up after max-retries failures in a row, naming the last error', async () => {
    standin = await startStandin({ script: [{ error: 503 }] })
    const result = await waitAgainst(standin, { clock: new FakeClock(), maxRetries: 2 })
    expect(result.outcome).toBe('error')
    expect(result.message).toMatch(/HTTP 503.*Gave up after 3 failed tries in a row \(max-retries: 2\)/s)
    expect(standin.requests.filter(r => r.authorized)).toHaveLength(3)
  })

  it('a good response resets the count of failures in a row', async () => {
    standin = await startStandin({
      script: [{ error: 500, times: 2 }, pending(), { error: 500, times: 2 }, available]
    })
    const result = await waitAgainst(standin, { clock: new FakeClock(), maxRetries: 2 })
    expect(result.outcome).toBe('reached')
    expect(result.attempts).toBe(2)
  })

  it('429 with Retry-After in seconds: waits exactly that long', async () => {
    standin = await startStandin({ script: [{ error: 429, headers: { 'Retry-After': '7' } }, available] })
    const clock = new FakeClock()
    const result = await waitAgainst(standin, { clock })
    expect(result.outcome).toBe('reached')
    expect(clock.sleeps).toEqual([7000])
  })

  it('429 with Retry-After as an HTTP date: waits until then', async () => {
    const clock = new FakeClock()
    const until = new Date(clock.now() + 42_000).toUTCString()
    standin = await startStandin({ script: [{ error: 429, headers: { 'Retry-After': until } }, available] })
    const result = await waitAgainst(standin, { clock })
    expect(result.outcome).toBe('reached')
    expect(clock.sleeps).toEqual([42_000])
  })

  it("429 without Retry-After: waits 10 s, 20 s, 40 s (Atlas's advice)", async () => {
    standin = await startStandin({ script: [{ error: 429, errorCode: 'RATE_LIMITED', times: 3 }, available] })
    const clock = new FakeClock()
    const result = await waitAgainst(standin, { clock, budgetMs: 120_000 })
    expect(result.outcome).toBe('reached')
    expect(clock.sleeps).toEqual([10_000, 20_000, 40_000])
  })

  it('429 without Retry-After: never waits past the deadline', async () => {
    standin = await startStandin({ script: [{ error: 429 }] })
    const clock = new FakeClock()
    const result = await waitAgainst(standin, { clock, budgetMs: 45_000, maxRetries: 10 })
    expect(result.outcome).toBe('timeout')
    expect(clock.sleeps).toEqual([10_000, 20_000]) // 40 s more would end past 45 s
    expect(clock.now() - new FakeClock().now()).toBeLessThan(45_000)
  })

  it('connection refused: retried as transient', async () => {
    standin = await startStandin()
    const closed = await startStandin()
    const baseUrl = closed.baseUrl
    await closed.stop()
    const clock = new FakeClock()
    const result = await waitAgainst(standin, { clock, baseUrl, maxRetries: 2 })
    expect(result.outcome).toBe('error')
    expect(result.message).toMatch(/connection was refused \(ECONNREFUSED\).*Gave up after 3/s)
    expect(clock.sleeps).toHaveLength(2)
  })

  it.each(['reset', 'close-mid-body'] as const)('connection %s: retried as transient', async fault => {
    standin = await startStandin({ script: [{ fault }, available] })
    const clock = new FakeClock()
    const result = await waitAgainst(standin, { clock })
    expect(result.outcome).toBe('reached')
    expect(clock.sleeps).toHaveLength(1)
    expect(result.log.text()).toMatch(/Could not reach Atlas/)
  })

  it('DNS failure: retried as transient', async () => {
    standin = await startStandin()
    const lookup = ((_host: string, _options: unknown, callback: (error: Error) => void) => {
      callback(Object.assign(new Error('getaddrinfo ENOTFOUND atlas.test'), { code: 'ENOTFOUND' }))
    }) as never
    const { fetch } = await chooseFetch('http://atlas.test/', { lookup })
    const clock = new FakeClock()
    const result = await waitAgainst(standin, {
      clock,
      fetch,
      baseUrl: `http://atlas.test:${standin.port}/api/atlas/v1.0`,
      maxRetries: 1
    })
    expect(result.outcome).toBe('error')
    expect(result.message).toMatch(/could not be resolved \(DNS\) \(ENOTFOUND\)/)
    expect(clock.sleeps).toHaveLength(1)
  })

  it('a response slower than request-timeout-seconds: aborted, counted as transient, retried', async () => {
    standin = await startStandin({ script: [{ delayMs: 5_000, then: available }, available] })
    const clock = new FakeClock()
    const started = performance.now()
    const result = await waitAgainst(standin, { clock, requestTimeoutMs: 300 })
    expect(result.outcome).toBe('reached')
    expect(performance.now() - started).toBeLessThan(2_000)
    expect(result.log.text()).toMatch(/did not answer within 0\.3 s/)
  })
})

describe('TLS', () => {
  it('an untrusted certificate fails at once, not retried, pointing at NODE_EXTRA_CA_CERTS', async () => {
    const certificate = makeTestCertificate()
    try {
      standin = await startStandin({ tls: { key: certificate.key, cert: certificate.cert } })
      const clock = new FakeClock()
      const result = await waitAgainst(standin, { clock })
      expect(result.outcome).toBe('error')
      expect(result.message).toMatch(/TLS certificate .* not trusted \(\w+\).*NODE_EXTRA_CA_CERTS/s)
      expect(clock.sleeps).toEqual([])
    } finally {
      certificate.cleanup()
    }
  })
})

describe('answers that are not the resource fail at once, not retried', () => {
  it('HTML with 200', async () => {
    standin = await startStandin({
      script: [
        {
          raw: {
            status: 200,
            headers: { 'Content-Type': 'text/html' },
            body: '<!DOCTYPE html><h1>Sign in</h1>'
          }
        }
      ]
    })
    const result = await waitAgainst(standin, { clock: new FakeClock() })
    expect(result.outcome).toBe('error')
    expect(result.message).toMatch(/not JSON \(text\/html.*"<!DOCTYPE html><h1>Sign in/)
    expect(result.message).not.toMatch(/\n\s+at /) // no stack trace
    expect(standin.requests.filter(r => r.authorized)).toHaveLength(1)
  })

  it('JSON without connectionStatus', async () => {
    standin = await startStandin({
      script: [
        { raw: { status: 200, headers: { 'Content-Type': 'application/json' }, body: '{"results":[]}' } }
      ]
    })
    const result = await waitAgainst(standin, { clock: new FakeClock() })
    expect(result.outcome).toBe('error')
    expect(result.message).toMatch(/no connectionStatus field/)
    expect(standin.requests.filter(r => r.authorized)).toHaveLength(1)
  })

  it.each([
    ['with Content-Length', { 'Content-Type': 'application/json' }],
    ['chunked', { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' }]
  ])('a body over 1 MiB (%s)', async (_name, headers) => {
    const body = `{"connectionStatus":"AVAILABLE","pad":"${'x'.repeat(1024 * 1024)}"}`
    standin = await startStandin({ script: [{ raw: { status: 200, headers, body } }] })
    const result = await waitAgainst(standin, { clock: new FakeClock() })
    expect(result.outcome).toBe('error')
    expect(result.message).toMatch(/more than 1 MiB/)
    expect(standin.requests.filter(r => r.authorized)).toHaveLength(1)
  })
})

describe('statuses this version does not know', () => {
  it('are reported as is when reading once', async () => {
    standin = await startStandin({ script: [{ status: 'PENDING_RECONNECT' }] })
    const result = await waitAgainst(standin, { clock: new FakeClock(), waitFor: [] })
    expect(result.outcome).toBe('reported')
    expect(result.endpoints[0].last?.status).toBe('PENDING_RECONNECT')
  })

  it('give a single warning while waiting, and the wait goes on', async () => {
    standin = await startStandin({ script: [{ status: 'PENDING_RECONNECT', times: 3 }, available] })
    const result = await waitAgainst(standin, { clock: new FakeClock() })
    expect(result.outcome).toBe('reached')
    const warnings = result.log.lines.filter(l => l.level === 'warning')
    expect(warnings).toHaveLength(1)
    expect(warnings[0].message).toContain('"PENDING_RECONNECT"')
  })
})

describe('redirects', () => {
  it('are not followed (so the Digest answer never goes to another origin), and are reported', async () => {
    const elsewhere: string[] = []
    const other = http.createServer((request, response) => {
      elsewhere.push(request.headers.authorization ?? 'no auth')
      response.end('{"connectionStatus":"AVAILABLE"}')
    })
    await new Promise<void>(resolve => other.listen(0, '127.0.0.1', resolve))
    const port = (other.address() as AddressInfo).port
    try {
      standin = await startStandin({
        script: [{ raw: { status: 302, headers: { Location: `http://127.0.0.1:${port}/steal?token=x` } } }]
      })
      const result = await waitAgainst(standin, { clock: new FakeClock() })
      expect(result.outcome).toBe('error')
      expect(result.message).toMatch(/HTTP 302, a redirect to "http:\/\/127\.0\.0\.1:\d+"/)
      expect(result.message).not.toContain('token=x')
      expect(elsewhere).toEqual([])
    } finally {
      await new Promise(resolve => other.close(resolve))
    }
  })
})

describe('Deprecation and Sunset headers', () => {
  it('give one warning that says what Atlas announced and when', async () => {
    const headers = { Deprecation: '@1735689600', Sunset: 'Wed, 01 Jul 2026 00:00:00 GMT' }
    standin = await startStandin({
      script: [
        { status: 'PENDING', headers, times: 3 },
        { status: 'AVAILABLE', headers }
      ]
    })
    const result = await waitAgainst(standin, { clock: new FakeClock() })
    expect(result.outcome).toBe('reached')
    const warnings = result.log.lines.filter(l => l.level === 'warning')
    expect(warnings).toHaveLength(1)
    expect(warnings[0].message).toContain('"@1735689600"')
    expect(warnings[0].message).toContain('"Wed, 01 Jul 2026 00:00:00 GMT"')
  })
})

describe('the deadline', () => {
  it('arriving during a slow request ends the step at the deadline, not after', async () => {
    standin = await startStandin({ script: [{ delayMs: 10_000, then: available }] })
    const started = performance.now()
    const result = await waitAgainst(standin, { clock: systemClock, budgetMs: 800, requestTimeoutMs: 30_000 })
    const took = performance.now() - started
    expect(result.outcome).toBe('timeout')
    expect(took).toBeGreaterThanOrEqual(700)
    expect(took).toBeLessThan(1_500)
    expect(result.message).toMatch(
      /^Timed out waiting for AVAILABLE \(timeout-seconds: 0\.8\): The deadline arrived while waiting/
    )
  })

  it('arriving during a backoff: the step stops instead of sleeping past it', async () => {
    standin = await startStandin({ script: [{ error: 503, headers: { 'Retry-After': '120' } }] })
    const clock = new FakeClock()
    const result = await waitAgainst(standin, { clock, budgetMs: 60_000 })
    expect(result.outcome).toBe('timeout')
    expect(clock.sleeps).toEqual([])
    expect(result.message).toMatch(/Atlas asked to wait 120 s, past the deadline/)
  })

  it('a pause that would end past the deadline is shortened to a last check just before it', async () => {
    standin = await startStandin({ script: [pending()] })
    const clock = new FakeClock()
    const result = await waitAgainst(standin, { clock, budgetMs: 35_000, intervalMs: 10_000 })
    expect(result.outcome).toBe('timeout')
    // 5 s were left after the third pause: the last check comes half a second before the deadline.
    expect(clock.sleeps).toEqual([10_000, 10_000, 10_000, 4_500])
    expect(result.endpoints[0].last?.status).toBe('PENDING')
    expect(result.attempts).toBe(5)
    expect(result.message).toMatch(/Waited 34\.5 s/)
  })

  it('uses the whole budget when the interval is as long as the timeout (timeout 5 s, interval 5 s)', async () => {
    standin = await startStandin({ script: [pending(), { status: 'AVAILABLE' }] })
    const clock = new FakeClock()
    const result = await waitAgainst(standin, { clock, budgetMs: 5_000, intervalMs: 5_000 })
    expect(clock.sleeps).toEqual([4_500])
    expect(result.outcome).toBe('reached')
    expect(result.attempts).toBe(2)
  })
})
