import { readFileSync, readdirSync, statSync } from 'node:fs'
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

  // scripts/bundle.ts: one non-ASCII character makes Node decode a whole file into a two-byte string.
  it.each(readdirSync(path.join(ROOT, 'dist')).filter(name => name.endsWith('.js')))('%s is ASCII', name => {
    const text = readFileSync(path.join(ROOT, 'dist', name), 'utf8')
    expect(text.match(/[^\t\n\r\x20-\x7e]/g) ?? []).toEqual([])
  })

  // scripts/bundle.ts: an ES module bundle imports node:module (and Node's source-map support
  // with it) and loads its chunks through the ES module loader, about 4 ms of every start.
  it('is CommonJS, and dist/package.json says so to Node', () => {
    const manifest = JSON.parse(readFileSync(path.join(ROOT, 'dist', 'package.json'), 'utf8')) as unknown
    expect(manifest).toEqual({ type: 'commonjs' })
    for (const name of readdirSync(path.join(ROOT, 'dist')).filter(file => file.endsWith('.js'))) {
      const text = readFileSync(path.join(ROOT, 'dist', name), 'utf8')
      expect(text).not.toContain('import.meta')
      expect(text).not.toMatch(/^import\s*[{*\w]/m)
    }
  })
})

/**
 * node:crypto costs a run about 10 ms to load. It is asked for with process.getBuiltinModule
 * when first used (src/common/crypto.ts, and the patches to @actions/core and digest-fetch), so
 * that the sender can load it while the first request travels: no file of dist/ may require it
 * while its modules evaluate.
 */
describe('node:crypto in the bundle', () => {
  const dist = path.join(ROOT, 'dist')

  it.each(readdirSync(dist).filter(name => name.endsWith('.js')))('%s does not require it at load', name => {
    const text = readFileSync(path.join(dist, name), 'utf8')
    // ncc requires a built-in as `require("crypto")` (an ES module bundle: `createRequire(import.meta.url)("crypto")`).
    expect(text).not.toMatch(/\brequire\(\s*["'](node:)?crypto["']\s*\)/)
    expect(text).not.toMatch(/\(import\.meta\.url\)\(\s*["'](node:)?crypto["']\s*\)/)
    expect(text).not.toMatch(/\bfrom\s*["'](node:)?crypto["']/)
  })

  it('is asked for on first use instead', () => {
    const texts = readdirSync(dist)
      .filter(name => name.endsWith('.js'))
      .map(name => readFileSync(path.join(dist, name), 'utf8'))
      .join('\n')
    expect(texts).toMatch(/getBuiltinModule\(\s*["']node:crypto["']\s*\)/)
  })
})
