import type { EndpointState } from '../../src/atlas/client.js'
import { Output } from '../../src/common/constants.js'
import { elapsedSeconds, endpointOutputs } from '../../src/report/outputs.js'
import { IDS } from '../helpers/ids.js'

function state(overrides: Partial<EndpointState> = {}): EndpointState {
  return {
    connectionStatus: 'AVAILABLE',
    deleteRequested: false,
    errorMessage: null,
    interfaceEndpointId: IDS.interfaceEndpointId,
    body: {
      connectionStatus: 'AVAILABLE',
      deleteRequested: false,
      errorMessage: null,
      interfaceEndpointId: IDS.interfaceEndpointId
    },
    ...overrides
  }
}

describe('endpointOutputs', () => {
  it('sets exactly the outputs action.yml declares', () => {
    const outputs = endpointOutputs(state(), 1, 0)
    expect(Object.keys(outputs).sort()).toEqual(Object.values(Output).sort())
    expect(Object.keys(outputs)).toHaveLength(7)
    expect(Object.values(outputs).every(value => typeof value === 'string')).toBe(true)
  })

  it('passes the status, endpoint ID and attempts through', () => {
    const outputs = endpointOutputs(
      state({ connectionStatus: 'PENDING_RECONNECT', interfaceEndpointId: 'vpce-0abc' }),
      12,
      0
    )
    expect(outputs[Output.ConnectionStatus]).toBe('PENDING_RECONNECT')
    expect(outputs[Output.InterfaceEndpointId]).toBe('vpce-0abc')
    expect(outputs[Output.Attempts]).toBe('12')
  })

  it("gives '' for a null errorMessage and the message otherwise", () => {
    expect(endpointOutputs(state({ errorMessage: null }), 1, 0)[Output.ErrorMessage]).toBe('')
    expect(endpointOutputs(state({ errorMessage: 'AWS said no' }), 1, 0)[Output.ErrorMessage]).toBe(
      'AWS said no'
    )
  })

  it("gives deleteRequested as 'true' or 'false'", () => {
    expect(endpointOutputs(state({ deleteRequested: true }), 1, 0)[Output.DeleteRequested]).toBe('true')
    expect(endpointOutputs(state({ deleteRequested: false }), 1, 0)[Output.DeleteRequested]).toBe('false')
  })

  it('gives the response body as JSON that parses back to it', () => {
    const body = {
      connectionStatus: 'REJECTED',
      deleteRequested: false,
      errorMessage: 'line one\nline "two"',
      interfaceEndpointId: IDS.interfaceEndpointId,
      links: [{ href: 'https://cloud.mongodb.com/x', rel: 'self' }]
    }
    const response = endpointOutputs(state({ body }), 1, 0)[Output.Response]
    expect(JSON.parse(response)).toEqual(body)
    expect(response).not.toContain('\n')
  })

  it('gives the elapsed time in whole seconds', () => {
    expect(endpointOutputs(state(), 1, 31_540)[Output.ElapsedSeconds]).toBe('32')
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
