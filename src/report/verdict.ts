import type { EndpointState } from '../atlas/client.js'
import type { Cloud } from '../common/clouds.js'
import { MistypedIdError } from '../common/errors.js'
import { seconds } from '../common/text.js'
import { ClusterFailure } from '../wait/clusters.js'
import { clusterWaitingFor, listed, naming } from '../wait/messages.js'
import type { EndpointProgress, WaitResult } from '../wait/wait.js'

/**
 * The answer a reader looks for first, "may we deploy?": the summary's first line in words, and
 * the marks, which must agree with it and with the step's result.
 */

/** What the verdict is drawn from. */
export interface VerdictInput {
  cloud: Cloud
  waitFor: string[]
  failOn: string[]
  timeoutMs: number
  result: WaitResult
}

export type Mark = 'passed' | 'informed' | 'blocked' | 'stopped'
export const MARKS: Record<Mark, string> = { passed: '✅', informed: 'ℹ️', blocked: '❌', stopped: '⏹️' }

/** The mark of one status on its own: arrived, failing, or on its way. */
export function statusMark(
  state: EndpointState | undefined,
  endpoint: EndpointProgress,
  failOn: string[],
  /** Given when the run read once (empty): its marks say what the status means, not "still waiting". */
  waitFor?: string[]
): string {
  if (state === undefined) return '❓'
  if (endpoint.reached) return '✅'
  if (failOn.includes(state.status) || state.forwardingRules.some(rule => failOn.includes(rule.status)))
    return '❌'
  // Read once, nothing is "reached": AVAILABLE is still good news.
  const readOnce = waitFor !== undefined && waitFor.length === 0
  if (readOnce && state.status === 'AVAILABLE' && !state.deleteRequested) return '✅'
  if (readOnce && /^(REJECTED|FAILED)$/.test(state.status)) return '⚠️'
  if (state.deleteRequested || state.status === 'DELETING') return '🗑️'
  return readOnce ? 'ℹ️' : '⏳'
}

/** Whether the run is a teardown gate (waiting for deletion): its words are about the teardown, not a deploy. */
export function isTeardown(waitFor: string[]): boolean {
  return waitFor.includes('DELETED') || waitFor.includes('DELETING')
}

/** The first line: the answer to "may we deploy?", in words, agreeing with the step's result. */
export function verdict(report: VerdictInput): { mark: Mark; text: string } {
  const { result, cloud } = report
  const decisive = result.decisive
  const total = result.endpoints.length
  const deciding =
    result.deciding && result.deciding.length > 0 ? result.deciding : decisive ? [decisive] : []
  const who = naming(deciding, total, cloud.noun)
  const status = decisive?.last?.notFound ? 'DELETED' : decisive?.last?.status
  const target = report.waitFor.join(' or ')
  // A teardown gate lets the teardown go on; a deploy gate, the deploy.
  const next = isTeardown(report.waitFor)
    ? 'the teardown'
    : report.waitFor.includes('AVAILABLE') || report.waitFor.length === 0
      ? 'the deploy'
      : 'the workflow'
  const waited = seconds(result.waitedMs ?? report.timeoutMs)
  if (result.serviceDecided || total === 0) return verdictOfTheService(report, next, waited)
  const clusters = result.clusters ?? []
  if (result.error instanceof ClusterFailure)
    return { mark: 'blocked', text: `Blocked: ${clusterProblem(result.error)}; ${next} should not go on` }
  const clustersReady =
    clusters.length === 0
      ? ''
      : ` and ${naming2(
          clusters.map(c => c.name),
          'cluster'
        )} ready to connect`
  switch (result.outcome) {
    case 'reached':
      return {
        mark: 'passed',
        text:
          total > 1
            ? `Passed: ${total === 2 ? 'both' : `all ${total}`} ${cloud.noun}s reached ${target}${clustersReady}; ${next} may go on`
            : `Passed: ${who} is ${status}${clustersReady}; ${next} may go on`
      }
    case 'reported':
      return {
        mark: 'informed',
        text:
          total > 1
            ? `Passed, read once: ${total} ${cloud.noun}s were read; the workflow decides what to do`
            : `Passed, read once: ${who} is ${status}; the workflow decides what to do`
      }
    case 'failed': {
      const of = total > 1 ? ` (one of ${total})` : ''
      // On GCP the group may be fine while one of its forwarding rules failed.
      const rule =
        status !== undefined && report.failOn.includes(status)
          ? undefined
          : failingRule(decisive?.last, report.failOn)
      return {
        mark: 'blocked',
        text: rule
          ? `Blocked: the forwarding rule ${rule.name} of ${who}${of} is ${rule.status}, which is listed in fail-on; ${next} should not go on`
          : `Blocked: ${who}${of} is ${status}, which is listed in fail-on; ${next} should not go on`
      }
    }
    case 'unreachable':
      return {
        mark: 'blocked',
        text: `Blocked: ${who}${total > 1 ? ` (one of ${total})` : ''} is being deleted and can no longer become ${target || 'ready'}`
      }
    case 'timeout':
      if ((result.decidingClusters?.length ?? 0) > 0) {
        const waiting = (result.decidingClusters ?? []).map(clusterWaitingFor).join('; ')
        return {
          mark: 'blocked',
          text: `Timed out after ${waited}: the ${total > 1 ? 'endpoints are' : 'endpoint is'} ready but ${waiting}; ${next} should not go on`
        }
      }
      return {
        mark: 'blocked',
        text: `Timed out after ${waited}: ${who} did not become ${target || 'readable'}; ${next} should not go on`
      }
    case 'cancelled':
      return { mark: 'stopped', text: 'Cancelled: the step stopped before it had an answer' }
    case 'error':
      return result.error instanceof MistypedIdError
        ? { mark: 'blocked', text: `Blocked: an ID looks mistyped; ${next} should not go on` }
        : { mark: 'blocked', text: `Could not read ${who}; ${next} should not go on` }
  }
}

/** "cluster Cluster0 is", "clusters A and B are". */
function naming2(names: string[], noun: string): string {
  return names.length === 1 ? `${noun} ${names[0]} is` : `${noun}s ${listed(names)} are`
}

/** What a failed cluster is, for the headline. */
function clusterProblem(failure: ClusterFailure): string {
  const name = failure.cluster.name
  switch (failure.problem) {
    case 'missing':
      return `Atlas has no cluster named ${name} in this project`
    case 'paused':
      return `cluster ${name} is paused`
    case 'deleting':
      return `cluster ${name} is being deleted`
    case 'not-dedicated':
      return `cluster ${name} is not a dedicated cluster, which private endpoints serve`
  }
}

function failingRule(state: EndpointState | undefined, failOn: string[]) {
  return state?.forwardingRules.find(rule => failOn.includes(rule.status))
}

/** The verdict when no endpoint was read, or the endpoint service's own status decided. */
function verdictOfTheService(
  report: VerdictInput,
  next: string,
  waited: string
): { mark: Mark; text: string } {
  const { result } = report
  const service = result.service?.status
  switch (result.outcome) {
    case 'reached':
      return { mark: 'passed', text: `Passed: the endpoint service has no endpoints left; ${next} may go on` }
    case 'cancelled':
      return { mark: 'stopped', text: 'Cancelled: the step stopped before it had an answer' }
    case 'failed':
      return {
        mark: 'blocked',
        text: `Blocked: the endpoint service is ${service}; ${next} should not go on`
      }
    case 'unreachable':
      return {
        mark: 'blocked',
        text: `Blocked: the endpoint service is being deleted; ${next} should not go on`
      }
    case 'timeout':
      return {
        mark: 'blocked',
        text: service
          ? `Timed out after ${waited}: the endpoint service is still ${service}; ${next} should not go on`
          : `Timed out listing the endpoint service; ${next} should not go on`
      }
    default:
      return result.error instanceof MistypedIdError
        ? { mark: 'blocked', text: `Blocked: an ID looks mistyped; ${next} should not go on` }
        : { mark: 'blocked', text: `Could not list the endpoints; ${next} should not go on` }
  }
}
