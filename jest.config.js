/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // Jest's default leaves one core idle (cores - 1 workers): on the 2-core machines that is one worker.
  maxWorkers: '100%',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.dev.json', diagnostics: false }],
  },
  reporters: ['default', '<rootDir>/scripts/jest-summary.js'],
  // Removes the temp folders cdk8s's Testing.app() leaves behind.
  globalSetup: '<rootDir>/scripts/jest-global-setup.js',
  globalTeardown: '<rootDir>/scripts/jest-global-teardown.js',
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
};
