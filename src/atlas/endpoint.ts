/**
 * Turns Atlas's answers into what the rest of the action works with, whatever the cloud: one
 * private endpoint's state, or an endpoint service's status and list of endpoints. Nothing from
 * the network gets past here unchecked: a body that is not the resource (or not about the
 * endpoint asked for, or listing anything but valid IDs) becomes a ResponseFormatError, never a
 * crash or a pass further on.
 */
import { CLOUD_PROVIDERS, CLOUDS, DELETED, type Cloud, type CloudProvider } from '../common/clouds.js'
import { MAX_ENDPOINTS } from '../common/constants.js'
import { ResponseFormatError } from '../common/errors.js'
import { duplicateKey } from '../common/json.js'
import { oneLine, quote } from '../common/text.js'

/** One private endpoint as Atlas described it, the same shape for every cloud. */
export interface EndpointState {
  /**
   * One of the cloud's documented statuses, DELETED, or a newer one this version does not know;
   * trimmed and in upper case.
   */
  status: string
  /**
   * The status as Atlas sent it, when that differs from `status` (other case, surrounding
   * white space): never a pass, as Atlas writes its statuses in upper case only.
   */
  statusAsSent?: string
  deleteRequested: boolean
  errorMessage: string | null
  /** The ID asked for (a body about another endpoint is a ResponseFormatError). */
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
  /** A valid GCP name. */
  name: string
  ipAddress: string
  /** Trimmed and in upper case, a plain name. */
  status: string
  /** The status as Atlas sent it, when that differs from `status`. */
  asSent?: string
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
  // JSON.parse keeps the last of two same-named members, other readers the first: two answers at once.
  const twice = duplicateKey(text)
  if (twice !== undefined) {
    throw new ResponseFormatError(
      `Atlas answered HTTP 200 with JSON that has the member ${showId(twice, 60)} more than once, so it says two things at once; expected ${what}. A proxy or wrong base-url may be answering instead of Atlas.`
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
  const expected = `expected the ${cloud.noun} resource ({${cloud.statusField}, deleteRequested, errorMessage, ${cloud.idField}})`
  const status = statusName(own(record, cloud.statusField))
  if (status === undefined) {
    const value = own(record, cloud.statusField)
    const got =
      value === undefined ? `no ${cloud.statusField} field` : `${cloud.statusField} ${shownValue(value)}`
    throw new ResponseFormatError(
      `Atlas answered HTTP 200 with JSON that has ${got}; ${expected}. Check base-url and cloud-provider.`
    )
  }
  checkAnsweredId(own(record, cloud.idField), cloud, askedId, expected)
  const sent = own(record, cloud.statusField)
  return {
    status,
    ...(sent !== status ? { statusAsSent: sent as string } : {}),
    deleteRequested: deletionRequested(own(record, 'deleteRequested'), expected),
    errorMessage: typeof record.errorMessage === 'string' ? record.errorMessage : null,
    // The ID asked for, never the body's: an output that names the endpoint names what the
    // workflow asked about (checkAnsweredId has made sure the body is about it).
    endpointId: askedId,
    cloudProvider: cloud.provider,
    forwardingRules: forwardingRules(record, cloud),
    raw: text,
    notFound: false
  }
}

/**
 * The body must say which endpoint it describes, and it must be the one asked for. The real API
 * always returns the ID field (v1.0 AWS too: interfaceEndpointId), so a body without it is not
 * the resource: a proxy's or a wrong route's answer that happens to carry a status field.
 */
function checkAnsweredId(value: unknown, cloud: Cloud, askedId: string, expected: string): void {
  if (typeof value === 'string' && cloud.sameId(askedId, value)) return
  const got =
    value === undefined
      ? `no ${cloud.idField} field, so it does not say which endpoint it describes`
      : typeof value === 'string'
        ? `${cloud.idField} ${showId(value)}, another endpoint than the one asked for (${showId(askedId)})`
        : `${cloud.idField} ${shownValue(value)}, which is not an ID`
  throw new ResponseFormatError(
    `Atlas answered HTTP 200 with JSON that has ${got}; ${expected}. Check base-url and cloud-provider.`
  )
}

/**
 * A status as the gate compares it: a plain ASCII name once ASCII white space is trimmed, then
 * in upper case ("failed " is FAILED); undefined when it is not a string or not a plain name.
 * The name is checked before the change of case: "ı" and "ſ" upper-case to ASCII letters, and
 * String.trim removes U+FEFF and U+00A0 (so "AVAıLABLE" or "AVAILABLE\u00a0" is not a status).
 */
function statusName(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  const trimmed = value.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '')
  return STATUS_NAME.test(trimmed) ? trimmed.toUpperCase() : undefined
}

/**
 * deleteRequested: absent or false is no request; true (or the string "true": a gate errs on the
 * side of stopping) is one. Anything else (1, "yes", null, an object) is neither a yes nor a no,
 * and an AVAILABLE endpoint must never pass on it.
 */
function deletionRequested(value: unknown, expected: string): boolean {
  if (value === undefined || value === false) return false
  if (value === true || value === 'true') return true
  throw new ResponseFormatError(
    `Atlas answered HTTP 200 with JSON whose deleteRequested is ${shownValue(value)}, neither true nor false; ${expected}. Check base-url and cloud-provider.`
  )
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

/** More forwarding rules than any endpoint group has: the body is not what it claims. */
export const MAX_FORWARDING_RULES = 1000

/**
 * GCP's `endpoints[]`, read whole and strictly: a rule that cannot be read could be the one
 * that FAILED, so it stops the step rather than being skipped.
 */
function forwardingRules(record: Record<string, unknown>, cloud: Cloud): ForwardingRule[] {
  const field = cloud.rulesField
  if (field === undefined) return []
  const value = own(record, field)
  if (value === undefined) return []
  const problem = (what: string) =>
    new ResponseFormatError(
      `Atlas answered HTTP 200 with a ${cloud.noun} whose ${field} ${what}; expected a list of forwarding rules ({endpointName, ipAddress, status}), at most ${MAX_FORWARDING_RULES}. A rule that cannot be read could be one that failed, so the step stops.`
    )
  if (!Array.isArray(value)) throw problem(`is ${shownValue(value)}`)
  if (value.length > MAX_FORWARDING_RULES) throw problem(`lists ${value.length} rules`)
  return value.map((entry: unknown, index) => {
    const which = `rule ${index + 1} of ${value.length}`
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw problem(`has ${which} ${shownValue(entry)}, not an object`)
    }
    const rule = entry as Record<string, unknown>
    const name = own(rule, 'endpointName')
    if (typeof name !== 'string' || cloud.checkId(name) !== undefined) {
      const got = name === undefined ? 'no endpointName' : `endpointName ${shownValue(name)}`
      throw problem(`has ${which} with ${got}, not a forwarding rule name`)
    }
    const status = statusName(own(rule, 'status'))
    if (status === undefined) {
      const raw = own(rule, 'status')
      throw problem(
        `has ${which} (${showId(name)}) with ${raw === undefined ? 'no status' : `status ${shownValue(raw)}`}`
      )
    }
    const ipAddress = own(rule, 'ipAddress')
    const sent = own(rule, 'status')
    return {
      name,
      ipAddress: typeof ipAddress === 'string' ? ipAddress : '',
      status,
      ...(sent !== status ? { asSent: sent as string } : {})
    }
  })
}

/** What an endpoint service says of itself, and the endpoints it lists. */
export interface ServiceState {
  /**
   * The service's own status (INITIATING, AVAILABLE, WAITING_FOR_USER, FAILED, DELETING, or a
   * newer plain name), in upper case; undefined when the body has none.
   */
  status: string | undefined
  /** Atlas's message about the service (null when fine). */
  errorMessage: string | null
  /** The endpoints it lists, each a valid ID of the cloud, none twice, at most MAX_ENDPOINTS. */
  endpointIds: string[]
}

/**
 * The endpoint service, read strictly: a listing the gate cannot read is never "no endpoints".
 * The cloud's list field must hold a list of strings; an explicit empty list is the only "no
 * endpoints". Each listed ID must be an ID of the cloud as an `endpoint-id` input must (Azure:
 * the resource ID as it is, not percent-encoded: the API documents `privateEndpoints[]` items
 * as root-relative paths, `^/subscriptions/…`), none twice, at most MAX_ENDPOINTS; else a
 * ResponseFormatError before any endpoint is read.
 */
export function parseEndpointService(
  text: string,
  contentType: string | null,
  cloud: Cloud,
  askedId?: string
): ServiceState {
  const record = parseJson(text, contentType, `the endpoint service resource (with ${cloud.listField})`)
  const status = own(record, 'status')
  const statusText = status === undefined || status === null ? undefined : statusName(status)
  if (status !== undefined && status !== null && statusText === undefined) {
    throw new ResponseFormatError(
      `Atlas answered HTTP 200 with an endpoint service whose status is ${shownValue(status)}, not a status name; check base-url and cloud-provider.`
    )
  }
  const endpointIds = listedIds(record, cloud)
  // A listing about another service says nothing of this one's endpoints: an empty one would
  // otherwise pass a teardown. Atlas's service object carries its `id`; the single-service read
  // is not documented to, so an answer without one is read as the service asked about.
  const id = own(record, 'id')
  if (askedId !== undefined && id !== undefined && id !== askedId) {
    throw new ResponseFormatError(
      `Atlas answered HTTP 200 with an endpoint service whose id is ${shownValue(id)}, not ${showId(askedId)}: it does not say which service it lists. No endpoint was counted on it. Check base-url and endpoint-service-id.`
    )
  }
  return {
    status: statusText,
    errorMessage: typeof record.errorMessage === 'string' ? record.errorMessage : null,
    endpointIds
  }
}

/** The endpoint IDs an endpoint service lists, in Atlas's order (see parseEndpointService). */
export function parseEndpointList(text: string, contentType: string | null, cloud: Cloud): string[] {
  return parseEndpointService(text, contentType, cloud).endpointIds
}

function listedIds(record: Record<string, unknown>, cloud: Cloud): string[] {
  const field = cloud.listField
  const stop = (what: string, advice = 'Check base-url and cloud-provider.') =>
    new ResponseFormatError(
      `Atlas answered HTTP 200 with an endpoint service ${what}; expected ${field}, a list of ${cloud.noun} IDs (at most ${MAX_ENDPOINTS}). No endpoint was read: a listing that cannot be read is never "no endpoints". ${advice}`
    )
  const list = own(record, field)
  if (list === undefined) {
    const keys = Object.keys(record)
    const other = CLOUD_PROVIDERS.find(
      provider => provider !== cloud.provider && Object.hasOwn(record, CLOUDS[provider].listField)
    )
    const fields =
      keys.length === 0
        ? 'that has no fields at all'
        : `that has no ${field} field (its fields: ${keys
            .slice(0, 8)
            .map(key => showId(key, 40))
            .join(', ')}${keys.length > 8 ? `, and ${keys.length - 8} more` : ''})`
    const advice = other
      ? `It has ${CLOUDS[other].listField}, the list of a ${CLOUDS[other].provider} endpoint service: check cloud-provider.`
      : Object.hasOwn(record, 'results')
        ? 'A paged list ("results") is not the endpoint service: check base-url.'
        : undefined
    throw stop(fields, advice)
  }
  if (!Array.isArray(list)) throw stop(`whose ${field} is ${shownValue(list)}, not a list`)
  const count = `that lists ${list.length} ${list.length === 1 ? 'entry' : 'entries'} in ${field}`
  if (list.length > MAX_ENDPOINTS) {
    throw stop(
      `${count}, more than the ${MAX_ENDPOINTS} this action checks in one step`,
      "Name the endpoints to check in endpoint-id instead of '*'."
    )
  }
  const notString = list.findIndex(entry => typeof entry !== 'string')
  if (notString >= 0) {
    throw stop(`${count}, and entry ${notString + 1} is ${shownValue(list[notString])}, not an ID`)
  }
  const ids = list as string[]
  const invalid = ids.filter(id => cloud.checkId(id) !== undefined)
  if (invalid.length > 0) {
    throw stop(
      `${count}, ${invalid.length} of them not ${cloud.noun} IDs (${cloud.checkId(invalid[0])}); the first: ${showId(invalid[0])}`
    )
  }
  const duplicate = ids.find((id, index) => ids.findIndex(other => cloud.sameId(other, id)) !== index)
  if (duplicate !== undefined) throw stop(`${count}, and lists ${showId(duplicate)} more than once`)
  return ids
}

/** A field of a body, only if the body itself has it (never one inherited from Object.prototype). */
function own(record: Record<string, unknown>, field: string): unknown {
  return Object.hasOwn(record, field) ? record[field] : undefined
}

/** Shows a value from an answer in a message: its kind, then its JSON, one line, escaped, shortened. */
function shownValue(value: unknown): string {
  if (value === null) return 'null'
  const kind = Array.isArray(value)
    ? 'a list'
    : typeof value === 'object'
      ? 'an object'
      : typeof value === 'string'
        ? 'a string'
        : `a ${typeof value}`
  return `${kind} ${showId(oneLine(safeStringify(value), 60))}`
}

/**
 * Shows an ID (or any short text) from an answer: quoted and escaped, so that no line break
 * (C1 controls such as NEL included) can start a line of the log, and shortened.
 */
function showId(text: string, maxLength = 80): string {
  return quote(text, maxLength).replace(
    /[\u0080-\u009f]/g,
    ch => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`
  )
}

/** JSON.stringify that cannot throw (deep or cyclic values), for showing a value in a message. */
export function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return '(a value too deeply nested to show)'
  }
}
