/**
 * Workflows cannot run here, so every file in .github/workflows is read by GitHub's own parser
 * (@actions/workflow-parser, from its language services) and converted as the runner would:
 * any error it reports fails the test. The `uses: ./` job must give the action the stand-in's
 * IDs, and every action another repository publishes must be pinned to a commit.
 */
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser'
import type { WorkflowTemplate } from '@actions/workflow-parser'
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
  it('has the CI and release workflows', () => {
    expect(files).toEqual(expect.arrayContaining(['ci.yml', 'release.yml']))
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

describe('.github/dependabot.yml', () => {
  it('updates npm packages and the workflows’ actions', () => {
    const text = readFileSync(path.join(ROOT, '.github', 'dependabot.yml'), 'utf8')
    expect(text).toMatch(/^version: 2$/m)
    expect(text).toMatch(/package-ecosystem: npm/)
    expect(text).toMatch(/package-ecosystem: github-actions/)
  })
})
