/**
 * Time to notice: how long after Atlas flips to AVAILABLE the step ends, with a check a second.
 */
import { runAction } from '../../standin/runner.js'
import {
  SIZES,
  V2_KEY,
  expectAvailable,
  progress,
  waitInputs,
  withStandin,
  type BenchStandin
} from './setup.js'

/** The flip comes at a random point of the check cycle, some checks into the wait. */
export const NOTICE_DELAY_MS = { min: 1500, max: 3500 }

export interface NoticeSample {
  /** Flip to the action's exit: the number the target is about. */
  noticeMs: number
  /** Flip to the stand-in answering AVAILABLE: the wait for the next check. */
  flipToAnswerMs: number
  /** That answer to the exit: reading it, outputs, summary, sign-out, Node shutting down. */
  answerToExitMs: number
}

export async function measureTimeToNotice(): Promise<NoticeSample[]> {
  let lastAnswerAt = 0
  const onRequest = (): void => {
    lastAnswerAt = performance.now()
  }
  return withStandin({ script: [{ status: 'PENDING' }], onRequest }, async bench => {
    const samples: NoticeSample[] = []
    for (let run = 1; run <= SIZES.noticeRuns; run++) {
      const sample = await noticeOnce(bench, () => lastAnswerAt)
      progress(`time to notice: run ${run}/${SIZES.noticeRuns}: ${Math.round(sample.noticeMs)} ms`)
      samples.push(sample)
    }
    return samples
  })
}

/** One wait on PENDING (forever), flipped to AVAILABLE at a random moment while it runs. */
async function noticeOnce(bench: BenchStandin, lastAnswerAt: () => number): Promise<NoticeSample> {
  const { standin } = bench
  standin.play([{ status: 'PENDING' }])
  const delayMs = NOTICE_DELAY_MS.min + Math.random() * (NOTICE_DELAY_MS.max - NOTICE_DELAY_MS.min)
  let flippedAt: number | undefined
  let exitedAt: number | undefined
  let flip: NodeJS.Timeout | undefined
  const run = await runAction({
    inputs: waitInputs(bench, V2_KEY),
    onStart: child => {
      flip = setTimeout(() => {
        standin.play([{ status: 'AVAILABLE' }])
        flippedAt = performance.now()
      }, delayMs)
      // 'exit', not 'close': the moment the process ends, before its pipes are drained.
      child.on('exit', () => (exitedAt = performance.now()))
    }
  })
  clearTimeout(flip)
  expectAvailable(run, 'The time-to-notice wait')
  if (flippedAt === undefined || exitedAt === undefined) {
    throw new Error('The time-to-notice wait ended before the stand-in flipped to AVAILABLE')
  }
  const answeredAt = lastAnswerAt()
  return {
    noticeMs: exitedAt - flippedAt,
    flipToAnswerMs: answeredAt - flippedAt,
    answerToExitMs: exitedAt - answeredAt
  }
}
