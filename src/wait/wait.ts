import type { EndpointState } from '../atlas/client.js'
import type { Clock, Deadline } from '../common/clock.js'
import { CancelledError, DeadlineError, TransientError } from '../common/errors.js'
import type { Log } from '../common/log.js'
import { quote, seconds } from '../common/text.js'
import { judge, type Goals } from './judge.js'
import { withRetries } from './retry.js'
import { failedMessage, timeoutMessage, unreachableMessage } from './messages.js'

/** How a run ended. */
export type Outcome =
  /** Every endpoint reached a status in `wait-for`. */
  | 'reached'
  /** Read once (no `wait-for`), and nothing failed. */
  | 'reported'
  /** An endpoint read a status in `fail-on`. */
  | 'failed'
  /** An endpoint can no longer reach a wanted status: it is being deleted. */
  | 'unreachable'
  /** The deadline passed first. */
  | 'timeout'
  | 'cancelled'
  /** A request failed for good (bad credentials, wrong ID, retries exhausted, unreadable response). */
  | 'error'

export interface StatusChange {
  /** Milliseconds since the step started. */
  atMs: number
  endpointId: string
  status: string
}

/** What is known of one endpoint so far. */
export interface EndpointProgress {
  /** The ID as given (decoded). */
  id: string
  last?: EndpointState
  reached: boolean
  /** When it reached a wanted status, in milliseconds since the step started. */
  reachedAtMs?: number
}

export interface WaitResult {
  outcome: Outcome
  /** What happened, in a sentence or two a person can act on. */
  message: string
  endpoints: EndpointProgress[]
  /** The endpoint that decided the outcome: the first to fail, the last to arrive, the first missing. */
  decisive?: EndpointProgress
  /** Status reads that got a status back, over all endpoints (retried failures not counted). */
  attempts: number
  /** Each change of an endpoint's status, starting with the first one read. */
  history: StatusChange[]
  /** What stopped the run, when the outcome is 'error' (the summary picks its advice by it). */
  error?: unknown
}

export interface WaitOptions extends Goals {
  endpointIds: string[]
  intervalMs: number
  maxRetries: number
  /** One status read of one endpoint; throws TransientError for what is worth retrying. */
  read: (endpointId: string) => Promise<EndpointState>
  /** Known statuses of the cloud, to warn once about a status this version does not know. */
  knownStatuses: readonly string[]
  /** What is being checked, for messages: "AWS interface endpoint". */
  noun: string
  /** What to do about a failing status, by status. */
  advice: Record<string, string>
  clock: Clock
  deadline: Deadline
  signal: AbortSignal
  random: () => number
  log: Log
}

/** The last check comes this long before the deadline, so that its request has time to answer. */
export const FINAL_CHECK_MARGIN_MS = 500

/**
 * The poll loop: each check reads every endpoint that has not arrived yet, one after another
 * (one Digest challenge serves them all, and the nonce count stays in order), until all have
 * arrived, one fails or can no longer arrive, or the deadline passes. Never throws: every
 * ending is a WaitResult, so outputs and the summary can be written for all of them.
 */
export async function waitForStatus(options: WaitOptions): Promise<WaitResult> {
  const { waitFor, intervalMs, clock, deadline, log } = options
  const endpoints: EndpointProgress[] = options.endpointIds.map(id => ({ id, reached: false }))
  const history: StatusChange[] = []
  const several = endpoints.length > 1
  let attempts = 0
  let warnedUnknown = false
  let current: EndpointProgress | undefined
  const target = waitFor.join(' or ')
  const at = (): string => `[${clockTime(deadline.elapsed())}]`
  const who = (endpoint: EndpointProgress): string => (several ? `${endpoint.id}: ` : '')
  const end = (outcome: Outcome, message: string, decisive?: EndpointProgress): WaitResult => ({
    outcome,
    message,
    endpoints,
    decisive,
    attempts,
    history
  })
  /** The pause before the next check: the interval, shortened so that a last check comes before the deadline. */
  const nextPause = (): number => Math.min(intervalMs, deadline.remaining() - FINAL_CHECK_MARGIN_MS)

  try {
    for (;;) {
      let reportNote: string | undefined
      for (const endpoint of endpoints.filter(candidate => !candidate.reached)) {
        current = endpoint
        const state = await withRetries(() => options.read(endpoint.id), {
          maxRetries: options.maxRetries,
          clock,
          deadline,
          signal: options.signal,
          random: options.random,
          onRetry: ({ error, failures, delayMs }) =>
            log.info(
              `${at()} ${who(endpoint)}${error.message} Retry ${failures} of ${options.maxRetries} in ${seconds(delayMs)}.`
            )
        })
        attempts += 1
        const previous = endpoint.last
        endpoint.last = state
        // A delete request decides a run as surely as a status does: the history shows both.
        if (previous?.status !== state.status || previous.deleteRequested !== state.deleteRequested) {
          const status = state.deleteRequested ? `${state.status} (delete requested)` : state.status
          history.push({ atMs: deadline.elapsed(), endpointId: endpoint.id, status })
        }
        if (!warnedUnknown && !state.notFound && !options.knownStatuses.includes(state.status)) {
          warnedUnknown = true
          log.warning(
            `Atlas reported the status ${quote(state.status)}, which this version of the action does not know. It is reported as is${waitFor.length > 0 ? `; the step keeps waiting for ${target}` : ''}.`,
            'Unknown status'
          )
        }
        const shown = state.notFound ? 'not found (deleted, or the ID never existed)' : state.status
        const verdict = judge(state, options)
        switch (verdict.kind) {
          case 'failed':
            log.info(`${at()} ${who(endpoint)}${shown}: listed in fail-on; stopping.`)
            return end(
              'failed',
              failedMessage(options.noun, endpoint, verdict.why, options.advice[verdict.failingStatus]),
              endpoint
            )
          case 'unreachable':
            log.info(`${at()} ${who(endpoint)}${shown}: being deleted; stopping.`)
            return end(
              'unreachable',
              unreachableMessage(options.noun, endpoint, verdict.why, target),
              endpoint
            )
          case 'reported':
            reportNote ??= verdict.note
            log.info(
              `${at()} ${who(endpoint)}${shown}: read once (no wait-for)${verdict.note ? `; ${verdict.note}` : ''}; done.`
            )
            break
          case 'reached': {
            endpoint.reached = true
            endpoint.reachedAtMs = deadline.elapsed()
            const left = endpoints.filter(candidate => !candidate.reached).length
            log.info(
              `${at()} ${who(endpoint)}${shown}: reached${left > 0 ? ` (${left} still to come)` : ''}; done.`
            )
            break
          }
          case 'waiting':
            log.info(
              `${at()} ${who(endpoint)}${shown}: waiting for ${target}${pauseNote(nextPause(), intervalMs)}.`
            )
        }
      }

      if (waitFor.length === 0) {
        const last = endpoints[endpoints.length - 1]
        const noun = several
          ? `${endpoints.length} endpoints were read`
          : `The ${options.noun} is ${last.last?.status}`
        const note = reportNote ? ` Note: ${reportNote}; fail-on is empty, so the step does not fail.` : ''
        return end('reported', `${noun}.${note}`, last)
      }
      if (endpoints.every(endpoint => endpoint.reached)) {
        const lastToArrive = [...endpoints].sort((a, b) => (a.reachedAtMs ?? 0) - (b.reachedAtMs ?? 0)).pop()
        const message = several
          ? `All ${endpoints.length} endpoints reached ${target}.`
          : `The ${options.noun} is ${lastToArrive?.last?.notFound ? 'DELETED (not found: deleted, or the ID never existed)' : lastToArrive?.last?.status}.`
        return end('reached', message, lastToArrive)
      }
      const pause = nextPause()
      if (pause <= 0) {
        const missing = endpoints.find(endpoint => !endpoint.reached)
        log.info(
          `${at()} Not ${target} yet, and no time is left for another check before the deadline; stopping.`
        )
        return end(
          'timeout',
          timeoutMessage(deadline, target, endpoints, attempts, 'no time was left for another check.'),
          missing
        )
      }
      current = undefined
      await clock.sleep(pause, options.signal)
    }
  } catch (error) {
    const decisive = current ?? endpoints.find(endpoint => !endpoint.reached)
    if (error instanceof CancelledError) {
      const last = decisive?.last ?? endpoints.find(endpoint => endpoint.last)?.last
      return end(
        'cancelled',
        `${error.message}${last ? ` The last status read was ${last.status}.` : ''}`,
        decisive
      )
    }
    if (error instanceof DeadlineError) {
      log.info(`${at()} ${error.message}`)
      return end('timeout', timeoutMessage(deadline, target, endpoints, attempts, error.message), decisive)
    }
    const message = error instanceof Error ? error.message : String(error)
    if (!(error instanceof TransientError))
      log.debug(`Stopped on ${(error as Error).name ?? 'error'}: ${message}`)
    return { ...end('error', several && current ? `${current.id}: ${message}` : message, decisive), error }
  }
}

function pauseNote(pauseMs: number, intervalMs: number): string {
  if (pauseMs <= 0) return ''
  const shown = seconds(Math.round(pauseMs / 100) * 100)
  return pauseMs < intervalMs
    ? `; last check in ${shown}, just before the deadline`
    : `; next check in ${shown}`
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
