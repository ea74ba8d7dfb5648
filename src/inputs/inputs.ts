import * as core from '@actions/core'
import {
  ACTION_DEFAULTS,
  DEFAULT_BASE_URL,
  Input,
  KNOWN_STATUSES,
  type KnownStatus
} from '../common/constants.js'
import { InputError } from '../common/errors.js'
import { quote } from '../common/text.js'

/** Everything the action was asked to do, validated and typed. */
export interface Settings {
  publicKey: string
  privateKey: string
  projectId: string
  privateLinkId: string
  interfaceEndpointId: string
  /** Statuses that end the wait successfully. Empty: read once and report. */
  waitFor: KnownStatus[]
  /** Statuses that fail the step as soon as they are seen. */
  failOn: KnownStatus[]
  timeoutMs: number
  intervalMs: number
  requestTimeoutMs: number
  maxRetries: number
  /** API root without a trailing slash. */
  baseUrl: string
  summary: boolean
}

/** Reads one input the way `core.getInput` does (trimmed); undefined when not set at all. */
export type InputReader = (name: Input) => string | undefined

/**
 * The runner's inputs. The runner sets INPUT_<NAME> for every input action.yml declares, so
 * an unset variable means the action was started some other way, and its default applies;
 * a variable set to '' means the workflow asked for '' (`fail-on: ''` turns fail-on off).
 */
export const runnerInputs: InputReader = name =>
  process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] === undefined
    ? undefined
    : core.getInput(name)

const HEX_ID = /^[0-9a-f]{24}$/i
const ENDPOINT_ID = /^vpce-[0-9a-f]{1,64}$/i
/** A Digest user name goes inside a quoted header parameter: printable ASCII without quotes or backslashes. */
const PUBLIC_KEY = /^[\x21\x23-\x5b\x5d-\x7e]{1,128}$/

/**
 * Registers the private key with the runner's log masking. Called before anything else reads
 * or logs an input, so that even a malformed key never reaches the log in clear.
 */
export function maskSecrets(read: InputReader, mask: (secret: string) => void): void {
  const privateKey = read(Input.PrivateKey) ?? ''
  if (privateKey === '') return
  mask(privateKey)
  // The runner masks line by line; a key pasted with a line break must not leak a line of it.
  for (const line of privateKey.split(/\r?\n/)) if (line.trim() !== '') mask(line.trim())
}

/** Validates every input and returns the settings, or throws one InputError naming every bad input. */
export function readSettings(readInput: InputReader): Settings {
  const read = (name: Input): string => readInput(name) ?? ACTION_DEFAULTS[name] ?? ''
  const problems: string[] = []
  const check = <T>(parse: () => T, fallback: T): T => {
    try {
      return parse()
    } catch (error) {
      problems.push((error as Error).message)
      return fallback
    }
  }

  const publicKey = check(() => parsePublicKey(read(Input.PublicKey)), '')
  const privateKey = check(() => parsePrivateKey(read(Input.PrivateKey)), '')
  const projectId = check(
    () => parseHexId(Input.ProjectId, read(Input.ProjectId), 'the Atlas project ID (GROUP-ID)'),
    ''
  )
  const privateLinkId = check(
    () => parseHexId(Input.PrivateLinkId, read(Input.PrivateLinkId), 'the AWS PrivateLink connection ID'),
    ''
  )
  const interfaceEndpointId = check(() => parseEndpointId(read(Input.InterfaceEndpointId)), '')
  const waitFor = check(() => parseStatuses(Input.WaitFor, read(Input.WaitFor)), [])
  const failOn = check(() => parseStatuses(Input.FailOn, read(Input.FailOn)), [])
  const both = waitFor.filter(status => failOn.includes(status))
  if (both.length > 0) {
    problems.push(
      `Inputs "${Input.WaitFor}" and "${Input.FailOn}" both list ${both.join(', ')}: a status cannot be both the goal and a failure. Remove it from one of them.`
    )
  }
  const timeoutSeconds = check(
    () => parseWholeNumber(Input.TimeoutSeconds, read(Input.TimeoutSeconds), 1, 86_400, 900),
    900
  )
  const intervalSeconds = check(
    () => parseWholeNumber(Input.IntervalSeconds, read(Input.IntervalSeconds), 1, 3_600, 10),
    10
  )
  const requestTimeoutSeconds = check(
    () => parseWholeNumber(Input.RequestTimeoutSeconds, read(Input.RequestTimeoutSeconds), 1, 600, 30),
    30
  )
  const maxRetries = check(() => parseWholeNumber(Input.MaxRetries, read(Input.MaxRetries), 0, 100, 5), 5)
  const baseUrl = check(() => parseBaseUrl(read(Input.BaseUrl)), DEFAULT_BASE_URL)
  const summary = check(() => parseBoolean(Input.Summary, read(Input.Summary), true), true)

  if (problems.length > 0) throw new InputError(problems, summary)
  return {
    publicKey,
    privateKey,
    projectId,
    privateLinkId,
    interfaceEndpointId,
    waitFor,
    failOn,
    timeoutMs: timeoutSeconds * 1000,
    intervalMs: intervalSeconds * 1000,
    requestTimeoutMs: requestTimeoutSeconds * 1000,
    maxRetries,
    baseUrl,
    summary
  }
}

/** Shows what was given without letting it break the message: quoted, escaped, shortened. */
function given(value: string): string {
  return `got ${quote(value, 60)}`
}

function required(name: Input, value: string, accepted: string): void {
  if (value === '') throw new Error(`Input "${name}" is required: ${accepted}; got nothing.`)
}

function parsePublicKey(value: string): string {
  const accepted = 'the public part of an Atlas programmatic API key, e.g. "abcdefgh"'
  required(Input.PublicKey, value, accepted)
  if (!PUBLIC_KEY.test(value)) {
    throw new Error(
      `Input "${Input.PublicKey}" must be ${accepted}, without spaces, quotes or line breaks; ${given(value)}.`
    )
  }
  return value
}

function parsePrivateKey(value: string): string {
  const accepted =
    'the private part of the Atlas API key (a UUID such as 01234567-89ab-cdef-0123-456789abcdef)'
  required(Input.PrivateKey, value, accepted)
  // Never echo the value, not even masked: say only what is wrong with it.
  if (/[\s"\\]/.test(value) || value.length > 256) {
    throw new Error(
      `Input "${Input.PrivateKey}" must be ${accepted}; the value given (${value.length} characters, not shown) contains spaces, line breaks, quotes or is too long. Check the secret it comes from.`
    )
  }
  return value
}

function parseHexId(name: Input, value: string, what: string): string {
  const accepted = `${what}: 24 hexadecimal digits, e.g. "5f1a2b3c4d5e6f7a8b9c0d1e"`
  required(name, value, accepted)
  if (!HEX_ID.test(value)) {
    throw new Error(`Input "${name}" must be ${accepted}; ${given(value)} (${value.length} characters).`)
  }
  return value
}

function parseEndpointId(value: string): string {
  const accepted =
    'the AWS interface endpoint ID: "vpce-" then hexadecimal digits, e.g. "vpce-0123456789abcdef0"'
  required(Input.InterfaceEndpointId, value, accepted)
  if (!ENDPOINT_ID.test(value)) {
    throw new Error(`Input "${Input.InterfaceEndpointId}" must be ${accepted}; ${given(value)}.`)
  }
  return value
}

function parseStatuses(name: Input, value: string): KnownStatus[] {
  if (value === '') return []
  const statuses: KnownStatus[] = []
  for (const entry of value.split(',')) {
    const status = entry.trim().toUpperCase()
    if (status === '') continue // tolerate "AVAILABLE," and ", AVAILABLE"
    if (!(KNOWN_STATUSES as readonly string[]).includes(status)) {
      throw new Error(
        `Input "${name}" lists ${quote(entry.trim(), 40)}, which is not an Atlas connection status; accepted: a comma-separated list of ${KNOWN_STATUSES.join(', ')} (any case), or empty.`
      )
    }
    if (!statuses.includes(status as KnownStatus)) statuses.push(status as KnownStatus)
  }
  return statuses
}

function parseWholeNumber(name: Input, value: string, min: number, max: number, fallback: number): number {
  if (value === '') return fallback
  const accepted = `a whole number from ${min} to ${max}`
  if (!/^\d{1,9}$/.test(value)) throw new Error(`Input "${name}" must be ${accepted}; ${given(value)}.`)
  const number = Number(value)
  if (number < min || number > max) throw new Error(`Input "${name}" must be ${accepted}; ${given(value)}.`)
  return number
}

function parseBoolean(name: Input, value: string, fallback: boolean): boolean {
  if (value === '') return fallback
  // The same spellings core.getBooleanInput accepts (YAML 1.2 core schema).
  if (['true', 'True', 'TRUE'].includes(value)) return true
  if (['false', 'False', 'FALSE'].includes(value)) return false
  throw new Error(`Input "${name}" must be true or false; ${given(value)}.`)
}

const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i

function parseBaseUrl(value: string): string {
  if (value === '') return DEFAULT_BASE_URL
  const accepted = `an https URL of the Atlas Administration API root, e.g. "${DEFAULT_BASE_URL}" (http only for a loopback host)`
  // Whatever is wrong with it, never echo what sits before an '@': it may be a password.
  const redacted = value.replace(/\/\/[^/?#]*@/, '//***@')
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new Error(`Input "${Input.BaseUrl}" must be ${accepted}; ${given(redacted)}, which is not a URL.`)
  }
  if (/\s/.test(value)) {
    throw new Error(
      `Input "${Input.BaseUrl}" must be ${accepted}; ${given(redacted)}, which contains whitespace.`
    )
  }
  // Show the URL without anything that may be a credential.
  const shown = `${url.protocol}//${url.host}${url.pathname}`
  if (url.username !== '' || url.password !== '') {
    throw new Error(
      `Input "${Input.BaseUrl}" must not contain a user name or password (the API key goes in "${Input.PublicKey}" and "${Input.PrivateKey}"); got ${quote(shown, 80)} with credentials (not shown).`
    )
  }
  if (url.search !== '' || url.hash !== '' || value.includes('?') || value.includes('#')) {
    throw new Error(
      `Input "${Input.BaseUrl}" must be ${accepted}, without a query string or fragment; ${given(shown)}.`
    )
  }
  if (url.protocol === 'http:') {
    if (!LOOPBACK_HOST.test(url.hostname)) {
      throw new Error(
        `Input "${Input.BaseUrl}" must use https; plain http is accepted only for a loopback host (127.0.0.0/8, ::1, localhost), and the key would cross the network unencrypted; ${given(shown)}.`
      )
    }
  } else if (url.protocol !== 'https:') {
    throw new Error(`Input "${Input.BaseUrl}" must be ${accepted}; ${given(shown)}.`)
  }
  return url.href.replace(/\/+$/, '')
}
