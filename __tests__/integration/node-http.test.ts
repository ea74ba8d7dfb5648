/**
 * The node:http sender never loads node:crypto where the operating system's random device
 * serves the run's random bytes (src/common/crypto.ts), and where there is none (Windows)
 * loads it once, while the first request travels: a real server on 127.0.0.1.
 */
import { jest } from '@jest/globals'
import http from 'node:http'
import type { AddressInfo } from 'node:net'

let server: http.Server
let url: string
const arrivals: number[] = []

beforeAll(async () => {
  server = http.createServer((_request, response) => {
    arrivals.push(Date.now())
    response.writeHead(200, { 'Content-Type': 'application/json' }).end('{}')
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise(resolve => server.close(resolve))
})
afterEach(() => jest.restoreAllMocks())

// Linux and macOS: the random device serves; node:crypto is never asked for.
;(process.platform === 'win32' ? it.skip : it)(
  'never asks for node:crypto, before, during or after its requests',
  async () => {
    expect((await twoRequests()).filter(id => id === 'node:crypto')).toEqual([])
  }
)

// Windows: no random device; node:crypto is loaded while the first request travels, once.
;(process.platform === 'win32' ? it : it.skip)(
  'asks for node:crypto once, after the first request has been sent, never before',
  async () => {
    expect((await twoRequests()).filter(id => id === 'node:crypto')).toEqual(['node:crypto'])
  }
)

/** Two requests through a fresh sender; the built-ins it asked Node for. */
async function twoRequests(): Promise<string[]> {
  const { createNodeHttpFetch } = await import('../../src/http/node-http.js')
  const asked = jest.spyOn(process, 'getBuiltinModule')
  const send = createNodeHttpFetch()
  arrivals.length = 0

  const first = send(url, {})
  // Building and handing the request to the socket loads nothing.
  expect(asked).not.toHaveBeenCalled()
  const response = await first
  for await (const chunk of response.body ?? []) void chunk
  await new Promise(resolve => setImmediate(resolve))
  expect(response.status).toBe(200)

  const second = await send(url, {})
  for await (const chunk of second.body ?? []) void chunk
  await new Promise(resolve => setImmediate(resolve))
  expect(arrivals).toHaveLength(2)
  return asked.mock.calls.map(([id]) => id)
}
