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
  /** Every answer (challenges and OAuth included) is sent this many ms after its request arrived. */
  latencyMs?: number
}

export interface RequestRecord {
  /** When the request arrived (before any `latencyMs`). */
  at: number
  /** Requests in flight when this one arrived, itself included (its response not yet ended). */
  inFlight: number
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
  /** What the path named: one endpoint, the service's listing, or the OAuth side. */
  target?: 'endpoint' | 'listing' | 'oauth'
  api?: ApiVersion
  /** v2: the version date the Accept header asked for. */
  version?: string
  cloudProvider?: string
  /** The endpoint ID from the path, decoded once. */
  endpointId?: string
}
