import { access, appendFile, appendFileSync, constants, existsSync } from 'node:fs'
import { EOL } from 'node:os'
import { randomUUID } from '../common/crypto.js'

/**
 * The two files a runner gives a step, written as @actions/core writes them, but without what
 * its modules load on the way: node:crypto for the output delimiter (about 5 ms on Node 24;
 * ../common/crypto.ts has the random bytes from the operating system), and fs.promises with
 * Node's REPL history and readline modules for the summary (about 4 ms). A one-read run pays
 * either at every start for a few appends at its end.
 */

/**
 * What `core.setOutput(name, value)` does on a runner: appends `name<<delimiter`, the value and
 * the delimiter to GITHUB_OUTPUT, the delimiter random, so that no value can end its own entry
 * and start another (a value holding it is refused, as @actions/core refuses it).
 */
export function appendOutput(file: string, name: string, value: string): void {
  const delimiter = `ghadelimiter_${randomUUID()}`
  if (name.includes(delimiter)) {
    throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`)
  }
  if (value.includes(delimiter)) {
    throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`)
  }
  if (!existsSync(file)) throw new Error(`Missing file at path: ${file}`)
  appendFileSync(file, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, { encoding: 'utf8' })
}

/**
 * What `core.summary.addRaw(html).write()` does: the file must exist and be readable and
 * writable; the text is appended.
 */
export function appendSummary(file: string, html: string): Promise<void> {
  return new Promise((resolve, reject) =>
    access(file, constants.R_OK | constants.W_OK, accessError => {
      if (accessError) {
        reject(
          new Error(
            `Unable to access summary file: '${file}'. Check if the file has correct read/write permissions.`
          )
        )
        return
      }
      appendFile(file, html, { encoding: 'utf8' }, error => (error ? reject(error) : resolve()))
    })
  )
}
