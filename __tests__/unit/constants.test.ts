import { readFileSync } from 'node:fs'
import { ALL_STATUSES, CLOUD_PROVIDERS, CLOUDS, DELETED } from '../../src/common/clouds.js'
import {
  ACTION_DEFAULTS,
  DEFAULT_BASE_URL,
  DEFAULT_FAIL_ON,
  Input,
  Output,
  USER_AGENT,
  V1_BASE_URL,
  VERSION
} from '../../src/common/constants.js'
import { readActionYml } from '../../standin/action-yml.js'

describe('constants', () => {
  it('VERSION is the version in package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string
    }
    expect(VERSION).toBe(pkg.version)
  })

  it('the User-Agent carries the version', () => {
    expect(USER_AGENT).toBe(`atlas-privatelink-endpoint-status/${VERSION} (GitHub Action)`)
  })

  it('knows the statuses the API documents for each cloud', () => {
    expect([...CLOUDS.AWS.statuses].sort()).toEqual(
      ['AVAILABLE', 'DELETING', 'NONE', 'PENDING', 'PENDING_ACCEPTANCE', 'REJECTED'].sort()
    )
    expect([...CLOUDS.AZURE.statuses].sort()).toEqual(['AVAILABLE', 'DELETING', 'FAILED', 'INITIATING'])
    expect([...CLOUDS.GCP.statuses].sort()).toEqual(
      ['AVAILABLE', 'DELETED', 'DELETING', 'FAILED', 'INITIATING', 'VERIFIED'].sort()
    )
  })

  it('accepts in wait-for and fail-on every status of every cloud, and DELETED, once each', () => {
    const every = new Set([...CLOUD_PROVIDERS.flatMap(provider => CLOUDS[provider].statuses), DELETED])
    expect([...ALL_STATUSES].sort()).toEqual([...every].sort())
    expect(new Set(ALL_STATUSES).size).toBe(ALL_STATUSES.length)
  })

  it('fails by default on the failing status of every cloud', () => {
    for (const provider of CLOUD_PROVIDERS) {
      for (const status of Object.keys(CLOUDS[provider].failureAdvice))
        expect(DEFAULT_FAIL_ON).toContain(status)
    }
  })

  it('defaults to the commercial Atlas v2 API over https, and knows the v1.0 root', () => {
    expect(DEFAULT_BASE_URL).toBe('https://cloud.mongodb.com/api/atlas/v2')
    expect(V1_BASE_URL).toBe('https://cloud.mongodb.com/api/atlas/v1.0')
  })
})

describe('action.yml, the public contract', () => {
  const metadata = readActionYml()

  it('declares exactly the inputs the code reads, with the defaults the code applies', () => {
    expect(metadata.inputs.map(input => input.name).sort()).toEqual(Object.values(Input).sort())
    for (const input of metadata.inputs) {
      expect(input.description).not.toBe('')
      expect(input.default).toBe(ACTION_DEFAULTS[input.name as Input])
    }
  })

  it('marks only project-id required: credentials come in one of two pairs, IDs under two names', () => {
    expect(metadata.inputs.filter(input => input.required).map(input => input.name)).toEqual([
      Input.ProjectId
    ])
  })

  it('declares exactly the outputs the code sets, each with a description', () => {
    expect(metadata.outputs.map(output => output.name).sort()).toEqual(Object.values(Output).sort())
    for (const output of metadata.outputs) expect(output.description).not.toBe('')
  })

  it('runs dist/index.js on node24 and has branding', () => {
    expect(metadata.runs).toEqual({ using: 'node24', main: 'dist/index.js' })
    expect(Object.keys(metadata.branding).sort()).toEqual(['color', 'icon'])
  })
})
