import type { ServiceRead, ServiceState } from '../atlas/client.js'
import { AtlasApiError, MistypedIdError } from '../common/errors.js'
import { nearest } from '../common/edit-distance.js'
import { quote } from '../common/text.js'

/**
 * A 404 for an endpoint is a claim, not a proof: Atlas gives one for an ID it never had, and
 * for a route it cannot resolve. It counts as DELETED only when the endpoint service, read in
 * the same check, no longer lists the endpoint, or is gone itself while the project is there
 * (removing a service's last endpoint removes the service). These reads happen only after a
 * 404, so a wait that never sees one costs nothing more.
 */
export type DeletionProof =
  /** The service answered: what it lists now. */
  | { kind: 'listing'; service: ServiceState }
  /** The service is gone and the project is there (and no service of the project has a near ID). */
  | { kind: 'service-gone' }

export interface DeletionReads {
  readService(options: { missingIsNews: true }): Promise<ServiceRead>
  projectExists(): Promise<boolean>
  listServiceIds(): Promise<string[]>
}

/** Each read goes through the run's retry loop (429, 5xx, network), within the deadline. */
export type Retrying = <T>(read: () => Promise<T>, what: string) => Promise<T>

/**
 * Asks the endpoint service, and when it is gone the project and its other services, whether
 * endpoints Atlas answered 404 for are really gone. Throws MistypedIdError when the service is
 * missing but the project has one whose ID is within 2 edits of endpoint-service-id, and
 * AtlasApiError when the project itself is missing.
 */
export async function proveDeletion(
  atlas: DeletionReads,
  endpointServiceId: string,
  retrying: Retrying
): Promise<DeletionProof> {
  const read = await retrying(() => atlas.readService({ missingIsNews: true }), 'the endpoint service')
  if (read.found) return { kind: 'listing', service: read.service }
  await proveServiceGone(atlas, endpointServiceId, retrying)
  return { kind: 'service-gone' }
}

/**
 * Atlas answered 404 for the endpoint service: it is gone only if the project is there and has
 * no service with a near ID (a mistyped endpoint-service-id must not pass a teardown).
 */
export async function proveServiceGone(
  atlas: Omit<DeletionReads, 'readService'>,
  endpointServiceId: string,
  retrying: Retrying
): Promise<void> {
  if (!(await retrying(() => atlas.projectExists(), 'the project'))) {
    throw new AtlasApiError(
      `Atlas answered HTTP 404 for the endpoint service and for the project: project-id is wrong (no Atlas project has that ID, or the credential cannot see it), so nothing can be said about the endpoints. Copy project-id from Project Settings in Atlas.`,
      404,
      'GROUP_NOT_FOUND'
    )
  }
  const services = await retrying(() => atlas.listServiceIds(), "the project's endpoint services")
  // Atlas contradicts itself: the service 404s, yet the project lists it. Never "gone" on that.
  if (services.some(id => id.toLowerCase() === endpointServiceId.toLowerCase())) {
    throw new AtlasApiError(
      `Atlas answered HTTP 404 for the endpoint service ${endpointServiceId}, yet lists it among the project's endpoint services: the two answers disagree, so nothing is counted as deleted. Check base-url and any proxy in between, then run the step again.`,
      404,
      undefined
    )
  }
  const near = nearest(endpointServiceId, services)
  if (near !== undefined) {
    throw new MistypedIdError(
      `Atlas has no endpoint service ${endpointServiceId}; the project has the endpoint service ${near}. Is endpoint-service-id mistyped?`
    )
  }
}

/** Whether a listing still names the endpoint (any case: a gate errs on the side of "not yet"). */
export function stillListed(service: ServiceState, id: string): boolean {
  const wanted = id.toLowerCase()
  return service.endpointIds.some(listed => listed.toLowerCase() === wanted)
}

/**
 * The listed ID an endpoint never seen in this run was probably meant to be: within 2 edits,
 * and not itself one of the endpoints the step checks.
 */
export function nearListedId(service: ServiceState, id: string, checked: string[]): string | undefined {
  const others = service.endpointIds.filter(
    listed => !checked.some(c => c.toLowerCase() === listed.toLowerCase())
  )
  return nearest(id, others)
}

/** What the service holds, for a message: its endpoint IDs quoted, or "no endpoints". */
export function describeListing(service: ServiceState): string {
  const ids = service.endpointIds
  if (ids.length === 0) return 'no endpoints'
  const shown = ids.slice(0, 10).map(id => quote(id, 200))
  return `${ids.length === 1 ? 'one endpoint' : `${ids.length} endpoints`}: ${shown.join(', ')}${ids.length > 10 ? ', …' : ''}`
}

/** What the endpoint service's word means for one endpoint Atlas answered 404 for. */
export type DeletionVerdict =
  /** The service still lists it: not deleted yet. */
  | { kind: 'still-listed' }
  /** Gone; `note` when this run never saw it (deleted before the step, or never there). */
  | { kind: 'gone'; note?: string }

/**
 * Judges one endpoint Atlas answered 404 for, by the service's word. Throws MistypedIdError
 * when this run never saw the endpoint and the service lists an ID within 2 edits of it.
 */
export function deletionVerdict(
  endpoint: { id: string; seen?: boolean },
  proof: DeletionProof,
  checked: string[],
  endpointServiceId: string
): DeletionVerdict {
  if (proof.kind === 'listing' && stillListed(proof.service, endpoint.id)) return { kind: 'still-listed' }
  if (endpoint.seen) return { kind: 'gone' }
  if (proof.kind === 'listing') {
    const near = nearListedId(proof.service, endpoint.id, checked)
    if (near !== undefined) {
      throw new MistypedIdError(
        `Atlas has no endpoint ${endpoint.id}; the endpoint service lists ${near}. Is endpoint-id mistyped?`
      )
    }
  }
  const holds =
    proof.kind === 'listing'
      ? `the endpoint service lists ${describeListing(proof.service)}`
      : `the endpoint service ${endpointServiceId} is gone too (Atlas removes a service with its last endpoint), and the project has no endpoint service with a similar ID`
  return {
    kind: 'gone',
    note: `${endpoint.id} was not found at its first read: it was deleted before this step, or it never existed; ${holds}.`
  }
}
