/**
 * Names that are part of the public contract (action.yml) and the Atlas API, kept in one place
 * so that a rename is one edit and a typo is a compile error.
 */

/** The action's version, sent in the User-Agent. A unit test keeps it equal to package.json. */
export const VERSION = '1.0.0'
export const USER_AGENT = `atlas-privatelink-endpoint-status/${VERSION} (GitHub Action)`

export enum Input {
  PublicKey = 'public-key',
  PrivateKey = 'private-key',
  ProjectId = 'project-id',
  PrivateLinkId = 'private-link-id',
  InterfaceEndpointId = 'interface-endpoint-id',
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
  Response = 'response',
  Attempts = 'attempts',
  ElapsedSeconds = 'elapsed-seconds'
}

/** Every `connectionStatus` the v1.0 API documents, in the order an endpoint usually moves through them. */
export const KNOWN_STATUSES = [
  'NONE',
  'PENDING_ACCEPTANCE',
  'PENDING',
  'AVAILABLE',
  'REJECTED',
  'DELETING'
] as const
export type KnownStatus = (typeof KNOWN_STATUSES)[number]

export const DEFAULT_BASE_URL = 'https://cloud.mongodb.com/api/atlas/v1.0'

/**
 * The defaults action.yml declares (a unit test keeps the two equal). A runner always passes
 * every input, with its default when the workflow gives none; these apply only when an input
 * is missing altogether, as when the action is started by hand. An input given as '' stays ''.
 */
export const ACTION_DEFAULTS: Partial<Record<Input, string>> = {
  [Input.WaitFor]: '',
  [Input.FailOn]: 'REJECTED',
  [Input.TimeoutSeconds]: '900',
  [Input.IntervalSeconds]: '10',
  [Input.RequestTimeoutSeconds]: '30',
  [Input.MaxRetries]: '5',
  [Input.BaseUrl]: DEFAULT_BASE_URL,
  [Input.Summary]: 'true'
}

/** Atlas answers in well under a kilobyte; anything this large is not the resource we asked for. */
export const MAX_RESPONSE_BYTES = 1024 * 1024
