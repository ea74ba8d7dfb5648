import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { SCENARIOS } from '../../scripts/demo/scenarios.js'
import { ADVICE } from '../../src/report/advice.js'
import { readActionYml } from '../../standin/action-yml.js'
import { ROOT } from '../../standin/paths.js'

/** The README's tables are the documentation people read: they must say what action.yml says. */
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8')
const metadata = readActionYml()

/** Rows of the markdown table under `## heading`, as arrays of trimmed cells. */
function table(heading: string): string[][] {
  const section = readme.split(`\n## ${heading}\n`)[1]?.split('\n## ')[0]
  if (section === undefined) throw new Error(`README has no "## ${heading}" section`)
  return section
    .split('\n')
    .filter(line => line.startsWith('| `'))
    .map(line =>
      line
        .slice(1, -1)
        .split(' | ')
        .map(cell => cell.trim())
    )
}

const unquote = (cell: string): string => cell.replace(/^`(.*)`$/, '$1').replace(/^''$/, '')

/** The README before its contents list: what a visitor reads first. */
const opening = readme.split('\n**Contents**\n')[0]

/** Fenced code blocks, in order, with their language. */
function blocks(markdown: string): { lang: string; code: string; at: number }[] {
  return [...markdown.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map(match => ({
    lang: match[1],
    code: match[2],
    at: match.index
  }))
}

describe('README opening', () => {
  it('opens with what the action does, then the uses: snippet, then the two set-up commands', () => {
    const [first, second] = blocks(opening)
    const prose = opening.slice(opening.indexOf('\n\n'), first.at)
    expect(prose).toMatch(/GitHub Action/)
    expect(prose).toMatch(/waits/)
    expect(first.lang).toBe('yaml')
    expect(first.code).toMatch(/^\s+uses: atlas-privatelink-gate\/atlas-privatelink-endpoint-status@v\d/m)
    expect(second.lang).toBe('sh')
    expect(second.code).toContain('npm ci && npm run demo')
  })

  it('says that the first run fetches Node 24 from the npm registry, and never that it needs no network', () => {
    const [first, second] = blocks(opening)
    const setUp = opening.slice(first.at + first.code.length, second.at + second.code.length + 8)
    expect(setUp).toMatch(/first run fetches Node 24[^.]*from the\s+npm registry/)
    expect(opening).not.toMatch(/\bno network\b/)
  })

  it('shows the command that lists the demo scenarios, next to the set-up commands', () => {
    expect(opening).toContain('`npm run demo -- --list`')
  })
})

describe('npm run demo -- --list', () => {
  it('lists every scenario with its one-line description', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'scripts', 'demo.ts'), '--list'],
      { cwd: ROOT }
    )
    for (const [name, { shows }] of Object.entries(SCENARIOS)) {
      const description = shows.split(';')[0]
      expect(stdout).toMatch(
        new RegExp(`^ +${name} +${description.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm')
      )
    }
    expect(stdout).toContain('npm run demo -- --scenario NAME')
  })
})

describe('README', () => {
  it('starts with exactly the two commands a new user needs', () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? ''
    const commands = firstBlock
      .split('\n')
      .filter(Boolean)
      .map(line => line.split('#')[0].trim())
    expect(commands).toEqual(['npm ci && npm run demo', 'npm ci && npm test'])
  })

  it('lists the inputs of action.yml, in order, with the same required flags and defaults', () => {
    const rows = table('Inputs')
    expect(rows.map(([name]) => unquote(name))).toEqual(metadata.inputs.map(input => input.name))
    for (const [name, required, defaultValue] of rows) {
      const input = metadata.inputs.find(entry => entry.name === unquote(name))
      expect({ name, required: required === 'yes' }).toEqual({ name, required: input?.required ?? false })
      expect({ name, default: unquote(defaultValue) }).toEqual({ name, default: input?.default ?? '' })
    }
  })

  it('lists the outputs of action.yml, in order', () => {
    expect(table('Outputs').map(([name]) => unquote(name))).toEqual(
      metadata.outputs.map(output => output.name)
    )
  })

  it("gives, in its failure tables, the summary's 'what to do' lines word for word, under the headings the summary links to", () => {
    const failures = readme.split('\n## When the step fails\n')[1]?.split('\n## ')[0] ?? ''
    const slugs = [...failures.matchAll(/^### (.+)$/gm)].map(([, heading]) =>
      heading
        .toLowerCase()
        .replace(/[^a-z0-9 -]/g, '')
        .replace(/ /g, '-')
    )
    for (const advice of Object.values(ADVICE)) {
      expect({ text: advice.text, found: failures.includes(`| ${advice.text}`) }).toEqual({
        text: advice.text,
        found: true
      })
      expect(slugs).toContain(advice.section)
    }
  })
})
