import type { AtlasClient } from '../atlas/client.js'
import { DELETED } from '../common/clouds.js'
import { ALL_ENDPOINTS } from '../common/constants.js'
import { CancelledError, DeadlineError, NoEndpointsError } from '../common/errors.js'
import { withRetries } from './retry.js'
import { waitForStatus, type WaitOptions, type WaitResult } from './wait.js'

export interface CheckOptions extends Omit<WaitOptions, 'endpointIds' | 'read'> {
  endpointIds: string[] | typeof ALL_ENDPOINTS
  atlas: AtlasClient
  endpointServiceId: string
}

/**
 * Checks the endpoints the workflow named, or, for `endpoint-id: '*'`, every endpoint the
 * endpoint service lists (read once, at the start). Never throws: like the wait, every ending
 * is a WaitResult.
 */
export async function checkEndpoints(options: CheckOptions): Promise<WaitResult> {
  const { atlas, log } = options
  let endpointIds: string[]
  if (options.endpointIds === ALL_ENDPOINTS) {
    const listed = await listEndpoints(options)
    if (!Array.isArray(listed)) return listed
    endpointIds = listed
    log.info(
      `The endpoint service ${options.endpointServiceId} lists ${endpointIds.length} ${endpointIds.length === 1 ? 'endpoint' : 'endpoints'}${endpointIds.length > 0 ? `: ${endpointIds.join(', ')}` : ''}.`
    )
    if (endpointIds.length === 0) {
      return options.waitFor.includes(DELETED)
        ? empty(
            'reached',
            `The endpoint service ${options.endpointServiceId} has no endpoints left: every endpoint is DELETED.`
          )
        : noEndpoints(
            `The endpoint service ${options.endpointServiceId} has no endpoints, so there is nothing to check (endpoint-id: '*'). Create the endpoint in your cloud and add it to the service in Atlas, or name the endpoints in endpoint-id.`
          )
    }
  } else {
    endpointIds = options.endpointIds
  }
  return waitForStatus({ ...options, endpointIds, read: id => atlas.readEndpoint(id) })
}

async function listEndpoints(options: CheckOptions): Promise<string[] | WaitResult> {
  try {
    return await withRetries(() => options.atlas.listEndpoints(), {
      ...options,
      onRetry: ({ error, failures, delayMs }) =>
        options.log.info(
          `Listing the endpoint service: ${error.message} Retry ${failures} of ${options.maxRetries} in ${Math.round(delayMs / 100) / 10} s.`
        )
    })
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    if (error instanceof CancelledError) return empty('cancelled', message)
    if (error instanceof DeadlineError)
      return empty('timeout', `Timed out listing the endpoint service: ${message}`)
    return { ...empty('error', `Could not list the endpoints of the endpoint service: ${message}`), error }
  }
}

function noEndpoints(message: string): WaitResult {
  return { ...empty('error', message), error: new NoEndpointsError(message) }
}

function empty(outcome: WaitResult['outcome'], message: string): WaitResult {
  return { outcome, message, endpoints: [], attempts: 0, history: [] }
}
