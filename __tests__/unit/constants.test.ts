import { readFileSync } from 'node:fs'
import {
  ACTION_DEFAULTS,
  DEFAULT_BASE_URL,
  Input,
  KNOWN_STATUSES,
  Output,
  USER_AGENT,
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

  it('knows the six statuses the v1.0 API documents', () => {
    expect([...KNOWN_STATUSES].sort()).toEqual(
      ['AVAILABLE', 'DELETING', 'NONE', 'PENDING', 'PENDING_ACCEPTANCE', 'REJECTED'].sort()
    )
  })

  it('defaults to the commercial Atlas v1.0 API over https', () => {
    expect(DEFAULT_BASE_URL).toBe('https://cloud.mongodb.com/api/atlas/v1.0')
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

  it('marks the key pair and the three IDs required, and nothing else', () => {
    expect(metadata.inputs.filter(input => input.required).map(input => input.name)).toEqual([
      Input.PublicKey,
      Input.PrivateKey,
      Input.ProjectId,
      Input.PrivateLinkId,
      Input.InterfaceEndpointId
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
