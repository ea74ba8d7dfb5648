/**
 * `npx tsx scripts/standin-server.ts [--statuses PENDING_ACCEPTANCE,PENDING,AVAILABLE]`: the Atlas stand-in
 * on 127.0.0.1 as a server of its own, for CI's job that runs the action with `uses: ./` (see
 * .github/workflows/ci.yml). It serves the tests' made-up IDs and key pair, answers with the
 * given statuses in turn (the last one from then on), prints `base-url=<url>` once it listens
 * (a line for $GITHUB_OUTPUT) and one line per request, and serves until it is stopped.
 */
import { parseArgs } from 'node:util'
import { IDS } from '../__tests__/helpers/ids.js'
import { AtlasStandin } from '../standin/atlas-standin.js'

const { values } = parseArgs({ options: { statuses: { type: 'string', default: 'AVAILABLE' } } })
const script = values.statuses
  .split(',')
  .map(status => status.trim())
  .filter(Boolean)
  .map(status => ({ status }))

const standin = await new AtlasStandin({
  ...IDS,
  script,
  onRequest: request => console.log(`${request.method} ${request.path} → ${request.status}`)
}).start()
console.log(`base-url=${standin.baseUrlV2}`)

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => void standin.stop().then(() => process.exit(0)))
}
