/**
 * The clients `npm run bench` holds the action against, and the small tools it measures them
 * with. None of this is the action's code: each baseline is what a user would otherwise run.
 *
 * - curl --digest, one process per read, as a bash polling loop runs it;
 * - a client that answers a fresh challenge on every request, the way the Go Digest transport
 *   behind the Atlas CLI and the Terraform provider works (unauthenticated GET, 401, answer
 *   with nc=00000001, every time);
 * - a Node 24 script doing one plain `fetch`, the floor for "start Node, make one request".
 */
import { spawn, spawnSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { parseDigestFields } from '../standin/atlas-standin.js'

/** No read on 127.0.0.1 takes this long unless something is broken; fail instead of hanging. */
const READ_TIMEOUT_MS = 10_000

/** The v2 API answers only a request that names its version (v1.0 takes application/json). */
export const V2_ACCEPT = 'application/vnd.atlas.2023-01-01+json'

export interface KeyPair {
  publicKey: string
  privateKey: string
}

/** One finished child process, timed from spawn to the close of its output. */
export interface TimedProcess {
  exitCode: number | null
  stdout: string
  stderr: string
  ms: number
}

/**
 * Runs a command and times it the way standin/runner.ts times the action (spawn to 'close'),
 * so that the action and the baselines are measured with the same stopwatch.
 */
export async function timeProcess(
  command: string,
  args: string[],
  env: Record<string, string>,
  stdin?: string
): Promise<TimedProcess> {
  const started = performance.now()
  // stdin is always a pipe, closed at once when there is nothing to send, so no child waits on it.
  const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] })
  child.stdin.end(stdin ?? '')
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', code => resolve(code))
  })
  return { exitCode, stdout, stderr, ms: performance.now() - started }
}

export interface MaxRss {
  /** Max resident set size of the child, in KiB. */
  kib: number
  /** What read it, for the report. */
  tool: string
}

const PYTHON_MAX_RSS = [
  'import resource, subprocess, sys',
  'code = subprocess.call(sys.argv[2:])',
  'open(sys.argv[1], "w").write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))',
  'sys.exit(code)'
].join('\n')

/**
 * Node cannot read a child's rusage, so the command runs under a wrapper that can: GNU time,
 * or else Python's resource module. Both write the max RSS in KiB (Linux) to `reportFile`.
 */
function maxRssWrapper(reportFile: string): { tool: string; command: string; args: string[] } {
  if (existsSync('/usr/bin/time')) {
    return { tool: '/usr/bin/time -f %M', command: '/usr/bin/time', args: ['-f', '%M', '-o', reportFile] }
  }
  if (spawnSync('python3', ['--version']).status === 0) {
    return {
      tool: 'python3 resource.RUSAGE_CHILDREN',
      command: 'python3',
      args: ['-c', PYTHON_MAX_RSS, reportFile]
    }
  }
  throw new Error('Peak memory needs /usr/bin/time or python3 to read the max RSS of a process')
}

/** timeProcess, plus the child's max RSS; `dir` holds the wrapper's report file. */
export async function timeWithMaxRss(
  command: string,
  args: string[],
  env: Record<string, string>,
  dir: string
): Promise<TimedProcess & MaxRss> {
  const reportFile = path.join(dir, 'maxrss')
  const wrapper = maxRssWrapper(reportFile)
  const run = await timeProcess(wrapper.command, [...wrapper.args, command, ...args], env)
  // GNU time writes "Command exited with non-zero status N" first when there is one; the number is last.
  const kib = Number((await readFile(reportFile, 'utf8')).trim().split('\n').pop())
  if (!Number.isFinite(kib) || kib <= 0) throw new Error(`${wrapper.tool} reported no max RSS`)
  return { ...run, kib, tool: wrapper.tool }
}

/**
 * One status read (v2 by default) with `curl --digest`, a fresh process as in `while ...; do curl ...; sleep 1;
 * done`. The key pair goes in through a config file on stdin rather than `--user` on the
 * command line: the same option to curl, but the private key stays out of the process list.
 */
export async function curlDigestRead(
  url: string,
  keys: KeyPair,
  env: Record<string, string>,
  accept = V2_ACCEPT
): Promise<TimedProcess & { status: string }> {
  const args = [
    '--silent',
    '--show-error',
    '--digest',
    '--config',
    '-',
    '-H',
    `Accept: ${accept}`,
    '--max-time',
    String(READ_TIMEOUT_MS / 1000),
    url
  ]
  const run = await timeProcess('curl', args, env, `user = "${keys.publicKey}:${keys.privateKey}"\n`)
  if (run.exitCode !== 0) throw new Error(`curl --digest exited with ${run.exitCode}: ${run.stderr.trim()}`)
  return { ...run, status: connectionStatusOf(run.stdout, 'curl --digest') }
}

/**
 * One status read as the Go Digest transport makes it: no state between reads, so every read
 * is an unauthenticated GET, the 401 challenge, and the answer with nc=00000001 and a new
 * random cnonce. `answerMs` is the round trip of the answered request alone.
 */
export async function freshChallengeRead(
  url: string,
  keys: KeyPair,
  acceptType = V2_ACCEPT
): Promise<{ status: string; answerMs: number }> {
  const accept = { Accept: acceptType }
  const challengeResponse = await fetch(url, {
    headers: accept,
    signal: AbortSignal.timeout(READ_TIMEOUT_MS)
  })
  await challengeResponse.arrayBuffer() // drain it, so the connection is free for the answer
  const challenge = challengeResponse.headers.get('www-authenticate')
  if (challengeResponse.status !== 401 || challenge === null || !/^digest\s/i.test(challenge)) {
    throw new Error(`The fresh-challenge client expected a Digest 401, got HTTP ${challengeResponse.status}`)
  }
  const authorization = digestAnswer(challenge, 'GET', url, keys)
  const started = performance.now()
  const answered = await fetch(url, {
    headers: { ...accept, Authorization: authorization },
    signal: AbortSignal.timeout(READ_TIMEOUT_MS)
  })
  const body = await answered.text()
  const answerMs = performance.now() - started
  if (answered.status !== 200) throw new Error(`The fresh-challenge client got HTTP ${answered.status}`)
  return { status: connectionStatusOf(body, 'the fresh-challenge client'), answerMs }
}

/** RFC 7616 with MD5 and qop=auth, always as the first use of the nonce. */
function digestAnswer(challenge: string, method: string, url: string, keys: KeyPair): string {
  const { realm, nonce, qop } = parseDigestFields(challenge.replace(/^\s*digest\s+/i, ''))
  if (realm === undefined || nonce === undefined || !(qop ?? '').split(',').includes('auth')) {
    throw new Error('The Digest challenge lacks realm, nonce or qop=auth')
  }
  const { pathname, search } = new URL(url)
  const uri = `${pathname}${search}`
  const nc = '00000001'
  const cnonce = randomBytes(16).toString('hex')
  const ha1 = md5(`${keys.publicKey}:${realm}:${keys.privateKey}`)
  const ha2 = md5(`${method}:${uri}`)
  const response = md5(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`)
  return [
    `Digest username="${keys.publicKey}"`,
    `realm="${realm}"`,
    `nonce="${nonce}"`,
    `uri="${uri}"`,
    'qop=auth',
    `nc=${nc}`,
    `cnonce="${cnonce}"`,
    'algorithm=MD5',
    `response="${response}"`
  ].join(', ')
}

function md5(text: string): string {
  return createHash('md5').update(text).digest('hex')
}

/**
 * Reads until `want` is seen, pausing `intervalMs` between reads as a polling loop does.
 * Returns how many reads it took; throws if `want` never comes within `maxPolls`.
 */
export async function pollUntil(
  read: () => Promise<string>,
  want: string,
  maxPolls: number,
  intervalMs: number
): Promise<number> {
  for (let poll = 1; poll <= maxPolls; poll++) {
    if ((await read()) === want) return poll
    await sleep(intervalMs)
  }
  throw new Error(`${want} was not read within ${maxPolls} polls`)
}

/**
 * The plain-fetch floor: Node 24 starts, makes one GET, reads the JSON, prints the status and
 * exits. Nothing else: no inputs, no Digest, no outputs.
 */
const PLAIN_FETCH_SCRIPT = `const response = await fetch(process.argv[2], { headers: { Accept: '${V2_ACCEPT}' } })
const body = await response.json()
if (response.status !== 200) process.exit(1)
console.log(body.connectionStatus)
`

export async function writePlainFetchScript(dir: string): Promise<string> {
  const file = path.join(dir, 'plain-fetch.mjs')
  await writeFile(file, PLAIN_FETCH_SCRIPT)
  return file
}

/** A server that answers every request with 200 and `body`: the plain-fetch script's target. */
export async function startJsonServer(body: unknown): Promise<{ url: string; stop: () => Promise<void> }> {
  const text = JSON.stringify(body)
  const server = http.createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'application/vnd.atlas.2023-01-01+json' })
    response.end(text)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/endpoint`,
    stop: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

function connectionStatusOf(text: string, client: string): string {
  try {
    const status = (JSON.parse(text) as { connectionStatus?: unknown }).connectionStatus
    if (typeof status === 'string') return status
  } catch {
    // fall through to the error below: the body is not JSON
  }
  throw new Error(`${client} got a body without a connectionStatus`)
}
