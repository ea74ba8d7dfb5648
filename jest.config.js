/**
 * Jest runs the TypeScript sources as native ESM (the @actions packages are ESM only), with
 * @swc/jest stripping types; `tsc --noEmit` type-checks separately (npm run typecheck).
 * @type {import('jest').Config}
 */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // See __tests__/setup/workflow-schema.js.
    '^\\.\\./(workflow|action)-v1\\.0\\.min\\.json$': '<rootDir>/__tests__/setup/$1-schema.js'
  },
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'es6' } }
    ]
  },
  testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
  setupFiles: ['<rootDir>/__tests__/setup/loopback-only.ts'],
  testTimeout: 30000,
  // Failures in full and one count line per run; on GitHub, failures also become annotations.
  reporters: [
    '<rootDir>/__tests__/setup/summary-reporter.js',
    ...(process.env.GITHUB_ACTIONS === 'true' ? [['github-actions', { silent: true }]] : [])
  ]
}
