/**
 * What a request names, read as Atlas reads it: the route from the raw path (v1.0 or v2, the
 * cloud, the IDs), the v2 version from the Accept header, and Atlas's answers when one of them
 * is malformed or unknown (400 PATH_PARAM_PARSE_ERROR, the 404s, 406 and 410).
 */
import { CLOUDS, isCloudProvider, type CloudProvider } from './clouds.js'
import { atlasError, type AtlasError } from './atlas-errors.js'
import type { ApiVersion, StandinOptions } from './atlas-types.js'

/** The one version of the v2 read and of the endpoint service read. */
export const V2_VERSION = '2023-01-01'
/** The versions of the cluster resource (one cluster and the listing); 2024-08-05 is the current one. */
export const CLUSTER_VERSIONS = ['2023-01-01', '2023-02-01', '2024-08-05']

/** A request path Atlas would route: which API, which resource, and its parameters, decoded once. */
export interface Route {
  api: ApiVersion
  target: 'endpoint' | 'listing'
  group: string
  /** v2: the path's cloud segment; v1.0: always AWS. */
  cloud: string
  service: string
  endpointId?: string
}

const OBJECT_ID = /^[0-9a-fA-F]{24}$/

/**
 * Routes a RAW path (split on `/` before any decoding, as Atlas does), then decodes each
 * parameter once. An Azure resource ID sent unencoded adds segments and so matches no route.
 */
export function parseRoute(path: string): Route | AtlasError {
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

/**
 * The version date from `Accept: application/vnd.atlas.YYYY-MM-DD+json`. No version (or
 * `application/json`) and an unknown date both get 406 INVALID_VERSION_DATE (we chose 406
 * over 400 for the missing version: one answer for "no version I serve"); a retired one 410.
 */
export function negotiateVersion(
  accept: string | undefined,
  path: string,
  options: Pick<StandinOptions, 'versions' | 'retiredVersions'>
): string | AtlasError {
  const asked = /application\/vnd\.atlas\.(\d{4}-\d{2}-\d{2})\+json/.exec(accept ?? '')?.[1]
  const resource = path.slice(1)
  if (asked !== undefined && (options.retiredVersions ?? []).includes(asked)) {
    return atlasError(410, 'VERSION_GONE', `Version ${asked} of ${resource} is no longer available.`, [
      asked,
      resource
    ])
  }
  if (asked === undefined || !(options.versions ?? [V2_VERSION]).includes(asked)) {
    return atlasError(406, 'INVALID_VERSION_DATE', 'Invalid accept header or version date.', [])
  }
  return asked
}

/** A v2 path about the project rather than its endpoint service: the project, its clusters, its services of a cloud. */
export interface ProjectRoute {
  target: 'project' | 'clusters' | 'cluster' | 'services'
  group: string
  clusterName?: string
  /** `services`: the path's cloud segment. */
  cloud?: string
}

/** Routes the v2 project paths (raw, split before decoding); undefined for any other path. */
export function parseProjectRoute(path: string): ProjectRoute | AtlasError | undefined {
  const raw = path.split('/')
  if (raw.length < 6 || raw.slice(0, 5).join('/') !== '/api/atlas/v2/groups' || raw[5] === '')
    return undefined
  const rest = raw.slice(6)
  let route: Omit<ProjectRoute, 'group'> & { rawName?: string }
  if (rest.length === 0) route = { target: 'project' }
  else if (rest.length === 1 && rest[0] === 'clusters') route = { target: 'clusters' }
  else if (rest.length === 2 && rest[0] === 'clusters' && rest[1] !== '')
    route = { target: 'cluster', rawName: rest[1] }
  else if (
    rest.length === 3 &&
    rest[0] === 'privateEndpoint' &&
    rest[1] !== '' &&
    rest[2] === 'endpointService'
  ) {
    route = { target: 'services', cloud: rest[1] }
  } else return undefined
  const decoded: Record<string, string> = {}
  for (const [name, value] of [
    ['groupId', raw[5]],
    ['clusterName', route.rawName]
  ] as const) {
    if (value === undefined) continue
    try {
      decoded[name] = decodeURIComponent(value)
    } catch {
      return pathParamError(name, value)
    }
  }
  return {
    target: route.target,
    group: decoded.groupId,
    ...(decoded.clusterName !== undefined ? { clusterName: decoded.clusterName } : {}),
    ...(route.cloud !== undefined ? { cloud: route.cloud } : {})
  }
}

/** Atlas's answer to a malformed or unknown project ID. */
export function checkGroup(
  group: string,
  options: Pick<StandinOptions, 'projectId' | 'invalidProjectIds'>
): AtlasError | undefined {
  if (!OBJECT_ID.test(group)) return pathParamError('groupId', group)
  if ((options.invalidProjectIds ?? []).includes(group)) {
    return atlasError(404, 'INVALID_GROUP_ID', `The specified group ID ${group} is invalid.`, [group])
  }
  if (group !== options.projectId) {
    return atlasError(404, 'GROUP_NOT_FOUND', `No group with ID ${group} exists.`, [group])
  }
  return undefined
}

/** Atlas's answer to malformed or unknown IDs in a routed path, in the order Atlas checks them. */
export function checkIds(
  route: Route,
  options: Pick<StandinOptions, 'projectId' | 'privateLinkId' | 'invalidProjectIds'>,
  cloudServed: CloudProvider,
  endpointIds: string[]
): AtlasError | undefined {
  const { group, cloud, service, endpointId } = route
  if (!OBJECT_ID.test(group)) return pathParamError('groupId', group)
  if (route.api === 'v2' && !isCloudProvider(cloud)) return pathParamError('cloudProvider', cloud)
  if (route.api === 'v2' && !OBJECT_ID.test(service)) return pathParamError('endpointServiceId', service)
  if ((options.invalidProjectIds ?? []).includes(group)) {
    return atlasError(404, 'INVALID_GROUP_ID', `The specified group ID ${group} is invalid.`, [group])
  }
  if (group !== options.projectId) {
    return atlasError(404, 'GROUP_NOT_FOUND', `No group with ID ${group} exists.`, [group])
  }
  const serviceKnown = service === options.privateLinkId && cloud === cloudServed
  const endpointKnown = endpointId === undefined || endpointIds.includes(endpointId)
  if (route.api === 'v1.0' && (!serviceKnown || !endpointKnown)) {
    return endpointId === undefined ? missingService(route) : missingEndpoint(route, cloudServed)
  }
  if (!serviceKnown) return missingService(route)
  if (!endpointKnown) return missingEndpoint(route, cloudServed)
  return undefined
}

export function pathParamError(name: string, value: string): AtlasError {
  return atlasError(
    400,
    'PATH_PARAM_PARSE_ERROR',
    `Failed to parse path parameter ${name} with value ${value}.`,
    [name, value]
  )
}

/** The 404 for a service the project does not have (v1.0 says RESOURCE_NOT_FOUND, as for a wrong ID). */
export function missingService(route: Route): AtlasError {
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
export function missingEndpoint(route: Route, cloud: CloudProvider): AtlasError {
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
