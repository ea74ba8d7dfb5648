import type { EndpointState } from '../atlas/client.js'
import { Output } from '../common/constants.js'

/** The step outputs for a run that read at least one status (the contract in action.yml). */
export function endpointOutputs(
  last: EndpointState,
  attempts: number,
  elapsedMs: number
): Record<Output, string> {
  return {
    [Output.ConnectionStatus]: last.connectionStatus,
    [Output.DeleteRequested]: String(last.deleteRequested),
    [Output.ErrorMessage]: last.errorMessage ?? '',
    [Output.InterfaceEndpointId]: last.interfaceEndpointId,
    [Output.Response]: JSON.stringify(last.body),
    [Output.Attempts]: String(attempts),
    [Output.ElapsedSeconds]: elapsedSeconds(elapsedMs)
  }
}

/** Whole seconds, so that shell tests such as `[ "$x" -lt 60 ]` work on the output. */
export function elapsedSeconds(ms: number): string {
  return String(Math.round(ms / 1000))
}
