/**
 * Runs the reads of one check concurrently: at most `limit` in flight, results in input order
 * whatever order they finish in. A stop signal keeps the reads not yet started from starting
 * (fail fast); those report `undefined`, and the reads in flight are left to finish on their
 * own, their results unread (never an unhandled rejection).
 */
export type Settled<T> = PromiseSettledResult<T> | undefined

export interface ReadPool {
  run<T>(tasks: Array<() => Promise<T>>, stop: AbortSignal): Promise<Settled<T>[]>
}

export function boundedPool(limit: number): ReadPool {
  return {
    async run<T>(tasks: Array<() => Promise<T>>, stop: AbortSignal): Promise<Settled<T>[]> {
      const results: Settled<T>[] = new Array<Settled<T>>(tasks.length).fill(undefined)
      let next = 0
      const worker = async (): Promise<void> => {
        while (next < tasks.length && !stop.aborted) {
          const index = next++
          try {
            results[index] = { status: 'fulfilled', value: await tasks[index]() }
          } catch (reason) {
            results[index] = { status: 'rejected', reason }
          }
        }
      }
      const workers = Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, worker)
      // Stop waiting as soon as the caller stops; the reads in flight finish unobserved.
      await Promise.race([
        Promise.all(workers),
        new Promise<void>(resolve => {
          if (stop.aborted) resolve()
          stop.addEventListener('abort', () => resolve(), { once: true })
        })
      ])
      return results
    }
  }
}
