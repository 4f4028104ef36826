#!/usr/bin/env node
// `npm run bench`: synthesizes fleets of 3, 50, 250 and 1,000 clusters (Plural; 250 and 1,000 also Argo CD) through the real CLI (a fresh node
// process each, as `npm run synth` runs it) and prints wall time, peak memory and output bytes per
// cluster. The 1,000-cluster Plural synth is paired, run by run, with the floor (node loading cdk8s, which
// every cdk8s app pays) and the median ratio printed. Also times `npm run synth` itself on the example
// fleet, and `npm test` once (BENCH_TESTS=0 skips it). Median of RUNS runs. `-- --write FILE` also
// writes the report as a Markdown page (docs/benchmarks.md).
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS || 5);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'meshfleet-bench-'));

/** A fleet of n clusters: meshes of 50 clusters, or 9 meshes from 1,000 clusters on (ids <= 127, aws-cni). */
function fleetYaml(n, extra = 0, target = 'plural', probe = false) {
  const meshes = n >= 1000 ? 9 : Math.max(1, Math.ceil(n / 50));
  const lines = ['name: bench', 'cilium:', '  version: 1.18.1', `targets: [${target}]`, 'argocd:', '  repoURL: https://git.example.com/bench.git', 'flux:', '  repoURL: https://git.example.com/bench.git',
    ...(probe ? ['probe:', '  enabled: true'] : []), 'tiers:'];
  for (let t = 0; t < meshes; t++) lines.push(`  - tier${t}`);
  lines.push('clusters:');
  for (let i = 0; i < n + extra; i++) {
    const t = i % meshes;
    const k = Math.floor(i / meshes);
    lines.push(`  - name: bench-t${t}-c${k}`, `    id: ${k + 1}`, `    tier: tier${t}`,
      `    region: ${["us-west-1", "us-west-2", "us-east-1"][i % 3]}`, `    dnsZone: tier${t}.bench.example.com`, `    podCidr: 10.${i >> 8}.${i & 255}.0/24`);
  }
  return lines.join('\n') + '\n';
}

function dirBytes(d) {
  let total = 0;
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    total += e.isDirectory() ? dirBytes(p) : fs.statSync(p).size;
  }
  return total;
}

function measure(cmd, args, statsFile, expectStatus = 0) {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, MESHFLEET_STATS: statsFile || '' } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (expectStatus !== null && r.status !== expectStatus) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}:\n${r.stderr.slice(0, 2000)}`);
  const rssKb = statsFile && fs.existsSync(statsFile) ? JSON.parse(fs.readFileSync(statsFile, 'utf8')).maxRSS : NaN;
  return { ms, rssKb, status: r.status };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// Warm the build so no run pays for a compile.
measure(process.execPath, [path.join(root, 'scripts', 'run-app.js'), '--help']);

const rows = [];
for (const [n, target, probe] of [[3, 'plural'], [50, 'plural'], [250, 'plural'], [1000, 'plural'], [250, 'argocd'], [1000, 'argocd'], [1000, 'flux'], [1000, 'plural', true], [1000, 'argocd', true], [1000, 'flux', true]]) {
  const fleet = path.join(work, `fleet-${n}-${target}${probe ? '-probe' : ''}.yaml`);
  fs.writeFileSync(fleet, fleetYaml(n, 0, target, probe));
  const times = [];
  const rss = [];
  let bytes = 0;
  for (let i = 0; i < RUNS; i++) {
    const out = path.join(work, `out-${n}-${target}${probe ? '-probe' : ''}-${i}`);
    const stats = path.join(work, `stats-${n}-${target}${probe ? '-probe' : ''}-${i}.json`);
    const m = measure(process.execPath, [path.join(root, 'scripts', 'run-app.js'), '--fleet', fleet, '--out', out], stats);
    times.push(m.ms);
    rss.push(m.rssKb);
    bytes = dirBytes(out);
  }
  rows.push({ clusters: n, target: probe ? `${target}+probe` : target, wallMs: median(times), peakRssMiB: median(rss) / 1024, bytes, bytesPerCluster: bytes / n });
}

// Validation must stay linear in the input, in time and memory: a fleet where every cluster repeats one
// id (and one pod CIDR) has two faults per cluster; the CLI prints the first 1,000, counts the rest and exits 1.
function faultyFleetYaml(n) {
  const lines = ['name: bench', 'cilium:', '  version: 1.18.1', '  cni: cluster-pool', 'tiers: [dev]', 'clusters:'];
  for (let i = 0; i < n; i++) {
    lines.push(`  - {name: c${i}, id: 7, tier: dev, region: us-west-2, dnsZone: dev.example.com, podCidr: 10.0.0.0/16}`);
  }
  return lines.join('\n') + '\n';
}
const VALIDATION_SIZES = (process.env.BENCH_VALIDATION || '10000,100000').split(',').map(Number);
const validation = [];
for (const n of VALIDATION_SIZES) {
  const fleet = path.join(work, `faulty-${n}.yaml`);
  fs.writeFileSync(fleet, faultyFleetYaml(n));
  const times = [];
  const rss = [];
  for (let i = 0; i < Math.min(RUNS, 3); i++) {
    const m = measure(process.execPath, [path.join(root, 'scripts', 'run-app.js'), '--fleet', fleet, '--out', path.join(work, 'never')], path.join(work, `faulty-stats-${n}-${i}.json`), 1);
    times.push(m.ms);
    rss.push(m.rssKb);
  }
  validation.push({ clusters: n, faults: 2 * (n - 1), wallMs: median(times), mib: median(rss) / 1024, inputMiB: fs.statSync(fleet).size / 1024 / 1024 });
}

// Adding one cluster to a 1,000-cluster fleet must change O(1) files: its own, and its mesh's shared ones.
const growth = {};
for (const target of ['plural', 'argocd', 'flux']) {
  const growFleet = path.join(work, `grow-${target}.yaml`);
  const growOut = path.join(work, `grow-out-${target}`);
  fs.writeFileSync(growFleet, fleetYaml(1000, 0, target, true));
  measure(process.execPath, [path.join(root, 'scripts', 'run-app.js'), '--fleet', growFleet, '--out', growOut]);
  fs.writeFileSync(growFleet, fleetYaml(1000, 1, target, true));
  const grown = spawnSync(process.execPath, [path.join(root, 'scripts', 'run-app.js'), '--fleet', growFleet, '--out', growOut], { cwd: root, encoding: 'utf8' });
  const m = /: (\d+) written, \d+ unchanged, (\d+) removed/.exec(grown.stdout);
  growth[target] = m ? Number(m[1]) + Number(m[2]) : '?';
}

// The floor, paired run by run with the 1,000-cluster Plural synth (a fresh output folder each): the ratio
// of each pair, so a machine that speeds up or slows down during the bench moves both.
const floorFleet = path.join(work, 'fleet-1000-plural.yaml');
const pairs = [];
for (let i = 0; i < Math.max(RUNS, 7); i++) {
  const synthMs = measure(process.execPath, [path.join(root, 'bin', 'meshfleet.js'), 'synth', '--fleet', floorFleet, '--out', path.join(work, `pair-${i}`)]).ms;
  const floorMs = measure(process.execPath, ['-e', "require('cdk8s')"]).ms;
  pairs.push({ synthMs, floorMs, ratio: synthMs / floorMs });
}

let testsMs;
let testsFailed = false;
if (process.env.BENCH_TESTS !== '0') {
  const t = measure('npx', ['jest', '--silent'], undefined, null);
  testsMs = t.ms;
  testsFailed = t.status !== 0;
}

const npmTimes = [];
for (let i = 0; i < RUNS; i++) {
  const out = path.join(work, `npm-${i}`);
  npmTimes.push(measure('npm', ['run', '--silent', 'synth', '--', '--fleet', 'fleet.yaml', '--out', out]).ms);
}
fs.rmSync(work, { recursive: true, force: true });

const said = [];
/** Prints a line of the report (and keeps it for --write). */
function say(line) {
  said.push(line);
  console.log(line);
}
say(`meshfleet bench (median of ${RUNS} runs, node ${process.version}, ${os.cpus().length} cores)`);
say('target        clusters  wall ms  peak RSS MiB  output bytes  bytes/cluster');
for (const r of rows) {
  say(`${r.target.padEnd(12)}  ${String(r.clusters).padStart(8)}  ${r.wallMs.toFixed(0).padStart(7)}  ${r.peakRssMiB.toFixed(1).padStart(12)}  ${String(r.bytes).padStart(12)}  ${r.bytesPerCluster.toFixed(0).padStart(13)}`);
}
say(`npm run synth (example fleet, including npm's own start-up): ${median(npmTimes).toFixed(0)} ms`);
for (const v of validation) {
  say(`validation: ${v.clusters} clusters sharing one id and pod CIDR (${v.inputMiB.toFixed(1)} MiB, ${v.faults} faults, 1,000 reported): ${v.wallMs.toFixed(0)} ms, peak RSS ${v.mib.toFixed(0)} MiB`);
}
for (const [target, n] of Object.entries(growth)) {
  say(`adding one cluster to 1,000 (${target}, with the probe): ${n} files written or removed (plus the owned-files list)`);
}
say(`1,000 clusters in 9 meshes (Plural, meshfleet synth) against the floor (node loading cdk8s), ${pairs.length} pairs: `
  + `${median(pairs.map((p) => p.synthMs)).toFixed(0)} ms against ${median(pairs.map((p) => p.floorMs)).toFixed(0)} ms, median ratio ${median(pairs.map((p) => p.ratio)).toFixed(2)}x `
  + `(min ${Math.min(...pairs.map((p) => p.ratio)).toFixed(2)}x, max ${Math.max(...pairs.map((p) => p.ratio)).toFixed(2)}x)`);
if (testsMs !== undefined) say(`npm test (jest, one run, ${os.cpus().length} workers): ${(testsMs / 1000).toFixed(1)} s wall${testsFailed ? ' (IT FAILED: not a figure to quote)' : ''}; the load tests are apart (npm run test:load)`);
const ratio = rows[2].wallMs / rows[0].wallMs;
say(`250 vs 3 clusters: ${ratio.toFixed(2)}x wall time`);

// `npm run bench -- --write docs/benchmarks.md`: the report as the repository's benchmark page, the only
// place its figures are quoted from.
const writeAt = process.argv.indexOf('--write');
if (writeAt > 0 && process.argv[writeAt + 1]) {
  const page = ['# Benchmarks', '', 'Written by `npm run bench -- --write docs/benchmarks.md` (scripts/bench.js); every figure below is its',
    `output, from a run on ${new Date().toISOString().slice(0, 10)} (${os.cpus().length} cores, node ${process.version}). Wall times are medians of`,
    `${RUNS} runs, each a fresh node process through the real CLI, into a fresh folder.`, '', '```', ...said, '```', ''];
  fs.writeFileSync(path.resolve(root, process.argv[writeAt + 1]), page.join('\n'));
}
