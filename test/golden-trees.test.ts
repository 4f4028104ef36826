/**
 * The Plural tree of every test fleet shape, pinned file by file (sha256 of each file's content), so
 * a refactoring that changes one byte of what is delivered shows here. The example fleet's files are
 * snapshotted in full by e2e.test.ts.
 */
import * as crypto from 'crypto';
import { Fleet, synthPluralTree } from '../src';
import { FleetProps } from '../src/fleet/props';
import { fleetProps } from './support';

const dev = [
  { name: 'a', id: 1, tier: 'dev', region: 'us-east-2', dnsZone: 'dev.example.com' },
  { name: 'b', id: 2, tier: 'dev', region: 'us-west-1', dnsZone: 'dev.example.com' },
  { name: 'c', id: 3, tier: 'dev', region: 'us-west-2', dnsZone: 'dev.example.com' },
];

const SHAPES: Array<[string, FleetProps]> = [
  ['default (1.18, aws-cni, LoadBalancer)', fleetProps()],
  ['chart 1.19', fleetProps({ cilium: { version: '1.19.6' } })],
  ['NodePort apiserver with annotations', fleetProps({ cilium: { version: '1.18.1', apiserver: { serviceType: 'NodePort', nodePort: 31379, annotations: { 'example.com/owner': 'net' } } } })],
  ['cluster-pool with pod CIDRs, 511 clusters, eni off', fleetProps({ cilium: { version: '1.19.6', cni: 'cluster-pool', maxConnectedClusters: 511 } }, [
    { name: 'p1', id: 300, tier: 'dev', region: 'eu-west-1', dnsZone: 'dev.example.com', podCidr: '10.1.0.0/16' },
    { name: 'p2', id: 301, tier: 'dev', region: 'eu-west-2', dnsZone: 'dev.example.com', podCidr: '10.2.0.0/16', stack: false, tags: { team: 'net' } },
  ])],
  ['eni, tiers sharing a mesh, custom plural and tls names', fleetProps({
    cilium: { version: '1.18.1', cni: 'eni', tls: { issuer: 'mesh-ca', caSecret: 'mesh-ca-cert', issuerSecret: 'mesh-ca-key', certManagerNamespace: 'certs' }, namespace: 'cilium' },
    plural: { namespace: 'fleet', repository: 'gitops', gitRef: 'release', scmConnection: 'github', identifier: 'acme/gitops', mgmtCluster: 'hub', fleetFile: 'fleets/orchid.yaml', terraformFolder: 'tf/cluster', terraformVersion: '1.9', actor: 'ops@example.com' },
    tiers: ['dev', { name: 'staging', mesh: 'dev' }, 'prod'],
  }, [...dev, { name: 's', id: 4, tier: 'staging', region: 'us-east-1', dnsZone: 'stg.example.com' }, { name: 'p', id: 1, tier: 'prod', region: 'us-east-1', dnsZone: 'prod.example.com' }])],
  ['multigres shared-etcd with policies', fleetProps({ multigres: { api: 'components', networkPolicies: true, deployments: [{ name: 'orders', mesh: 'dev', topology: 'shared-etcd', etcdCluster: 'a' }] } }, dev)],
  ['multigres regional with policies', fleetProps({ multigres: { api: 'components', networkPolicies: true, namespace: 'pg', deployments: [{ name: 'geo', mesh: 'dev', topology: 'regional', gatewayCluster: 'a', gatewayReplicas: 3, poolerReplicas: 2, gatewayNodes: { taintKey: 'role', taintValue: 'edge' } }] } }, dev)],
  ['multigres api cluster', fleetProps({ multigres: { api: 'cluster', deployments: [{ name: 'orders', mesh: 'dev', topology: 'shared-etcd', etcdReplicas: 5 }] } }, dev)],
];

describe('the Plural tree of every fleet shape', () => {
  test.each(SHAPES)('GIVEN %s WHEN synthesized THEN every file is byte-identical to the pinned tree', (_, props) => {
    const files = synthPluralTree(new Fleet(props, undefined, 'fleet.yaml')) // as if read from fleet.yaml: with its PR automations;
    const hashes = Object.fromEntries([...files].sort(([a], [b]) => (a < b ? -1 : 1)).map(([p, c]) => [p, crypto.createHash('sha256').update(c).digest('hex').slice(0, 16)]));
    expect(hashes).toMatchSnapshot();
  });
});
