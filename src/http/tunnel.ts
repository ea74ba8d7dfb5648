import http from 'node:http'
import type net from 'node:net'
import { HttpsProxyAgent } from 'https-proxy-agent'
import { ProxyFailure } from './transport.js'

/**
 * The CONNECT tunnel through a runner's proxy: https-proxy-agent's agent for node:http, with
 * every way the proxy can fail turned into a ProxyFailure that names the proxy. This module
 * (and https-proxy-agent with it) is loaded only when a proxy applies.
 *
 * One CONNECT per connection, and no reconnecting on its own: a proxy that drops the CONNECT
 * costs one connection per try (undici's ProxyAgent reconnected in a tight loop, thousands of
 * times a second). With keep-alive, one tunnel serves every poll of a run.
 */

export interface TunnelProxy {
  url: URL
  /** The proxy and its variable, without credentials: `http://proxy:3128 (HTTPS_PROXY)`. */
  label: string
  variable: string
}

type ConnectOptions = Parameters<HttpsProxyAgent<string>['connect']>[1] & { tunnelSignal?: AbortSignal }

const PERCENT_ENCODING = 'percent-encoding special characters (@ as %40, % as %25, : as %3A)'

class TunnelAgent extends HttpsProxyAgent<string> {
  private readonly proxyConnectOptions: HttpsProxyAgent<string>['connectOpts']

  constructor(private readonly setting: TunnelProxy) {
    // The agent gets the URL without credentials, and the credentials as a header: it logs its
    // URL when DEBUG=https-proxy-agent is set, and a password must never reach a log.
    super(withoutCredentials(setting.url), { keepAlive: true, headers: authorization(setting.url) })
    this.proxyConnectOptions = { ...this.connectOpts }
  }

  override async connect(request: http.ClientRequest, options: ConnectOptions): Promise<net.Socket> {
    // The socket to the proxy is opened inside super.connect; a signal is the only handle on
    // it, so that a request aborted before the proxy answers does not leave it open.
    const abandoned = new AbortController()
    const abandon = (): void => abandoned.abort()
    const { tunnelSignal } = options
    if (tunnelSignal?.aborted) abandon()
    else tunnelSignal?.addEventListener('abort', abandon, { once: true })
    let answer: number | undefined
    const onAnswer = (connect: { statusCode: number }): void => {
      answer = connect.statusCode
    }
    request.once('proxyConnect', onAnswer)
    this.connectOpts = { ...this.proxyConnectOptions, signal: abandoned.signal }
    try {
      const socket = await super.connect(request, options)
      if (answer !== 200) {
        // https-proxy-agent would replay the proxy's answer as if the target had sent it.
        socket.destroy()
        throw this.refusal(answer ?? 0, `${options.host}:${options.port}`)
      }
      return socket
    } catch (error) {
      throw this.failure(error, abandoned.signal.aborted)
    } finally {
      tunnelSignal?.removeEventListener('abort', abandon)
      request.off('proxyConnect', onAnswer)
    }
  }

  /** The proxy answered the CONNECT with something other than 200. */
  private refusal(status: number, target: string): ProxyFailure {
    const { label, variable, url } = this.setting
    const answered = `HTTP ${status} ${http.STATUS_CODES[status] ?? ''}`.trim()
    if (status === 407) {
      const problem =
        url.username !== ''
          ? `the proxy refused the credentials in ${variable} (${answered}); check the user and password in the proxy URL, ${PERCENT_ENCODING}`
          : `the proxy asked for credentials (${answered}); put them in the proxy URL in ${variable}: http://user:password@proxy:port, ${PERCENT_ENCODING}`
      return new ProxyFailure(label, problem, false)
    }
    if (status >= 500) {
      return new ProxyFailure(
        label,
        `the proxy answered the CONNECT request to ${target} with ${answered}`,
        true
      )
    }
    return new ProxyFailure(
      label,
      `the proxy refused the CONNECT request to ${target} with ${answered}; ask its administrators to allow it`,
      false
    )
  }

  /** The connection to the proxy failed before it answered the CONNECT. */
  private failure(error: unknown, abandoned: boolean): ProxyFailure {
    const { label } = this.setting
    if (error instanceof ProxyFailure) return error
    if (abandoned) return new ProxyFailure(label, 'the proxy did not answer the CONNECT request', true, true)
    const { code = '', message = String(error) } = error as { code?: string; message?: string }
    const problem = PROXY_ERRORS[code]
    if (problem) return new ProxyFailure(label, `${problem} (${code})`, true)
    if (/CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS|HOSTNAME_MISMATCH/.test(code)) {
      return new ProxyFailure(
        label,
        `the proxy's TLS certificate was not trusted (${code}); point NODE_EXTRA_CA_CERTS at its CA certificate`,
        false
      )
    }
    if (/ended before receiving CONNECT response/.test(message)) {
      return new ProxyFailure(
        label,
        'the proxy closed the connection without answering the CONNECT request',
        true
      )
    }
    return new ProxyFailure(
      label,
      `the connection to the proxy failed: ${message}${code ? ` (${code})` : ''}`,
      true
    )
  }
}

const PROXY_ERRORS: Record<string, string> = {
  ECONNREFUSED:
    'the proxy refused the connection: check the host and port of the proxy, and that it is running',
  ECONNRESET: 'the proxy reset the connection before answering the CONNECT request',
  EPIPE: 'the proxy closed the connection while the CONNECT request was being sent',
  ETIMEDOUT: 'connecting to the proxy timed out',
  ENOTFOUND: "the proxy's host name could not be resolved (DNS)",
  EAI_AGAIN: "the proxy's host name could not be resolved (DNS, temporary failure)",
  ENETUNREACH: 'the network to the proxy is unreachable',
  EHOSTUNREACH: 'the proxy host is unreachable'
}

function withoutCredentials(url: URL): URL {
  const bare = new URL(url.href)
  bare.username = ''
  bare.password = ''
  return bare
}

/** Basic credentials from the proxy URL, percent-decoded (proxy.ts has checked they decode). */
function authorization(url: URL): Record<string, string> {
  if (url.username === '' && url.password === '') return {}
  const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`
  return { 'Proxy-Authorization': `Basic ${Buffer.from(credentials).toString('base64')}` }
}

/** A keep-alive agent that tunnels every request (https and http targets alike) with CONNECT. */
export function tunnelAgent(setting: TunnelProxy): http.Agent {
  return new TunnelAgent(setting)
}
