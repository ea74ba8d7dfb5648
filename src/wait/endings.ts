import type { EndpointState, ServiceState } from '../atlas/client.js'
import type { Deadline } from '../common/clock.js'
import { DELETED } from '../common/clouds.js'
import { CancelledError, DeadlineError, MistypedIdError, TransientError } from '../common/errors.js'
import type { Log } from '../common/log.js'
import type { ClusterProgress } from './clusters.js'
import { clusterTimeoutMessage, reachedMessage, timeoutMessage } from './messages.js'
import type { EndpointProgress, Outcome, StatusChange, WaitResult } from './progress.js'

/**
 * How a wait ends: each ending turns what the run knows into a WaitResult, with the message a
 * person acts on and the endpoints (or clusters) that decided it.
 */

/** What a run knows when it ends. */
export interface RunRecord {
  endpoints: EndpointProgress[]
  clusters: ClusterProgress[]
  history: StatusChange[]
  notes: string[]
  attempts: number
  service?: ServiceState
}

export interface EndingContext {
  record: RunRecord
  /** "AWS interface endpoint". */
  noun: string
  /** "AVAILABLE", "DELETED or DELETING". */
  target: string
  deadline: Deadline
  log: Log
  /** "[00:12]", for a log line. */
  at: () => string
}

/** Elapsed time as the log says it: to the tenth of a second. */
export function waited(deadline: Deadline): number {
  return Math.round(deadline.elapsed() / 100) * 100
}

export function end(
  context: EndingContext,
  outcome: Outcome,
  message: string,
  deciding: EndpointProgress[]
): WaitResult {
  const { record } = context
  return {
    outcome,
    message,
    endpoints: record.endpoints,
    decisive: deciding[0],
    deciding,
    attempts: record.attempts,
    history: record.history,
    service: record.service,
    notes: record.notes,
    waitedMs: waited(context.deadline),
    clusters: record.clusters
  }
}

/** Read once (no wait-for): what was read, and a note when fail-on let a deletion pass. */
export function reported(context: EndingContext, reportNote: string | undefined): WaitResult {
  const { endpoints } = context.record
  const last = endpoints[endpoints.length - 1]
  const noun =
    endpoints.length > 1
      ? `${endpoints.length} endpoints were read`
      : `The ${context.noun} is ${shownStatus(last.last)}`
  const note = reportNote ? ` Note: ${reportNote}; fail-on is empty, so the step does not fail.` : ''
  return end(context, 'reported', `${noun}.${note}`, [last])
}

/** Every endpoint arrived (and every cluster is ready): the last to arrive decided it. */
export function passed(context: EndingContext): WaitResult {
  const { endpoints } = context.record
  const lastToArrive = [...endpoints]
    .sort((a, b) => (a.reachedAtMs ?? 0) - (b.reachedAtMs ?? 0))
    .pop() as EndpointProgress
  return end(context, 'reached', reachedMessage(context.noun, endpoints, context.target), [lastToArrive])
}

/** The deadline came first: the endpoints still missing decided it, or the clusters not ready. */
export function timedOut(context: EndingContext, why: string): WaitResult {
  const { endpoints, clusters, attempts } = context.record
  const missing = endpoints.filter(endpoint => !endpoint.reached)
  const waiting = clusters.filter(cluster => !cluster.ready)
  const waitedMs = waited(context.deadline)
  if (missing.length === 0 && waiting.length > 0) {
    return {
      ...end(context, 'timeout', clusterTimeoutMessage(context, waiting, why, waitedMs), []),
      decidingClusters: waiting
    }
  }
  return end(
    context,
    'timeout',
    timeoutMessage(context, context.target, endpoints, attempts, why, waitedMs),
    missing
  )
}

/** How a run ends when a read threw: cancelled, out of time, or a failure to read. */
export function stopped(
  context: EndingContext,
  error: unknown,
  current: EndpointProgress | undefined
): WaitResult {
  const { endpoints } = context.record
  const decisive = current ?? endpoints.find(endpoint => !endpoint.reached)
  if (error instanceof CancelledError) {
    const last = decisive?.last ?? endpoints.find(endpoint => endpoint.last)?.last
    return end(
      context,
      'cancelled',
      `${error.message}${last ? ` The last status read was ${shownStatus(last)}.` : ''}`,
      decisive ? [decisive] : []
    )
  }
  if (error instanceof DeadlineError) {
    context.log.info(`${context.at()} ${error.message}`)
    return timedOut(context, error.message)
  }
  const message = error instanceof Error ? error.message : String(error)
  if (!(error instanceof TransientError) && !(error instanceof MistypedIdError))
    context.log.debug(`Stopped on ${(error as Error).name ?? 'error'}: ${message}`)
  const prefix =
    endpoints.length > 1 && current && !(error instanceof MistypedIdError) ? `${current.id}: ` : ''
  return { ...end(context, 'error', `${prefix}${message}`, decisive ? [decisive] : []), error }
}

export function shownStatus(state: EndpointState | undefined): string {
  if (state === undefined) return 'not read'
  return state.notFound ? `${DELETED} (not found)` : state.status
}
