#!/usr/bin/env node
// `npm run test:pack` (CI): meshfleet as a platform team installs it. Packs the tarball, installs it into a
// fresh consumer project (from the npm registry only), and checks there:
//  - `npx meshfleet synth` and `check` of the example fleet give exactly this repository's tree;
//  - every subcommand answers --help;
//  - the README's consumer `main.ts` (the block after "<!-- consumer main.ts -->") compiles against the
//    package's types and its MeshfleetApp writes the same tree;
//  - the same main.ts compiles with the latest TypeScript on the registry, without --types or --skipLibCheck
//    (the package's declarations bring the Node types they use), and `cdk8s synth` runs it;
//  - the README's setup block (after "<!-- setup: gitops repository -->") sets up an empty git repository
//    with the packed tarball; a clone of it at another path, with an empty npm cache, installs with npm ci,
//    and the workflow's steps (scripts/workflow-player.js) pass for its first pull request and an added
//    cluster (also from a fork), and fail with the diff for a stale tree and with the plan's refusal for a
//    removal without decommission;
//  - the packed size, and the time of `npx meshfleet synth` against node loading cdk8s (the floor).
'use strict';
const { execFileSync, spawnSync } = require('child_process');
const { playWorkflow } = require('./workflow-player');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'meshfleet-pack-'));
const consumer = path.join(work, 'consumer');
const env = {
  ...process.env, CDK8S_CHECK_UPGRADE: 'false', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false',
  GIT_AUTHOR_NAME: 'ci', GIT_AUTHOR_EMAIL: 'ci@example.com', GIT_COMMITTER_NAME: 'ci', GIT_COMMITTER_EMAIL: 'ci@example.com',
};
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


/** The README's setup block, run in an empty git repository; then a clone elsewhere with an empty npm cache, and the workflow played. */
function setupAndWorkflow(tarball) {
  step('the README\'s setup block, in an empty git repository');
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const block = /<!-- setup: gitops repository -->\s*```sh\n([\s\S]*?)```/.exec(readme);
  if (!block) {
    failures.push('README has no setup block after <!-- setup: gitops repository -->');
    return;
  }
  const origin = path.join(work, 'gitops');
  fs.mkdirSync(origin);
  sh('git', ['init', '-q', '-b', 'main'], origin);
  const setup = spawnSync('bash', ['-eo', 'pipefail', '-c', block[1]], { cwd: origin, env: { ...env, MESHFLEET_TGZ: tarball }, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (setup.status !== 0) {
    failures.push(`the README's setup block exited ${setup.status}:\n${setup.stdout}${setup.stderr}`.slice(0, 4000));
    return;
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(origin, 'package.json'), 'utf8'));
  if (!/^file:vendor\/meshfleet-.*\.tgz$/.test(pkg.devDependencies?.meshfleet ?? '')) failures.push(`the setup block's package.json depends on ${pkg.devDependencies?.meshfleet}`);
  for (const f of ['package-lock.json', 'fleet.yaml', '.github/workflows/meshfleet.yml', 'README.md', '.meshfleet']) {
    if (!fs.existsSync(path.join(origin, f))) failures.push(`the setup block left no ${f}`);
  }
  if (sh('git', ['status', '--porcelain'], origin).stdout.trim() !== '') failures.push('the setup block left changes uncommitted');
  sh('git', ['config', 'receive.denyCurrentBranch', 'ignore'], origin);

  step('a clone at another path, with an empty npm cache: npm ci, and the workflow for the first pull request, a push, an added cluster (also from a fork), a stale tree and a removal');
  const clone = path.join(work, 'elsewhere', 'clone');
  fs.mkdirSync(path.dirname(clone));
  // The first pull request: main has nothing yet; the setup commit is the pull request's branch.
  sh('git', ['clone', '-q', origin, clone], work);
  sh('git', ['checkout', '-qb', 'first'], clone);
  sh('git', ['-C', origin, 'checkout', '-q', '--orphan', 'empty'], work);
  sh('git', ['-C', origin, 'rm', '-rfq', '--cached', '.'], work);
  sh('git', ['-C', origin, 'commit', '-q', '--allow-empty', '-m', 'empty base'], work);
  sh('git', ['-C', origin, 'branch', '-q', '-f', 'base', 'empty'], work);
  sh('git', ['fetch', '-q', 'origin'], clone);
  const cacheEnv = { ...env, npm_config_cache: path.join(work, 'empty-npm-cache') };
  const ci = spawnSync('npm', ['ci', '--ignore-scripts'], { cwd: clone, env: cacheEnv, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (ci.status !== 0) {
    failures.push(`npm ci in a fresh clone with an empty cache exited ${ci.status}:\n${ci.stdout}${ci.stderr}`.slice(0, 4000));
    return;
  }
  const workflow = fs.readFileSync(path.join(clone, '.github/workflows/meshfleet.yml'), 'utf8');
  const pr = { name: 'pull_request', pr: 1, base: 'base', sameRepo: true, labels: [] };
  const expectSteps = (what, r, want) => {
    const got = r.steps.filter((x) => x.ran).map((x) => `${x.name}: ${x.status}`);
    if (JSON.stringify(got) !== JSON.stringify(want)) failures.push(`workflow, ${what}: steps ${JSON.stringify(got)}, expected ${JSON.stringify(want)}\n${r.steps.map((x) => x.out || '').join('\n').slice(0, 3000)}`);
    return r;
  };
  const play = (event) => playWorkflow({ workflow, cwd: clone, event, skip: ['install'], env: cacheEnv });
  const first = expectSteps('first pull request', play(pr), ['the committed tree equals a fresh synth: 0', 'plan against the base branch: 0']);
  if (!first.summary.includes('every cluster is new')) failures.push(`workflow, first pull request: the plan says ${first.summary.slice(0, 600)}`);

  // Merged: main now holds the fleet (with its lockfile, so the plan runs the base's own meshfleet).
  sh('git', ['push', '-q', '-f', 'origin', 'first:base'], clone);
  sh('git', ['fetch', '-q', 'origin'], clone);
  // A push to the default branch: the check runs, the plan does not.
  expectSteps('push to the default branch', playWorkflow({ workflow, cwd: clone, event: { name: 'push', sameRepo: true }, skip: ['install'], env: cacheEnv }), ['the committed tree equals a fresh synth: 0']);
  const fleetFile = path.join(clone, 'fleet.yaml');
  const original = fs.readFileSync(fleetFile, 'utf8');
  fs.appendFileSync(fleetFile, '  - name: acme-dev-3\n    id: 3\n    tier: dev\n    region: eu-west-1\n    dnsZone: dev.example.com\n');
  sh('npx', ['meshfleet', 'synth'], clone);
  sh('git', ['add', '-A'], clone);
  sh('git', ['commit', '-qm', 'a third cluster'], clone);
  const added = expectSteps('added cluster', play(pr), ['the committed tree equals a fresh synth: 0', 'plan against the base branch: 0']);
  if (!added.summary.includes('clusters added: acme-dev-3')) failures.push(`workflow, added cluster: the plan says ${added.summary.slice(0, 600)}`);
  if (!fs.existsSync(path.join(work, 'elsewhere'))) failures.push('the clone went away');
  expectSteps('added cluster from a fork', play({ ...pr, sameRepo: false }), ['the committed tree equals a fresh synth: 0', 'plan against the base branch: 0']);

  sh('git', ['reset', '-q', '--hard', 'origin/base'], clone);
  fs.appendFileSync(fleetFile, '  - name: acme-dev-3\n    id: 3\n    tier: dev\n    region: eu-west-1\n    dnsZone: dev.example.com\n');
  sh('git', ['commit', '-qam', 'a cluster, tree stale'], clone);
  const stale = expectSteps('stale tree', play(pr), ['the committed tree equals a fresh synth: 1', 'plan against the base branch: 0']);
  const staleCheck = stale.steps.find((x) => x.name.startsWith('the committed tree'));
  if (!staleCheck || staleCheck.status !== 1 || !(staleCheck.out || '').includes('+++ b/')) failures.push(`workflow, stale tree: the check does not show the diff:\n${(staleCheck && staleCheck.out || '').slice(0, 1500)}`);

  sh('git', ['reset', '-q', '--hard', 'origin/base'], clone);
  fs.writeFileSync(fleetFile, original.replace(/  - name: acme-dev-2\n(    .*\n)+/, ''));
  sh('git', ['commit', '-qam', 'drop acme-dev-2'], clone);
  const removal = play(pr);
  const plan = removal.steps.find((x) => x.name.startsWith('plan'));
  if (!plan || plan.status !== 1 || !removal.summary.includes('cluster "acme-dev-2" removed')) failures.push(`workflow, removal: the plan did not refuse it:\n${removal.summary.slice(0, 1200)}`);
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
    if (r.stdout.trim() !== 'plural,argocd,flux,local') failures.push(`meshfleet/testing printed: ${r.stdout.slice(0, 80)}`);
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

  if (m) {
    step('the same main.ts with the latest TypeScript (no --types, no --skipLibCheck), and under cdk8s synth');
    const latest = sh('npx', ['-y', '-p', 'typescript@latest', 'tsc', '--version'], consumer);
    console.log(`latest TypeScript on the registry: ${latest.stdout.trim()}`);
    sh('npx', ['-y', '-p', 'typescript@latest', 'tsc', '--strict', '--module', 'commonjs', '--target', 'ES2022', '--esModuleInterop', '--outDir', 'latest', 'main.ts'], consumer);
    sh('npx', ['tsc', '--strict', '--module', 'commonjs', '--target', 'ES2022', '--esModuleInterop', '--outDir', 'pinned', 'main.ts'], consumer);
    sh('npm', ['install', '--no-audit', '--no-fund', `cdk8s-cli@${devVersion('cdk8s-cli')}`], consumer);
    fs.rmSync(path.join(consumer, 'dist'), { recursive: true, force: true });
    fs.writeFileSync(path.join(consumer, 'cdk8s.yaml'), 'language: typescript\napp: node main.js\noutput: .cdk8s.out\n');
    sh('npx', ['cdk8s', 'synth'], consumer);
    sameTree(path.join(consumer, 'dist'), path.join(root, 'dist'), 'cdk8s synth of the README main.ts vs dist/');
  }

  setupAndWorkflow(path.join(work, filename));

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
