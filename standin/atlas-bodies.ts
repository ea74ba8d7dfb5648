/**
 * The bodies of a 200: one endpoint or the endpoint service, in the v1.0 AWS shape or in the v2
 * shape of the service's cloud (standin/clouds.ts holds what differs between clouds).
 */
import { CLOUDS, forwardingRuleStatus, type CloudProvider, type EndpointFacts } from './clouds.js'
import type { ApiVersion, EndpointSpec, StatusStep } from './atlas-types.js'

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
