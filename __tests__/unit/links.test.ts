import { summaryLinks } from '../../src/report/links.js'

const SAVED = { ...process.env }
const RUNNER = {
  GITHUB_REPOSITORY: 'example/deploy',
  GITHUB_RUN_ID: '1234',
  GITHUB_SERVER_URL: 'https://github.example.com',
  GITHUB_ACTION_REPOSITORY: 'owner/atlas-action',
  GITHUB_ACTION_REF: 'v1'
}

function withEnvironment(env: Record<string, string | undefined>): void {
  for (const name of Object.keys(RUNNER)) delete process.env[name]
  for (const [name, value] of Object.entries(env)) if (value !== undefined) process.env[name] = value
}

afterEach(() => {
  process.env = { ...SAVED }
})

describe('summaryLinks', () => {
  it('links the run, the README at the version used, and the Atlas UI of the base-url', () => {
    withEnvironment(RUNNER)
    expect(
      summaryLinks({
        baseUrl: 'https://cloud.mongodbgov.com/api/atlas/v2',
        projectId: '5f1a2b3c4d5e6f7a8b9c0d1e'
      })
    ).toEqual({
      atlas: 'https://cloud.mongodbgov.com/v2/5f1a2b3c4d5e6f7a8b9c0d1e#/security/network/privateEndpoint',
      readme: 'https://github.example.com/owner/atlas-action/blob/v1/README.md',
      run: 'https://github.example.com/example/deploy/actions/runs/1234'
    })
  })

  it('uses github.com when the runner names no server', () => {
    withEnvironment({ ...RUNNER, GITHUB_SERVER_URL: undefined })
    expect(summaryLinks().run).toBe('https://github.com/example/deploy/actions/runs/1234')
  })

  it.each([
    ['no repository', { GITHUB_REPOSITORY: undefined }],
    ['an empty repository', { GITHUB_REPOSITORY: '' }],
    ['no run ID', { GITHUB_RUN_ID: undefined }],
    ['a run ID that is not a number', { GITHUB_RUN_ID: 'abc' }],
    ['a run ID of 0', { GITHUB_RUN_ID: '0' }]
  ])('gives no run link with %s (outside Actions)', (_, env) => {
    withEnvironment({ ...RUNNER, ...env })
    expect(summaryLinks().run).toBeUndefined()
  })
})
