/**
 * A minimal forward proxy that speaks HTTP CONNECT, like the corporate proxies in front of
 * self-hosted runners. It resolves every host name to 127.0.0.1, so a test can address the
 * stand-in as `atlas.test` and be sure the request went through the proxy: nothing else
 * could resolve that name.
 *
 * It can also misbehave the ways real proxies do: drop the CONNECT without answering, answer
 * it late, refuse it with a status (407 asks for credentials), or require credentials. It
 * counts every connection and every CONNECT it receives, so a test can bound how hard a
 * client hammers it.
 */
import http from 'node:http'
import https from 'node:https'
import net, { type AddressInfo } from 'node:net'

export interface ConnectProxyOptions {
  /** `tunnel` (the default) answers 200 and relays; `drop` reads the CONNECT and closes without answering. */
  mode?: 'tunnel' | 'drop'
  /** Wait this long before answering (or dropping) each CONNECT. */
  delayMs?: number
  /** Answer every CONNECT with this status instead of tunnelling (407 adds Proxy-Authenticate). */
  status?: number
  /** Require these credentials (Basic); a CONNECT without them is answered 407. */
  credentials?: { user: string; password: string }
  /** Speak TLS to clients (an `https://` proxy), with this key and certificate. */
  tls?: { key: string; cert: string }
}

export class ConnectProxy {
  /** `host:port` of each CONNECT seen, in order. */
  readonly tunnels: string[] = []
  /** Proxy-Authorization headers seen (tests check credentials are passed). */
  readonly authorizations: (string | undefined)[] = []
  /** TCP connections accepted, whatever was sent on them. */
  connections = 0
  private readonly server: http.Server
  private readonly sockets = new Set<net.Socket>()
  private readonly timers = new Set<NodeJS.Timeout>()

  constructor(private readonly options: ConnectProxyOptions = {}) {
    const onlyTunnels = (_request: http.IncomingMessage, response: http.ServerResponse): void => {
      response.writeHead(405).end('This proxy only tunnels (CONNECT).')
    }
    this.server = options.tls ? https.createServer(options.tls, onlyTunnels) : http.createServer(onlyTunnels)
    this.server.on('connection', (socket: net.Socket) => {
      this.connections += 1
      this.track(socket)
    })
    this.server.on('connect', (request: http.IncomingMessage, client: net.Socket, head: Buffer) => {
      this.tunnels.push(request.url ?? '')
      this.authorizations.push(request.headers['proxy-authorization'])
      this.track(client)
      // A client that gives up while the CONNECT waits for its answer: close our side too.
      const giveUp = (): void => void client.destroy()
      client.once('end', giveUp)
      const answer = (): void => {
        client.off('end', giveUp)
        this.answer(request, client, head)
      }
      if (!this.options.delayMs) return answer()
      const timer = setTimeout(() => {
        this.timers.delete(timer)
        answer()
      }, this.options.delayMs)
      this.timers.add(timer)
    })
  }

  private answer(request: http.IncomingMessage, client: net.Socket, head: Buffer): void {
    if (client.destroyed) return
    const { mode = 'tunnel', status, credentials } = this.options
    if (mode === 'drop') {
      client.end()
      return
    }
    if (credentials) {
      const expected = `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}`
      if (request.headers['proxy-authorization'] !== expected) return this.refuse(client, 407)
    }
    if (status !== undefined) return this.refuse(client, status)

    const [, port] = /^.+:(\d+)$/.exec(request.url ?? '') ?? []
    const upstream = net.connect(Number(port), '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    this.track(upstream)
  }

  private refuse(client: net.Socket, status: number): void {
    const challenge = status === 407 ? 'Proxy-Authenticate: Basic realm="proxy"\r\n' : ''
    const body = `${http.STATUS_CODES[status] ?? 'Refused'}\n`
    client.end(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? 'Refused'}\r\n${challenge}Content-Type: text/plain\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`
    )
  }

  private track(socket: net.Socket): void {
    if (this.sockets.has(socket)) return
    this.sockets.add(socket)
    socket.on('error', () => socket.destroy())
    socket.on('close', () => this.sockets.delete(socket))
  }

  async start(): Promise<this> {
    await new Promise<void>(resolve => this.server.listen(0, '127.0.0.1', resolve))
    return this
  }

  /** Connections still open (a client that gave up on a slow CONNECT must have closed its own). */
  get openConnections(): number {
    return this.sockets.size
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port
  }

  get url(): string {
    return `${this.options.tls ? 'https' : 'http'}://127.0.0.1:${this.port}`
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer)
    for (const socket of this.sockets) socket.destroy()
    await new Promise<void>(resolve => this.server.close(() => resolve()))
  }
}
