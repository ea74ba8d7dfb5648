import type { EndpointState } from '../../src/atlas/client.js'
import { Output } from '../../src/common/constants.js'
import { elapsedSeconds, MAX_RESPONSE_OUTPUT, MIXED, stepOutputs } from '../../src/report/outputs.js'
import type { EndpointProgress, WaitResult } from '../../src/wait/wait.js'
import { readActionYml } from '../../standin/action-yml.js'

/** GitHub's limit on one output. */
const ONE_MB = 1_000_000

function state(status: string, extra: Partial<EndpointState> = {}): EndpointState {
  const fields = {
    connectionStatus: status,
    deleteRequested: false,
    errorMessage: null,
    interfaceEndpointId: 'vpce-0abc'
  }
  return {
    status,
    deleteRequested: false,
    errorMessage: null,
    endpointId: 'vpce-0abc',
    cloudProvider: 'AWS',
    forwardingRules: [],
    raw: JSON.stringify(fields),
    notFound: false,
    ...extra
  }
}

const endpoint = (id: string, last?: EndpointState, reached = false): EndpointProgress => ({
  id,
  last,
  reached
})

function result(endpoints: EndpointProgress[], extra: Partial<WaitResult> = {}): WaitResult {
  return {
    outcome: 'reached',
    message: 'x',
    endpoints,
    decisive: endpoints[endpoints.length - 1],
    attempts: 3,
    history: [],
    ...extra
  }
}

function outputs(from: WaitResult, elapsedMs = 0): Record<Output, string> {
  const all = stepOutputs(from, elapsedMs)
  expect(all).toBeDefined()
  return all!
}

describe('stepOutputs', () => {
  it('sets exactly the outputs action.yml declares, all strings', () => {
    const all = outputs(result([endpoint('vpce-0ABC', state('AVAILABLE'), true)]))
    expect(Object.keys(all).sort()).toEqual(
      readActionYml()
        .outputs.map(output => output.name)
        .sort()
    )
    expect(Object.values(all).every(value => typeof value === 'string')).toBe(true)
  })

  it('sets none when no status was read', () => {
    expect(stepOutputs(result([endpoint('vpce-1')], { outcome: 'error', attempts: 0 }), 0)).toBeUndefined()
    expect(stepOutputs(result([], { outcome: 'error', decisive: undefined, attempts: 0 }), 0)).toBeUndefined()
  })

  it('describes one endpoint: its status, and its ID as Atlas returned it', () => {
    const all = outputs(result([endpoint('vpce-0ABC', state('PENDING_RECONNECT'))], { attempts: 12 }), 31_540)
    expect(all).toMatchObject({
      [Output.ConnectionStatus]: 'PENDING_RECONNECT',
      [Output.DeleteRequested]: 'false',
      [Output.ErrorMessage]: '',
      [Output.InterfaceEndpointId]: 'vpce-0abc',
      [Output.EndpointId]: 'vpce-0abc',
      [Output.CloudProvider]: 'AWS',
      [Output.Attempts]: '12',
      [Output.ElapsedSeconds]: '32'
    })
  })

  it("gives deleteRequested as 'true' and Atlas's errorMessage as it is", () => {
    const all = outputs(
      result([endpoint('e', state('REJECTED', { deleteRequested: true, errorMessage: 'line\n"two"' }))])
    )
    expect(all[Output.DeleteRequested]).toBe('true')
    expect(all[Output.ErrorMessage]).toBe('line\n"two"')
  })

  it('gives the response as Atlas sent it, so fromJSON sees every field', () => {
    const raw = '{"connectionStatus":"AVAILABLE","links":[{"rel":"self"}]}'
    expect(outputs(result([endpoint('e', state('AVAILABLE', { raw }))]))[Output.Response]).toBe(raw)
  })

  it('lists every endpoint in input order, with nulls for one not read', () => {
    const endpoints = [
      endpoint('vpce-b', state('AVAILABLE'), true),
      endpoint('vpce-a', state('REJECTED', { deleteRequested: true, errorMessage: 'no' })),
      endpoint('vpce-c')
    ]
    const listed: unknown = JSON.parse(
      outputs(result(endpoints, { decisive: endpoints[1] }))[Output.Endpoints]
    )
    expect(listed).toEqual([
      { id: 'vpce-b', status: 'AVAILABLE', deleteRequested: false, errorMessage: null, reached: true },
      { id: 'vpce-a', status: 'REJECTED', deleteRequested: true, errorMessage: 'no', reached: false },
      { id: 'vpce-c', status: null, deleteRequested: null, errorMessage: null, reached: false }
    ])
  })

  it('gives several endpoints their shared status, or MIXED', () => {
    const same = [endpoint('a', state('AVAILABLE'), true), endpoint('b', state('AVAILABLE'), true)]
    expect(outputs(result(same))[Output.ConnectionStatus]).toBe('AVAILABLE')
    const differ = [endpoint('a', state('AVAILABLE'), true), endpoint('b', state('PENDING'))]
    expect(outputs(result(differ))[Output.ConnectionStatus]).toBe(MIXED)
    const unread = [endpoint('a', state('AVAILABLE')), endpoint('b')]
    expect(outputs(result(unread, { decisive: unread[0] }))[Output.ConnectionStatus]).toBe(MIXED)
  })

  it('describes the decisive endpoint in the per-endpoint outputs', () => {
    const endpoints = [
      endpoint('vpce-a', state('PENDING', { endpointId: 'vpce-a' })),
      endpoint(
        'vpce-b',
        state('REJECTED', { endpointId: 'vpce-b', deleteRequested: true, errorMessage: 'AWS said no' })
      ),
      endpoint('vpce-c', state('PENDING', { endpointId: 'vpce-c' }))
    ]
    const all = outputs(result(endpoints, { outcome: 'failed', decisive: endpoints[1] }))
    expect(all).toMatchObject({
      [Output.ConnectionStatus]: MIXED,
      [Output.EndpointId]: 'vpce-b',
      [Output.InterfaceEndpointId]: 'vpce-b',
      [Output.DeleteRequested]: 'true',
      [Output.ErrorMessage]: 'AWS said no'
    })
  })

  it('falls back to the last endpoint read when the decisive one was never read', () => {
    const endpoints = [endpoint('vpce-a', state('PENDING', { endpointId: 'vpce-a' })), endpoint('vpce-b')]
    const all = outputs(result(endpoints, { outcome: 'error', decisive: endpoints[1] }))
    expect(all[Output.EndpointId]).toBe('vpce-a')
  })
})

describe('stepOutputs on text too long for an output', () => {
  const huge = '<'.repeat(1_040_000)
  const raw = JSON.stringify({
    connectionStatus: 'REJECTED',
    errorMessage: huge,
    interfaceEndpointId: 'vpce-0abc'
  })

  it('shortens the error message visibly and replaces the response by its known fields', () => {
    const all = outputs(result([endpoint('e', state('REJECTED', { errorMessage: huge, raw }))]))
    for (const value of Object.values(all)) expect(Buffer.byteLength(value)).toBeLessThan(ONE_MB)
    expect(all[Output.ErrorMessage]).toContain('[shortened by the action: 1040000 characters in all]')
    expect(all[Output.ErrorMessage].startsWith('<<<<')).toBe(true)
    expect(raw.length).toBeGreaterThan(MAX_RESPONSE_OUTPUT)
    const response = JSON.parse(all[Output.Response]) as Record<string, unknown>
    expect(response).toMatchObject({
      cloudProvider: 'AWS',
      status: 'REJECTED',
      deleteRequested: false,
      endpointId: 'vpce-0abc'
    })
    expect(response.truncated).toContain(`${raw.length} characters`)
    expect(response.errorMessage).toContain('[shortened')
  })

  it('keeps 50 endpoints with a million characters each under the limits', () => {
    const message = 'x'.repeat(1_000_000)
    const endpoints = Array.from({ length: 50 }, (_, i) =>
      endpoint(
        `vpce-${i}`,
        state('REJECTED', { errorMessage: message, raw: JSON.stringify({ errorMessage: message }) })
      )
    )
    const all = outputs(result(endpoints, { outcome: 'failed' }))
    const sizes = Object.values(all).map(value => Buffer.byteLength(value))
    expect(Math.max(...sizes)).toBeLessThan(ONE_MB)
    const listed = JSON.parse(all[Output.Endpoints]) as { id: string; errorMessage: string }[]
    expect(listed.map(entry => entry.id)).toEqual(endpoints.map(entry => entry.id))
    expect(listed.every(entry => entry.errorMessage.includes('[shortened'))).toBe(true)
  })
})

describe('elapsedSeconds', () => {
  it.each([
    [0, '0'],
    [499, '0'],
    [500, '1'],
    [1_499, '1'],
    [59_600, '60'],
    [900_000, '900']
  ])('rounds %i ms to %s s', (ms, seconds) => {
    expect(elapsedSeconds(ms)).toBe(seconds)
  })
})
