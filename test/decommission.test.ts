// Removing a cluster never destroys its infrastructure by accident: only an explicit decommission entry does.
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { Fleet, synthArgoCdTree, synthPluralTree } from '../src';
import { cleanTmp, tmp } from './gitops/helpers';
import { faults, fleetProps, runCli } from './support';

afterAll(cleanTmp);

const CLUSTERS = `clusters:
  - { name: a, id: 1, tier: dev, region: us-east-2, dnsZone: dev.example.com }
  - { name: b, id: 2, tier: dev, region: us-west-2, dnsZone: dev.example.com }
  - { name: c, id: 3, tier: dev, region: us-west-1, dnsZone: dev.example.com }
`;
const HEAD = 'name: lotus\ncilium:\n  version: 1.19.6\ntiers: [dev]\n';

/** A folder holding the tree of the three-cluster fleet, and a function to re-synth it with another fleet text. */
function written(): { dir: string; synth: (clusters: string) => ReturnType<typeof runCli>; files: () => string[] } {
  const dir = tmp('meshfleet-decom-');
  const fleetFile = path.join(dir, 'fleet.yaml');
  const out = path.join(dir, 'out');
  const synth = (clusters: string) => {
    fs.writeFileSync(fleetFile, HEAD + clusters);
    return runCli(['--fleet', fleetFile, '--out', out]);
  };
  expect(synth(CLUSTERS).code).toBe(0);
  const files = () => fs.readdirSync(path.join(out, 'bootstrap/lotus/clusters')).sort();
  return { dir: out, synth, files };
}

describe('removing a cluster', () => {
  test('GIVEN a cluster dropped from fleet.yaml WHEN synthesized THEN it is refused, naming the stack and what to do, and nothing is written', () => {
    const { dir, synth, files } = written();
    const before = fs.readFileSync(path.join(dir, 'helm/lotus/cilium/mesh-dev.yaml.liquid'), 'utf8');
    const r = synth(CLUSTERS.replace(/ {2}- \{ name: c,.*\n/, ''));
    expect(r.code).toBe(1);
    expect(r.err).toContain('bootstrap/lotus/clusters/c.yaml: would delete cluster "c"\'s InfrastructureStack, and Plural would destroy its infrastructure (detach: false). '
      + 'To remove the cluster, keep its entry in fleet.yaml with decommission: destroy');
    expect(files()).toEqual(['a.yaml', 'b.yaml', 'c.yaml']);
    expect(fs.readFileSync(path.join(dir, 'helm/lotus/cilium/mesh-dev.yaml.liquid'), 'utf8')).toBe(before);
  });

  test('GIVEN a renamed cluster WHEN synthesized THEN the rename is refused with the same guidance', () => {
    const { synth } = written();
    const r = synth(CLUSTERS.replace('name: c,', 'name: c2,'));
    expect(r.code).toBe(1);
    expect(r.err).toContain('A rename is a destroy plus a create: add the new cluster and decommission the old one');
  });

  test('GIVEN decommission: destroy WHEN synthesized THEN its stack and Cluster go, and it leaves the mesh', () => {
    const { dir, synth, files } = written();
    const r = synth(CLUSTERS.replace('dnsZone: dev.example.com }\n', 'dnsZone: dev.example.com }\n').replace('{ name: c, id: 3, tier: dev, region: us-west-1, dnsZone: dev.example.com }', '{ name: c, id: 3, tier: dev, region: us-west-1, dnsZone: dev.example.com, decommission: destroy }'));
    expect(r.code).toBe(0);
    expect(files()).toEqual(['a.yaml', 'b.yaml']);
    expect(fs.readFileSync(path.join(dir, 'helm/lotus/cilium/mesh-dev.yaml.liquid'), 'utf8')).not.toContain('name: c\n');
  });

  test('GIVEN decommission: detach WHEN synthesized THEN only its stack stays, detached; removing the entry afterwards is allowed', () => {
    const { dir, synth, files } = written();
    const detached = CLUSTERS.replace('{ name: c, id: 3, tier: dev, region: us-west-1, dnsZone: dev.example.com }', '{ name: c, id: 3, tier: dev, region: us-west-1, dnsZone: dev.example.com, decommission: detach }');
    expect(synth(detached).code).toBe(0);
    const docs = fs.readFileSync(path.join(dir, 'bootstrap/lotus/clusters/c.yaml'), 'utf8').split('\n---\n').map((d) => parse(d));
    expect(docs.map((d) => `${d.kind} ${d.spec.detach}`)).toEqual(['InfrastructureStack true']);
    expect(fs.readFileSync(path.join(dir, 'helm/lotus/cilium/mesh-dev.yaml.liquid'), 'utf8')).not.toContain('name: c\n');
    const r = synth(CLUSTERS.replace(/ {2}- \{ name: c,.*\n/, ''));
    expect([r.code, r.err]).toEqual([0, '']);
    expect(files()).toEqual(['a.yaml', 'b.yaml']);
  });

  test('GIVEN stack: false set on a running cluster WHEN synthesized THEN it is refused (its stack would be deleted, and Plural would destroy it)', () => {
    const { synth, files } = written();
    const r = synth(CLUSTERS.replace('{ name: c, id: 3, tier: dev, region: us-west-1, dnsZone: dev.example.com }', '{ name: c, id: 3, tier: dev, region: us-west-1, dnsZone: dev.example.com, stack: false }'));
    expect(r.code).toBe(1);
    expect(r.err).toContain('bootstrap/lotus/clusters/c.yaml: would delete cluster "c"\'s InfrastructureStack (stack: false on a running cluster), and Plural would destroy its infrastructure');
    expect(files()).toEqual(['a.yaml', 'b.yaml', 'c.yaml']);
  });

  test.each([
    ['its id', 'name: c, id: 3,', 'name: c, id: 4,', 'its stack\'s cluster_id changes from 3 to 4 in place; Cilium cannot change a running cluster\'s id'],
    ['its region', 'region: us-west-1', 'region: eu-west-1', 'its stack\'s region changes from "us-west-1" to "eu-west-1" in place; Terraform would replace the cluster'],
  ])('GIVEN %s changed on a running cluster WHEN synthesized THEN it is refused and nothing is written', (_what, from, to, message) => {
    const { synth } = written();
    const r = synth(CLUSTERS.replace(from, to));
    expect(r.code).toBe(1);
    expect(r.err).toContain(`bootstrap/lotus/clusters/c.yaml: cluster "c": ${message}`);
  });

  test('GIVEN a stack-less cluster dropped WHEN synthesized THEN it just leaves (no stack to destroy)', () => {
    const dir = tmp('meshfleet-decom-');
    const fleetFile = path.join(dir, 'fleet.yaml');
    const out = path.join(dir, 'out');
    const stackless = CLUSTERS.replace('{ name: c, id: 3, tier: dev, region: us-west-1, dnsZone: dev.example.com }', '{ name: c, id: 3, tier: dev, region: us-west-1, dnsZone: dev.example.com, stack: false }');
    fs.writeFileSync(fleetFile, HEAD + stackless);
    expect(runCli(['--fleet', fleetFile, '--out', out]).code).toBe(0);
    fs.writeFileSync(fleetFile, HEAD + CLUSTERS.replace(/ {2}- \{ name: c,.*\n/, ''));
    expect(runCli(['--fleet', fleetFile, '--out', out]).code).toBe(0);
    expect(fs.readdirSync(path.join(out, 'bootstrap/lotus/clusters')).sort()).toEqual(['a.yaml', 'b.yaml']);
  });
});

describe('decommission entries are checked', () => {
  test('GIVEN a decommissioned cluster that still runs a Multigres cell WHEN loaded THEN it is refused (the deployment would lose it unannounced)', () => {
    const text = require('fs').readFileSync(require('path').resolve(__dirname, '..', 'fleet.yaml'), 'utf8').replace('    podCidr: 10.3.0.0/16\n', '    podCidr: 10.3.0.0/16\n    decommission: destroy\n');
    expect(faults(text)).toEqual([expect.stringMatching(/multigres deployment "orders": cluster "orchid-dev-usw2" is being decommissioned; move the deployment's cell to another member first/)]);
  });

  test.each([
    ['decommission: remove', 'cluster "c": decommission must be destroy or detach (got "remove")'],
    ['stack: false, decommission: detach', 'cluster "c": decommission: detach keeps the cluster\'s InfrastructureStack, but it has none (stack: false); use destroy, or remove the entry'],
  ])('GIVEN %s WHEN loaded THEN it is refused at its line', (extra, message) => {
    const text = HEAD + CLUSTERS.replace('{ name: c, id: 3, tier: dev, region: us-west-1, dnsZone: dev.example.com }', `{ name: c, id: 3, tier: dev, region: us-west-1, dnsZone: dev.example.com, ${extra} }`);
    expect(faults(text).join('\n')).toContain(message);
  });

  test('GIVEN a decommissioned cluster THEN its id is free for a new member, and no target delivers it anything', () => {
    const fleet = new Fleet(fleetProps({ targets: ['plural', 'argocd'], argocd: { repoURL: 'https://git.example.com/x.git' } }, [
      { name: 'a', id: 1, tier: 'dev', region: 'us-east-1', dnsZone: 'dev.example.com' },
      { name: 'old', id: 2, tier: 'dev', region: 'us-east-1', dnsZone: 'dev.example.com', decommission: 'destroy' },
      { name: 'new', id: 2, tier: 'dev', region: 'us-east-1', dnsZone: 'dev.example.com' },
    ]));
    expect(fleet.clusters.map((c) => c.name)).toEqual(['a', 'new']);
    expect(fleet.decommissioned.map((c) => c.name)).toEqual(['old']);
    for (const files of [synthPluralTree(fleet), synthArgoCdTree(fleet)]) {
      expect([...files].filter(([p, t]) => p.includes('/old') || t.includes('name: old'))).toEqual([]);
    }
  });
});
