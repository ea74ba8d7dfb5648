import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { registerSecret } from '../../src/common/redact.js'
import { appendSummary, createSinks, type RunnerCore } from '../../src/report/sinks.js'

/**
 * The job summary is appended with node:fs's callback API (not @actions/core's summary, whose
 * module loads fs/promises at every start); it must behave as `summary.addRaw(html).write()` did.
 */
describe('the job summary file', () => {
  let dir: string
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'atlas-summary-'))))
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('is appended to, keeping what earlier steps wrote', async () => {
    const file = path.join(dir, 'summary')
    writeFileSync(file, '<p>an earlier step</p>\n')
    await appendSummary(file, '<h2>✅ AVAILABLE</h2>\n')
    await appendSummary(file, '<p>second</p>\n')
    expect(readFileSync(file, 'utf8')).toBe('<p>an earlier step</p>\n<h2>✅ AVAILABLE</h2>\n<p>second</p>\n')
  })

  it('is not created when the runner did not create it', async () => {
    const file = path.join(dir, 'missing')
    await expect(appendSummary(file, '<p>x</p>')).rejects.toThrow(
      `Unable to access summary file: '${file}'. Check if the file has correct read/write permissions.`
    )
    expect(() => readFileSync(file)).toThrow(/ENOENT/)
  })

  it('that cannot be written turns into one warning, and the run goes on', async () => {
    // A directory passes the access check and fails the append (EISDIR), even for root.
    const file = path.join(dir, 'a-directory')
    mkdirSync(file)
    const warnings: string[] = []
    const sinks = createSinks(
      recorder({ appendSummary, warning: message => void warnings.push(String(message)) }),
      { GITHUB_STEP_SUMMARY: file }
    )
    await sinks.writeSummary('<p>x</p>')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/^Could not write the job summary: EISDIR/)
  })

  it('gets the html redacted', async () => {
    const file = path.join(dir, 'summary')
    writeFileSync(file, '')
    const secret = 'summary-sink-secret-3f9c2a7d41'
    registerSecret(secret)
    const sinks = createSinks(recorder({ appendSummary }), { GITHUB_STEP_SUMMARY: file })
    await sinks.writeSummary(`<p>echoed: ${secret}</p>`)
    const written = readFileSync(file, 'utf8')
    expect(written).not.toContain(secret)
    expect(written).toContain('<p>echoed: ***</p>')
  })

  it('is not written, and nothing is said, outside a runner (GITHUB_STEP_SUMMARY unset)', async () => {
    const calls: string[] = []
    const sinks = createSinks(
      recorder({
        appendSummary: async file => void calls.push(file),
        warning: message => void calls.push(String(message))
      }),
      {}
    )
    await sinks.writeSummary('<p>x</p>')
    expect(calls).toEqual([])
  })
})

/** @actions/core's side, recorded: only what a test overrides does anything. */
function recorder(overrides: Partial<RunnerCore>): RunnerCore {
  const nothing = (): void => undefined
  return {
    info: nothing,
    warning: nothing,
    debug: nothing,
    setFailed: nothing,
    setSecret: nothing,
    setOutput: nothing,
    appendSummary: async () => undefined,
    ...overrides
  }
}
