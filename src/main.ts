import * as core from '@actions/core'
import { context } from '@actions/github'
import { AtlasClient } from './atlas/client.js'
import { Deadline, systemClock } from './common/clock.js'
import { CancelledError, InputError } from './common/errors.js'
import { seconds } from './common/text.js'
import { createTransport } from './http/transport.js'
import { maskSecrets, readSettings, runnerInputs, type Settings } from './inputs/inputs.js'
import { endpointOutputs } from './report/outputs.js'
import { chooseFetch } from './http/proxy.js'
import { renderInputErrorSummary, renderSummary } from './report/summary.js'
import { waitForStatus, type WaitResult } from './wait/wait.js'

const log = {
  info: (message: string) => core.info(message),
  warning: (message: string, title?: string) => core.warning(message, title ? { title } : {}),
  debug: (message: string) => core.debug(message)
}

/**
 * One run of the action: mask the key, validate inputs, read the endpoint (and wait for the
 * status asked for), then report: outputs, job summary, and pass or fail.
 */
export async function run(): Promise<void> {
  const startedAt = systemClock.now()
  maskSecrets(runnerInputs, secret => core.setSecret(secret))
  const cancel = listenForCancellation()

  let settings: Settings
  try {
    settings = readSettings(runnerInputs)
  } catch (error) {
    if (!(error instanceof InputError)) throw error
    if (error.writeSummary) await writeSummary(renderInputErrorSummary(error.problems))
    core.setFailed(error.message)
    return
  }

  const deadline = new Deadline(systemClock, startedAt, settings.timeoutMs)
  const atlasFetch = await chooseFetch(settings.baseUrl)
  describeSettings(settings, atlasFetch.proxy)

  const atlas = new AtlasClient({
    ...settings,
    log,
    now: systemClock.now,
    fetch: createTransport({
      fetch: atlasFetch.fetch,
      requestTimeoutMs: settings.requestTimeoutMs,
      deadline,
      signal: cancel.signal,
      onRequest: ({ method, url, status, ms }) =>
        core.debug(`${method} ${url} → HTTP ${status} in ${Math.round(ms)} ms`)
    })
  })

  const result = await waitForStatus({
    ...settings,
    read: () => atlas.readEndpoint(),
    clock: systemClock,
    deadline,
    signal: cancel.signal,
    random: Math.random,
    log
  })
  cancel.stop()

  const elapsedMs = deadline.elapsed()
  if (result.last) {
    for (const [name, value] of Object.entries(endpointOutputs(result.last, result.attempts, elapsedMs))) {
      core.setOutput(name, value)
    }
  }
  if (settings.summary) {
    await writeSummary(renderSummary({ ...settings, result, elapsedMs, runUrl: runUrl() }))
  }
  conclude(result)
}

/** The last line of the log: the answer, and a failed step when the deploy should not go on. */
function conclude(result: WaitResult): void {
  if (result.outcome === 'reached' || result.outcome === 'reported') {
    core.info(result.message)
  } else {
    core.setFailed(result.message)
  }
}

function describeSettings(settings: Settings, proxy: string | undefined): void {
  const waiting =
    settings.waitFor.length > 0
      ? `wait up to ${seconds(settings.timeoutMs)} for ${settings.waitFor.join(' or ')}, checking every ${seconds(settings.intervalMs)}`
      : 'read the status once'
  core.info(
    `Checking AWS interface endpoint ${settings.interfaceEndpointId} of private link ${settings.privateLinkId} in Atlas project ${settings.projectId}: ${waiting}.`
  )
  core.startGroup('Settings')
  core.info(`API: ${settings.baseUrl}${proxy ? ` (through proxy ${proxy})` : ''}`)
  core.info(`Public key: ${settings.publicKey}; private key: masked`)
  core.info(`wait-for: ${settings.waitFor.join(', ') || '(none: read once)'}`)
  core.info(`fail-on: ${settings.failOn.join(', ') || '(none)'}`)
  core.info(
    `Deadline ${seconds(settings.timeoutMs)}; interval ${seconds(settings.intervalMs)}; request timeout ${seconds(settings.requestTimeoutMs)}; up to ${settings.maxRetries} retries in a row`
  )
  core.endGroup()
}

/**
 * SIGTERM and SIGINT (a cancelled job) abort whatever is in flight, so that the run still
 * writes its outputs and summary and exits, instead of dying silently mid-wait.
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
async function writeSummary(html: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  try {
    await core.summary.addRaw(html).write()
  } catch (error) {
    core.warning(`Could not write the job summary: ${(error as Error).message}`)
  }
}

/** A link to this workflow run for the summary; none when run outside Actions. */
function runUrl(): string | undefined {
  // context.repo throws without GITHUB_REPOSITORY.
  if (!process.env.GITHUB_REPOSITORY || !context.runId) return undefined
  const { owner, repo } = context.repo
  return `${context.serverUrl}/${owner}/${repo}/actions/runs/${context.runId}`
}
