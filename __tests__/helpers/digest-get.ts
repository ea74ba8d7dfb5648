import { createHash, randomBytes } from 'node:crypto'
import { IDS } from './ids.js'

/** An answer of the stand-in, its body parsed as JSON ({} when empty). */
export interface Answer {
  status: number
  headers: Headers
  body: any // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON of any shape, checked by each test
}

/**
 * A GET to the stand-in with a Digest answer, computed here (not by the action's client), to a
 * fresh challenge (nc 00000001), with the test key pair; or with the Authorization header given.
 */
export async function digestGet(url: string, headers: Record<string, string>): Promise<Answer> {
  let authorization = headers.Authorization
  if (authorization === undefined) {
    const challenge = (await fetch(url, { headers })).headers.get('www-authenticate') ?? ''
    const nonce = /nonce="([^"]+)"/.exec(challenge)?.[1]
    const { pathname, search } = new URL(url)
    const uri = `${pathname}${search}`
    const cnonce = randomBytes(8).toString('hex')
    const md5 = (text: string) => createHash('md5').update(text).digest('hex')
    const ha1 = md5(`${IDS.publicKey}:MMS Public API:${IDS.privateKey}`)
    const response = md5(`${ha1}:${nonce}:00000001:${cnonce}:auth:${md5(`GET:${uri}`)}`)
    authorization = `Digest username="${IDS.publicKey}", realm="MMS Public API", nonce="${nonce}", uri="${uri}", algorithm=MD5, qop=auth, nc=00000001, cnonce="${cnonce}", response="${response}"`
  }
  const answer = await fetch(url, { headers: { ...headers, Authorization: authorization } })
  const text = await answer.text()
  return { status: answer.status, headers: answer.headers, body: text ? JSON.parse(text) : {} }
}
