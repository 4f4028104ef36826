// Every Cilium values file, as each delivery engine resolves it per cluster, for every supported chart
// version: valid against that version's values.schema.json, every key one the version declares (the
// schema has no additionalProperties: false, so a misspelt or removed key would pass it silently), and
// the mesh invariants holding (identities per cluster, certmanager TLS, one issuer per mesh).
import * as fs from 'fs';
import * as path from 'path';
import { ArgoCdLayout, Fleet, FleetProps, planFleet, synthArgoCdTree, synthPluralTree } from '../src';
import { checkMesh, simulateArgoCd, simulateFleet } from '../src/testing';
import { clusterCiliumValues } from '../src/plan/plan';
import { UpstreamSchemas } from '../src/schemas/upstream-schemas';

const SHARED = path.resolve(__dirname, '..', '..', 'shared');
const VERSIONS = ['1.18.1', '1.19.6', '1.20.0'];

/** A fleet with a stack-less member, a tier joining another tier's mesh, and a second mesh. */
function proofFleet(version: string, serviceType: 'LoadBalancer' | 'NodePort'): Fleet {
  const props: FleetProps = {
    name: 'proof',
    cilium: { version, apiserver: { serviceType } },
    targets: ['plural', 'argocd'],
    argocd: { repoURL: 'https://git.example.com/proof.git' },
    tiers: ['dev', { name: 'staging', mesh: 'dev' }, 'prod'],
    clusters: [
      { name: 'd1', id: 1, tier: 'dev', region: 'us-east-1', dnsZone: 'dev.example.com' },
      { name: 'd2', id: 2, tier: 'dev', region: 'us-west-2', dnsZone: 'dev.example.com', stack: false },
      { name: 's1', id: 3, tier: 'staging', region: 'us-west-2', dnsZone: 'stg.example.com' },
      { name: 'p1', id: 1, tier: 'prod', region: 'eu-west-1', dnsZone: 'prod.example.com' },
      { name: 'p2', id: 2, tier: 'prod', region: 'eu-west-2', dnsZone: 'prod.example.com', stack: false },
    ],
  };
  return new Fleet(props);
}

/** Key paths of `values` that the schema does not declare (free-form maps and lists are not descended). */
function undeclared(values: unknown, schema: any, at = ''): string[] {
  if (values === null || typeof values !== 'object' || Array.isArray(values)) return [];
  if (!schema?.properties) return [];
  return Object.entries(values as Record<string, unknown>).flatMap(([k, v]) => {
    const sub = schema.properties[k];
    const p = at ? `${at}.${k}` : k;
    return sub === undefined ? [p] : undeclared(v, sub, p);
  });
}

(fs.existsSync(SHARED) ? describe : describe.skip)('every supported chart version, both targets', () => {
  const schemas = fs.existsSync(SHARED) ? UpstreamSchemas.load(SHARED) : undefined;
  const cases = VERSIONS.flatMap((v) => (['LoadBalancer', 'NodePort'] as const).map((t) => [v, t] as const));

  test.each(cases)('GIVEN chart %s with a %s apiserver WHEN each engine resolves every cluster\'s values THEN they pass the schema, use only its keys, and keep the mesh invariants', (version, serviceType) => {
    const fleet = proofFleet(version, serviceType);
    const schema = JSON.parse(fs.readFileSync(path.join(SHARED, 'cilium', version, 'values.schema.json'), 'utf8'));
    const engines = {
      plural: simulateFleet(fleet, synthPluralTree(fleet)),
      argocd: simulateArgoCd(synthArgoCdTree(fleet), new ArgoCdLayout(fleet.name).rootFile).delivered,
    };
    for (const [engine, delivered] of Object.entries(engines)) {
      expect({ engine, problems: checkMesh(fleet, delivered) }).toEqual({ engine, problems: [] });
      for (const c of fleet.clusters) {
        const values = delivered.get(c.name)!.find((s) => s.helm)!.values as any;
        const where = { engine, cluster: c.name };
        expect({ ...where, schema: schemas!.validateCiliumValues(version, values) }).toEqual({ ...where, schema: [] });
        expect({ ...where, undeclared: undeclared(values, schema) }).toEqual({ ...where, undeclared: [] });
        expect({ ...where, id: values.cluster.id, issuer: values.clustermesh.apiserver.tls.auto.certManagerIssuerRef.name })
          .toEqual({ ...where, id: c.id, issuer: `cilium-${c.mesh}` });
        // What `meshfleet plan` compares is exactly what the engine delivers.
        expect({ ...where, values }).toEqual({ ...where, values: clusterCiliumValues(planFleet(fleet), c) });
      }
    }
  });
});

describe('cluster-pool IPAM', () => {
  test('GIVEN cni cluster-pool WHEN each engine resolves the values THEN every cluster allocates from its own pod CIDR, and a shared pool is caught', () => {
    const fleet = new Fleet({
      name: 'pool', cilium: { version: '1.19.6', cni: 'cluster-pool' }, targets: ['plural', 'argocd'], argocd: { repoURL: 'https://git.example.com/p.git' }, tiers: ['dev'],
      clusters: [
        { name: 'a', id: 1, tier: 'dev', region: 'us-east-1', dnsZone: 'dev.example.com', podCidr: '10.1.0.0/16' },
        { name: 'b', id: 2, tier: 'dev', region: 'us-east-2', dnsZone: 'dev.example.com', podCidr: '10.2.0.0/16' },
      ],
    });
    const plural = simulateFleet(fleet, synthPluralTree(fleet));
    const argocd = simulateArgoCd(synthArgoCdTree(fleet), new ArgoCdLayout(fleet.name).rootFile).delivered;
    for (const d of [plural, argocd]) {
      expect(checkMesh(fleet, d)).toEqual([]);
      const pools = fleet.clusters.map((c) => (d.get(c.name)!.find((s) => s.helm)!.values as any).ipam);
      expect(pools).toEqual([{ mode: 'cluster-pool', operator: { clusterPoolIPv4PodCIDRList: ['10.1.0.0/16'] } }, { mode: 'cluster-pool', operator: { clusterPoolIPv4PodCIDRList: ['10.2.0.0/16'] } }]);
    }
    const shared = new Map([...plural].map(([c, ss]) => [c, ss.map((s) => (s.helm ? { ...s, values: { ...s.values, ipam: { mode: 'cluster-pool' } } } : s))]));
    expect(checkMesh(fleet, shared)).toContain('cluster "a": cluster-pool IPAM must allocate from its own pod CIDR 10.1.0.0/16 (ipam.operator.clusterPoolIPv4PodCIDRList renders as undefined)');
  });
});
