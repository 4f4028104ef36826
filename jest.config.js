/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // Jest's default leaves one core idle (cores - 1 workers): on the 2-core machines that is one worker.
  maxWorkers: '100%',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Load, scale and property tests (racing processes, 20,000-cluster fleets, time budgets, thousands of
  // random documents) run apart: `npm run test:load` (jest.load.config.js), which CI runs after `npm test`.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/load/'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.dev.json', diagnostics: false }],
  },
  reporters: ['default', '<rootDir>/scripts/jest-summary.js'],
  // Removes the temp folders cdk8s's Testing.app() leaves behind.
  globalSetup: '<rootDir>/scripts/jest-global-setup.js',
  globalTeardown: '<rootDir>/scripts/jest-global-teardown.js',
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
};
