import { readFileSync } from 'node:fs'
import { DEFAULT_BASE_URL, KNOWN_STATUSES, USER_AGENT, VERSION } from '../../src/constants.js'

describe('constants', () => {
  it('VERSION is the version in package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string
    }
    expect(VERSION).toBe(pkg.version)
  })

  it('the User-Agent carries the version', () => {
    expect(USER_AGENT).toBe(`atlas-privatelink-endpoint-status/${VERSION} (GitHub Action)`)
  })

  it('knows the six statuses the v1.0 API documents', () => {
    expect([...KNOWN_STATUSES].sort()).toEqual(
      ['AVAILABLE', 'DELETING', 'NONE', 'PENDING', 'PENDING_ACCEPTANCE', 'REJECTED'].sort()
    )
  })

  it('defaults to the commercial Atlas v1.0 API over https', () => {
    expect(DEFAULT_BASE_URL).toBe('https://cloud.mongodb.com/api/atlas/v1.0')
  })
})
