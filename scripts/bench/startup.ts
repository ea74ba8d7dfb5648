/**
 * Where a one-read run's start-up goes: the bundle files it loads (index.js and the chunks its
 * credential kind imports), the Node built-ins the bundle asks for, and a CPU profile
 * (`--cpu-prof`) of the run split into phases: compiling the bundle, evaluating its modules
 * (loading built-ins included), running, Node's own work outside the bundle, garbage
 * collection, and waiting on the network.
 */
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { ACTION, runAction } from '../../standin/runner.js'
import {
  V2_KEY,
  V2_SERVICE_ACCOUNT,
  actionInputs,
  describe,
  expectAvailable,
  withStandin,
  type Variant
} from './setup.js'

/** Profiled runs per credential kind, and the sampling interval (µs): a run lasts about 100 ms. */
export const PROFILE_RUNS = 8
export const PROFILE_INTERVAL_US = 200

export interface LoadedBundle {
  variant: Variant
  /** Bundle files the run loaded, with their sizes. */
  files: { name: string; bytes: number }[]
  bytes: number
  /** Node built-ins the bundle required or imported before its first request started. */
  builtins: string[]
  /** Built-ins first asked for once the first request had started (loaded while it travelled). */
  builtinsLater: string[]
}

export type Phase =
  'compile' | 'evaluate: built-ins' | 'evaluate: bundle' | 'run: bundle' | 'node' | 'gc' | 'idle'

export interface Profile {
  variant: Variant
  runs: number
  /** Mean sampled ms per run, per phase. */
  phases: Record<Phase, number>
  /** Mean ms per run spent loading each built-in while the bundle's modules evaluate, largest first. */
  builtins: [string, number][]
}

export interface StartupResults {
  loaded: LoadedBundle[]
  profiles: Profile[]
}

/**
 * Registered with --import: records every module the run loads, in order, and whether the run's
 * first HTTP request had started by then (node:crypto is meant to load while it travels); built-ins
 * asked for with process.getBuiltinModule count too. Printed to stderr at exit.
 */
const RECORDER = `import { registerHooks } from 'node:module'
import { subscribe } from 'node:diagnostics_channel'
const seen = new Map()
let requested = false
subscribe('http.client.request.start', () => { requested = true })
const note = url => { if (!seen.has(url)) seen.set(url, requested) }
registerHooks({ resolve(specifier, context, next) { const r = next(specifier, context); note(r.url); return r } })
const getBuiltinModule = process.getBuiltinModule.bind(process)
process.getBuiltinModule = id => { note(id.startsWith('node:') ? id : 'node:' + id); return getBuiltinModule(id) }
process.on('exit', () => process.stderr.write('\\n@@loaded ' + JSON.stringify([...seen]) + '\\n'))`

export async function measureStartup(): Promise<StartupResults> {
  return withStandin({}, async bench => {
    const loaded: LoadedBundle[] = []
    const profiles: Profile[] = []
    for (const variant of [V2_KEY, V2_SERVICE_ACCOUNT]) {
      loaded.push(await loadedBundle(variant, bench))
      profiles.push(await profile(variant, bench))
    }
    return { loaded, profiles }
  })
}

async function loadedBundle(
  variant: Variant,
  bench: Parameters<typeof actionInputs>[0]
): Promise<LoadedBundle> {
  const recorder = `data:text/javascript;base64,${Buffer.from(RECORDER).toString('base64')}`
  const run = await runAction({
    inputs: actionInputs(bench, variant),
    env: { NODE_OPTIONS: `--import=${recorder}` }
  })
  expectAvailable(run, `One read with its modules recorded (${describe(variant)})`)
  const line = run.stderr.split('\n').find(text => text.startsWith('@@loaded '))
  if (line === undefined)
    throw new Error(`The module recorder printed nothing (${describe(variant)}): ${run.stderr}`)
  const loadedInOrder = JSON.parse(line.slice('@@loaded '.length)) as [string, boolean][]
  const urls = loadedInOrder.map(([url]) => url)
  const dist = pathToFileURL(path.dirname(ACTION)).href
  const files = await Promise.all(
    urls
      .filter(url => url.startsWith(`${dist}/`))
      .map(async url => {
        const file = new URL(url).pathname
        return { name: path.basename(file), bytes: (await stat(file)).size }
      })
  )
  const builtinsLoaded = (later: boolean): string[] =>
    [
      ...new Set(
        loadedInOrder
          .filter(([url, afterRequest]) => url.startsWith('node:') && afterRequest === later)
          .map(([url]) => url.slice(5))
      )
    ].sort()
  return {
    variant,
    files,
    bytes: files.reduce((sum, file) => sum + file.bytes, 0),
    builtins: builtinsLoaded(false),
    builtinsLater: builtinsLoaded(true)
  }
}

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string }
  children?: number[]
}

async function profile(variant: Variant, bench: Parameters<typeof actionInputs>[0]): Promise<Profile> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'atlas-bench-profile-'))
  try {
    const flags = `--cpu-prof --cpu-prof-dir=${dir} --cpu-prof-interval=${PROFILE_INTERVAL_US}`
    for (let i = 0; i < PROFILE_RUNS; i++) {
      const run = await runAction({ inputs: actionInputs(bench, variant), env: { NODE_OPTIONS: flags } })
      expectAvailable(run, `One profiled read (${describe(variant)})`)
    }
    const phases = Object.fromEntries(
      (
        ['compile', 'evaluate: built-ins', 'evaluate: bundle', 'run: bundle', 'node', 'gc', 'idle'] as Phase[]
      ).map(phase => [phase, 0])
    ) as Record<Phase, number>
    const builtins = new Map<string, number>()
    const files = await readdir(dir)
    for (const file of files) {
      const data = JSON.parse(await readFile(path.join(dir, file), 'utf8')) as {
        nodes: ProfileNode[]
        samples: number[]
        timeDeltas: number[]
      }
      attribute(data, (phase, builtin, us) => {
        phases[phase] += us / 1000 / files.length
        if (builtin) builtins.set(builtin, (builtins.get(builtin) ?? 0) + us / 1000 / files.length)
      })
    }
    return {
      variant,
      runs: files.length,
      phases,
      builtins: [...builtins].sort((a, b) => b[1] - a[1])
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

const COMPILE_FRAMES = new Set(['wrapSafe', 'compileSourceTextModule'])

/** Puts each sample in a phase, by what its stack holds. */
function attribute(
  data: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] },
  add: (phase: Phase, builtin: string | undefined, us: number) => void
): void {
  const nodes = new Map(data.nodes.map(node => [node.id, node]))
  const parent = new Map<number, number>()
  for (const node of data.nodes) for (const child of node.children ?? []) parent.set(child, node.id)
  const dist = pathToFileURL(path.dirname(ACTION)).href
  data.samples.forEach((id, i) => {
    const us = data.timeDeltas[i + 1] ?? 0
    const stack: ProfileNode['callFrame'][] = []
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const node = nodes.get(at)
      if (node) stack.push(node.callFrame)
    }
    const leaf = stack[0]?.functionName
    if (leaf === '(idle)') return add('idle', undefined, us)
    if (leaf === '(garbage collector)') return add('gc', undefined, us)
    // Node compiling a file of the bundle: `wrapSafe` for CommonJS (dist/), `compileSourceTextModule` for an ES module.
    if (stack.some(frame => COMPILE_FRAMES.has(frame.functionName))) return add('compile', undefined, us)
    const inBundle = stack.findIndex(frame => frame.url.startsWith(dist))
    if (inBundle < 0) return add('node', undefined, us)
    if (!stack.some(frame => frame.functionName === '__nccwpck_require__'))
      return add('run: bundle', undefined, us)
    // Below the deepest bundle frame: a built-in being loaded (its outermost public module names it)?
    const builtin = stack
      .slice(0, inBundle)
      .reverse()
      .find(
        frame => frame.url.startsWith('node:') && !/^node:internal\/(modules|bootstrap)\//.test(frame.url)
      )
    if (
      builtin &&
      stack.slice(0, inBundle).some(frame => frame.functionName === 'compileForInternalLoader')
    ) {
      return add('evaluate: built-ins', builtin.url.slice(5), us)
    }
    return add('evaluate: bundle', undefined, us)
  })
}
