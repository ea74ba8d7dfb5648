/**
 * Reads clusters from the Atlas Administration API v2 (issue 16): one cluster by name, and the
 * names of every cluster of the project (for "did you mean …?" after a 404). It sends through
 * the same `send` as the AtlasClient, so the credential prepared for the endpoints (a Digest
 * challenge, a bearer token) serves the cluster reads too.
 */
import type { Cloud } from '../common/clouds.js'
import { USER_AGENT, type ApiVersion } from '../common/constants.js'
import { AtlasApiError, ResponseFormatError } from '../common/errors.js'
import type { Log } from '../common/log.js'
import { quote } from '../common/text.js'
import type { BufferedResponse, Send } from '../http/transport.js'
import { v2RootOf } from './client.js'
import { notDedicated, parseCluster, type ClusterState, type ClusterVerdict } from './cluster.js'
import { parseJson } from './endpoint.js'
import {
  announcedEnd,
  answerFailure,
  describeAnswer,
  hint,
  PROJECT_NOT_FOUND_CODES,
  readErrorBody,
  type AtlasErrorBody,
  type HintContext
} from './errors.js'

/** The version of the cluster resource this release reads (the API also serves 2023-01-01 and 2023-02-01). */
export const CLUSTER_VERSION = '2024-08-05'
/** Pages of the cluster listing read at most, and names kept at most: enough for any real project. */
export const MAX_CLUSTER_PAGES = 10
export const MAX_CLUSTER_NAMES = 5000
const ITEMS_PER_PAGE = 500

/** Atlas's codes for a cluster the dedicated-cluster API does not serve, and what kind it is. */
const NOT_DEDICATED_CODES: Record<string, string> = {
  CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API: 'FLEX',
  CANNOT_USE_SERVERLESS_INSTANCE_IN_CLUSTER_API: 'SERVERLESS'
}

/** A cluster name as Atlas allows it; listed names of any other form are dropped, never shown. */
const CLUSTER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9-]{0,63}$/

/** Atlas answered 404 for a cluster: no cluster of that name in the project (or the key cannot see it). */
export class ClusterNotFoundError extends AtlasApiError {
  constructor(
    message: string,
    readonly clusterName: string,
    errorCode: string | undefined
  ) {
    super(message, 404, errorCode)
    this.name = 'ClusterNotFoundError'
  }
}

/** Atlas answered that the cluster is a Flex cluster or a serverless instance, which private endpoints do not serve. */
export class NotDedicatedClusterError extends AtlasApiError {
  constructor(
    readonly clusterName: string,
    /** FLEX or SERVERLESS. */
    readonly tier: string,
    readonly verdict: ClusterVerdict & { kind: 'failed' },
    httpStatus: number,
    errorCode: string
  ) {
    super(
      `${verdict.why.charAt(0).toUpperCase()}${verdict.why.slice(1)}. ${verdict.advice}`,
      httpStatus,
      errorCode
    )
    this.name = 'NotDedicatedClusterError'
  }
}

export interface ClusterReaderOptions {
  /** The `base-url` input: a v2 root, or a v1.0 root whose origin's v2 root is used. */
  baseUrl: string
  api: ApiVersion
  projectId: string
  send: Send
  cloud: Cloud
  credentialKind: HintContext['credentialKind']
  /** For Retry-After given as an HTTP date. */
  now: () => number
  /** Told once when Atlas announces that the cluster version read is deprecated. */
  log?: Log
}

export { v2RootOf }

export class ClusterReader {
  /** The v2 API root the clusters are read from. */
  readonly root: string
  /** True when base-url is the v1.0 API and the clusters are read from the v2 root of its origin (worth a log line). */
  readonly movedToV2: boolean
  private announced = false

  constructor(private readonly options: ClusterReaderOptions) {
    this.root = v2RootOf(options.baseUrl)
    this.movedToV2 = options.api === 'v1.0'
  }

  /** `{root}/groups/{groupId}/clusters/{clusterName}`, each segment encoded once. */
  clusterUrl(name: string): string {
    return `${this.collectionUrl()}/${encodeURIComponent(name)}`
  }

  /**
   * One cluster. Returns its state, or throws ClusterNotFoundError (404),
   * NotDedicatedClusterError (a Flex cluster or serverless instance), TransientError (429,
   * 5xx: worth retrying), AtlasApiError or ResponseFormatError.
   */
  async readCluster(name: string): Promise<ClusterState> {
    const response = await this.get(this.clusterUrl(name))
    const text = await response.text()
    if (response.status === 200) return parseCluster(text, response.headers.get('content-type'), name)
    const body = readErrorBody(text, response.headers)
    const tier = body.errorCode !== undefined ? NOT_DEDICATED_CODES[body.errorCode] : undefined
    if (tier !== undefined && response.status >= 400 && response.status < 500) {
      throw new NotDedicatedClusterError(
        name,
        tier,
        notDedicated(name, tier),
        response.status,
        body.errorCode as string
      )
    }
    if (response.status === 404 && !isAboutTheProject(body)) {
      throw new ClusterNotFoundError(
        `Atlas has no cluster named ${quote(name, 80)} in project ${this.options.projectId}: it answered ${describeAnswer(404, body)}.`,
        name,
        body.errorCode
      )
    }
    throw this.failure(response, body)
  }

  /**
   * The names of the project's clusters, in Atlas's order, read page by page (at most
   * MAX_CLUSTER_PAGES pages of 500, MAX_CLUSTER_NAMES names). Names not of Atlas's form are
   * dropped: they are only ever offered as "did you mean …?".
   */
  async listClusterNames(): Promise<string[]> {
    const names: string[] = []
    for (let page = 1; page <= MAX_CLUSTER_PAGES; page += 1) {
      const response = await this.get(
        `${this.collectionUrl()}?itemsPerPage=${ITEMS_PER_PAGE}&pageNum=${page}`
      )
      const text = await response.text()
      if (response.status !== 200) throw this.failure(response, readErrorBody(text, response.headers))
      const { results, count, totalCount } = parseClusterPage(text, response.headers.get('content-type'))
      for (const result of results) if (names.length < MAX_CLUSTER_NAMES) names.push(result)
      const seen = (page - 1) * ITEMS_PER_PAGE + count
      if (count < ITEMS_PER_PAGE || seen >= totalCount || names.length >= MAX_CLUSTER_NAMES) break
    }
    return names
  }

  private collectionUrl(): string {
    return `${this.root}/groups/${encodeURIComponent(this.options.projectId)}/clusters`
  }

  private async get(url: string): Promise<BufferedResponse> {
    const response = await this.options.send(url, {
      method: 'GET',
      headers: { Accept: `application/vnd.atlas.${CLUSTER_VERSION}+json`, 'User-Agent': USER_AGENT }
    })
    this.announceDeprecation(response.headers)
    return response
  }

  /** The error for an answer other than 200 that is not about the cluster's existence or kind. */
  private failure(response: BufferedResponse, body: AtlasErrorBody): Error {
    return answerFailure(response, body, {
      now: this.options.now(),
      base: this.root,
      subject: ' to a cluster read',
      hint: (status, code) => this.hint(status, code)
    })
  }

  private hint(status: number, code: string | undefined): string {
    if (status === 406 || status === 410) {
      return `Atlas no longer serves version ${CLUSTER_VERSION} of the cluster resource, which this release of the action reads: update the action to its latest release.`
    }
    if (status === 400 && code === 'PATH_PARAM_PARSE_ERROR') {
      return 'Atlas could not read the project ID or a cluster name in the request path: check project-id and cluster-name.'
    }
    // 401, 403 and the project's 404 read as they do for the endpoints; the v2 role applies.
    return hint(status, code, {
      api: 'v2',
      cloud: this.options.cloud,
      credentialKind: this.options.credentialKind
    })
  }

  /** One warning per run when Atlas says, in headers, that the cluster version read is going away. */
  private announceDeprecation(headers: BufferedResponse['headers']): void {
    if (this.announced || !this.options.log) return
    const announced = announcedEnd(headers)
    if (announced === undefined) return
    this.announced = true
    this.options.log.warning(
      `Atlas announced that version ${CLUSTER_VERSION} of the cluster resource, which this release of the action reads, is ${announced}. The step still works today; update the action to its latest release.`,
      'Atlas API deprecation'
    )
  }
}

function isAboutTheProject(body: AtlasErrorBody): boolean {
  return body.errorCode !== undefined && PROJECT_NOT_FOUND_CODES.includes(body.errorCode)
}

/**
 * One page of `GET …/clusters`: `{results: [{name, …}], totalCount}`. `results` holds the
 * well-formed names; `count`, how many results the page had (for paging).
 */
export function parseClusterPage(
  text: string,
  contentType: string | null
): { results: string[]; count: number; totalCount: number } {
  const record = parseJson(text, contentType, 'a page of the project’s clusters')
  const { results, totalCount } = record
  if (!Array.isArray(results)) {
    throw new ResponseFormatError(
      `Atlas answered HTTP 200 to the cluster listing with JSON whose results is not a list; expected {results: [...], totalCount}. Check base-url.`
    )
  }
  if (typeof totalCount !== 'number' || !Number.isSafeInteger(totalCount) || totalCount < 0) {
    throw new ResponseFormatError(
      `Atlas answered HTTP 200 to the cluster listing with JSON whose totalCount is not a whole number; expected {results: [...], totalCount}. Check base-url.`
    )
  }
  const names = results.slice(0, ITEMS_PER_PAGE).flatMap(result => {
    const name =
      typeof result === 'object' && result !== null ? (result as Record<string, unknown>).name : undefined
    return typeof name === 'string' && CLUSTER_NAME.test(name) ? [name] : []
  })
  return { results: names, count: results.length, totalCount }
}

/**
 * What to say when a cluster is not found: its name, and the project's cluster of the nearest
 * name when there is one within edit distance 2 (the lead's loop finds it with `nearest`).
 */
export function missingCluster(name: string, near: string | undefined): { why: string; advice: string } {
  return near === undefined
    ? {
        why: `Atlas has no cluster named ${name} in this project`,
        advice: `Check cluster-name against the project's clusters in Atlas (Clusters page): the name is the one Atlas shows, e.g. "Cluster0". If the cluster is in another project, this step's project-id must be that project.`
      }
    : {
        why: `Atlas has no cluster named ${name} in this project; it has a cluster named ${near}`,
        advice: `Is cluster-name mistyped? Set it to ${near} if that is the cluster the deploy connects to.`
      }
}
