import { renewalMarginMs, ServiceAccountAuthenticator } from '../../src/auth/service-account.js'
import type { BufferedResponse, Send } from '../../src/http/transport.js'
import { FakeClock, recordingLog } from '../helpers/fake-clock.js'

/**
 * The authenticator against an in-memory token endpoint and API (a fake Send) on a fake clock:
 * when tokens are asked for, what each request carries, in which order things happen. The
 * same behaviour over real HTTP against the stand-in is in the integration suite.
 */

const CLIENT_ID = 'mdb_sa_id_0123456789abcdef01234567'
const SECRET = 'mdb_sa_sk_a:b_c'
/** `printf 'mdb_sa_id_0123456789abcdef01234567:mdb_sa_sk_a:b_c' | base64`: raw strings, nothing encoded first. */
const BASIC = 'Basic bWRiX3NhX2lkXzAxMjM0NTY3ODlhYmNkZWYwMTIzNDU2NzptZGJfc2Ffc2tfYTpiX2M='
const ORIGIN = 'https://cloud.mongodb.com'
const READ_URL = `${ORIGIN}/api/atlas/v2/groups/x`
/** Makes the fake tokens as long as a real one must be (16 characters at least). */
const TAIL = '-abcdefghijklmnop'

function response(status: number, body = '', headers: Record<string, string> = {}): BufferedResponse {
  const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]))
  return {
    status,
    statusText: '',
    headers: { get: name => lower.get(name.toLowerCase()) ?? null },
    text: async () => body
  }
}

interface Sent {
  url: string
  headers: Record<string, string>
  body?: string
}

/** A token endpoint handing out tok-1, tok-2... with the given expires_in, and an API that takes any token. */
function setup(
  options: { expiresIn?: unknown; tokenBody?: (n: number) => string; read?: (token: string) => number } = {}
) {
  const clock = new FakeClock()
  const log = recordingLog()
  const events: string[] = []
  const sent: Sent[] = []
  let issued = 0
  const send: Send = async (url, init) => {
    const headers = init.headers as Record<string, string>
    sent.push({ url, headers, body: init.body as string | undefined })
    if (url.endsWith('/api/oauth/token')) {
      issued += 1
      events.push(`token request`)
      const body =
        options.tokenBody?.(issued) ??
        JSON.stringify({
          access_token: `tok-${issued}${TAIL}`,
          token_type: 'Bearer',
          ...('expiresIn' in options ? { expires_in: options.expiresIn } : { expires_in: 3600 })
        })
      return response(200, body)
    }
    events.push(`read with ${headers.Authorization}`)
    return response(options.read?.(headers.Authorization) ?? 200, '{}')
  }
  const revokes: Sent[] = []
  const revokeSend: Send = async (url, init) => {
    revokes.push({ url, headers: init.headers as Record<string, string>, body: init.body as string })
    return response(200)
  }
  const auth = new ServiceAccountAuthenticator({
    clientId: CLIENT_ID,
    clientSecret: SECRET,
    origin: ORIGIN,
    send,
    revokeSend,
    mask: secret => void events.push(`mask ${secret}`),
    log,
    now: () => clock.now()
  })
  const tokenRequests = () => sent.filter(s => s.url.endsWith('/api/oauth/token')).length
  return { auth, clock, log, events, sent, revokes, tokenRequests }
}

describe('renewalMarginMs', () => {
  it('is a minute for a 1 h token, and a tenth of the life of a token shorter than 10 min', () => {
    expect(renewalMarginMs(3_600_000)).toBe(60_000)
    expect(renewalMarginMs(86_400_000)).toBe(60_000)
    expect(renewalMarginMs(600_000)).toBe(60_000)
    expect(renewalMarginMs(300_000)).toBe(30_000)
    expect(renewalMarginMs(10_000)).toBe(1_000)
  })
})

describe('ServiceAccountAuthenticator', () => {
  it('asks for nothing until the first request, then gets one token and masks it before using it', async () => {
    const { auth, events, sent } = setup()
    expect(sent).toHaveLength(0)
    expect(auth.kind).toBe('service-account')
    expect(auth.publicId).toBe(CLIENT_ID)

    await auth.send(READ_URL, { method: 'GET', headers: { Accept: 'application/json' } })
    await auth.send(READ_URL, { method: 'GET' })
    expect(events).toEqual([
      `mask ${BASIC.slice('Basic '.length)}`,
      'token request',
      `mask tok-1${TAIL}`,
      `read with Bearer tok-1${TAIL}`,
      `read with Bearer tok-1${TAIL}`
    ])
    expect(sent[1].headers).toMatchObject({
      Accept: 'application/json',
      Authorization: `Bearer tok-1${TAIL}`
    })
  })

  it('asks for a token exactly as Atlas documents, the Basic header built from the raw ID and secret', async () => {
    const { auth, sent } = setup()
    await auth.send(READ_URL, {})
    expect(sent[0]).toEqual({
      url: 'https://cloud.mongodb.com/api/oauth/token',
      headers: {
        Authorization: BASIC,
        'Content-Type': 'application/x-www-form-urlencoded',
        Accept: 'application/json',
        'User-Agent': expect.stringMatching(/^atlas-privatelink-endpoint-status\//)
      },
      body: 'grant_type=client_credentials'
    })
  })

  it('takes only the origin of a full base-url (Atlas for Government too)', async () => {
    const { sent } = setup()
    const auth = new ServiceAccountAuthenticator({
      clientId: CLIENT_ID,
      clientSecret: SECRET,
      origin: 'https://cloud.mongodbgov.com/api/atlas/v2',
      send: async (url, init) => (
        sent.push({ url, headers: {}, body: init.body as string }),
        response(200, `{"access_token":"t${TAIL}","token_type":"bearer","expires_in":3600}`)
      ),
      revokeSend: async () => response(200),
      mask: () => undefined,
      log: recordingLog(),
      now: () => 0
    })
    await auth.send('https://cloud.mongodbgov.com/api/atlas/v2/x', {})
    expect(sent[0].url).toBe('https://cloud.mongodbgov.com/api/oauth/token')
  })

  it('renews a 1 h token a minute before it expires, not earlier', async () => {
    const { auth, clock, tokenRequests } = setup()
    await auth.send(READ_URL, {})
    clock.advance(3_540_000 - 1)
    await auth.send(READ_URL, {})
    expect(tokenRequests()).toBe(1)
    clock.advance(1)
    await auth.send(READ_URL, {})
    expect(tokenRequests()).toBe(2)
  })

  it('uses a short token for nine tenths of its life', async () => {
    const { auth, clock, tokenRequests, events } = setup({ expiresIn: 10 })
    await auth.send(READ_URL, {})
    clock.advance(8_999)
    await auth.send(READ_URL, {})
    clock.advance(1)
    await auth.send(READ_URL, {})
    expect(tokenRequests()).toBe(2)
    expect(events.filter(e => e.startsWith('read'))).toEqual([
      `read with Bearer tok-1${TAIL}`,
      `read with Bearer tok-1${TAIL}`,
      `read with Bearer tok-2${TAIL}`
    ])
  })

  it('counts from when the token was asked for, so a slow answer does not stretch its life', async () => {
    const clock = new FakeClock()
    let requests = 0
    const auth = new ServiceAccountAuthenticator({
      clientId: CLIENT_ID,
      clientSecret: SECRET,
      origin: ORIGIN,
      send: async url => {
        if (!url.endsWith('/token')) return response(200)
        requests += 1
        clock.advance(20_000) // the token endpoint took 20 s
        return response(
          200,
          JSON.stringify({ access_token: `t${requests}${TAIL}`, token_type: 'Bearer', expires_in: 3600 })
        )
      },
      revokeSend: async () => response(200),
      mask: () => undefined,
      log: recordingLog(),
      now: () => clock.now()
    })
    await auth.send(READ_URL, {})
    clock.advance(3_540_000 - 20_000)
    await auth.send(READ_URL, {})
    expect(requests).toBe(2)
  })

  it.each([[undefined], ['soon'], [0], [-5]])(
    'takes a token without a usable expires_in (%p) for 1 h',
    async expiresIn => {
      const { auth, clock, tokenRequests } = setup({ expiresIn })
      await auth.send(READ_URL, {})
      clock.advance(3_539_000)
      await auth.send(READ_URL, {})
      expect(tokenRequests()).toBe(1)
    }
  )

  it('shares one token request between requests made at the same time', async () => {
    const { auth, tokenRequests } = setup()
    await Promise.all([auth.send(READ_URL, {}), auth.send(READ_URL, {}), auth.send(READ_URL, {})])
    expect(tokenRequests()).toBe(1)
  })

  it('replaces a refused token once and repeats the request once', async () => {
    const { auth, events } = setup({
      read: authorization => (authorization === `Bearer tok-1${TAIL}` ? 401 : 200)
    })
    expect((await auth.send(READ_URL, {})).status).toBe(200)
    expect(events.filter(e => !e.startsWith('mask'))).toEqual([
      'token request',
      `read with Bearer tok-1${TAIL}`,
      'token request',
      `read with Bearer tok-2${TAIL}`
    ])
  })

  it('revokes a replaced token when it is replaced, the last one at close, once, and sends nothing more', async () => {
    const { auth, clock, revokes, log } = setup({ expiresIn: 10 })
    await auth.send(READ_URL, {})
    clock.advance(9_000)
    await auth.send(READ_URL, {})
    expect(revokes.map(r => r.body)).toEqual([`token=tok-1${TAIL}&token_type_hint=access_token`])
    await auth.close()
    await auth.close()
    expect(revokes).toEqual([
      expect.objectContaining({ body: `token=tok-1${TAIL}&token_type_hint=access_token` }),
      {
        url: 'https://cloud.mongodb.com/api/oauth/revoke',
        headers: expect.objectContaining({
          Authorization: BASIC,
          'Content-Type': 'application/x-www-form-urlencoded'
        }),
        body: `token=tok-2${TAIL}&token_type_hint=access_token`
      }
    ])
    expect(log.text('debug')).toMatch(/Revoked an access token of service account mdb_sa_id_/)
    expect(auth.closeNote).toBeUndefined()
    await expect(auth.send(READ_URL, {})).rejects.toThrow(/closed/)
  })

  it('revokes nothing when it never got a token', async () => {
    const { auth, revokes } = setup()
    await auth.close()
    expect(revokes).toHaveLength(0)
  })

  it.each([
    [
      'a refused revoke',
      async () =>
        response(401, '{"error":"invalid_client","error_description":"Invalid credentials provided."}'),
      /answered HTTP 401 \(invalid_client\)/
    ],
    ['a failed revoke', async () => Promise.reject(new Error('socket hang up')), /socket hang up/]
  ])('turns %s into a warning and never throws', async (_, revokeSend, message) => {
    const log = recordingLog()
    const auth = new ServiceAccountAuthenticator({
      clientId: CLIENT_ID,
      clientSecret: SECRET,
      origin: ORIGIN,
      send: async url =>
        url.endsWith('/token')
          ? response(200, `{"access_token":"tok${TAIL}","token_type":"Bearer","expires_in":3600}`)
          : response(200),
      revokeSend,
      mask: () => undefined,
      log,
      now: () => 0
    })
    await auth.send(READ_URL, {})
    await expect(auth.close()).resolves.toBeUndefined()
    expect(log.lines.filter(l => l.level === 'warning')).toEqual([
      { level: 'warning', message: expect.stringMatching(message), title: 'Atlas service account' }
    ])
    expect(log.text()).toMatch(
      /Could not revoke this run's access token \(.*\): a token not revoked expires by itself within the hour/
    )
    expect(auth.closeNote).toMatch(/^Could not revoke this run's access token/)
  })
})

it('keeps the token and the secret out of a warning about a revoke answer that echoes them', async () => {
  const log = recordingLog()
  const token = 'eyJhbGciOiJSUzI1NiJ9.payload.signature'
  const auth = new ServiceAccountAuthenticator({
    clientId: CLIENT_ID,
    clientSecret: SECRET,
    origin: ORIGIN,
    send: async url =>
      url.endsWith('/token')
        ? response(200, JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 3600 }))
        : response(200),
    revokeSend: async () =>
      response(
        400,
        JSON.stringify({ error: 'invalid_request', error_description: `bad ${token} for ${SECRET}` })
      ),
    mask: () => undefined,
    log,
    now: () => 0
  })
  await auth.send(READ_URL, {})
  await auth.close()
  expect(log.text('warning')).toMatch(/answered HTTP 400 \(invalid_request\): "bad \*\*\* for \*\*\*"/)
  expect(log.text()).not.toContain(token)
  expect(log.text()).not.toContain(SECRET)
})
