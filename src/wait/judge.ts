import type { EndpointState } from '../atlas/client.js'
import { CLOUDS, DELETED } from '../common/clouds.js'
import { quote } from '../common/text.js'

/**
 * What one read means for the step, given what the workflow waits for and fails on. Pure: the
 * poll loop asks, and this answers.
 */
export type Verdict =
  /** A wanted status, and not on its way out (or deletion is the goal). */
  | { kind: 'reached' }
  /** A status listed in fail-on (of the endpoint or, on GCP, of one of its forwarding rules). */
  | { kind: 'failed'; why: string; failingStatus: string }
  /** It can no longer reach a wanted status: Atlas is deleting it. */
  | { kind: 'unreachable'; why: string }
  /** Read once (no wait-for): nothing to wait for, nothing failing. */
  | { kind: 'reported'; note?: string }
  | { kind: 'waiting' }

export interface Goals {
  waitFor: string[]
  failOn: string[]
}

/** Deletion is the goal when the workflow waits for DELETING or DELETED. */
export function deletionIsGoal(goals: Goals): boolean {
  return goals.waitFor.includes('DELETING') || goals.waitFor.includes(DELETED)
}

export function judge(state: EndpointState, goals: Goals): Verdict {
  const { waitFor, failOn } = goals
  const { status } = state
  if (failOn.includes(status))
    return { kind: 'failed', why: 'which is listed in fail-on', failingStatus: status }
  const failedRule = state.forwardingRules.find(rule => failOn.includes(rule.status))
  if (failedRule) {
    return {
      kind: 'failed',
      why: `and its forwarding rule ${failedRule.name} is ${failedRule.status}, which is listed in fail-on`,
      failingStatus: failedRule.status
    }
  }
  const beingDeleted = state.deleteRequested || status === 'DELETING' || status === DELETED
  const deletionWhy = state.deleteRequested
    ? 'Atlas has received a request to delete it (deleteRequested: true)'
    : status === DELETED
      ? 'it has been deleted'
      : 'Atlas is deleting it (DELETING)'

  if (waitFor.length === 0) {
    if (!beingDeleted) return { kind: 'reported' }
    // Read once on an endpoint on its way out: never a pass unless fail-on is off.
    if (failOn.length === 0) return { kind: 'reported', note: deletionWhy }
    return { kind: 'unreachable', why: deletionWhy }
  }
  const deleting = deletionIsGoal(goals)
  // An answer that is not quite Atlas's word for the status is "not yet", never a pass.
  if (waitFor.includes(status) && (deleting || !state.deleteRequested) && notYet(state) === undefined)
    return { kind: 'reached' }
  // Deletion is one-way: once asked for, only DELETING (and then nothing) can follow.
  if (beingDeleted && !deleting) return { kind: 'unreachable', why: deletionWhy }
  return { kind: 'waiting' }
}

/**
 * Why a status that wait-for names is not a pass yet, or undefined when nothing holds it back:
 * the status was not sent as Atlas writes it ("available", "AVAILABLE\n"), an AWS or Azure
 * answer of 200 says DELETED (its deletion needs a confirmed 404), or a Google Cloud
 * endpoint group is AVAILABLE while it lists no forwarding rule or one that is not AVAILABLE
 * (a connection through that rule would fail).
 */
export function notYet(state: EndpointState): string | undefined {
  if (state.statusAsSent !== undefined)
    return `sent as ${quote(state.statusAsSent, 40)}, not as Atlas writes it`
  // AWS and Azure never report DELETED: for them only a 404 the endpoint service confirms is one.
  if (state.status === DELETED && !state.notFound && !CLOUDS[state.cloudProvider].statuses.includes(DELETED))
    return `a status ${state.cloudProvider} never reports: only a 404 the endpoint service confirms counts as DELETED`
  if (state.cloudProvider !== 'GCP' || state.status !== 'AVAILABLE') return undefined
  if (state.forwardingRules.length === 0) return 'but it lists no forwarding rule'
  const rule = state.forwardingRules.find(r => r.status !== 'AVAILABLE' || r.asSent !== undefined)
  if (rule === undefined) return undefined
  return `but its forwarding rule ${rule.name} is ${rule.asSent !== undefined ? quote(rule.asSent, 40) : rule.status}`
}
