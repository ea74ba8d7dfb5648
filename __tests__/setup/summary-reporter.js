/**
 * The test log a person reads: nothing for a file whose tests pass; for a file with a failure,
 * jest's own failure report (test name, expected and received, the stack) and what the file
 * logged; then one line per run, `unit: 212 passed, 0 failed`, the plain form CI logs are read
 * for. Replaces jest's default reporter, whose verbose mode printed one line per test.
 * Plain JavaScript: jest loads reporters without transforming them.
 */
import path from 'node:path'

/** The suite a run covered, from its files: `unit`, `integration`, `e2e`, or `tests` for a mix. */
function suiteName(rootDir, testPaths) {
  const folders = new Set(testPaths.map(file => path.relative(rootDir, file).split(path.sep)[1]))
  return folders.size === 1 ? [...folders][0] : 'tests'
}

export default class SummaryReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir
    this.testPaths = []
  }

  onTestResult(_test, result) {
    this.testPaths.push(result.testFilePath)
    if (!result.testExecError && result.numFailingTests === 0) return
    const out = [
      `FAIL ${path.relative(this.rootDir, result.testFilePath)}`,
      result.failureMessage ?? result.testExecError?.message ?? 'failed to run'
    ]
    for (const entry of result.console ?? []) out.push(`  console.${entry.type}: ${entry.message}`)
    process.stdout.write(`${out.join('\n')}\n\n`)
  }

  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites
    const skipped = results.numPendingTests + results.numTodoTests
    const name = suiteName(this.rootDir, this.testPaths)
    process.stdout.write(
      `${name}: ${results.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`
    )
  }
}
