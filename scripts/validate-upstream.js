#!/usr/bin/env node
// `npm run validate:upstream`: `meshfleet validate` on this repository's example tree with the upstream
// schemas in ../shared (CRDs, converted Cilium CRD schemas, the Cilium chart's values.schema.json).
// Usage: npm run validate:upstream [-- --fleet fleet.yaml --dir dist --shared ../shared --target plural,argocd]
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log('usage: npm run validate:upstream [-- --fleet FILE --dir DIR --shared DIR --target T[,T]]\n(meshfleet validate DIR --schemas SHARED; see `meshfleet validate --help`)');
  process.exit(0);
}
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : dflt;
};
const shared = opt('shared', path.resolve(root, '..', 'shared'));
if (!fs.existsSync(shared)) {
  console.error(`validate:upstream: ${shared} not found; it holds the upstream schemas`);
  process.exit(1);
}
const entry = path.join(root, 'lib', 'src', 'cli', 'main.js');
if (!fs.existsSync(entry)) {
  console.error('validate:upstream: lib/ is missing; run `npm run build` first');
  process.exit(1);
}
const target = opt('target', undefined);
process.exitCode = require(entry).run(['validate', opt('dir', path.join(root, 'dist')), '--fleet', opt('fleet', path.join(root, 'fleet.yaml')),
  '--schemas', shared, ...(target ? ['--target', target] : [])]);
