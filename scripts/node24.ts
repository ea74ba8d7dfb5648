/**
 * `npm run node24`: puts this platform's pinned Node 24 in node_modules/.cache/node24 if it is
 * not there (see standin/node24.ts). The test:e2e, demo and bench scripts run it first. It says
 * one line when it fetched or could not, nothing otherwise, and never fails: without Node 24,
 * the runner harness uses this machine's node and says so.
 */
import { fetchNode24 } from '../standin/node24.js'

const said = await fetchNode24()
if (said) console.log(said)
