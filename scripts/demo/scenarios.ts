/**
 * The scenarios `npm run demo` can play: each is a stand-in set-up (cloud, endpoints and their
 * scripts, API version, kind of credential) and the inputs a workflow would give. Made-up IDs
 * and credentials, well-formed as Atlas's are; none of them exists anywhere.
 */
import type { ClusterSpec, CloudProvider, EndpointSpec, Step } from '../../standin/atlas-standin.js'

export const DEMO = {
  publicKey: 'demokey1',
  privateKey: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  clientId: 'mdb_sa_id_64b7f0c2a1d3e5f708192a40',
  clientSecret: 'mdb_sa_sk_Hq3vT8wZk1YpN6bR2cX9mJ4dL7sF0gA5',
  projectId: '64b7f0c2a1d3e5f708192a3b',
  endpointServiceId: '64b7f0c2a1d3e5f708192a3c'
} as const

const AWS_IDS = ['vpce-0d3e0a1b2c3d4e5f6', 'vpce-0d3e0a1b2c3d4e5f7', 'vpce-0d3e0a1b2c3d4e5f8'] as const
const AZURE_ID =
  '/subscriptions/3f2b8c1e-5d4a-4e6f-9a7b-0c1d2e3f4a5b/resourceGroups/rg-deploy/providers/Microsoft.Network/privateEndpoints/pe-atlas-demo'
const GCP_ID = 'atlas-psc-demo'

export interface Scenario {
  /** The one line printed before the run: what it shows, and what to expect (the part before ';' goes in --help). */
  shows: string
  /** Default AWS. */
  cloud?: CloudProvider
  /** Default v2, the action's default; v1.0 is the deprecated API, AWS only. */
  api?: 'v2' | 'v1.0'
  /** Default the API key (Digest). */
  credential?: 'api-key' | 'service-account'
  /** The endpoints the stand-in serves, each with its script. */
  endpoints: EndpointSpec[]
  /** The endpoint-id input (default: the endpoints' IDs, one per line). */
  endpointInput?: string
  /** Inputs that differ from the common ones (see demo.ts). */
  inputs?: Record<string, string>
  /** The project's clusters the stand-in serves (for cluster-name), each with its script. */
  clusters?: ClusterSpec[]
}

const one = (script: Step[], id: string = AWS_IDS[0]): EndpointSpec[] => [{ id, script }]

export const SCENARIOS: Record<string, Scenario> = {
  available: {
    shows:
      'v2 API, AWS, API key: a new endpoint goes PENDING_ACCEPTANCE → PENDING → AVAILABLE, checked once a second; expect success (exit 0) in about 2 s.',
    endpoints: one([{ status: 'PENDING_ACCEPTANCE' }, { status: 'PENDING' }, { status: 'AVAILABLE' }])
  },
  'aws-v1': {
    shows:
      'the deprecated v1.0 API (base-url …/api/atlas/v1.0), AWS, API key: NONE → PENDING_ACCEPTANCE → PENDING → AVAILABLE; expect success (exit 0) in about 3 s.',
    api: 'v1.0',
    endpoints: one([
      { status: 'NONE' },
      { status: 'PENDING_ACCEPTANCE' },
      { status: 'PENDING' },
      { status: 'AVAILABLE' }
    ])
  },
  azure: {
    shows:
      'v2 API, an Azure private endpoint (its resource ID sent as one encoded path segment): INITIATING → AVAILABLE; expect success (exit 0) in about 2 s.',
    cloud: 'AZURE',
    endpoints: one([{ status: 'INITIATING', times: 2 }, { status: 'AVAILABLE' }], AZURE_ID)
  },
  gcp: {
    shows:
      'v2 API, a Google Cloud endpoint group: INITIATING → VERIFIED → AVAILABLE while its three forwarding rules come up (the summary lists them); expect success (exit 0) in about 3 s.',
    cloud: 'GCP',
    endpoints: one(
      [
        { status: 'INITIATING' },
        {
          status: 'INITIATING',
          forwardingRules: [
            { name: `${GCP_ID}-0`, status: 'AVAILABLE' },
            { name: `${GCP_ID}-1`, status: 'INITIATING' },
            { name: `${GCP_ID}-2`, status: 'INITIATING' }
          ]
        },
        {
          status: 'VERIFIED',
          forwardingRules: [0, 1, 2].map(i => ({ name: `${GCP_ID}-${i}`, status: 'AVAILABLE' }))
        },
        { status: 'AVAILABLE' }
      ],
      GCP_ID
    )
  },
  teardown: {
    shows:
      'wait-for: DELETED after a delete: AVAILABLE (deleteRequested) → DELETING → 404; expect success (exit 0) in about 2 s, the 404 read as DELETED.',
    endpoints: one([
      { status: 'AVAILABLE', deleteRequested: true },
      { status: 'DELETING', deleteRequested: true },
      { gone: true }
    ]),
    inputs: { 'wait-for': 'DELETED' }
  },
  'service-account': {
    shows:
      'v2 API, signed in with a service account (client-id/client-secret): one token, bearer reads, the token revoked at the end; expect success (exit 0) in about 2 s.',
    credential: 'service-account',
    endpoints: one([{ status: 'PENDING' }, { status: 'PENDING' }, { status: 'AVAILABLE' }])
  },
  several: {
    shows:
      'three AWS endpoints in one step (endpoint-id, one per line), each at its own pace; each check reads only those not there yet; expect success (exit 0) in about 3 s.',
    endpoints: [
      {
        id: AWS_IDS[0],
        script: [{ status: 'PENDING_ACCEPTANCE' }, { status: 'PENDING' }, { status: 'AVAILABLE' }]
      },
      { id: AWS_IDS[1], script: [{ status: 'AVAILABLE' }] },
      { id: AWS_IDS[2], script: [{ status: 'PENDING', times: 3 }, { status: 'AVAILABLE' }] }
    ]
  },
  'all-endpoints': {
    shows:
      "endpoint-id: '*': the endpoint service is listed once, then every endpoint it lists is waited for; expect success (exit 0) in about 2 s.",
    endpoints: [
      { id: AWS_IDS[0], script: [{ status: 'PENDING' }, { status: 'AVAILABLE' }] },
      { id: AWS_IDS[1], script: [{ status: 'PENDING', times: 2 }, { status: 'AVAILABLE' }] }
    ],
    endpointInput: '*'
  },
  rejected: {
    shows:
      'AWS rejects the connection (PENDING_ACCEPTANCE → REJECTED); expect the step to fail (exit 1) in about 1 s, quoting Atlas’s error message.',
    endpoints: one([
      { status: 'PENDING_ACCEPTANCE' },
      {
        status: 'REJECTED',
        errorMessage:
          'AWS rejected the connection: the VPC endpoint was created for a different service name.'
      }
    ])
  },
  timeout: {
    shows:
      'the endpoint stays PENDING past timeout-seconds: 3; expect the step to fail (exit 1) with a timeout message within 3 s.',
    endpoints: one([{ status: 'PENDING' }]),
    inputs: { 'timeout-seconds': '3' }
  },
  'bad-key': {
    shows:
      'the action is given the wrong private key, so Atlas answers 401; expect the step to fail (exit 1) within a second, without retrying.',
    endpoints: one([{ status: 'AVAILABLE' }]),
    inputs: { 'private-key': '00000000-0000-4000-8000-000000000000' }
  },
  'ready-to-connect': {
    shows:
      'cluster-name: the endpoint is AVAILABLE at 2 s, then Cluster0 is UPDATING until 5 s while Atlas adds the private connection string; expect success (exit 0) at about 5 s, with the connection-string output set.',
    endpoints: one([{ status: 'PENDING', times: 2 }, { status: 'AVAILABLE' }]),
    clusters: [
      {
        name: 'Cluster0',
        // Read once a second from the check that finds the endpoint AVAILABLE (2 s): 2, 3 and 4 s UPDATING.
        script: [
          { stateName: 'UPDATING', times: 3 },
          { stateName: 'IDLE', privateEndpoints: [{ endpoints: [AWS_IDS[0]] }] }
        ]
      }
    ],
    inputs: { 'cluster-name': 'Cluster0' }
  },
  'rate-limited': {
    shows:
      'Atlas answers 429 with Retry-After: 1 twice, then PENDING → AVAILABLE; expect the action to wait out both and succeed (exit 0) in about 3 s.',
    endpoints: one([
      { error: 429, headers: { 'Retry-After': '1' }, times: 2 },
      { status: 'PENDING' },
      { status: 'AVAILABLE' }
    ])
  }
}

/** Other names people will try: the issue's own words for the v2 scenarios. */
export const ALIASES: Record<string, string> = { aws: 'available', 'aws-v2': 'available', v1: 'aws-v1' }

export const DEFAULT_SCENARIO = 'available'

/** The inputs a workflow would give for a scenario, against the stand-in at `apiRoot`. */
export function scenarioInputs(scenario: Scenario, apiRoot: string): Record<string, string> {
  const credentials: Record<string, string> =
    scenario.credential === 'service-account'
      ? { 'client-id': DEMO.clientId, 'client-secret': DEMO.clientSecret }
      : { 'public-key': DEMO.publicKey, 'private-key': DEMO.privateKey }
  return {
    ...credentials,
    'project-id': DEMO.projectId,
    'cloud-provider': scenario.cloud ?? 'AWS',
    'endpoint-service-id': DEMO.endpointServiceId,
    'endpoint-id': scenario.endpointInput ?? scenario.endpoints.map(endpoint => endpoint.id).join('\n'),
    'wait-for': 'AVAILABLE',
    'interval-seconds': '1',
    'timeout-seconds': '30',
    'base-url': apiRoot,
    ...scenario.inputs
  }
}
