/**
 * A local stand-in for the Atlas Administration API v1.0 interface-endpoint resource.
 *
 * It speaks HTTP Digest exactly as Atlas does (the challenge and 401 body recorded from Atlas
 * traffic), verifies every response hash, can check `nc` strictly (8 hex digits, counting from
 * 00000001 per nonce), can refuse reused nonces, and plays a script of statuses and faults.
 * The unit-free suites (integration, end-to-end), `npm run demo` and `npm run bench` all use
 * this one server, so the demo and the tests cannot drift apart. It is not part of dist/.
 */
import { createHash, randomBytes } from 'node:crypto'
import http from 'node:http'
import https from 'node:https'
import type { AddressInfo, Socket } from 'node:net'

export const REALM = 'MMS Public API'
/** Atlas's 401 body, for a challenge and for a wrong key alike. */
export const UNAUTHORIZED_BODY =
  '{"error":401,"reason":"Unauthorized","detail":"You are not authorized for this resource.","errorCode":"UNEXPECTED_ERROR"}'

/** One scripted answer to an authenticated request. */
export type Step =
  /** 200 with the interface endpoint resource. */
  | {
      status: string
      deleteRequested?: boolean
      errorMessage?: string | null
      headers?: Record<string, string>
      times?: number
    }
  /** An Atlas-style error: `{error, errorCode, detail, reason}` plus X-Error-Code. */
  | {
      error: number
      errorCode?: string
      detail?: string
      headers?: Record<string, string>
      times?: number
    }
  /** Anything at all: HTML, a huge body, a redirect. */
  | { raw: { status: number; headers?: Record<string, string>; body?: string | Buffer }; times?: number }
  /** Socket-level faults: reset before answering, or close mid-response. */
  | { fault: 'reset' | 'close-mid-body'; times?: number }
  /** Answer, but only after `ms` (a slow request). */
  | { delayMs: number; then: Step; times?: number }

export type NoncePolicy =
  /** A nonce stays valid: N polls cost N + 1 requests. */
  | 'reuse'
  /** Every nonce answers exactly one request, then is refused with a fresh challenge. */
  | 'single-use'

export interface StandinOptions {
  publicKey: string
  privateKey: string
  projectId: string
  privateLinkId: string
  interfaceEndpointId: string
  script?: Step[]
  nonces?: NoncePolicy
  /** Refuse a request whose nc is not exactly the previous nc of its nonce + 1, in 8 hex digits. */
  strictNc?: boolean
  /** Value of `stale` in a challenge that refuses a used nonce. */
  staleOnRefusal?: boolean
  /** Serve TLS with this key and certificate. */
  tls?: { key: string; cert: string }
  host?: string
  port?: number
  /** Told about every request, for the demo's log. */
  onRequest?: (record: RequestRecord) => void
}

export interface RequestRecord {
  at: number
  method: string
  path: string
  /** The Digest answer was checked and correct. */
  authorized: boolean
  nc?: string
  nonce?: string
  /** Why the request got a 401, when it did. */
  refused?: string
  status: number
  userAgent?: string
  accept?: string
  /** The Authorization header had a value (never stored). */
  hadAuthorization: boolean
}

interface NonceState {
  lastNc: number
  used: boolean
}

export class AtlasStandin {
  readonly requests: RequestRecord[] = []
  private server: http.Server | https.Server
  private script: Step[]
  private stepIndex = 0
  private stepUses = 0
  private readonly nonces = new Map<string, NonceState>()
  private readonly sockets = new Set<Socket>()
  private address?: AddressInfo

  constructor(private readonly options: StandinOptions) {
    this.script = options.script ?? [{ status: 'AVAILABLE' }]
    const handler = (request: http.IncomingMessage, response: http.ServerResponse): void => {
      this.handle(request, response)
    }
    this.server = options.tls
      ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, handler)
      : http.createServer(handler)
    this.server.on('connection', socket => {
      this.sockets.add(socket)
      socket.on('close', () => this.sockets.delete(socket))
    })
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject)
      this.server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => resolve())
    })
    this.address = this.server.address() as AddressInfo
    return this
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy()
    await new Promise<void>(resolve => this.server.close(() => resolve()))
  }

  get port(): number {
    if (!this.address) throw new Error('The stand-in is not started')
    return this.address.port
  }

  /** The `base-url` to give the action. */
  get baseUrl(): string {
    const host = this.options.host ?? '127.0.0.1'
    const shown = host.includes(':') ? `[${host}]` : host
    return `${this.options.tls ? 'https' : 'http'}://${shown}:${this.port}/api/atlas/v1.0`
  }

  /** Replaces the script from the next request on (the demo and benchmark flip statuses with it). */
  play(script: Step[]): void {
    this.script = script
    this.stepIndex = 0
    this.stepUses = 0
  }

  /** Requests that carried a correct Digest answer. */
  get authorizedCount(): number {
    return this.requests.filter(r => r.authorized).length
  }

  private nextStep(): Step {
    const step = this.script[Math.min(this.stepIndex, this.script.length - 1)]
    this.stepUses += 1
    if (this.stepIndex < this.script.length - 1 && this.stepUses >= (step.times ?? 1)) {
      this.stepIndex += 1
      this.stepUses = 0
    }
    return step
  }

  private handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    const authorization = request.headers.authorization
    const record: RequestRecord = {
      at: Date.now(),
      method: request.method ?? '',
      path: request.url ?? '',
      authorized: false,
      status: 0,
      userAgent: request.headers['user-agent'],
      accept: request.headers.accept,
      hadAuthorization: authorization !== undefined
    }
    const finish = (status: number): void => {
      record.status = status
      this.requests.push(record)
      this.options.onRequest?.(record)
    }

    const verdict = this.checkDigest(request.method ?? 'GET', request.url ?? '', authorization)
    record.nc = verdict.nc
    record.nonce = verdict.nonce
    if (!verdict.ok) {
      record.refused = verdict.reason
      this.challenge(response, verdict.stale)
      finish(401)
      return
    }
    record.authorized = true

    const notFound = this.checkPath(request.url ?? '')
    if (notFound) {
      this.json(response, notFound.error, notFound, { 'X-Error-Code': notFound.errorCode })
      finish(notFound.error)
      return
    }
    this.answer(this.nextStep(), request, response, finish)
  }

  private answer(
    step: Step,
    request: http.IncomingMessage,
    response: http.ServerResponse,
    finish: (status: number) => void
  ): void {
    if ('delayMs' in step) {
      const timer = setTimeout(() => this.answer(step.then, request, response, finish), step.delayMs)
      response.on('close', () => clearTimeout(timer))
      return
    }
    if ('fault' in step) {
      if (step.fault === 'reset') {
        finish(0)
        request.socket.resetAndDestroy()
        return
      }
      response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '200' })
      response.write('{"connectionStatus":"AVAI')
      finish(200)
      setTimeout(() => request.socket.destroy(), 10)
      return
    }
    if ('raw' in step) {
      response.writeHead(step.raw.status, step.raw.headers ?? {})
      response.end(step.raw.body ?? '')
      finish(step.raw.status)
      return
    }
    if ('error' in step) {
      const errorCode = step.errorCode ?? defaultCode(step.error)
      this.json(
        response,
        step.error,
        {
          detail: step.detail ?? http.STATUS_CODES[step.error] ?? 'Error',
          error: step.error,
          errorCode,
          parameters: [],
          reason: http.STATUS_CODES[step.error] ?? 'Error'
        },
        { 'X-Error-Code': errorCode, ...step.headers }
      )
      finish(step.error)
      return
    }
    this.json(
      response,
      200,
      {
        connectionStatus: step.status,
        deleteRequested: step.deleteRequested ?? false,
        errorMessage: step.errorMessage ?? null,
        interfaceEndpointId: this.options.interfaceEndpointId
      },
      step.headers
    )
    finish(200)
  }

  /** Atlas's answer to a path with an unknown project, private link or endpoint. */
  private checkPath(
    url: string
  ): { error: number; errorCode: string; detail: string; reason: string; parameters: string[] } | undefined {
    const path = url.split('?')[0]
    const match =
      /^\/api\/atlas\/v1\.0\/groups\/([^/]+)\/privateEndpoint\/([^/]+)\/interfaceEndpoints\/([^/]+)$/.exec(
        path
      )
    if (!match) {
      return {
        error: 404,
        errorCode: 'RESOURCE_NOT_FOUND',
        detail: `Cannot find resource ${path}.`,
        reason: 'Not Found',
        parameters: [path]
      }
    }
    const [, group, link, endpoint] = match.map(decodeURIComponent)
    if (group !== this.options.projectId) {
      return {
        error: 404,
        errorCode: 'GROUP_NOT_FOUND',
        detail: `No group with ID ${group} exists.`,
        reason: 'Not Found',
        parameters: [group]
      }
    }
    if (link !== this.options.privateLinkId || endpoint !== this.options.interfaceEndpointId) {
      return {
        error: 404,
        errorCode: 'RESOURCE_NOT_FOUND',
        detail: `Cannot find resource /groups/${group}/privateEndpoint/${link}/interfaceEndpoints/${endpoint}.`,
        reason: 'Not Found',
        parameters: [link, endpoint]
      }
    }
    return undefined
  }

  private challenge(response: http.ServerResponse, stale: boolean): void {
    // 24 random bytes in base64: 32 characters that can hold '+' and '/', like Atlas's nonces.
    const nonce = randomBytes(24).toString('base64')
    this.nonces.set(nonce, { lastNc: 0, used: false })
    response.writeHead(401, {
      'Content-Type': 'application/json',
      'Www-Authenticate': `Digest realm="${REALM}", domain="", nonce="${nonce}", algorithm=MD5, qop="auth", stale=${stale}`
    })
    response.end(UNAUTHORIZED_BODY)
  }

  private json(
    response: http.ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {}
  ): void {
    response.writeHead(status, { 'Content-Type': 'application/json', ...headers })
    response.end(JSON.stringify(body))
  }

  /** Checks a Digest answer as RFC 7616 (MD5, qop=auth) says; the reason is for test failures. */
  private checkDigest(
    method: string,
    url: string,
    header: string | undefined
  ):
    | { ok: true; nc: string; nonce: string }
    | { ok: false; stale: boolean; reason: string; nc?: string; nonce?: string } {
    if (!header) return { ok: false, stale: false, reason: 'no Authorization header' }
    if (!/^Digest\s/i.test(header)) return { ok: false, stale: false, reason: 'not a Digest answer' }
    const fields = parseDigestFields(header.slice(7))
    const { username, realm, nonce, uri, qop, nc, cnonce, response, algorithm } = fields
    const refuse = (reason: string, stale = false) => ({ ok: false as const, stale, reason, nc, nonce })
    if (username !== this.options.publicKey) return refuse(`unknown user ${username}`)
    if (realm !== REALM) return refuse(`wrong realm ${realm}`)
    if (algorithm !== undefined && algorithm.toUpperCase() !== 'MD5') return refuse(`algorithm ${algorithm}`)
    if (uri !== url) return refuse(`uri ${uri} is not the request target ${url}`)
    if (qop !== 'auth') return refuse(`qop ${qop}`)
    if (!nc || !/^[0-9a-f]{8}$/.test(nc)) return refuse(`nc ${nc} is not 8 lowercase hex digits`)
    if (!cnonce) return refuse('no cnonce')
    const state = nonce ? this.nonces.get(nonce) : undefined
    if (!nonce || !state) return refuse(`unknown nonce ${nonce}`, true)

    const ha1 = md5(`${username}:${REALM}:${this.options.privateKey}`)
    const ha2 = md5(`${method}:${uri}`)
    const expected = md5(`${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`)
    if (response !== expected) return refuse('wrong response hash (wrong key pair)')

    if ((this.options.nonces ?? 'reuse') === 'single-use' && state.used) {
      return refuse('nonce already used', this.options.staleOnRefusal ?? true)
    }
    const count = parseInt(nc, 16)
    if ((this.options.strictNc ?? true) && count !== state.lastNc + 1) {
      return refuse(`nc ${nc} after ${state.lastNc.toString(16).padStart(8, '0')} on this nonce`)
    }
    if (count <= state.lastNc) return refuse(`nc ${nc} replayed`)
    state.lastNc = count
    state.used = true
    return { ok: true, nc, nonce }
  }
}

function md5(text: string): string {
  return createHash('md5').update(text).digest('hex')
}

/** `a="x", b=y` → {a: 'x', b: 'y'}; quoted values may hold commas. */
export function parseDigestFields(text: string): Record<string, string | undefined> {
  const fields: Record<string, string> = {}
  const pattern = /([a-zA-Z]+)=("((?:[^"\\]|\\.)*)"|[^,\s]*)/g
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    fields[match[1].toLowerCase()] = match[3] !== undefined ? match[3].replace(/\\(.)/g, '$1') : match[2]
  }
  return fields
}

/** Atlas's codes for the errors the stand-in makes up; Atlas says UNEXPECTED_ERROR for most. */
function defaultCode(status: number): string {
  return status === 429 ? 'RATE_LIMITED' : 'UNEXPECTED_ERROR'
}
