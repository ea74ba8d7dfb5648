/**
 * Nothing in the tests may reach beyond loopback. Every TCP connection made while a test
 * runs (global fetch, undici, node:http alike) goes through net.Socket#connect: refuse any
 * target that is not a loopback address, unless the test resolves the name itself (a custom
 * `lookup` that it controls).
 */
import net from 'node:net'

const LOOPBACK = /^(127(\.\d{1,3}){3}|::1|localhost|::ffff:127(\.\d{1,3}){3})$/i
const marker = Symbol.for('atlas-action.loopback-only')
const proto = net.Socket.prototype as unknown as Record<symbol, unknown> & {
  connect: (...args: unknown[]) => net.Socket
}

if (!proto[marker]) {
  const connect = proto.connect
  proto[marker] = true
  proto.connect = function (this: net.Socket, ...args: unknown[]) {
    const first = args[0]
    const options = (Array.isArray(first) ? first[0] : first) as
      { host?: string; path?: string; lookup?: unknown } | number | string
    if (typeof options === 'object' && options !== null && options.path === undefined) {
      const host = options.host ?? 'localhost'
      if (!LOOPBACK.test(host) && typeof options.lookup !== 'function') {
        throw new Error(`A test tried to connect to ${host}, beyond loopback. Tests stay on 127.0.0.1.`)
      }
    }
    return connect.apply(this, args)
  }
}
