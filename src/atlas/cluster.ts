/**
 * One Atlas cluster as this action needs it (issue 16): its state, whether it is paused, and
 * the private-endpoint connection strings it serves; and the judgement of whether it is ready
 * for a deploy to connect through the endpoints this step checks. As with endpoints, nothing
 * from the network gets past parseCluster unchecked: a body that is not the cluster becomes a
 * ResponseFormatError saying what was found, and a connection string that could carry a
 * credential, a line break or markup is refused rather than shortened or cleaned.
 */
import { decodeOnce, type Cloud, type CloudProvider } from '../common/clouds.js'
import { ResponseFormatError } from '../common/errors.js'
import { oneLine, quote } from '../common/text.js'
import { parseJson, safeStringify } from './endpoint.js'

/** One entry of `connectionStrings.privateEndpoint`: the strings that reach the cluster through some endpoints. */
export interface PrivateEndpointEntry {
  /** `mongodb://…` ('' when Atlas gives none). */
  connectionString: string
  /** `mongodb+srv://…` ('' when Atlas gives none). */
  srvConnectionString: string
  /** Sharded clusters: `mongodb+srv://…` through the optimized load balancer ('' when Atlas gives none). */
  srvShardOptimizedConnectionString: string
  /** MONGOD (replica set) or MONGOS (sharded); '' when absent. */
  type: string
  endpoints: PrivateEndpointRef[]
}

export interface PrivateEndpointRef {
  endpointId: string
  /** AWS, AZURE or GCP; '' when absent. */
  providerName: string
  region: string
}

export interface ClusterState {
  /** The cluster's name as Atlas spells it. */
  name: string
  /** IDLE, CREATING, UPDATING, DELETING, REPAIRING, or a name this version does not know. */
  stateName: string
  paused: boolean
  /** REPLICASET, SHARDED, GEOSHARDED; undefined when absent. */
  clusterType?: string
  /** The provider of a shared tier (TENANT: free M0; FLEX; SERVERLESS), which private endpoints never serve. */
  sharedTier?: string
  entries: PrivateEndpointEntry[]
  /** Atlas's answer as it came. */
  raw: string
}

export type ClusterVerdict =
  | { kind: 'ready'; entry: PrivateEndpointEntry }
  | { kind: 'waiting'; why: string }
  | { kind: 'failed'; why: string; advice: string }

/** A cluster name as Atlas allows it. */
const CLUSTER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9-]{0,63}$/
/** A name Atlas uses for a state, type or provider: short and plain. */
const PLAIN_NAME = /^[A-Za-z0-9_-]{1,64}$/
/** How many entries, endpoints per entry and region configurations are read; Atlas has a handful. */
const MAX_ENTRIES = 50
const MAX_ENDPOINTS_PER_ENTRY = 100
const MAX_REPLICATION_SPECS = 100
/** A connection string of 70 hosts is about 4 KB; a longer one is not Atlas's. */
export const MAX_CONNECTION_STRING_LENGTH = 4096
/**
 * What a private connection string is made of: the scheme, host names with ports, and options
 * (`/?ssl=true&authSource=admin&replicaSet=…`). No `@` (user information: a credential),
 * no whitespace or control characters, no quotes, backslashes or markup.
 */
const CONNECTION_STRING: Record<string, RegExp> = {
  'mongodb://':
    /^mongodb:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(,[A-Za-z0-9.-]+(:\d{1,5})?)*(\/[A-Za-z0-9._~%&=+,:?/-]*)?$/,
  'mongodb+srv://': /^mongodb\+srv:\/\/[A-Za-z0-9.-]+(\/[A-Za-z0-9._~%&=+,:?/-]*)?$/
}
const STRING_FIELDS = [
  ['connectionString', 'mongodb://'],
  ['srvConnectionString', 'mongodb+srv://'],
  ['srvShardOptimizedConnectionString', 'mongodb+srv://']
] as const
/** Providers of clusters the private endpoints of a project never serve. */
const SHARED_TIERS = ['TENANT', 'FLEX', 'SERVERLESS']

export function parseCluster(text: string, contentType: string | null, askedName: string): ClusterState {
  const record = parseJson(text, contentType, 'the cluster resource')
  const wrong = (what: string): ResponseFormatError =>
    new ResponseFormatError(
      `Atlas answered HTTP 200 for cluster ${quote(askedName, 80)} with JSON that has ${what}; expected the cluster resource ({name, stateName, paused, connectionStrings}). Check base-url and cluster-name.`
    )
  const name = record.name
  if (typeof name !== 'string') throw wrong(shown('name', name))
  // The pattern first: some non-ASCII letters lower-case to ASCII ones (the Kelvin sign to "k").
  if (!CLUSTER_NAME.test(name) || name.toLowerCase() !== askedName.toLowerCase()) {
    throw wrong(`name ${quote(oneLine(name, 80))}, another cluster than the one asked for`)
  }
  const stateName = record.stateName
  if (typeof stateName !== 'string' || !PLAIN_NAME.test(stateName)) throw wrong(shown('stateName', stateName))
  const paused = record.paused
  if (paused !== undefined && paused !== null && typeof paused !== 'boolean')
    throw wrong(shown('paused', paused))
  const clusterType = optionalName(record.clusterType, 'clusterType', wrong)
  return {
    name,
    stateName,
    paused: paused === true,
    ...(clusterType !== '' ? { clusterType } : {}),
    ...sharedTier(record.replicationSpecs),
    entries: privateEndpointEntries(record.connectionStrings, wrong),
    raw: text
  }
}

/** `connectionStrings.privateEndpoint`, every field checked; absent or null: no entries (yet). */
function privateEndpointEntries(
  value: unknown,
  wrong: (what: string) => ResponseFormatError
): PrivateEndpointEntry[] {
  if (value === undefined || value === null) return []
  if (!isObject(value)) throw wrong(shown('connectionStrings', value))
  const list = value.privateEndpoint
  if (list === undefined || list === null) return []
  if (!Array.isArray(list)) throw wrong(shown('connectionStrings.privateEndpoint', list))
  if (list.length > MAX_ENTRIES) {
    throw wrong(`${list.length} connectionStrings.privateEndpoint entries (at most ${MAX_ENTRIES} are read)`)
  }
  return list.map((entry: unknown, index) => {
    const where = `connectionStrings.privateEndpoint[${index}]`
    if (!isObject(entry)) throw wrong(shown(where, entry))
    const strings = Object.fromEntries(
      STRING_FIELDS.map(([field, scheme]) => [
        field,
        connectionString(entry[field], `${where}.${field}`, scheme, wrong)
      ])
    ) as Record<(typeof STRING_FIELDS)[number][0], string>
    const endpoints = entry.endpoints
    if (endpoints !== undefined && endpoints !== null && !Array.isArray(endpoints)) {
      throw wrong(shown(`${where}.endpoints`, endpoints))
    }
    const refs = (endpoints ?? []) as unknown[]
    if (refs.length > MAX_ENDPOINTS_PER_ENTRY) {
      throw wrong(`${refs.length} endpoints in ${where} (at most ${MAX_ENDPOINTS_PER_ENTRY} are read)`)
    }
    return {
      ...strings,
      type: optionalName(entry.type, `${where}.type`, wrong),
      endpoints: refs.map((ref, i) => endpointRef(ref, `${where}.endpoints[${i}]`, wrong))
    }
  })
}

function endpointRef(
  value: unknown,
  where: string,
  wrong: (what: string) => ResponseFormatError
): PrivateEndpointRef {
  if (!isObject(value)) throw wrong(shown(where, value))
  const id = value.endpointId
  // An endpoint ID is plain printable text: a vpce- ID, an Azure resource ID or a GCP name.
  if (typeof id !== 'string' || !/^[\x21-\x7e]{1,512}$/.test(id))
    throw wrong(shown(`${where}.endpointId`, id))
  return {
    endpointId: id,
    providerName: optionalName(value.providerName, `${where}.providerName`, wrong),
    region: optionalName(value.region, `${where}.region`, wrong)
  }
}

/** A connection string of the field's scheme, or '' when absent; anything else is refused. */
function connectionString(
  value: unknown,
  where: string,
  scheme: string,
  wrong: (what: string) => ResponseFormatError
): string {
  if (value === undefined || value === null || value === '') return ''
  if (typeof value !== 'string') throw wrong(shown(where, value))
  // A string with user information may hold a password: say so, never show it.
  if (value.includes('@')) {
    throw wrong(
      `a ${where} holding user information ("@"; not shown), which a private connection string never has`
    )
  }
  if (value.length > MAX_CONNECTION_STRING_LENGTH) {
    throw wrong(`a ${where} of ${value.length} characters (at most ${MAX_CONNECTION_STRING_LENGTH})`)
  }
  if (!CONNECTION_STRING[scheme].test(value)) {
    throw wrong(
      `${where} ${quote(value, 120)}, which is not a ${scheme} URI of host names and options (no spaces, line breaks, quotes or markup)`
    )
  }
  return value
}

/** A plain name (a type, a provider, a region), or '' when absent. */
function optionalName(value: unknown, where: string, wrong: (what: string) => ResponseFormatError): string {
  if (value === undefined || value === null) return ''
  if (typeof value !== 'string' || !PLAIN_NAME.test(value)) throw wrong(shown(where, value))
  return value
}

/**
 * The shared tier of a free, flex or serverless cluster, read from the providers of its
 * `replicationSpecs[].regionConfigs[]`. Only a hint towards a clearer failure: a body without
 * them (or with them in another shape) is a dedicated cluster as far as this goes.
 */
function sharedTier(specs: unknown): { sharedTier?: string } {
  if (!Array.isArray(specs)) return {}
  for (const spec of specs.slice(0, MAX_REPLICATION_SPECS)) {
    if (!isObject(spec) || !Array.isArray(spec.regionConfigs)) continue
    for (const config of spec.regionConfigs.slice(0, MAX_REPLICATION_SPECS)) {
      const provider = isObject(config) ? config.providerName : undefined
      if (typeof provider === 'string' && SHARED_TIERS.includes(provider)) return { sharedTier: provider }
    }
  }
  return {}
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** "no stateName field" / "stateName 42": what was found, shown inertly. */
function shown(field: string, value: unknown): string {
  return value === undefined ? `no ${field} field` : `${field} ${quote(oneLine(safeStringify(value), 60))}`
}

/** The string a deploy connects with: the shard-optimized SRV string, else the SRV string, else the standard one. */
export function connectionStringFor(entry: PrivateEndpointEntry): string {
  return entry.srvShardOptimizedConnectionString || entry.srvConnectionString || entry.connectionString
}

/** States in which Atlas is still applying a change: the strings may appear once it is done. */
const BUSY_STATES = ['CREATING', 'UPDATING', 'REPAIRING']

/**
 * Whether the cluster serves every endpoint this step checks. Ready only when it is IDLE, not
 * paused, and one entry lists every endpoint and gives a string to connect with; a state this
 * version does not know is waited on, never taken for ready.
 */
export function judgeCluster(
  state: ClusterState,
  endpointIds: readonly string[],
  cloud: Cloud
): ClusterVerdict {
  const cluster = `cluster ${state.name}`
  if (state.sharedTier !== undefined) return notDedicated(state.name, state.sharedTier)
  if (state.paused) {
    return {
      kind: 'failed',
      why: `${cluster} is paused`,
      advice: `A paused cluster accepts no connections. Resume ${state.name} in Atlas (Clusters → … → Resume Cluster, or \`atlas clusters start ${state.name}\`), then run the workflow again.`
    }
  }
  if (state.stateName === 'DELETING' || state.stateName === 'DELETED') {
    return {
      kind: 'failed',
      why: `${cluster} is ${state.stateName}`,
      advice: `Atlas is deleting ${state.name}, so it will never serve the endpoints. Check cluster-name: it should name the cluster the deploy connects to.`
    }
  }
  const match = bestEntry(state.entries, endpointIds, cloud.provider)
  const missing = endpointIds.filter(id => !match.listed.includes(id))
  const strings =
    missing.length === 0 && match.entry !== undefined && connectionStringFor(match.entry) === ''
      ? 'its private connection string entry for the endpoints gives no connection string'
      : missing.length > 0
        ? `its private connection strings do not list ${listOf(missing)}`
        : undefined
  if (state.stateName === 'IDLE' && strings === undefined && match.entry !== undefined) {
    return { kind: 'ready', entry: match.entry }
  }
  const stateText =
    BUSY_STATES.includes(state.stateName) || state.stateName === 'IDLE'
      ? `${cluster} is ${state.stateName}`
      : `${cluster} is in state ${state.stateName}, which this version of the action does not know`
  return {
    kind: 'waiting',
    why: strings === undefined ? `${stateText}; Atlas is still applying a change` : `${stateText}; ${strings}`
  }
}

/** The failure for a cluster private endpoints never serve (free, flex or serverless). */
export function notDedicated(name: string, tier: string): ClusterVerdict & { kind: 'failed' } {
  const kind =
    tier === 'TENANT' ? 'a free (M0) cluster' : tier === 'FLEX' ? 'a Flex cluster' : 'a serverless instance'
  return {
    kind: 'failed',
    why: `cluster ${name} is ${kind}, which the project's private endpoints do not serve`,
    advice: `Private endpoints of an endpoint service connect to dedicated clusters (M10 and larger) only; ${kind} has its own kind of private endpoint or none. Remove ${name} from cluster-name, or name a dedicated cluster.`
  }
}

/**
 * The entry that lists every one of the endpoints, whatever the cluster's state (the `clusters`
 * output shows its strings even while the cluster is still UPDATING); undefined when none does.
 */
export function entryListing(
  state: ClusterState,
  endpointIds: readonly string[],
  provider: CloudProvider
): PrivateEndpointEntry | undefined {
  const match = bestEntry(state.entries, endpointIds, provider)
  return match.entry !== undefined && match.listed.length === endpointIds.length ? match.entry : undefined
}

/**
 * The entry that lists the most of the endpoints (the first of equals), and which of them it
 * lists. One entry may list several endpoints, one per region; an entry of another cloud's
 * endpoints never counts.
 */
function bestEntry(
  entries: PrivateEndpointEntry[],
  endpointIds: readonly string[],
  provider: CloudProvider
): { entry?: PrivateEndpointEntry; listed: string[] } {
  let best: { entry?: PrivateEndpointEntry; listed: string[] } = { listed: [] }
  for (const entry of entries) {
    const listed = endpointIds.filter(id =>
      entry.endpoints.some(
        ref =>
          (ref.providerName === '' || ref.providerName === provider) &&
          sameEndpoint(ref.endpointId, id, provider)
      )
    )
    if (best.entry === undefined || listed.length > best.listed.length) best = { entry, listed }
  }
  return best
}

/**
 * Whether the ID Atlas lists is the ID checked. Azure resource IDs ignore case (and may be
 * listed percent-encoded); AWS IDs (lower-case hexadecimal) and GCP names are compared exactly.
 */
export function sameEndpoint(listed: string, checked: string, provider: CloudProvider): boolean {
  // AWS IDs are lower case by rule (as parseEndpoint compares them): "VPCE-…" is not the endpoint.
  if (provider === 'GCP' || provider === 'AWS') return listed === checked
  return decodeOnce(listed).toLowerCase() === checked.toLowerCase()
}

/** "vpce-a", "vpce-a and vpce-b", "vpce-a, vpce-b and 3 more". */
function listOf(ids: string[]): string {
  if (ids.length === 1) return ids[0]
  if (ids.length <= 3) return `${ids.slice(0, -1).join(', ')} and ${ids[ids.length - 1]}`
  return `${ids.slice(0, 2).join(', ')} and ${ids.length - 2} more`
}
