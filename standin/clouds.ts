/**
 * The stand-in's own table of Atlas clouds, written from the API documentation
 * (../shared/reference/atlas-v2-private-endpoints.md and the v1.0 "Get One Interface Endpoint"
 * page), never imported from src/: a table shared with the action would let one mistake pass
 * both. One entry per cloud; the server reads only this table for what differs between clouds.
 */

export type CloudProvider = 'AWS' | 'AZURE' | 'GCP'

/** What the stand-in knows about one endpoint when it builds a body. */
export interface EndpointFacts {
  id: string
  status: string
  deleteRequested: boolean
  errorMessage: string | null
  /** Azure: the private IP of the endpoint. */
  ipAddress: string
  /** Azure: the connection's name on the private link service. */
  connectionName: string
  /** GCP: the Google Cloud project that holds the forwarding rules. */
  gcpProjectId: string
  /** GCP: one forwarding rule for the group (port-mapped) or one per Atlas node (legacy). */
  portMappingEnabled: boolean
  /** GCP: the forwarding rules and their statuses. */
  forwardingRules: { name: string; status: string; ipAddress: string }[]
}

/** The parts of an endpoint service's body that every cloud shares. */
export interface ServiceFacts {
  id: string
  status: string
  errorMessage: string | null
  regionName: string
  endpointIds: string[]
}

export interface Cloud {
  /** Path segment in v2 URLs, upper case. */
  provider: CloudProvider
  /** Name of the endpoint's status field. */
  statusField: 'connectionStatus' | 'status'
  /** Every status the reference documents for an endpoint of this cloud. */
  statuses: readonly string[]
  /** What a well-formed endpoint ID looks like; undefined when the spec has no form (GCP). */
  idPattern?: RegExp
  /** Field of the endpoint service that lists its endpoint IDs. */
  listField: 'interfaceEndpoints' | 'privateEndpoints' | 'endpointGroupNames'
  /** An Atlas region name, for the service's `regionName`. */
  defaultRegion: string
  /** The v2 endpoint body, field for field as the reference lists them. */
  endpointBody(endpoint: EndpointFacts): Record<string, unknown>
  /** The cloud's own fields of the endpoint service (besides the shared ones and the list). */
  serviceFields(service: ServiceFacts): Record<string, unknown>
}

/** Statuses of the endpoint service itself (all clouds). */
export const SERVICE_STATUSES = ['INITIATING', 'AVAILABLE', 'WAITING_FOR_USER', 'FAILED', 'DELETING'] as const

/** Statuses of one GCP forwarding rule (`endpoints[].status`). */
export const FORWARDING_RULE_STATUSES = ['INITIATING', 'AVAILABLE', 'FAILED', 'DELETING'] as const

export const CLOUDS: Record<CloudProvider, Cloud> = {
  AWS: {
    provider: 'AWS',
    statusField: 'connectionStatus',
    // NONE is v1.0's (and Terraform's); the v2 spec lists the other five.
    statuses: ['NONE', 'PENDING_ACCEPTANCE', 'PENDING', 'AVAILABLE', 'REJECTED', 'DELETING'],
    idPattern: /^vpce-[0-9a-f]{17}$/,
    listField: 'interfaceEndpoints',
    defaultRegion: 'US_EAST_1',
    endpointBody: e => ({
      cloudProvider: 'AWS',
      connectionStatus: e.status,
      deleteRequested: e.deleteRequested,
      errorMessage: e.errorMessage,
      interfaceEndpointId: e.id
    }),
    serviceFields: s => ({
      endpointServiceName: `com.amazonaws.vpce.us-east-1.vpce-svc-${s.id.slice(0, 17)}`
    })
  },
  AZURE: {
    provider: 'AZURE',
    statusField: 'status',
    statuses: ['INITIATING', 'AVAILABLE', 'FAILED', 'DELETING'],
    // Resource names allow letters, digits and -_.() .
    idPattern:
      /^\/subscriptions\/[0-9a-fA-F-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/privateEndpoints\/[A-Za-z0-9_.()-]+$/,
    listField: 'privateEndpoints',
    defaultRegion: 'US_EAST_2',
    endpointBody: e => ({
      cloudProvider: 'AZURE',
      deleteRequested: e.deleteRequested,
      errorMessage: e.errorMessage,
      privateEndpointConnectionName: e.connectionName,
      privateEndpointIPAddress: e.ipAddress,
      privateEndpointResourceId: e.id,
      status: e.status
    }),
    serviceFields: s => ({
      privateLinkServiceName: `pls_${s.id}`,
      privateLinkServiceResourceId: `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg_${s.id}/providers/Microsoft.Network/privateLinkServices/pls_${s.id}`
    })
  },
  GCP: {
    provider: 'GCP',
    statusField: 'status',
    // VERIFIED is undocumented; Terraform treats it as still pending.
    statuses: ['INITIATING', 'VERIFIED', 'AVAILABLE', 'FAILED', 'DELETING', 'DELETED'],
    // The spec's ID pattern has no GCP form: group or forwarding-rule names are not checked.
    idPattern: undefined,
    listField: 'endpointGroupNames',
    defaultRegion: 'CENTRAL_US',
    endpointBody: e => ({
      cloudProvider: 'GCP',
      deleteRequested: e.deleteRequested,
      endpointGroupName: e.id,
      endpoints: e.forwardingRules.map(rule => ({
        endpointName: rule.name,
        ipAddress: rule.ipAddress,
        status: rule.status
      })),
      errorMessage: e.errorMessage,
      gcpProjectId: e.gcpProjectId,
      portMappingEnabled: e.portMappingEnabled,
      status: e.status
    }),
    serviceFields: s => ({
      serviceAttachmentNames: [
        `projects/p-${s.id.slice(0, 12)}/regions/us-central1/serviceAttachments/sa-${s.id}`
      ]
    })
  }
}

export function isCloudProvider(text: string): text is CloudProvider {
  return Object.hasOwn(CLOUDS, text)
}

/**
 * A forwarding rule's status when a step gives only the group's: the rule statuses are a
 * subset of the group's (no VERIFIED, no DELETED), so those two map to their nearest.
 */
export function forwardingRuleStatus(groupStatus: string): string {
  if (groupStatus === 'VERIFIED') return 'INITIATING'
  if (groupStatus === 'DELETED') return 'DELETING'
  return groupStatus
}
