import type { Deadline } from '../common/clock.js'
import { endSentence, quote, seconds } from '../common/text.js'
import type { EndpointProgress } from './wait.js'

/**
 * The sentences that end a wait: what happened, to which endpoint, and what Atlas said. They
 * go to the log, the error annotation and the summary, so they quote Atlas's text (escaped,
 * shortened) rather than paste it.
 */

function atlasSays(endpoint: EndpointProgress): string {
  const text = endpoint.last?.errorMessage
  return text ? `Atlas says: ${quote(text, 500)}` : 'Atlas gave no error message'
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

export function timeoutMessage(
  deadline: Deadline,
  target: string,
  endpoints: EndpointProgress[],
  attempts: number,
  why: string
): string {
  const limit = `timeout-seconds: ${deadline.budgetMs / 1000}`
  const waited = seconds(Math.round(deadline.elapsed() / 100) * 100)
  const missing = endpoints.filter(endpoint => !endpoint.reached)
  const reads = `${attempts} ${attempts === 1 ? 'read' : 'reads'}`
  let seen: string
  if (endpoints.length === 1) {
    const last = endpoints[0].last
    seen = last ? `the last status was ${last.status} (${reads})` : 'no read succeeded'
  } else {
    const list = missing.map(endpoint => `${endpoint.id} (${endpoint.last?.status ?? 'not read'})`).join(', ')
    seen = `${missing.length} of ${endpoints.length} endpoints are not there yet: ${list} (${reads})`
  }
  return `Timed out waiting for ${target || 'a status'} (${limit}): ${endSentence(why)} Waited ${waited}; ${seen}.`
}
