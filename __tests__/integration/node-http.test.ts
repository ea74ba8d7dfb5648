/**
 * The node:http sender never loads node:crypto where the operating system's random device
 * serves the run's random bytes (src/common/crypto.ts; where there is none, crypto.test.ts
 * shows it preloaded once the first request is on its way): a real server on 127.0.0.1.
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

it('never asks for node:crypto, before, during or after its requests', async () => {
  const { createNodeHttpFetch } = await import('../../src/http/node-http.js')
  const asked = jest.spyOn(process, 'getBuiltinModule')
  const send = createNodeHttpFetch()

  const first = send(url, {})
  // Building and handing the request to the socket loads nothing.
  expect(asked).not.toHaveBeenCalled()
  const response = await first
  for await (const chunk of response.body ?? []) void chunk
  await new Promise(resolve => setImmediate(resolve))
  expect(response.status).toBe(200)
  expect(asked).not.toHaveBeenCalledWith('node:crypto')

  const second = await send(url, {})
  for await (const chunk of second.body ?? []) void chunk
  await new Promise(resolve => setImmediate(resolve))
  expect(arrivals).toHaveLength(2)
  expect(asked).not.toHaveBeenCalledWith('node:crypto')
})
