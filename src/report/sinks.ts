import { debug, info, setFailed, setOutput, setSecret, warning } from '@actions/core'
import type { Log } from '../common/log.js'
import { redact, registerSecret } from '../common/redact.js'
import { inertLine, inertLines } from '../common/text.js'
import { appendOutput, appendSummary } from './runner-files.js'

/**
 * The only ways anything leaves the action: the log, annotations, outputs and the job summary.
 * Each redacts the run's credentials first; the log and annotations are also made inert, so
 * that no line of the step's log the action did not mean as a command can be one, whatever
 * reached the message (IDs, statuses, Atlas's text, headers).
 */
export interface Sinks {
  log: Log
  /** Fails the step with this message (an `::error::` annotation). */
  fail(message: string): void
  /** Registers a credential: redacted from every message here, and masked by the runner. */
  mask(secret: string): void
  setOutputs(outputs: Record<string, string>): void
  /** Writes the job summary when the runner provides the file; a failed write is only a warning. */
  writeSummary(html: string): Promise<void>
}

/** The part of @actions/core the sinks use (a recorder in unit tests). */
export interface RunnerCore {
  info: typeof info
  warning: typeof warning
  debug: typeof debug
  setFailed: typeof setFailed
  setSecret: typeof setSecret
  /** An output outside a runner (no GITHUB_OUTPUT): the `::set-output` command. */
  setOutput: typeof setOutput
  /** Appends an output to the runner's output file (GITHUB_OUTPUT). */
  appendOutput(file: string, name: string, value: string): void
  /** Appends to the job summary file (GITHUB_STEP_SUMMARY). */
  appendSummary(file: string, html: string): Promise<void>
}

/**
 * The runner's side, function by function: naming the whole @actions/core namespace as a value
 * would keep all of it in the bundle (its OIDC client brings undici, about 500 KB).
 */
const RUNNER: RunnerCore = {
  info,
  warning,
  debug,
  setFailed,
  setSecret,
  setOutput,
  appendOutput,
  appendSummary
}

export function createSinks(runner: RunnerCore = RUNNER, env: NodeJS.ProcessEnv = process.env): Sinks {
  const warning = (message: string, title?: string): void =>
    runner.warning(inertLines(message), title ? { title: inertLine(title) } : {})
  return {
    log: {
      // core.info writes the line as it is: it must be one inert line.
      info: message => runner.info(inertLine(message)),
      warning,
      debug: message => runner.debug(inertLine(message))
    },
    fail: message => runner.setFailed(inertLines(message)),
    mask: secret => {
      registerSecret(secret)
      runner.setSecret(secret)
    },
    setOutputs: outputs => {
      const file = env.GITHUB_OUTPUT
      for (const [name, value] of Object.entries(outputs)) {
        if (file) runner.appendOutput(file, name, redact(value))
        else runner.setOutput(name, redact(value))
      }
    },
    writeSummary: async html => {
      const file = env.GITHUB_STEP_SUMMARY
      if (!file) return
      try {
        await runner.appendSummary(file, redact(html))
      } catch (error) {
        warning(`Could not write the job summary: ${(error as Error).message}`)
      }
    }
  }
}
