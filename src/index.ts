import * as core from '@actions/core'
import { run } from './main.js'

// Exit explicitly once the work is done, so that no stray socket or timer keeps the job alive.
run()
  .catch((error: unknown) => {
    // Only a bug gets here: run() turns every expected failure into setFailed itself.
    core.setFailed(`Unexpected error: ${error instanceof Error ? error.message : String(error)}`)
  })
  .finally(() => process.exit())
