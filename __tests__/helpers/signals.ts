/**
 * `it` for tests that cancel the action with a signal, skipped on Windows: it has no POSIX
 * signals, and `child.kill()` there ends the process outright, so no handler can run (the
 * runner cancels a Windows job another way). Everywhere else it is plain `it`.
 */
export const itWithSignals: jest.It = process.platform === 'win32' ? it.skip : it
