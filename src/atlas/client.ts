import { USER_AGENT } from '../common/constants.js'
import { StrictDigestClient } from '../auth/digest.js'
import { AtlasApiError, ResponseFormatError, TransientError } from '../common/errors.js'
import type { Send } from '../http/transport.js'
import type { Log } from '../common/log.js'
import { endSentence, oneLine, quote } from '../common/text.js'

/** The interface endpoint resource, as Atlas describes it. */
export interface EndpointState {
  /** One of the documented statuses, or a newer one this version does not know. */
  connectionStatus: string
  deleteRequested: boolean
  errorMessage: string | null
  interfaceEndpointId: string
  /** The response body as Atlas sent it, parsed. */
  body: Record<string, unknown>
}

export interface AtlasClientOptions {
  baseUrl: string
  publicKey: string
  privateKey: string
  projectId: string
  privateLinkId: string
  interfaceEndpointId: string
  /** The transport (see http.ts): timeouts, size limit, no redirects, proxy. */
  fetch: Send
  log: Log
  /** For Retry-After given as an HTTP date. */
  now: () => number
}

type HeaderReader = { get(name: string): string | null }

/** A status name is short and plain; anything else is not a status, whatever the field says. */
const STATUS_NAME = /^[A-Za-z0-9_-]{1,64}$/

/**
 * Reads one interface endpoint from the Atlas Administration API v1.0. One instance is used
 * for the whole run so that its Digest challenge is reused from one poll to the next.
 */
export class AtlasClient {
  readonly url: string
  private readonly digest: StrictDigestClient
  private announced = false

  constructor(private readonly options: AtlasClientOptions) {
    const path = [
      'groups',
      options.projectId,
      'privateEndpoint',
      options.privateLinkId,
      'interfaceEndpoints',
      options.interfaceEndpointId
    ]
      .map(encodeURIComponent)
      .join('/')
    this.url = `${options.baseUrl}/${path}`
    this.digest = new StrictDigestClient(options.publicKey, options.privateKey, options.fetch)
  }

  /**
   * One status read. Returns the endpoint, or throws TransientError (worth retrying),
   * AtlasApiError or ResponseFormatError (not).
   */
  async readEndpoint(): Promise<EndpointState> {
    const response = await this.digest.fetch(this.url, {
      method: 'GET',
      headers: { Accept: 'application/json', 'User-Agent': USER_AGENT }
    })
    this.announceDeprecation(response.headers)
    const text = await response.text()

    if (response.status === 200) return parseEndpoint(text, response.headers.get('content-type'))
    if (response.status === 429 || response.status >= 500) {
      throw new TransientError(
        endSentence(`Atlas answered ${describeError(response.status, text, response.headers)}`),
        retryAfterMs(response.headers.get('retry-after'), this.options.now()),
        response.status === 429
      )
    }
    if (response.status >= 300 && response.status < 400) {
      const location = response.headers.get('location')
      const where = location ? ` to ${quote(safeOrigin(location, this.url), 100)}` : ''
      throw new AtlasApiError(
        `Atlas answered HTTP ${response.status}, a redirect${where}. The action does not follow redirects, so that the API key is never sent anywhere but base-url. Check base-url: it should be the API root itself, e.g. https://cloud.mongodb.com/api/atlas/v1.0.`,
        response.status,
        undefined
      )
    }
    const problem = describeError(response.status, text, response.headers)
    const code = errorCode(text, response.headers)
    throw new AtlasApiError(
      `${endSentence(`Atlas answered ${problem}`)} ${hint(response.status, code)}`,
      response.status,
      code
    )
  }

  /** One warning per run when Atlas says, in headers, that this API is going away. */
  private announceDeprecation(headers: HeaderReader): void {
    if (this.announced) return
    const deprecation = headers.get('deprecation')
    const sunset = headers.get('sunset')
    if (deprecation === null && sunset === null) return
    this.announced = true
    const parts = [
      deprecation !== null ? `deprecated (Deprecation: ${quote(oneLine(deprecation, 100))})` : '',
      sunset !== null ? `to be removed on ${quote(oneLine(sunset, 100))} (Sunset)` : ''
    ].filter(Boolean)
    this.options.log.warning(
      `Atlas announced that the v1.0 Administration API this action reads is ${parts.join(' and ')}. The step still works today; watch for a release of this action that moves to the versioned API.`,
      'Atlas API deprecation'
    )
  }
}

function parseEndpoint(text: string, contentType: string | null): EndpointState {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    const kind = contentType ? oneLine(contentType, 60) : 'no content type'
    throw new ResponseFormatError(
      `Atlas answered HTTP 200 with something that is not JSON (${kind}, ${text.length} characters, starting ${quote(oneLine(text, 60))}). A proxy, captive portal or wrong base-url may be answering instead of Atlas.`
    )
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ResponseFormatError(
      `Atlas answered HTTP 200 with JSON that is not an object (${quote(oneLine(text, 60))}); expected the interface endpoint resource.`
    )
  }
  const record = body as Record<string, unknown>
  const status = record.connectionStatus
  if (typeof status !== 'string' || !STATUS_NAME.test(status)) {
    const got =
      status === undefined
        ? 'no connectionStatus field'
        : `connectionStatus ${quote(oneLine(JSON.stringify(status) ?? '', 60))}`
    throw new ResponseFormatError(
      `Atlas answered HTTP 200 with JSON that has ${got}; expected the interface endpoint resource ({connectionStatus, deleteRequested, errorMessage, interfaceEndpointId}). Check base-url.`
    )
  }
  const errorMessage = record.errorMessage
  return {
    connectionStatus: status,
    deleteRequested: record.deleteRequested === true,
    errorMessage: typeof errorMessage === 'string' ? errorMessage : null,
    interfaceEndpointId: typeof record.interfaceEndpointId === 'string' ? record.interfaceEndpointId : '',
    body: record
  }
}

interface AtlasErrorBody {
  errorCode?: unknown
  detail?: unknown
  reason?: unknown
}

function parseErrorBody(text: string): AtlasErrorBody {
  try {
    const body: unknown = JSON.parse(text)
    return typeof body === 'object' && body !== null ? (body as AtlasErrorBody) : {}
  } catch {
    return {}
  }
}

function errorCode(text: string, headers: HeaderReader): string | undefined {
  const code = parseErrorBody(text).errorCode ?? headers.get('x-error-code')
  return typeof code === 'string' && code !== '' ? oneLine(code, 80) : undefined
}

/** "HTTP 404 (GROUP_NOT_FOUND): "No group with ID … exists."" from whatever Atlas sent. */
function describeError(status: number, text: string, headers: HeaderReader): string {
  const body = parseErrorBody(text)
  const code = errorCode(text, headers)
  const detail =
    typeof body.detail === 'string'
      ? body.detail
      : typeof body.reason === 'string'
        ? body.reason
        : text.trim() !== '' && !text.trimStart().startsWith('<')
          ? text
          : ''
  return `HTTP ${status}${code ? ` (${code})` : ''}${detail ? `: ${quote(oneLine(detail, 300))}` : ''}`
}

/** What a person can do about a non-retryable error. */
function hint(status: number, code: string | undefined): string {
  switch (status) {
    case 401:
      return 'The API key pair is wrong, or the key was revoked or has expired: check that public-key and private-key come from the same Atlas programmatic API key.'
    case 403:
      if (code === 'IP_ADDRESS_NOT_ON_ACCESS_LIST' || code === 'ORG_REQUIRES_ACCESS_LIST') {
        return "The runner's IP address is not on the API key's access list: add the runner's egress IP (or range) to the key's access list in Atlas."
      }
      return "The API key needs the Organization Owner or Project Owner role on this project, or the runner's IP address is not on the key's access list."
    case 404:
      if (code === 'GROUP_NOT_FOUND') {
        return 'project-id is wrong: no Atlas project has that ID (or the key cannot see it). Copy it from Project Settings in Atlas.'
      }
      return 'The project exists, but private-link-id or interface-endpoint-id is wrong, or the interface endpoint was deleted. Check both IDs in Atlas under Network Access → Private Endpoint.'
    default:
      return 'This is not a transient error, so it was not retried.'
  }
}

/** Milliseconds to wait from a Retry-After header: delay-seconds or an HTTP date. */
export function retryAfterMs(value: string | null, now: number): number | undefined {
  if (value === null) return undefined
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000
  // An HTTP date names its month ("Wed, 21 Oct 2026 07:28:00 GMT"); Date.parse alone would
  // read "1.5" or "-1" as dates in 2001 and retry at once.
  if (!/\b[A-Za-z]{3}\b/.test(trimmed)) return undefined
  const date = Date.parse(trimmed)
  if (Number.isNaN(date)) return undefined
  return Math.max(0, date - now)
}

/** The origin of a redirect target, never its path or query (which may carry tokens). */
function safeOrigin(location: string, base: string): string {
  try {
    return new URL(location, base).origin
  } catch {
    return oneLine(location, 60)
  }
}
