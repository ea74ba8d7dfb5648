/**
 * What this repository's workflows promise (issue 14), as checks that return the broken
 * promises in words ([] when all hold). Each reads a workflow as GitHub's own parser reads it
 * (@actions/workflow-parser), turned into plain values: mappings become objects, sequences
 * arrays, and an expression `${{ x }}` the string `${{ x }}` with the parser's spelling of x.
 */
import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser'

export type Plain = string | number | boolean | null | Plain[] | { [key: string]: Plain }
type Mapping = { [key: string]: Plain }

/** The parser's serialized tokens as plain values. */
function plain(token: unknown): Plain {
  if (token === null || token === undefined) return null
  if (typeof token !== 'object') return token as string | number | boolean
  const serialized = token as { map?: { Key: unknown; Value: unknown }[]; seq?: unknown[]; expr?: string }
  if (serialized.map) {
    return Object.fromEntries(serialized.map.map(({ Key, Value }) => [String(plain(Key)), plain(Value)]))
  }
  if (serialized.seq) return serialized.seq.map(plain)
  if (serialized.expr !== undefined) return `\${{ ${serialized.expr} }}`
  throw new Error(`Unknown token ${JSON.stringify(token)}`)
}

/** The workflow as plain values; throws on what the parser reports. */
export function readWorkflow(name: string, content: string): Mapping {
  const parsed = parseWorkflow({ name, content }, new NoOperationTraceWriter())
  const errors = parsed.context.errors.getErrors()
  if (errors.length > 0 || !parsed.value) {
    throw new Error(`${name}: ${errors.map(error => error.message).join('; ')}`)
  }
  return plain(JSON.parse(JSON.stringify(parsed.value))) as Mapping
}

const isMapping = (value: Plain | undefined): value is Mapping =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
const mapping = (value: Plain | undefined): Mapping => (isMapping(value) ? value : {})
const list = (value: Plain | undefined): Plain[] => (Array.isArray(value) ? value : [])

function jobs(workflow: Mapping): [string, Mapping][] {
  return Object.entries(mapping(workflow.jobs)).map(([id, job]) => [id, mapping(job)])
}

function steps(job: Mapping): Mapping[] {
  return list(job.steps).map(mapping)
}

const uses = (step: Mapping): string => (typeof step.uses === 'string' ? step.uses : '')
const run = (step: Mapping): string => (typeof step.run === 'string' ? step.run : '')

/** The scopes a `permissions:` value grants write access to (`write-all` counts as all). */
function writes(permissions: Plain | undefined): string[] {
  if (permissions === 'write-all') return ['write-all']
  return Object.entries(mapping(permissions))
    .filter(([, level]) => level === 'write')
    .map(([scope]) => scope)
}

function matrixOs(job: Mapping): Plain[] {
  return list(mapping(mapping(job.strategy).matrix).os)
}

function shell(job: Mapping): Plain | undefined {
  return mapping(mapping(job.defaults).run).shell
}

const CODEQL = /^github\/codeql-action\/(init|analyze)@([0-9a-f]{40})$/

function isCodeqlJob(job: Mapping): boolean {
  return steps(job).some(step => CODEQL.test(uses(step)))
}

/** CodeQL over javascript-typescript on push, pull request and a schedule, writing only from its job. */
export function codeqlProblems(text: string): string[] {
  const problems: string[] = []
  const workflow = readWorkflow('codeql.yml', text)
  const on = mapping(workflow.on)
  for (const event of ['push', 'pull_request'])
    if (!(event in on)) problems.push(`codeql.yml does not run on ${event}`)
  if (!list(on.schedule).some(entry => typeof mapping(entry).cron === 'string'))
    problems.push('codeql.yml does not run on a schedule')
  const wide = writes(workflow.permissions)
  if (workflow.permissions === undefined)
    problems.push('codeql.yml leaves the workflow its default permissions')
  if (wide.length > 0)
    problems.push(`codeql.yml grants write access to the whole workflow: ${wide.join(', ')}`)

  const analysing = jobs(workflow).filter(([, job]) => isCodeqlJob(job))
  if (analysing.length !== 1) return [...problems, `codeql.yml has ${analysing.length} CodeQL jobs, not 1`]
  const [id, job] = analysing[0]
  const granted = writes(job.permissions)
  if (!granted.includes('security-events'))
    problems.push(`the CodeQL job (${id}) does not have security-events: write`)
  const others = granted.filter(scope => scope !== 'security-events')
  if (others.length > 0) problems.push(`the CodeQL job (${id}) can also write: ${others.join(', ')}`)

  const codeql = steps(job).flatMap(step => {
    const match = CODEQL.exec(uses(step))
    return match ? [{ action: match[1], commit: match[2], with: mapping(step.with) }] : []
  })
  const init = codeql.find(step => step.action === 'init')
  if (!init) problems.push('codeql.yml has no init step')
  else if (init.with.languages !== 'javascript-typescript')
    problems.push(`codeql.yml analyses ${JSON.stringify(init.with.languages)}, not javascript-typescript`)
  if (!codeql.some(step => step.action === 'analyze')) problems.push('codeql.yml has no analyze step')
  if (new Set(codeql.map(step => step.commit)).size > 1)
    problems.push('codeql.yml pins init and analyze to different commits')
  return problems
}

/** `security-events: write` on no job but the CodeQL one, and never for a whole workflow. */
export function securityEventsProblems(name: string, text: string): string[] {
  const workflow = readWorkflow(name, text)
  const where = [
    ...(writes(workflow.permissions).some(scope => scope === 'security-events' || scope === 'write-all')
      ? ['workflow']
      : []),
    ...jobs(workflow)
      .filter(([, job]) => !isCodeqlJob(job))
      .filter(([, job]) => writes(job.permissions).some(s => s === 'security-events' || s === 'write-all'))
      .map(([id]) => id)
  ]
  return where.map(place => `${name} grants security-events: write outside the CodeQL job (${place})`)
}

const PULL_REQUESTS_ONLY = "${{ github.event_name == 'pull_request' }}"

/** CI on Windows too, with bash, and only pull requests cancelled in progress. */
export function ciProblems(text: string): string[] {
  const problems: string[] = []
  const workflow = readWorkflow('ci.yml', text)
  const cancel = mapping(workflow.concurrency)['cancel-in-progress']
  if (cancel !== PULL_REQUESTS_ONLY)
    problems.push(`ci.yml's cancel-in-progress is ${String(cancel)}, not ${PULL_REQUESTS_ONLY.slice(4, -3)}`)

  const all = jobs(workflow)
  const test = all.find(([, job]) => steps(job).some(step => /\bnpm test\b/.test(run(step))))
  if (!test) problems.push('ci.yml has no job that runs npm test')
  else {
    const [, job] = test
    if (!matrixOs(job).includes('windows-latest'))
      problems.push('the test job does not run on windows-latest')
    if (shell(job) !== 'bash') problems.push('the test job does not run its scripts with bash')
    // What a Windows runner runs: steps without an `if`, or whose `if` admits Windows.
    const onWindows = steps(job)
      .filter(step => step.if === undefined || /== 'Windows'/.test(String(step.if)))
      .map(run)
      .join('\n')
    for (const suite of ['lint', 'test:unit', 'test:integration', 'test:e2e'])
      if (!onWindows.includes(`npm run -s ${suite}`) && !/^npm test$/m.test(onWindows))
        problems.push(`the test job runs no ${suite} on Windows`)
  }

  const action = all.find(([, job]) => steps(job).some(step => uses(step) === './'))
  if (!action) problems.push('ci.yml has no uses: ./ job')
  else {
    const [id, job] = action
    if (!matrixOs(job).includes('windows-latest'))
      problems.push(`the uses: ./ job (${id}) does not run on windows-latest`)
    if (job['runs-on'] !== '${{ matrix.os }}')
      problems.push(`the uses: ./ job (${id}) does not run on matrix.os`)
    if (shell(job) !== 'bash') problems.push(`the uses: ./ job (${id}) does not run its scripts with bash`)
  }
  return problems
}

/** Full releases only, one at a time, and the major tag moved only after dist/ was checked. */
export function releaseProblems(text: string): string[] {
  const problems: string[] = []
  const workflow = readWorkflow('release.yml', text)
  const types = list(mapping(mapping(workflow.on).release).types)
  if (JSON.stringify(types) !== '["released"]')
    problems.push(`release.yml runs on release types [${types.join(', ')}], not [released]`)
  const concurrency = workflow.concurrency
  const group = isMapping(concurrency) ? concurrency.group : concurrency
  if (typeof group !== 'string' || group === '') problems.push('release.yml has no concurrency group')
  if (!isMapping(concurrency) || concurrency['cancel-in-progress'] !== false)
    problems.push('release.yml may cancel a release in progress')
  const wide = writes(workflow.permissions)
  if (wide.length > 0)
    problems.push(`release.yml grants write access to the whole workflow: ${wide.join(', ')}`)

  const all = jobs(workflow)
  const checks = all.find(([, job]) => steps(job).some(step => /npm run (-s )?check-dist/.test(run(step))))
  const pushes = all.find(([, job]) => steps(job).some(step => /git push/.test(run(step))))
  if (!checks) return [...problems, 'release.yml never runs check-dist']
  if (!pushes) return [...problems, 'release.yml never pushes the major tag']
  const [checkId, checkJob] = checks
  const [pushId, pushJob] = pushes
  const needs = pushJob.needs
  if (pushId === checkId) problems.push('release.yml checks dist/ in the job that holds the write token')
  else if (!(needs === checkId || list(needs).includes(checkId)))
    problems.push(
      `the job that pushes the tag (${pushId}) does not need the job that runs check-dist (${checkId})`
    )
  const checkWrites = writes(checkJob.permissions)
  if (checkJob.permissions === undefined)
    problems.push(`the job that runs check-dist (${checkId}) has no permissions set`)
  if (checkWrites.length > 0)
    problems.push(`the job that runs check-dist (${checkId}) can write: ${checkWrites.join(', ')}`)
  if (steps(pushJob).some(step => /\bnpm\b/.test(run(step))))
    problems.push(`the job that pushes the tag (${pushId}) runs npm with a write token`)
  return problems
}

/** Every `uses: owner/repo@<40 hex>` line carries its version as `# vX.Y.Z`. */
export function pinProblems(name: string, text: string): string[] {
  return text
    .split('\n')
    .map(line => /^\s*(?:- )?uses: ([^\s@]+@[0-9a-f]{40})(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null && !/^\s+# v\d+\.\d+\.\d+\b/.test(match[2]))
    .map(match => `${name}: ${match[1]} has no "# vX.Y.Z" comment`)
}

/** LF for every text file (a Windows checkout passes prettier --check), and dist/ generated. */
export function gitattributesProblems(text: string): string[] {
  const lines = text.split('\n').map(line => line.trim())
  const problems: string[] = []
  if (!lines.includes('* text=auto eol=lf')) problems.push('.gitattributes does not set "* text=auto eol=lf"')
  if (!lines.some(line => /^dist\/\*\* .*linguist-generated=true/.test(line)))
    problems.push('.gitattributes does not mark dist/** as generated')
  return problems
}
