import type { EndpointState } from '../atlas/client.js'
import type { Cloud } from '../common/clouds.js'
import { seconds } from '../common/text.js'
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

/** The first line: the answer to "may we deploy?", in words, agreeing with the step's result. */
export function verdict(report: VerdictInput): { mark: Mark; text: string } {
  const { result, cloud } = report
  const decisive = result.decisive
  const several = result.endpoints.length > 1
  const what = several ? `${result.endpoints.length} ${cloud.noun}s` : `the ${cloud.noun}`
  const status = decisive?.last?.notFound ? 'DELETED' : decisive?.last?.status
  const target = report.waitFor.join(' or ')
  if (result.endpoints.length === 0) {
    // endpoint-id '*' and the service lists none: nothing was read.
    return result.outcome === 'reached'
      ? { mark: 'passed', text: 'Passed: the endpoint service has no endpoints left; every one is DELETED' }
      : verdictWithoutEndpoints(result.outcome)
  }
  // A teardown gate lets the workflow go on; a deploy gate, the deploy.
  const next =
    report.waitFor.includes('AVAILABLE') || report.waitFor.length === 0 ? 'the deploy' : 'the workflow'
  switch (result.outcome) {
    case 'reached':
      return {
        mark: 'passed',
        text: several
          ? `Passed: all ${what} reached ${target}; ${next} may go on`
          : `Passed: ${what} is ${status}; ${next} may go on`
      }
    case 'reported':
      return {
        mark: 'informed',
        text: several
          ? `Passed, read once: ${what} were read; the workflow decides what to do`
          : `Passed, read once: ${what} is ${status}; the workflow decides what to do`
      }
    case 'failed': {
      const subject = several ? `${decisive?.id} (one of ${result.endpoints.length} ${cloud.noun}s)` : what
      // On GCP the group may be fine while one of its forwarding rules failed.
      const rule =
        status !== undefined && report.failOn.includes(status)
          ? undefined
          : failingRule(decisive?.last, report.failOn)
      return {
        mark: 'blocked',
        text: rule
          ? `Blocked: the forwarding rule ${rule.name} of ${subject} is ${rule.status}, which is listed in fail-on`
          : `Blocked: ${subject} is ${status}, which is listed in fail-on`
      }
    }
    case 'unreachable':
      return {
        mark: 'blocked',
        text: `Blocked: ${several ? `${decisive?.id} (one of ${result.endpoints.length} ${cloud.noun}s)` : what} is being deleted and can no longer become ${target || 'ready'}`
      }
    case 'timeout':
      return {
        mark: 'blocked',
        text: `Timed out: ${what} did not become ${target || 'readable'} within ${seconds(report.timeoutMs)}`
      }
    case 'cancelled':
      return { mark: 'stopped', text: 'Cancelled: the step stopped before it had an answer' }
    case 'error':
      return { mark: 'blocked', text: `Could not read ${what}: the deploy should not go on` }
  }
}

function failingRule(state: EndpointState | undefined, failOn: string[]) {
  return state?.forwardingRules.find(rule => failOn.includes(rule.status))
}

function verdictWithoutEndpoints(outcome: WaitResult['outcome']): { mark: Mark; text: string } {
  if (outcome === 'cancelled')
    return { mark: 'stopped', text: 'Cancelled: the step stopped before it had an answer' }
  if (outcome === 'timeout') return { mark: 'blocked', text: 'Timed out listing the endpoint service' }
  return { mark: 'blocked', text: 'Could not list the endpoints: the deploy should not go on' }
}
