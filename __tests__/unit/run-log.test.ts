import { readSettings } from '../../src/inputs/inputs.js'
import type { Input } from '../../src/common/constants.js'
import { describeRun } from '../../src/report/run-log.js'

const SECRET = 'mdb_sa_sk_do-not-show-0123456789'
const inputs: Record<string, string> = {
  'client-id': 'mdb_sa_id_0123456789abcdef01234567',
  'client-secret': SECRET,
  'project-id': '5f1a2b3c4d5e6f7a8b9c0d1e',
  'cloud-provider': 'gcp',
  'endpoint-service-id': '6a1b2c3d4e5f6a7b8c9d0e1f',
  'endpoint-id': 'group-a, group-b',
  'wait-for': 'AVAILABLE'
}
const settings = readSettings((name: Input) => inputs[name])

describe('describeRun', () => {
  it('says what the step will do in one line: the endpoints, the cloud, the project and the wait', () => {
    const { headline } = describeRun(
      settings,
      { kind: 'service-account', publicId: inputs['client-id'] },
      undefined
    )
    expect(headline).toBe(
      'Checking Google Cloud endpoint groups group-a, group-b of endpoint service 6a1b2c3d4e5f6a7b8c9d0e1f in Atlas project 5f1a2b3c4d5e6f7a8b9c0d1e: wait up to 900 s for AVAILABLE, checking every 10 s.'
    )
  })

  it('names the kind of credential and its public ID, never the secret, and the proxy when there is one', () => {
    const lines = describeRun(
      settings,
      { kind: 'service-account', publicId: inputs['client-id'] },
      'http://proxy:3128'
    )
    expect(lines.settings.join('\n')).toContain(
      'Signed in with a service account: client ID mdb_sa_id_0123456789abcdef01234567; secret and tokens masked'
    )
    expect(lines.settings[0]).toBe(
      'API: https://cloud.mongodb.com/api/atlas/v2 (v2) through proxy http://proxy:3128'
    )
    expect(JSON.stringify(lines)).not.toContain(SECRET)
  })

  it("says 'every endpoint' for '*'", () => {
    const everyEndpoint: Record<string, string> = { ...inputs, 'endpoint-id': '*' }
    const all = readSettings((name: Input) => everyEndpoint[name])
    expect(describeRun(all, { kind: 'api-key', publicId: 'abcdefgh' }, undefined).headline).toContain(
      'every Google Cloud endpoint group of endpoint service'
    )
  })
})
