import { readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { ROOT } from '../../standin/paths.js'

/**
 * What every run loads: dist/index.js. Naming a whole package namespace as a value (say
 * `@actions/core` passed as an object) defeats tree-shaking and pulls in its OIDC client with
 * undici, 500 KB that every run would parse; this keeps that from coming back unnoticed.
 */
describe('the bundle every run loads', () => {
  const bundle = path.join(ROOT, 'dist', 'index.js')

  it('holds neither undici nor the tunnel agent', () => {
    const text = readFileSync(bundle, 'utf8')
    expect(text).not.toMatch(/undici/i)
    expect(text).not.toContain('httpOverHttp')
  })

  it('stays under 160 KB', () => {
    expect(statSync(bundle).size).toBeLessThan(160 * 1024)
  })
})
