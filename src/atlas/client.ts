import type { Cloud } from '../common/clouds.js'
import { USER_AGENT, V2_VERSION, type ApiVersion } from '../common/constants.js'
import type { Log } from '../common/log.js'
import type { BufferedResponse, Send } from '../http/transport.js'
import {
  notFoundState,
  parseEndpoint,
  parseEndpointService,
  parseJson,
  type EndpointState,
  type ServiceState
} from './endpoint.js'
import {
  announcedEnd,
  answerFailure,
  ATLAS_ERROR_CODE,
  hint,
  NEVER_DELETED_CODES,
  readErrorBody,
  type HintContext
} from './errors.js'
import { ResponseFormatError } from '../common/errors.js'
import { duplicateKey } from '../common/json.js'

export type { EndpointState, ServiceState } from './endpoint.js'

const V2_ACCEPT = `application/vnd.atlas.${V2_VERSION}+json`

/** The endpoint service, or the news that Atlas has no such service (a 404 of Atlas's own about it). */
export type ServiceRead = { found: true; service: ServiceState } | { found: false; errorCode: string }

export interface AtlasClientOptions {
  baseUrl: string
  api: ApiVersion
  cloud: Cloud
  projectId: string
  endpointServiceId: string
  /** Sends one authenticated request (API key or service account) through the bounded transport. */
  send: Send
  credentialKind: HintContext['credentialKind']
  /**
   * When deletion is the goal, a 404 about the endpoint (not the project) is reported as "not
   * found": the wait then asks the endpoint service (and the project) whether it is really gone.
   */
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
  /** The v2 root on base-url's origin: the project and the service list are read there on either API. */
  readonly v2Root: string

  constructor(private readonly options: AtlasClientOptions) {
    const { baseUrl, api, cloud, projectId, endpointServiceId } = options
    const segments =
      api === 'v2'
        ? ['groups', projectId, 'privateEndpoint', cloud.provider, 'endpointService', endpointServiceId]
        : ['groups', projectId, 'privateEndpoint', endpointServiceId]
    this.serviceUrl = `${baseUrl}/${segments.map(encodeURIComponent).join('/')}`
    this.accept = api === 'v2' ? V2_ACCEPT : 'application/json'
    this.v2Root = v2RootOf(baseUrl)
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
      this.notFoundCode(text, response) !== undefined
    ) {
      return notFoundState(this.options.cloud, endpointId, text)
    }
    throw this.failure(response, text)
  }

  /**
   * The endpoint service: its own status and message, and the IDs of its endpoints (for
   * `endpoint-id: '*'`, and to corroborate a 404 while waiting for DELETED). With
   * `missingIsNews`, a 404 of Atlas's own about the service is `found: false`; anything else
   * that is not a 200 throws.
   */
  async readService(options: { missingIsNews: boolean } = { missingIsNews: false }): Promise<ServiceRead> {
    const response = await this.get(this.serviceUrl)
    const text = await response.text()
    if (response.status === 200)
      return {
        found: true,
        service: parseEndpointService(
          text,
          response.headers.get('content-type'),
          this.options.cloud,
          this.options.endpointServiceId
        )
      }
    const code =
      response.status === 404 && options.missingIsNews ? this.notFoundCode(text, response) : undefined
    if (code !== undefined) return { found: false, errorCode: code }
    throw this.failure(response, text)
  }

  /**
   * Whether the project exists (200) or Atlas says it does not (its own 404): the last word
   * on a missing endpoint service, whose removal follows the removal of its last endpoint.
   */
  async projectExists(): Promise<boolean> {
    const url = `${this.v2Root}/groups/${encodeURIComponent(this.options.projectId)}`
    const response = await this.get(url, V2_ACCEPT)
    const text = await response.text()
    if (response.status === 200) {
      const project = parseJson(text, response.headers.get('content-type'), 'the project resource')
      if (project.id !== this.options.projectId) {
        throw new ResponseFormatError(
          `Atlas answered HTTP 200 for the project with a body whose id is not ${this.options.projectId}; check base-url.`
        )
      }
      return true
    }
    if (response.status === 404 && readErrorBody(text, response.headers).isAtlasError) return false
    throw this.failure(response, text)
  }

  /** The IDs of the project's endpoint services of this cloud (to name a near one when endpoint-service-id is missing). */
  async listServiceIds(): Promise<string[]> {
    const url = `${this.v2Root}/groups/${encodeURIComponent(this.options.projectId)}/privateEndpoint/${this.options.cloud.provider}/endpointService`
    const response = await this.get(url, V2_ACCEPT)
    const text = await response.text()
    if (response.status !== 200) throw this.failure(response, text)
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      body = undefined
    }
    if (!Array.isArray(body) || body.length > 1000 || duplicateKey(text) !== undefined) {
      throw new ResponseFormatError(
        `Atlas answered HTTP 200 for the project's endpoint services with something that is not a list of them; check base-url.`
      )
    }
    return body.flatMap(entry => {
      const id =
        typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>).id : undefined
      // Any case: a listing that names this service in upper case still names it (proveServiceGone).
      return typeof id === 'string' && /^[0-9a-f]{24}$/i.test(id) ? [id] : []
    })
  }

  private async get(url: string, accept = this.accept): Promise<BufferedResponse> {
    const response = await this.options.send(url, {
      method: 'GET',
      headers: { Accept: accept, 'User-Agent': USER_AGENT }
    })
    this.announceDeprecation(response.headers)
    return response
  }

  /**
   * The code of a 404 that may mean "deleted": Atlas's own error JSON, with a code written as
   * Atlas writes them and not about the project, the cloud or a malformed ID. A proxy's page, a
   * wrong API root or a mistyped project ID never gets here. Even then it is only a claim: the
   * wait corroborates it with the endpoint service before it counts as DELETED.
   */
  private notFoundCode(text: string, response: BufferedResponse): string | undefined {
    const body = readErrorBody(text, response.headers)
    const code = body.errorCode
    if (!body.isAtlasError || code === undefined || !ATLAS_ERROR_CODE.test(code)) return undefined
    return NEVER_DELETED_CODES.includes(code) ? undefined : code
  }

  /** The error for an answer other than 200. */
  private failure(response: BufferedResponse, text: string): Error {
    return answerFailure(response, readErrorBody(text, response.headers), {
      now: this.options.now(),
      base: this.serviceUrl,
      subject: '',
      hint: (status, code) => hint(status, code, this.options)
    })
  }

  /** One warning per run when Atlas says, in headers, that this API is going away. */
  private announceDeprecation(headers: BufferedResponse['headers']): void {
    if (this.announced) return
    const announced = announcedEnd(headers)
    if (announced === undefined) return
    this.announced = true
    const what =
      this.options.api === 'v1.0'
        ? `the v1.0 Administration API this step reads is ${announced}. Move base-url to https://cloud.mongodb.com/api/atlas/v2 (the default; Atlas for Government: https://cloud.mongodbgov.com/api/atlas/v2), which needs only the Project Read Only role.`
        : `API version ${V2_VERSION}, which this release of the action reads, is ${announced}. The step still works today; update the action to its latest release.`
    this.options.log.warning(`Atlas announced that ${what}`, 'Atlas API deprecation')
  }
}

/**
 * The v2 root of base-url's origin: `…/api/atlas/v1.0` becomes `…/api/atlas/v2`. The project,
 * its endpoint services and its clusters are read there on either API (v1.0 has no cluster
 * resource in this form).
 */
export function v2RootOf(baseUrl: string): string {
  return baseUrl.replace(/\/api\/atlas\/v1\.0$/, '/api/atlas/v2')
}
