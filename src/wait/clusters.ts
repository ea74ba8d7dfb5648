import type { ClusterState, ClusterVerdict, PrivateEndpointEntry } from '../atlas/cluster.js'
import type { StatusChange } from './progress.js'

/**
 * Clusters as the second kind of resource the wait reads (issue 16): once every endpoint has
 * arrived, each named cluster is read every check until it is IDLE, not paused, and lists the
 * endpoints in a private connection string. The cluster brings its own reader and judge (from
 * src/atlas, put together in cluster-watch.ts, which a run loads only when cluster-name names
 * clusters); this module keeps what the wait knows of each cluster and says how one failed.
 */

/** What is known of one cluster so far. */
export interface ClusterProgress {
  /** The name as given in cluster-name. */
  name: string
  last?: ClusterState
  verdict?: ClusterVerdict
  /** The entry of `connectionStrings.privateEndpoint` that lists the endpoints, when there is one. */
  entry?: PrivateEndpointEntry
  /** That entry's string to connect with (shard-optimized SRV, else SRV, else standard); '' when none. */
  connection: string
  ready: boolean
  /** When it was first found ready, in milliseconds since the step started. */
  readyAtMs?: number
}

/** How the wait reads and judges clusters; given only when cluster-name names some. */
export interface ClusterWatch {
  names: string[]
  read: (name: string) => Promise<ClusterState>
  /** Ready, waiting (and why) or failed, for the endpoints this step checks. */
  judge: (state: ClusterState, endpointIds: string[]) => ClusterVerdict
  /** The entry that lists every endpoint this step checks, whatever the cluster's state. */
  entryFor: (state: ClusterState, endpointIds: string[]) => PrivateEndpointEntry | undefined
  /** The string a deploy connects with, from an entry. */
  connectionFor: (entry: PrivateEndpointEntry) => string
  /**
   * A read that failed for good because of the cluster itself (not found, with a near name
   * when the project has one; or a kind private endpoints do not serve) as the ClusterFailure
   * the run ends with; any other error unchanged.
   */
  failureOf: (error: unknown, cluster: ClusterProgress) => Promise<unknown>
}

/** Why a cluster stops the run: it cannot become ready, or it is not there. */
export type ClusterProblem = 'missing' | 'paused' | 'deleting' | 'not-dedicated'

/** A cluster failed the run: what happened, in a sentence, and what to do about it. */
export class ClusterFailure extends Error {
  constructor(
    message: string,
    readonly cluster: ClusterProgress,
    readonly problem: ClusterProblem
  ) {
    super(message)
    this.name = 'ClusterFailure'
  }
}

/** A failed verdict of a cluster that was read, as the failure the run ends with. */
export function failureOf(
  cluster: ClusterProgress,
  verdict: ClusterVerdict & { kind: 'failed' }
): ClusterFailure {
  const problem: ClusterProblem = / is paused$/.test(verdict.why)
    ? 'paused'
    : / is (DELETING|DELETED)$/.test(verdict.why)
      ? 'deleting'
      : 'not-dedicated'
  return new ClusterFailure(`${capitalized(verdict.why)}. ${verdict.advice}`, cluster, problem)
}

/**
 * Takes one answer about a cluster: judged against the endpoints, kept, and, when what it says
 * changed, added to the history. Returns the verdict.
 */
export function recordClusterRead(
  cluster: ClusterProgress,
  state: ClusterState,
  watch: ClusterWatch,
  endpointIds: string[],
  at: { atMs: number; history: StatusChange[] }
): ClusterVerdict {
  const before = cluster.last ? describeCluster(cluster) : undefined
  const verdict = watch.judge(state, endpointIds)
  cluster.last = state
  cluster.verdict = verdict
  cluster.entry = watch.entryFor(state, endpointIds)
  cluster.connection = cluster.entry ? watch.connectionFor(cluster.entry) : ''
  const wasReady = cluster.ready
  cluster.ready = verdict.kind === 'ready'
  if (cluster.ready && !wasReady) cluster.readyAtMs = at.atMs
  if (!cluster.ready) cluster.readyAtMs = undefined
  const now = describeCluster(cluster)
  if (before !== now) at.history.push({ atMs: at.atMs, endpointId: `cluster ${cluster.name}`, status: now })
  return verdict
}

/** "IDLE", "UPDATING (paused)", "IDLE, ready": one cluster's state for the log and the history. */
export function describeCluster(cluster: ClusterProgress): string {
  const state = cluster.last
  if (state === undefined) return 'not read'
  return `${state.stateName}${state.paused ? ' (paused)' : ''}${cluster.ready ? ', ready' : ''}`
}

function capitalized(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`
}
