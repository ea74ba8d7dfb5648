/**
 * The stand-in's public vocabulary: its options, the script steps that say how it answers, and
 * the record it keeps of every request. Types only; standin/atlas-standin.ts re-exports them all.
 */
import type http from 'node:http'
import type { CloudProvider } from './clouds.js'

/** The service-account side of Atlas (standin/oauth-standin.ts implements it). */
export interface BearerAuthority {
  /** Handles POST /api/oauth/token and /api/oauth/revoke (body already read); returns false for any other path. */
  handle(request: http.IncomingMessage, body: string, response: http.ServerResponse): boolean
  /** Checks an Authorization header carrying "Bearer <token>". */
  verify(authorization: string | undefined): { ok: true; clientId: string } | { ok: false; reason: string }
}

/** One scripted answer to an authenticated request. */
export type Step =
  /** 200 with the endpoint (or, in a service script, the service) in the cloud's own shape. */
  | {
      status: string
      deleteRequested?: boolean
      errorMessage?: string | null
      /** GCP: the forwarding rules and their statuses (default: the group's status on each). */
      forwardingRules?: { name: string; status: string }[]
      headers?: Record<string, string>
      times?: number
    }
  /** An Atlas-style error: `{error, errorCode, detail, reason}` plus X-Error-Code. */
  | {
      error: number
      errorCode?: string
      detail?: string
      headers?: Record<string, string>
      times?: number
    }
  /**
   * The endpoint (or service) no longer exists: the 404 Atlas gives for an ID it does not know,
   * and it leaves the service's listing. Default code: v2 PRIVATELINK_INTERFACE_ENDPOINT_NOT_FOUND
   * (service: PRIVATE_ENDPOINT_SERVICE_NOT_FOUND); v1.0 RESOURCE_NOT_FOUND, as for a wrong ID.
   */
  | { gone: true; errorCode?: string; detail?: string; headers?: Record<string, string>; times?: number }
  /** Anything at all: HTML, a huge body, a redirect. */
  | { raw: { status: number; headers?: Record<string, string>; body?: string | Buffer }; times?: number }
  /** Socket-level faults: reset before answering, or close mid-response. */
  | { fault: 'reset' | 'close-mid-body'; times?: number }
  /** Answer, but only after `ms` (a slow request). */
  | { delayMs: number; then: Step; times?: number }

/** The step that answers 200. */
export type StatusStep = Extract<Step, { status: string }>

export type NoncePolicy =
  /** A nonce stays valid: N polls cost N + 1 requests. */
  | 'reuse'
  /** Every nonce answers exactly one request, then is refused with a fresh challenge. */
  | 'single-use'

export type ApiVersion = 'v1.0' | 'v2'

/** One private endpoint of the stand-in's endpoint service. */
export interface EndpointSpec {
  /** AWS `vpce-…`, Azure the resource ID (unencoded), GCP the endpoint group or forwarding-rule name. */
  id: string
  /** This endpoint's script (default: the stand-in's `script`, else AVAILABLE). */
  script?: Step[]
  /** Azure: `privateEndpointIPAddress`. */
  ipAddress?: string
  /** Azure: `privateEndpointConnectionName`. */
  connectionName?: string
  /** GCP: `gcpProjectId`. */
  gcpProjectId?: string
  /** GCP: one forwarding rule named like the endpoint (true) or several (false, the default). */
  portMappingEnabled?: boolean
  /** GCP: forwarding-rule names (default: the ID when port-mapped, else `<id>-0`…`<id>-2`). */
  forwardingRules?: string[]
}

export interface StandinOptions {
  publicKey: string
  privateKey: string
  projectId: string
  /** The endpoint service's ID (v2 `endpointServiceId`). */
  privateLinkId: string
  /** The one endpoint, when `endpoints` is not given. */
  interfaceEndpointId?: string
  /** The one endpoint's script; with `endpoints`, the script of those that have none. */
  script?: Step[]
  /** The cloud of the endpoint service (default AWS). v1.0 paths answer only for AWS. */
  cloudProvider?: CloudProvider
  /** Several endpoints, each with its own script; `[]` is a service with no endpoints. */
  endpoints?: EndpointSpec[]
  /** Script of the endpoint service read (listing); a status step sets the service's status. */
  serviceScript?: Step[]
  /** The service's `regionName` (default: the cloud's table entry). */
  regionName?: string
  /** v2 versions served (default: only 2023-01-01); any other well-formed version gets 406. */
  versions?: string[]
  /** v2 versions Atlas no longer serves: 410 VERSION_GONE. */
  retiredVersions?: string[]
  /** Project IDs Atlas calls invalid: 404 INVALID_GROUP_ID. */
  invalidProjectIds?: string[]
  /** Service accounts: /api/oauth/* and `Authorization: Bearer …` go to this authority. */
  serviceAccounts?: BearerAuthority
  nonces?: NoncePolicy
  /** Refuse a request whose nc is not exactly the previous nc of its nonce + 1, in 8 hex digits. */
  strictNc?: boolean
  /** Value of `stale` in a challenge that refuses a used nonce. */
  staleOnRefusal?: boolean
  /** Serve TLS with this key and certificate. */
  tls?: { key: string; cert: string }
  host?: string
  port?: number
  /** Told about every request, for the demo's log. */
  onRequest?: (record: RequestRecord) => void
  /** The project's clusters (issue 16), each with its script; none when absent (every cluster read 404s). */
  clusters?: ClusterSpec[]
  /** More names the cluster listing holds (not readable one by one): a big project, for paging. */
  listedClusterNames?: string[]
  /** Script of the cluster listing; a status step (any status) answers with the listing. */
  clusterListScript?: Step[]
  /** The project (`GET /api/atlas/v2/groups/{groupId}`): its name and organization (defaults made up). */
  projectName?: string
  orgId?: string
  /** Script of the project read; a status step (any status) answers with the project. */
  projectScript?: Step[]
  /** More endpoint services the project has, listed by `GET …/privateEndpoint/{cloud}/endpointService`. */
  otherServices?: OtherServiceSpec[]
  /** Script of that list of services; a status step (any status) answers with the list. */
  servicesScript?: Step[]
  /** Every answer (challenges and OAuth included) is sent this many ms after its request arrived. */
  latencyMs?: number
  /**
   * Ends each connection after this many answers (1: every answer), the last with
   * `Connection: close`. Requests the client had already pipelined behind it are dropped unread
   * and unrecorded, as Apache and nginx do; with `readPipelinedBeforeClose` they are handled
   * (recorded, their nonce counts taken) and their answers lost, as a Node server does.
   */
  closeAfter?: number
  readPipelinedBeforeClose?: boolean
  /** With `closeAfter`: the last answer announces keep-alive all the same, then the server closes (FIN). */
  closeSilently?: boolean
}

/** Another endpoint service of the project (only ever listed, never read one by one). */
export interface OtherServiceSpec {
  id: string
  status: string
  errorMessage?: string | null
  /** Default: the stand-in's cloud. */
  cloudProvider?: CloudProvider
}

/** One cluster of the project. */
export interface ClusterSpec {
  name: string
  /**
   * dedicated (default): served by the cluster API; free: an M0 (provider TENANT), served but
   * never given private strings; flex and serverless: the cluster API refuses them with 400
   * CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API / CANNOT_USE_SERVERLESS_INSTANCE_IN_CLUSTER_API.
   */
  kind?: 'dedicated' | 'free' | 'flex' | 'serverless'
  /** REPLICASET (default), SHARDED or GEOSHARDED. */
  clusterType?: 'REPLICASET' | 'SHARDED' | 'GEOSHARDED'
  /** Default: IDLE, with one entry listing every endpoint of the stand-in (a cluster that serves them). */
  script?: ClusterStep[]
}

/** One entry of `connectionStrings.privateEndpoint`. */
export interface PrivateEndpointEntrySpec {
  /** The endpoints the entry lists: IDs (the stand-in's cloud and region), or each with its own. */
  endpoints: (string | { endpointId: string; providerName?: string; region?: string })[]
  /** MONGOD (default; MONGOS when the cluster is sharded). */
  type?: string
  /** Strings that differ from the ones made up from the cluster's name (hostile tests); null leaves a field out. */
  connectionString?: string | null
  srvConnectionString?: string | null
  srvShardOptimizedConnectionString?: string | null
}

/** The cluster as a read sees it. */
export interface ClusterStateStep {
  stateName: string
  paused?: boolean
  /** Absent or []: Atlas gives no `privateEndpoint` yet. */
  privateEndpoints?: PrivateEndpointEntrySpec[]
  headers?: Record<string, string>
  times?: number
}

/** One scripted answer to a cluster read: a state, or any step an endpoint script takes but a status. */
export type ClusterStep =
  | ClusterStateStep
  | Exclude<Step, StatusStep | { delayMs: number }>
  | { delayMs: number; then: ClusterStep; times?: number }

export interface RequestRecord {
  /** When the request arrived (before any `latencyMs`). */
  at: number
  /** Requests in flight when this one arrived, itself included (its response not yet ended). */
  inFlight: number
  /** Requests received and not yet answered by the server (end written) when this one arrived, itself included. */
  owed?: number
  method: string
  path: string
  /** The credentials were checked and correct (a Digest answer or a bearer token). */
  authorized: boolean
  /** What the Authorization header carried ('basic': an OAuth token or revoke request). */
  auth: 'digest' | 'bearer' | 'basic' | 'none'
  /** The service account whose token was accepted. */
  clientId?: string
  nc?: string
  nonce?: string
  /** Why the request got a 401, when it did. */
  refused?: string
  status: number
  userAgent?: string
  accept?: string
  /** The Authorization header had a value (never stored). */
  hadAuthorization: boolean
  /**
   * What the path named: one endpoint, the service's listing, the OAuth side; one cluster, the
   * cluster listing, the project, or the project's endpoint services of a cloud.
   */
  target?: 'endpoint' | 'listing' | 'oauth' | 'cluster' | 'clusters' | 'project' | 'services'
  /** The cluster name from the path, decoded once. */
  clusterName?: string
  api?: ApiVersion
  /** v2: the version date the Accept header asked for. */
  version?: string
  cloudProvider?: string
  /** The endpoint ID from the path, decoded once. */
  endpointId?: string
}
