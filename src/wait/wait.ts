import type { EndpointState, ServiceState } from '../atlas/client.js'
import type { Clock, Deadline } from '../common/clock.js'
import { DELETED } from '../common/clouds.js'
import { CancelledError } from '../common/errors.js'
import type { Log } from '../common/log.js'
import { quote, seconds } from '../common/text.js'
import { deletionVerdict, proveDeletion, type DeletionReads } from './deletion.js'
import { judge, notYet, type Goals } from './judge.js'
import {
  ClusterFailure,
  failureOf,
  recordClusterRead,
  type ClusterProgress,
  type ClusterWatch
} from './clusters.js'
import { ReadScheduler } from './scheduler.js'
import type { EndpointProgress, WaitResult } from './progress.js'
import { withRetries, type RetryOptions } from './retry.js'
import { end, passed, reported, stopped, timedOut, type EndingContext, type RunRecord } from './endings.js'
import { failedMessage, unreachableMessage } from './messages.js'

export type { EndpointProgress, Outcome, StatusChange, WaitResult } from './progress.js'

export interface WaitOptions extends Goals {
  endpointIds: string[]
  intervalMs: number
  maxRetries: number
  /** One status read of one endpoint; throws TransientError for what is worth retrying. */
  read: (endpointId: string) => Promise<EndpointState>
  /** When deletion is the goal: the reads that corroborate a 404 (the endpoint service, the project). */
  deletion?: { reads: DeletionReads; endpointServiceId: string }
  /** The endpoint service as it was last read before the wait (endpoint-id '*'). */
  service?: ServiceState
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
  /**
   * Runs the reads of a check: at most 8 at once, within Atlas's rate limits, one 429 pausing
   * them all. One per run (the transport waits at its gate); a default one otherwise.
   */
  scheduler?: ReadScheduler
  /** Reads in flight at once, for the default scheduler (tests). */
  concurrency?: number
  /** The clusters that must serve the endpoints (cluster-name), read once every endpoint has arrived. */
  clusters?: ClusterWatch
}

/** The last check comes this long before the deadline, so that its request has time to answer. */
export const FINAL_CHECK_MARGIN_MS = 500

/** The pause before the next check: the interval, shortened so that a last check comes before the deadline. */
export function pauseBeforeNextCheck(intervalMs: number, deadline: Deadline): number {
  return Math.min(intervalMs, deadline.remaining() - FINAL_CHECK_MARGIN_MS)
}

/** Why a round of reads ended the run early. */
class RunEnded {
  constructor(readonly result: WaitResult) {}
}

/**
 * The poll loop. Each check reads, concurrently, every endpoint that has not arrived yet; when
 * all have, it reads again those that arrived in earlier checks, so that a pass is about one
 * moment, not a collage of old answers. A 404 while waiting for deletion is corroborated by the
 * endpoint service before it counts. Ends when all have arrived, one fails or can no longer
 * arrive, or the deadline passes. Never throws: every ending is a WaitResult, so outputs and
 * the summary can be written for all of them.
 */
export async function waitForStatus(options: WaitOptions): Promise<WaitResult> {
  return new WaitRun(options).run()
}

class WaitRun {
  /** What the run knows; the endings read it. */
  private readonly record: RunRecord
  private readonly ending: EndingContext
  private readonly several: boolean
  private readonly target: string
  private readonly scheduler: ReadScheduler
  private warnedUnknown = false
  private check = 0
  /** Endpoints Atlas answered 404 for in this check, waiting for the service to corroborate it. */
  private unproven = new Map<EndpointProgress, EndpointState>()
  /** The endpoint whose read was going on when an error stopped the run. */
  private current: EndpointProgress | undefined
  private reportNote: string | undefined

  constructor(private readonly options: WaitOptions) {
    this.record = {
      endpoints: options.endpointIds.map(id => ({ id, reached: false })),
      clusters: (options.clusters?.names ?? []).map(name => ({ name, ready: false, connection: '' })),
      history: [],
      notes: [],
      attempts: 0,
      service: options.service
    }
    this.several = this.endpoints.length > 1
    this.ending = {
      record: this.record,
      noun: options.noun,
      target: options.waitFor.join(' or '),
      deadline: options.deadline,
      log: options.log,
      at: () => this.at()
    }
    this.target = options.waitFor.join(' or ')
    this.scheduler =
      options.scheduler ??
      new ReadScheduler({
        clock: options.clock,
        log: options.log,
        intervalMs: options.intervalMs,
        limit: options.concurrency
      })
  }

  async run(): Promise<WaitResult> {
    const { waitFor, clock, options } = { ...this.options, options: this.options }
    try {
      for (;;) {
        this.check += 1
        this.unproven.clear()
        await this.readRound(this.endpoints.filter(endpoint => !endpoint.reached))
        const arrived = this.endpoints.every(e => e.reached || this.unproven.has(e))
        // The clusters are read only once every endpoint has arrived, and every check after.
        if (waitFor.length > 0 && arrived && this.clusters.length > 0) await this.readClusters(false)
        // One moment: when all have arrived (and the clusters are ready), those that arrived
        // earlier are read again.
        if (waitFor.length > 0 && arrived && this.clusters.every(cluster => cluster.ready)) {
          const earlier = this.endpoints.filter(e => e.reached && e.readInCheck !== this.check)
          if (earlier.length > 0) {
            this.options.log.info(
              `${this.at()} ${earlier.length === 1 ? `${earlier[0].id} arrived` : `${earlier.length} endpoints arrived`} in an earlier check; reading ${earlier.length === 1 ? 'it' : 'them'} again, so that the verdict is about one moment.`
            )
            await this.readRound(earlier)
          }
        }
        if (this.unproven.size > 0) await this.corroborate()

        if (waitFor.length === 0) {
          if (this.clusters.length > 0) await this.readClusters(true)
          return reported(this.ending, this.reportNote)
        }
        if (this.endpoints.every(e => e.reached) && this.clusters.every(c => c.ready))
          return passed(this.ending)
        const pause = this.nextPause()
        if (pause <= 0) {
          this.options.log.info(
            `${this.at()} Not ${this.target} yet, and no time is left for another check before the deadline; stopping.`
          )
          return timedOut(this.ending, 'no time was left for another check.')
        }
        this.current = undefined
        await clock.sleep(pause, options.signal)
      }
    } catch (error) {
      if (error instanceof RunEnded) return error.result
      return stopped(this.ending, error, this.current)
    }
  }

  /** Reads the endpoints concurrently, then takes the answers in input order. */
  private async readRound(endpoints: EndpointProgress[]): Promise<void> {
    if (endpoints.length === 0) return
    const stop = new AbortController()
    // Each answer is kept as it comes, so that the one that stops the run is not lost with the
    // reads it abandons.
    const answers: PromiseSettledResult<EndpointState>[] = []
    await this.scheduler.run(
      endpoints.map((endpoint, index) => async () => {
        try {
          const state = await this.readWithRetries(endpoint, stop.signal)
          answers[index] = { status: 'fulfilled', value: state }
          // Fail fast: a fail-on status (or a deletion) ends the run; reads not started never
          // start, and those in flight are abandoned (their answers are not read).
          const verdict = state.notFound ? undefined : judge(state, this.options)
          if (verdict?.kind === 'failed' || verdict?.kind === 'unreachable') stop.abort()
        } catch (reason) {
          if (!stop.signal.aborted) answers[index] = { status: 'rejected', reason }
        }
      }),
      { signal: stop.signal }
    )
    // Answers are taken in input order, whatever order they came in; the first failure in that
    // order is the one reported.
    let firstError: { endpoint: EndpointProgress; error: unknown } | undefined
    for (const [index, endpoint] of endpoints.entries()) {
      const settled = answers[index]
      if (settled === undefined) continue
      if (settled.status === 'rejected') {
        firstError ??= { endpoint, error: settled.reason }
        continue
      }
      this.take(endpoint, settled.value)
    }
    if (firstError) {
      this.current = firstError.endpoint
      throw firstError.error
    }
  }

  private async readWithRetries(endpoint: EndpointProgress, stop: AbortSignal): Promise<EndpointState> {
    return withRetries(
      () => {
        if (stop.aborted) throw new CancelledError('a failing endpoint')
        return this.options.read(endpoint.id)
      },
      this.retryOptions(this.who(endpoint), stop)
    )
  }

  /** One answer: recorded, logged and judged. Throws RunEnded when it decides the run. */
  private take(endpoint: EndpointProgress, state: EndpointState): void {
    const { log, waitFor } = this.options
    this.record.attempts += 1
    endpoint.readInCheck = this.check
    if (state.notFound) {
      // A claim to check with the endpoint service before it counts: until then the endpoint
      // keeps its last status (never DELETED on the word of a 404 alone).
      this.unproven.set(endpoint, state)
      log.info(
        `${this.at()} ${this.who(endpoint)}not found (HTTP 404); asking the endpoint service whether it is gone.`
      )
      return
    }
    const previous = endpoint.last
    endpoint.last = state
    endpoint.seen = true
    this.recordChange(endpoint, previous, state)
    // A status the workflow named in wait-for or fail-on is known to it, whatever the cloud.
    const named = waitFor.includes(state.status) || this.options.failOn.includes(state.status)
    if (!this.warnedUnknown && !named && !this.options.knownStatuses.includes(state.status)) {
      this.warnedUnknown = true
      log.warning(
        `Atlas reported the status ${quote(state.status)}, which this version of the action does not know. It is reported as is${waitFor.length > 0 ? `; the step keeps waiting for ${this.target}` : ''}.`,
        'Unknown status'
      )
    }
    const held = waitFor.includes(state.status) ? notYet(state) : undefined
    this.judgeAndLog(endpoint, state, held ? `${state.status} (${held})` : state.status)
  }

  private judgeAndLog(endpoint: EndpointProgress, state: EndpointState, shown: string): void {
    const { log } = this.options
    const verdict = judge(state, this.options)
    switch (verdict.kind) {
      case 'failed':
        log.info(`${this.at()} ${this.who(endpoint)}${shown}: listed in fail-on; stopping.`)
        throw new RunEnded(
          end(
            this.ending,
            'failed',
            failedMessage(
              this.options.noun,
              endpoint,
              verdict.why,
              this.options.advice[verdict.failingStatus]
            ),
            [endpoint]
          )
        )
      case 'unreachable':
        log.info(`${this.at()} ${this.who(endpoint)}${shown}: being deleted; stopping.`)
        throw new RunEnded(
          end(
            this.ending,
            'unreachable',
            unreachableMessage(this.options.noun, endpoint, verdict.why, this.target),
            [endpoint]
          )
        )
      case 'reported':
        this.reportNote ??= verdict.note
        log.info(
          `${this.at()} ${this.who(endpoint)}${shown}: read once (no wait-for)${verdict.note ? `; ${verdict.note}` : ''}; done.`
        )
        return
      case 'reached': {
        const again = endpoint.reached
        endpoint.reached = true
        if (!again) endpoint.reachedAtMs = this.options.deadline.elapsed()
        const left = this.endpoints.filter(candidate => !candidate.reached).length
        const more = this.several && left > 0 ? ` (${left} still to come)` : ''
        log.info(`${this.at()} ${this.who(endpoint)}${shown}: ${again ? 'still there' : 'reached'}${more}.`)
        return
      }
      case 'waiting':
        if (endpoint.reached) {
          endpoint.reached = false
          endpoint.reachedAtMs = undefined
          log.info(
            `${this.at()} ${this.who(endpoint)}${shown}: no longer ${this.target}; waiting for it again${this.pauseNote()}.`
          )
          return
        }
        log.info(`${this.at()} ${this.who(endpoint)}${shown}: waiting for ${this.target}${this.pauseNote()}.`)
    }
  }

  /**
   * Reads every named cluster (concurrently) and judges it against the endpoints. A cluster
   * that cannot become ready (not found, paused, being deleted, not dedicated) ends the run,
   * unless the run reads once: then it is only reported.
   */
  private async readClusters(readOnce: boolean): Promise<void> {
    const watch = this.options.clusters as ClusterWatch
    const { log } = this.options
    const results = await this.scheduler.run(
      this.clusters.map(
        cluster => () =>
          withRetries(() => watch.read(cluster.name), this.retryOptions(`cluster ${cluster.name}: `))
      )
    )
    for (const [index, cluster] of this.clusters.entries()) {
      const settled = results[index]
      if (settled.status === 'stopped') continue
      if (settled.status === 'rejected') {
        this.current = undefined
        const failure = await watch.failureOf(settled.reason, cluster)
        if (readOnce && failure instanceof ClusterFailure) {
          log.warning(failure.message, 'Cluster')
          continue
        }
        if (failure instanceof ClusterFailure) throw new RunEnded(this.endByCluster(failure))
        throw failure
      }
      const state = settled.value
      const verdict = recordClusterRead(cluster, state, watch, this.options.endpointIds, {
        atMs: this.options.deadline.elapsed(),
        history: this.record.history
      })
      if (verdict.kind === 'failed') {
        if (readOnce) {
          log.info(`${this.at()} cluster ${cluster.name}: ${verdict.why}; read once (no wait-for).`)
          continue
        }
        log.info(`${this.at()} cluster ${cluster.name}: ${verdict.why}; stopping.`)
        throw new RunEnded(this.endByCluster(failureOf(cluster, verdict)))
      }
      // The verdict's why already names the cluster ("cluster Cluster0 is UPDATING; …").
      const said =
        verdict.kind === 'ready'
          ? `cluster ${cluster.name} is ${state.stateName}, and its private connection string lists the ${this.several ? 'endpoints' : 'endpoint'}: ready`
          : verdict.why
      const next = readOnce ? '; read once (no wait-for)' : verdict.kind === 'ready' ? '' : this.pauseNote()
      log.info(`${this.at()} ${said}${next}.`)
    }
  }

  private endByCluster(failure: ClusterFailure): WaitResult {
    return {
      ...end(this.ending, 'failed', failure.message, []),
      decidingClusters: [failure.cluster],
      error: failure
    }
  }

  /**
   * How a read is retried: within max-retries and the deadline, a 429 pausing every read; the
   * log line starts with `prefix` (what was being read).
   */
  private retryOptions(prefix: string, stop?: AbortSignal): RetryOptions {
    return {
      maxRetries: this.options.maxRetries,
      clock: this.options.clock,
      deadline: this.options.deadline,
      signal: this.options.signal,
      random: this.options.random,
      onRetry: ({ error, failures, delayMs }) => {
        // A 429 pauses every read, not just this one.
        if (error.rateLimited) this.scheduler.pauseFor(delayMs)
        if (!stop?.aborted)
          this.options.log.info(
            `${this.at()} ${prefix}${error.message} Retry ${failures} of ${this.options.maxRetries} in ${seconds(delayMs)}.`
          )
      }
    }
  }

  /** The history records each change of status (or of a delete request) of each endpoint. */
  private recordChange(
    endpoint: EndpointProgress,
    previous: EndpointState | undefined,
    state: EndpointState
  ): void {
    const status = state.notFound ? DELETED : state.status
    const before = previous?.notFound ? DELETED : previous?.status
    if (before !== status || previous?.deleteRequested !== state.deleteRequested) {
      const shown = state.deleteRequested && status !== DELETED ? `${status} (delete requested)` : status
      this.record.history.push({
        atMs: this.options.deadline.elapsed(),
        endpointId: endpoint.id,
        status: shown
      })
    }
  }

  /**
   * The endpoint service's word on the endpoints Atlas answered 404 for in this check: gone
   * when it no longer lists them (or is gone itself, with the project there); "not yet" when it
   * still lists them; a mistyped ID when it lists a near one and this run never saw the
   * endpoint.
   */
  private async corroborate(): Promise<void> {
    const { deletion, log } = this.options
    const unproven = this.endpoints.filter(endpoint => this.unproven.has(endpoint))
    if (!deletion) throw new Error('A 404 was read as a deletion without a way to corroborate it.')
    this.current = unproven[0]
    const proof = await proveDeletion(deletion.reads, deletion.endpointServiceId, (read, what) =>
      withRetries(read, this.retryOptions(`Reading ${what}: `))
    )
    if (proof.kind === 'listing') this.record.service = proof.service
    const checked = this.endpoints.map(endpoint => endpoint.id)
    for (const endpoint of unproven) {
      // A confirmed deletion keeps what was last known of the request for it.
      const claim = this.unproven.get(endpoint) as EndpointState
      const state = { ...claim, deleteRequested: endpoint.last?.deleteRequested ?? false }
      const verdict = deletionVerdict(endpoint, proof, checked, deletion.endpointServiceId)
      if (verdict.kind === 'still-listed') {
        endpoint.reached = false
        endpoint.reachedAtMs = undefined
        log.info(
          `${this.at()} ${this.who(endpoint)}not found, but the endpoint service still lists it: not deleted yet${this.pauseNote()}.`
        )
        continue
      }
      if (verdict.note !== undefined) {
        this.record.notes.push(verdict.note)
        log.warning(verdict.note, 'Not found at the first read')
      }
      endpoint.seen = true
      this.recordChange(endpoint, endpoint.last, state)
      endpoint.last = state
      this.judgeAndLog(endpoint, state, `${DELETED} (not found, and the endpoint service confirms it)`)
    }
  }

  private get endpoints(): EndpointProgress[] {
    return this.record.endpoints
  }

  private get clusters(): ClusterProgress[] {
    return this.record.clusters
  }

  /** The pause before the next check: the interval, shortened so that a last check comes before the deadline. */
  private nextPause(): number {
    return pauseBeforeNextCheck(this.options.intervalMs, this.options.deadline)
  }

  private pauseNote(): string {
    if (this.options.waitFor.length === 0) return ''
    return pauseNote(this.nextPause(), this.options.intervalMs)
  }

  private at(): string {
    return `[${clockTime(this.options.deadline.elapsed())}]`
  }

  private who(endpoint: EndpointProgress): string {
    return this.several ? `${endpoint.id}: ` : ''
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
