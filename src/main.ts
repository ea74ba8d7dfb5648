import * as core from '@actions/core'
import { AtlasClient } from './atlas/client.js'
import { ApiKeyAuthenticator } from './auth/api-key.js'
import type { Authenticator } from './auth/authenticator.js'
import { ServiceAccountAuthenticator } from './auth/service-account.js'
import { DELETED } from './common/clouds.js'
import { Deadline, systemClock } from './common/clock.js'
import { CancelledError, InputError, ProxyConfigError } from './common/errors.js'
import type { Log } from './common/log.js'
import { seconds, showInvisible } from './common/text.js'
import { chooseFetch, maskProxyPasswords, type ProxyChoice } from './http/proxy.js'
import { createTransport, type FetchLike } from './http/transport.js'
import { maskSecrets, readSettings, runnerInputs, type Settings } from './inputs/inputs.js'
import { summaryLinks } from './report/links.js'
import { stepOutputs } from './report/outputs.js'
import { renderInputErrorSummary, renderSummary } from './report/summary.js'
import { checkEndpoints } from './wait/check.js'
import type { WaitResult } from './wait/wait.js'

/** Every line goes through here: bidi controls from Atlas's text are shown, never obeyed. */
const log: Log = {
  info: message => core.info(showInvisible(message)),
  warning: (message, title) => core.warning(showInvisible(message), title ? { title } : {}),
  debug: message => core.debug(showInvisible(message))
}
const fail = (message: string): void => core.setFailed(showInvisible(message))

/**
 * One run of the action: mask the secrets, validate inputs, sign in, read the endpoints (and
 * wait for the status asked for), sign out, then report: outputs, job summary, pass or fail.
 */
export async function run(): Promise<void> {
  const startedAt = systemClock.now()
  maskSecrets(runnerInputs, secret => core.setSecret(secret))
  maskProxyPasswords(process.env, secret => core.setSecret(secret))
  const cancel = listenForCancellation()

  let settings: Settings
  try {
    settings = readSettings(runnerInputs)
  } catch (error) {
    if (!(error instanceof InputError)) throw error
    if (error.writeSummary) await writeSummary(renderInputErrorSummary(error.problems, summaryLinks()))
    fail(error.message)
    return
  }
  for (const warning of settings.warnings) log.warning(warning, 'Check the inputs')

  let route: ProxyChoice
  try {
    route = await chooseFetch(settings.baseUrl)
  } catch (error) {
    // A proxy variable that applies but cannot be used: stop before sending anything.
    if (!(error instanceof ProxyConfigError)) throw error
    if (settings.summary)
      await writeSummary(renderInputErrorSummary([error.message], summaryLinks(), 'proxy'))
    fail(error.message)
    return
  }

  const deadline = new Deadline(systemClock, startedAt, settings.timeoutMs)
  const auth = signIn(settings, route.fetch, deadline, cancel.signal)
  describeSettings(settings, auth, route.proxy)

  const atlas = new AtlasClient({
    ...settings,
    send: (url, init) => auth.send(url, init),
    credentialKind: auth.kind,
    notFoundIsDeleted: settings.waitFor.includes(DELETED) || settings.failOn.includes(DELETED),
    log,
    now: systemClock.now
  })
  let result: WaitResult
  try {
    result = await checkEndpoints({
      ...settings,
      atlas,
      knownStatuses: settings.cloud.statuses,
      noun: settings.cloud.noun,
      advice: settings.cloud.failureAdvice,
      clock: systemClock,
      deadline,
      signal: cancel.signal,
      random: Math.random,
      log
    })
  } finally {
    await auth.close()
    cancel.stop()
  }

  const elapsedMs = deadline.elapsed()
  for (const [name, value] of Object.entries(stepOutputs(result, elapsedMs) ?? {}))
    core.setOutput(name, value)
  if (settings.summary) {
    const credential = `${auth.kind === 'api-key' ? 'API key' : 'service account'} ${auth.publicId}`
    await writeSummary(
      renderSummary({ ...settings, credential, result, elapsedMs, links: summaryLinks(settings) })
    )
  }
  conclude(result)
}

/** The credential the inputs name, as the one way every request of this run is signed. */
function signIn(
  settings: Settings,
  fetch: FetchLike,
  deadline: Deadline,
  signal: AbortSignal
): Authenticator {
  const send = createTransport({
    fetch,
    requestTimeoutMs: settings.requestTimeoutMs,
    deadline,
    signal,
    onRequest: ({ method, url, status, ms }) =>
      log.debug(`${method} ${url} → HTTP ${status} in ${Math.round(ms)} ms`)
  })
  const { credentials } = settings
  if (credentials.kind === 'api-key') return new ApiKeyAuthenticator({ ...credentials, send })
  // The revoke must go out even after a cancellation or at the deadline: its own 2 s budget.
  const revokeSend = createTransport({
    fetch,
    requestTimeoutMs: 2_000,
    deadline: new Deadline(systemClock, systemClock.now(), Number.POSITIVE_INFINITY),
    signal: new AbortController().signal
  })
  return new ServiceAccountAuthenticator({
    ...credentials,
    origin: new URL(settings.baseUrl).origin,
    send,
    revokeSend,
    mask: secret => core.setSecret(secret),
    log,
    now: systemClock.now
  })
}

/** The last line of the log: the answer, and a failed step when the deploy should not go on. */
function conclude(result: WaitResult): void {
  if (result.outcome === 'reached' || result.outcome === 'reported') log.info(result.message)
  else fail(result.message)
}

function describeSettings(settings: Settings, auth: Authenticator, proxy: string | undefined): void {
  const what =
    settings.endpointIds === '*'
      ? `every ${settings.cloud.noun} of endpoint service ${settings.endpointServiceId}`
      : `${settings.cloud.noun}${settings.endpointIds.length > 1 ? 's' : ''} ${settings.endpointIds.join(', ')} of endpoint service ${settings.endpointServiceId}`
  const waiting =
    settings.waitFor.length > 0
      ? `wait up to ${seconds(settings.timeoutMs)} for ${settings.waitFor.join(' or ')}, checking every ${seconds(settings.intervalMs)}`
      : 'read the status once'
  log.info(`Checking ${what} in Atlas project ${settings.projectId}: ${waiting}.`)
  core.startGroup('Settings')
  log.info(`API: ${settings.baseUrl} (${settings.api})${proxy ? ` through proxy ${proxy}` : ''}`)
  log.info(
    auth.kind === 'api-key'
      ? `Signed in with an API key: public key ${auth.publicId}; private key masked`
      : `Signed in with a service account: client ID ${auth.publicId}; secret and tokens masked`
  )
  log.info(`wait-for: ${settings.waitFor.join(', ') || '(none: read once)'}`)
  log.info(`fail-on: ${settings.failOn.join(', ') || '(none)'}`)
  log.info(
    `Deadline ${seconds(settings.timeoutMs)}; interval ${seconds(settings.intervalMs)}; request timeout ${seconds(settings.requestTimeoutMs)}; up to ${settings.maxRetries} retries in a row`
  )
  core.endGroup()
}

/**
 * SIGTERM and SIGINT (a cancelled job) abort whatever is in flight, so that the run still
 * signs out and writes its outputs and summary, instead of dying silently mid-wait.
 */
function listenForCancellation(): { signal: AbortSignal; stop: () => void } {
  const controller = new AbortController()
  const onSignal = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) process.exit(1) // a second signal: stop now
    controller.abort(new CancelledError(signal))
  }
  process.on('SIGTERM', onSignal)
  process.on('SIGINT', onSignal)
  return {
    signal: controller.signal,
    stop: () => {
      process.off('SIGTERM', onSignal)
      process.off('SIGINT', onSignal)
    }
  }
}

/** Writes the job summary when the runner provides the file; a failed write is only a warning. */
export async function writeSummary(html: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  try {
    await core.summary.addRaw(html).write()
  } catch (error) {
    core.warning(`Could not write the job summary: ${(error as Error).message}`)
  }
}
