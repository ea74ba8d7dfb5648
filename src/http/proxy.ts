import type { LookupFunction } from 'node:net'
import type { FetchLike } from './transport.js'
import { ProxyConfigError } from '../common/errors.js'
import { createNodeHttpFetch, nodeHttpFetch } from './node-http.js'

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
  servername?: string
}

export interface ProxyChoice {
  fetch: FetchLike
  /** The proxy in use, without credentials, for the log; undefined when going direct. */
  proxy?: string
}

/** The proxy a request goes through, and where that was set. */
export interface ProxySetting {
  url: URL
  /** The variable it came from, as spelled in the environment: `HTTPS_PROXY`, `https_proxy`... */
  variable: string
  /** `scheme://host:port`, without credentials: safe to log. */
  shown: string
  /** `http://proxy:3128 (HTTPS_PROXY)`, for messages. */
  label: string
}

type Environment = Record<string, string | undefined>

const ACCEPTED =
  'Accepted: http://[user:password@]host:port (or https:// for a proxy spoken to over TLS), with special characters in the user and password percent-encoded (@ as %40, % as %25, : as %3A)'

/** The proxy to reach `target` through, or undefined to go direct. Throws ProxyConfigError. */
export function proxyFor(target: string, env: Environment = process.env): URL | undefined {
  return proxySettingFor(target, env)?.url
}

/**
 * The proxy setting that applies to `target`, or undefined to go direct. A variable that
 * applies but cannot be used throws ProxyConfigError: connecting directly instead would go
 * past the proxy the runner's owner set, and usually fail later with a less clear message.
 */
export function proxySettingFor(target: string, env: Environment = process.env): ProxySetting | undefined {
  const url = new URL(target)
  const names = url.protocol === 'https:' ? ['https_proxy', 'HTTPS_PROXY'] : ['http_proxy', 'HTTP_PROXY']
  const variable = names.find(name => env[name])
  if (variable === undefined || bypassesProxy(url, env.no_proxy || env.NO_PROXY || '')) return undefined
  return parseProxy(variable, env[variable] as string)
}

function parseProxy(variable: string, value: string): ProxySetting {
  const fail = (problem: string): ProxyConfigError =>
    new ProxyConfigError(
      `The proxy variable ${variable} cannot be used: ${problem}. ${ACCEPTED}. Fix ${variable}, or list the API host in NO_PROXY to connect directly.`
    )
  const text = value.trim()
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)?.[1].toLowerCase()
  if (scheme !== undefined && scheme !== 'http' && scheme !== 'https') {
    throw fail(`its scheme is ${scheme}://, which this action does not support`)
  }
  let url: URL
  try {
    url = new URL(scheme === undefined ? `http://${text}` : text)
  } catch {
    // Not echoed: the value may hold a password.
    throw fail('it is not a valid URL')
  }
  if (url.hostname === '') throw fail('it has no host name')
  const shown = `${url.protocol}//${url.host}`
  try {
    decodeURIComponent(url.username)
    decodeURIComponent(url.password)
  } catch {
    throw fail(
      `the user or password in it (proxy ${shown}) has a % that does not start a percent-encoded character (%XX); write a % in a password as %25`
    )
  }
  return { url, variable, shown, label: `${shown} (${variable})` }
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
 * Picks how to reach `target`: node:http either way. Through a proxy, requests go in a CONNECT
 * tunnel (https-proxy-agent, loaded only then, so that a direct run does not pay for it);
 * http targets are tunnelled too, as the Atlas API is https and tunnels are what proxies in
 * front of runners are set up for. Throws ProxyConfigError for a proxy variable that applies
 * but cannot be used.
 */
export async function chooseFetch(target: string, connect?: ConnectOptions): Promise<ProxyChoice> {
  const proxy = proxySettingFor(target)
  if (proxy === undefined) {
    return { fetch: connect === undefined ? nodeHttpFetch : createNodeHttpFetch({ socket: connect }) }
  }
  const { tunnelAgent } = await import('./tunnel.js')
  return {
    fetch: createNodeHttpFetch({ agent: tunnelAgent(proxy), proxy: proxy.label, socket: connect }),
    proxy: proxy.shown
  }
}

/**
 * Registers the password of every proxy variable with the runner's masking, decoded and as
 * written, and the Basic credential made of it, before anything is logged: no message shows
 * them, and this makes sure of it.
 */
export function maskProxyPasswords(env: Environment, mask: (secret: string) => void): void {
  for (const name of ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY']) {
    // The user-info ends at the last '@', whatever the password holds ('/', '@', '%'...).
    const value = (env[name] ?? '').replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    const userInfo = value.includes('@') ? value.slice(0, value.lastIndexOf('@')) : ''
    const password = userInfo.includes(':') ? userInfo.slice(userInfo.indexOf(':') + 1) : ''
    if (password === '') continue
    mask(password)
    try {
      const decoded = decodeURIComponent(password)
      if (decoded !== password) mask(decoded)
      // The Proxy-Authorization value the tunnel sends (tunnel.ts), as the proxy may echo it:
      // base64 of "user:password" is the password to anyone who decodes it.
      const text = (env[name] ?? '').trim()
      const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`)
      const basic = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`
      mask(Buffer.from(basic).toString('base64'))
    } catch {
      // Malformed percent-encoding or URL: the variable is refused later, with a message that never shows it.
    }
  }
}
