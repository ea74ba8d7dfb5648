import type { CloudProvider } from '../common/clouds.js'
import {
  AtlasApiError,
  ConnectionError,
  MistypedIdError,
  NoEndpointsError,
  ResponseFormatError,
  RetriesExhaustedError
} from '../common/errors.js'
import { ClusterFailure, type ClusterProblem } from '../wait/clusters.js'
import type { Outcome } from '../wait/wait.js'

/**
 * One "what to do" line per kind of failure, and the README section that explains it. The
 * README's failure tables carry the same sentences (a unit test holds them equal), so the
 * summary and the documentation never give different advice.
 */
export interface Advice {
  /** The sentence, as in the README's "what to do" column. */
  text: string
  /** The README heading's anchor (GitHub's slug of the heading). */
  section: Section
}

export type Section =
  | 'the-endpoint-is-not-ready'
  | 'credentials-and-access'
  | 'ids-and-urls'
  | 'network-proxies-and-responses'
  | 'invalid-inputs'

export const ADVICE = {
  input: {
    text: 'Fix the inputs as each message says; nothing was sent to Atlas.',
    section: 'invalid-inputs'
  },
  rejectedAws: {
    text: 'Check that the interface endpoint was created for the endpoint service name Atlas shows, in the same AWS region and account; then delete and recreate it.',
    section: 'the-endpoint-is-not-ready'
  },
  rejectedAzure: {
    text: 'Check that the private endpoint was created for the private link service Atlas shows, in the same Azure region and subscription; then delete and recreate it.',
    section: 'the-endpoint-is-not-ready'
  },
  rejectedGcp: {
    text: 'Check that every forwarding rule points at the service attachment Atlas shows, in the same Google Cloud region and project; then delete and recreate the failed ones.',
    section: 'the-endpoint-is-not-ready'
  },
  serviceWaitingForUser: {
    text: 'Create the endpoint in your cloud for the endpoint service Atlas shows, and add its ID to the endpoint service in Atlas (Network Access → Private Endpoint).',
    section: 'the-endpoint-is-not-ready'
  },
  serviceInitiating: {
    text: 'Atlas is still setting up the endpoint service, which can take minutes: raise timeout-seconds, or check the service in Atlas.',
    section: 'the-endpoint-is-not-ready'
  },
  serviceFailed: {
    text: "Delete the endpoint service in Atlas (Network Access → Private Endpoint) and create it again; Atlas's message says why it failed.",
    section: 'the-endpoint-is-not-ready'
  },
  serviceDeleting: {
    text: 'Atlas is deleting the endpoint service: create a new one, or stop waiting for it.',
    section: 'the-endpoint-is-not-ready'
  },
  deleting: { text: 'Recreate the endpoint, or stop waiting for it.', section: 'the-endpoint-is-not-ready' },
  timeout: {
    text: 'Raise timeout-seconds (acceptance can take minutes), or check the endpoint in your cloud console.',
    section: 'the-endpoint-is-not-ready'
  },
  teardownTimeout: {
    text: 'Raise timeout-seconds (deletion can take minutes), or check in your cloud console and in Atlas that the endpoint is being deleted.',
    section: 'the-endpoint-is-not-ready'
  },
  cancelled: {
    text: 'Nothing to fix: re-run the job when you need the answer.',
    section: 'the-endpoint-is-not-ready'
  },
  credentialsApiKey: {
    text: 'Check that public-key and private-key come from the same Atlas API key, and that the key still exists and has not expired.',
    section: 'credentials-and-access'
  },
  credentialsServiceAccount: {
    text: 'Check that client-id and client-secret belong to the same service account, and that it still exists; rotate the secret in Atlas if it expired.',
    section: 'credentials-and-access'
  },
  role: {
    text: 'Give the API key or service account the Project Read Only role on the project (Project Owner for the v1.0 API).',
    section: 'credentials-and-access'
  },
  accessList: {
    text: "Add the runner's egress IP address or range to the API key's or service account's access list.",
    section: 'credentials-and-access'
  },
  tokenLimit: {
    text: 'Wait for older tokens to expire (one hour) or revoke them; this action revokes its own token at the end of every run.',
    section: 'credentials-and-access'
  },
  ids: {
    text: 'Copy project-id, endpoint-service-id and endpoint-id again from Atlas (Network Access → Private Endpoint) and from your cloud console.',
    section: 'ids-and-urls'
  },
  clusterMissing: {
    text: "Set cluster-name to the cluster's name as Atlas shows it on the project's Clusters page (the message names a near one when there is one).",
    section: 'ids-and-urls'
  },
  clusterPaused: {
    text: 'Resume the cluster in Atlas, then run the workflow again: a paused cluster accepts no connections.',
    section: 'the-endpoint-is-not-ready'
  },
  clusterDeleting: {
    text: 'Check cluster-name: that cluster is being deleted and will never serve the endpoints.',
    section: 'the-endpoint-is-not-ready'
  },
  clusterNotDedicated: {
    text: 'Name a dedicated cluster (M10 or larger) in cluster-name: the private endpoints of an endpoint service do not serve free, Flex or serverless clusters.',
    section: 'the-endpoint-is-not-ready'
  },
  clusterTimeout: {
    text: 'Raise timeout-seconds (Atlas takes minutes to add an endpoint to its clusters); if the cluster is IDLE and still does not list the endpoint, create a private endpoint in every region of the cluster.',
    section: 'the-endpoint-is-not-ready'
  },
  mistyped: {
    text: 'Compare the ID with the one Atlas has, named in the message, and correct endpoint-id or endpoint-service-id.',
    section: 'ids-and-urls'
  },
  baseUrl: {
    text: 'Check base-url (https://cloud.mongodb.com/api/atlas/v2) and any proxy or captive portal in between.',
    section: 'ids-and-urls'
  },
  version: {
    text: 'Update the action to its latest release, or move base-url to /api/atlas/v2.',
    section: 'ids-and-urls'
  },
  transient: {
    text: 'Usually transient: re-run the job; raise max-retries or request-timeout-seconds for a flaky network.',
    section: 'network-proxies-and-responses'
  },
  tls: {
    text: 'Point NODE_EXTRA_CA_CERTS at the CA certificate of the TLS-inspecting proxy or private CA.',
    section: 'network-proxies-and-responses'
  },
  proxy: {
    text: 'Fix the proxy variable as the message says: http://user:password@proxy:port, with special characters percent-encoded.',
    section: 'network-proxies-and-responses'
  }
} as const satisfies Record<string, Advice>

/** What the advice depends on besides the outcome: the cloud, the credential, the endpoint service. */
export interface AdviceContext {
  provider?: CloudProvider
  credentialKind?: 'api-key' | 'service-account'
  /** The endpoint service's status, when it was read. */
  serviceStatus?: string
  /** The endpoint service's own status decided the run. */
  serviceDecided?: boolean
  /** The endpoints were ready; the run timed out waiting for the clusters. */
  waitingForClusters?: boolean
  /** The run waits for deletion (a teardown gate). */
  teardown?: boolean
}

const CLUSTER_ADVICE: Record<ClusterProblem, Advice> = {
  missing: ADVICE.clusterMissing,
  paused: ADVICE.clusterPaused,
  deleting: ADVICE.clusterDeleting,
  'not-dedicated': ADVICE.clusterNotDedicated
}

const REJECTED: Record<CloudProvider, Advice> = {
  AWS: ADVICE.rejectedAws,
  AZURE: ADVICE.rejectedAzure,
  GCP: ADVICE.rejectedGcp
}

/** What to do about an endpoint service in each status that keeps endpoints from being ready. */
export const SERVICE_ADVICE: Record<string, Advice> = {
  WAITING_FOR_USER: ADVICE.serviceWaitingForUser,
  INITIATING: ADVICE.serviceInitiating,
  FAILED: ADVICE.serviceFailed,
  DELETING: ADVICE.serviceDeleting
}

/** The advice for how a run ended, or undefined when it passed. */
export function adviceFor(
  outcome: Outcome,
  error?: unknown,
  context: AdviceContext = {}
): Advice | undefined {
  const service = context.serviceStatus ? SERVICE_ADVICE[context.serviceStatus] : undefined
  switch (outcome) {
    case 'reached':
    case 'reported':
      return undefined
    case 'failed':
      if (error instanceof ClusterFailure) return CLUSTER_ADVICE[error.problem]
      return context.serviceDecided && service ? service : REJECTED[context.provider ?? 'AWS']
    case 'unreachable':
      return context.serviceDecided && service ? service : ADVICE.deleting
    case 'timeout':
      if (context.waitingForClusters) return ADVICE.clusterTimeout
      // An endpoint service that is not set up is why its endpoints are not ready.
      return service ?? (context.teardown ? ADVICE.teardownTimeout : ADVICE.timeout)
    case 'cancelled':
      return ADVICE.cancelled
    case 'error':
      return adviceForError(error, context)
  }
}

function adviceForError(error: unknown, context: AdviceContext): Advice {
  if (error instanceof MistypedIdError) return ADVICE.mistyped
  if (error instanceof NoEndpointsError) return ADVICE.ids
  if (error instanceof RetriesExhaustedError) return ADVICE.transient
  if (error instanceof ResponseFormatError) return ADVICE.baseUrl
  if (error instanceof ConnectionError) {
    return /certificate|TLS/i.test(error.message) ? ADVICE.tls : ADVICE.proxy
  }
  if (error instanceof AtlasApiError) {
    const code = error.errorCode ?? ''
    if (/ACCESS_LIST|WHITELIST/.test(code)) return ADVICE.accessList
    if (/limit reached/i.test(error.message)) return ADVICE.tokenLimit
    switch (error.httpStatus) {
      case 400:
      case 404:
        return ADVICE.ids
      case 401:
        return context.credentialKind === 'service-account'
          ? ADVICE.credentialsServiceAccount
          : ADVICE.credentialsApiKey
      case 403:
        return ADVICE.role
      case 406:
      case 410:
        return ADVICE.version
      default:
        return error.httpStatus >= 300 && error.httpStatus < 400 ? ADVICE.baseUrl : ADVICE.transient
    }
  }
  if (error instanceof Error && error.name === 'ProxyConfigError') return ADVICE.proxy
  return ADVICE.transient
}
