import * as core from '@actions/core'
import { AtlasClient } from './atlas/client.js'
import { signIn } from './auth/sign-in.js'
import { DELETED } from './common/clouds.js'
import { Deadline, systemClock } from './common/clock.js'
import { listenForCancellation } from './common/cancellation.js'
import { InputError, ProxyConfigError } from './common/errors.js'
import { escapeForSummary } from './common/text.js'
import { chooseFetch, maskProxyPasswords, type ProxyChoice } from './http/proxy.js'
import { maskSecrets, readSettings, runnerInputs, type Settings } from './inputs/inputs.js'
import { summaryLinks } from './report/links.js'
import { describeRun } from './report/run-log.js'
import { stepOutputs } from './report/outputs.js'
import { createSinks } from './report/sinks.js'
import { renderInputErrorSummary, renderSummary } from './report/summary.js'
import { checkEndpoints } from './wait/check.js'
import type { ClusterWatch } from './wait/clusters.js'
import type { Authenticator } from './auth/authenticator.js'
import { ReadScheduler } from './wait/scheduler.js'
import type { WaitResult } from './wait/wait.js'

/**
 * Every line, output and summary goes through here (report/sinks.ts): credentials redacted,
 * bidi controls shown, and no line the runner could obey as a command.
 */
const sinks = createSinks()
const { log, fail } = sinks

/**
 * One run of the action: mask the secrets, validate inputs, sign in, read the endpoints (and
 * wait for the status asked for), sign out, then report: outputs, job summary, pass or fail.
 */
export async function run(): Promise<void> {
  const startedAt = systemClock.now()
  maskSecrets(runnerInputs, sinks.mask)
  maskProxyPasswords(process.env, sinks.mask)
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
    // Straight to Atlas, in a run that checks more than once: an API key's Digest sessions may
    // pipeline (a proxy keeps node:http). A read-once run never loads the pipelined path: its
    // 300 KB chunk and the WebAssembly parser it compiles would cost more than they save.
    direct: route.proxy === undefined && settings.waitFor.length > 0 ? {} : undefined,
    deadline,
    signal: cancel.signal,
    clock: systemClock,
    mask: sinks.mask,
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
  const clusters = settings.clusterNames.length > 0 ? await watchTheClusters(settings, auth) : undefined
  let result: WaitResult
  try {
    result = await checkEndpoints({
      ...settings,
      atlas,
      scheduler,
      clusters,
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
    // A second SIGTERM/SIGINT abandons the revoke; outputs and the summary are still written.
    await auth.close(cancel.abandon)
  }

  const elapsedMs = deadline.elapsed()
  sinks.setOutputs(stepOutputs(result, elapsedMs) ?? {})
  if (settings.summary) {
    const credential = `${auth.kind === 'api-key' ? 'API key' : 'service account'} ${auth.publicId}`
    const closeNote = auth.closeNote ? `<p>${escapeForSummary(auth.closeNote)}</p>\n` : ''
    await writeSummary(
      renderSummary({
        ...settings,
        credential,
        credentialKind: auth.kind,
        result,
        elapsedMs,
        links: summaryLinks(settings)
      }) + closeNote
    )
  }
  conclude(result)
  cancel.stop()
}

/**
 * The clusters cluster-name names, read through the run's credential. Loaded only then: a run
 * without clusters never loads their reader, parser and judge.
 */
async function watchTheClusters(settings: Settings, auth: Authenticator): Promise<ClusterWatch> {
  const { createClusterWatch } = await import('./wait/cluster-watch.js')
  const { watch, reader } = createClusterWatch({
    ...settings,
    names: settings.clusterNames,
    send: (url, init) => auth.send(url, init),
    credentialKind: auth.kind,
    now: systemClock.now,
    log
  })
  if (reader.movedToV2)
    log.info(
      `The clusters are read from ${reader.root}: the v1.0 API has no cluster resource with private-endpoint connection strings.`
    )
  return watch
}

/** The last line of the log: the answer, and a failed step when the deploy should not go on. */
function conclude(result: WaitResult): void {
  if (result.outcome === 'reached' || result.outcome === 'reported') log.info(result.message)
  else fail(result.message)
}

/** Writes the job summary when the runner provides the file; a failed write is only a warning. */
export async function writeSummary(html: string): Promise<void> {
  await sinks.writeSummary(html)
}

/** Fails the step through the sinks (redacted, inert), for the one catch in index.ts. */
export function failStep(message: string): void {
  sinks.fail(message)
}
