#!/usr/bin/env node
// `npm run schemas:bundle`: generates schemas/upstream.json, the upstream schemas `meshfleet validate
// --schemas` uses when given no folder, from ../shared (as `npm run import` generates imports/ from it): the
// schema of every kind meshfleet writes (Plural, cert-manager, Argo CD, Flux, Cilium policies, Multigres)
// and the values.schema.json of every Cilium chart version it supports. The package ships the file, so
// a team validates its tree without a copy of the CRDs. `--check` (CI) exits 1 when the committed file
// differs from a fresh generation. Run `npm run build` first (it loads the compiled validator).
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const shared = path.resolve(root, '..', 'shared');
const out = path.join(root, 'schemas', 'upstream.json');

/** The kinds meshfleet writes into a tree (core kinds get structural checks and need no schema). */
const KINDS = [
  ['deployments.plural.sh/v1alpha1', ['Catalog', 'Cluster', 'GitRepository', 'GlobalService', 'InfrastructureStack', 'PrAutomation', 'ScmConnection', 'ServiceDeployment']],
  ['cert-manager.io/v1', ['ClusterIssuer', 'Issuer', 'Certificate']],
  ['argoproj.io/v1alpha1', ['Application', 'AppProject']],
  ['cilium.io/v2', ['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy']],
  ['multigres.com/v1alpha1', ['Etcd', 'MultiGateway', 'MultiOrch', 'MultiPooler', 'MultigresCluster']],
  ['source.toolkit.fluxcd.io/v1', ['GitRepository', 'HelmRepository', 'OCIRepository']],
  ['helm.toolkit.fluxcd.io/v2', ['HelmRelease']],
  ['kustomize.toolkit.fluxcd.io/v1', ['Kustomization']],
].flatMap(([apiVersion, kinds]) => kinds.map((kind) => ({ apiVersion, kind })));

const { UpstreamSchemas } = require(path.join(root, 'lib', 'src', 'schemas', 'upstream-schemas.js'));
const bundle = UpstreamSchemas.load(shared).bundle(KINDS);
const text = `${JSON.stringify(bundle)}\n`;
if (process.argv.includes('--check')) {
  const current = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '';
  if (current !== text) {
    console.error('schemas/upstream.json differs from a fresh `npm run schemas:bundle` of ../shared: run it and commit');
    process.exit(1);
  }
  console.log(`schemas/upstream.json is up to date with ../shared (${bundle.kinds.length} kinds, Cilium ${Object.keys(bundle.cilium).join(', ')})`);
} else {
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, text);
  console.log(`wrote schemas/upstream.json: ${bundle.kinds.length} kinds, Cilium ${Object.keys(bundle.cilium).join(', ')}, ${text.length} bytes`);
}
