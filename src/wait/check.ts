import type { AtlasClient, ServiceRead, ServiceState } from '../atlas/client.js'
import { DELETED } from '../common/clouds.js'
import { ALL_ENDPOINTS } from '../common/constants.js'
import { CancelledError, DeadlineError, NoEndpointsError } from '../common/errors.js'
import { quote, seconds } from '../common/text.js'
import { proveServiceGone, describeListing, type Retrying } from './deletion.js'
import { count } from './messages.js'
import type { WaitResult } from './progress.js'
import { withRetries } from './retry.js'
import { clockTime, pauseBeforeNextCheck, waitForStatus, type WaitOptions } from './wait.js'

export interface CheckOptions extends Omit<WaitOptions, 'endpointIds' | 'read' | 'deletion' | 'service'> {
  endpointIds: string[] | typeof ALL_ENDPOINTS
  atlas: AtlasClient
  endpointServiceId: string
}

/** Statuses of an endpoint service that is not ready yet, and is worth waiting for. */
const SERVICE_NOT_READY = ['INITIATING', 'WAITING_FOR_USER']

/**
 * Checks the endpoints the workflow named, or, for `endpoint-id: '*'`, every endpoint the
 * endpoint service lists (read at the start, with the service's own status: a FAILED service
 * fails the step, one still being set up is waited for). When a run ends without success but
 * with Atlas answering, the endpoint service is read once more, so that the report can say
 * what it is waiting for. Never throws: like the wait, every ending is a WaitResult.
 */
export async function checkEndpoints(options: CheckOptions): Promise<WaitResult> {
  const { atlas } = options
  const deletionGoal = options.waitFor.includes(DELETED) || options.failOn.includes(DELETED)
  const deletion = deletionGoal ? { reads: atlas, endpointServiceId: options.endpointServiceId } : undefined
  const read = (id: string) => atlas.readEndpoint(id)
  if (options.endpointIds !== ALL_ENDPOINTS) {
    const result = await waitForStatus({ ...options, endpointIds: options.endpointIds, read, deletion })
    return withServiceStatus(result, options)
  }
  const listing = await listEndpoints(options, deletionGoal)
  if ('outcome' in listing) return listing
  const { service } = listing
  if (service === undefined || service.endpointIds.length === 0) {
    const what =
      service === undefined
        ? `The endpoint service ${options.endpointServiceId} is gone (Atlas removes a service with its last endpoint)`
        : `The endpoint service ${options.endpointServiceId} has no endpoints left`
    if (options.waitFor.includes(DELETED))
      return empty('reached', `${what}: every endpoint is DELETED.`, service)
    const state = service?.status ? ` (the service is ${service.status})` : ''
    const message = `The endpoint service ${options.endpointServiceId} has no endpoints${state}, so there is nothing to check (endpoint-id: '*'). Create the endpoint in your cloud and add it to the service in Atlas, or name the endpoints in endpoint-id.`
    return { ...empty('error', message, service), error: new NoEndpointsError(message) }
  }
  return waitForStatus({ ...options, endpointIds: service.endpointIds, read, deletion, service })
}

/**
 * Reads the endpoint service for `'*'`: its endpoints, and its own status. FAILED stops the
 * step with Atlas's message; DELETING stops it unless the goal is deletion; INITIATING and
 * WAITING_FOR_USER are waited on, checked every interval, within the deadline.
 */
async function listEndpoints(
  options: CheckOptions,
  deletionGoal: boolean
): Promise<{ service?: ServiceState } | WaitResult> {
  const { log, waitFor, endpointServiceId, deadline } = options
  const retrying = retryingFor(options)
  const at = (): string => `[${clockTime(deadline.elapsed())}]`
  for (;;) {
    let read: ServiceRead
    try {
      read = await retrying(
        () => options.atlas.readService({ missingIsNews: deletionGoal }),
        'the endpoint service'
      )
      if (!read.found) {
        await proveServiceGone(options.atlas, endpointServiceId, retrying)
        log.info(
          `${at()} The endpoint service ${endpointServiceId} is not found, and the project is there: it is gone.`
        )
        return {}
      }
    } catch (error) {
      return listingFailed(error)
    }
    const service = read.service
    const status = service.status ?? 'of no stated status'
    const ids = service.endpointIds
    log.info(
      `${at()} The endpoint service ${endpointServiceId} is ${status} and lists ${count(ids.length, 'endpoint')}${ids.length > 0 ? `: ${ids.join(', ')}` : ''}.`
    )
    const said = service.errorMessage ? ` Atlas says: ${quote(service.errorMessage, 500)}` : ''
    if (service.status === 'FAILED') {
      return {
        ...empty(
          'failed',
          `The endpoint service ${endpointServiceId} is FAILED: Atlas could not set it up.${said}`,
          service
        ),
        serviceDecided: true
      }
    }
    if (service.status === 'DELETING' && !waitFor.includes(DELETED)) {
      return {
        ...empty(
          'unreachable',
          `The endpoint service ${endpointServiceId} is DELETING, so its endpoints can no longer become ${waitFor.join(' or ') || 'ready'}.${said}`,
          service
        ),
        serviceDecided: true
      }
    }
    const settingUp = service.status !== undefined && SERVICE_NOT_READY.includes(service.status)
    if (!settingUp || waitFor.length === 0 || waitFor.includes(DELETED)) return { service }
    const pause = pauseBeforeNextCheck(options.intervalMs, deadline)
    if (pause <= 0) {
      return {
        ...empty(
          'timeout',
          `Timed out waiting for the endpoint service ${endpointServiceId} (timeout-seconds: ${deadline.budgetMs / 1000}): it is still ${service.status}. Waited ${seconds(Math.round(deadline.elapsed() / 100) * 100)}.${said}`,
          service
        ),
        serviceDecided: true
      }
    }
    log.info(`${at()} Waiting for the endpoint service to be set up; next check in ${seconds(pause)}.`)
    try {
      await options.clock.sleep(pause, options.signal)
    } catch (error) {
      return listingFailed(error)
    }
  }
}

function listingFailed(error: unknown): WaitResult {
  const message = error instanceof Error ? error.message : String(error)
  if (error instanceof CancelledError) return empty('cancelled', message)
  if (error instanceof DeadlineError)
    return empty('timeout', `Timed out listing the endpoint service: ${message}`)
  return { ...empty('error', `Could not list the endpoints of the endpoint service: ${message}`), error }
}

/**
 * A run that ended without success while Atlas was answering (a timeout, a fail-on status, a
 * deletion) reads the endpoint service once, so that the report can say what the service is
 * waiting for. Never after a failure to read (credentials, access, proxy, network): that read
 * would fail the same way.
 */
async function withServiceStatus(result: WaitResult, options: CheckOptions): Promise<WaitResult> {
  const ended = ['timeout', 'failed', 'unreachable'].includes(result.outcome)
  if (!ended || result.attempts === 0 || result.service !== undefined) return result
  try {
    const read = await options.atlas.readService()
    if (!read.found) return result
    const service = read.service
    options.log.info(
      `The endpoint service ${options.endpointServiceId} is ${service.status ?? 'of no stated status'} and lists ${describeListing(service)}.`
    )
    return { ...result, service }
  } catch (error) {
    options.log.debug(`Could not read the endpoint service after the run: ${(error as Error).message}`)
    return result
  }
}

function retryingFor(options: CheckOptions): Retrying {
  return (read, what) =>
    withRetries(read, {
      ...options,
      onRetry: ({ error, failures, delayMs }) =>
        options.log.info(
          `[${clockTime(options.deadline.elapsed())}] Reading ${what}: ${error.message} Retry ${failures} of ${options.maxRetries} in ${seconds(delayMs)}.`
        )
    })
}

function empty(outcome: WaitResult['outcome'], message: string, service?: ServiceState): WaitResult {
  return { outcome, message, endpoints: [], attempts: 0, history: [], service }
}
