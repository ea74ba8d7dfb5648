/**
 * A minimal forward proxy that speaks HTTP CONNECT, like the corporate proxies in front of
 * self-hosted runners. It resolves every host name to 127.0.0.1, so a test can address the
 * stand-in as `atlas.test` and be sure the request went through the proxy: nothing else
 * could resolve that name.
 */
import http from 'node:http'
import net, { type AddressInfo } from 'node:net'

export class ConnectProxy {
  /** `host:port` of each CONNECT seen, in order. */
  readonly tunnels: string[] = []
  /** Proxy-Authorization headers seen (tests check credentials are passed). */
  readonly authorizations: (string | undefined)[] = []
  private readonly server = http.createServer((_request, response) => {
    response.writeHead(405).end('This proxy only tunnels (CONNECT).')
  })
  private readonly sockets = new Set<net.Socket>()

  constructor() {
    this.server.on('connect', (request: http.IncomingMessage, client: net.Socket, head: Buffer) => {
      this.tunnels.push(request.url ?? '')
      this.authorizations.push(request.headers['proxy-authorization'])
      const [, port] = /^.+:(\d+)$/.exec(request.url ?? '') ?? []
      const upstream = net.connect(Number(port), '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
        upstream.write(head)
        upstream.pipe(client)
        client.pipe(upstream)
      })
      for (const socket of [client, upstream]) {
        this.sockets.add(socket)
        socket.on('error', () => socket.destroy())
        socket.on('close', () => this.sockets.delete(socket))
      }
    })
  }

  async start(): Promise<this> {
    await new Promise<void>(resolve => this.server.listen(0, '127.0.0.1', resolve))
    return this
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy()
    await new Promise<void>(resolve => this.server.close(() => resolve()))
  }
}
