import type { Cloud } from '../common/clouds.js'
import { USER_AGENT, V2_VERSION, type ApiVersion } from '../common/constants.js'
import { AtlasApiError, TransientError } from '../common/errors.js'
import type { Log } from '../common/log.js'
import { endSentence, oneLine, quote } from '../common/text.js'
import { retryAfterMs } from '../http/retry-after.js'
import type { BufferedResponse, Send } from '../http/transport.js'
import { notFoundState, parseEndpoint, parseEndpointList, type EndpointState } from './endpoint.js'
import {
  describeAnswer,
  hint,
  PROJECT_NOT_FOUND_CODES,
  readErrorBody,
  safeOrigin,
  type HintContext
} from './errors.js'

export type { EndpointState } from './endpoint.js'

export interface AtlasClientOptions {
  baseUrl: string
  api: ApiVersion
  cloud: Cloud
  projectId: string
  endpointServiceId: string
  /** Sends one authenticated request (API key or service account) through the bounded transport. */
  send: Send
  credentialKind: HintContext['credentialKind']
  /** When deletion is the goal, a 404 about the endpoint (not the project) reads as DELETED. */
  notFoundIsDeleted: boolean
  log: Log
  /** For Retry-After given as an HTTP date. */
  now: () => number
}

/**
 * Reads private endpoints from the Atlas Administration API: the v2 resource for every cloud,
 * or v1.0's AWS interface endpoint. One instance serves the whole run, so that its credential
 * (a Digest challenge, a bearer token) is reused from one read to the next.
 */
export class AtlasClient {
  private announced = false
  private readonly serviceUrl: string
  private readonly accept: string

  constructor(private readonly options: AtlasClientOptions) {
    const { baseUrl, api, cloud, projectId, endpointServiceId } = options
    const segments =
      api === 'v2'
        ? ['groups', projectId, 'privateEndpoint', cloud.provider, 'endpointService', endpointServiceId]
        : ['groups', projectId, 'privateEndpoint', endpointServiceId]
    this.serviceUrl = `${baseUrl}/${segments.map(encodeURIComponent).join('/')}`
    this.accept = api === 'v2' ? `application/vnd.atlas.${V2_VERSION}+json` : 'application/json'
  }

  /**
   * The URL of one endpoint. The ID is one path segment, encoded once: an Azure resource ID's
   * slashes become %2F (sent raw, Atlas answers 404).
   */
  endpointUrl(endpointId: string): string {
    const collection = this.options.api === 'v2' ? 'endpoint' : 'interfaceEndpoints'
    return `${this.serviceUrl}/${collection}/${encodeURIComponent(endpointId)}`
  }

  /**
   * One status read. Returns the endpoint, or throws TransientError (worth retrying),
   * AtlasApiError or ResponseFormatError (not).
   */
  async readEndpoint(endpointId: string): Promise<EndpointState> {
    const response = await this.get(this.endpointUrl(endpointId))
    const text = await response.text()
    if (response.status === 200) {
      return parseEndpoint(text, response.headers.get('content-type'), this.options.cloud, endpointId)
    }
    if (
      response.status === 404 &&
      this.options.notFoundIsDeleted &&
      this.isAboutTheEndpoint(text, response)
    ) {
      return notFoundState(this.options.cloud, endpointId, text)
    }
    throw this.failure(response, text)
  }

  /** The IDs of every endpoint of the endpoint service (for `endpoint-id: '*'`). */
  async listEndpoints(): Promise<string[]> {
    const response = await this.get(this.serviceUrl)
    const text = await response.text()
    if (response.status === 200)
      return parseEndpointList(text, response.headers.get('content-type'), this.options.cloud)
    // Deleting a service's last endpoint removes the service: when deletion is the goal, a
    // missing service has no endpoints left.
    if (response.status === 404 && this.options.notFoundIsDeleted && this.isAboutTheEndpoint(text, response))
      return []
    throw this.failure(response, text)
  }

  private async get(url: string): Promise<BufferedResponse> {
    const response = await this.options.send(url, {
      method: 'GET',
      headers: { Accept: this.accept, 'User-Agent': USER_AGENT }
    })
    this.announceDeprecation(response.headers)
    return response
  }

  /**
   * A 404 means "deleted" only when Atlas itself says so about the endpoint or its service:
   * its error JSON, with a code that is not about the project. A proxy's page, a wrong API root
   * or a mistyped project ID must never pass a teardown gate.
   */
  private isAboutTheEndpoint(text: string, response: BufferedResponse): boolean {
    const body = readErrorBody(text, response.headers)
    return (
      body.isAtlasError && body.errorCode !== undefined && !PROJECT_NOT_FOUND_CODES.includes(body.errorCode)
    )
  }

  /** The error for an answer other than 200. */
  private failure(response: BufferedResponse, text: string): Error {
    const body = readErrorBody(text, response.headers)
    const answer = describeAnswer(response.status, body)
    if (response.status === 429 || response.status >= 500) {
      return new TransientError(
        endSentence(`Atlas answered ${answer}`),
        retryAfterMs(response.headers.get('retry-after'), this.options.now()),
        response.status === 429
      )
    }
    if (response.status >= 300 && response.status < 400) {
      const location = response.headers.get('location')
      const where = location ? ` to ${quote(safeOrigin(location, this.serviceUrl), 100)}` : ''
      return new AtlasApiError(
        `Atlas answered HTTP ${response.status}, a redirect${where}. The action does not follow redirects, so that credentials are never sent anywhere but base-url. Check base-url: it should be the API root itself, e.g. https://cloud.mongodb.com/api/atlas/v2.`,
        response.status,
        undefined
      )
    }
    return new AtlasApiError(
      `${endSentence(`Atlas answered ${answer}`)} ${hint(response.status, body.errorCode, this.options)}`,
      response.status,
      body.errorCode
    )
  }

  /** One warning per run when Atlas says, in headers, that this API is going away. */
  private announceDeprecation(headers: BufferedResponse['headers']): void {
    if (this.announced) return
    const deprecation = headers.get('deprecation')
    const sunset = headers.get('sunset')
    if (deprecation === null && sunset === null) return
    this.announced = true
    const parts = [
      deprecation !== null ? `deprecated (Deprecation: ${quote(oneLine(deprecation, 100))})` : '',
      sunset !== null ? `to be removed on ${quote(oneLine(sunset, 100))} (Sunset)` : ''
    ].filter(Boolean)
    const what =
      this.options.api === 'v1.0'
        ? `the v1.0 Administration API this step reads is ${parts.join(' and ')}. Move base-url to https://cloud.mongodb.com/api/atlas/v2 (the default; Atlas for Government: https://cloud.mongodbgov.com/api/atlas/v2), which needs only the Project Read Only role.`
        : `API version ${V2_VERSION}, which this release of the action reads, is ${parts.join(' and ')}. The step still works today; update the action to its latest release.`
    this.options.log.warning(`Atlas announced that ${what}`, 'Atlas API deprecation')
  }
}
