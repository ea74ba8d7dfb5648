import { connectionStringFor, entryListing, judgeCluster } from '../atlas/cluster.js'
import {
  ClusterNotFoundError,
  ClusterReader,
  missingCluster,
  NotDedicatedClusterError,
  type ClusterReaderOptions
} from '../atlas/clusters.js'
import type { Cloud } from '../common/clouds.js'
import { nearest } from '../common/edit-distance.js'
import { ClusterFailure, failureOf, type ClusterWatch } from './clusters.js'

/**
 * The watch over the named clusters, through the reader (and so the Digest challenge or token)
 * the run already has. main.ts imports this module only when cluster-name names clusters, so a
 * run without them never loads the cluster reader, parser and judge.
 */
export function watchClusters(reader: ClusterReader, names: string[], cloud: Cloud): ClusterWatch {
  return {
    names,
    read: name => reader.readCluster(name),
    judge: (state, endpointIds) => judgeCluster(state, endpointIds, cloud),
    entryFor: (state, endpointIds) => entryListing(state, endpointIds, cloud.provider),
    connectionFor: connectionStringFor,
    failureOf: async (error, cluster) => {
      if (error instanceof NotDedicatedClusterError) return failureOf(cluster, error.verdict)
      if (!(error instanceof ClusterNotFoundError)) return error
      // A listing Atlas refuses (some projects answer 400 for flex clusters) only means no near name.
      const near = await reader.listClusterNames().then(
        listed => nearest(cluster.name, listed),
        () => undefined
      )
      const { why, advice } = missingCluster(cluster.name, near)
      return new ClusterFailure(`${why}. ${advice}`, cluster, 'missing')
    }
  }
}

/**
 * The reader and the watch together, for main.ts: one dynamic import brings the whole cluster
 * side (one chunk, not two that would each carry the parser).
 */
export function createClusterWatch(options: ClusterReaderOptions & { names: string[] }): {
  watch: ClusterWatch
  reader: ClusterReader
} {
  const reader = new ClusterReader(options)
  return { watch: watchClusters(reader, options.names, options.cloud), reader }
}
