import { escapeForSummary } from './common/text.js'
import { failStep, run, writeSummary } from './main.js'

// Exit explicitly once the work is done, so that no stray socket or timer keeps the job alive.
run()
  .catch(async (error: unknown) => {
    // Only a bug gets here: run() turns every expected failure into a failed step itself. Even
    // then the job gets an answer in its summary, not just a line in the log.
    const message = `Unexpected error: ${error instanceof Error ? error.message : String(error)}`
    failStep(message)
    await writeSummary(
      `<h2>❌ ${escapeForSummary('Could not check the endpoint: the deploy should not go on')}</h2>\n<p>${escapeForSummary(message)}</p>\n`
    )
  })
  .finally(() => process.exit())
