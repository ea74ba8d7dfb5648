import * as core from '@actions/core'
import { CLOUDS, CLOUD_PROVIDERS, DELETED, type Cloud, type CloudProvider } from '../common/clouds.js'
import {
  ACTION_DEFAULTS,
  ALL_ENDPOINTS,
  DEFAULT_FAIL_ON,
  Input,
  type ApiVersion
} from '../common/constants.js'
import { InputError } from '../common/errors.js'
import { quote } from '../common/text.js'
import {
  given,
  parseBaseUrl,
  parseBoolean,
  parseClientId,
  parseClusterNames,
  parseEndpointIds,
  parseHexId,
  parsePublicKey,
  parseSecret,
  parseStatuses,
  parseWholeNumber
} from './parsers.js'

export type Credentials =
  | { kind: 'api-key'; publicKey: string; privateKey: string }
  | { kind: 'service-account'; clientId: string; clientSecret: string }

/** Everything the action was asked to do, validated and typed. */
export interface Settings {
  credentials: Credentials
  projectId: string
  cloud: Cloud
  endpointServiceId: string
  /** The endpoints to check, decoded, in input order; or '*' for every endpoint of the service. */
  endpointIds: string[] | typeof ALL_ENDPOINTS
  /** Clusters that must serve the endpoints before the step passes (issue 16), in input order; empty: none. */
  clusterNames: string[]
  /** Statuses that end the wait successfully. Empty: read once and report. */
  waitFor: string[]
  /** Statuses that fail the step as soon as they are seen. */
  failOn: string[]
  timeoutMs: number
  intervalMs: number
  requestTimeoutMs: number
  maxRetries: number
  /** API root without a trailing slash. */
  baseUrl: string
  api: ApiVersion
  summary: boolean
  /** Inputs that are valid but probably not what was meant: one warning each. */
  warnings: string[]
}

/** Reads one input the way `core.getInput` does (trimmed); undefined when not set at all. */
export type InputReader = (name: Input) => string | undefined

/**
 * The runner's inputs. The runner sets INPUT_<NAME> for every input action.yml declares, so
 * an unset variable means the action was started some other way, and its default applies;
 * a variable set to '' means the workflow asked for '' (`fail-on: ''` turns fail-on off).
 */
export const runnerInputs: InputReader = name =>
  process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] === undefined
    ? undefined
    : core.getInput(name)

/**
 * Registers the secrets with the runner's log masking. Called before anything else reads or
 * logs an input, so that even a malformed secret never reaches the log in clear.
 */
export function maskSecrets(read: InputReader, mask: (secret: string) => void): void {
  for (const name of [Input.PrivateKey, Input.ClientSecret]) {
    const secret = read(name) ?? ''
    if (secret === '') continue
    mask(secret)
    // The runner masks line by line; a secret pasted with a line break must not leak a line of it.
    for (const line of secret.split(/\r?\n/))
      if (line.trim() !== '' && line.trim() !== secret) mask(line.trim())
  }
}

/** Validates every input and returns the settings, or throws one InputError naming every bad input. */
export function readSettings(readInput: InputReader): Settings {
  const read = (name: Input): string => readInput(name) ?? ACTION_DEFAULTS[name] ?? ''
  const problems: string[] = []
  const warnings: string[] = []
  const check = <T>(parse: () => T, fallback: T): T => {
    try {
      return parse()
    } catch (error) {
      problems.push((error as Error).message)
      return fallback
    }
  }

  const credentials = check(() => readCredentials(read, check), undefined)
  const projectId = check(
    () => parseHexId(Input.ProjectId, read(Input.ProjectId), 'the Atlas project ID (GROUP-ID)'),
    ''
  )
  const cloud = check(() => parseCloud(read(Input.CloudProvider)), CLOUDS.AWS)
  const { baseUrl, api } = check(() => parseBaseUrl(read(Input.BaseUrl)), {
    baseUrl: '',
    api: 'v2' as ApiVersion
  })
  if (api === 'v1.0' && cloud.provider !== 'AWS') {
    problems.push(
      `Input "${Input.CloudProvider}" is ${cloud.provider}, but base-url is the v1.0 API, which knows only AWS endpoints: use base-url https://cloud.mongodb.com/api/atlas/v2 (the default) for ${cloud.provider}.`
    )
  }
  const serviceInput = check(() => eitherName(read, Input.EndpointServiceId, Input.PrivateLinkId), undefined)
  const endpointServiceId = serviceInput
    ? check(
        () =>
          parseHexId(
            serviceInput.name,
            serviceInput.value,
            'the endpoint service ID Atlas shows under Network Access → Private Endpoint',
            Input.PrivateLinkId
          ),
        ''
      )
    : ''
  const endpointInput = check(() => eitherName(read, Input.EndpointId, Input.InterfaceEndpointId), undefined)
  const endpointIds = endpointInput
    ? check(
        () => parseEndpointIds(endpointInput.name, endpointInput.value, cloud, Input.InterfaceEndpointId),
        []
      )
    : []

  const waitFor = check(() => parseStatuses(Input.WaitFor, read(Input.WaitFor)), [])
  const failOnText = read(Input.FailOn)
  const failOn = check(() => parseStatuses(Input.FailOn, failOnText), [])
  const both = waitFor.filter(status => failOn.includes(status))
  if (both.length > 0) {
    problems.push(
      `Inputs "${Input.WaitFor}" and "${Input.FailOn}" both list ${both.join(', ')}: a status cannot be both the goal and a failure. Remove it from one of them.`
    )
  }
  warnings.push(...statusWarnings(cloud, waitFor, failOn, failOnText))
  const clusterNames = check(() => parseClusterNames(Input.ClusterName, read(Input.ClusterName)), [])
  const clusterProblem = clusterWaitProblem(clusterNames, waitFor)
  if (clusterProblem !== undefined) problems.push(clusterProblem)

  const timeoutSeconds = check(
    () => parseWholeNumber(Input.TimeoutSeconds, read(Input.TimeoutSeconds), 1, 86_400, 900),
    900
  )
  const intervalSeconds = check(
    () => parseWholeNumber(Input.IntervalSeconds, read(Input.IntervalSeconds), 1, 3_600, 10),
    10
  )
  const requestTimeoutSeconds = check(
    () => parseWholeNumber(Input.RequestTimeoutSeconds, read(Input.RequestTimeoutSeconds), 1, 600, 30),
    30
  )
  const maxRetries = check(() => parseWholeNumber(Input.MaxRetries, read(Input.MaxRetries), 0, 100, 5), 5)
  const summary = check(() => parseBoolean(Input.Summary, read(Input.Summary), true), true)

  if (problems.length > 0 || credentials === undefined) throw new InputError(problems, summary)
  return {
    credentials,
    projectId,
    cloud,
    endpointServiceId,
    endpointIds,
    clusterNames,
    waitFor,
    failOn,
    timeoutMs: timeoutSeconds * 1000,
    intervalMs: intervalSeconds * 1000,
    requestTimeoutMs: requestTimeoutSeconds * 1000,
    maxRetries,
    baseUrl,
    api,
    summary,
    warnings
  }
}

/**
 * A cluster is ready when it serves the endpoints, which only AVAILABLE endpoints can be
 * served by: cluster-name combines with `wait-for: AVAILABLE`, or with no wait-for (read once).
 */
function clusterWaitProblem(clusterNames: string[], waitFor: string[]): string | undefined {
  if (clusterNames.length === 0 || waitFor.length === 0) return undefined
  if (waitFor.length === 1 && waitFor[0] === 'AVAILABLE') return undefined
  return `Input "${Input.ClusterName}" waits for the clusters to serve the endpoints, so it combines only with ${Input.WaitFor}: AVAILABLE (or no ${Input.WaitFor}, to read once); ${Input.WaitFor} is ${waitFor.join(', ')}. Remove ${Input.ClusterName}, or set ${Input.WaitFor}: AVAILABLE.`
}

type Check = <T>(parse: () => T, fallback: T) => T

/** Exactly one pair: an API key (public + private) or a service account (client ID + secret). */
function readCredentials(read: (name: Input) => string, check: Check): Credentials | undefined {
  const given = (name: Input): boolean => read(name) !== ''
  const apiKey = given(Input.PublicKey) || given(Input.PrivateKey)
  const serviceAccount = given(Input.ClientId) || given(Input.ClientSecret)
  const pairs =
    'give either "client-id" and "client-secret" (an Atlas service account, recommended) or "public-key" and "private-key" (an Atlas programmatic API key)'
  if (apiKey && serviceAccount) {
    throw new Error(`Inputs for two kinds of credentials were given: ${pairs}, not both.`)
  }
  if (serviceAccount) {
    const clientId = check(() => parseClientId(read(Input.ClientId)), '')
    const clientSecret = check(
      () =>
        parseSecret(
          Input.ClientSecret,
          read(Input.ClientSecret),
          'the service account secret ("mdb_sa_sk_…")',
          'mdb_sa_sk_'
        ),
      ''
    )
    return clientId && clientSecret ? { kind: 'service-account', clientId, clientSecret } : undefined
  }
  if (apiKey) {
    const publicKey = check(() => parsePublicKey(read(Input.PublicKey)), '')
    const privateKey = check(
      () =>
        parseSecret(
          Input.PrivateKey,
          read(Input.PrivateKey),
          'the private part of the Atlas API key (a UUID such as 01234567-89ab-cdef-0123-456789abcdef)'
        ),
      ''
    )
    return publicKey && privateKey ? { kind: 'api-key', publicKey, privateKey } : undefined
  }
  throw new Error(`No credentials were given: ${pairs}.`)
}

/** An input with an AWS-era alias: either name may be used, not both with different values. */
function eitherName(
  read: (name: Input) => string,
  name: Input,
  alias: Input
): { name: Input; value: string } {
  const value = read(name)
  const aliasValue = read(alias)
  if (value !== '' && aliasValue !== '' && value !== aliasValue) {
    throw new Error(
      `Inputs "${name}" and "${alias}" (its older name) were both given, with different values: give only "${name}"; ${given(value)} and ${quote(aliasValue, 60)}.`
    )
  }
  return value !== '' || aliasValue === '' ? { name, value } : { name: alias, value: aliasValue }
}

function parseCloud(value: string): Cloud {
  const provider = value.trim().toUpperCase()
  if (provider === '') return CLOUDS.AWS
  if (!(CLOUD_PROVIDERS as readonly string[]).includes(provider)) {
    throw new Error(`Input "${Input.CloudProvider}" must be AWS, AZURE or GCP (any case); ${given(value)}.`)
  }
  return CLOUDS[provider as CloudProvider]
}

/** Names the chosen cloud never reports, and `fail-on: none`, are valid but probably a mistake. */
function statusWarnings(cloud: Cloud, waitFor: string[], failOn: string[], failOnText: string): string[] {
  const warnings: string[] = []
  if (failOn.includes('NONE')) {
    warnings.push(
      `fail-on lists NONE, the status of a newly created AWS endpoint, so a new endpoint fails the step on its first read. To turn fail-on off, give fail-on: '' (empty).`
    )
  }
  const isDefaultFailOn = failOnText.replace(/\s/g, '') === DEFAULT_FAIL_ON.replace(/\s/g, '')
  const foreign = (statuses: string[]): string[] =>
    statuses.filter(status => status !== DELETED && !cloud.statuses.includes(status))
  for (const [name, statuses] of [
    [Input.WaitFor, foreign(waitFor)],
    [Input.FailOn, isDefaultFailOn ? [] : foreign(failOn)]
  ] as const) {
    if (statuses.length > 0) {
      warnings.push(
        `${name} lists ${statuses.join(', ')}, which ${statuses.length === 1 ? 'is' : 'are'} never reported for ${cloud.provider} endpoints (${cloud.provider} statuses: ${cloud.statuses.join(', ')}).`
      )
    }
  }
  return warnings
}
