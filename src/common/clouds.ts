/**
 * What differs between the clouds, as data: one entry per cloud provider, read by the inputs,
 * the Atlas client, the wait and the summary. A fourth cloud is one more entry; the rest of the
 * code never asks which cloud it is talking to.
 */

export const CLOUD_PROVIDERS = ['AWS', 'AZURE', 'GCP'] as const
export type CloudProvider = (typeof CLOUD_PROVIDERS)[number]

/** Deletion as a goal: not a status Atlas reports for AWS or Azure, but a 404 about the endpoint. */
export const DELETED = 'DELETED'

export interface Cloud {
  provider: CloudProvider
  /** How a person names the thing being checked: "AWS interface endpoint". */
  noun: string
  /** The body field holding the status. */
  statusField: 'connectionStatus' | 'status'
  /** Every status the API documents for this cloud, in the order an endpoint moves through them. */
  statuses: readonly string[]
  /** The body field holding the endpoint's ID. */
  idField: 'interfaceEndpointId' | 'privateEndpointResourceId' | 'endpointGroupName'
  /** The endpoint service's field listing its endpoints' IDs. */
  listField: 'interfaceEndpoints' | 'privateEndpoints' | 'endpointGroupNames'
  /** An example ID and where to find it, for input errors and hints. */
  idExample: string
  idHelp: string
  /**
   * A description of the ID format, or undefined when the ID is valid; `id` is already decoded.
   * The same check applies to an ID typed into `endpoint-id` and to an ID an endpoint service lists.
   */
  checkId: (id: string) => string | undefined
  /**
   * The form the API accepts of an ID that is valid but for its letter case (AWS hex digits, an
   * Azure subscription GUID or the fixed words of a resource ID), for a "did you mean" hint;
   * undefined when no change of case makes it valid.
   */
  caseFix: (id: string) => string | undefined
  /** Whether an ID in an answer names the endpoint asked for (Azure resource IDs ignore case). */
  sameId: (asked: string, answered: string) => boolean
  /** GCP: the body field listing the endpoint group's forwarding rules. */
  rulesField?: 'endpoints'
  /** What a failing status means and what to do about it. */
  failureAdvice: Record<string, string>
}

/** The API's pattern (`^vpce-[0-9a-f]{17}$`): lower-case hexadecimal only. */
const AWS_ENDPOINT_ID = /^vpce-[0-9a-f]{17}$/

/**
 * The API's pattern for an Azure private endpoint (the endpoint service's `privateEndpoints[]`
 * items; the path parameter is the same, percent-encoded): a lower-case subscription GUID,
 * `resourceGroups` (or `resourcegroups`, as Atlas writes it), and names of letters, digits and
 * `-_.()`, bounded by Azure's own limits (90 and 80 characters, not ending with "."; so neither
 * is ever "." or "..", whatever a proxy does with an encoded slash).
 */
const AZURE_RESOURCE_ID =
  /^\/subscriptions\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/resource[gG]roups\/[-\w.()]{0,89}[-\w()]\/providers\/Microsoft\.Network\/privateEndpoints\/[-\w.()]{0,79}[-\w()]$/

/** The same, ignoring case: the parts a "did you mean" may correct. */
const AZURE_ANY_CASE =
  /^\/subscriptions\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/resourcegroups\/([-\w.()]{0,89}[-\w()])\/providers\/Microsoft\.Network\/privateEndpoints\/([-\w.()]{0,79}[-\w()])$/i

/** A plain name, as the code has always accepted for GCP (the API gives no pattern). */
const GCP_NAME = /^[A-Za-z0-9][-\w.]{0,127}$/

export const CLOUDS: Record<CloudProvider, Cloud> = {
  AWS: {
    provider: 'AWS',
    noun: 'AWS interface endpoint',
    statusField: 'connectionStatus',
    // NONE is v1.0's (and Terraform's) status of a freshly created endpoint.
    statuses: ['NONE', 'PENDING_ACCEPTANCE', 'PENDING', 'AVAILABLE', 'REJECTED', 'DELETING'],
    idField: 'interfaceEndpointId',
    listField: 'interfaceEndpoints',
    idExample: 'vpce-0123456789abcdef0',
    idHelp:
      'the VPC endpoint ID AWS gave the interface endpoint ("vpce-" then 17 lower-case hexadecimal digits; AWS console → VPC → Endpoints)',
    checkId: id => (AWS_ENDPOINT_ID.test(id) ? undefined : '"vpce-" then 17 lower-case hexadecimal digits'),
    caseFix: id => {
      const fixed = id.toLowerCase()
      return fixed !== id && AWS_ENDPOINT_ID.test(fixed) ? fixed : undefined
    },
    sameId: (asked, answered) => asked === answered,
    failureAdvice: {
      REJECTED:
        'AWS could not connect the interface endpoint to the Atlas endpoint service. Check that the interface endpoint was created for the endpoint service name Atlas shows, in the same AWS region and account; then delete and recreate it.'
    }
  },
  AZURE: {
    provider: 'AZURE',
    noun: 'Azure private endpoint',
    statusField: 'status',
    statuses: ['INITIATING', 'AVAILABLE', 'FAILED', 'DELETING'],
    idField: 'privateEndpointResourceId',
    listField: 'privateEndpoints',
    idExample:
      '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/my-rg/providers/Microsoft.Network/privateEndpoints/my-endpoint',
    idHelp:
      "the private endpoint's Azure resource ID (Azure portal → the private endpoint → Properties → Resource ID)",
    checkId: id =>
      AZURE_RESOURCE_ID.test(id)
        ? undefined
        : 'the Azure resource ID "/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Network/privateEndpoints/{name}", with the subscription in lower case and names of letters, digits and "-_.()"',
    caseFix: id => {
      const match = AZURE_ANY_CASE.exec(id)
      if (!match) return undefined
      const [, subscription, group, name] = match
      const fixed = `/subscriptions/${subscription.toLowerCase()}/resourceGroups/${group}/providers/Microsoft.Network/privateEndpoints/${name}`
      return fixed !== id && AZURE_RESOURCE_ID.test(fixed) ? fixed : undefined
    },
    // Azure resource IDs are case-insensitive, and Atlas writes `resourcegroups` where Azure
    // writes `resourceGroups`; an answer may also carry the ID percent-encoded, as in the path.
    sameId: (asked, answered) => decodeOnce(answered).toLowerCase() === asked.toLowerCase(),
    failureAdvice: {
      FAILED:
        'Atlas could not accept the Azure private endpoint. Check that the private endpoint was created for the private link service Atlas shows, in the same Azure region and subscription; then delete and recreate it.'
    }
  },
  GCP: {
    provider: 'GCP',
    noun: 'Google Cloud endpoint group',
    statusField: 'status',
    statuses: ['INITIATING', 'VERIFIED', 'AVAILABLE', 'FAILED', 'DELETING', 'DELETED'],
    idField: 'endpointGroupName',
    listField: 'endpointGroupNames',
    idExample: 'atlas-psc-group-1',
    idHelp:
      'the endpoint group name you gave Atlas (or, for port-mapped endpoints, the forwarding rule name; Google Cloud console → Network services → Private Service Connect)',
    // The API's own pattern has no GCP form: accept any plain name.
    checkId: id =>
      GCP_NAME.test(id)
        ? undefined
        : 'a Google Cloud resource name: a letter or digit, then letters, digits, "-", "_" and ".", up to 128 characters',
    caseFix: () => undefined,
    sameId: (asked, answered) => asked === answered,
    rulesField: 'endpoints',
    failureAdvice: {
      FAILED:
        'Atlas could not accept the Google Cloud endpoint. Check that every forwarding rule points at the service attachment Atlas shows, in the same Google Cloud region and project; then delete and recreate the failed ones.'
    }
  }
}

/** Every status name any cloud uses, plus DELETED: the names `wait-for` and `fail-on` accept. */
export const ALL_STATUSES: readonly string[] = [
  ...new Set([...CLOUD_PROVIDERS.flatMap(provider => CLOUDS[provider].statuses), DELETED])
]

/** Decodes a percent-encoded Azure resource ID once; anything else (or a malformed escape) is left alone. */
export function decodeOnce(id: string): string {
  if (!/%2f/i.test(id)) return id
  try {
    return decodeURIComponent(id)
  } catch {
    return id
  }
}
