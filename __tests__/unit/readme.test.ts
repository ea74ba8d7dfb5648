import { readFileSync } from 'node:fs'
import path from 'node:path'
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
