/**
 * Issue 16, defect 2: names a delivery engine gives itself cannot be claimed. A cluster named
 * `in-cluster` would make the fleet's AppProject grant Argo CD's own cluster; a probe or Multigres
 * namespace equal to an engine's would put the fleet's Jobs beside it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { loadFleet } from '../../src';
import { synthArgoCdTree } from '../../src/targets/argocd/tree';
import { faults } from '../support';

const EXAMPLE = path.join(__dirname, '..', '..', 'fleet.yaml');
const example = fs.readFileSync(EXAMPLE, 'utf8').replace(/^# yaml-language-server:.*\n/, '');

describe('reserved names (issue 16, defect 2)', () => {
  test('GIVEN a cluster named in-cluster WHEN loaded THEN it is refused at its line', () => {
    expect(faults(example.replace('  - name: orchid-prod-usw2\n', '  - name: in-cluster\n'))).toEqual([
      'fleet.yaml:41:11: cluster "in-cluster": name is reserved: it is Argo CD\'s name for the cluster it runs in (the management cluster); the fleet\'s AppProject would grant it; choose another',
    ]);
  });

  test.each([
    ['argocd', 'the namespace Argo CD runs in (argocd.namespace)'],
    ['kube-system', "Cilium's (cilium.namespace)"],
    ['kube-public', "Kubernetes' own"],
    ['plrl-deploy-operator', "Plural's deployment agent's"],
    ['flux-system', "Flux's"],
    ['infra', "the namespace of the fleet's Plural objects (plural.namespace)"],
    ['cert-manager', "cert-manager's (cilium.tls.certManagerNamespace), where the mesh CA's Secret lives"],
  ])('GIVEN probe.namespace %s WHEN loaded THEN it is refused, saying whose it is', (ns, whose) => {
    const found = faults(example.replace('probe:\n  enabled: true\n', `probe:\n  enabled: true\n  namespace: ${ns}\n`));
    expect(found).toEqual([expect.stringMatching(new RegExp(`^fleet\\.yaml:\\d+:\\d+: fleet: probe\\.namespace "${ns}" is ${whose.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`))]);
  });

  test('GIVEN argocd.namespace ops and probe.namespace ops WHEN loaded THEN the probe is refused (the engine\'s namespace as configured)', () => {
    const text = example.replace('argocd:\n', 'argocd:\n  namespace: ops\n').replace('probe:\n  enabled: true\n', 'probe:\n  enabled: true\n  namespace: ops\n');
    expect(faults(text)).toEqual([expect.stringContaining('probe.namespace "ops" is the namespace Argo CD runs in (argocd.namespace)')]);
  });

  test.each([['cert-manager', "cert-manager's"], ['cilium-secrets', "Cilium's"], ['argo-cd', "Argo CD's"]])('GIVEN probe.namespace %s with cert-manager elsewhere WHEN loaded THEN it is refused all the same', (ns, whose) => {
    const text = example.replace('  version: 1.18.1\n', '  version: 1.18.1\n  tls:\n    certManagerNamespace: cm2\n').replace('probe:\n  enabled: true\n', `probe:\n  enabled: true\n  namespace: ${ns}\n`);
    expect(faults(text)).toEqual([expect.stringContaining(`fleet: probe.namespace "${ns}" is ${whose}`)]);
  });

  test('GIVEN multigres.namespace argocd WHEN loaded THEN it is refused', () => {
    expect(faults(example.replace('  namespace: multigres\n', '  namespace: argocd\n'))).toEqual([expect.stringContaining('fleet: multigres.namespace "argocd" is the namespace Argo CD runs in')]);
  });

  test('GIVEN the example THEN the fleet\'s AppProject names fleet clusters only, never Argo CD\'s own cluster', () => {
    const fleet = loadFleet(EXAMPLE);
    const files = synthArgoCdTree(fleet);
    const project = parse(files.get('argocd/orchid/apps/project.yaml')!);
    const names = new Set(fleet.clusters.map((c) => c.name));
    for (const d of project.spec.destinations) {
      expect(d.server).toBeUndefined();
      expect(names.has(d.name)).toBe(true);
    }
  });
});
