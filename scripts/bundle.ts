/**
 * `npm run bundle`: builds dist/ from src/index.ts with ncc, as CommonJS, and writes
 * dist/licenses.txt (scripts/licenses.ts).
 *
 * Why CommonJS, when the package and its dependencies are ESM: ncc's CLI would make an ES module
 * of the bundle (the package is `"type": "module"`), and an ES module bundle costs every run about
 * 4 ms more to start on Node 24 (measured in BENCHMARK.md's notes): it imports node:module for
 * `createRequire` (which loads Node's source-map support with it), and loads its lazy chunks
 * through the ES module loader. Webpack turns the ESM sources into its own module system either
 * way, so only the wrapper changes: the chunks are loaded with `require`, built-ins too.
 * dist/package.json says `"type": "commonjs"`, so that Node reads dist/index.js as such
 * whatever the package around it says.
 *
 * Every file is ASCII (scripts/ascii-only.ts). `../web/fetch/body.js` stays out of the bundle: see
 * src/http/pipeline.ts.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { ROOT } from '../standin/paths.js'
import { asciiOnly } from './ascii-only.js'
import { writeLicenses, type WebpackStats } from './licenses.js'

interface NccAsset {
  source: string | Buffer
  permissions?: number
}
interface NccResult {
  code: string
  assets: Record<string, NccAsset>
  stats: { toJson(): WebpackStats }
}
type Ncc = (entry: string, options: Record<string, unknown>) => Promise<NccResult>

const ncc = createRequire(import.meta.url)('@vercel/ncc') as Ncc
const DIST = path.join(ROOT, 'dist')

const { code, assets, stats } = await ncc(path.join(ROOT, 'src', 'index.ts'), {
  esm: false,
  minify: true,
  externals: ['../web/fetch/body.js'],
  quiet: true
})
rmSync(DIST, { recursive: true, force: true })
mkdirSync(DIST, { recursive: true })
const main = asciiOnly('index.js', code)
writeFileSync(path.join(DIST, 'index.js'), main)
for (const [name, asset] of Object.entries(assets)) {
  mkdirSync(path.dirname(path.join(DIST, name)), { recursive: true })
  const source = /\.[cm]?js$/.test(name) ? asciiOnly(name, String(asset.source)) : asset.source
  writeFileSync(path.join(DIST, name), source, { mode: asset.permissions })
}
writeFileSync(path.join(DIST, 'package.json'), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`)
writeLicenses(stats.toJson(), path.join(DIST, 'licenses.txt'))
console.error(
  `dist/index.js ${(Buffer.byteLength(main) / 1024).toFixed(1)} KiB and ${Object.keys(assets).length} files beside it`
)
