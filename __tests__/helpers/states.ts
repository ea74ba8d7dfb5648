import type { EndpointState } from '../../src/atlas/client.js'

/** An endpoint as the Atlas client returns it: AWS, nothing failing, unless `extra` says otherwise. */
export function endpointState(status: string, extra: Partial<EndpointState> = {}): EndpointState {
  return {
    status,
    deleteRequested: false,
    errorMessage: null,
    endpointId: 'vpce-0123456789abcdef0',
    cloudProvider: 'AWS',
    forwardingRules: [],
    raw: JSON.stringify({ connectionStatus: status }),
    notFound: false,
    ...extra
  }
}
