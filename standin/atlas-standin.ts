/**
 * A local stand-in for the Atlas Administration API's private endpoints: the v1.0 AWS
 * interface-endpoint resource and the v2 private endpoint resource for AWS, Azure and GCP, one
 * endpoint or the endpoint service that lists them.
 *
 * It speaks HTTP Digest exactly as Atlas does (the challenge and 401 body recorded from Atlas
 * traffic), verifies every response hash, can check `nc` strictly (8 hex digits, counting from
 * 00000001 per nonce), can refuse reused nonces, accepts service-account bearer tokens through
 * a `BearerAuthority`, negotiates v2 versions from the Accept header, and plays a script of
 * statuses and faults per endpoint. The integration and end-to-end suites, `npm run demo` and
 * `npm run bench` all use this one server, so the demo and the tests cannot drift apart. It is
 * written from the API documentation and never imports from src/. It is not part of dist/.
 */
import { createHash, randomBytes } from 'node:crypto'
import http from 'node:http'
import https from 'node:https'
import type { AddressInfo, Socket } from 'node:net'
import {
  CLOUDS,
  forwardingRuleStatus,
  isCloudProvider,
  type CloudProvider,
  type EndpointFacts
} from './clouds.js'

export { CLOUDS, FORWARDING_RULE_STATUSES, SERVICE_STATUSES, type CloudProvider } from './clouds.js'

export const REALM = 'MMS Public API'
/** Atlas's 401 body, for a challenge and for a wrong key alike. */
export const UNAUTHORIZED_BODY =
  '{"error":401,"reason":"Unauthorized","detail":"You are not authorized for this resource.","errorCode":"UNEXPECTED_ERROR"}'
/** The one version of the v2 read and of the endpoint service read. */
export const V2_VERSION = '2023-01-01'

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
}

export interface RequestRecord {
  at: number
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

interface NonceState {
  lastNc: number
  used: boolean
}

/** `{detail, error, errorCode, parameters, reason}`, Atlas's error body. */
interface AtlasError {
  detail: string
  error: number
  errorCode: string
  parameters: unknown[]
  reason: string
}

function atlasError(status: number, errorCode: string, detail: string, parameters: unknown[]): AtlasError {
  return { detail, error: status, errorCode, parameters, reason: http.STATUS_CODES[status] ?? 'Error' }
}

/** A script and where it is: each step answers `times` requests, the last one answers forever. */
class ScriptPlayer {
  private index = 0
  private uses = 0
  constructor(private steps: Step[]) {}

  replace(steps: Step[]): void {
    this.steps = steps
    this.index = 0
    this.uses = 0
  }

  /** The step the next request gets, without using it. */
  peek(): Step {
    return this.steps[Math.min(this.index, this.steps.length - 1)]
  }

  next(): Step {
    const step = this.peek()
    this.uses += 1
    if (this.index < this.steps.length - 1 && this.uses >= (step.times ?? 1)) {
      this.index += 1
      this.uses = 0
    }
    return step
  }
}

interface Endpoint {
  spec: EndpointSpec
  player: ScriptPlayer
}

/** A request path Atlas would route: which API, which resource, and its parameters, decoded once. */
interface Route {
  api: ApiVersion
  target: 'endpoint' | 'listing'
  group: string
  /** v2: the path's cloud segment; v1.0: always AWS. */
  cloud: string
  service: string
  endpointId?: string
}

/** How a 200 looks for one step, per API. */
interface Rendered {
  body: unknown
  contentType: string
}

const OBJECT_ID = /^[0-9a-fA-F]{24}$/

export class AtlasStandin {
  readonly requests: RequestRecord[] = []
  private server: http.Server | https.Server
  private readonly cloud: CloudProvider
  private readonly endpoints: Endpoint[]
  private readonly service: ScriptPlayer
  private readonly nonces = new Map<string, NonceState>()
  private readonly sockets = new Set<Socket>()
  private address?: AddressInfo

  constructor(private readonly options: StandinOptions) {
    this.cloud = options.cloudProvider ?? 'AWS'
    const fallback = options.script ?? [{ status: 'AVAILABLE' }]
    const specs =
      options.endpoints ??
      (options.interfaceEndpointId !== undefined
        ? [{ id: options.interfaceEndpointId, script: fallback }]
        : [])
    this.endpoints = specs.map(spec => ({ spec, player: new ScriptPlayer(spec.script ?? fallback) }))
    this.service = new ScriptPlayer(options.serviceScript ?? [{ status: 'AVAILABLE' }])
    const handler = (request: http.IncomingMessage, response: http.ServerResponse): void => {
      this.handle(request, response)
    }
    this.server = options.tls
      ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, handler)
      : http.createServer(handler)
    this.server.on('connection', socket => {
      this.sockets.add(socket)
      socket.on('close', () => this.sockets.delete(socket))
    })
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject)
      this.server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => resolve())
    })
    this.address = this.server.address() as AddressInfo
    return this
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy()
    await new Promise<void>(resolve => this.server.close(() => resolve()))
  }

  get port(): number {
    if (!this.address) throw new Error('The stand-in is not started')
    return this.address.port
  }

  /** `http(s)://host:port`, where /api/oauth/* lives. */
  get origin(): string {
    const host = this.options.host ?? '127.0.0.1'
    const shown = host.includes(':') ? `[${host}]` : host
    return `${this.options.tls ? 'https' : 'http'}://${shown}:${this.port}`
  }

  /** The root of one API version: `<origin>/api/atlas/v1.0` or `…/v2`. */
  apiRoot(api: ApiVersion): string {
    return `${this.origin}/api/atlas/${api}`
  }

  /** The `base-url` to give the action (the v1.0 root). */
  get baseUrl(): string {
    return this.apiRoot('v1.0')
  }

  get baseUrlV2(): string {
    return this.apiRoot('v2')
  }

  /** The endpoint service's URL (the listing), with the stand-in's own IDs. */
  serviceUrl(api: ApiVersion): string {
    const { projectId, privateLinkId } = this.options
    return api === 'v1.0'
      ? `${this.baseUrl}/groups/${projectId}/privateEndpoint/${privateLinkId}`
      : `${this.baseUrlV2}/groups/${projectId}/privateEndpoint/${this.cloud}/endpointService/${privateLinkId}`
  }

  /** One endpoint's URL, its ID percent-encoded once as one segment (default: the first endpoint). */
  endpointUrl(api: ApiVersion, id = this.endpoints[0]?.spec.id ?? ''): string {
    const segment = encodeURIComponent(id)
    return api === 'v1.0'
      ? `${this.serviceUrl('v1.0')}/interfaceEndpoints/${segment}`
      : `${this.serviceUrl('v2')}/endpoint/${segment}`
  }

  /** Replaces every endpoint's script from the next request on (the demo and benchmark flip statuses with it). */
  play(script: Step[]): void {
    for (const endpoint of this.endpoints) endpoint.player.replace(script)
  }

  /** Replaces one endpoint's script. */
  playFor(id: string, script: Step[]): void {
    const endpoint = this.endpoints.find(e => e.spec.id === id)
    if (!endpoint) throw new Error(`The stand-in has no endpoint ${id}`)
    endpoint.player.replace(script)
  }

  /** Replaces the endpoint service's script. */
  playService(script: Step[]): void {
    this.service.replace(script)
  }

  /** Requests whose credentials were correct (Digest or bearer). */
  get authorizedCount(): number {
    return this.requests.filter(r => r.authorized).length
  }

  private handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    const authorization = request.headers.authorization
    const url = request.url ?? ''
    const path = url.split('?')[0]
    const record: RequestRecord = {
      at: Date.now(),
      method: request.method ?? '',
      path: url,
      authorized: false,
      auth: authKind(authorization),
      status: 0,
      userAgent: request.headers['user-agent'],
      accept: request.headers.accept,
      hadAuthorization: authorization !== undefined
    }
    const finish = (status: number): void => {
      record.status = status
      this.requests.push(record)
      this.options.onRequest?.(record)
    }

    if (this.options.serviceAccounts && path.startsWith('/api/oauth/')) {
      record.target = 'oauth'
      this.handleOAuth(this.options.serviceAccounts, request, response, finish)
      return
    }

    // The path is read first only to record what it named; credentials are checked first.
    const route = parseRoute(path)
    if (!('error' in route)) {
      Object.assign(record, {
        target: route.target,
        api: route.api,
        cloudProvider: route.cloud,
        endpointId: route.endpointId
      })
    }

    const verdict = this.authenticate(request, record)
    if (!verdict.ok) {
      // A refused bearer token gets the same challenge as any unauthenticated request: Atlas
      // answers them all alike, and a client must not take the challenge as a hint to switch.
      this.challenge(response, verdict.stale)
      finish(401)
      return
    }
    record.authorized = true

    if ('error' in route) {
      this.fail(response, route)
      finish(route.error)
      return
    }

    let contentType = 'application/json'
    if (route.api === 'v2') {
      const version = this.negotiate(request.headers.accept, path)
      if (typeof version !== 'string') {
        this.fail(response, version)
        finish(version.error)
        return
      }
      record.version = version
      contentType = `application/vnd.atlas.${version}+json`
    }

    const problem = this.checkIds(route)
    if (problem) {
      this.fail(response, problem)
      finish(problem.error)
      return
    }

    if (route.target === 'listing') {
      const render = (step: StatusStep) => this.renderService(route, step, contentType)
      this.answer(this.service.next(), request, response, finish, render, missingService(route))
      return
    }
    const endpoint = this.endpoints.find(e => e.spec.id === route.endpointId) as Endpoint
    const index = this.endpoints.indexOf(endpoint)
    this.answer(
      endpoint.player.next(),
      request,
      response,
      finish,
      step => this.renderEndpoint(route.api, endpoint.spec, index, step, contentType),
      missingEndpoint(route, this.cloud)
    )
  }

  /** Checks the credentials; records what they were and, when refused, why. */
  private authenticate(
    request: http.IncomingMessage,
    record: RequestRecord
  ): { ok: boolean; stale: boolean } {
    const authorization = request.headers.authorization
    const authority = this.options.serviceAccounts
    if (authority && record.auth === 'bearer') {
      const verdict = authority.verify(authorization)
      if (verdict.ok) record.clientId = verdict.clientId
      else record.refused = `bearer token refused: ${verdict.reason}`
      return { ok: verdict.ok, stale: false }
    }
    const verdict = this.checkDigest(request.method ?? 'GET', request.url ?? '', authorization)
    record.nc = verdict.nc
    record.nonce = verdict.nonce
    if (verdict.ok) return { ok: true, stale: false }
    record.refused = verdict.reason
    return { ok: false, stale: verdict.stale }
  }

  /** Reads the body, then lets the authority answer; a path it does not serve is a 404. */
  private handleOAuth(
    authority: BearerAuthority,
    request: http.IncomingMessage,
    response: http.ServerResponse,
    finish: (status: number) => void
  ): void {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      response.once('finish', () => finish(response.statusCode))
      response.once('close', () => {
        if (!response.writableFinished) finish(0)
      })
      const body = Buffer.concat(chunks).toString('utf8')
      if (!authority.handle(request, body, response)) {
        const path = (request.url ?? '').split('?')[0]
        this.fail(response, atlasError(404, 'RESOURCE_NOT_FOUND', `Cannot find resource ${path}.`, [path]))
      }
    })
  }

  /**
   * The version date from `Accept: application/vnd.atlas.YYYY-MM-DD+json`. No version (or
   * `application/json`) and an unknown date both get 406 INVALID_VERSION_DATE (we chose 406
   * over 400 for the missing version: one answer for "no version I serve"); a retired one 410.
   */
  private negotiate(accept: string | undefined, path: string): string | AtlasError {
    const asked = /application\/vnd\.atlas\.(\d{4}-\d{2}-\d{2})\+json/.exec(accept ?? '')?.[1]
    const resource = path.slice(1)
    if (asked !== undefined && (this.options.retiredVersions ?? []).includes(asked)) {
      return atlasError(410, 'VERSION_GONE', `Version ${asked} of ${resource} is no longer available.`, [
        asked,
        resource
      ])
    }
    if (asked === undefined || !(this.options.versions ?? [V2_VERSION]).includes(asked)) {
      return atlasError(406, 'INVALID_VERSION_DATE', 'Invalid accept header or version date.', [])
    }
    return asked
  }

  /** Atlas's answer to malformed or unknown IDs in a routed path, in the order Atlas checks them. */
  private checkIds(route: Route): AtlasError | undefined {
    const { group, cloud, service, endpointId } = route
    if (!OBJECT_ID.test(group)) return pathParamError('groupId', group)
    if (route.api === 'v2' && !isCloudProvider(cloud)) return pathParamError('cloudProvider', cloud)
    if (route.api === 'v2' && !OBJECT_ID.test(service)) return pathParamError('endpointServiceId', service)
    if ((this.options.invalidProjectIds ?? []).includes(group)) {
      return atlasError(404, 'INVALID_GROUP_ID', `The specified group ID ${group} is invalid.`, [group])
    }
    if (group !== this.options.projectId) {
      return atlasError(404, 'GROUP_NOT_FOUND', `No group with ID ${group} exists.`, [group])
    }
    const serviceKnown = service === this.options.privateLinkId && cloud === this.cloud
    const endpointKnown = endpointId === undefined || this.endpoints.some(e => e.spec.id === endpointId)
    if (route.api === 'v1.0' && (!serviceKnown || !endpointKnown)) {
      return endpointId === undefined ? missingService(route) : missingEndpoint(route, this.cloud)
    }
    if (!serviceKnown) return missingService(route)
    if (!endpointKnown) return missingEndpoint(route, this.cloud)
    return undefined
  }

  private renderEndpoint(
    api: ApiVersion,
    spec: EndpointSpec,
    index: number,
    step: StatusStep,
    contentType: string
  ): Rendered {
    const deleteRequested = step.deleteRequested ?? false
    const errorMessage = step.errorMessage ?? null
    if (api === 'v1.0') {
      return {
        body: { connectionStatus: step.status, deleteRequested, errorMessage, interfaceEndpointId: spec.id },
        contentType
      }
    }
    const portMappingEnabled = spec.portMappingEnabled ?? false
    const ruleNames =
      spec.forwardingRules ?? (portMappingEnabled ? [spec.id] : [0, 1, 2].map(i => `${spec.id}-${i}`))
    const rules =
      step.forwardingRules ?? ruleNames.map(name => ({ name, status: forwardingRuleStatus(step.status) }))
    const facts: EndpointFacts = {
      id: spec.id,
      status: step.status,
      deleteRequested,
      errorMessage,
      ipAddress: spec.ipAddress ?? `10.0.0.${4 + index}`,
      connectionName: spec.connectionName ?? `${spec.id.split('/').at(-1)}.${this.options.privateLinkId}`,
      gcpProjectId: spec.gcpProjectId ?? 'customer-project-1',
      portMappingEnabled,
      forwardingRules: rules.map((rule, i) => ({ ...rule, ipAddress: `10.128.${index}.${10 + i}` }))
    }
    return { body: CLOUDS[this.cloud].endpointBody(facts), contentType }
  }

  /** The endpoint service, listing the endpoints whose next answer is not "gone". */
  private renderService(route: Route, step: StatusStep, contentType: string): Rendered | AtlasError {
    const listed = this.endpoints.filter(e => !('gone' in settle(e.player.peek()))).map(e => e.spec.id)
    // Removing a service's last endpoint removes the service too (the reference says so).
    if (listed.length === 0 && this.endpoints.length > 0) return missingService(route)
    const id = this.options.privateLinkId
    const errorMessage = step.errorMessage ?? null
    if (route.api === 'v1.0') {
      const { endpointServiceName } = CLOUDS.AWS.serviceFields({
        id,
        status: step.status,
        errorMessage,
        regionName: '',
        endpointIds: listed
      })
      return {
        body: { endpointServiceName, errorMessage, id, interfaceEndpoints: listed, status: step.status },
        contentType
      }
    }
    const cloud = CLOUDS[this.cloud]
    const facts = {
      id,
      status: step.status,
      errorMessage,
      regionName: this.options.regionName ?? cloud.defaultRegion,
      endpointIds: listed
    }
    return {
      body: {
        cloudProvider: cloud.provider,
        errorMessage,
        id,
        regionName: facts.regionName,
        status: step.status,
        [cloud.listField]: listed,
        ...cloud.serviceFields(facts)
      },
      contentType
    }
  }

  private answer(
    step: Step,
    request: http.IncomingMessage,
    response: http.ServerResponse,
    finish: (status: number) => void,
    render: (step: StatusStep) => Rendered | AtlasError,
    gone: AtlasError
  ): void {
    if ('delayMs' in step) {
      const timer = setTimeout(
        () => this.answer(step.then, request, response, finish, render, gone),
        step.delayMs
      )
      response.on('close', () => clearTimeout(timer))
      return
    }
    if ('fault' in step) {
      if (step.fault === 'reset') {
        finish(0)
        request.socket.resetAndDestroy()
        return
      }
      response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '200' })
      response.write('{"connectionStatus":"AVAI')
      finish(200)
      setTimeout(() => request.socket.destroy(), 10)
      return
    }
    if ('raw' in step) {
      response.writeHead(step.raw.status, step.raw.headers ?? {})
      response.end(step.raw.body ?? '')
      finish(step.raw.status)
      return
    }
    if ('gone' in step) {
      const code = step.errorCode ?? gone.errorCode
      this.fail(response, { ...gone, errorCode: code, detail: step.detail ?? gone.detail }, step.headers)
      finish(404)
      return
    }
    if ('error' in step) {
      const errorCode = step.errorCode ?? defaultCode(step.error)
      const detail = step.detail ?? http.STATUS_CODES[step.error] ?? 'Error'
      this.fail(response, atlasError(step.error, errorCode, detail, []), step.headers)
      finish(step.error)
      return
    }
    const rendered = render(step)
    if ('error' in rendered) {
      this.fail(response, rendered)
      finish(rendered.error)
      return
    }
    this.json(response, 200, rendered.body, { 'Content-Type': rendered.contentType, ...step.headers })
    finish(200)
  }

  private fail(response: http.ServerResponse, error: AtlasError, headers: Record<string, string> = {}): void {
    this.json(response, error.error, error, { 'X-Error-Code': error.errorCode, ...headers })
  }

  private challenge(response: http.ServerResponse, stale: boolean): void {
    // 24 random bytes in base64: 32 characters that can hold '+' and '/', like Atlas's nonces.
    const nonce = randomBytes(24).toString('base64')
    this.nonces.set(nonce, { lastNc: 0, used: false })
    response.writeHead(401, {
      'Content-Type': 'application/json',
      'Www-Authenticate': `Digest realm="${REALM}", domain="", nonce="${nonce}", algorithm=MD5, qop="auth", stale=${stale}`
    })
    response.end(UNAUTHORIZED_BODY)
  }

  private json(
    response: http.ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {}
  ): void {
    response.writeHead(status, { 'Content-Type': 'application/json', ...headers })
    response.end(JSON.stringify(body))
  }

  /** Checks a Digest answer as RFC 7616 (MD5, qop=auth) says; the reason is for test failures. */
  private checkDigest(
    method: string,
    url: string,
    header: string | undefined
  ):
    | { ok: true; nc: string; nonce: string }
    | { ok: false; stale: boolean; reason: string; nc?: string; nonce?: string } {
    if (!header) return { ok: false, stale: false, reason: 'no Authorization header' }
    if (!/^Digest\s/i.test(header)) return { ok: false, stale: false, reason: 'not a Digest answer' }
    const fields = parseDigestFields(header.slice(7))
    const { username, realm, nonce, uri, qop, nc, cnonce, response, algorithm } = fields
    const refuse = (reason: string, stale = false) => ({ ok: false as const, stale, reason, nc, nonce })
    if (username !== this.options.publicKey) return refuse(`unknown user ${username}`)
    if (realm !== REALM) return refuse(`wrong realm ${realm}`)
    if (algorithm !== undefined && algorithm.toUpperCase() !== 'MD5') return refuse(`algorithm ${algorithm}`)
    if (uri !== url) return refuse(`uri ${uri} is not the request target ${url}`)
    if (qop !== 'auth') return refuse(`qop ${qop}`)
    if (!nc || !/^[0-9a-f]{8}$/.test(nc)) return refuse(`nc ${nc} is not 8 lowercase hex digits`)
    if (!cnonce) return refuse('no cnonce')
    const state = nonce ? this.nonces.get(nonce) : undefined
    if (!nonce || !state) return refuse(`unknown nonce ${nonce}`, true)

    const ha1 = md5(`${username}:${REALM}:${this.options.privateKey}`)
    const ha2 = md5(`${method}:${uri}`)
    const expected = md5(`${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`)
    if (response !== expected) return refuse('wrong response hash (wrong key pair)')

    if ((this.options.nonces ?? 'reuse') === 'single-use' && state.used) {
      return refuse('nonce already used', this.options.staleOnRefusal ?? true)
    }
    const count = parseInt(nc, 16)
    if ((this.options.strictNc ?? true) && count !== state.lastNc + 1) {
      return refuse(`nc ${nc} after ${state.lastNc.toString(16).padStart(8, '0')} on this nonce`)
    }
    if (count <= state.lastNc) return refuse(`nc ${nc} replayed`)
    state.lastNc = count
    state.used = true
    return { ok: true, nc, nonce }
  }
}

function md5(text: string): string {
  return createHash('md5').update(text).digest('hex')
}

function authKind(header: string | undefined): RequestRecord['auth'] {
  if (header === undefined) return 'none'
  if (/^Digest\s/i.test(header)) return 'digest'
  if (/^Bearer\s/i.test(header)) return 'bearer'
  if (/^Basic\s/i.test(header)) return 'basic'
  return 'none'
}

/** A delayed step is the step it delays to. */
function settle(step: Step): Step {
  return 'delayMs' in step ? settle(step.then) : step
}

/**
 * Routes a RAW path (split on `/` before any decoding, as Atlas does), then decodes each
 * parameter once. An Azure resource ID sent unencoded adds segments and so matches no route.
 */
function parseRoute(path: string): Route | AtlasError {
  const raw = path.split('/')
  const notFound = atlasError(404, 'RESOURCE_NOT_FOUND', `Cannot find resource ${path}.`, [path])
  const shape = (...names: (string | null)[]): boolean =>
    raw.length === names.length && names.every((name, i) => (name === null ? raw[i] !== '' : raw[i] === name))
  const prefix = (api: string) => ['', 'api', 'atlas', api, 'groups', null, 'privateEndpoint', null]
  let route: Omit<Route, 'group' | 'cloud' | 'service' | 'endpointId'> & { params: Record<string, number> }
  if (shape(...prefix('v1.0'), 'interfaceEndpoints', null)) {
    route = {
      api: 'v1.0',
      target: 'endpoint',
      params: { groupId: 5, privateLinkId: 7, interfaceEndpointId: 9 }
    }
  } else if (shape(...prefix('v1.0'))) {
    route = { api: 'v1.0', target: 'listing', params: { groupId: 5, privateLinkId: 7 } }
  } else if (shape(...prefix('v2'), 'endpointService', null, 'endpoint', null)) {
    route = {
      api: 'v2',
      target: 'endpoint',
      params: { groupId: 5, cloudProvider: 7, endpointServiceId: 9, endpointId: 11 }
    }
  } else if (shape(...prefix('v2'), 'endpointService', null)) {
    route = { api: 'v2', target: 'listing', params: { groupId: 5, cloudProvider: 7, endpointServiceId: 9 } }
  } else {
    return notFound
  }
  const values: Record<string, string> = {}
  for (const [name, index] of Object.entries(route.params)) {
    try {
      values[name] = decodeURIComponent(raw[index])
    } catch {
      return pathParamError(name, raw[index])
    }
  }
  return {
    api: route.api,
    target: route.target,
    group: values.groupId,
    cloud: route.api === 'v1.0' ? 'AWS' : values.cloudProvider,
    service: route.api === 'v1.0' ? values.privateLinkId : values.endpointServiceId,
    endpointId: values.interfaceEndpointId ?? values.endpointId
  }
}

function pathParamError(name: string, value: string): AtlasError {
  return atlasError(
    400,
    'PATH_PARAM_PARSE_ERROR',
    `Failed to parse path parameter ${name} with value ${value}.`,
    [name, value]
  )
}

/** The 404 for a service the project does not have (v1.0 says RESOURCE_NOT_FOUND, as for a wrong ID). */
function missingService(route: Route): AtlasError {
  if (route.api === 'v1.0') {
    const resource = `/groups/${route.group}/privateEndpoint/${route.service}`
    return atlasError(404, 'RESOURCE_NOT_FOUND', `Cannot find resource ${resource}.`, [route.service])
  }
  return atlasError(
    404,
    'PRIVATE_ENDPOINT_SERVICE_NOT_FOUND',
    `Private endpoint service ${route.service} for provider ${route.cloud} not found.`,
    [route.service, route.cloud]
  )
}

/**
 * The 404 for an endpoint the service does not have (or no longer has: a deleted endpoint looks
 * like one that never was). v1.0: RESOURCE_NOT_FOUND with the detail Atlas sends today. v2:
 * PRIVATELINK_INTERFACE_ENDPOINT_NOT_FOUND for a well-formed ID (which code Atlas sends is
 * unconfirmed), RESOURCE_NOT_FOUND for one that is not of the cloud's form (a double-encoded
 * Azure ID, say), as for a path that names no resource.
 */
function missingEndpoint(route: Route, cloud: CloudProvider): AtlasError {
  const id = route.endpointId ?? ''
  if (route.api === 'v1.0') {
    const resource = `/groups/${route.group}/privateEndpoint/${route.service}/interfaceEndpoints/${id}`
    return atlasError(404, 'RESOURCE_NOT_FOUND', `Cannot find resource ${resource}.`, [route.service, id])
  }
  const pattern = CLOUDS[isCloudProvider(route.cloud) ? route.cloud : cloud].idPattern
  if (pattern && !pattern.test(id)) {
    return atlasError(404, 'RESOURCE_NOT_FOUND', `Cannot find resource ${id}.`, [id])
  }
  return atlasError(
    404,
    'PRIVATELINK_INTERFACE_ENDPOINT_NOT_FOUND',
    `Private endpoint ${id} of endpoint service ${route.service} not found.`,
    [id, route.service]
  )
}

/** `a="x", b=y` → {a: 'x', b: 'y'}; quoted values may hold commas. */
export function parseDigestFields(text: string): Record<string, string | undefined> {
  const fields: Record<string, string> = {}
  const pattern = /([a-zA-Z]+)=("((?:[^"\\]|\\.)*)"|[^,\s]*)/g
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    fields[match[1].toLowerCase()] = match[3] !== undefined ? match[3].replace(/\\(.)/g, '$1') : match[2]
  }
  return fields
}

/** Atlas's codes for the errors the stand-in makes up; Atlas says UNEXPECTED_ERROR for most. */
function defaultCode(status: number): string {
  return status === 429 ? 'RATE_LIMITED' : 'UNEXPECTED_ERROR'
}
