// `npm run test:load`: the load, scale and property tests under test/load/ (CI runs them after `npm test`).
/** @type {import('jest').Config} */
const base = require('./jest.config');

module.exports = {
  ...base,
  roots: ['<rootDir>/test/load'],
  testPathIgnorePatterns: ['/node_modules/'],
};
