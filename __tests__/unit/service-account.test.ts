import { renewalMarginMs, ServiceAccountAuthenticator } from '../../src/auth/service-account.js'
import { UnusableTokenError } from '../../src/auth/token-answer.js'
import { AtlasApiError, ResponseFormatError, TransientError } from '../../src/common/errors.js'
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

describe('bounded tokens', () => {
  const token = (n: number) => `tok-${n}${TAIL}`

  it('expires_in 0.001 cannot start a storm: scheduled renewals at most once per 5 s', async () => {
    const { auth, clock, tokenRequests, revokes } = setup({ expiresIn: 0.001 })
    for (let i = 0; i < 50; i++) {
      await auth.send(READ_URL, {})
      clock.advance(120) // 50 reads in 6 s
    }
    expect(tokenRequests()).toBe(2)
    await auth.close()
    expect(revokes).toHaveLength(2)
  })

  it('eight sends at once share one token; a 401 to all eight renews it once', async () => {
    const { auth, tokenRequests, revokes, events } = setup({
      read: authorization => (authorization === `Bearer ${token(1)}` ? 401 : 200)
    })
    const statuses = await Promise.all(
      Array.from({ length: 8 }, async () => (await auth.send(READ_URL, {})).status)
    )
    expect(statuses).toEqual(Array(8).fill(200))
    expect(tokenRequests()).toBe(2)
    expect(events.filter(e => e === `read with Bearer ${token(2)}`)).toHaveLength(8)
    expect(revokes.map(r => r.body)).toEqual([`token=${token(1)}&token_type_hint=access_token`])
  })

  it('renews on a 401 at most 10 times a run, then fails naming the token endpoint, having revoked every token', async () => {
    let reads = 0
    // Every other read is refused, whatever the token: as in the issue, 401 every other time.
    const { auth, tokenRequests, revokes } = setup({ read: () => (++reads % 2 === 1 ? 401 : 200) })
    for (let i = 0; i < 10; i++) expect((await auth.send(READ_URL, {})).status).toBe(200)
    expect(tokenRequests()).toBe(11)
    const error = await auth.send(READ_URL, {}).then(
      () => undefined,
      (e: unknown) => e
    )
    expect(error).toBeInstanceOf(AtlasApiError)
    expect((error as Error).message).toMatch(
      /^Atlas refused 11 access tokens of service account mdb_sa_id_\w+ \(HTTP 401\) soon after the token endpoint \(https:\/\/cloud\.mongodb\.com\/api\/oauth\/token\) issued them/
    )
    expect(tokenRequests()).toBe(11)
    await auth.close()
    expect(revokes).toHaveLength(11)
  })

  it.each([
    ['one character', 'e', /it is 1 character long/],
    ['15 characters', 'x'.repeat(15), /it is 15 characters long/],
    ['16,385 characters', 'x'.repeat(16_385), /it is 16385 characters long/],
    ['1,000,000 characters', 'x'.repeat(1_000_000), /it is 1000000 characters long/],
    ['a CR LF', `abcdefgh\r\nijklmnopq`, /it holds a line break/],
    ['a space', 'abcdefgh ijklmnopq', /it holds white space/],
    ['a Latin-1 letter', 'abcdefghéijklmnopq', /control or non-ASCII/],
    ['a character outside Latin-1', 'abcdefgh€ijklmnopq', /outside Latin-1/]
  ])(
    'a token of %s: a token-endpoint format error, not retried, never masked, never sent',
    async (_, value, why) => {
      const { auth, events, sent } = setup({
        tokenBody: () => JSON.stringify({ access_token: value, token_type: 'Bearer', expires_in: 3600 })
      })
      const error = await auth.send(READ_URL, {}).then(
        () => undefined,
        (e: unknown) => e as Error
      )
      expect(error).toBeInstanceOf(UnusableTokenError)
      expect(error).toBeInstanceOf(ResponseFormatError)
      expect(error).not.toBeInstanceOf(TransientError)
      expect(error?.message).toMatch(why)
      expect(error?.message).toMatch(/cannot be sent in an HTTP header/)
      if (value.length >= 8) expect(error?.message).not.toContain(value)
      expect(events.filter(e => e.startsWith('mask tok') || e === `mask ${value}`)).toEqual([])
      expect(sent.filter(s => !s.url.endsWith('/token'))).toHaveLength(0)
    }
  )

  it.each([['Bearer\r\n'], ['Bearer '], ['mac'], [' bearer']])(
    'token_type %j: refused as it came, and the token it came with is revoked',
    async type => {
      const { auth, revokes } = setup({
        tokenBody: n => JSON.stringify({ access_token: token(n), token_type: type, expires_in: 3600 })
      })
      const error = await auth.send(READ_URL, {}).then(
        () => undefined,
        (e: unknown) => e as Error
      )
      expect(error).toBeInstanceOf(ResponseFormatError)
      expect(error?.message).toContain(`a token of type ${JSON.stringify(type)}`)
      await auth.close()
      expect(revokes.map(r => r.body)).toEqual([`token=${token(1)}&token_type_hint=access_token`])
    }
  )

  it('takes BEARER and bearer alike', async () => {
    const { auth } = setup({
      tokenBody: n => JSON.stringify({ access_token: token(n), token_type: 'BEARER', expires_in: 3600 })
    })
    expect((await auth.send(READ_URL, {})).status).toBe(200)
  })
})

describe('close()', () => {
  function hanging(closeTimeoutMs?: number) {
    const log = recordingLog()
    const auth = new ServiceAccountAuthenticator({
      clientId: CLIENT_ID,
      clientSecret: SECRET,
      origin: ORIGIN,
      send: async url =>
        url.endsWith('/token')
          ? response(
              200,
              JSON.stringify({ access_token: `tok${TAIL}`, token_type: 'Bearer', expires_in: 3600 })
            )
          : response(200),
      revokeSend: () => new Promise<BufferedResponse>(() => undefined),
      mask: () => undefined,
      log,
      now: () => 0,
      closeTimeoutMs
    })
    return { auth, log }
  }

  it('a hanging revoke: one warning, naming the fixed limit', async () => {
    const { auth, log } = hanging(100)
    await auth.send(READ_URL, {})
    await auth.close()
    expect(log.lines.filter(l => l.level === 'warning')).toEqual([
      {
        level: 'warning',
        message: expect.stringMatching(
          /^Revoking this run's access token took more than 0\.1 s \(a fixed limit\)/
        ),
        title: 'Atlas service account'
      }
    ])
    expect(log.text()).not.toContain('request-timeout-seconds')
    expect(auth.closeNote).toMatch(/took more than 0\.1 s/)
  })

  it('a second signal abandons the revoke at once, and says so', async () => {
    const { auth, log } = hanging(60_000)
    await auth.send(READ_URL, {})
    const abandon = new AbortController()
    const closing = auth.close(abandon.signal)
    abandon.abort()
    await closing
    expect(auth.closeNote).toMatch(
      /^The job was cancelled a second time while this run's access token was being revoked, so the revoke was abandoned/
    )
    expect(log.lines.filter(l => l.level === 'warning')).toHaveLength(1)
  })
})
