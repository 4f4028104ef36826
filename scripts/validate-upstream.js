#!/usr/bin/env node
// `npm run validate:upstream`: validates a synthesized tree against the real upstream schemas in
// ../shared (CRDs, converted Cilium CRD schemas, the Cilium chart's values.schema.json):
//  - every plain manifest in the tree, as Git holds it;
//  - for every target of the fleet and every cluster, what the engine would deploy there: Plural with
//    Liquid rendered as the agent renders it, Argo CD with value files and valuesObject merged as it
//    passes them to helm; each raw manifest, and the merged Cilium values against the chart schema;
//  - the Cluster Mesh and Multigres invariants on what each cluster receives, per target, and what
//    Argo CD would refuse (AppProject permissions, sync-wave order).
// Usage: npm run validate:upstream [-- --fleet fleet.yaml --dir dist --shared ../shared --target plural,argocd]
// (--target: the trees to check, as `synth --target` wrote them; default: the fleet's targets)
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : dflt;
};
const fleetFile = opt('fleet', path.join(root, 'fleet.yaml'));
const dir = opt('dir', path.join(root, 'dist'));
const shared = opt('shared', path.resolve(root, '..', 'shared'));
if (args.includes('--help') || args.includes('-h')) {
  console.log('usage: npm run validate:upstream [-- --fleet FILE --dir DIR --shared DIR --target T[,T]]');
  process.exit(0);
}

const lib = path.join(root, 'lib', 'src', 'index.js');
if (!fs.existsSync(lib)) {
  console.error('validate:upstream: lib/ is missing; run `npm run build` first');
  process.exit(1);
}
const { loadFleet, simulateFleet, simulateArgoCd, ArgoCdLayout, checkMesh, checkMultigres } = require(lib);
// A dev-time tool, not part of the package's API.
const { UpstreamSchemas } = require(path.join(root, 'lib', 'src', 'dev', 'upstream-schemas.js'));

function readTree(d) {
  const out = new Map();
  const walk = (p) => {
    for (const e of fs.readdirSync(p, { withFileTypes: true })) {
      const f = path.join(p, e.name);
      if (e.isDirectory()) walk(f);
      else out.set(path.relative(d, f).split(path.sep).join('/'), fs.readFileSync(f, 'utf8'));
    }
  };
  walk(d);
  return out;
}

const started = Date.now();
const schemas = UpstreamSchemas.load(shared);
const fleet = loadFleet(fleetFile);
const files = readTree(dir);
const problems = [];
let manifests = 0;
let valuesChecked = 0;

for (const [rel, text] of files) {
  // Manifests only (helm/ and argocd/<fleet>/cilium/ hold values files); .liquid files are checked once rendered, below.
  if (!/\.ya?ml$/.test(rel) || rel.startsWith('helm/') || /^argocd\/[^/]+\/cilium\//.test(rel)) continue;
  problems.push(...schemas.validateYaml(text, rel));
  manifests += (text.match(/^kind: /gm) || []).length;
}

const targets = opt('target', fleet.targets.join(',')).split(',');
const engines = [];
if (targets.includes('plural')) engines.push(['plural', simulateFleet(fleet, files)]);
if (targets.includes('argocd')) {
  const sim = simulateArgoCd(files, new ArgoCdLayout(fleet.name).rootFile);
  problems.push(...sim.problems.map((p) => `argocd: ${p}`));
  engines.push(['argocd', sim.delivered]);
}
for (const [target, simulated] of engines) {
  for (const [cluster, services] of simulated) {
    for (const s of services) {
      if (s.helm && s.helm.chart === 'cilium') {
        problems.push(...schemas.validateCiliumValues(s.helm.version, s.values).map((p) => `${target}: cluster "${cluster}" ${s.source}: ${p}`));
        valuesChecked++;
      }
      const errs = schemas.validateManifests(s.manifests);
      problems.push(...errs.map((p) => `${target}: cluster "${cluster}" ${s.source}: ${p}`));
      manifests += s.manifests.length;
    }
  }
  problems.push(...checkMesh(fleet, simulated).map((p) => `${target}: ${p}`));
  problems.push(...checkMultigres(fleet, simulated, files).map((p) => `${target}: ${p}`));
}

if (problems.length > 0) {
  console.error(`validate:upstream: ${problems.length} problem(s) in ${dir}:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`validate:upstream: ${dir}: ${manifests} manifests and ${valuesChecked} rendered Cilium values files `
  + `(${fleet.clusters.length} clusters, chart ${fleet.cilium.version}, targets ${targets.join(', ')}) valid against ${path.relative(root, shared) || shared}; `
  + `mesh and Multigres invariants hold (${Date.now() - started} ms)`);
