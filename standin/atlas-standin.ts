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
 *
 * This file holds the server: it records each request, checks its credentials and dispatches
 * it. What a path names is read in atlas-routes.ts, bodies are built in atlas-bodies.ts, errors
 * in atlas-errors.ts, scripts are played by atlas-script.ts and Digest is checked by
 * digest-check.ts; the public types are in atlas-types.ts and are all re-exported from here.
 */
import http from 'node:http'
import https from 'node:https'
import type { AddressInfo, Socket } from 'node:net'
import type { CloudProvider } from './clouds.js'
import { atlasError, sendError } from './atlas-errors.js'
import {
  CLUSTER_VERSIONS,
  checkIds,
  missingEndpoint,
  missingService,
  negotiateVersion,
  parseProjectRoute,
  parseRoute
} from './atlas-routes.js'
import { ProjectResources, type ServiceView } from './atlas-clusters.js'
import { endpointBody, serviceBody, type ServedService } from './atlas-bodies.js'
import { playStep, ScriptPlayer, settle } from './atlas-script.js'
import { DigestCheck } from './digest-check.js'
import type {
  ApiVersion,
  BearerAuthority,
  ClusterStep,
  EndpointSpec,
  RequestRecord,
  StandinOptions,
  StatusStep,
  Step
} from './atlas-types.js'

export { CLOUDS, FORWARDING_RULE_STATUSES, SERVICE_STATUSES, type CloudProvider } from './clouds.js'
export { REALM, UNAUTHORIZED_BODY, parseDigestFields } from './digest-check.js'
export { CLUSTER_VERSIONS, V2_VERSION } from './atlas-routes.js'
export type {
  ApiVersion,
  BearerAuthority,
  ClusterSpec,
  ClusterStateStep,
  ClusterStep,
  OtherServiceSpec,
  PrivateEndpointEntrySpec,
  EndpointSpec,
  NoncePolicy,
  RequestRecord,
  StandinOptions,
  StatusStep,
  Step
} from './atlas-types.js'

interface Endpoint {
  spec: EndpointSpec
  player: ScriptPlayer
}

export class AtlasStandin {
  readonly requests: RequestRecord[] = []
  private server: http.Server | https.Server
  private readonly cloud: CloudProvider
  private readonly endpoints: Endpoint[]
  private readonly service: ScriptPlayer
  private readonly digest: DigestCheck
  private readonly project: ProjectResources
  private readonly sockets = new Set<Socket>()
  private address?: AddressInfo
  /** Requests received whose response has not ended yet. */
  private inFlight = 0
  /** Requests received that the server has not answered yet (see `maxOwed`). */
  private owed = 0
  private readonly payments = new WeakMap<http.ServerResponse, () => void>()
  /** Latency timers not yet fired. */
  private readonly timers = new Set<NodeJS.Timeout>()
  /** Answers given on each connection (for `closeAfter`). */
  private readonly answeredOn = new WeakMap<Socket, number>()
  /** Requests dropped unread behind a connection's last answer: no longer in flight. */
  private readonly dropped = new WeakSet<http.ServerResponse>()

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
    this.digest = new DigestCheck(options)
    this.project = new ProjectResources(
      options,
      () => this.serviceView(),
      specs.map(spec => spec.id)
    )
    const handler = (request: http.IncomingMessage, response: http.ServerResponse): void => {
      this.arrive(request, response)
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
    // A pipelined request's answer that never got its connection emits no 'close': its timer too.
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
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

  /** Replaces one cluster's script (by name, any case) from the next read on. */
  playCluster(name: string, script: ClusterStep[]): void {
    this.project.playCluster(name, script)
  }

  /** Requests whose credentials were correct (Digest or bearer). */
  get authorizedCount(): number {
    return this.requests.filter(r => r.authorized).length
  }

  /** The largest number of requests in flight at once, over the requests recorded (clear `requests` to start again). */
  get maxInFlight(): number {
    return this.requests.reduce((max, record) => Math.max(max, record.inFlight), 0)
  }

  /**
   * The largest number of requests received and not yet answered (the answer's end written),
   * over the requests recorded: the client's requests in flight, as the server sees them.
   */
  get maxOwed(): number {
    return this.requests.reduce((max, record) => Math.max(max, record.owed ?? 0), 0)
  }

  /**
   * Every request arrives here: it is counted in flight until its response ends, and handled
   * after `latencyMs` (so every answer, a challenge included, is that much later, as from a
   * server that far away).
   */
  private arrive(request: http.IncomingMessage, response: http.ServerResponse): void {
    this.inFlight += 1
    this.owed += 1
    const arrival = { at: Date.now(), inFlight: this.inFlight, owed: this.owed }
    // Owed until the server writes the answer's end (or drops the request): unlike inFlight,
    // not until the answer's 'close', which over TLS can come after the client has the answer.
    let paid = false
    const pay = (): void => {
      if (!paid) this.owed -= 1
      paid = true
    }
    const end = response.end.bind(response) as (...args: unknown[]) => http.ServerResponse
    response.end = ((...args: unknown[]) => {
      pay()
      return end(...args)
    }) as typeof response.end
    response.once('close', pay)
    this.payments.set(response, pay)
    response.once('close', () => {
      if (!this.dropped.has(response)) this.inFlight -= 1
    })
    const latencyMs = this.options.latencyMs ?? 0
    if (latencyMs <= 0) return this.handle(request, response, arrival)
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      this.handle(request, response, arrival)
    }, latencyMs)
    this.timers.add(timer)
    response.once('close', () => {
      clearTimeout(timer)
      this.timers.delete(timer)
    })
  }

  private handle(
    request: http.IncomingMessage,
    response: http.ServerResponse,
    arrival: { at: number; inFlight: number; owed: number }
  ): void {
    const closeAfter = this.options.closeAfter
    if (closeAfter !== undefined) {
      const answered = this.answeredOn.get(request.socket) ?? 0
      // A request behind the connection's last answer: the server never reads it.
      if (answered >= closeAfter && !this.options.readPipelinedBeforeClose) {
        this.dropped.add(response)
        this.inFlight -= 1
        this.payments.get(response)?.()
        return
      }
      this.answeredOn.set(request.socket, answered + 1)
      if (answered + 1 >= closeAfter) {
        if (this.options.closeSilently) response.once('finish', () => request.socket.end())
        else response.setHeader('Connection', 'close')
      }
    }
    const authorization = request.headers.authorization
    const url = request.url ?? ''
    const path = url.split('?')[0]
    const record: RequestRecord = {
      at: arrival.at,
      inFlight: arrival.inFlight,
      owed: arrival.owed,
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
    const projectRoute = parseProjectRoute(path)
    if (projectRoute !== undefined && !('error' in projectRoute)) {
      Object.assign(record, {
        target: projectRoute.target,
        api: 'v2',
        ...(projectRoute.cloud !== undefined ? { cloudProvider: projectRoute.cloud } : {}),
        ...(projectRoute.clusterName !== undefined ? { clusterName: projectRoute.clusterName } : {})
      })
    }
    const route = parseRoute(path)
    if (projectRoute === undefined && !('error' in route)) {
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
      this.digest.challenge(response, verdict.stale)
      finish(401)
      return
    }
    record.authorized = true

    if (projectRoute !== undefined) {
      if ('error' in projectRoute) {
        sendError(response, projectRoute)
        finish(projectRoute.error)
        return
      }
      // Clusters speak their own versions; the project and its services speak the endpoints'.
      const clusters = projectRoute.target === 'cluster' || projectRoute.target === 'clusters'
      const version = negotiateVersion(
        request.headers.accept,
        path,
        clusters
          ? { versions: CLUSTER_VERSIONS, retiredVersions: this.options.retiredVersions }
          : this.options
      )
      if (typeof version !== 'string') {
        sendError(response, version)
        finish(version.error)
        return
      }
      record.version = version
      const contentType = `application/vnd.atlas.${version}+json`
      this.project.handle(projectRoute, url, request, response, finish, contentType)
      return
    }

    if ('error' in route) {
      sendError(response, route)
      finish(route.error)
      return
    }

    let contentType = 'application/json'
    if (route.api === 'v2') {
      const version = negotiateVersion(request.headers.accept, path, this.options)
      if (typeof version !== 'string') {
        sendError(response, version)
        finish(version.error)
        return
      }
      record.version = version
      contentType = `application/vnd.atlas.${version}+json`
    }

    const problem = checkIds(
      route,
      this.options,
      this.cloud,
      this.endpoints.map(e => e.spec.id)
    )
    if (problem) {
      sendError(response, problem)
      finish(problem.error)
      return
    }

    if (route.target === 'listing') {
      const render = (step: StatusStep) => {
        const listed = this.endpoints.filter(e => !('gone' in settle(e.player.peek()))).map(e => e.spec.id)
        // Removing a service's last endpoint removes the service too (the reference says so).
        if (listed.length === 0 && this.endpoints.length > 0) return missingService(route)
        return { body: serviceBody(route.api, this.served, step, listed), contentType }
      }
      playStep(this.service.next(), request, response, finish, render, missingService(route))
      return
    }
    const endpoint = this.endpoints.find(e => e.spec.id === route.endpointId) as Endpoint
    const index = this.endpoints.indexOf(endpoint)
    playStep(
      endpoint.player.next(),
      request,
      response,
      finish,
      step => ({ body: endpointBody(route.api, this.served, endpoint.spec, index, step), contentType }),
      missingEndpoint(route, this.cloud)
    )
  }

  /** The endpoint service as the project's list of services shows it now (its script peeked, not played). */
  private serviceView(): ServiceView {
    const step = settle(this.service.peek())
    const listed = this.endpoints.filter(e => !('gone' in settle(e.player.peek()))).map(e => e.spec.id)
    // Removing a service's last endpoint removes the service too, as the listing's 404 says.
    const gone = 'gone' in step || (listed.length === 0 && this.endpoints.length > 0)
    return {
      cloud: this.cloud,
      id: this.options.privateLinkId,
      regionName: this.options.regionName,
      status: 'status' in step ? step.status : 'AVAILABLE',
      errorMessage: 'status' in step ? (step.errorMessage ?? null) : null,
      listed,
      gone
    }
  }

  /** The endpoint service, as the bodies describe it. */
  private get served(): ServedService {
    return { cloud: this.cloud, id: this.options.privateLinkId, regionName: this.options.regionName }
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
    const verdict = this.digest.check(request.method ?? 'GET', request.url ?? '', authorization)
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
        sendError(response, atlasError(404, 'RESOURCE_NOT_FOUND', `Cannot find resource ${path}.`, [path]))
      }
    })
  }
}

function authKind(header: string | undefined): RequestRecord['auth'] {
  if (header === undefined) return 'none'
  if (/^Digest\s/i.test(header)) return 'digest'
  if (/^Bearer\s/i.test(header)) return 'bearer'
  if (/^Basic\s/i.test(header)) return 'basic'
  return 'none'
}
