import type { EndpointState, ServiceState } from '../atlas/client.js'
import type { ClusterProgress } from './clusters.js'

/**
 * What a wait knows and how it ended: the shapes the poll loop fills in and the report reads.
 */

/** How a run ended. */
export type Outcome =
  /** Every endpoint reached a status in `wait-for` (and every named cluster is ready). */
  | 'reached'
  /** Read once (no `wait-for`), and nothing failed. */
  | 'reported'
  /** An endpoint read a status in `fail-on` (or a cluster, or the endpoint service, failed). */
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
  /** The endpoint's ID, or the cluster's name. */
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
  /** Atlas described it (HTTP 200) at least once in this run. */
  seen?: boolean
  /** The check in which it was last read (1, 2, …). */
  readInCheck?: number
}

export interface WaitResult {
  outcome: Outcome
  /** What happened, in a sentence or two a person can act on. */
  message: string
  endpoints: EndpointProgress[]
  /** The endpoint that decided the outcome: the first to fail, the last to arrive, the first missing. */
  decisive?: EndpointProgress
  /** Every endpoint that decided the outcome (those failing, those missing, those not read), in input order. */
  deciding?: EndpointProgress[]
  /** Status reads that got a status back, over all endpoints (retried failures not counted). */
  attempts: number
  /** Each change of an endpoint's status, starting with the first one read. */
  history: StatusChange[]
  /** What stopped the run, when the outcome is 'error' (the summary picks its advice by it). */
  error?: unknown
  /** The endpoint service, when it was read in this run (its last answer). */
  service?: ServiceState
  /** The endpoint service's own status decided the run (FAILED, DELETING, still being set up). */
  serviceDecided?: boolean
  /** Things a reader must know even when the step passed (one warning each in the log too). */
  notes?: string[]
  /** How long the run had waited when it ended, as the log and message say it. */
  waitedMs?: number
  /** The clusters named in cluster-name, in input order (empty when none). */
  clusters?: ClusterProgress[]
  /** The clusters that decided the outcome: the one that failed, those not ready at the timeout. */
  decidingClusters?: ClusterProgress[]
}
