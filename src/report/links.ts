import { PROJECT_URL } from '../common/constants.js'
import type { SummaryLinks } from './summary.js'

/**
 * Where the summary points: the project's private endpoints in the Atlas UI (on the same
 * Atlas as base-url, so Atlas for Government links to its own UI), this action's README at the
 * version the workflow uses, and the run itself.
 */
export function summaryLinks(settings?: { baseUrl: string; projectId: string }): SummaryLinks {
  const env = process.env
  const repository = env.GITHUB_ACTION_REPOSITORY
  const server = env.GITHUB_SERVER_URL || 'https://github.com'
  const readme = repository
    ? `${server}/${repository}/blob/${env.GITHUB_ACTION_REF || 'HEAD'}/README.md`
    : `${PROJECT_URL}/blob/HEAD/README.md`
  return {
    atlas: settings
      ? `${new URL(settings.baseUrl).origin}/v2/${settings.projectId}#/security/network/privateEndpoint`
      : undefined,
    readme,
    run: runUrl(server)
  }
}

/**
 * A link to this workflow run, from the runner's variables (as @actions/github's context reads
 * them, without that package: its context parses the whole event payload at start-up); none
 * when run outside Actions.
 */
function runUrl(server: string): string | undefined {
  const repository = process.env.GITHUB_REPOSITORY
  const runId = parseInt(process.env.GITHUB_RUN_ID ?? '', 10)
  if (!repository || !runId) return undefined
  const [owner, repo] = repository.split('/')
  return `${server}/${owner}/${repo}/actions/runs/${runId}`
}
