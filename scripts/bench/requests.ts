/**
 * Requests per check: every request the stand-in receives during a wait of exactly N checks,
 * by the action (each API, each kind of credential, each nonce policy) and by the baselines.
 */
import type { NoncePolicy } from '../../standin/atlas-standin.js'
import { baseEnvironment, runAction } from '../../standin/runner.js'
import { curlDigestRead, freshChallengeRead, pollUntil } from '../bench-baselines.js'
import {
  INTERVAL_MS,
  KEYS,
  SIZES,
  describe,
  expectAvailable,
  progress,
  waitInputs,
  waitScript,
  withStandin,
  type Variant
} from './setup.js'

export interface RequestCount {
  requests: number
  polls: number
}

export interface ServiceAccountCount extends RequestCount {
  tokens: number
  reads: number
  revokes: number
}

export async function actionRequests(variant: Variant, nonces: NoncePolicy): Promise<RequestCount> {
  return withStandin({ script: waitScript(), nonces }, async bench => {
    const run = await runAction({ inputs: waitInputs(bench, variant) })
    const what = `The ${SIZES.polls}-check wait (${describe(variant)}, ${nonces} nonces)`
    expectAvailable(run, what, SIZES.polls)
    progress(`${what}: ${bench.standin.requests.length} requests`)
    return { requests: bench.standin.requests.length, polls: Number(run.outputs.attempts) }
  })
}

/** The service account's wait, with its requests told apart: token, reads, revoke. */
export async function serviceAccountRequests(variant: Variant): Promise<ServiceAccountCount> {
  return withStandin({ script: waitScript() }, async bench => {
    const run = await runAction({ inputs: waitInputs(bench, variant) })
    const what = `The ${SIZES.polls}-check wait (${describe(variant)})`
    expectAvailable(run, what, SIZES.polls)
    const { requests } = bench.standin
    const count = {
      requests: requests.length,
      polls: Number(run.outputs.attempts),
      tokens: bench.oauth.tokenRequests,
      revokes: bench.oauth.revokeRequests,
      reads: requests.filter(request => request.target === 'endpoint').length
    }
    progress(`${what}: ${count.tokens} token, ${count.reads} reads, ${count.revokes} revoke`)
    return count
  })
}

export async function curlLoopRequests(): Promise<RequestCount> {
  return withStandin({ script: waitScript() }, async ({ standin }) => {
    const url = standin.endpointUrl('v2')
    const env = baseEnvironment()
    const read = async (): Promise<string> => (await curlDigestRead(url, KEYS, env)).status
    const polls = await pollUntil(read, 'AVAILABLE', SIZES.polls + 5, INTERVAL_MS)
    progress(`curl --digest loop: ${standin.requests.length} requests for ${polls} checks`)
    return { requests: standin.requests.length, polls }
  })
}

export async function freshChallengeRequests(): Promise<RequestCount> {
  return withStandin({ script: waitScript() }, async ({ standin }) => {
    const url = standin.endpointUrl('v2')
    const read = async (): Promise<string> => (await freshChallengeRead(url, KEYS)).status
    const polls = await pollUntil(read, 'AVAILABLE', SIZES.polls + 5, INTERVAL_MS)
    progress(`fresh-challenge client: ${standin.requests.length} requests for ${polls} checks`)
    return { requests: standin.requests.length, polls }
  })
}
