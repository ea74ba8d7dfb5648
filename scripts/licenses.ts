/**
 * dist/licenses.txt, written by `npm run bundle` (scripts/bundle.ts) from the webpack stats of
 * the build: every package that ended up in the bundle, with its license and the text of its
 * license file. ncc's own `--license` left out most of them
 * (md5, crypt, charenc, digest-fetch, the @actions packages), so the file is made here from what
 * webpack actually emitted: modules in a chunk, including those concatenated into another.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { ROOT } from '../standin/paths.js'

interface StatsModule {
  name?: string
  chunks?: (string | number)[]
  modules?: StatsModule[]
}

/** `./node_modules/a/node_modules/@b/c/lib/x.js` → `node_modules/a/node_modules/@b/c` */
function packageDir(moduleName: string): string | undefined {
  const match = /^(?:\.\/)?((?:.*\/)?node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(moduleName)
  return match?.[1]
}

export interface WebpackStats {
  modules: StatsModule[]
}

/** Package folders of every module that is in an emitted chunk. */
function bundledPackages(stats: WebpackStats): string[] {
  const dirs = new Set<string>()
  const visit = (module: StatsModule): void => {
    const dir = packageDir(module.name ?? '')
    if (dir) dirs.add(dir)
    module.modules?.forEach(visit)
  }
  for (const module of stats.modules) if (module.chunks?.length) visit(module)
  return [...dirs].sort()
}

function licenseEntry(dir: string): string {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, dir, 'package.json'), 'utf8')) as {
    name: string
    version: string
    license?: string
  }
  const file = readdirSync(path.join(ROOT, dir)).find(name => /^(licen[cs]e|copying)/i.test(name))
  const text = file
    ? readFileSync(path.join(ROOT, dir, file), 'utf8').trim()
    : `(the package has no license file; its package.json says ${manifest.license ?? 'nothing'})`
  return `${manifest.name}@${manifest.version}\n${manifest.license ?? 'UNKNOWN'}\n${text}\n`
}

export function writeLicenses(stats: WebpackStats, outPath: string): void {
  writeFileSync(outPath, bundledPackages(stats).map(licenseEntry).join('\n'))
}
