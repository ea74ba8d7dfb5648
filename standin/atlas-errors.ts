/**
 * Atlas's error body and how the stand-in writes it (and any JSON answer). The errors that
 * depend on what a path names (400 for a parameter, 404 for a project, service or endpoint,
 * 406/410 for a version) are built in standin/atlas-routes.ts.
 */
import http from 'node:http'

/** `{detail, error, errorCode, parameters, reason}`, Atlas's error body. */
export interface AtlasError {
  detail: string
  error: number
  errorCode: string
  parameters: unknown[]
  reason: string
}

export function atlasError(
  status: number,
  errorCode: string,
  detail: string,
  parameters: unknown[]
): AtlasError {
  return { detail, error: status, errorCode, parameters, reason: http.STATUS_CODES[status] ?? 'Error' }
}

/** Atlas's codes for the errors the stand-in makes up; Atlas says UNEXPECTED_ERROR for most. */
export function defaultCode(status: number): string {
  return status === 429 ? 'RATE_LIMITED' : 'UNEXPECTED_ERROR'
}

export function sendJson(
  response: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {}
): void {
  response.writeHead(status, { 'Content-Type': 'application/json', ...headers })
  response.end(JSON.stringify(body))
}

/** The error body with its status, and its code in X-Error-Code. */
export function sendError(
  response: http.ServerResponse,
  error: AtlasError,
  headers: Record<string, string> = {}
): void {
  sendJson(response, error.error, error, { 'X-Error-Code': error.errorCode, ...headers })
}
