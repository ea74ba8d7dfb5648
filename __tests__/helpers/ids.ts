/** Well-formed IDs and a key pair shared by the tests; none of them is real. */
export const IDS = {
  publicKey: 'abcdefgh',
  privateKey: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
  projectId: '5f1a2b3c4d5e6f7a8b9c0d1e',
  privateLinkId: '6a1b2c3d4e5f6a7b8c9d0e1f',
  interfaceEndpointId: 'vpce-0123456789abcdef0'
} as const

/** The same, as action inputs. */
export const REQUIRED_INPUTS = {
  'public-key': IDS.publicKey,
  'private-key': IDS.privateKey,
  'project-id': IDS.projectId,
  'private-link-id': IDS.privateLinkId,
  'interface-endpoint-id': IDS.interfaceEndpointId
} as const

/** Endpoint IDs of the other clouds, for v2 tests: an Azure resource ID (unencoded) and a GCP endpoint group. */
export const CLOUD_IDS = {
  azureEndpointId:
    '/subscriptions/7c9e6679-7425-40de-944b-e07fc1f90ae7/resourceGroups/rg-app/providers/Microsoft.Network/privateEndpoints/pe-atlas-1',
  gcpEndpointGroupName: 'atlas-psc-group-1'
} as const
