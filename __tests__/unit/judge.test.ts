import type { EndpointState } from '../../src/atlas/client.js'
import { Deadline } from '../../src/common/clock.js'
import { deletionIsGoal, judge, type Goals, type Verdict } from '../../src/wait/judge.js'
import { failedMessage, timeoutMessage, unreachableMessage } from '../../src/wait/messages.js'
import type { EndpointProgress } from '../../src/wait/wait.js'
import { FakeClock } from '../helpers/fake-clock.js'
import { endpointState } from '../helpers/states.js'

const state = (status: string, extra: Partial<EndpointState> = {}): EndpointState =>
  endpointState(status, { endpointId: 'vpce-1', raw: '{}', ...extra })
const requested = (status: string): EndpointState => state(status, { deleteRequested: true })
const goals = (waitFor: string[], failOn: string[] = ['REJECTED', 'FAILED']): Goals => ({ waitFor, failOn })
const kind = (verdict: Verdict): string => verdict.kind

describe('judge', () => {
  it.each<[string, EndpointState, Goals, string]>([
    ['a wanted status', state('AVAILABLE'), goals(['AVAILABLE']), 'reached'],
    ['one of several wanted statuses', state('PENDING'), goals(['AVAILABLE', 'PENDING']), 'reached'],
    ['a status on the way', state('PENDING_ACCEPTANCE'), goals(['AVAILABLE']), 'waiting'],
    ['an unknown status', state('PENDING_RECONNECT'), goals(['AVAILABLE']), 'waiting'],
    ['a fail-on status', state('REJECTED'), goals(['AVAILABLE']), 'failed'],
    ['a fail-on status when reading once', state('FAILED'), goals([]), 'failed'],
    ['any status read once', state('PENDING'), goals([]), 'reported'],
    ['a fail-on status read once with fail-on empty', state('REJECTED'), goals([], []), 'reported'],
    // Deletion while waiting for something else: never reached.
    [
      'AVAILABLE with deleteRequested, waiting for AVAILABLE',
      requested('AVAILABLE'),
      goals(['AVAILABLE']),
      'unreachable'
    ],
    ['PENDING with deleteRequested', requested('PENDING'), goals(['AVAILABLE']), 'unreachable'],
    ['DELETING, waiting for AVAILABLE', state('DELETING'), goals(['AVAILABLE']), 'unreachable'],
    [
      'DELETED, waiting for AVAILABLE',
      state('DELETED', { notFound: true }),
      goals(['AVAILABLE']),
      'unreachable'
    ],
    // Deletion as the goal: deleteRequested is progress.
    [
      'AVAILABLE with deleteRequested, waiting for DELETING',
      requested('AVAILABLE'),
      goals(['DELETING']),
      'waiting'
    ],
    [
      'DELETING with deleteRequested, waiting for DELETING',
      requested('DELETING'),
      goals(['DELETING']),
      'reached'
    ],
    [
      'AVAILABLE with deleteRequested, waiting for DELETED',
      requested('AVAILABLE'),
      goals(['DELETED']),
      'waiting'
    ],
    ['DELETING, waiting for DELETED', requested('DELETING'), goals(['DELETED']), 'waiting'],
    ['not found, waiting for DELETED', state('DELETED', { notFound: true }), goals(['DELETED']), 'reached'],
    ['fail-on wins over deletion', requested('REJECTED'), goals(['DELETING']), 'failed'],
    // Read once on an endpoint on its way out: not a pass unless fail-on is off.
    ['AVAILABLE with deleteRequested, read once', requested('AVAILABLE'), goals([]), 'unreachable'],
    ['DELETING, read once', state('DELETING'), goals([]), 'unreachable'],
    [
      'AVAILABLE with deleteRequested, read once, fail-on empty',
      requested('AVAILABLE'),
      goals([], []),
      'reported'
    ]
  ])('%s: %s', (_case, endpoint, given, expected) => {
    expect(kind(judge(endpoint, given))).toBe(expected)
  })

  it('says why deletion stops the wait, in the words Atlas used', () => {
    expect(judge(requested('AVAILABLE'), goals(['AVAILABLE']))).toEqual({
      kind: 'unreachable',
      why: 'Atlas has received a request to delete it (deleteRequested: true)'
    })
    expect(judge(state('DELETING'), goals(['AVAILABLE']))).toEqual({
      kind: 'unreachable',
      why: 'Atlas is deleting it (DELETING)'
    })
    expect(judge(requested('AVAILABLE'), goals([], []))).toEqual({
      kind: 'reported',
      note: 'Atlas has received a request to delete it (deleteRequested: true)'
    })
  })

  it('fails on a GCP forwarding rule in fail-on, naming the rule and its status', () => {
    const group = state('INITIATING', {
      cloudProvider: 'GCP',
      forwardingRules: [
        { name: 'rule-0', ipAddress: '10.0.0.2', status: 'AVAILABLE' },
        { name: 'rule-1', ipAddress: '10.0.0.3', status: 'FAILED' }
      ]
    })
    expect(judge(group, goals(['AVAILABLE']))).toEqual({
      kind: 'failed',
      why: 'and its forwarding rule rule-1 is FAILED, which is listed in fail-on',
      failingStatus: 'FAILED'
    })
    expect(kind(judge(group, goals(['AVAILABLE'], [])))).toBe('waiting')
  })
})

describe('deletionIsGoal', () => {
  it.each<[string[], boolean]>([
    [['DELETING'], true],
    [['DELETED'], true],
    [['AVAILABLE', 'DELETED'], true],
    [['AVAILABLE'], false],
    [[], false]
  ])('is %p → %p', (waitFor, expected) => {
    expect(deletionIsGoal({ waitFor, failOn: [] })).toBe(expected)
  })
})

describe('messages', () => {
  const endpoint = (last?: EndpointState, reached = false): EndpointProgress => ({
    id: 'vpce-1',
    last,
    reached
  })

  it('failedMessage quotes Atlas on one line, shortened, and ends with the advice', () => {
    const long = `first\nsecond ${'x'.repeat(2_000)}`
    const message = failedMessage(
      'AWS interface endpoint',
      endpoint(state('REJECTED', { errorMessage: long })),
      'which is listed in fail-on',
      'Recreate it.'
    )
    expect(
      message.startsWith(
        'The AWS interface endpoint vpce-1 is REJECTED, which is listed in fail-on. Atlas says: "first\\nsecond'
      )
    ).toBe(true)
    expect(message).not.toContain('\n')
    expect(message.length).toBeLessThan(700)
    expect(message.endsWith('…" Recreate it.')).toBe(true)
  })

  it('unreachableMessage names the goal, or says the endpoint is on its way out when reading once', () => {
    const why = 'Atlas has received a request to delete it (deleteRequested: true)'
    expect(
      unreachableMessage('AWS interface endpoint', endpoint(requested('AVAILABLE')), why, 'AVAILABLE')
    ).toBe(
      `The AWS interface endpoint vpce-1 is AVAILABLE and can no longer become AVAILABLE: ${why}. Recreate the endpoint, or stop waiting for it.`
    )
    expect(unreachableMessage('AWS interface endpoint', endpoint(requested('AVAILABLE')), why, '')).toContain(
      'is AVAILABLE and is on its way out: Atlas has received a request to delete it'
    )
  })

  it('timeoutMessage says how long it waited, the limit and what was last seen', () => {
    const clock = new FakeClock()
    const deadline = new Deadline(clock, clock.now(), 5_000)
    clock.advance(4_530)
    const options = { deadline, noun: 'AWS interface endpoint' }
    expect(
      timeoutMessage(options, 'AVAILABLE', [endpoint(state('PENDING'))], 2, 'no time was left', 4_500)
    ).toBe(
      'Timed out waiting for AVAILABLE (timeout-seconds: 5): no time was left. Waited 4.5 s; the last status was PENDING (2 reads).'
    )
    expect(timeoutMessage(options, '', [endpoint()], 0, 'gave up.', 4_500)).toBe(
      'Timed out waiting for a status (timeout-seconds: 5): gave up. Waited 4.5 s; no read succeeded.'
    )
    const several = [endpoint(state('AVAILABLE'), true), { ...endpoint(), id: 'vpce-2' }]
    // Counts agree in number: "1 of 2 endpoints is".
    expect(timeoutMessage(options, 'AVAILABLE', several, 1, 'x', 4_500)).toContain(
      '1 of 2 endpoints is not there yet: vpce-2 (not read) (1 read).'
    )
    const three = [...several, { ...endpoint(), id: 'vpce-3' }]
    expect(timeoutMessage(options, 'AVAILABLE', three, 1, 'x', 4_500)).toContain(
      '2 of 3 endpoints are not there yet'
    )
  })
})
