import type { Clock } from '../../src/common/clock.js'
import { cancellation } from '../../src/common/clock.js'

/**
 * A clock that only moves when the code under test sleeps (or a test calls advance): a
 * 15-minute wait runs in microseconds and every pause is recorded.
 */
export class FakeClock implements Clock {
  readonly sleeps: number[] = []
  constructor(private time = Date.UTC(2026, 10, 28, 12, 0, 0)) {}

  now(): number {
    return this.time
  }

  advance(ms: number): void {
    this.time += ms
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw cancellation(signal)
    this.sleeps.push(ms)
    this.time += ms
  }
}

/** A recorder in place of @actions/core's log functions. */
export function recordingLog() {
  const lines: { level: 'info' | 'warning' | 'debug'; message: string; title?: string }[] = []
  return {
    lines,
    info: (message: string) => void lines.push({ level: 'info', message }),
    warning: (message: string, title?: string) => void lines.push({ level: 'warning', message, title }),
    debug: (message: string) => void lines.push({ level: 'debug', message }),
    text: (level?: 'info' | 'warning' | 'debug') =>
      lines
        .filter(line => level === undefined || line.level === level)
        .map(line => line.message)
        .join('\n')
  }
}
