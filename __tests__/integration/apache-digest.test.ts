/**
 * A second opinion on the Digest client from a server nobody here wrote: Apache httpd's
 * mod_auth_digest with `AuthDigestNcCheck On`, which refuses a nonce count that is not above
 * the last one it saw for that nonce. Concurrent reads through the real ApiKeyAuthenticator must
 * all succeed, each Digest session answering exactly one challenge.
 *
 * Runs where the machine has Apache (Debian/Ubuntu: `apt-get install apache2`); elsewhere the
 * suite is skipped, and its name says why.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ApiKeyAuthenticator, MAX_DIGEST_SESSIONS } from '../../src/auth/api-key.js'
import { Deadline, systemClock } from '../../src/common/clock.js'
import { nodeHttpFetch } from '../../src/http/node-http.js'
import { createTransport, type FetchLike } from '../../src/http/transport.js'
import { pipelineLoader } from '../../src/auth/sign-in.js'

const USER = 'abcdefgh'
const PASSWORD = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0'
const REALM = 'MMS Public API'
const BODY = '{"interfaceEndpointId":"vpce-0123456789abcdef0","connectionStatus":"AVAILABLE"}'

const APACHE = ['/usr/sbin/apache2', '/usr/sbin/httpd'].find(path => existsSync(path))
const MODULES = ['/usr/lib/apache2/modules', '/usr/lib64/httpd/modules', '/usr/lib/httpd/modules'].find(dir =>
  existsSync(join(dir, 'mod_auth_digest.so'))
)
const SKIPPED =
  APACHE && MODULES
    ? undefined
    : `${APACHE ? 'mod_auth_digest.so was not found next to Apache httpd' : 'Apache httpd is not installed (/usr/sbin/apache2 or /usr/sbin/httpd)'}; apt-get install apache2 runs it`
const describeWithApache = SKIPPED ? describe.skip : describe
const title = SKIPPED
  ? `Apache httpd mod_auth_digest: skipped, ${SKIPPED}`
  : 'Apache httpd mod_auth_digest (AuthDigestNcCheck On) as a second opinion'
// The test log shows counts only: say in one line why these tests did not run.
if (SKIPPED) process.stderr.write(`apache-digest.test.ts skipped: ${SKIPPED}.\n`)

interface Apache {
  process: ChildProcess
  dir: string
  url: string
  /**
   * Status of each request Apache answered with `X-Test: <tag>`, from its access log, once it
   * holds at least `atLeast` of them (Apache logs a request just after answering it, so a
   * client can be faster).
   */
  statuses(tag: string, atLeast: number): Promise<number[]>
}

let apache: Apache | undefined

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>(resolve => server.close(() => resolve()))
  return port
}

/** A private Apache on a loopback port: a Digest-protected static JSON file, nothing else. */
async function startApache(): Promise<Apache> {
  const dir = mkdtempSync(join(tmpdir(), 'apache-digest-'))
  // Apache's workers drop to another user when started by root: they must be able to read these.
  chmodSync(dir, 0o755)
  mkdirSync(join(dir, 'docs', 'api'), { recursive: true })
  writeFileSync(join(dir, 'docs', 'api', 'endpoint.json'), BODY)
  const ha1 = createHash('md5').update(`${USER}:${REALM}:${PASSWORD}`).digest('hex')
  writeFileSync(join(dir, 'htdigest'), `${USER}:${REALM}:${ha1}\n`)
  const port = await freePort()
  const asRoot = process.getuid?.() === 0
  const runAs = readFileSync('/etc/passwd', 'utf8').includes('\nwww-data:') ? 'www-data' : 'nobody'
  const load = (name: string, file: string): string => `LoadModule ${name} ${join(MODULES ?? '', file)}`
  const config = [
    `ServerRoot ${dir}`,
    'ServerName 127.0.0.1',
    `Listen 127.0.0.1:${port}`,
    `PidFile ${join(dir, 'httpd.pid')}`,
    `DefaultRuntimeDir ${dir}`,
    `ErrorLog ${join(dir, 'error.log')}`,
    'LogFormat "%>s %{X-Test}i" short',
    `CustomLog ${join(dir, 'access.log')} short`,
    ...(asRoot ? [`User ${runAs}`, `Group ${runAs === 'nobody' ? 'nogroup' : runAs}`] : []),
    load('mpm_event_module', 'mod_mpm_event.so'),
    load('authn_core_module', 'mod_authn_core.so'),
    load('authn_file_module', 'mod_authn_file.so'),
    load('authz_core_module', 'mod_authz_core.so'),
    load('authz_user_module', 'mod_authz_user.so'),
    load('auth_digest_module', 'mod_auth_digest.so'),
    load('mime_module', 'mod_mime.so'),
    'TypesConfig /dev/null',
    'AddType application/json .json',
    `DocumentRoot ${join(dir, 'docs')}`,
    `<Directory ${join(dir, 'docs')}>`,
    '  AuthType Digest',
    `  AuthName "${REALM}"`,
    '  AuthDigestProvider file',
    `  AuthUserFile ${join(dir, 'htdigest')}`,
    '  AuthDigestNcCheck On',
    '  Require valid-user',
    '</Directory>'
  ].join('\n')
  writeFileSync(join(dir, 'httpd.conf'), `${config}\n`)
  for (const file of ['httpd.conf', 'htdigest', 'docs/api/endpoint.json']) chmodSync(join(dir, file), 0o644)
  chmodSync(join(dir, 'docs'), 0o755)
  chmodSync(join(dir, 'docs', 'api'), 0o755)

  const child = spawn(APACHE ?? '', ['-f', join(dir, 'httpd.conf'), '-DFOREGROUND'], {
    stdio: ['ignore', 'ignore', 'pipe']
  })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const url = `http://127.0.0.1:${port}/api/endpoint.json`
  const started = Date.now()
  for (;;) {
    if (child.exitCode !== null) {
      const log = existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : ''
      throw new Error(`Apache exited at start (${child.exitCode}): ${stderr}${log}`)
    }
    const ready = await fetch(url).then(
      response => response.status === 401,
      () => false
    )
    if (ready) break
    if (Date.now() - started > 3_000) throw new Error(`Apache did not answer within 3 s: ${stderr}`)
    await new Promise(resolve => setTimeout(resolve, 25))
  }
  return {
    process: child,
    dir,
    url,
    statuses: async (tag, atLeast) => {
      const until = Date.now() + 2_000
      let lines = readLog(dir, tag)
      while (lines.length < atLeast && Date.now() < until) {
        await new Promise(resolve => setTimeout(resolve, 10))
        lines = readLog(dir, tag)
      }
      return lines
    }
  }
}

function readLog(dir: string, tag: string): number[] {
  const file = join(dir, 'access.log')
  if (!existsSync(file)) return []
  return readFileSync(file, 'utf8')
    .split('\n')
    .map(line => line.split(' '))
    .filter(([, logged]) => logged === tag)
    .map(([status]) => Number(status))
}

async function stopApache(server: Apache): Promise<void> {
  if (server.process.exitCode === null && server.process.signalCode === null) {
    const exited = new Promise(resolve => server.process.once('exit', resolve))
    server.process.kill('SIGTERM')
    await exited
  }
  rmSync(server.dir, { recursive: true, force: true })
}

function authenticator(password = PASSWORD, pipelined = false): ApiKeyAuthenticator {
  const deadline = new Deadline(systemClock, systemClock.now(), 60_000)
  const signal = new AbortController().signal
  const transportOver = (fetch: FetchLike) =>
    createTransport({ fetch, requestTimeoutMs: 5_000, deadline, signal })
  return new ApiKeyAuthenticator({
    publicKey: USER,
    privateKey: password,
    send: transportOver(nodeHttpFetch),
    // As a direct run has it: sessions move to pipelined connections when more reads wait.
    ...(pipelined ? { pipeline: pipelineLoader(transportOver) } : {})
  })
}

/** `reads` reads at once through one authenticator, tagged for the log; the status and body of each. */
async function readAtOnce(auth: ApiKeyAuthenticator, url: string, reads: number, tag: string) {
  return Promise.all(
    Array.from({ length: reads }, async () => {
      const response = await auth.send(url, { headers: { Accept: 'application/json', 'X-Test': tag } })
      return { status: response.status, body: await response.text() }
    })
  )
}

/** A Digest answer to `challenge` with the given nc, written here with node:crypto alone. */
function answer(challenge: string, nc: string): string {
  const nonce = /nonce="([^"]+)"/.exec(challenge)?.[1] ?? ''
  const opaque = /opaque="([^"]+)"/.exec(challenge)?.[1] ?? ''
  const md5 = (text: string) => createHash('md5').update(text).digest('hex')
  const uri = '/api/endpoint.json'
  const response = md5(
    `${md5(`${USER}:${REALM}:${PASSWORD}`)}:${nonce}:${nc}:c0ffee:auth:${md5(`GET:${uri}`)}`
  )
  return `Digest username="${USER}", realm="${REALM}", nonce="${nonce}", uri="${uri}", algorithm=MD5, qop=auth, nc=${nc}, cnonce="c0ffee", opaque="${opaque}", response="${response}"`
}

describeWithApache(title, () => {
  beforeAll(async () => {
    apache = await startApache()
  })
  afterAll(async () => {
    if (apache) await stopApache(apache)
  })

  it('refuses a nonce count it has already seen (so it can catch a client that sends them out of order)', async () => {
    const server = apache as Apache
    const challenge = (await fetch(server.url)).headers.get('www-authenticate') ?? ''
    expect(challenge).toMatch(
      /^Digest realm="MMS Public API", nonce="[^"]+", algorithm=MD5, opaque="[^"]+", qop="auth"$/
    )
    const send = async (nc: string) =>
      (await fetch(server.url, { headers: { Authorization: answer(challenge, nc) } })).status
    expect(await send('00000001')).toBe(200)
    expect(await send('00000001')).toBe(401)
    expect(await send('00000003')).toBe(200)
    expect(await send('00000002')).toBe(401)
  })

  it(`answers 3 rounds of 10 concurrent reads, each of at most ${MAX_DIGEST_SESSIONS} sessions challenged once`, async () => {
    const server = apache as Apache
    const auth = authenticator()
    for (let round = 0; round < 3; round++) {
      const reads = await readAtOnce(auth, server.url, 10, 'concurrent')
      expect(reads.map(read => read.status)).toEqual(Array(10).fill(200))
      for (const read of reads) expect(read.body).toBe(BODY)
    }
    expect(auth.sessionCount).toBeLessThanOrEqual(MAX_DIGEST_SESSIONS)
    const statuses = await server.statuses('concurrent', 30 + auth.sessionCount)
    // One challenge per session, when it opened; never a second one.
    expect(statuses.filter(status => status === 401)).toHaveLength(auth.sessionCount)
    expect(statuses).toHaveLength(30 + auth.sessionCount)
  })

  it(`answers 8 reads at once over ${MAX_DIGEST_SESSIONS} pipelined sessions, each challenged once, past MaxKeepAliveRequests`, async () => {
    const server = apache as Apache
    const auth = authenticator(PASSWORD, true)
    // 60 rounds of 8: about 120 requests per connection, so Apache (MaxKeepAliveRequests 100)
    // ends each connection once, with `Connection: close`, while a request may be pipelined behind.
    const rounds = 60
    try {
      for (let round = 0; round < rounds; round++) {
        const reads = await readAtOnce(auth, server.url, 8, 'pipelined')
        expect(reads.map(read => read.status)).toEqual(Array(8).fill(200))
        for (const read of reads) expect(read.body).toBe(BODY)
      }
      expect(auth.sessionCount).toBe(MAX_DIGEST_SESSIONS)
      expect(auth.pipelinedSessions).toBe(MAX_DIGEST_SESSIONS)
      const { connections, pipelined, rewritten } = auth.pipelineStats
      expect(pipelined).toBeGreaterThan(rounds)
      // Each connection ended by Apache after 100 answers was followed by a new one.
      expect(connections).toBeGreaterThan(MAX_DIGEST_SESSIONS)
      expect(rewritten).toBeLessThanOrEqual(connections)
      const statuses = await server.statuses('pipelined', 8 * rounds + MAX_DIGEST_SESSIONS)
      // One challenge per session, when it opened; never a second one; no read sent twice.
      expect(statuses.filter(status => status === 401)).toHaveLength(MAX_DIGEST_SESSIONS)
      expect(statuses).toHaveLength(8 * rounds + MAX_DIGEST_SESSIONS)
    } finally {
      await auth.close()
    }
  })

  it('costs N + 1 requests for N reads one after another', async () => {
    const server = apache as Apache
    const auth = authenticator()
    for (let i = 0; i < 12; i++) {
      expect((await readAtOnce(auth, server.url, 1, 'one-by-one'))[0].status).toBe(200)
    }
    expect(auth.sessionCount).toBe(1)
    expect(await server.statuses('one-by-one', 13)).toEqual([401, ...Array(12).fill(200)])
  })

  it('hands back the 401 with a wrong password, 2 requests per read', async () => {
    const server = apache as Apache
    const reads = await readAtOnce(authenticator('wrong-password'), server.url, 6, 'wrong-password')
    expect(reads.map(read => read.status)).toEqual(Array(6).fill(401))
    expect(await server.statuses('wrong-password', 12)).toEqual(Array(12).fill(401))
  })
})
