/**
 * action.yml is the action's public contract. It is read by the parser GitHub's language
 * services use for action files (@actions/workflow-parser, whose schema knows `node24`, the
 * branding icons and colors), then held to the Marketplace's own rules: a description under 125
 * characters, an author, and a description for every input and output.
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { NoOperationTraceWriter } from '@actions/workflow-parser'
import { convertActionTemplate, parseAction } from '@actions/workflow-parser/actions/index'
import type { ActionTemplate } from '@actions/workflow-parser/actions/index'
import { ROOT } from '../../standin/paths.js'

function read(content: string): { errors: string[]; action?: ActionTemplate } {
  const parsed = parseAction({ name: 'action.yml', content }, new NoOperationTraceWriter())
  const errors = parsed.context.errors.getErrors().map(error => error.message)
  if (!parsed.value || errors.length > 0) return { errors }
  return { errors, action: convertActionTemplate(parsed.context, parsed.value) }
}

const { errors, action } = read(readFileSync(path.join(ROOT, 'action.yml'), 'utf8'))

describe('action.yml', () => {
  it('has no error against the action schema', () => {
    expect(errors).toEqual([])
    expect(action).toBeDefined()
  })

  it('has a name, an author and a description under 125 characters (the Marketplace refuses longer)', () => {
    expect(action?.name).toMatch(/\S/)
    expect(action?.author).toMatch(/\S/)
    expect(action?.description.length).toBeLessThan(125)
  })

  it('runs dist/index.js on node24', () => {
    expect(action?.runs).toMatchObject({ using: 'node24', main: 'dist/index.js' })
    expect(existsSync(path.join(ROOT, 'dist', 'index.js'))).toBe(true)
  })

  it('describes every input and output', () => {
    const entries = [...(action?.inputs ?? []), ...(action?.outputs ?? [])]
    expect(entries.length).toBeGreaterThan(0)
    const undescribed = entries.filter(entry => !entry.description?.trim()).map(entry => entry.id)
    expect(undescribed).toEqual([])
  })

  it('has Marketplace branding', () => {
    expect(action?.branding?.icon).toMatch(/\S/)
    expect(action?.branding?.color).toMatch(/\S/)
  })

  it('the schema check is not blind: an unknown runtime, a missing description and a bad color fail', () => {
    const bad = [
      'name: x',
      'branding:',
      '  color: pink',
      'runs:',
      '  using: node99',
      '  main: index.js'
    ].join('\n')
    const found = read(bad).errors.join('\n')
    expect(found).toMatch(/description/)
    expect(found).toMatch(/node99|using/)
    expect(found).toMatch(/pink/)
  })
})
