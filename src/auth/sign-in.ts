import { Deadline, type Clock } from '../common/clock.js'
import type { Log } from '../common/log.js'
import { createTransport, type FetchLike, type Send } from '../http/transport.js'
import type { ConnectOptions } from '../http/proxy.js'
import type { Credentials } from '../inputs/inputs.js'
import type { Authenticator } from './authenticator.js'
import type { PipelinedSend } from './api-key.js'

export interface SignInOptions {
  credentials: Credentials
  baseUrl: string
  requestTimeoutMs: number
  /** How bytes are sent (direct or through the proxy). */
  fetch: FetchLike
  deadline: Deadline
  /** Aborted when the job is cancelled. */
  signal: AbortSignal
  clock: Clock
  /** Registers a secret with the runner's masking (each access token, the moment it arrives). */
  mask: (secret: string) => void
  log: Log
  /** Every request of the run waits here first (a 429's pause) and reports its rate-limit headers back. */
  gate?: RequestGate
  /**
   * Set when requests go straight to Atlas (no proxy): an API key's Digest sessions may then
   * carry 2 requests each on a connection of their own (HTTP/1.1 pipelining, src/http/pipeline.ts).
   * `connect`: socket options for those connections (tests: a CA to trust, a name resolver).
   */
  direct?: { connect?: ConnectOptions }
}

/** What the run's read scheduler offers the transport (src/wait/scheduler.ts). */
export interface RequestGate {
  gate(signal?: AbortSignal): Promise<void>
  observe(headers: { get(name: string): string | null }): void
}

/**
 * The credential the inputs name, as the one way every request of this run is signed; the
 * rest of the run never asks which kind it is. Each kind is imported only when chosen (the
 * bundler makes a chunk of each), so that a run does not load, parse and evaluate the other
 * kind's code: Digest and its hashing for a service account, OAuth for an API key.
 */
export async function signIn(options: SignInOptions): Promise<Authenticator> {
  const { credentials, fetch, log, gate } = options
  const transportOver = (over: FetchLike): Send =>
    createTransport({
      fetch: over,
      requestTimeoutMs: options.requestTimeoutMs,
      deadline: options.deadline,
      signal: options.signal,
      onRequest: ({ method, url, status, ms }) =>
        log.debug(`${method} ${url} → HTTP ${status} in ${Math.round(ms)} ms`)
    })
  const transport = transportOver(fetch)
  if (credentials.kind === 'api-key') {
    const { ApiKeyAuthenticator } = await import('./api-key.js')
    // The Digest client waits at the gate itself, before it signs each request: two requests
    // of one session held there must still be counted (nc) in the order they go out.
    const hooks = gate
      ? {
          gate: () => gate.gate(options.signal),
          observe: (headers: { get(name: string): string | null }) => gate.observe(headers)
        }
      : undefined
    const direct = options.direct
    return new ApiKeyAuthenticator({
      ...credentials,
      send: transport,
      gate: hooks,
      ...(direct ? { pipeline: pipelineLoader(transportOver, direct.connect) } : {})
    })
  }
  // Below the authenticator, so that a request waiting for a token still waits at the gate
  // when a 429 has closed it.
  const send: Send = gate
    ? async (url, init) => {
        await gate.gate(options.signal)
        const response = await transport(url, init)
        gate.observe(response.headers)
        return response
      }
    : transport
  const { ServiceAccountAuthenticator } = await import('./service-account.js')
  // The revoke must go out even after a cancellation or at the deadline: its own 2 s budget.
  const revokeSend = createTransport({
    fetch,
    requestTimeoutMs: 2_000,
    timeoutName: 'the fixed limit for revoking a token',
    deadline: new Deadline(options.clock, options.clock.now(), Number.POSITIVE_INFINITY),
    signal: new AbortController().signal
  })
  return new ServiceAccountAuthenticator({
    ...credentials,
    origin: new URL(options.baseUrl).origin,
    send,
    revokeSend,
    mask: options.mask,
    log,
    now: () => options.clock.now()
  })
}

/**
 * What an API key's authenticator calls to load pipelined connections (src/http/pipeline.ts,
 * a chunk of its own, with undici's Client): one connection per Digest session, each behind the
 * run's transport (timeouts, deadline, cancellation, size cap).
 */
export function pipelineLoader(
  transportOver: (fetch: FetchLike) => Send,
  connect?: ConnectOptions
): () => Promise<(origin: string) => PipelinedSend> {
  return async () => {
    const { openPipelinedConnection } = await import('../http/pipeline.js')
    return origin => {
      const connection = openPipelinedConnection(origin, connect)
      return {
        send: transportOver(connection.fetch),
        stats: connection.stats,
        get depth() {
          return connection.depth
        },
        close: () => connection.close()
      }
    }
  }
}
