import type { Authenticator } from '../auth/authenticator.js'
import { seconds } from '../common/text.js'
import type { Settings } from '../inputs/inputs.js'

/**
 * What the log says before the first request: one line of what the step will do, then the
 * settings (for a collapsed group). Never a secret: credentials by kind and public ID only.
 */
export function describeRun(
  settings: Settings,
  auth: Pick<Authenticator, 'kind' | 'publicId'>,
  proxy: string | undefined
): { headline: string; settings: string[] } {
  const { cloud, endpointIds, endpointServiceId } = settings
  const what =
    endpointIds === '*'
      ? `every ${cloud.noun} of endpoint service ${endpointServiceId}`
      : `${cloud.noun}${endpointIds.length > 1 ? 's' : ''} ${endpointIds.join(', ')} of endpoint service ${endpointServiceId}`
  const waiting =
    settings.waitFor.length > 0
      ? `wait up to ${seconds(settings.timeoutMs)} for ${settings.waitFor.join(' or ')}, checking every ${seconds(settings.intervalMs)}`
      : 'read the status once'
  return {
    headline: `Checking ${what} in Atlas project ${settings.projectId}: ${waiting}.`,
    settings: [
      `API: ${settings.baseUrl} (${settings.api})${proxy ? ` through proxy ${proxy}` : ''}`,
      auth.kind === 'api-key'
        ? `Signed in with an API key: public key ${auth.publicId}; private key masked`
        : `Signed in with a service account: client ID ${auth.publicId}; secret and tokens masked`,
      `wait-for: ${settings.waitFor.join(', ') || '(none: read once)'}`,
      `fail-on: ${settings.failOn.join(', ') || '(none)'}`,
      `Deadline ${seconds(settings.timeoutMs)}; interval ${seconds(settings.intervalMs)}; request timeout ${seconds(settings.requestTimeoutMs)}; up to ${settings.maxRetries} retries in a row`
    ]
  }
}
