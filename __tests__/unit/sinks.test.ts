import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { registerSecret } from '../../src/common/redact.js'
import { appendOutput, appendSummary } from '../../src/report/runner-files.js'
import { createSinks, type RunnerCore } from '../../src/report/sinks.js'
import { parseOutputFile } from '../../standin/runner.js'

/** A fresh folder per test for the runner's files. */
let dir: string
beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'atlas-runner-files-'))))
afterEach(() => rmSync(dir, { recursive: true, force: true }))

/**
 * The job summary is appended with node:fs's callback API (not @actions/core's summary, whose
 * module loads fs/promises at every start); it must behave as `summary.addRaw(html).write()` did.
 */
describe('the job summary file', () => {
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

/**
 * Outputs are appended to GITHUB_OUTPUT as @actions/core's setOutput appends them, with a
 * delimiter made from the operating system's random bytes instead of node:crypto's.
 */
describe('the output file', () => {
  it('reads back as the runner reads it, whatever the values hold', () => {
    const file = path.join(dir, 'output')
    writeFileSync(file, 'earlier<<EOF\nkept\nEOF\n')
    const hostile = 'line one\n::set-output name=connection-status::AVAILABLE\nEOF\nghadelimiter_\n'
    appendOutput(file, 'connection-status', 'PENDING')
    appendOutput(file, 'endpoints', hostile)
    appendOutput(file, 'empty', '')
    expect(parseOutputFile(readFileSync(file, 'utf8'))).toEqual({
      earlier: 'kept',
      'connection-status': 'PENDING',
      endpoints: hostile,
      empty: ''
    })
  })

  it('gets a fresh random delimiter for every output', () => {
    const file = path.join(dir, 'output')
    writeFileSync(file, '')
    for (let i = 0; i < 3; i++) appendOutput(file, `name-${i}`, 'value')
    const delimiters = readFileSync(file, 'utf8')
      .split('\n')
      .filter(line => line.includes('<<'))
      .map(line => line.split('<<')[1])
    expect(delimiters).toHaveLength(3)
    for (const delimiter of delimiters) {
      expect(delimiter).toMatch(
        /^ghadelimiter_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
      )
    }
    expect(new Set(delimiters).size).toBe(3)
  })

  it('is not created when the runner did not create it', () => {
    const file = path.join(dir, 'missing')
    expect(() => appendOutput(file, 'name', 'value')).toThrow(`Missing file at path: ${file}`)
    expect(() => readFileSync(file)).toThrow(/ENOENT/)
  })

  it('gets the values redacted, through GITHUB_OUTPUT when the runner gives it, else the set-output command', () => {
    const secret = 'output-sink-secret-8e1d0c5b72'
    registerSecret(secret)
    const file = path.join(dir, 'output')
    writeFileSync(file, '')
    const commands: string[] = []
    const onRunner = createSinks(
      recorder({ appendOutput, setOutput: name => void commands.push(`set-output ${name}`) }),
      { GITHUB_OUTPUT: file }
    )
    onRunner.setOutputs({ 'error-message': `echoed ${secret}` })
    expect(parseOutputFile(readFileSync(file, 'utf8'))).toEqual({ 'error-message': 'echoed ***' })
    expect(commands).toEqual([])

    const values: string[] = []
    const outside = createSinks(
      recorder({ setOutput: (_name, value) => void values.push(String(value)) }),
      {}
    )
    outside.setOutputs({ 'error-message': `echoed ${secret}` })
    expect(values).toEqual(['echoed ***'])
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
    appendOutput: nothing,
    appendSummary: async () => undefined,
    ...overrides
  }
}
