import type { EndpointState } from '../atlas/client.js'
import { DELETED } from '../common/clouds.js'
import { Output } from '../common/constants.js'
import { shorten } from '../common/text.js'
import type { EndpointProgress, WaitResult } from '../wait/wait.js'

/**
 * GitHub accepts 1 MB per output and 50 MB for all of a run's outputs. Atlas's text is a few
 * hundred bytes when it is Atlas; whatever comes, each output stays far below the limit.
 */
export const MAX_TEXT_OUTPUT = 64 * 1024
export const MAX_RESPONSE_OUTPUT = 256 * 1024
/** Per endpoint in the `endpoints` output, which is meant for `fromJSON` in `if:` expressions. */
const MAX_ENDPOINT_MESSAGE = 1000

/** The status shared by several endpoints that disagree (or were not all read). */
export const MIXED = 'MIXED'

/**
 * The step outputs for a run that read at least one status (the contract in action.yml), or
 * undefined when no status was read. With several endpoints, the per-endpoint outputs describe
 * the one that decided the outcome.
 */
export function stepOutputs(result: WaitResult, elapsedMs: number): Record<Output, string> | undefined {
  if (result.endpoints.length === 0 && result.outcome === 'reached')
    return noEndpointRead(result, elapsedMs, DELETED)
  const read = result.endpoints.filter(endpoint => endpoint.last !== undefined)
  const shown = (result.decisive?.last ? result.decisive : read[read.length - 1])?.last
  // No endpoint was read, but the endpoint service was (a FAILED service, one still being set up).
  if (shown === undefined) return result.service ? noEndpointRead(result, elapsedMs, '') : undefined
  const statuses = new Set(read.map(endpoint => endpoint.last && statusOutput(endpoint.last)))
  const shared = read.length === result.endpoints.length && statuses.size === 1 ? statusOutput(shown) : MIXED
  return {
    [Output.ConnectionStatus]: result.endpoints.length === 1 ? statusOutput(shown) : shared,
    [Output.DeleteRequested]: String(shown.deleteRequested),
    [Output.ErrorMessage]: shorten(shown.errorMessage ?? '', MAX_TEXT_OUTPUT, 'by the action'),
    [Output.InterfaceEndpointId]: shown.endpointId,
    [Output.EndpointId]: shown.endpointId,
    [Output.CloudProvider]: shown.cloudProvider,
    [Output.Endpoints]: JSON.stringify(result.endpoints.map(endpointSummary)),
    [Output.Response]: responseOutput(shown),
    [Output.EndpointServiceStatus]: result.service?.status ?? '',
    ...clusterOutputs(result),
    [Output.Attempts]: String(result.attempts),
    [Output.ElapsedSeconds]: elapsedSeconds(elapsedMs)
  }
}

/**
 * `connection-string`: the first named cluster's string, only once it is ready; `clusters`:
 * one object per named cluster, in input order, with the strings of the entry that lists the
 * endpoints ('' while there is none). Host names only: parseCluster refuses any string that
 * could carry a credential.
 */
function clusterOutputs(result: WaitResult): Record<Output.ConnectionString | Output.Clusters, string> {
  const clusters = result.clusters ?? []
  const first = clusters[0]
  return {
    [Output.ConnectionString]: first?.ready ? first.connection : '',
    [Output.Clusters]: JSON.stringify(
      clusters.map(cluster => ({
        name: cluster.name,
        state: cluster.last?.stateName ?? '',
        paused: cluster.last?.paused ?? false,
        ready: cluster.ready,
        type: cluster.entry?.type ?? '',
        connectionString: cluster.entry?.connectionString ?? '',
        srvConnectionString: cluster.entry?.srvConnectionString ?? '',
        srvShardOptimizedConnectionString: cluster.entry?.srvShardOptimizedConnectionString ?? ''
      }))
    )
  }
}

/**
 * A run that read no endpoint: a teardown whose endpoint service lists none any more (every one
 * of them is DELETED), or an endpoint service whose own status stopped the run.
 */
function noEndpointRead(result: WaitResult, elapsedMs: number, status: string): Record<Output, string> {
  return {
    [Output.ConnectionStatus]: status,
    [Output.DeleteRequested]: 'false',
    [Output.ErrorMessage]: '',
    [Output.InterfaceEndpointId]: '',
    [Output.EndpointId]: '',
    [Output.CloudProvider]: '',
    [Output.Endpoints]: '[]',
    [Output.Response]: '',
    [Output.EndpointServiceStatus]: result.service?.status ?? '',
    ...clusterOutputs(result),
    [Output.Attempts]: String(result.attempts),
    [Output.ElapsedSeconds]: elapsedSeconds(elapsedMs)
  }
}

/**
 * The status as an output. One that Atlas did not send as it writes its statuses ("available",
 * "AVAILABLE\n") is never a pass, so it is shown as it came, in JSON quotes: GitHub compares
 * strings in expressions without regard to case, and `'available' == 'AVAILABLE'` is true there.
 */
function statusOutput(state: EndpointState): string {
  return state.statusAsSent === undefined ? state.status : JSON.stringify(state.statusAsSent)
}

function endpointSummary(endpoint: EndpointProgress) {
  return {
    id: endpoint.id,
    status: endpoint.last ? statusOutput(endpoint.last) : null,
    deleteRequested: endpoint.last?.deleteRequested ?? null,
    errorMessage: endpoint.last?.errorMessage
      ? shorten(endpoint.last.errorMessage, MAX_ENDPOINT_MESSAGE, 'by the action')
      : null,
    reached: endpoint.reached
  }
}

/**
 * Atlas's answer as it came, so that `fromJSON` sees every field. An answer too large for an
 * output is replaced by its known fields, with long text shortened and a note saying so.
 */
function responseOutput(state: EndpointState): string {
  if (state.raw.length <= MAX_RESPONSE_OUTPUT) return state.raw
  return JSON.stringify({
    cloudProvider: state.cloudProvider,
    status: state.status,
    deleteRequested: state.deleteRequested,
    errorMessage:
      state.errorMessage === null ? null : shorten(state.errorMessage, MAX_TEXT_OUTPUT, 'by the action'),
    endpointId: state.endpointId,
    truncated: `Atlas's answer was ${state.raw.length} characters, too large for an output; these are its known fields.`
  })
}

/** Whole seconds, so that shell tests such as `[ "$x" -lt 60 ]` work on the output. */
export function elapsedSeconds(ms: number): string {
  return String(Math.round(ms / 1000))
}
