/**
 * What a one-read run loads, from the committed dist/ run as a runner runs it. Every module
 * loaded is start-up time every run pays (BENCHMARK.md): this keeps out what a one-read run
 * does not need, so that it cannot come back unnoticed with a dependency or a refactor.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { AtlasStandin } from '../../standin/atlas-standin.js'
import { OAuthStandin } from '../../standin/oauth-standin.js'
import { runAction } from '../../standin/runner.js'
import { ROOT } from '../../standin/paths.js'
import { startStandin } from '../helpers/harness.js'
import { IDS, REQUIRED_INPUTS } from '../helpers/ids.js'

/** Preloaded with --require: at exit, writes the Node modules and the files the process loaded. */
const RECORDER = `process.on('exit', () => {
  require('node:fs').writeFileSync(process.env.LOAD_RECORD, JSON.stringify({
    builtins: process.moduleLoadList.filter(entry => entry.startsWith('NativeModule ')).map(entry => entry.slice(13)),
    files: Object.keys(require.cache)
  }))
})
`

interface LoadRecord {
  builtins: string[]
  files: string[]
}

let dir: string
let standin: AtlasStandin | undefined
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'atlas-startup-'))
  writeFileSync(path.join(dir, 'recorder.cjs'), RECORDER)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))
afterEach(async () => {
  await standin?.stop()
  standin = undefined
})

async function readOnce(inputs: Record<string, string>): Promise<LoadRecord> {
  const record = path.join(dir, `record-${Date.now()}.json`)
  const result = await runAction({
    inputs: { 'wait-for': '', ...inputs },
    env: { NODE_OPTIONS: `--require ${path.join(dir, 'recorder.cjs')}`, LOAD_RECORD: record }
  })
  expect(result.outputs['connection-status']).toBe('AVAILABLE')
  expect(result.exitCode).toBe(0)
  return JSON.parse(readFileSync(record, 'utf8')) as LoadRecord
}

/** The bundle's files a run loaded, with what tells the credential kinds' chunks apart. */
function bundleFiles(record: LoadRecord): { name: string; text: string }[] {
  const dist = path.join(ROOT, 'dist')
  return record.files
    .filter(file => path.dirname(file) === dist)
    .map(file => ({ name: path.basename(file), text: readFileSync(file, 'utf8') }))
}

/**
 * Built-ins a one-read run has no use for. node:crypto (5 ms to load): MD5 is ours, random
 * bytes come from /dev/urandom (src/common/crypto.ts). fs/promises came with @actions/core's
 * summary module (and brought Node's readline and REPL history); node:module and source-map
 * support with an ES module bundle; undici, http2, zlib and perf_hooks with global fetch or an
 * ES module import of node:http (its WebSocket getters); the pipelined path's undici only in
 * runs that wait.
 */
const NOT_NEEDED = [
  // Windows has no /dev/urandom: there node:crypto gives the random bytes, loaded while the
  // first request travels.
  ...(process.platform === 'win32' ? [] : ['crypto']),
  'internal/fs/promises',
  'internal/readline/interface',
  'module',
  'internal/source_map/source_map',
  'internal/deps/undici/undici',
  'http2',
  'zlib',
  'perf_hooks',
  'worker_threads',
  'tls'
]

describe('a one-read run loads what it needs and nothing more', () => {
  it('with an API key: index.js and the Digest chunk; no service-account code', async () => {
    standin = await startStandin({ script: [{ status: 'AVAILABLE' }] })
    const record = await readOnce({ ...REQUIRED_INPUTS, 'base-url': standin.baseUrl })
    const files = bundleFiles(record)
    expect(files.map(file => file.name)).toContain('index.js')
    expect(files).toHaveLength(2)
    expect(files.some(file => file.text.includes('StrictDigestClient'))).toBe(true)
    expect(files.some(file => file.text.includes('/api/oauth/token'))).toBe(false)
    // The recorder sees what the run needs (node:http) ...
    expect(record.builtins).toContain('http')
    // ... and nothing of what it does not.
    expect(record.builtins.filter(name => NOT_NEEDED.includes(name))).toEqual([])
  })

  it('with a service account: index.js and the token chunk; no Digest code', async () => {
    const account = {
      clientId: 'mdb_sa_id_0123456789abcdef01234567',
      clientSecret: 'mdb_sa_sk_startup-test-secret-1'
    }
    const oauth = new OAuthStandin({ accounts: [account] })
    standin = await startStandin({ script: [{ status: 'AVAILABLE' }], serviceAccounts: oauth })
    const record = await readOnce({
      'client-id': account.clientId,
      'client-secret': account.clientSecret,
      'project-id': IDS.projectId,
      'private-link-id': IDS.privateLinkId,
      'interface-endpoint-id': IDS.interfaceEndpointId,
      'base-url': standin.baseUrlV2
    })
    const files = bundleFiles(record)
    expect(files).toHaveLength(2)
    expect(files.some(file => file.text.includes('/api/oauth/token'))).toBe(true)
    expect(files.some(file => file.text.includes('StrictDigestClient'))).toBe(false)
    expect(record.builtins).toContain('http')
    expect(record.builtins.filter(name => NOT_NEEDED.includes(name))).toEqual([])
  })
})
