#!/usr/bin/env node
// Entry point of `npm run synth` and `npx cdk8s synth` (cdk8s.yaml `app:`).
// Runs the compiled app from lib/, recompiling first only when a source file is newer than the
// last build, so a fresh edit is never ignored and an unchanged tree starts in ~0.1 s.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const entry = path.join(root, 'lib', 'src', 'cli', 'main.js');
const stamp = path.join(root, 'lib', '.tsbuildinfo');

function newestMtime(dir) {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

function built() {
  try {
    return Math.min(fs.statSync(stamp).mtimeMs, fs.statSync(entry).mtimeMs);
  } catch {
    return -1;
  }
}

const sources = Math.max(newestMtime(path.join(root, 'src')), newestMtime(path.join(root, 'imports')), fs.statSync(path.join(root, 'tsconfig.json')).mtimeMs);
if (built() < sources) {
  const { spawnSync } = require('child_process');
  process.stderr.write('meshfleet: sources changed, compiling (tsc)...\n');
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.json')], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status || 1);
  // tsc leaves unchanged outputs alone; touch the stamp so the next run skips the check.
  const now = new Date();
  fs.utimesSync(stamp, now, now);
  fs.utimesSync(entry, now, now);
}

// Under `cdk8s synth`, CDK8S_OUTDIR names cdk8s's scratch folder (cdk8s.yaml `output:`), which cdk8s
// deletes before every run; the GitOps tree goes to dist/ through meshfleet's own writer instead,
// so hand-written files there survive. cdk8s only needs the scratch folder to exist.
if (process.env.CDK8S_OUTDIR) fs.mkdirSync(process.env.CDK8S_OUTDIR, { recursive: true });

// `npm run bench` asks for the peak memory of the run.
if (process.env.MESHFLEET_STATS) {
  process.on('exit', () => fs.writeFileSync(process.env.MESHFLEET_STATS, JSON.stringify(process.resourceUsage())));
}

process.exitCode = require(entry).run(process.argv.slice(2));
