import type { EndpointState } from '../atlas/client.js'
import type { Clock, Deadline } from '../common/clock.js'
import { KNOWN_STATUSES, type KnownStatus } from '../common/constants.js'
import { CancelledError, DeadlineError, TransientError } from '../common/errors.js'
import type { Log } from '../common/log.js'
import { withRetries } from './retry.js'
import { endSentence, quote, seconds } from '../common/text.js'

/** How a run ended. */
export type Outcome =
  /** The status is one of `wait-for`. */
  | 'reached'
  /** Read once (no `wait-for`), and the status is not one of `fail-on`. */
  | 'reported'
  /** The status is one of `fail-on`. */
  | 'failed'
  /** Waiting cannot succeed: the endpoint is being deleted. */
  | 'unreachable'
  /** The deadline passed first. */
  | 'timeout'
  | 'cancelled'
  /** A request failed for good (bad key, wrong ID, retries exhausted, unreadable response). */
  | 'error'

export interface StatusChange {
  /** Milliseconds since the step started. */
  atMs: number
  status: string
}

export interface WaitResult {
  outcome: Outcome
  /** What happened, in a sentence or two a person can act on. */
  message: string
  /** The last status read, if any read succeeded. */
  last?: EndpointState
  /** Status reads that got a status back (retried failures not counted). */
  attempts: number
  /** Each change of status, starting with the first one read. */
  history: StatusChange[]
}

export interface WaitOptions {
  waitFor: KnownStatus[]
  failOn: KnownStatus[]
  intervalMs: number
  maxRetries: number
  /** One status read; throws TransientError for what is worth retrying. */
  read: () => Promise<EndpointState>
  clock: Clock
  deadline: Deadline
  signal: AbortSignal
  random: () => number
  log: Log
}

/**
 * The poll loop: read, decide, pause, read again, until the status is the one wanted, one that
 * fails the step, one that can no longer lead there, or the deadline passes. Never throws: every
 * ending is a WaitResult, so outputs and the summary can be written for all of them.
 */
export async function waitForStatus(options: WaitOptions): Promise<WaitResult> {
  const { waitFor, failOn, intervalMs, clock, deadline, log } = options
  const history: StatusChange[] = []
  let attempts = 0
  let last: EndpointState | undefined
  let warnedUnknown = false
  const target = waitFor.join(' or ')
  const at = (): string => `[${clockTime(deadline.elapsed())}]`
  const end = (outcome: Outcome, message: string): WaitResult => ({
    outcome,
    message,
    last,
    attempts,
    history
  })

  try {
    for (;;) {
      last = await withRetries(options.read, {
        maxRetries: options.maxRetries,
        clock,
        deadline,
        signal: options.signal,
        random: options.random,
        onRetry: ({ error, failures, delayMs }) =>
          log.info(
            `${at()} ${error.message} Retry ${failures} of ${options.maxRetries} in ${seconds(delayMs)}.`
          )
      })
      attempts += 1
      const status = last.connectionStatus
      if (history.length === 0 || history[history.length - 1].status !== status) {
        history.push({ atMs: deadline.elapsed(), status })
      }
      const known = (KNOWN_STATUSES as readonly string[]).includes(status)
      if (!known && !warnedUnknown) {
        warnedUnknown = true
        log.warning(
          `Atlas reported connectionStatus ${quote(status)}, which this version of the action does not know. It is reported as is${waitFor.length > 0 ? `; the step keeps waiting for ${target}` : ''}.`,
          'Unknown connection status'
        )
      }

      if (failOn.includes(status as KnownStatus)) {
        log.info(`${at()} ${status}: listed in fail-on; stopping.`)
        return end('failed', failedMessage(last))
      }
      if (waitFor.length === 0) {
        log.info(`${at()} ${status}: read once (no wait-for); done.`)
        return end('reported', `The interface endpoint is ${status}.`)
      }
      if (waitFor.includes(status as KnownStatus)) {
        log.info(`${at()} ${status}: reached; done.`)
        return end('reached', `The interface endpoint is ${status}.`)
      }
      // Deletion is one-way: once asked for, only DELETING (and then nothing) can follow.
      if (!waitFor.includes('DELETING') && (last.deleteRequested || status === 'DELETING')) {
        const why = last.deleteRequested
          ? 'Atlas has received a request to delete it (deleteRequested: true)'
          : 'Atlas is deleting it (DELETING)'
        log.info(`${at()} ${status}: being deleted; stopping.`)
        return end(
          'unreachable',
          `The interface endpoint is ${status} and can no longer become ${target}: ${why}. Recreate the endpoint, or stop waiting for it.`
        )
      }
      if (intervalMs >= deadline.remaining()) {
        log.info(
          `${at()} ${status}: not ${target} yet, and the next check would come after the deadline; stopping.`
        )
        return end(
          'timeout',
          timeoutMessage(deadline, target, last, attempts, 'the next check would come after the deadline.')
        )
      }
      log.info(`${at()} ${status}: waiting for ${target}; next check in ${seconds(intervalMs)}.`)
      await clock.sleep(intervalMs, options.signal)
    }
  } catch (error) {
    if (error instanceof CancelledError) {
      return end(
        'cancelled',
        `${error.message}${last ? ` The last status read was ${last.connectionStatus}.` : ''}`
      )
    }
    if (error instanceof DeadlineError) {
      log.info(`${at()} ${error.message}`)
      return end('timeout', timeoutMessage(deadline, target, last, attempts, error.message))
    }
    const message = error instanceof Error ? error.message : String(error)
    if (!(error instanceof TransientError))
      log.debug(`Stopped on ${(error as Error).name ?? 'error'}: ${message}`)
    return end('error', message)
  }
}

function failedMessage(state: EndpointState): string {
  const atlasSays =
    state.errorMessage !== null && state.errorMessage !== ''
      ? `Atlas says: ${quote(state.errorMessage, 500)}`
      : 'Atlas gave no error message'
  const advice =
    state.connectionStatus === 'REJECTED'
      ? ' AWS could not connect the interface endpoint to the Atlas endpoint service: check that the endpoint was created for the service name Atlas shows, in the same region, then delete and recreate it.'
      : ''
  return `The interface endpoint is ${state.connectionStatus}, which is listed in fail-on. ${endSentence(atlasSays)}${advice}`
}

function timeoutMessage(
  deadline: Deadline,
  target: string,
  last: EndpointState | undefined,
  attempts: number,
  why: string
): string {
  const limit = `timeout-seconds: ${deadline.budgetMs / 1000}`
  const waited = seconds(Math.round(deadline.elapsed() / 100) * 100)
  const seen = last
    ? `the last status was ${last.connectionStatus} (${attempts} ${attempts === 1 ? 'read' : 'reads'})`
    : 'no read succeeded'
  return `Timed out waiting for ${target || 'a status'} (${limit}): ${endSentence(why)} Waited ${waited}; ${seen}.`
}

/** 75000 → "01:15"; an hour or more → "1:02:03". */
export function clockTime(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000))
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  const mmss = `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`
  return h > 0 ? `${h}:${mmss}` : mmss
}
