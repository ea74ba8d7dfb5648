import { getProxyUrl } from '@actions/http-client'
import type { LookupFunction } from 'node:net'
import type { FetchLike } from './http.js'

/**
 * Runner proxies. Node's global fetch ignores HTTPS_PROXY / HTTP_PROXY / NO_PROXY, so on a
 * self-hosted runner that reaches the internet only through a proxy, Atlas would be out of
 * reach. The decision "proxy or not" is @actions/http-client's own (`getProxyUrl`), so this
 * action agrees with the rest of the toolkit: lower- and upper-case variables, NO_PROXY entries
 * as host names, `.domain` suffixes, `host:port` and `*`, and loopback hosts never proxied.
 */

/** Options for the socket to the target (tests use them to trust a test CA and resolve names). */
export interface ConnectOptions {
  ca?: string
  lookup?: LookupFunction
}

export interface ProxyChoice {
  fetch: FetchLike
  /** The proxy in use, without credentials, for the log; undefined when going direct. */
  proxy?: string
}

const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY']

/**
 * Picks how to reach `target`. Without proxy variables this is the global fetch, and undici
 * is not even loaded (it costs start-up time every run). With them, undici's own fetch and
 * dispatcher are used together, so that their versions always match.
 */
export async function chooseFetch(target: string, connect?: ConnectOptions): Promise<ProxyChoice> {
  const anyProxy = PROXY_VARIABLES.some(name => (process.env[name] ?? '') !== '')
  if (!anyProxy && connect === undefined) return { fetch: globalThis.fetch }

  const undici = await import('undici')
  const proxyUrl = anyProxy ? getProxyUrl(target) : ''
  if (proxyUrl === '') {
    const agent = new undici.Agent({ connect })
    return { fetch: withDispatcher(undici.fetch, agent) }
  }
  const proxy = new URL(proxyUrl)
  const credentials =
    proxy.username !== ''
      ? `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}`
      : undefined
  const shown = `${proxy.protocol}//${proxy.host}`
  const agent = new undici.ProxyAgent({
    uri: shown,
    token: credentials,
    requestTls: connect
  })
  return { fetch: withDispatcher(undici.fetch, agent), proxy: shown }
}

function withDispatcher(fetch: unknown, dispatcher: unknown): FetchLike {
  // undici's fetch and the global one differ only in types; the request is the same.
  const send = fetch as FetchLike
  return (url, init) => send(url, { ...init, dispatcher } as RequestInit)
}
