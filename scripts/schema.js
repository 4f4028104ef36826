#!/usr/bin/env node
// `npm run schema`: generates fleet.schema.json, the JSON Schema of fleet.yaml, from the TypeScript props in
// src/fleet/props.ts (their TSDoc becomes the descriptions editors show). The loader's shape checks and
// did-you-mean hints read that file, so the props are the single source. `--check` exits 1 when the
// committed file differs from a fresh generation.
'use strict';
const fs = require('fs');
const path = require('path');
const { createGenerator } = require('ts-json-schema-generator');

const root = path.resolve(__dirname, '..');
const out = path.join(root, 'fleet.schema.json');

const schema = createGenerator({
  path: path.join(root, 'src', 'fleet', 'props.ts'),
  tsconfig: path.join(root, 'tsconfig.json'),
  type: 'FleetProps',
  topRef: false,
  jsDoc: 'extended',
  skipTypeCheck: true,
}).createSchema('FleetProps');

// TSDoc `@default` often describes behaviour ("- the names `plural up` creates"), which is not a value
// an editor should insert: keep literal defaults, move the others into the description.
function tidy(node) {
  if (Array.isArray(node)) return node.forEach(tidy);
  if (!node || typeof node !== 'object') return;
  if (typeof node.default === 'string' && /\s/.test(node.default)) {
    node.description = `${node.description ?? ''}${node.description ? ' ' : ''}Default: ${node.default.replace(/^- /, '')}.`;
    delete node.default;
  }
  Object.values(node).forEach(tidy);
}
tidy(schema);

const text = `${JSON.stringify({
  $schema: schema.$schema,
  $id: 'https://github.com/meshfleet/meshfleet/fleet.schema.json',
  title: 'meshfleet fleet description (fleet.yaml)',
  ...schema,
}, null, 2)}\n`;

if (process.argv.includes('--check')) {
  const current = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '';
  if (current !== text) {
    console.error('fleet.schema.json differs from src/fleet/props.ts: run `npm run schema` and commit it');
    process.exit(1);
  }
  console.log('fleet.schema.json is up to date with src/fleet/props.ts');
} else {
  fs.writeFileSync(out, text);
  console.log(`wrote fleet.schema.json (${text.length} bytes)`);
}
