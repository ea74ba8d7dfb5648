import { CancelledError } from './errors.js'

export interface Cancellation {
  /** Aborted by the first SIGTERM or SIGINT: whatever is in flight stops. */
  signal: AbortSignal
  /**
   * Aborted by a second signal: clean-up still under way (the revoke of the access token) is
   * abandoned, so that the outputs and the summary are written before the runner gives up.
   */
  abandon: AbortSignal
  stop: () => void
}

/**
 * SIGTERM and SIGINT (a cancelled job) abort whatever is in flight, so that the run still
 * signs out and writes its outputs and summary, instead of dying silently mid-wait. A second
 * signal abandons the sign-out; a third ends the process at once.
 */
export function listenForCancellation(): Cancellation {
  const controller = new AbortController()
  const abandon = new AbortController()
  const onSignal = (signal: NodeJS.Signals): void => {
    if (abandon.signal.aborted) process.exit(1) // a third signal: stop now
    if (controller.signal.aborted) abandon.abort(new CancelledError(signal))
    else controller.abort(new CancelledError(signal))
  }
  process.on('SIGTERM', onSignal)
  process.on('SIGINT', onSignal)
  return {
    signal: controller.signal,
    abandon: abandon.signal,
    stop: () => {
      process.off('SIGTERM', onSignal)
      process.off('SIGINT', onSignal)
    }
  }
}
