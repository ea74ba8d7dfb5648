import type { LookupFunction } from 'node:net'
import type { FetchLike } from './transport.js'
import { nodeHttpFetch } from './node-http.js'

/**
 * Runner proxies. Node's global fetch and node:http ignore HTTPS_PROXY / HTTP_PROXY / NO_PROXY,
 * so on a self-hosted runner that reaches the internet only through a proxy, Atlas would be out
 * of reach. The rules follow @actions/http-client, so that this action agrees with the rest of
 * the toolkit: lower-case variables win over upper-case ones, and NO_PROXY entries are `*`,
 * host names (which also match their subdomains), `.domain` suffixes and `host:port`. Two
 * differences: `*.domain`, which people write expecting it to work, means `.domain`; and
 * loopback hosts are not exempt by themselves: list them in NO_PROXY (most NO_PROXY values
 * do), so that a proxy can be tested against a local server like any other.
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

type Environment = Record<string, string | undefined>

/** The proxy to reach `target` through, or undefined to go direct. */
export function proxyFor(target: string, env: Environment = process.env): URL | undefined {
  const url = new URL(target)
  const variable =
    url.protocol === 'https:' ? env.https_proxy || env.HTTPS_PROXY : env.http_proxy || env.HTTP_PROXY
  if (!variable || bypassesProxy(url, env.no_proxy || env.NO_PROXY || '')) return undefined
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(variable) ? variable : `http://${variable}`)
  } catch {
    return undefined
  }
}

export function bypassesProxy(url: URL, noProxy: string): boolean {
  const host = url.hostname.toLowerCase()
  const port = url.port || (url.protocol === 'https:' ? '443' : '80')
  const candidates = [host, `${host}:${port}`]
  return noProxy
    .split(',')
    .map(entry => entry.trim().toLowerCase())
    .filter(entry => entry !== '')
    .some(entry => {
      if (entry === '*') return true
      const suffix = entry.startsWith('*.') ? entry.slice(1) : entry
      return candidates.some(
        candidate =>
          candidate === suffix || candidate.endsWith(suffix.startsWith('.') ? suffix : `.${suffix}`)
      )
    })
}

/**
 * Picks how to reach `target`. Without a proxy this is node:http (see node-http.ts), and
 * undici is not even loaded. Through a proxy, undici's own fetch and ProxyAgent are used together, so that
 * their versions always match.
 */
export async function chooseFetch(target: string, connect?: ConnectOptions): Promise<ProxyChoice> {
  const proxy = proxyFor(target)
  if (proxy === undefined && connect === undefined) return { fetch: nodeHttpFetch }

  const undici = await import('undici')
  if (proxy === undefined) {
    return { fetch: withDispatcher(undici.fetch, new undici.Agent({ connect })) }
  }
  const shown = `${proxy.protocol}//${proxy.host}`
  const token =
    proxy.username !== ''
      ? `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}`
      : undefined
  const agent = new undici.ProxyAgent({ uri: shown, token, requestTls: connect })
  return { fetch: withDispatcher(undici.fetch, agent), proxy: shown }
}

function withDispatcher(fetch: unknown, dispatcher: unknown): FetchLike {
  // undici's fetch and the global one differ only in types; the request is the same.
  const send = fetch as unknown as FetchLike
  return (url, init) => send(url, { ...init, dispatcher } as RequestInit)
}
