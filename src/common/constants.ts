/**
 * Names that are part of the public contract (action.yml) and the Atlas API, kept in one place
 * so that a rename is one edit and a typo is a compile error.
 */

/** The action's version, sent in the User-Agent. A unit test keeps it equal to package.json. */
export const VERSION = '1.0.0'
export const USER_AGENT = `atlas-privatelink-endpoint-status/${VERSION} (GitHub Action)`
/** Where the action lives, for links when the runner does not say (GITHUB_ACTION_REPOSITORY). */
export const PROJECT_URL = 'https://github.com/atlas-privatelink-gate/atlas-privatelink-endpoint-status'

export enum Input {
  ClientId = 'client-id',
  ClientSecret = 'client-secret',
  PublicKey = 'public-key',
  PrivateKey = 'private-key',
  ProjectId = 'project-id',
  CloudProvider = 'cloud-provider',
  EndpointServiceId = 'endpoint-service-id',
  EndpointId = 'endpoint-id',
  /** The AWS-era name of endpoint-service-id. */
  PrivateLinkId = 'private-link-id',
  /** The AWS-era name of endpoint-id. */
  InterfaceEndpointId = 'interface-endpoint-id',
  /** Clusters that must serve the endpoints (issue 16): names, one per line or comma-separated. */
  ClusterName = 'cluster-name',
  WaitFor = 'wait-for',
  FailOn = 'fail-on',
  TimeoutSeconds = 'timeout-seconds',
  IntervalSeconds = 'interval-seconds',
  RequestTimeoutSeconds = 'request-timeout-seconds',
  MaxRetries = 'max-retries',
  BaseUrl = 'base-url',
  Summary = 'summary'
}

export enum Output {
  ConnectionStatus = 'connection-status',
  DeleteRequested = 'delete-requested',
  ErrorMessage = 'error-message',
  InterfaceEndpointId = 'interface-endpoint-id',
  EndpointId = 'endpoint-id',
  CloudProvider = 'cloud-provider',
  Endpoints = 'endpoints',
  Response = 'response',
  EndpointServiceStatus = 'endpoint-service-status',
  ConnectionString = 'connection-string',
  Clusters = 'clusters',
  Attempts = 'attempts',
  ElapsedSeconds = 'elapsed-seconds'
}

/** The API roots this action speaks; the version is the last segment of `base-url`'s path. */
export const DEFAULT_BASE_URL = 'https://cloud.mongodb.com/api/atlas/v2'
export const V1_BASE_URL = 'https://cloud.mongodb.com/api/atlas/v1.0'
/** The only version of the v2 private endpoint operations (Accept: application/vnd.atlas.<date>+json). */
export const V2_VERSION = '2023-01-01'
export const DEFAULT_FAIL_ON = 'REJECTED, FAILED'
/** `endpoint-id: '*'`: every endpoint of the endpoint service. */
export const ALL_ENDPOINTS = '*'
export const MAX_ENDPOINTS = 50
/** `cluster-name`: at most this many clusters. */
export const MAX_CLUSTERS = 20

/**
 * The defaults action.yml declares (a unit test keeps the two equal). A runner always passes
 * every input, with its default when the workflow gives none; these apply only when an input
 * is missing altogether, as when the action is started by hand. An input given as '' stays ''.
 */
export const ACTION_DEFAULTS: Partial<Record<Input, string>> = {
  [Input.CloudProvider]: 'AWS',
  [Input.ClusterName]: '',
  [Input.WaitFor]: '',
  [Input.FailOn]: DEFAULT_FAIL_ON,
  [Input.TimeoutSeconds]: '900',
  [Input.IntervalSeconds]: '10',
  [Input.RequestTimeoutSeconds]: '30',
  [Input.MaxRetries]: '5',
  [Input.BaseUrl]: DEFAULT_BASE_URL,
  [Input.Summary]: 'true'
}

/** Atlas answers in well under a kilobyte; anything this large is not the resource we asked for. */
export const MAX_RESPONSE_BYTES = 1024 * 1024

/** The Atlas Administration API this run speaks, from the last segment of `base-url`. */
export type ApiVersion = 'v1.0' | 'v2'
