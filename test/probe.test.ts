// The connectivity probe: what each cluster receives from both targets, its invariants, its growth, and what it refuses.
import { ArgoCdLayout, Fleet, FleetProps, loadFleet, synthArgoCdTree, synthPluralTree } from '../src';
import { checkProbe, simulateArgoCd, simulateFleet } from '../src/testing';
import { faults, fleetProps } from './support';
import * as fs from 'fs';
import * as path from 'path';

const EXAMPLE = path.resolve(__dirname, '..', 'fleet.yaml');
const ARGO = { repoURL: 'https://git.example.com/x.git' };

function probeFleet(overrides: Partial<FleetProps> = {}, clusters?: FleetProps['clusters']): Fleet {
  return new Fleet(fleetProps({ targets: ['plural', 'argocd'], argocd: ARGO, probe: { enabled: true }, ...overrides }, clusters as any));
}

function delivered(fleet: Fleet) {
  return {
    plural: simulateFleet(fleet, synthPluralTree(fleet)),
    argocd: simulateArgoCd(synthArgoCdTree(fleet), new ArgoCdLayout(fleet.name).rootFile).delivered,
  };
}

describe('the probe in every cluster, through both targets', () => {
  test('GIVEN the example fleet THEN each cluster\'s probe targets exactly the other members of its mesh, each through a Service backed on the other side only', () => {
    const fleet = loadFleet(EXAMPLE);
    for (const [engine, d] of Object.entries(delivered(fleet))) {
      expect({ engine, problems: checkProbe(fleet, d) }).toEqual({ engine, problems: [] });
    }
  });

  test('GIVEN the probe WHEN written THEN the image is pinned by an exact tag, the pods run as non-root on a read-only root filesystem with limits, and the policies select by cluster, never by CIDR', () => {
    const files = synthPluralTree(loadFleet(EXAMPLE));
    const mesh = files.get('services/orchid/probe/dev/mesh.yaml')!;
    const responder = files.get('services/orchid/probe/dev/responder.yaml.liquid')!;
    for (const text of [mesh, responder]) {
      expect(text).toContain('image: docker.io/library/busybox:1.36.1');
      expect(text).not.toMatch(/:latest\b/);
      expect(text).toContain('readOnlyRootFilesystem: true');
      expect(text).toContain('runAsNonRoot: true');
      expect(text).toMatch(/limits:\n\s+cpu: 100m\n\s+memory: 32Mi/);
    }
    expect(mesh).toContain('io.cilium.k8s.policy.cluster');
    expect(mesh).not.toMatch(/fromCIDR|toCIDR/);
    expect(mesh).toContain('service.cilium.io/global: "true"');
  });

  test('GIVEN the probe off THEN nothing of it is written by either target', () => {
    const fleet = probeFleet({ probe: { enabled: false } });
    for (const files of [synthPluralTree(fleet), synthArgoCdTree(fleet)]) {
      expect([...files].filter(([p, t]) => p.includes('probe') || t.includes('meshfleet-probe'))).toEqual([]);
    }
    for (const d of Object.values(delivered(fleet))) expect(checkProbe(fleet, d)).toEqual([]);
  });

  test('GIVEN a Service that also selects the local responder WHEN checked THEN the false answer is caught', () => {
    const fleet = probeFleet();
    const files = synthPluralTree(fleet);
    const p = 'services/orchid/probe/dev/mesh.yaml';
    const broken = new Map(files);
    broken.set(p, files.get(p)!.replace(/ {4}meshfleet\.io\/probe-cluster: orchid-dev-usw1\n/, ''));
    const problems = checkProbe(fleet, simulateFleet(fleet, broken));
    expect(problems).toContain('cluster "orchid-dev": Service probe-orchid-dev-usw1 selects the local responder, so a local answer would hide an unreachable "orchid-dev-usw1"');
  });

  test('GIVEN a peer list missing a member WHEN checked THEN the cluster that would not call it is named', () => {
    const fleet = probeFleet();
    const files = synthArgoCdTree(fleet);
    const p = 'argocd/orchid/probe/mesh-dev/mesh.yaml';
    const broken = new Map(files);
    broken.set(p, files.get(p)!.replace('peers: orchid-dev orchid-dev-usw1', 'peers: orchid-dev'));
    const problems = checkProbe(fleet, simulateArgoCd(broken, 'argocd/orchid/root.yaml').delivered);
    expect(problems).toContain('cluster "orchid-dev": its probe calls nobody; the other members of mesh "dev" are orchid-dev-usw1');
  });

  test('GIVEN one more cluster WHEN synthesized THEN only its mesh\'s probe file changes (no per-cluster copy in either target) and the Job is renamed, so the mesh is probed again', () => {
    const clusters = Array.from({ length: 30 }, (_, i) => ({ name: `c${i}`, id: i + 1, tier: i % 2 ? 'dev' : 'prod', region: 'us-east-1', dnsZone: 'example.com' }));
    const before = probeFleet({}, clusters);
    const after = probeFleet({}, [...clusters, { name: 'c30', id: 31, tier: 'dev', region: 'us-east-1', dnsZone: 'example.com' }]);
    const changed = (a: Map<string, string>, b: Map<string, string>) => [...b].filter(([p, t]) => a.get(p) !== t).map(([p]) => p).filter((p) => p.includes('probe')).sort();
    expect(changed(synthPluralTree(before), synthPluralTree(after))).toEqual(['services/orchid/probe/dev/mesh.yaml']);
    expect(changed(synthArgoCdTree(before), synthArgoCdTree(after))).toEqual(['argocd/orchid/probe/mesh-dev/mesh.yaml']);
    const job = (f: Fleet) => /name: (mesh-probe-[0-9a-f]+)/.exec(synthPluralTree(f).get('services/orchid/probe/dev/mesh.yaml')!)![1];
    expect(job(after)).not.toBe(job(before));
    expect(/name: (mesh-probe-[0-9a-f]+)/.exec(synthPluralTree(after).get('services/orchid/probe/prod/mesh.yaml')!)![1])
      .toBe(/name: (mesh-probe-[0-9a-f]+)/.exec(synthPluralTree(before).get('services/orchid/probe/prod/mesh.yaml')!)![1]);
  });

  test('GIVEN Argo CD THEN the Job is a plain resource of the probe Application (its failure is the Application\'s Degraded health), and each cluster\'s own part is the mesh\'s Jsonnet with its name', () => {
    const files = synthArgoCdTree(loadFleet(EXAMPLE));
    const mesh = files.get('argocd/orchid/probe/mesh-dev/mesh.yaml')!;
    expect(mesh).toContain('kind: Job');
    expect(mesh).not.toContain('argocd.argoproj.io/hook');
    const apps = files.get('argocd/orchid/apps/clusters/orchid-dev.yaml')!;
    expect(apps).toContain('name: orchid-dev-probe');
    expect(apps).toContain('jsonnet:\n        extVars:\n          - name: cluster\n            value: orchid-dev');
    expect(files.get('argocd/orchid/probe/mesh-dev/responder.jsonnet')).toContain('"meshfleet.io/probe-cluster": std.extVar(\'cluster\')');
    const sim = simulateArgoCd(files, 'argocd/orchid/root.yaml');
    const responder = sim.delivered.get('orchid-dev-usw2')!.flatMap((s) => s.manifests as any[]).find((m) => m.kind === 'Deployment' && m.metadata.name === 'probe-responder');
    expect(responder.metadata.labels['meshfleet.io/probe-cluster']).toBe('orchid-dev-usw2');
  });

  test.each([
    ['image: busybox', 'probe.image "busybox" must be pinned'],
    ['image: docker.io/library/busybox:latest', 'probe.image "docker.io/library/busybox:latest" must be pinned'],
    ['timeoutSeconds: 0', 'probe.timeoutSeconds must be an integer in 1..60 (got 0)'],
    ['namespace: Probe', 'probe.namespace "Probe"'],
  ])('GIVEN probe %s WHEN loaded THEN it is refused', (line, message) => {
    const text = fs.readFileSync(EXAMPLE, 'utf8').replace('probe:\n  enabled: true\n', `probe:\n  enabled: true\n  ${line}\n`);
    expect(faults(text).join('\n')).toContain(message);
  });
});
