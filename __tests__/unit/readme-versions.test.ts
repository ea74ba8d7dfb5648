/**
 * The README is about a version: a user pinning `@v1` gets the latest release, not main. While
 * CHANGELOG.md plans a release, every example that pins `@v1` says it needs that release, and the
 * README's Versions table marks it unreleased; once it is released (CHANGELOG gets its heading
 * and package.json its version), the README must stop marking it unreleased.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { ROOT } from '../../standin/paths.js'

const read = (file: string): string => readFileSync(path.join(ROOT, file), 'utf8')

interface Releases {
  /** The version CHANGELOG's Unreleased section is planned as, if any. */
  planned?: string
  /** The newest version with a heading of its own. */
  latest: string
}

function releases(changelog: string): Releases {
  const unreleased = changelog.split(/^## Unreleased$/m)[1]?.split(/^## /m)[0] ?? ''
  const planned = /Planned as (\d+\.\d+\.\d+)/.exec(unreleased)?.[1]
  const latest = /^## (\d+\.\d+\.\d+)\b/m.exec(changelog)?.[1]
  if (!latest) throw new Error('CHANGELOG.md has no release heading')
  return { planned, latest }
}

/** What the README says that does not match the releases. */
function versionProblems(readme: string, { planned, latest }: Releases): string[] {
  const problems: string[] = []
  const pins = readme.split('\n').filter(line => /uses: atlas-privatelink-gate\/[\w-]+@v\d+\b/.test(line))
  if (planned) {
    for (const line of pins)
      if (!line.includes(`# needs ${planned} or later`))
        problems.push(`an example pins @v1 without "needs ${planned} or later": ${line.trim()}`)
    if (!readme.includes(`| ${planned} (unreleased) |`))
      problems.push(`the Versions table does not mark ${planned} unreleased`)
  } else if (readme.includes('(unreleased)')) {
    problems.push('the README still marks a version unreleased, but CHANGELOG plans none')
  }
  const today = /Today that is (\S+?),/.exec(readme)?.[1]
  if (today !== undefined && today !== latest)
    problems.push(`the Versions note says @v1 is ${today} today, but the latest release is ${latest}`)
  if (!new RegExp(`\\| ${latest.replace(/\./g, '\\.')}\\s+\\|`).test(readme))
    problems.push(`the Versions table names no feature of ${latest}`)
  return problems
}

describe('README and releases', () => {
  const changelog = read('CHANGELOG.md')
  const readme = read('README.md')
  const packageVersion = (JSON.parse(read('package.json')) as { version: string }).version

  it("package.json carries the newest released version of CHANGELOG.md (the User-Agent's version)", () => {
    expect(releases(changelog).latest).toBe(packageVersion)
  })

  it('says which release the examples need, and what @v1 is today', () => {
    expect(versionProblems(readme, releases(changelog))).toEqual([])
  })

  it('the check sees an example without its note, and a README left behind by a release', () => {
    const unnoted = readme.replace(/(uses: atlas-privatelink-gate\/[\w-]+@v1) # needs 1\.1\.0 or later/, '$1')
    expect(versionProblems(unnoted, releases(changelog))).toEqual([
      expect.stringMatching(/^an example pins @v1 without "needs 1\.1\.0 or later": /)
    ])
    const released = changelog
      .replace('## Unreleased\n', '## Unreleased\n\n## 1.1.0\n')
      .replace(/Planned as 1\.1\.0/, '')
    expect(versionProblems(readme, releases(released))).toEqual([
      'the README still marks a version unreleased, but CHANGELOG plans none',
      'the Versions note says @v1 is 1.0.0 today, but the latest release is 1.1.0',
      'the Versions table names no feature of 1.1.0'
    ])
  })
})
