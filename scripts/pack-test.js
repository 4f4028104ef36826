#!/usr/bin/env node
// `npm run test:pack` (CI): meshfleet as a platform team installs it. Packs the tarball, installs it into a
// fresh consumer project (from the npm registry only), and checks there:
//  - `npx meshfleet synth` and `check` of the example fleet give exactly this repository's tree;
//  - every subcommand answers --help;
//  - the README's consumer `main.ts` (the block after "<!-- consumer main.ts -->") compiles against the
//    package's types and its MeshfleetApp writes the same tree;
//  - `meshfleet init` scaffolds a repository whose fleet passes synth, check, validate and plan;
//  - the packed size, and the time of `npx meshfleet synth` against node loading cdk8s (the floor).
'use strict';
const { execFileSync, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'meshfleet-pack-'));
const consumer = path.join(work, 'consumer');
const env = { ...process.env, CDK8S_CHECK_UPGRADE: 'false', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
const failures = [];
const step = (what) => console.log(`== ${what}`);
function sh(cmd, args, cwd, expect = 0) {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== expect) {
    failures.push(`${cmd} ${args.join(' ')} (in ${path.relative(work, cwd) || cwd}) exited ${r.status}, expected ${expect}:\n${r.stdout}${r.stderr}`.slice(0, 4000));
  }
  return r;
}
function tree(dir) {
  const out = {};
  const walk = (rel) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else out[r] = fs.readFileSync(path.join(dir, r), 'utf8');
    }
  };
  walk('');
  return out;
}
function sameTree(a, b, what) {
  const ta = tree(a);
  const tb = tree(b);
  const diff = [...new Set([...Object.keys(ta), ...Object.keys(tb)])].filter((k) => ta[k] !== tb[k]);
  if (diff.length > 0) failures.push(`${what}: trees differ in ${diff.slice(0, 10).join(', ')}`);
}

try {
  step('npm pack');
  const pack = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));
  const { filename, size, unpackedSize, entryCount, files } = pack[0];
  console.log(`packed ${filename}: ${size} bytes (${unpackedSize} unpacked, ${entryCount} files)`);
  const shipped = files.map((f) => f.path);
  for (const bad of shipped.filter((p) => /^(test|src|dist|\.ci|scripts)\//.test(p) || p.endsWith('.ts') && !p.endsWith('.d.ts'))) failures.push(`the tarball ships ${bad}`);
  for (const need of ['bin/meshfleet.js', 'lib/src/index.js', 'lib/src/index.d.ts', 'fleet.schema.json', 'LICENSE', 'README.md', 'CHANGELOG.md']) {
    if (!shipped.includes(need)) failures.push(`the tarball lacks ${need}`);
  }

  step('install the tarball into a fresh consumer project');
  fs.mkdirSync(consumer);
  fs.writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true }, null, 2));
  const devVersion = (name) => JSON.parse(fs.readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
  sh('npm', ['install', '--no-audit', '--no-fund', path.join(work, filename), `cdk8s@${devVersion('cdk8s')}`, `constructs@${devVersion('constructs')}`,
    `typescript@${devVersion('typescript')}`, `@types/node@${devVersion('@types/node')}`], consumer);
  if (fs.existsSync(path.join(consumer, 'node_modules', 'meshfleet', 'src'))) failures.push('the installed package holds src/');

  step('npx meshfleet synth and check give this repository\'s tree');
  fs.copyFileSync(path.join(root, 'fleet.yaml'), path.join(consumer, 'fleet.yaml'));
  sh('npx', ['meshfleet', 'synth', '--fleet', 'fleet.yaml', '--out', 'tree'], consumer);
  sh('npx', ['meshfleet', 'check', '--out', 'tree'], consumer);
  sameTree(path.join(consumer, 'tree'), path.join(root, 'dist'), 'npx meshfleet synth vs dist/');
  for (const cmd of ['synth', 'check', 'plan', 'validate', 'init']) {
    const r = sh('npx', ['meshfleet', cmd, '--help'], consumer);
    if (!r.stdout.startsWith(`usage: meshfleet ${cmd}`)) failures.push(`meshfleet ${cmd} --help printed: ${r.stdout.slice(0, 80)}`);
  }

  step('meshfleet/testing resolves in the consumer (the simulators and checks of a tree)');
  {
    const r = sh('node', ['-e', "const t = require('meshfleet/testing'); const m = require('meshfleet'); "
      + "const f = m.loadFleet('fleet.yaml'); const files = m.synthPluralTree(f); const p = t.checkMeshInvariants(f, files); "
      + "if (p.length) { console.error(p.join('\\n')); process.exit(1); } console.log(t.TARGETS.map((x) => x.name).join(','));"], consumer);
    if (r.stdout.trim() !== 'plural,argocd,local') failures.push(`meshfleet/testing printed: ${r.stdout.slice(0, 80)}`);
  }

  step('the README\'s consumer main.ts compiles and its MeshfleetApp writes the same tree');
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const m = /<!-- consumer main\.ts -->\s*```ts\n([\s\S]*?)```/.exec(readme);
  if (!m) failures.push('README has no consumer main.ts block');
  else {
    fs.writeFileSync(path.join(consumer, 'main.ts'), m[1]);
    sh('npx', ['tsc', '--strict', '--module', 'commonjs', '--target', 'ES2022', '--esModuleInterop', '--skipLibCheck', '--types', 'node', 'main.ts'], consumer);
    sh('node', ['main.js'], consumer);
    sameTree(path.join(consumer, 'dist'), path.join(root, 'dist'), 'README main.ts (MeshfleetApp) vs dist/');
  }

  step('meshfleet init scaffolds a repository that synthesizes, checks, validates and plans');
  const repo = path.join(consumer, 'acme');
  fs.mkdirSync(repo);
  sh('npx', ['meshfleet', 'init', 'acme'], consumer);
  sh('git', ['init', '-q'], repo);
  sh('npx', ['meshfleet', 'synth', '--out', '.'], repo);
  sh('git', ['-c', 'user.name=ci', '-c', 'user.email=ci@example.com', 'add', '-A'], repo);
  sh('git', ['-c', 'user.name=ci', '-c', 'user.email=ci@example.com', 'commit', '-qm', 'init'], repo);
  sh('npx', ['meshfleet', 'check', '--out', '.'], repo);
  sh('npx', ['meshfleet', 'validate', '.'], repo);
  sh('npx', ['meshfleet', 'plan', '--against', 'HEAD'], repo);

  step('time: npx meshfleet synth of the example fleet, against node loading cdk8s');
  const time = (args) => {
    const ms = [];
    for (let i = 0; i < 5; i++) {
      const t = process.hrtime.bigint();
      spawnSync(args[0], args.slice(1), { cwd: consumer, env, stdio: 'ignore' });
      ms.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    return ms.sort((a, b) => a - b)[2];
  };
  const cli = time([process.execPath, 'node_modules/meshfleet/bin/meshfleet.js', 'synth', '--out', 'tree']);
  const floor = time([process.execPath, '-e', 'require("cdk8s")']);
  const npx = time(['npx', 'meshfleet', 'synth', '--out', 'tree']);
  console.log(`meshfleet synth: ${cli.toFixed(0)} ms (npx: ${npx.toFixed(0)} ms); node loading cdk8s: ${floor.toFixed(0)} ms (median of 5)`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
if (failures.length > 0) {
  console.error(`pack test: ${failures.length} failure(s):\n${failures.join('\n')}`);
  process.exit(1);
}
console.log('pack test: passed');
