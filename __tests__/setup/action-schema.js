/**
 * @actions/workflow-parser imports its action schema as JSON without `with { type: 'json' }`,
 * which Jest warns about on every run (and Node itself refuses). jest.config.js maps that import
 * here: the same file, read as data.
 */
import { readFileSync } from 'node:fs'
import { URL } from 'node:url'

const schema = new URL(
  '../../node_modules/@actions/workflow-parser/dist/action-v1.0.min.json',
  import.meta.url
)
export default JSON.parse(readFileSync(schema, 'utf8'))
