/**
 * The bodies of a 200: one endpoint or the endpoint service, in the v1.0 AWS shape or in the v2
 * shape of the service's cloud (standin/clouds.ts holds what differs between clouds).
 */
import { CLOUDS, forwardingRuleStatus, type CloudProvider, type EndpointFacts } from './clouds.js'
import type {
  ApiVersion,
  ClusterSpec,
  ClusterStateStep,
  EndpointSpec,
  PrivateEndpointEntrySpec,
  StatusStep
} from './atlas-types.js'

/** The endpoint service the bodies describe. */
export interface ServedService {
  cloud: CloudProvider
  /** The endpoint service's ID (v1.0 privateLinkId, v2 endpointServiceId). */
  id: string
  /** The service's `regionName` (undefined: the cloud's table entry). */
  regionName?: string
}

/** One endpoint, the `index`-th of the service, as the step says it is now. */
export function endpointBody(
  api: ApiVersion,
  service: ServedService,
  spec: EndpointSpec,
  index: number,
  step: StatusStep
): unknown {
  const deleteRequested = step.deleteRequested ?? false
  const errorMessage = step.errorMessage ?? null
  if (api === 'v1.0') {
    return { connectionStatus: step.status, deleteRequested, errorMessage, interfaceEndpointId: spec.id }
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
    connectionName: spec.connectionName ?? `${spec.id.split('/').at(-1)}.${service.id}`,
    gcpProjectId: spec.gcpProjectId ?? 'customer-project-1',
    portMappingEnabled,
    forwardingRules: rules.map((rule, i) => ({ ...rule, ipAddress: `10.128.${index}.${10 + i}` }))
  }
  return CLOUDS[service.cloud].endpointBody(facts)
}

/** The endpoint service as the step says it is now, listing the endpoints `listed`. */
export function serviceBody(
  api: ApiVersion,
  service: ServedService,
  step: StatusStep,
  listed: string[]
): unknown {
  const id = service.id
  const errorMessage = step.errorMessage ?? null
  if (api === 'v1.0') {
    const { endpointServiceName } = CLOUDS.AWS.serviceFields({
      id,
      status: step.status,
      errorMessage,
      regionName: '',
      endpointIds: listed
    })
    return { endpointServiceName, errorMessage, id, interfaceEndpoints: listed, status: step.status }
  }
  const cloud = CLOUDS[service.cloud]
  const facts = {
    id,
    status: step.status,
    errorMessage,
    regionName: service.regionName ?? cloud.defaultRegion,
    endpointIds: listed
  }
  return {
    cloudProvider: cloud.provider,
    errorMessage,
    id,
    regionName: facts.regionName,
    status: step.status,
    [cloud.listField]: listed,
    ...cloud.serviceFields(facts)
  }
}

/** The project's cluster as a body needs it. */
export interface ServedCluster {
  spec: ClusterSpec
  /** Its place in the project (for made-up IDs and host names). */
  index: number
  groupId: string
  /** The stand-in's cloud and its endpoints (a cluster that serves them lists them all by default). */
  cloud: CloudProvider
}

/** The host-name part Atlas gives a project's clusters (`cluster0.ab1cd.mongodb.net`). */
const HOST_SUFFIX = 'ab1cd.mongodb.net'

/**
 * One cluster (the 2024-08-05 shape; the stand-in answers the older versions with it too), as
 * the step says it is now. `connectionStrings.privateEndpoint` is there only once there are
 * entries, as Atlas leaves it out until a private endpoint serves every region of the cluster.
 */
export function clusterBody(cluster: ServedCluster, step: ClusterStateStep): Record<string, unknown> {
  const { spec, index, groupId, cloud } = cluster
  const host = spec.name.toLowerCase()
  const sharded = spec.clusterType === 'SHARDED' || spec.clusterType === 'GEOSHARDED'
  const free = spec.kind === 'free'
  const entries = (step.privateEndpoints ?? []).map((entry, i) =>
    privateEndpointEntry(cluster, entry, i, sharded)
  )
  return {
    clusterType: spec.clusterType ?? 'REPLICASET',
    connectionStrings: {
      standard: `mongodb://${host}-shard-00-00.${HOST_SUFFIX}:27017,${host}-shard-00-01.${HOST_SUFFIX}:27017/?ssl=true&authSource=admin`,
      standardSrv: `mongodb+srv://${host}.${HOST_SUFFIX}`,
      ...(entries.length > 0 ? { privateEndpoint: entries } : {})
    },
    groupId,
    id: `65c0ffee00000000000000${index.toString(16).padStart(2, '0')}`.slice(0, 24),
    mongoDBMajorVersion: '8.0',
    mongoDBVersion: '8.0.4',
    name: spec.name,
    paused: step.paused ?? false,
    replicationSpecs: [
      {
        id: `65c0ffee00000000000001${index.toString(16).padStart(2, '0')}`.slice(0, 24),
        regionConfigs: [
          free
            ? {
                backingProviderName: cloud,
                electableSpecs: { instanceSize: 'M0' },
                providerName: 'TENANT',
                regionName: CLOUDS[cloud].defaultRegion
              }
            : {
                electableSpecs: { instanceSize: 'M10', nodeCount: 3 },
                priority: 7,
                providerName: cloud,
                regionName: CLOUDS[cloud].defaultRegion
              }
        ],
        zoneName: 'Zone 1'
      }
    ],
    stateName: step.stateName
  }
}

function privateEndpointEntry(
  cluster: ServedCluster,
  entry: PrivateEndpointEntrySpec,
  i: number,
  sharded: boolean
): Record<string, unknown> {
  const { spec, cloud } = cluster
  const host = spec.name.toLowerCase()
  const endpoints = entry.endpoints.map(endpoint =>
    typeof endpoint === 'string'
      ? { endpointId: endpoint, providerName: cloud, region: CLOUDS[cloud].defaultRegion }
      : { providerName: cloud, region: CLOUDS[cloud].defaultRegion, ...endpoint }
  )
  const region = String(endpoints[0]?.region ?? CLOUDS[cloud].defaultRegion)
    .toLowerCase()
    .replace(/_/g, '-')
  const nodes = [1024, 1025, 1026].map(port => `pl-${i}-${region}.${HOST_SUFFIX}:${port}`).join(',')
  const made = {
    connectionString: sharded
      ? `mongodb://${nodes}/?ssl=true&authSource=admin`
      : `mongodb://${nodes}/?ssl=true&authSource=admin&replicaSet=atlas-${host.slice(0, 6)}-shard-0`,
    srvConnectionString: `mongodb+srv://${host}-pl-${i}.${HOST_SUFFIX}`,
    srvShardOptimizedConnectionString: sharded ? `mongodb+srv://${host}-pl-${i}-lb.${HOST_SUFFIX}` : null
  }
  const strings = Object.fromEntries(
    (['connectionString', 'srvConnectionString', 'srvShardOptimizedConnectionString'] as const).flatMap(
      field => {
        const value = entry[field] === undefined ? made[field] : entry[field]
        return value === null ? [] : [[field, value]]
      }
    )
  )
  return { ...strings, endpoints, type: entry.type ?? (sharded ? 'MONGOS' : 'MONGOD') }
}

/** `GET /api/atlas/v2/groups/{groupId}`. */
export function projectBody(id: string, name: string, orgId: string): Record<string, unknown> {
  return { clusterCount: 0, created: '2024-01-15T09:30:00Z', id, links: [], name, orgId }
}
