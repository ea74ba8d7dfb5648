/**
 * Atlas's error answers, read and explained: `{detail, error, errorCode, parameters, reason}`
 * (and an X-Error-Code header), turned into one sentence of what Atlas said and one of what a
 * person can do about it, with the right role for the API and the right IDs for the cloud.
 */
import type { Cloud } from '../common/clouds.js'
import { AtlasApiError, TransientError } from '../common/errors.js'
import { retryAfterMs } from '../http/retry-after.js'
import type { BufferedResponse } from '../http/transport.js'
import { V2_VERSION, type ApiVersion } from '../common/constants.js'
import { duplicateKey } from '../common/json.js'
import { endSentence, oneLine, quote } from '../common/text.js'

type HeaderReader = { get(name: string): string | null }

/** A 404 with these codes is about the project, never about the endpoint: never "deleted". */
export const PROJECT_NOT_FOUND_CODES = [
  'GROUP_NOT_FOUND',
  'INVALID_GROUP_ID',
  'NOT_ATLAS_GROUP',
  'INVALID_ATLAS_GROUP',
  'ATLAS_GROUP'
]

/**
 * 404 codes that say the request was wrong, not that the endpoint is gone: the project, the
 * cloud in the path, or an ID Atlas cannot even parse. A teardown never passes on them.
 */
export const NEVER_DELETED_CODES = [
  ...PROJECT_NOT_FOUND_CODES,
  'PROVIDER_NOT_FOUND',
  'PRIVATELINK_INTERFACE_ENDPOINT_ID_MALFORMED'
]

/** An Atlas error code as Atlas writes them; anything else (lower case, invisible characters) is not Atlas's. */
export const ATLAS_ERROR_CODE = /^[A-Z][A-Z0-9_]{0,79}$/

export interface AtlasErrorBody {
  /** True when the body is Atlas's error JSON (an object with a numeric `error` and a string `errorCode`). */
  isAtlasError: boolean
  errorCode?: string
  detail?: string
}

export function readErrorBody(text: string, headers: HeaderReader): AtlasErrorBody {
  let body: Record<string, unknown> = {}
  try {
    const parsed: unknown = JSON.parse(text)
    // Two same-named members (two error codes) are not Atlas's error JSON: never a "deleted".
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) && !duplicateKey(text))
      body = parsed as Record<string, unknown>
  } catch {
    // Not JSON: a proxy's or a web server's page.
  }
  const isAtlasError = typeof body.error === 'number' && typeof body.errorCode === 'string'
  const code =
    typeof body.errorCode === 'string' && body.errorCode !== '' ? body.errorCode : headers.get('x-error-code')
  const detail =
    typeof body.detail === 'string'
      ? body.detail
      : typeof body.reason === 'string'
        ? body.reason
        : text.trim() !== '' && !text.trimStart().startsWith('<') && !isJsonish(text)
          ? text
          : undefined
  return { isAtlasError, errorCode: code ? oneLine(code, 80) : undefined, detail }
}

function isJsonish(text: string): boolean {
  return /^\s*[[{]/.test(text)
}

/** "HTTP 404 (GROUP_NOT_FOUND): "No group with ID … exists."" */
export function describeAnswer(status: number, body: AtlasErrorBody): string {
  const detail = body.detail ? `: ${quote(oneLine(body.detail, 300))}` : ''
  return `HTTP ${status}${body.errorCode ? ` (${body.errorCode})` : ''}${detail}`
}

export interface HintContext {
  api: ApiVersion
  cloud: Cloud
  credentialKind: 'api-key' | 'service-account'
}

/** What a person can do about an error that retrying will not fix. */
export function hint(status: number, code: string | undefined, context: HintContext): string {
  const { api, cloud, credentialKind } = context
  const role =
    api === 'v2'
      ? 'the Project Read Only role (or any higher project role) on this project'
      : 'the Organization Owner or Project Owner role (the v1.0 API asks for it; the v2 API needs only Project Read Only)'
  const who = credentialKind === 'service-account' ? 'service account' : 'API key'
  switch (status) {
    case 400:
      if (code === 'PATH_PARAM_PARSE_ERROR') {
        return `Atlas could not read an ID in the request path: check project-id, endpoint-service-id and endpoint-id (${cloud.idHelp}).`
      }
      return 'This is not a transient error, so it was not retried.'
    case 401:
      return credentialKind === 'service-account'
        ? 'The service account was refused even with a new token: check that client-id and client-secret belong to the same service account, that it still exists, and that it has access to this project.'
        : 'The API key pair is wrong, or the key was revoked or has expired: check that public-key and private-key come from the same Atlas programmatic API key.'
    case 403:
      if (
        code !== undefined &&
        /^(IP_ADDRESS_NOT_ON_ACCESS_LIST|IP_ADDRESS_NOT_ON_WHITELIST|ORG_REQUIRES_ACCESS_LIST|ORG_REQUIRES_WHITELIST)$/.test(
          code
        )
      ) {
        return `The runner's IP address is not on the ${who}'s access list: add the runner's egress IP (or range) to the ${who}'s access list in Atlas.`
      }
      return `The ${who} needs ${role}, or the runner's IP address is not on its access list.`
    case 404:
      if (code !== undefined && PROJECT_NOT_FOUND_CODES.includes(code)) {
        return `project-id is wrong: no Atlas project has that ID (or the ${who} cannot see it). Copy it from Project Settings in Atlas.`
      }
      // v1.0 workflows name the IDs by their AWS-era inputs.
      return api === 'v1.0'
        ? `The project exists, but private-link-id or interface-endpoint-id is wrong, or the interface endpoint was deleted. Check both IDs in Atlas under Network Access → Private Endpoint; interface-endpoint-id is ${cloud.idHelp}.`
        : `The project exists, but endpoint-service-id or endpoint-id is wrong, or the endpoint was deleted. endpoint-service-id is the ID Atlas shows under Network Access → Private Endpoint (${cloud.provider}); endpoint-id is ${cloud.idHelp}.`
    case 406:
    case 410:
      return api === 'v2'
        ? `Atlas no longer serves API version ${V2_VERSION}, which this release of the action speaks: update the action to its latest release.`
        : 'Atlas retired the v1.0 API: set base-url to https://cloud.mongodb.com/api/atlas/v2 (the default), and give the key the Project Read Only role.'
    default:
      return 'This is not a transient error, so it was not retried.'
  }
}

/** The origin of a redirect target, never its path or query (which may carry tokens). */
export function safeOrigin(location: string, base: string): string {
  try {
    return new URL(location, base).origin
  } catch {
    return oneLine(location, 60)
  }
}

/**
 * The error for an answer other than 200, whatever was read: 429 and 5xx are transient (with
 * the server's Retry-After), a redirect is never followed (its target's origin is named), and
 * anything else stops the run with what Atlas said and the `hint` for it.
 */
export function answerFailure(
  response: BufferedResponse,
  body: AtlasErrorBody,
  context: {
    now: number
    /** What a relative Location is resolved against. */
    base: string
    /** " to a cluster read", or '' for the endpoints. */
    subject: string
    hint: (status: number, code: string | undefined) => string
  }
): Error {
  const { status } = response
  const answer = describeAnswer(status, body)
  if (status === 429 || status >= 500) {
    return new TransientError(
      endSentence(`Atlas answered ${answer}`),
      retryAfterMs(response.headers.get('retry-after'), context.now),
      status === 429
    )
  }
  if (status >= 300 && status < 400) {
    const location = response.headers.get('location')
    const where = location ? ` to ${quote(safeOrigin(location, context.base), 100)}` : ''
    return new AtlasApiError(
      `Atlas answered HTTP ${status}${context.subject}, a redirect${where}. The action does not follow redirects, so that credentials are never sent anywhere but base-url. Check base-url: it should be the API root itself, e.g. https://cloud.mongodb.com/api/atlas/v2.`,
      status,
      undefined
    )
  }
  return new AtlasApiError(
    `${endSentence(`Atlas answered ${answer}${context.subject}`)} ${context.hint(status, body.errorCode)}`,
    status,
    body.errorCode
  )
}

/**
 * What an answer's `Deprecation` and `Sunset` headers announce, as the end of a sentence
 * ("deprecated (Deprecation: "…") and to be removed on "…" (Sunset)"), quoted and shortened;
 * undefined when it has neither.
 */
export function announcedEnd(headers: { get(name: string): string | null }): string | undefined {
  const deprecation = headers.get('deprecation')
  const sunset = headers.get('sunset')
  if (deprecation === null && sunset === null) return undefined
  return [
    deprecation !== null ? `deprecated (Deprecation: ${quote(oneLine(deprecation, 100))})` : '',
    sunset !== null ? `to be removed on ${quote(oneLine(sunset, 100))} (Sunset)` : ''
  ]
    .filter(Boolean)
    .join(' and ')
}
