/**
 * The pipelined sender (src/http/pipeline.ts, undici's Client) behind the run's transport
 * behaves as the node:http sender does: the same typed errors with the same messages for a
 * timeout, a cancellation, a body over 1 MiB and an untrusted certificate; redirects returned,
 * not followed; and a response the parser refuses is one error, with no request written again.
 */
import http from 'node:http'
import https from 'node:https'
import net, { type AddressInfo } from 'node:net'
import { Deadline, systemClock } from '../../src/common/clock.js'
import { nodeHttpFetch } from '../../src/http/node-http.js'
import { openPipelinedConnection, type PipelinedConnection } from '../../src/http/pipeline.js'
import { createTransport, type FetchLike } from '../../src/http/transport.js'
import { makeTestCertificate, type TestCertificate } from '../helpers/tls.js'

let certificate: TestCertificate
const cleanups: (() => Promise<void> | void)[] = []
beforeAll(() => {
  certificate = makeTestCertificate()
})
afterAll(() => certificate.cleanup())
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

type Handler = (request: http.IncomingMessage, response: http.ServerResponse) => void

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  cleanups.push(
    () =>
      new Promise<void>(resolve => {
        ;(server as http.Server).closeAllConnections?.()
        server.close(() => resolve())
      })
  )
  return (server.address() as AddressInfo).port
}

/** An HTTP server that counts requests; its origin. */
async function httpServer(
  handler: Handler,
  tls = false
): Promise<{ origin: string; requests: () => number }> {
  let requests = 0
  const counted: Handler = (request, response) => {
    requests += 1
    handler(request, response)
  }
  const server = tls
    ? https.createServer({ key: certificate.key, cert: certificate.cert }, counted)
    : http.createServer(counted)
  const port = await listen(server)
  return { origin: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`, requests: () => requests }
}

/** A TCP server that answers every request with `bytes` as is; counts connections and requests. */
async function rawServer(
  bytes: string
): Promise<{ origin: string; connections: () => number; requests: () => number }> {
  let connections = 0
  let requests = 0
  const sockets = new Set<net.Socket>()
  const server = net.createServer(socket => {
    connections += 1
    sockets.add(socket)
    socket.on('error', () => undefined)
    socket.on('data', chunk => {
      requests += (chunk.toString('latin1').match(/\r\n\r\n/g) ?? []).length
      socket.write(bytes)
    })
  })
  cleanups.push(() => sockets.forEach(socket => socket.destroy()))
  const port = await listen(server)
  return { origin: `http://127.0.0.1:${port}`, connections: () => connections, requests: () => requests }
}

/** Each sender: node:http (today's path) and a pipelined connection to `origin`. */
function senders(origin: string): [string, FetchLike][] {
  const connection: PipelinedConnection = openPipelinedConnection(origin)
  cleanups.push(() => connection.close())
  return [
    ['node:http', nodeHttpFetch],
    ['pipelined', connection.fetch]
  ]
}

function transport(fetch: FetchLike, signal = new AbortController().signal, requestTimeoutMs = 5_000) {
  return createTransport({
    fetch,
    requestTimeoutMs,
    deadline: new Deadline(systemClock, systemClock.now(), 60_000),
    signal
  })
}

/** What a send threw: its class and message. */
async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`
  }
  return 'no error'
}

describe('the pipelined sender behind the transport, beside node:http', () => {
  it('returns a redirect as is and does not follow it', async () => {
    const server = await httpServer((_request, response) =>
      response.writeHead(302, { Location: 'http://elsewhere.test/x' }).end()
    )
    for (const [, fetch] of senders(server.origin)) {
      const response = await transport(fetch)(`${server.origin}/a`, {})
      expect(response.status).toBe(302)
      expect(response.headers.get('location')).toBe('http://elsewhere.test/x')
    }
    expect(server.requests()).toBe(2)
  })

  it.each([
    [
      'declared',
      (response: http.ServerResponse) =>
        response
          .writeHead(200, { 'Content-Length': String(2 * 1024 * 1024) })
          .end(Buffer.alloc(2 * 1024 * 1024))
    ],
    [
      'streamed',
      (response: http.ServerResponse) => {
        response.writeHead(200, { 'Content-Type': 'application/json' })
        for (let i = 0; i < 3; i++) response.write(Buffer.alloc(512 * 1024))
        response.end()
      }
    ]
  ])('refuses a body over 1 MiB (%s) with the same error', async (_kind, answer) => {
    const server = await httpServer((_request, response) => answer(response))
    const errors = []
    for (const [, fetch] of senders(server.origin))
      errors.push(await failure(transport(fetch)(`${server.origin}/a`, {})))
    expect(errors[0]).toMatch(/^ResponseFormatError: Atlas answered HTTP 200 with a body of more than 1 MiB/)
    // The byte count "so far" depends on chunking: compare the rest.
    expect(errors[1].replace(/\(\d+ bytes/, '(N bytes')).toBe(errors[0].replace(/\(\d+ bytes/, '(N bytes'))
  })

  it('ends a request slower than request-timeout-seconds with the same error', async () => {
    const server = await httpServer(() => undefined)
    const errors = []
    for (const [, fetch] of senders(server.origin)) {
      errors.push(await failure(transport(fetch, undefined, 200)(`${server.origin}/a`, {})))
    }
    expect(errors[0]).toBe('TransientError: Atlas did not answer within 0.2 s (request-timeout-seconds).')
    expect(errors[1]).toBe(errors[0])
  })

  it('stops at once on cancellation with the same error', async () => {
    const server = await httpServer(() => undefined)
    const errors = []
    for (const [, fetch] of senders(server.origin)) {
      const job = new AbortController()
      const sent = failure(transport(fetch, job.signal)(`${server.origin}/a`, {}))
      setTimeout(() => job.abort(), 50)
      const started = performance.now()
      errors.push(await sent)
      expect(performance.now() - started).toBeLessThan(500)
    }
    expect(errors[0]).toMatch(/^CancelledError: /)
    expect(errors[1]).toBe(errors[0])
  })

  it('refuses an untrusted certificate with the same error, naming NODE_EXTRA_CA_CERTS', async () => {
    const server = await httpServer((_request, response) => response.end('{}'), true)
    const errors = []
    for (const [, fetch] of senders(server.origin))
      errors.push(await failure(transport(fetch)(`${server.origin}/a`, {})))
    expect(errors[0]).toMatch(
      /^ConnectionError: The TLS certificate presented for the Atlas API was not trusted \(.+\)\. .*NODE_EXTRA_CA_CERTS/
    )
    expect(errors[1]).toBe(errors[0])
    expect(server.requests()).toBe(0)
  })

  it.each([
    ['a bad Content-Length', 'HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n{}'],
    ['a bad status line', 'HTTP/1.1 2000 OK\r\nContent-Length: 2\r\n\r\n{}'],
    ['a header with a control character', 'HTTP/1.1 200 OK\r\nX-A: a\u0001b\r\nContent-Length: 2\r\n\r\n{}'],
    [
      'a response to nothing before it',
      'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}'
    ]
  ])(
    'a response with %s: one transient error (retried above, by withRetries, like node:http), nothing written again',
    async (_kind, bytes) => {
      for (const which of ['node:http', 'pipelined']) {
        const server = await rawServer(bytes)
        const [, fetch] = senders(server.origin).find(([name]) => name === which) as [string, FetchLike]
        const outcome = await failure(transport(fetch)(`${server.origin}/a`, {}).then(r => r.text()))
        await new Promise(resolve => setTimeout(resolve, 100))
        // node:http and undici both read the first answer of the last case, and refuse what follows.
        if (!/nothing before/.test(_kind)) expect(outcome).toMatch(/^TransientError: Could not reach Atlas: /)
        expect(server.requests()).toBe(1)
        expect(server.connections()).toBe(1)
      }
    }
  )
})
