/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.dev.json', diagnostics: false }],
  },
  reporters: ['default', '<rootDir>/scripts/jest-summary.js'],
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
};
