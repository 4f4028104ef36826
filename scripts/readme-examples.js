#!/usr/bin/env node
// Extracts the README's TypeScript examples into test/readme-examples/ (gitignored), importing the
// package from src/. `npm run typecheck` type-checks them with the sources and tests; the README test runs them.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');

/** Writes the examples and returns their paths. */
function extractExamples() {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const examples = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
  const dir = path.join(root, 'test', 'readme-examples');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return examples.map((code, i) => {
    const f = path.join(dir, `example-${i}.ts`);
    fs.writeFileSync(f, code.replace(/from 'meshfleet'/g, "from '../../src'").replace(/from 'meshfleet\/testing'/g, "from '../../src/testing'"));
    return f;
  });
}

module.exports = { extractExamples };
if (require.main === module) console.log(`${extractExamples().length} README examples written to test/readme-examples/`);
