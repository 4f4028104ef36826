/**
 * Issue 19: the Flux target. For every fleet shape (the example, several meshes and tiers sharing one,
 * stack-less clusters, NodePort, regional Multigres, maxConnectedClusters 511), what each cluster's Flux
 * would apply (the Flux simulator: bootstrap folder, Kustomization paths and dependsOn, HelmRelease values
 * merge) wires the same mesh as Plural and Argo CD: the same Cilium values per cluster, byte for byte,
 * the same chart; the shared mesh, Multigres and probe invariants hold; every Flux object validates against
 * Flux's CRDs. And the simulator refuses what Flux would not do.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Fleet, loadFleet } from '../../src';
import { FleetProps } from '../../src/fleet/props';
import { targetNamed } from '../../src/targets/registry';
import { validateTree } from '../../src/testing';
import { simulateFlux } from '../../src/targets/flux/simulator';
import { FluxLayout } from '../../src/targets/flux/layout';
import { synthFluxTree } from '../../src/targets/flux/tree';
import { UpstreamSchemas } from '../../src/schemas/upstream-schemas';
import { cleanTmp, tmp } from '../gitops/helpers';
import { faults, fleetProps, runCli } from '../support';

afterAll(cleanTmp);

const ROOT = path.resolve(__dirname, '..', '..');
const SHARED = path.resolve(ROOT, '..', 'shared');
const FLUX = { repoURL: 'https://git.example.com/platform/fleet.git' };
const ARGO = { repoURL: 'https://git.example.com/platform/fleet.git' };

const dev = [
  { name: 'a', id: 1, tier: 'dev', region: 'us-east-2', dnsZone: 'dev.example.com' },
  { name: 'b', id: 2, tier: 'dev', region: 'us-west-1', dnsZone: 'dev.example.com' },
  { name: 'c', id: 3, tier: 'dev', region: 'us-west-2', dnsZone: 'dev.example.com' },
];

const both = (p: FleetProps): FleetProps => ({ ...p, targets: ['plural', 'argocd', 'flux'], flux: FLUX, argocd: ARGO });

const SHAPES: Array<[string, FleetProps]> = [
  ['the example fleet', both(loadFleet(path.join(ROOT, 'fleet.yaml')).props)],
  ['several meshes, tiers sharing one, stack-less clusters', both(fleetProps({ tiers: ['dev', { name: 'staging', mesh: 'dev' }, 'prod'] }, [
    ...dev, { name: 's', id: 4, tier: 'staging', region: 'us-east-1', dnsZone: 'stg.example.com', stack: false },
    { name: 'p', id: 1, tier: 'prod', region: 'us-east-1', dnsZone: 'prod.example.com', stack: false }]))],
  ['NodePort apiserver, chart 1.20', both(fleetProps({ cilium: { version: '1.20.0', apiserver: { serviceType: 'NodePort', nodePort: 31379 } } }))],
  ['cluster-pool, 511 clusters, chart 1.19', both(fleetProps({ cilium: { version: '1.19.6', cni: 'cluster-pool', maxConnectedClusters: 511 } }, [
    { name: 'p1', id: 300, tier: 'dev', region: 'eu-west-1', dnsZone: 'dev.example.com', podCidr: '10.1.0.0/16' },
    { name: 'p2', id: 301, tier: 'dev', region: 'eu-west-2', dnsZone: 'dev.example.com', podCidr: '10.2.0.0/16', stack: false }]))],
  ['regional Multigres with policies and the probe', both(fleetProps({ probe: { enabled: true }, multigres: { api: 'components', networkPolicies: true, namespace: 'pg', deployments: [{ name: 'geo', mesh: 'dev', topology: 'regional', gatewayCluster: 'a' }] } }, dev))],
];

/** Each cluster's Cilium release as an engine delivers it: chart and merged values. */
function cilium(delivered: ReadonlyMap<string, ReadonlyArray<{ helm?: { chart: string; version: string; url: string }; values?: unknown }>>): Record<string, unknown> {
  return Object.fromEntries([...delivered].map(([c, services]) => [c, services.filter((s) => s.helm?.chart === 'cilium').map((s) => ({ helm: s.helm, values: s.values }))]));
}

describe('the Flux target (issue 19)', () => {
  test.each(SHAPES)('GIVEN %s WHEN each cluster\'s Flux is simulated THEN it gets the Cilium values Argo CD and Plural give it, and every invariant holds', (_, props) => {
    const fleet = new Fleet(props);
    const flux = targetNamed('flux');
    const files = flux.synth(fleet);
    const byFlux = flux.deliver(fleet, files);
    expect(byFlux.problems).toEqual([]);
    expect([...byFlux.declared].sort()).toEqual(fleet.clusters.map((c) => c.name).sort());
    const byArgo = targetNamed('argocd').deliver(fleet, targetNamed('argocd').synth(fleet));
    const byPlural = targetNamed('plural').deliver(fleet, targetNamed('plural').synth(fleet));
    const ours = cilium(byFlux.delivered) as Record<string, Array<{ values: { cluster: { name: string } } }>>;
    for (const c of fleet.clusters) {
      expect(ours[c.name]).toHaveLength(1);
      expect(ours[c.name][0].values.cluster.name).toBe(c.name);
    }
    expect(ours).toEqual(cilium(byArgo.delivered));
    // Plural renders its values with Liquid: the same values, its chart source is the same.
    expect(Object.fromEntries(Object.entries(cilium(byFlux.delivered)).map(([c, s]) => [c, (s as Array<{ values: unknown }>).map((x) => x.values)])))
      .toEqual(Object.fromEntries(Object.entries(cilium(byPlural.delivered)).map(([c, s]) => [c, (s as Array<{ values: unknown }>).map((x) => x.values)])));
    const audit = validateTree(fleet, files, ['flux'], fs.existsSync(SHARED) ? UpstreamSchemas.load(SHARED) : undefined);
    expect(audit.findings).toEqual([]);
  });

  test('GIVEN the example fleet THEN each cluster\'s bootstrap file orders its Kustomizations issuer and values before Cilium, Cilium before Multigres and the probe', () => {
    const fleet = new Fleet(SHAPES[4][1]);
    const files = synthFluxTree(fleet);
    const text = files.get(new FluxLayout(fleet.name).clusterFile('a'))!;
    const { parseAllDocuments } = jest.requireActual('yaml') as typeof import('yaml');
    const ks = parseAllDocuments(text).map((d) => d.toJS()).filter((o) => o.kind === 'Kustomization');
    expect(ks.map((k) => [k.metadata.name, k.spec.path, (k.spec.dependsOn ?? []).map((d: { name: string }) => d.name)])).toEqual([
      ['orchid-issuer', './flux/orchid/issuer/dev', []],
      ['orchid-values-fleet', './flux/orchid/values/fleet', []],
      ['orchid-values-mesh', './flux/orchid/values/meshes/dev', []],
      ['orchid-cilium', './flux/orchid/cilium/a', ['orchid-issuer', 'orchid-values-fleet', 'orchid-values-mesh']],
      ['orchid-multigres', './flux/orchid/multigres/a', ['orchid-cilium']],
      ['orchid-probe-mesh', './flux/orchid/probe/meshes/dev', ['orchid-cilium']],
      ['orchid-probe', './flux/orchid/probe/clusters/a', ['orchid-probe-mesh']],
    ]);
  });

  test('GIVEN 200 clusters in two meshes WHEN one is added THEN the Flux tree changes O(1) files: the new cluster\'s, and its mesh\'s shared ones', () => {
    const clusters = Array.from({ length: 200 }, (_, i) => ({ name: `c${i}`, id: (i % 100) + 1, tier: i < 100 ? 'dev' : 'prod', region: 'us-east-1', dnsZone: `${i < 100 ? 'dev' : 'prod'}.example.com` }));
    const before = synthFluxTree(new Fleet(both(fleetProps({ tiers: ['dev', 'prod'], probe: { enabled: true } }, clusters.filter((c) => c.name !== 'c99')))));
    const after = synthFluxTree(new Fleet(both(fleetProps({ tiers: ['dev', 'prod'], probe: { enabled: true } }, clusters))));
    const changed = [...new Set([...before.keys(), ...after.keys()])].filter((p) => before.get(p) !== after.get(p)).sort();
    expect(changed).toEqual([
      'flux/orchid/MESH.md',
      'flux/orchid/cilium/c99/helmrelease.yaml',
      'flux/orchid/clusters/c99/meshfleet.yaml',
      'flux/orchid/probe/clusters/c99/responder.yaml',
      expect.stringMatching(/^flux\/orchid\/probe\/meshes\/dev\/mesh\.yaml$/),
      'flux/orchid/values/meshes/dev/cilium-values.yaml',
    ]);
  });

  test('GIVEN targets: [flux] without flux.repoURL, or a bad flux setting THEN the field is named', () => {
    expect(faults('name: f\ncilium: {version: 1.18.1}\ntargets: [flux]\ntiers: [dev]\nclusters:\n  - {name: a, id: 1, tier: dev, region: us-east-1, dnsZone: dev.example.com}\n'))
      .toContainEqual(expect.stringMatching(/flux\.repoURL is required when targets lists flux/));
    expect(faults('name: f\ncilium: {version: 1.18.1}\ntargets: [flux]\nflux: {repoURL: "https://x.example.com/r.git", interval: "soon"}\ntiers: [dev]\nclusters:\n  - {name: a, id: 1, tier: dev, region: us-east-1, dnsZone: dev.example.com}\n'))
      .toContainEqual(expect.stringMatching(/flux\.interval "soon" must be a Go duration/));
    expect(faults('name: f\ncilium: {version: 1.18.1}\ntargets: [flux]\nflux: {repoURL: "git@github.com:acme/x.git"}\ntiers: [dev]\nclusters:\n  - {name: a, id: 1, tier: dev, region: us-east-1, dnsZone: dev.example.com}\n'))
      .toContainEqual(expect.stringMatching(/flux\.repoURL "git@github\.com:acme\/x\.git" must start with https:\/\/, http:\/\/ or ssh:\/\//));
  });

  test('GIVEN --target flux on the CLI THEN synth, check and validate work on the Flux tree', () => {
    const dir = tmp('meshfleet-flux-');
    const fleet = path.join(dir, 'fleet.yaml');
    fs.writeFileSync(fleet, fs.readFileSync(path.join(ROOT, 'fleet.yaml'), 'utf8').replace('argocd:\n', `flux:\n  repoURL: ${FLUX.repoURL}\nargocd:\n`));
    expect(runCli(['synth', '--fleet', fleet, '--out', path.join(dir, 'out'), '--target', 'flux']).code).toBe(0);
    expect(runCli(['check', '--fleet', fleet, '--out', path.join(dir, 'out'), '--target', 'flux']).code).toBe(0);
    const v = runCli(['validate', path.join(dir, 'out'), '--fleet', fleet, '--target', 'flux']);
    expect(v.err).toBe('');
    expect(v.code).toBe(0);
  });
});

describe('a cluster folder after flux bootstrap (review of issue 19)', () => {
  test('GIVEN the flux-system/ folder flux bootstrap commits into a cluster\'s folder THEN check, validate --schemas and synth leave it alone, and the cluster\'s Flux still gets its mesh', () => {
    const dir = tmp('meshfleet-flux-boot-');
    const fleet = path.join(dir, 'fleet.yaml');
    fs.writeFileSync(fleet, fs.readFileSync(path.join(ROOT, 'fleet.yaml'), 'utf8').replace('argocd:\n', `flux:\n  repoURL: ${FLUX.repoURL}\nargocd:\n`));
    const out = path.join(dir, 'out');
    expect(runCli(['synth', '--fleet', fleet, '--out', out, '--target', 'flux']).code).toBe(0);
    const sys = path.join(out, 'flux/orchid/clusters/orchid-dev/flux-system');
    fs.mkdirSync(sys);
    fs.writeFileSync(path.join(sys, 'kustomization.yaml'), 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- gotk-components.yaml\n- gotk-sync.yaml\n');
    fs.writeFileSync(path.join(sys, 'gotk-components.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: flux-system\n---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: kustomizations.kustomize.toolkit.fluxcd.io\nspec: {}\n');
    fs.writeFileSync(path.join(sys, 'gotk-sync.yaml'), 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: flux-system\n  namespace: flux-system\nspec:\n  interval: 1m0s\n  ref:\n    branch: main\n  secretRef:\n    name: flux-system\n  url: ssh://git@github.com/acme/fleet-gitops\n---\n'
      + 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: flux-system\n  namespace: flux-system\nspec:\n  interval: 10m0s\n  path: ./flux/orchid/clusters/orchid-dev\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n');
    const check = runCli(['check', '--fleet', fleet, '--out', out, '--target', 'flux']);
    expect(check.err).toBe('');
    expect(check.code).toBe(0);
    const v = runCli(['validate', out, '--fleet', fleet, '--target', 'flux', '--schemas']);
    expect(v.err).toBe('');
    expect(v.code).toBe(0);
    expect(runCli(['synth', '--fleet', fleet, '--out', out, '--target', 'flux']).code).toBe(0);
    expect(fs.existsSync(path.join(sys, 'gotk-sync.yaml'))).toBe(true);
  });
});

describe('the Flux simulator refuses what Flux would not do (issue 19)', () => {
  const boot = (extra: string) => new Map([
    ['b/meshfleet.yaml', 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: r, namespace: flux-system}\nspec: {url: "https://x.example.com/r.git", interval: 1m}\n---\n' + extra],
    ['x/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: v, namespace: flux-system}\ndata:\n  values.yaml: "a: ${A:=1}\\nl: [1, 2]\\n"\n'],
  ]);
  const k = (name: string, pathOf: string, deps: string[] = [], post = '') => `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: ${name}, namespace: flux-system}\nspec: {interval: 1m, path: ./${pathOf}, prune: true, sourceRef: {kind: GitRepository, name: r}${deps.length ? `, dependsOn: [${deps.map((d) => `{name: ${d}}`).join(', ')}]` : ''}${post}}\n---\n`;

  test('GIVEN a dependsOn on a Kustomization the cluster lacks, and a cycle THEN both are problems', () => {
    const files = boot(k('one', 'x', ['two']) + k('two', 'x', ['one']) + k('three', 'x', ['missing']));
    const sim = simulateFlux(files, new Map([['c', 'b']]));
    expect(sim.problems).toContain('cluster "c": Kustomization "three" depends on "missing", which this cluster does not have (Flux would wait for it forever)');
    expect(sim.problems).toContainEqual(expect.stringMatching(/^cluster "c": Kustomizations depend on each other in a cycle: (one -> two -> one|two -> one -> two)$/));
  });

  test('GIVEN postBuild.substitute THEN ${var} and ${var:=default} are replaced as Flux does', () => {
    const files = boot(k('one', 'x', [], ', postBuild: {substitute: {A: "7"}}'));
    const sim = simulateFlux(files, new Map([['c', 'b']]));
    expect(sim.problems).toEqual([]);
    expect((sim.delivered.get('c')![0].manifests[0] as { data: Record<string, string> }).data['values.yaml']).toBe('a: 7\nl: [1, 2]\n');
  });

  test('GIVEN a HelmRelease whose values ConfigMap is not applied, or whose chart source is missing THEN each is a problem', () => {
    const release = 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: h, namespace: flux-system}\nspec: {interval: 1m, chart: {spec: {chart: cilium, version: 1.18.1, sourceRef: {kind: HelmRepository, name: nope}}}, valuesFrom: [{kind: ConfigMap, name: gone}]}\n';
    const files = new Map([...boot(k('rel', 'y', ['one']) + k('one', 'x')), ['y/h.yaml', release]]);
    const sim = simulateFlux(files, new Map([['c', 'b']]));
    expect(sim.problems).toContain('cluster "c": HelmRelease flux-system/h: its chart source HelmRepository "nope" is not declared in the cluster\'s bootstrap folder');
  });
});
