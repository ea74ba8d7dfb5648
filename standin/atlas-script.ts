/**
 * Scripts: which step answers the next request, and how a step is written onto the wire (a
 * body, an Atlas error, a 404 for something gone, raw bytes, a delay or a broken socket).
 */
import http from 'node:http'
import { atlasError, defaultCode, sendError, sendJson, type AtlasError } from './atlas-errors.js'
import type { StatusStep, Step } from './atlas-types.js'

/** How a 200 looks for one step, per API. */
export interface Rendered {
  body: unknown
  contentType: string
}

/**
 * A script and where it is: each step answers `times` requests, the last one answers forever.
 * Endpoints, services, the project and clusters each play one (of their own kind of step).
 */
export class ScriptPlayer<T extends { times?: number } = Step> {
  private index = 0
  private uses = 0
  constructor(private steps: T[]) {}

  replace(steps: T[]): void {
    this.steps = steps
    this.index = 0
    this.uses = 0
  }

  /** The step the next request gets, without using it. */
  peek(): T {
    return this.steps[Math.min(this.index, this.steps.length - 1)]
  }

  next(): T {
    const step = this.peek()
    this.uses += 1
    if (this.index < this.steps.length - 1 && this.uses >= (step.times ?? 1)) {
      this.index += 1
      this.uses = 0
    }
    return step
  }
}

/** A delayed step is the step it delays to. */
export function settle(step: Step): Step {
  return 'delayMs' in step ? settle(step.then) : step
}

/**
 * Answers one request with one step. `render` turns a status step into the resource's body (or
 * an error, when the resource is no longer there); `gone` is the 404 a `gone` step answers with.
 * `finish` is told the status sent (0 when the socket is reset before any answer).
 */
export function playStep(
  step: Step,
  request: http.IncomingMessage,
  response: http.ServerResponse,
  finish: (status: number) => void,
  render: (step: StatusStep) => Rendered | AtlasError,
  gone: AtlasError
): void {
  if ('delayMs' in step) {
    const timer = setTimeout(() => playStep(step.then, request, response, finish, render, gone), step.delayMs)
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
  if ('gone' in step) {
    const code = step.errorCode ?? gone.errorCode
    sendError(response, { ...gone, errorCode: code, detail: step.detail ?? gone.detail }, step.headers)
    finish(404)
    return
  }
  if ('error' in step) {
    const errorCode = step.errorCode ?? defaultCode(step.error)
    const detail = step.detail ?? http.STATUS_CODES[step.error] ?? 'Error'
    sendError(response, atlasError(step.error, errorCode, detail, []), step.headers)
    finish(step.error)
    return
  }
  const rendered = render(step)
  if ('error' in rendered) {
    sendError(response, rendered)
    finish(rendered.error)
    return
  }
  sendJson(response, 200, rendered.body, { 'Content-Type': rendered.contentType, ...step.headers })
  finish(200)
}
