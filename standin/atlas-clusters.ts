/**
 * The stand-in's project-level resources (issues 15 and 16), from its own table: the project
 * itself, its clusters (one by name, with a script of states per cluster, and the paged
 * listing), and its endpoint services of a cloud (a bare JSON array). Written from the API
 * reference (../shared/reference/atlas-v2-private-endpoints.md), never imported from src/.
 *
 * Unconfirmed, and chosen here: a cluster name is looked up without regard to case (the body
 * carries the name as the table spells it), and the listing leaves out Flex clusters and
 * serverless instances (the cluster API does not serve them).
 */
import type http from 'node:http'
import { atlasError, sendError, type AtlasError } from './atlas-errors.js'
import { clusterBody, projectBody, serviceBody, type ServedCluster } from './atlas-bodies.js'
import { isCloudProvider, type CloudProvider } from './clouds.js'
import { playStep, ScriptPlayer } from './atlas-script.js'
import { checkGroup, pathParamError, type ProjectRoute } from './atlas-routes.js'
import type { ClusterStateStep, ClusterStep, StandinOptions, Step } from './atlas-types.js'

/** What the project's own endpoint service looks like now, as the stand-in's server knows it. */
export interface ServiceView {
  cloud: CloudProvider
  id: string
  regionName?: string
  status: string
  errorMessage: string | null
  /** The endpoint IDs it lists now. */
  listed: string[]
  /** Gone: its script says so, or its last endpoint is gone. */
  gone: boolean
}

interface Cluster {
  served: ServedCluster
  player: ScriptPlayer<ClusterStep>
}

const PAGE_SIZE_MAX = 500

export class ProjectResources {
  private readonly clusters: Cluster[]
  private readonly project: ScriptPlayer<Step>
  private readonly listing: ScriptPlayer<Step>
  private readonly services: ScriptPlayer<Step>

  constructor(
    private readonly options: StandinOptions,
    private readonly service: () => ServiceView,
    endpointIds: string[]
  ) {
    const cloud = options.cloudProvider ?? 'AWS'
    const serving: ClusterStep[] = [{ stateName: 'IDLE', privateEndpoints: [{ endpoints: endpointIds }] }]
    this.clusters = (options.clusters ?? []).map((spec, index) => ({
      served: { spec, index, groupId: options.projectId, cloud },
      player: new ScriptPlayer(spec.script ?? serving)
    }))
    this.project = new ScriptPlayer(options.projectScript ?? [{ status: 'OK' }])
    this.listing = new ScriptPlayer(options.clusterListScript ?? [{ status: 'OK' }])
    this.services = new ScriptPlayer(options.servicesScript ?? [{ status: 'OK' }])
  }

  /** Replaces one cluster's script from the next read on. */
  playCluster(name: string, script: ClusterStep[]): void {
    const cluster = this.find(name)
    if (!cluster) throw new Error(`The stand-in has no cluster ${name}`)
    cluster.player.replace(script)
  }

  /**
   * Answers a routed project path whose credentials and version were accepted. `contentType`
   * is the negotiated one.
   */
  handle(
    route: ProjectRoute,
    url: string,
    request: http.IncomingMessage,
    response: http.ServerResponse,
    finish: (status: number) => void,
    contentType: string
  ): void {
    const reply = (error: AtlasError): void => {
      sendError(response, error)
      finish(error.error)
    }
    const problem = checkGroup(route.group, this.options)
    if (problem) return reply(problem)
    switch (route.target) {
      case 'project': {
        const body = projectBody(
          this.options.projectId,
          this.options.projectName ?? 'Project 0',
          this.options.orgId ?? '64b7f0c2a1d3e5f708192a00'
        )
        return this.play(this.project.next(), request, response, finish, body, contentType)
      }
      case 'services': {
        const cloud = route.cloud ?? ''
        if (!isCloudProvider(cloud)) return reply(pathParamError('cloudProvider', cloud))
        return this.play(
          this.services.next(),
          request,
          response,
          finish,
          this.serviceList(cloud),
          contentType
        )
      }
      case 'clusters': {
        const page = this.page(url)
        if ('error' in page) return reply(page)
        return this.play(this.listing.next(), request, response, finish, this.clusterList(page), contentType)
      }
      case 'cluster':
        return this.readCluster(route, request, response, finish, contentType)
    }
  }

  private readCluster(
    route: ProjectRoute,
    request: http.IncomingMessage,
    response: http.ServerResponse,
    finish: (status: number) => void,
    contentType: string
  ): void {
    const name = route.clusterName ?? ''
    const notFound = atlasError(
      404,
      'CLUSTER_NOT_FOUND',
      `No cluster named ${name} exists in group ${route.group}.`,
      [name, route.group]
    )
    const cluster = this.find(name)
    if (!cluster) {
      sendError(response, notFound)
      finish(404)
      return
    }
    const { spec } = cluster.served
    if (spec.kind === 'flex' || spec.kind === 'serverless') {
      const error =
        spec.kind === 'flex'
          ? atlasError(
              400,
              'CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API',
              `Flex cluster ${spec.name} cannot be used in the Cluster API.`,
              [spec.name]
            )
          : atlasError(
              400,
              'CANNOT_USE_SERVERLESS_INSTANCE_IN_CLUSTER_API',
              `Serverless instance ${spec.name} cannot be used in the Cluster API.`,
              [spec.name]
            )
      sendError(response, error)
      finish(400)
      return
    }
    const step = toStep(cluster.player.next(), state => ({
      status: 200,
      headers: { 'Content-Type': contentType, ...state.headers },
      body: JSON.stringify(clusterBody(cluster.served, state))
    }))
    playStep(step, request, response, finish, () => notFound, notFound)
  }

  private find(name: string): Cluster | undefined {
    return this.clusters.find(c => c.served.spec.name.toLowerCase() === name.toLowerCase())
  }

  /** `itemsPerPage` (1–500, default 100) and `pageNum` (from 1, default 1). */
  private page(url: string): { itemsPerPage: number; pageNum: number } | AtlasError {
    const query = new URLSearchParams(url.split('?')[1] ?? '')
    const read = (name: string, fallback: number, max: number): number | AtlasError => {
      const value = query.get(name)
      if (value === null) return fallback
      const number = /^\d{1,6}$/.test(value) ? Number(value) : NaN
      if (!(number >= 1 && number <= max)) {
        return atlasError(
          400,
          'INVALID_QUERY_PARAMETER',
          `Invalid query parameter ${name} with value ${value}.`,
          [name, value]
        )
      }
      return number
    }
    const itemsPerPage = read('itemsPerPage', 100, PAGE_SIZE_MAX)
    if (typeof itemsPerPage !== 'number') return itemsPerPage
    const pageNum = read('pageNum', 1, 1_000_000)
    if (typeof pageNum !== 'number') return pageNum
    return { itemsPerPage, pageNum }
  }

  /** `{results, totalCount, links}`: the clusters the cluster API serves, then the extra names. */
  private clusterList({ itemsPerPage, pageNum }: { itemsPerPage: number; pageNum: number }): unknown {
    const served = this.clusters
      .filter(c => c.served.spec.kind !== 'flex' && c.served.spec.kind !== 'serverless')
      .map(c => {
        const step = settleCluster(c.player.peek())
        const state: ClusterStateStep = 'stateName' in step ? step : { stateName: 'IDLE' }
        return clusterBody(c.served, state)
      })
    const extra = (this.options.listedClusterNames ?? []).map((name, i) =>
      clusterBody(
        {
          spec: { name },
          index: this.clusters.length + i,
          groupId: this.options.projectId,
          cloud: this.options.cloudProvider ?? 'AWS'
        },
        { stateName: 'IDLE' }
      )
    )
    const all = [...served, ...extra]
    const start = (pageNum - 1) * itemsPerPage
    return { links: [], results: all.slice(start, start + itemsPerPage), totalCount: all.length }
  }

  /** A bare array: the project's own service (unless it is gone) and the other services of this cloud. */
  private serviceList(cloud: CloudProvider): unknown[] {
    const own = this.service()
    const list: unknown[] = []
    if (own.cloud === cloud && !own.gone) {
      list.push(
        serviceBody(
          'v2',
          { cloud, id: own.id, regionName: own.regionName },
          { status: own.status, errorMessage: own.errorMessage },
          own.listed
        )
      )
    }
    for (const other of this.options.otherServices ?? []) {
      if ((other.cloudProvider ?? own.cloud) !== cloud) continue
      list.push(
        serviceBody(
          'v2',
          { cloud, id: other.id },
          { status: other.status, errorMessage: other.errorMessage ?? null },
          []
        )
      )
    }
    return list
  }

  /** Plays a project-level step: a status step (any status) answers with `body`, the others as scripted. */
  private play(
    step: Step,
    request: http.IncomingMessage,
    response: http.ServerResponse,
    finish: (status: number) => void,
    body: unknown,
    contentType: string
  ): void {
    const missing = atlasError(404, 'RESOURCE_NOT_FOUND', 'Cannot find resource.', [])
    playStep(step, request, response, finish, () => ({ body, contentType }), missing)
  }
}

/** A cluster step as an endpoint-script step: a state becomes the raw 200 that carries its body. */
function toStep(
  step: ClusterStep,
  render: (state: ClusterStateStep) => { status: number; headers: Record<string, string>; body: string }
): Step {
  if ('stateName' in step) return { raw: render(step) }
  if ('delayMs' in step) return { delayMs: step.delayMs, then: toStep(step.then, render) }
  return step
}

/** A delayed step is the step it delays to. */
function settleCluster(step: ClusterStep): ClusterStep {
  return 'delayMs' in step ? settleCluster(step.then) : step
}
