import { CancelledError } from './errors.js'

/**
 * SIGTERM and SIGINT (a cancelled job) abort whatever is in flight, so that the run still
 * signs out and writes its outputs and summary, instead of dying silently mid-wait.
 */
export function listenForCancellation(): { signal: AbortSignal; stop: () => void } {
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
