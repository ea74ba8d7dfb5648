/**
 * Typed errors thrown by the inner layers. `run()` is the single place that turns them into a
 * failed step; each carries a message a person can act on, and none carries a secret.
 */

/** One or more inputs are malformed. Raised before any request is sent. */
export class InputError extends Error {
  constructor(
    readonly problems: string[],
    /** Whether the `summary` input (when it was valid) asks for a job summary. */
    readonly writeSummary = true
  ) {
    super(
      problems.length === 1
        ? problems[0]
        : `${problems.length} inputs are invalid:\n${problems.map(p => `- ${p}`).join('\n')}`
    )
    this.name = 'InputError'
  }
}

/** Atlas (or something in front of it) answered with an error that retrying will not fix. */
export class AtlasApiError extends Error {
  constructor(
    message: string,
    readonly httpStatus: number,
    readonly errorCode: string | undefined
  ) {
    super(message)
    this.name = 'AtlasApiError'
  }
}

/** A 200 whose body is not the interface-endpoint resource (HTML, truncated JSON, too big...). */
export class ResponseFormatError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ResponseFormatError'
  }
}

/** A failure worth retrying: network error, request timeout, 429 or 5xx. */
export class TransientError extends Error {
  constructor(
    message: string,
    /** Milliseconds the server asked us to wait (Retry-After), when it said so. */
    readonly retryAfterMs?: number,
    /** True for HTTP 429, which Atlas asks clients to back off from in 10 s, 20 s, 40 s steps. */
    readonly rateLimited = false
  ) {
    super(message)
    this.name = 'TransientError'
  }
}

/** Transient failures went on for longer than `max-retries` allows, or past the deadline. */
export class RetriesExhaustedError extends Error {
  constructor(
    message: string,
    readonly lastError: TransientError
  ) {
    super(message)
    this.name = 'RetriesExhaustedError'
  }
}

/** The job was cancelled (SIGTERM or SIGINT) while the step was working. */
export class CancelledError extends Error {
  constructor(signal = 'a cancellation') {
    super(`The step was cancelled (${signal}) before it finished.`)
    this.name = 'CancelledError'
  }
}

/** The deadline (`timeout-seconds`) arrived before a read could succeed. */
export class DeadlineError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'DeadlineError'
  }
}

/** The connection failed in a way retrying will not fix (an untrusted TLS certificate, a proxy refusing us). */
export class ConnectionError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ConnectionError'
  }
}

/** A proxy variable (HTTPS_PROXY, http_proxy...) applies but cannot be used. Raised before any request. */
export class ProxyConfigError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ProxyConfigError'
  }
}

/** `endpoint-id: '*'` and the endpoint service lists no endpoint: nothing to check. */
export class NoEndpointsError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'NoEndpointsError'
  }
}

/** An ID Atlas does not know, next to one it does: most likely a typo in the inputs. */
export class MistypedIdError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'MistypedIdError'
  }
}
