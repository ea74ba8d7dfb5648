/**
 * One parser per kind of input. Each returns the typed value or throws an Error whose message
 * names the input, says what is accepted and shows what was given (never a secret).
 */
import { ALL_STATUSES, decodeOnce, type Cloud } from '../common/clouds.js'
import {
  ALL_ENDPOINTS,
  DEFAULT_BASE_URL,
  Input,
  MAX_ENDPOINTS,
  V1_BASE_URL,
  type ApiVersion
} from '../common/constants.js'
import { quote } from '../common/text.js'

/** Shows what was given without letting it break the message: quoted, escaped, shortened. */
export function given(value: string): string {
  return `got ${quote(value, 60)}`
}

export function required(name: string, value: string, accepted: string, alias?: string): void {
  const older = alias ? ` (its older name "${alias}" works too)` : ''
  if (value === '') throw new Error(`Input "${name}" is required: ${accepted}; got nothing${older}.`)
}

/** A Digest user name or client ID goes inside a header: printable ASCII without quotes or backslashes. */
const PUBLIC_ID = /^[\x21\x23-\x5b\x5d-\x7e]{1,128}$/

export function parsePublicKey(value: string): string {
  const accepted = 'the public part of an Atlas programmatic API key, e.g. "abcdefgh"'
  required(Input.PublicKey, value, accepted)
  if (!PUBLIC_ID.test(value)) {
    throw new Error(
      `Input "${Input.PublicKey}" must be ${accepted}, without spaces, quotes or line breaks; ${given(value)}.`
    )
  }
  return value
}

/** A secret is never echoed, not even masked: the message says only what is wrong with it. */
export function parseSecret(name: Input, value: string, accepted: string, prefix?: string): string {
  required(name, value, accepted)
  if (/[\s"\\]/.test(value) || value.length > 256) {
    throw new Error(
      `Input "${name}" must be ${accepted}; the value given (${value.length} characters, not shown) contains spaces, line breaks, quotes or is too long. Check the secret it comes from.`
    )
  }
  if (prefix !== undefined && !value.startsWith(prefix)) {
    throw new Error(
      `Input "${name}" must be ${accepted}; the value given (${value.length} characters, not shown) does not start with "${prefix}". Check that the secret holds the service account's secret, not its client ID.`
    )
  }
  return value
}

export function parseClientId(value: string): string {
  const accepted = 'an Atlas service account client ID: "mdb_sa_id_" then 24 hexadecimal digits'
  required(Input.ClientId, value, accepted)
  if (!/^mdb_sa_id_[0-9a-f]{24}$/i.test(value)) {
    // A secret pasted here by mistake must not be shown.
    const shown = value.startsWith('mdb_sa_sk_') ? 'a service account secret (not shown)' : given(value)
    throw new Error(`Input "${Input.ClientId}" must be ${accepted}; ${shown}.`)
  }
  return value
}

/** The API's pattern for project and endpoint service IDs: 24 lower-case hexadecimal digits. */
const HEX_ID = /^[a-f0-9]{24}$/

export function parseHexId(name: string, value: string, what: string, alias?: string): string {
  const accepted = `${what}: 24 lower-case hexadecimal digits, e.g. "5f1a2b3c4d5e6f7a8b9c0d1e"`
  required(name, value, accepted, alias)
  if (!HEX_ID.test(value)) {
    const lower = value.toLowerCase()
    const fix = HEX_ID.test(lower) ? ` Atlas accepts only lower case: did you mean ${quote(lower)}?` : ''
    throw new Error(
      `Input "${name}" must be ${accepted}; ${given(value)} (${value.length} characters).${fix}`
    )
  }
  return value
}

/**
 * Endpoint IDs: one, several (one per line or comma-separated), or '*'. An Azure ID may come
 * percent-encoded already (old examples show it so); it is decoded once here, and encoded once
 * when the URL is built, so that it never becomes %252F.
 */
export function parseEndpointIds(
  name: string,
  value: string,
  cloud: Cloud,
  alias?: string
): string[] | typeof ALL_ENDPOINTS {
  const accepted = `${cloud.idHelp}, e.g. ${quote(cloud.idExample)}; several separated by commas or line breaks; or '*' for every endpoint of the endpoint service`
  required(name, value, accepted, alias)
  if (value === ALL_ENDPOINTS) return ALL_ENDPOINTS
  const entries = listEntries(name, value, 'IDs', accepted)
  if (entries.length > MAX_ENDPOINTS) {
    throw new Error(
      `Input "${name}" lists ${entries.length} endpoints; at most ${MAX_ENDPOINTS} are accepted.`
    )
  }
  const ids = entries.map(entry => {
    const id = decodeOnce(entry)
    const problem = cloud.checkId(id)
    if (problem !== undefined) {
      const fixed = cloud.caseFix(id)
      const fix =
        fixed === undefined ? '' : ` Atlas accepts only that case: did you mean ${quote(fixed, 300)}?`
      throw new Error(
        `Input "${name}" must be ${cloud.idHelp}: ${problem} (cloud-provider: ${cloud.provider}); ${given(entry)}.${fix}`
      )
    }
    return id
  })
  const duplicate = ids.find((id, index) => ids.findIndex(other => cloud.sameId(other, id)) !== index)
  if (duplicate !== undefined) {
    throw new Error(`Input "${name}" lists ${quote(duplicate, 80)} more than once; give each endpoint once.`)
  }
  return ids
}

/**
 * The entries of a list input: one per line or comma-separated, trimmed. "a,\nb" (a comma at
 * the end of each line of a YAML block) is one separator, not two, and a trailing one is
 * allowed; an empty entry anywhere else is an error.
 */
function listEntries(name: string, value: string, what: string, accepted: string): string[] {
  const entries = value
    .replace(/,[ \t]*\r?\n/g, '\n')
    .split(/[,\n]/)
    .map(entry => entry.trim())
  if (entries.length > 1 && entries[entries.length - 1] === '') entries.pop()
  if (entries.some(entry => entry === '')) {
    throw new Error(`Input "${name}" has an empty entry among its ${what}; give ${accepted}.`)
  }
  return entries
}

/** Status names of any cloud (or DELETED), any case; the caller warns about another cloud's names. */
export function parseStatuses(name: Input, value: string): string[] {
  if (value === '') return []
  const statuses: string[] = []
  for (const entry of value.split(',')) {
    const status = entry.trim().toUpperCase()
    if (status === '') continue // tolerate "AVAILABLE," and ", AVAILABLE"
    if (!ALL_STATUSES.includes(status)) {
      throw new Error(
        `Input "${name}" lists ${quote(entry.trim(), 40)}, which is not a status of an Atlas private endpoint; accepted: a comma-separated list of ${ALL_STATUSES.join(', ')} (any case), or empty.`
      )
    }
    if (!statuses.includes(status)) statuses.push(status)
  }
  return statuses
}

export function parseWholeNumber(
  name: Input,
  value: string,
  min: number,
  max: number,
  fallback: number
): number {
  if (value === '') return fallback
  const accepted = `a whole number from ${min} to ${max}`
  if (!/^\d{1,9}$/.test(value)) throw new Error(`Input "${name}" must be ${accepted}; ${given(value)}.`)
  const number = Number(value)
  if (number < min || number > max) throw new Error(`Input "${name}" must be ${accepted}; ${given(value)}.`)
  return number
}

export function parseBoolean(name: Input, value: string, fallback: boolean): boolean {
  if (value === '') return fallback
  // The same spellings core.getBooleanInput accepts (YAML 1.2 core schema).
  if (['true', 'True', 'TRUE'].includes(value)) return true
  if (['false', 'False', 'FALSE'].includes(value)) return false
  throw new Error(`Input "${name}" must be true or false; ${given(value)}.`)
}

const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i

/**
 * What a URL shows when it may hold credentials: nothing before its last '@'. The user-info
 * of a URL ends at the last '@' however it is written (a password may hold '/', '?', '#', '\'
 * or '@'), so cutting there never shows any part of it.
 */
export function withoutUserInfo(value: string): string {
  const at = value.lastIndexOf('@')
  return at < 0 ? value : `…***@${value.slice(at + 1)}`
}

export function parseBaseUrl(value: string): { baseUrl: string; api: ApiVersion } {
  if (value === '') return { baseUrl: DEFAULT_BASE_URL, api: 'v2' }
  const accepted = `an https URL of the Atlas Administration API root ending in /api/atlas/v2 (or /api/atlas/v1.0 for the older API), e.g. "${DEFAULT_BASE_URL}" or "${V1_BASE_URL}" (http only for a loopback host)`
  if (value.includes('@')) {
    throw new Error(
      `Input "${Input.BaseUrl}" must not contain a user name or password (the credentials go in their own inputs); got ${quote(withoutUserInfo(value), 80)} (the part before "@" is not shown).`
    )
  }
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new Error(`Input "${Input.BaseUrl}" must be ${accepted}; ${given(value)}, which is not a URL.`)
  }
  if (/\s/.test(value) || value.includes('\\')) {
    throw new Error(
      `Input "${Input.BaseUrl}" must be ${accepted}; ${given(value)}, which contains whitespace or "\\".`
    )
  }
  const shown = `${url.protocol}//${url.host}${url.pathname}`
  if (url.search !== '' || url.hash !== '' || value.includes('?') || value.includes('#')) {
    throw new Error(
      `Input "${Input.BaseUrl}" must be ${accepted}, without a query string or fragment; ${given(shown)}.`
    )
  }
  if (url.protocol === 'http:') {
    if (!LOOPBACK_HOST.test(url.hostname)) {
      throw new Error(
        `Input "${Input.BaseUrl}" must use https; plain http is accepted only for a loopback host (127.0.0.0/8, ::1, localhost), and credentials would cross the network unencrypted; ${given(shown)}.`
      )
    }
  } else if (url.protocol !== 'https:') {
    throw new Error(`Input "${Input.BaseUrl}" must be ${accepted}; ${given(shown)}.`)
  }
  const baseUrl = url.href.replace(/\/+$/, '')
  const version = /\/api\/atlas\/(v2|v1\.0)$/.exec(baseUrl)
  if (!version) {
    throw new Error(`Input "${Input.BaseUrl}" must be ${accepted}; ${given(shown)}.`)
  }
  return { baseUrl, api: version[1] as ApiVersion }
}

// Imported here rather than above: this part of the file was appended on its own (issue 16).
import { MAX_CLUSTERS } from '../common/constants.js'

/** An Atlas cluster name, as the Administration API's pattern and Atlas's UI allow it. */
const CLUSTER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9-]*$/
const MAX_CLUSTER_NAME_LENGTH = 64

/**
 * Cluster names (`cluster-name`): none (''), one, or several, one per line or comma-separated
 * as endpoint-id takes them. Atlas derives each cluster's host names from its name, and host
 * names ignore case, so "Cluster0" and "cluster0" name one cluster: listing both is refused.
 */
export function parseClusterNames(name: string, value: string): string[] {
  if (value.trim() === '') return []
  const accepted = `Atlas cluster names (letters, digits and "-", starting with a letter or digit, at most ${MAX_CLUSTER_NAME_LENGTH} characters), e.g. "Cluster0"; several separated by commas or line breaks, at most ${MAX_CLUSTERS}`
  const entries = listEntries(name, value, 'cluster names', accepted)
  if (entries.length > MAX_CLUSTERS) {
    throw new Error(`Input "${name}" lists ${entries.length} clusters; at most ${MAX_CLUSTERS} are accepted.`)
  }
  for (const entry of entries) {
    if (entry.length > MAX_CLUSTER_NAME_LENGTH) {
      throw new Error(`Input "${name}" must list ${accepted}; ${given(entry)} (${entry.length} characters).`)
    }
    if (!CLUSTER_NAME.test(entry)) {
      throw new Error(`Input "${name}" must list ${accepted}; ${given(entry)}.`)
    }
  }
  const folded = entries.map(entry => entry.toLowerCase())
  const duplicate = entries.find((_, index) => folded.indexOf(folded[index]) !== index)
  if (duplicate !== undefined) {
    throw new Error(
      `Input "${name}" lists the cluster ${quote(duplicate, 80)} more than once (cluster names ignore case); give each cluster once.`
    )
  }
  return entries
}
