import type { Deadline } from '../common/clock.js'
import { DELETED } from '../common/clouds.js'
import { endSentence, quote, seconds } from '../common/text.js'
import type { ClusterProgress } from './clusters.js'
import type { EndpointProgress } from './progress.js'

/**
 * The sentences that end a wait: what happened, to which endpoints, and what Atlas said. They
 * go to the log, the error annotation and the summary, so they quote Atlas's text (escaped,
 * shortened) rather than paste it, and they count what decided the run, in agreement.
 */

function atlasSays(endpoint: EndpointProgress): string {
  const text = endpoint.last?.errorMessage
  return text ? `Atlas says: ${quote(text, 500)}` : 'Atlas gave no error message'
}

/** "1 endpoint", "2 endpoints". */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`
}

/** "a", "a and b", "a, b and c". */
export function listed(items: string[]): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`
}

/**
 * The endpoints that decided a run, named: their IDs when there are at most 3, else "N of K".
 * `of` is the number checked; with one endpoint, its noun alone.
 */
export function naming(deciding: EndpointProgress[], of: number, noun: string): string {
  if (of === 1) return `the ${noun} ${deciding[0]?.id ?? ''}`.trimEnd()
  if (deciding.length <= 3)
    return `${deciding.length === 1 ? `the ${noun}` : `the ${noun}s`} ${listed(deciding.map(e => e.id))}`
  return `${deciding.length} of ${of} ${noun}s`
}

export function failedMessage(
  noun: string,
  endpoint: EndpointProgress,
  why: string,
  advice?: string
): string {
  const said = endSentence(atlasSays(endpoint))
  return `The ${noun} ${endpoint.id} is ${endpoint.last?.status}, ${why}. ${said}${advice ? ` ${advice}` : ''}`
}

export function unreachableMessage(
  noun: string,
  endpoint: EndpointProgress,
  why: string,
  target: string
): string {
  const goal = target ? `can no longer become ${target}` : 'is on its way out'
  return `The ${noun} ${endpoint.id} is ${endpoint.last?.status} and ${goal}: ${why}. Recreate the endpoint, or stop waiting for it.`
}

export function reachedMessage(noun: string, endpoints: EndpointProgress[], target: string): string {
  if (endpoints.length === 2) return `Both endpoints reached ${target}.`
  if (endpoints.length > 1) return `All ${endpoints.length} endpoints reached ${target}.`
  const last = endpoints[0]?.last
  const status = last?.notFound
    ? `${DELETED} (not found, and the endpoint service confirms it)`
    : (last?.status ?? target)
  return `The ${noun} is ${status}.`
}

/** "Waited 4.5 s": the time the log, the message and the summary's headline all give. */
export function waitedFor(waitedMs: number): string {
  return seconds(waitedMs)
}

export function timeoutMessage(
  options: { deadline: Deadline; noun: string },
  target: string,
  endpoints: EndpointProgress[],
  attempts: number,
  why: string,
  waitedMs: number
): string {
  const limit = `timeout-seconds: ${options.deadline.budgetMs / 1000}`
  const missing = endpoints.filter(endpoint => !endpoint.reached)
  const reads = count(attempts, 'read')
  let seen: string
  if (endpoints.length === 1) {
    const last = endpoints[0].last
    seen = last
      ? `the last status was ${last.notFound ? 'not found' : last.status} (${reads})`
      : 'no read succeeded'
  } else {
    const list = missing.map(endpoint => `${endpoint.id} (${endpoint.last?.status ?? 'not read'})`).join(', ')
    const verb = missing.length === 1 ? 'is' : 'are'
    seen = `${missing.length} of ${endpoints.length} endpoints ${verb} not there yet: ${list} (${reads})`
  }
  return `Timed out waiting for ${target || 'a status'} (${limit}): ${endSentence(why)} Waited ${waitedFor(waitedMs)}; ${seen}.`
}

/** The endpoints are ready, but a cluster is not: what it is waiting for, as the headline says it. */
export function clusterWaitingFor(cluster: ClusterProgress): string {
  if (cluster.verdict?.kind === 'waiting') return cluster.verdict.why
  return `cluster ${cluster.name} was not read`
}

export function clusterTimeoutMessage(
  options: { deadline: Deadline },
  waiting: ClusterProgress[],
  why: string,
  waitedMs: number
): string {
  const limit = `timeout-seconds: ${options.deadline.budgetMs / 1000}`
  const what = waiting.map(clusterWaitingFor).join('; ')
  return `Timed out waiting for the clusters (${limit}): ${endSentence(why)} Waited ${waitedFor(waitedMs)}; the endpoints are ready, but ${what}.`
}
