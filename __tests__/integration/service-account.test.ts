import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { ServiceAccountAuthenticator } from '../../src/auth/service-account.js'
import { Deadline } from '../../src/common/clock.js'
import {
  AtlasApiError,
  CancelledError,
  DeadlineError,
  ResponseFormatError,
  TransientError
} from '../../src/common/errors.js'
import { nodeHttpFetch } from '../../src/http/node-http.js'
import { createTransport } from '../../src/http/transport.js'
import { backoffDelay, withRetries } from '../../src/wait/retry.js'
import { OAuthStandin, type OAuthStandinOptions } from '../../standin/oauth-standin.js'
import { FakeClock, recordingLog } from '../helpers/fake-clock.js'

/**
 * The service account over real HTTP: the authenticator, the project's transport and node:http
 * against the OAuth stand-in behind a small node:http server on 127.0.0.1, which also serves
 * one protected resource that checks the bearer token. The stand-in and the authenticator
 * share a fake clock, so a day of token lifetimes passes in a second.
 */

const CLIENT_ID = 'mdb_sa_id_0123456789abcdef01234567'
const SECRET = 'mdb_sa_sk_3f9c2a7e5b1d4c8a9e6f0b2d7c4a1e8f'
const RESOURCE = '/api/atlas/v2/groups/5f1a2b3c4d5e6f7a8b9c0d1e/privateEndpoint/AWS/endpointService/x'
const UNAUTHORIZED =
  '{"error":401,"reason":"Unauthorized","detail":"You are not authorized for this resource.","errorCode":"UNAUTHORIZED"}'

interface Server {
  origin: string
  url: string
  /** Every request the server saw, in order: "token 200", "read 401", "revoke 200"... */
  seen: string[]
  refuseReads: boolean
  hangRevoke: boolean
  close(): Promise<void>
}

async function startServer(oauth: OAuthStandin): Promise<Server> {
  const sockets = new Set<import('node:net').Socket>()
  const state: Omit<Server, 'origin' | 'url' | 'close'> = { seen: [], refuseReads: false, hangRevoke: false }
  const server = http.createServer((request, response) => {
    let body = ''
    request.setEncoding('utf8')
    request.on('data', chunk => (body += chunk))
    request.on('end', () => {
      if (state.hangRevoke && request.url === '/api/oauth/revoke')
        return void state.seen.push('revoke (no answer)')
      if (oauth.handle(request, body, response)) {
        const last = oauth.requests.at(-1)
        return void state.seen.push(`${last?.path.slice('/api/oauth/'.length)} ${last?.status}`)
      }
      const check = oauth.verify(request.headers.authorization)
      const status = request.url !== RESOURCE ? 404 : check.ok && !state.refuseReads ? 200 : 401
      state.seen.push(`read ${status}`)
      response.writeHead(status, { 'Content-Type': 'application/json' })
      response.end(status === 200 ? '{"connectionStatus":"AVAILABLE"}' : UNAUTHORIZED)
    })
  })
  server.on('connection', socket => (sockets.add(socket), socket.on('close', () => sockets.delete(socket))))
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return Object.assign(state, {
    origin,
    url: `${origin}${RESOURCE}`,
    close: () =>
      new Promise<void>(resolve => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      })
  })
}

interface Setup {
  oauth?: Partial<OAuthStandinOptions>
  clientId?: string
  clientSecret?: string
  signal?: AbortSignal
  budgetMs?: number
  closeTimeoutMs?: number
}

let server: Server | undefined
afterEach(async () => server?.close())

/** The stand-in, the server and an authenticator wired as main.ts wires it. */
async function setup(options: Setup = {}) {
  const clock = new FakeClock()
  const account = { clientId: options.clientId ?? CLIENT_ID, clientSecret: options.clientSecret ?? SECRET }
  const oauth = new OAuthStandin({ accounts: [account], now: () => clock.now(), ...options.oauth })
  server = await startServer(oauth)
  const log = recordingLog()
  const masked: string[] = []
  const auth = new ServiceAccountAuthenticator({
    ...account,
    origin: server.origin,
    send: createTransport({
      fetch: nodeHttpFetch,
      requestTimeoutMs: 5_000,
      deadline: new Deadline(clock, clock.now(), options.budgetMs ?? 2 * 86_400_000),
      signal: options.signal ?? new AbortController().signal
    }),
    // Tied neither to the run's signal nor to its deadline, as main.ts builds it.
    revokeSend: createTransport({
      fetch: nodeHttpFetch,
      requestTimeoutMs: 2_000,
      deadline: new Deadline(clock, clock.now(), Number.POSITIVE_INFINITY),
      signal: new AbortController().signal
    }),
    mask: secret => void masked.push(secret),
    log,
    now: () => clock.now(),
    closeTimeoutMs: options.closeTimeoutMs
  })
  const read = async () =>
    (await auth.send(server!.url, { method: 'GET', headers: { Accept: 'application/json' } })).status
  return { auth, oauth, server, clock, log, masked, read }
}

/** Reads every `intervalMs` for `durationMs` (both ends included), then ends the session. */
async function poll(s: Awaited<ReturnType<typeof setup>>, durationMs: number, intervalMs: number) {
  const statuses: number[] = []
  for (let t = 0; t <= durationMs; t += intervalMs) {
    statuses.push(await s.read())
    s.clock.advance(intervalMs)
  }
  await s.auth.close()
  return statuses
}

const count = (seen: string[], what: string) => seen.filter(entry => entry.startsWith(what)).length

/** Neither the secret, nor its Basic encoding, nor any token issued, in any of these texts. */
function expectNoSecrets(texts: string[], oauth: OAuthStandin, secret = SECRET) {
  const all = texts.join('\n')
  const basic = Buffer.from(`${CLIENT_ID}:${secret}`).toString('base64')
  for (const forbidden of [secret, basic, ...oauth.issuedTokens()]) expect(all).not.toContain(forbidden)
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e
  )
  if (!(error instanceof Error)) throw new Error('expected the promise to reject')
  return error
}

describe('a run with a service account', () => {
  it('gets one token, masks it, uses it for every read, and revokes it at the end', async () => {
    const s = await setup()
    const statuses = await poll(s, 5 * 60_000, 10_000)
    expect(statuses).toHaveLength(31)
    expect(statuses.every(status => status === 200)).toBe(true)
    expect(s.server.seen).toEqual(['token 200', ...Array(31).fill('read 200'), 'revoke 200'])
    expect(s.masked).toContain(s.oauth.issuedTokens()[0])
    expect(s.oauth.activeTokens()).toBe(0)
    expect(s.oauth.verify(`Bearer ${s.oauth.issuedTokens()[0]}`)).toEqual({
      ok: false,
      reason: 'token revoked'
    })
    expectNoSecrets(
      s.log.lines.map(l => l.message),
      s.oauth
    )
  })

  it('outlives short tokens at one token request per lifetime: 15 min of 5-min tokens, a read a minute', async () => {
    const s = await setup({ oauth: { expiresInSeconds: 300 } })
    const statuses = await poll(s, 15 * 60_000, 60_000)
    // Reads at 0..15 min; tokens at 0, 5, 10 and 15 min (each replaced 30 s before it expires),
    // each revoked: the replaced ones when replaced, the last at the end.
    expect(statuses).toEqual(Array(16).fill(200))
    expect(count(s.server.seen, 'token')).toBe(4)
    expect(count(s.server.seen, 'read')).toBe(16)
    expect(count(s.server.seen, 'revoke 200')).toBe(4)
    expect(s.server.seen).toHaveLength(4 + 16 + 4)
    expect(s.oauth.activeTokens()).toBe(0)
  })

  it('waits 24 h on 1 h tokens with 25 token requests, 289 reads and 25 revokes, never refused', async () => {
    const s = await setup()
    const statuses = await poll(s, 86_400_000, 300_000)
    expect(statuses.every(status => status === 200)).toBe(true)
    // A token is replaced from 59 min on, so at the read on each hour: tokens at 0, 1, ..., 24 h.
    expect(count(s.server.seen, 'token')).toBe(25)
    expect(count(s.server.seen, 'read')).toBe(289)
    expect(count(s.server.seen, 'revoke 200')).toBe(25)
    expect(s.server.seen).toHaveLength(25 + 289 + 25)
    expect(s.oauth.activeTokens()).toBe(0)
    expectNoSecrets(
      s.log.lines.map(l => l.message),
      s.oauth
    )
  })

  it('renews a token rejected mid-run once, and repeats that read once', async () => {
    const s = await setup()
    expect(await s.read()).toBe(200)
    s.oauth.invalidateAll()
    expect(await s.read()).toBe(200)
    expect(await s.read()).toBe(200)
    await s.auth.close()
    // The refused token is revoked as it is replaced (alongside the new token request).
    expect(s.server.seen.filter(entry => !entry.startsWith('revoke'))).toEqual([
      'token 200',
      'read 200',
      'read 401',
      'token 200',
      'read 200',
      'read 200'
    ])
    expect(count(s.server.seen, 'revoke 200')).toBe(2)
    expect(s.oauth.activeTokens()).toBe(0)
  })

  it('hands back the second 401 (the credentials error) after one new token, and still revokes', async () => {
    const s = await setup()
    s.server.refuseReads = true
    expect(await s.read()).toBe(401)
    await s.auth.close()
    expect(s.server.seen.filter(entry => !entry.startsWith('revoke'))).toEqual([
      'token 200',
      'read 401',
      'token 200',
      'read 401'
    ])
    expect(count(s.server.seen, 'revoke 200')).toBe(2)
  })

  it('eight reads at once share one token; a 401 storm on it renews it once, and the refused token is revoked', async () => {
    const s = await setup()
    expect(await Promise.all(Array.from({ length: 8 }, () => s.read()))).toEqual(Array(8).fill(200))
    s.oauth.invalidateAll()
    expect(await Promise.all(Array.from({ length: 8 }, () => s.read()))).toEqual(Array(8).fill(200))
    await s.auth.close()
    expect(count(s.server.seen, 'token')).toBe(2)
    expect(count(s.server.seen, 'read 401')).toBe(8)
    expect(count(s.server.seen, 'read 200')).toBe(16)
    expect(count(s.server.seen, 'revoke 200')).toBe(2)
    expect(s.oauth.activeTokens()).toBe(0)
  })

  it('revokes its token after a cancelled run, whose own requests stop', async () => {
    const cancel = new AbortController()
    const s = await setup({ signal: cancel.signal })
    expect(await s.read()).toBe(200)
    cancel.abort(new CancelledError('SIGTERM'))
    expect(await failure(s.read())).toBeInstanceOf(CancelledError)
    await s.auth.close()
    expect(s.server.seen).toEqual(['token 200', 'read 200', 'revoke 200'])
    expect(s.oauth.activeTokens()).toBe(0)
  })

  it('revokes its token after a run that reached its deadline', async () => {
    const s = await setup({ budgetMs: 60_000 })
    expect(await s.read()).toBe(200)
    s.clock.advance(60_000)
    expect(await failure(s.read())).toBeInstanceOf(DeadlineError)
    await s.auth.close()
    expect(s.server.seen).toEqual(['token 200', 'read 200', 'revoke 200'])
  })

  it('gives up on a revoke that gets no answer after closeTimeoutMs, with a warning', async () => {
    const s = await setup({ closeTimeoutMs: 200 })
    await s.read()
    s.server.hangRevoke = true
    const started = performance.now()
    await expect(s.auth.close()).resolves.toBeUndefined()
    expect(performance.now() - started).toBeLessThan(1_000)
    expect(s.log.text('warning')).toMatch(/Revoking this run's access token took more than 0\.2 s/)
  })

  it('sends no revoke when no token was ever obtained', async () => {
    const s = await setup({
      clientSecret: SECRET,
      oauth: { accounts: [{ clientId: CLIENT_ID, clientSecret: 'other' }] }
    })
    await failure(s.read())
    await s.auth.close()
    expect(s.server.seen).toEqual(['token 401'])
  })
})

describe('what the token endpoint says, and what the step says', () => {
  it('wrong secret: invalid_client, and where to rotate it', async () => {
    const s = await setup({
      oauth: { accounts: [{ clientId: CLIENT_ID, clientSecret: 'mdb_sa_sk_rotated' }] }
    })
    const error = await failure(s.read())
    expect(error).toBeInstanceOf(AtlasApiError)
    expect(error).toMatchObject({ httpStatus: 401, errorCode: 'invalid_client' })
    expect(error.message).toBe(
      'The Atlas token endpoint answered HTTP 401 (invalid_client): "Invalid credentials provided." The client ID or secret is wrong, or the secret has expired: create a new secret under Organization Access Manager → Service Accounts in Atlas and update the client-secret secret.'
    )
    expect(s.oauth.requests).toEqual([expect.objectContaining({ status: 401, refused: 'wrong secret' })])
    expect(count(s.server.seen, 'read')).toBe(0)
    expectNoSecrets([error.message, JSON.stringify(s.oauth.requests)], s.oauth)
    expectNoSecrets([JSON.stringify(s.oauth.requests)], s.oauth, 'mdb_sa_sk_rotated')
  })

  it('token limit: 100 active tokens, who holds them, and what to do', async () => {
    const s = await setup()
    for (let i = 0; i < 100; i++) {
      const answer = await fetch(`${s.server.origin}/api/oauth/token`, {
        method: 'POST',
        headers: {
          Authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${SECRET}`).toString('base64')}`,
          'Content-Type': 'application/x-www-form-urlencoded'
        },
        body: 'grant_type=client_credentials'
      })
      expect(answer.status).toBe(200)
    }
    const error = await failure(s.read())
    expect(error).toBeInstanceOf(AtlasApiError)
    expect(error).toMatchObject({ httpStatus: 403, errorCode: 'access_denied' })
    expect(error.message).toMatch(
      /^The Atlas token endpoint answered HTTP 403 \(access_denied\): "Access Token limit reached/
    )
    expect(error.message).toMatch(
      /already holds 100 active access tokens.*revokes its token at the end of every run.*wait for them to expire \(1 h after they were issued\) or revoke them/
    )
    // An hour later they have expired, and the same run goes on.
    s.clock.advance(3_600_000)
    expect(await s.read()).toBe(200)
    expectNoSecrets([error.message], s.oauth)
  })

  it.each([
    ['with Retry-After', '7', 7_000, 7_000],
    ['without Retry-After', undefined, undefined, 10_000]
  ])(
    '429 %s: transient, rate limited, retried after the right delay',
    async (_, retryAfter, retryAfterMs, delay) => {
      const s = await setup({ oauth: { script: [{ status: 429, retryAfter }] } })
      const error = await failure(s.read())
      expect(error).toBeInstanceOf(TransientError)
      expect(error).toMatchObject({ rateLimited: true, retryAfterMs })
      expect(error.message).toMatch(
        /^The Atlas token endpoint answered HTTP 429 \(RATE_LIMITED\).*about 50 token requests a minute/
      )
      expect(backoffDelay(error as TransientError, 1, 1, () => 0.5)).toBe(delay)
    }
  )

  it('429 then a token, inside the read loop: one pause of Retry-After, then the read', async () => {
    const s = await setup({ oauth: { script: [{ status: 429, retryAfter: '3' }] } })
    const retried: number[] = []
    const status = await withRetries(s.read, {
      maxRetries: 5,
      clock: s.clock,
      deadline: new Deadline(s.clock, s.clock.now(), 60_000),
      signal: new AbortController().signal,
      random: () => 0.5,
      onRetry: ({ delayMs }) => void retried.push(delayMs)
    })
    expect(status).toBe(200)
    expect(retried).toEqual([3_000])
    expect(s.clock.sleeps).toEqual([3_000])
    expect(s.server.seen).toEqual(['token 429', 'token 200', 'read 200'])
  })

  it('5xx: transient, and a secret echoed in its body is not repeated', async () => {
    const body = JSON.stringify({
      error: 503,
      errorCode: 'SERVICE_UNAVAILABLE',
      detail: `bad client ${SECRET}`
    })
    const s = await setup({ oauth: { script: [{ status: 503, body }] } })
    const error = await failure(s.read())
    expect(error).toBeInstanceOf(TransientError)
    expect(error.message).toBe(
      'The Atlas token endpoint answered HTTP 503 (SERVICE_UNAVAILABLE): "bad client ***".'
    )
    expectNoSecrets([error.message], s.oauth)
  })

  it('a network fault: transient', async () => {
    const s = await setup()
    await s.server.close()
    const error = await failure(s.read())
    expect(error).toBeInstanceOf(TransientError)
    expect(error.message).toMatch(/ECONNREFUSED/)
  })

  it.each([
    [
      'an HTML page',
      { status: 200, body: '<html>Sign in to the hotel Wi-Fi</html>', contentType: 'text/html' },
      /something that is not JSON \(text\/html, 39 characters\)/
    ],
    [
      'JSON without a token',
      { status: 200, body: '{"error":"nope"}' },
      /JSON without an access_token \(fields: "error"\)/
    ],
    [
      'a token that is not Bearer',
      { status: 200, body: '{"access_token":"abcdefghijklmnop0123","token_type":"mac"}' },
      /a token of type "mac"; this action only knows Bearer tokens/
    ]
  ])('a 200 with %s: a format error that names what came, not what was in it', async (_, step, message) => {
    const s = await setup({ oauth: { script: [step] } })
    const error = await failure(s.read())
    expect(error).toBeInstanceOf(ResponseFormatError)
    expect(error.message).toMatch(message)
    expect(error.message).toMatch(/A proxy, captive portal or wrong base-url/)
    expect(error.message).not.toContain('hotel')
  })

  it('a redirect: not followed, so the secret goes nowhere else', async () => {
    const s = await setup({ oauth: { script: [{ status: 302, body: '' }] } })
    const error = await failure(s.read())
    expect(error).toBeInstanceOf(AtlasApiError)
    expect(error.message).toMatch(/HTTP 302.*does not follow redirects/)
  })
})

describe('the OAuth stand-in', () => {
  it('takes Basic credentials built from the raw strings: "_", ":" and non-ASCII in the secret', async () => {
    const secret = 'mdb_sa_sk_a:b:c_é€%2F+'
    const s = await setup({ clientSecret: secret })
    expect(await s.read()).toBe(200)
    await s.auth.close()
    expect(s.server.seen).toEqual(['token 200', 'read 200', 'revoke 200'])
    expectNoSecrets([...s.log.lines.map(l => l.message), JSON.stringify(s.oauth.requests)], s.oauth, secret)
  })

  it('refuses credentials that were form-encoded before base64 (RFC 6749 style), as Atlas does', async () => {
    const s = await setup({ clientSecret: 'mdb_sa_sk_a:b' })
    const encoded = `${encodeURIComponent(CLIENT_ID)}:${encodeURIComponent('mdb_sa_sk_a:b')}`
    const answer = await fetch(`${s.server.origin}/api/oauth/token`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(encoded).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded'
      },
      body: 'grant_type=client_credentials'
    })
    expect(answer.status).toBe(401)
    expect(await answer.json()).toEqual({
      error: 'invalid_client',
      error_description: 'Invalid credentials provided.'
    })
  })

  it.each([
    ['a JSON body', 'application/json', '{"grant_type":"client_credentials"}', 400, 'invalid_request'],
    ['no grant_type', 'application/x-www-form-urlencoded', 'scope=x', 400, 'invalid_request'],
    [
      'another grant',
      'application/x-www-form-urlencoded',
      'grant_type=password',
      400,
      'unsupported_grant_type'
    ]
  ])('refuses %s', async (_, contentType, body, status, code) => {
    const s = await setup()
    const answer = await fetch(`${s.server.origin}/api/oauth/token`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${SECRET}`).toString('base64')}`,
        'Content-Type': contentType
      },
      body
    })
    expect(answer.status).toBe(status)
    expect(await answer.json()).toMatchObject({ error: code })
  })

  it('expires tokens by its own clock, and issues tokens with the expires_in asked for', async () => {
    const s = await setup({ oauth: { expiresInSeconds: 5 } })
    expect(await s.read()).toBe(200)
    const [token] = s.oauth.issuedTokens()
    s.clock.advance(4_999)
    expect(s.oauth.verify(`Bearer ${token}`)).toMatchObject({ ok: true, clientId: CLIENT_ID })
    s.clock.advance(1)
    expect(s.oauth.verify(`Bearer ${token}`)).toEqual({ ok: false, reason: 'token expired' })
    expect(s.oauth.verify(undefined)).toEqual({ ok: false, reason: 'no bearer token' })
    expect(s.oauth.verify('Bearer nope')).toEqual({ ok: false, reason: 'unknown token' })
  })
})
