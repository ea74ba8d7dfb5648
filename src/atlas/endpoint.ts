/**
 * Turns Atlas's answers into what the rest of the action works with, whatever the cloud: one
 * private endpoint's state, or an endpoint service's list of endpoints. Nothing from the network
 * gets past here unchecked: a body that is not the resource becomes a ResponseFormatError, never
 * a crash further on.
 */
import { DELETED, type Cloud, type CloudProvider } from '../common/clouds.js'
import { ResponseFormatError } from '../common/errors.js'
import { oneLine, quote } from '../common/text.js'

/** One private endpoint as Atlas described it, the same shape for every cloud. */
export interface EndpointState {
  /** One of the cloud's documented statuses, DELETED, or a newer one this version does not know. */
  status: string
  deleteRequested: boolean
  errorMessage: string | null
  /** The endpoint's ID as Atlas returned it (the ID asked for, when the body has none). */
  endpointId: string
  cloudProvider: CloudProvider
  /** GCP only: each forwarding rule of the endpoint group, with its own status. */
  forwardingRules: ForwardingRule[]
  /** Atlas's answer as it came (the `response` output). */
  raw: string
  /** True when Atlas answered 404 about the endpoint, which counts as DELETED when deletion is the goal. */
  notFound: boolean
}

export interface ForwardingRule {
  name: string
  ipAddress: string
  status: string
}

/** A status name is short and plain; anything else is not a status, whatever the field says. */
const STATUS_NAME = /^[A-Za-z0-9_-]{1,64}$/

/** Parses JSON from the network; any failure, deep nesting included, is a ResponseFormatError. */
export function parseJson(text: string, contentType: string | null, what: string): Record<string, unknown> {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch (error) {
    const kind = contentType ? oneLine(contentType, 60) : 'no content type'
    const why = error instanceof RangeError ? 'nested too deeply to read' : 'not JSON'
    throw new ResponseFormatError(
      `Atlas answered HTTP 200 with something that is ${why} (${kind}, ${text.length} characters, starting ${quote(oneLine(text, 60))}). A proxy, captive portal or wrong base-url may be answering instead of Atlas.`
    )
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ResponseFormatError(
      `Atlas answered HTTP 200 with JSON that is not an object (${quote(oneLine(text, 60))}); expected ${what}.`
    )
  }
  return body as Record<string, unknown>
}

export function parseEndpoint(
  text: string,
  contentType: string | null,
  cloud: Cloud,
  askedId: string
): EndpointState {
  const record = parseJson(text, contentType, `the ${cloud.noun} resource`)
  const status = record[cloud.statusField]
  if (typeof status !== 'string' || !STATUS_NAME.test(status)) {
    const got =
      status === undefined
        ? `no ${cloud.statusField} field`
        : `${cloud.statusField} ${quote(oneLine(safeStringify(status), 60))}`
    throw new ResponseFormatError(
      `Atlas answered HTTP 200 with JSON that has ${got}; expected the ${cloud.noun} resource ({${cloud.statusField}, deleteRequested, errorMessage, ${cloud.idField}}). Check base-url and cloud-provider.`
    )
  }
  const id = record[cloud.idField]
  return {
    status,
    // A gate errs on the side of stopping: a string "true" is a deletion request too.
    deleteRequested: record.deleteRequested === true || record.deleteRequested === 'true',
    errorMessage: typeof record.errorMessage === 'string' ? record.errorMessage : null,
    endpointId: typeof id === 'string' && id !== '' ? id : askedId,
    cloudProvider: cloud.provider,
    forwardingRules: forwardingRules(record.endpoints),
    raw: text,
    notFound: false
  }
}

/** The state of an endpoint Atlas no longer knows: deleted (or never there). */
export function notFoundState(cloud: Cloud, askedId: string, text: string): EndpointState {
  return {
    status: DELETED,
    deleteRequested: false,
    errorMessage: null,
    endpointId: askedId,
    cloudProvider: cloud.provider,
    forwardingRules: [],
    raw: text,
    notFound: true
  }
}

/** GCP's `endpoints[]`; entries that are not objects with a name are skipped, not trusted. */
function forwardingRules(value: unknown): ForwardingRule[] {
  if (!Array.isArray(value)) return []
  return value.slice(0, 100).flatMap(entry => {
    if (typeof entry !== 'object' || entry === null) return []
    const { endpointName, ipAddress, status } = entry as Record<string, unknown>
    if (typeof endpointName !== 'string') return []
    return [
      {
        name: endpointName,
        ipAddress: typeof ipAddress === 'string' ? ipAddress : '',
        status: typeof status === 'string' && STATUS_NAME.test(status) ? status : 'UNKNOWN'
      }
    ]
  })
}

/** The endpoint IDs an endpoint service lists, in Atlas's order. */
export function parseEndpointList(text: string, contentType: string | null, cloud: Cloud): string[] {
  const record = parseJson(text, contentType, 'the endpoint service resource')
  const list = record[cloud.listField]
  if (list === undefined || list === null) return []
  if (!Array.isArray(list)) {
    throw new ResponseFormatError(
      `Atlas answered HTTP 200 with an endpoint service whose ${cloud.listField} is not a list; check base-url and cloud-provider.`
    )
  }
  // AWS and Azure list IDs as strings; accept objects carrying the ID field too.
  return list.flatMap(entry => {
    if (typeof entry === 'string' && entry !== '') return [entry]
    if (typeof entry === 'object' && entry !== null) {
      const id = (entry as Record<string, unknown>)[cloud.idField]
      if (typeof id === 'string' && id !== '') return [id]
    }
    return []
  })
}

/** JSON.stringify that cannot throw (deep or cyclic values), for showing a value in a message. */
export function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return '(a value too deeply nested to show)'
  }
}

/** The endpoint service as Atlas describes it: its own status and message, and its endpoints. */
export interface ServiceState {
  /** INITIATING, AVAILABLE, WAITING_FOR_USER, FAILED, DELETING (or a newer one); undefined when absent. */
  status: string | undefined
  errorMessage: string | null
  endpointIds: string[]
}

export function parseEndpointService(text: string, contentType: string | null, cloud: Cloud): ServiceState {
  const record = parseJson(text, contentType, 'the endpoint service resource')
  const status =
    typeof record.status === 'string' && STATUS_NAME.test(record.status) ? record.status : undefined
  return {
    status,
    errorMessage: typeof record.errorMessage === 'string' ? record.errorMessage : null,
    endpointIds: parseEndpointList(text, contentType, cloud)
  }
}
