#!/usr/bin/env node
// Regenerates imports/ from the upstream material in ../shared (never edit imports/ by hand):
//  - every CRD named in cdk8s.yaml (`cdk8s import`),
//  - typed Cilium Helm values from ../shared/cilium/<version>/values.schema.json (`cdk8s import helm:`).
// The Cilium schema is staged next to a minimal Chart.yaml in a scratch folder that is removed afterwards.
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const shared = path.resolve(root, '..', 'shared');
const cli = path.join(root, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s');
const env = { ...process.env, CDK8S_CHECK_UPGRADE: 'false' };
const run = (args) => execFileSync(process.execPath, [cli, 'import', '--check-upgrade=false', ...args], { cwd: root, stdio: 'inherit', env });

if (!fs.existsSync(shared)) {
  console.error(`import: ${shared} not found; imports are generated from the upstream files there`);
  process.exit(1);
}
fs.rmSync(path.join(root, 'imports'), { recursive: true, force: true });
run([]);

const scratch = path.join(root, '.import-tmp');
try {
  for (const version of fs.readdirSync(path.join(shared, 'cilium')).sort()) {
    const chartDir = path.join(scratch, `cilium-${version}`, 'cilium');
    fs.mkdirSync(chartDir, { recursive: true });
    fs.writeFileSync(path.join(chartDir, 'Chart.yaml'), `apiVersion: v2\nname: cilium\nversion: ${version}\n`);
    fs.copyFileSync(path.join(shared, 'cilium', version, 'values.schema.json'), path.join(chartDir, 'values.schema.json'));
    const module = `cilium-${version.split('.').slice(0, 2).join('_')}`;
    run(['--no-save', `${module}:=helm:./${path.relative(root, chartDir)}`]);
  }
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}
