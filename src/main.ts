import * as core from '@actions/core'
import { AtlasClient } from './atlas/client.js'
import { ClusterReader } from './atlas/clusters.js'
import { signIn } from './auth/sign-in.js'
import { DELETED } from './common/clouds.js'
import { Deadline, systemClock } from './common/clock.js'
import { listenForCancellation } from './common/cancellation.js'
import { InputError, ProxyConfigError } from './common/errors.js'
import type { Log } from './common/log.js'
import { showInvisible } from './common/text.js'
import { chooseFetch, maskProxyPasswords, type ProxyChoice } from './http/proxy.js'
import { maskSecrets, readSettings, runnerInputs, type Settings } from './inputs/inputs.js'
import { summaryLinks } from './report/links.js'
import { describeRun } from './report/run-log.js'
import { stepOutputs } from './report/outputs.js'
import { renderInputErrorSummary, renderSummary } from './report/summary.js'
import { checkEndpoints } from './wait/check.js'
import { watchClusters } from './wait/clusters.js'
import { ReadScheduler } from './wait/scheduler.js'
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
  // One scheduler for the run: the reads of a check go through it, and every request waits at
  // its gate (a 429 pauses them all) and tells it Atlas's rate-limit headers.
  const scheduler = new ReadScheduler({ clock: systemClock, log, intervalMs: settings.intervalMs })
  const auth = await signIn({
    gate: scheduler,
    ...settings,
    fetch: route.fetch,
    deadline,
    signal: cancel.signal,
    clock: systemClock,
    mask: secret => core.setSecret(secret),
    log
  })
  const description = describeRun(settings, auth, route.proxy)
  log.info(description.headline)
  core.startGroup('Settings')
  for (const line of description.settings) log.info(line)
  core.endGroup()

  const atlas = new AtlasClient({
    ...settings,
    send: (url, init) => auth.send(url, init),
    credentialKind: auth.kind,
    notFoundIsDeleted: settings.waitFor.includes(DELETED) || settings.failOn.includes(DELETED),
    log,
    now: systemClock.now
  })
  const clusters =
    settings.clusterNames.length > 0
      ? new ClusterReader({
          ...settings,
          send: (url, init) => auth.send(url, init),
          credentialKind: auth.kind,
          now: systemClock.now,
          log
        })
      : undefined
  if (clusters?.movedToV2)
    log.info(
      `The clusters are read from ${clusters.root}: the v1.0 API has no cluster resource with private-endpoint connection strings.`
    )
  let result: WaitResult
  try {
    result = await checkEndpoints({
      ...settings,
      atlas,
      scheduler,
      clusters: clusters ? watchClusters(clusters, settings.clusterNames, settings.cloud) : undefined,
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
      renderSummary({
        ...settings,
        credential,
        credentialKind: auth.kind,
        result,
        elapsedMs,
        links: summaryLinks(settings)
      })
    )
  }
  conclude(result)
}

/** The last line of the log: the answer, and a failed step when the deploy should not go on. */
function conclude(result: WaitResult): void {
  if (result.outcome === 'reached' || result.outcome === 'reported') log.info(result.message)
  else fail(result.message)
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
