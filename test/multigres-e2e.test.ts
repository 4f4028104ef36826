import * as fs from 'fs';
import * as path from 'path';
import { Fleet, FleetValidationError, loadFleet, synthPluralTree } from '../src';
import { simulateFleet } from '../src/testing';
import { checkMultigresInvariants } from '../src/targets/plural/checks';
import { planMultigres } from '../src/plan/multigres';
import { UpstreamSchemas } from '../src/schemas/upstream-schemas';
import { fleetProps } from './support';

const ROOT = path.resolve(__dirname, '..');
const SHARED = path.resolve(ROOT, '..', 'shared');
const dev = [
  { name: 'a', id: 1, tier: 'dev', region: 'us-east-2', dnsZone: 'dev.example.com' },
  { name: 'b', id: 2, tier: 'dev', region: 'us-west-1', dnsZone: 'dev.example.com' },
  { name: 'c', id: 3, tier: 'dev', region: 'us-west-2', dnsZone: 'dev.example.com' },
];

function faultsOf(multigres: any): string[] {
  try {
    new Fleet(fleetProps({ multigres: { api: 'components', ...multigres } }, dev));
    return [];
  } catch (e) {
    if (e instanceof FleetValidationError) return e.faults.map((f) => f.message);
    throw e;
  }
}

describe('Multigres in the example fleet (shared etcd across the dev mesh)', () => {
  const fleet = loadFleet(path.join(ROOT, 'fleet.yaml'));
  const files = synthPluralTree(fleet);

  test('GIVEN the plan THEN etcd runs in orchid-dev and the west clusters consume it through one global Service', () => {
    const plan = planMultigres(fleet, fleet.multigres!.deployments[0]);
    expect(plan.clusters.map((c) => `${c.cluster}: ${c.components.join('+')} serves[${c.serves}] consumes[${c.consumes}]`)).toEqual([
      'orchid-dev: etcd serves[orders-etcd-global] consumes[]',
      'orchid-dev-usw1: multigateway+multiorch+multipooler serves[] consumes[orders-etcd-global]',
      'orchid-dev-usw2: multigateway+multiorch+multipooler serves[] consumes[orders-etcd-global]',
    ]);
  });

  test('GIVEN what Plural deploys to each cluster THEN every cross-cluster dependency has a global Service on both sides, no legacy annotation, no fromCIDR', () => {
    expect(checkMultigresInvariants(fleet, files)).toEqual([]);
  });

  test('GIVEN each cluster THEN its Multigres folder is delivered to it alone, by a ServiceDeployment', () => {
    const sim = simulateFleet(fleet, files);
    for (const c of ['orchid-dev', 'orchid-dev-usw1', 'orchid-dev-usw2']) {
      const mg = sim.get(c)!.filter((s) => s.source.includes('multigres'));
      expect(mg.map((s) => s.source)).toEqual([`infra/orchid-multigres-${c}`]);
    }
    expect(sim.get('orchid-prod-use1')!.some((s) => s.source.includes('multigres'))).toBe(false);
  });

  (fs.existsSync(SHARED) ? test : test.skip)('GIVEN each cluster THEN every object Plural deploys there validates against its upstream schema', () => {
    const schemas = UpstreamSchemas.load(SHARED);
    for (const [cluster, services] of simulateFleet(fleet, files)) {
      for (const s of services) expect([cluster, s.source, schemas.validateManifests(s.manifests)]).toEqual([cluster, s.source, []]);
    }
  });

  test('GIVEN a consumer that lost its half of the global Service WHEN checked THEN the missing dependency is named', () => {
    const broken = new Map(files);
    const p = 'services/orchid/multigres/orchid-dev-usw2/orders.yaml';
    broken.set(p, files.get(p)!.replace('name: orders-etcd-global', 'name: orders-etcd-elsewhere'));
    expect(checkMultigresInvariants(fleet, broken)).toEqual([
      'cluster "orchid-dev-usw2": multigateway "orders-gateway" needs a etcd, which runs in no cluster it can reach: no global Service in multigres here has a same-named twin selecting etcd pods in another cluster of mesh "dev"',
      'cluster "orchid-dev-usw2": multiorch "orders-orch" needs a etcd, which runs in no cluster it can reach: no global Service in multigres here has a same-named twin selecting etcd pods in another cluster of mesh "dev"',
      'cluster "orchid-dev-usw2": multipooler "orders-pooler" needs a etcd, which runs in no cluster it can reach: no global Service in multigres here has a same-named twin selecting etcd pods in another cluster of mesh "dev"',
      'global Service multigres/orders-etcd-elsewhere (in orchid-dev-usw2) selects Multigres pods in no cluster',
    ]);
  });

  test('GIVEN legacy annotations or fromCIDR WHEN checked THEN they are refused', () => {
    const broken = new Map(files);
    const p = 'services/orchid/multigres/orchid-dev/orders.yaml';
    broken.set(p, files.get(p)!.replace('service.cilium.io/global: "true"', 'service.cilium.io/global: "true"\n    io.cilium/global-service: "true"')
      .replace('    - fromEndpoints:\n        - matchLabels:\n            app.kubernetes.io/component: etcd', '    - fromCIDR:\n        - 10.0.0.0/8\n    - fromEndpoints:\n        - matchLabels:\n            app.kubernetes.io/component: etcd'));
    const problems = checkMultigresInvariants(fleet, broken);
    expect(problems[0]).toBe(`${p}: contains "io.cilium/", which is legacy or does not exist`);
    expect(problems).toContain('cluster "orchid-dev": CiliumNetworkPolicy multigres/etcd-orders-etcd: selects peers with fromCIDR; meshed pods carry identities, use fromEndpoints with io.cilium.k8s.policy.cluster');
  });
});

describe('Multigres topologies', () => {
  test('GIVEN the regional pattern WHEN synthesized THEN each region has its own etcd and poolers and the gateway cluster reaches them through global Services', () => {
    const fleet = new Fleet(fleetProps({ multigres: { api: 'components', networkPolicies: true, deployments: [{ name: 'geo', mesh: 'dev', topology: 'regional', gatewayCluster: 'a' }] } }, dev));
    const plan = planMultigres(fleet, fleet.multigres!.deployments[0]);
    expect(plan.clusters.map((c) => `${c.cluster}: ${c.components.join('+')} serves[${c.serves}] consumes[${c.consumes}]`)).toEqual([
      'a: multigateway serves[] consumes[geo-pooler-c2,geo-etcd-c2,geo-pooler-c3,geo-etcd-c3]',
      'b: etcd+multiorch+multipooler serves[geo-pooler-c2,geo-etcd-c2] consumes[]',
      'c: etcd+multiorch+multipooler serves[geo-pooler-c3,geo-etcd-c3] consumes[]',
    ]);
    const files = synthPluralTree(fleet);
    expect(checkMultigresInvariants(fleet, files)).toEqual([]);
    const gateway = files.get('services/orchid/multigres/a/geo.yaml')!;
    expect(gateway).toContain('tolerations:\n    - effect: NoSchedule\n      key: dedicated\n      operator: Equal\n      value: multigres-gateway');
  });

  test('GIVEN federated etcd WHEN validated THEN it is refused with the reason', () => {
    expect(faultsOf({ deployments: [{ name: 'x', mesh: 'dev', topology: 'federated-etcd' }] })).toEqual([
      'multigres deployment "x": topology federated-etcd cannot work: the Multigres operator builds etcd peer URLs from cluster.local names only, so members in different clusters can never form one etcd (and Cilium gives pods no cross-cluster DNS names); use shared-etcd (one etcd, reached through a global Service) or regional (an etcd per region)',
    ]);
  });

  test.each([
    [{ name: 'x', mesh: 'qa', topology: 'shared-etcd' }, 'multigres deployment "x": mesh "qa" does not exist'],
    [{ name: 'x', mesh: 'dev', topology: 'shared-etcd', etcdCluster: 'z' }, 'multigres deployment "x": cluster "z" is not in mesh "dev" (a, b, c)'],
    [{ name: 'x', mesh: 'dev', topology: 'shared-etcd', etcdReplicas: 4 }, 'multigres deployment "x": etcdReplicas must be odd and within 3..7 for quorum (got 4)'],
    [{ name: 'x', mesh: 'dev', topology: 'shared-etcd', gatewayCluster: 'a' }, 'multigres deployment "x": gatewayCluster is only used with topology regional'],
    [{ name: 'x', mesh: 'dev', topology: 'regional', etcdCluster: 'a' }, 'multigres deployment "x": etcdCluster is only used with topology shared-etcd (regional runs an etcd per region)'],
    [{ name: 'x', mesh: 'dev', topology: 'ring' }, 'multigres deployment "x": topology must be shared-etcd, regional or federated-etcd (got "ring")'],
    [{ name: 'X', mesh: 'dev', topology: 'regional' }, 'multigres deployment "X": name must consist of lowercase letters, digits and "-", and start and end with a letter or digit'],
    [{ name: 'x', mesh: 'dev', topology: 'regional', gatewayReplicas: 0 }, 'multigres deployment "x": gatewayReplicas must be within 1..2147483647 (got 0)'],
  ])('GIVEN deployment %j WHEN validated THEN the exact fault is reported', (deployment, message) => {
    expect(faultsOf({ deployments: [deployment] })).toEqual([message]);
  });
});

describe('the MultigresCluster API', () => {
  const multigres = { api: 'cluster' as const, deployments: [{ name: 'orders', mesh: 'dev', topology: 'shared-etcd' as const, etcdCluster: 'a' }] };

  test('GIVEN api cluster and shared etcd WHEN synthesized THEN each cluster has a MultigresCluster and the others reach the managed etcd through one global Service', () => {
    const fleet = new Fleet(fleetProps({ multigres }, dev));
    const files = synthPluralTree(fleet);
    expect(checkMultigresInvariants(fleet, files)).toEqual([]);
    const b = files.get('services/orchid/multigres/b/orders.yaml')!;
    expect(b).toContain('kind: MultigresCluster');
    expect(b).toContain('- http://orders-topo-global.multigres.svc.cluster.local:2379');
    expect(files.get('services/orchid/multigres/a/orders.yaml')).toContain('name: orders-topo-global');
  });

  test('GIVEN a consumer whose topology Service is gone WHEN checked THEN the broken dependency is named', () => {
    const fleet = new Fleet(fleetProps({ multigres }, dev));
    const files = new Map(synthPluralTree(fleet));
    const p = 'services/orchid/multigres/c/orders.yaml';
    files.set(p, files.get(p)!.replace(/---\napiVersion: v1\nkind: Service[\s\S]*$/, ''));
    expect(checkMultigresInvariants(fleet, files)).toEqual([
      'cluster "c": MultigresCluster multigres/orders uses the topology server at orders-topo-global.multigres, but no global Service of that name here has a twin selecting etcd pods in another cluster of mesh "dev"',
    ]);
  });

  test('GIVEN api cluster with the regional pattern WHEN validated THEN it is refused with the reason', () => {
    expect(faultsOf({ api: 'cluster', deployments: [{ name: 'x', mesh: 'dev', topology: 'regional' }] })).toEqual([
      'multigres deployment "x": topology regional needs api components: a MultigresCluster\'s gateways serve only its own cells, so one gateway tier cannot front the regions of other clusters',
    ]);
  });

  (fs.existsSync(SHARED) ? test : test.skip)('GIVEN api cluster WHEN synthesized THEN every MultigresCluster validates against its CRD', () => {
    const fleet = new Fleet(fleetProps({ multigres }, dev));
    const schemas = UpstreamSchemas.load(SHARED);
    for (const [cluster, services] of simulateFleet(fleet, synthPluralTree(fleet))) {
      for (const s of services) expect([cluster, s.source, schemas.validateManifests(s.manifests)]).toEqual([cluster, s.source, []]);
    }
  });
});
