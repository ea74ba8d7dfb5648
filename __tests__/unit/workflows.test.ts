/**
 * Workflows cannot run here, so every file in .github/workflows is read by GitHub's own parser
 * (@actions/workflow-parser, from its language services) and converted as the runner would:
 * any error it reports fails the test. The `uses: ./` job must give the action the stand-in's
 * IDs, and every action another repository publishes must be pinned to a commit with its
 * version beside it.
 *
 * What the workflows promise (issue 14) is checked on the parser's own reading of each file:
 * CodeQL with `security-events: write` on its job only, CI on Windows too, pull requests alone
 * cancelled in progress, and a release workflow that moves the major tag one release at a time
 * and only to a commit whose dist/ was checked. Each check is also run on a copy of the file
 * with the promise broken, so that none of them can pass by seeing nothing.
 */
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser'
import type { WorkflowTemplate } from '@actions/workflow-parser'
import {
  ciProblems,
  codeqlProblems,
  gitattributesProblems,
  pinProblems,
  releaseProblems,
  securityEventsProblems
} from '../helpers/workflow-promises.js'
import { IDS } from '../helpers/ids.js'
import { ROOT } from '../../standin/paths.js'

const DIR = path.join(ROOT, '.github', 'workflows')
const files = readdirSync(DIR).filter(name => /\.ya?ml$/.test(name))

/** Errors the parser and the converter report, as `file: message` lines. */
async function lint(
  name: string,
  content: string
): Promise<{ errors: string[]; template?: WorkflowTemplate }> {
  const parsed = parseWorkflow({ name, content }, new NoOperationTraceWriter())
  const template = parsed.value ? await convertWorkflowTemplate(parsed.context, parsed.value) : undefined
  const errors = parsed.context.errors.getErrors().map(error => error.message)
  return { errors: [...errors, ...(template?.errors ?? []).map(error => error.Message)], template }
}

type Step = { uses?: { value: string }; with?: unknown }

function steps(template: WorkflowTemplate): Step[] {
  return template.jobs.flatMap(job => ('steps' in job ? (job.steps as Step[]) : []))
}

describe('.github/workflows', () => {
  it('has the CI, release and CodeQL workflows', () => {
    expect(files).toEqual(expect.arrayContaining(['ci.yml', 'release.yml', 'codeql.yml']))
  })

  it.each(files)('%s has no error that GitHub would report', async name => {
    const { errors, template } = await lint(name, readFileSync(path.join(DIR, name), 'utf8'))
    expect(errors).toEqual([])
    expect(template?.jobs.length).toBeGreaterThan(0)
  })

  it('the linter is not blind: it reports an unknown key, a bad expression and a job without runs-on', async () => {
    const bad = [
      'on: push',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    stepz: []',
      '  b:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: echo ${{ github.event.( }}',
      '  c:',
      '    steps:',
      '      - run: echo'
    ].join('\n')
    const { errors } = await lint('bad.yml', bad)
    expect(errors.join('\n')).toMatch(/stepz/)
    expect(errors.join('\n')).toMatch(/Unexpected symbol|unexpected/i)
    expect(errors.join('\n')).toMatch(/runs-on/)
  })

  it.each(files)('%s pins every action from another repository to a full commit SHA', async name => {
    const { template } = await lint(name, readFileSync(path.join(DIR, name), 'utf8'))
    const remote = steps(template as WorkflowTemplate)
      .map(step => step.uses?.value)
      .filter((uses): uses is string => uses !== undefined && !uses.startsWith('./'))
    for (const uses of remote) expect(uses).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/)
  })

  it('ci.yml runs the action itself with uses: ./, against the stand-in, with its IDs', () => {
    const ci = readFileSync(path.join(DIR, 'ci.yml'), 'utf8')
    expect(ci).toMatch(/^\s+uses: \.\/$/m)
    expect(ci).toContain('scripts/standin-server.ts')
    expect(ci).toContain('base-url: ${{ steps.standin.outputs.base-url }}')
    for (const value of Object.values(IDS)) expect(ci).toContain(`: ${value}\n`)
  })
})

/** The file with `from` replaced by `to`; throws when `from` is not there (the mutation must bite). */
function broken(name: string, from: string, to: string): string {
  const text = readFileSync(path.join(DIR, name), 'utf8')
  if (!text.includes(from)) throw new Error(`${name} no longer contains ${JSON.stringify(from)}`)
  return text.replace(from, to)
}

const read = (name: string): string => readFileSync(path.join(DIR, name), 'utf8')

describe('what the workflows promise', () => {
  it('codeql.yml analyses javascript-typescript on push, pull request and a schedule, writing security events from its job only', () => {
    expect(codeqlProblems(read('codeql.yml'))).toEqual([])
  })

  it('the CodeQL check sees a missing schedule, another language, a read-only job and a workflow-wide write', () => {
    expect(codeqlProblems(broken('codeql.yml', "  schedule:\n    - cron: '23 5 * * 1'\n", ''))).toEqual([
      'codeql.yml does not run on a schedule'
    ])
    expect(
      codeqlProblems(broken('codeql.yml', 'languages: javascript-typescript', 'languages: javascript'))
    ).toEqual(['codeql.yml analyses "javascript", not javascript-typescript'])
    expect(codeqlProblems(broken('codeql.yml', 'security-events: write', 'security-events: read'))).toEqual([
      'the CodeQL job (analyze) does not have security-events: write'
    ])
    expect(
      codeqlProblems(broken('codeql.yml', 'permissions: {}', 'permissions:\n  security-events: write'))
    ).toEqual(['codeql.yml grants write access to the whole workflow: security-events'])
    expect(
      codeqlProblems(
        broken(
          'codeql.yml',
          'analyze@8aad20d150bbac5944a9f9d289da16a4b0d87c1e',
          'analyze@0000000000000000000000000000000000000000'
        )
      )
    ).toEqual(['codeql.yml pins init and analyze to different commits'])
  })

  it.each(files)('%s grants security-events: write to no job but the CodeQL one', name => {
    expect(securityEventsProblems(name, read(name))).toEqual([])
  })

  it('the security-events check sees a grant on another job', () => {
    const text = broken(
      'ci.yml',
      'permissions:\n  contents: read\n',
      'permissions:\n  security-events: write\n'
    )
    expect(securityEventsProblems('ci.yml', text)).toEqual([
      'ci.yml grants security-events: write outside the CodeQL job (workflow)'
    ])
  })

  it('ci.yml tests on Windows too (every suite, and uses: ./), with bash, and cancels only pull requests in progress', () => {
    expect(ciProblems(read('ci.yml'))).toEqual([])
  })

  it('the CI check sees Windows missing from either job, a suite skipped on Windows, no bash, and cancelling every run', () => {
    expect(
      ciProblems(
        broken(
          'ci.yml',
          'os: [ubuntu-latest, macos-latest, windows-latest]',
          'os: [ubuntu-latest, macos-latest]'
        )
      )
    ).toEqual(['the test job does not run on windows-latest'])
    expect(
      ciProblems(broken('ci.yml', 'os: [ubuntu-latest, windows-latest]', 'os: [ubuntu-latest]'))
    ).toEqual(['the uses: ./ job (action) does not run on windows-latest'])
    expect(
      ciProblems(
        broken('ci.yml', 'npm run -s test:unit && npm run -s test:integration', 'npm run -s test:unit')
      )
    ).toEqual(['the test job runs no test:integration on Windows'])
    expect(
      ciProblems(
        broken(
          'ci.yml',
          '        # Git Bash on Windows: the tests call curl and openssl, which its PATH holds.\n        shell: bash',
          '        shell: pwsh'
        )
      )
    ).toEqual(['the test job does not run its scripts with bash'])
    expect(
      ciProblems(
        broken(
          'ci.yml',
          "cancel-in-progress: ${{ github.event_name == 'pull_request' }}",
          'cancel-in-progress: true'
        )
      )
    ).toEqual(["ci.yml's cancel-in-progress is true, not github.event_name == 'pull_request'"])
  })

  it('release.yml moves the major tag for full releases, one at a time, only after dist/ matched a fresh bundle', () => {
    expect(releaseProblems(read('release.yml'))).toEqual([])
  })

  it('the release check sees published releases, no concurrency group, a tag moved before the check, and a write token for the check', () => {
    expect(releaseProblems(broken('release.yml', 'types: [released]', 'types: [published]'))).toEqual([
      'release.yml runs on release types [published], not [released]'
    ])
    expect(
      releaseProblems(
        broken('release.yml', 'concurrency:\n  group: release-major-tag\n  cancel-in-progress: false\n', '')
      )
    ).toEqual(['release.yml has no concurrency group', 'release.yml may cancel a release in progress'])
    expect(releaseProblems(broken('release.yml', '    needs: verify\n', ''))).toEqual([
      'the job that pushes the tag (major-tag) does not need the job that runs check-dist (verify)'
    ])
    expect(
      releaseProblems(
        broken('release.yml', 'permissions:\n      contents: read\n', 'permissions:\n      contents: write\n')
      )
    ).toEqual(['the job that runs check-dist (verify) can write: contents'])
  })

  it.each(files)('%s gives each pinned commit its version in a comment', name => {
    expect(pinProblems(name, read(name))).toEqual([])
  })

  it('the pin check sees a commit without its version', () => {
    expect(pinProblems('ci.yml', broken('ci.yml', ' # v7.0.1', ''))).toEqual([
      'ci.yml: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 has no "# vX.Y.Z" comment'
    ])
  })
})

describe('.gitattributes', () => {
  const text = readFileSync(path.join(ROOT, '.gitattributes'), 'utf8')

  it('checks every text file out with LF (a Windows checkout passes prettier --check) and keeps dist/ generated', () => {
    expect(gitattributesProblems(text)).toEqual([])
  })

  it('the check sees either line missing', () => {
    expect(gitattributesProblems(text.replace('* text=auto eol=lf', '* text=auto'))).toEqual([
      '.gitattributes does not set "* text=auto eol=lf"'
    ])
    expect(gitattributesProblems(text.replace(/^dist.*$/m, ''))).toEqual([
      '.gitattributes does not mark dist/** as generated'
    ])
  })
})

describe('.github/dependabot.yml', () => {
  it('updates npm packages and the workflows’ actions', () => {
    const text = readFileSync(path.join(ROOT, '.github', 'dependabot.yml'), 'utf8')
    expect(text).toMatch(/^version: 2$/m)
    expect(text).toMatch(/package-ecosystem: npm/)
    expect(text).toMatch(/package-ecosystem: github-actions/)
  })
})
