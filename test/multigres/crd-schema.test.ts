import { Testing } from 'cdk8s';
import { Etcd } from '../../src/multigres/etcd';
import { MultiGateway } from '../../src/multigres/multigateway';
import { MultiOrch } from '../../src/multigres/multiorch';
import { MultiPooler } from '../../src/multigres/multipooler';
import { Placement } from '../../src/multigres/placement';
import { convertGoPatterns, crdValidator, haveShared } from './schema-helper';

const placement = Placement.zoneSpread().and(
  Placement.distinctNodes(),
  Placement.inRegion('us-east-1'),
  Placement.dedicatedNodes({ taintKey: 'dedicated', taintValue: 'database' }),
);
const common = {
  cellName: 'zone-a',
  podLabels: { team: 'db' },
  podAnnotations: { 'prometheus.io/scrape': 'true' },
  nodeSelector: { 'kubernetes.io/os': 'linux' },
  imagePullSecrets: ['regcred'],
  serviceAccountName: 'multigres',
  placement,
};
const resources = { requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: '2Gi' } };

test('Go one-letter unicode classes become JavaScript property escapes', () => {
  expect(convertGoPatterns({ properties: { a: { pattern: '^[\\PC]*$' } } })).toEqual({ properties: { a: { pattern: '^[\\P{C}]*$' } } });
});

const d = haveShared ? describe : describe.skip;
d('synthesized objects validate against the CRD openAPIV3Schema (../shared/crds/multigres/components)', () => {
  test('Etcd: minimal, full, and with a volume claim template', () => {
    const validate = crdValidator('multigres/components/multigres.com_etcds.yaml');
    const chart = Testing.chart();
    new Etcd(chart, 'a', { metadata: { name: 'a' } });
    new Etcd(chart, 'b', { metadata: { name: 'b', namespace: 'multigres' }, ...common, replicas: 5, image: 'gcr.io/etcd-development/etcd:v3.5.21', storageClassName: 'gp3', storageSize: '20Gi', resources });
    new Etcd(chart, 'c', { metadata: { name: 'c' }, replicas: 1, allowNoQuorum: true, volumeClaimTemplate: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } }, selector: { matchLabels: { tier: 'fast' } } } });
    for (const obj of chart.toJson()) expect(validate(obj)).toEqual([]);
  });

  test('MultiGateway', () => {
    const validate = crdValidator('multigres/components/multigres.com_multigateways.yaml');
    const chart = Testing.chart();
    new MultiGateway(chart, 'a', { metadata: { name: 'a' } });
    new MultiGateway(chart, 'b', {
      metadata: { name: 'b' }, ...common, replicas: 3, image: 'multigres/multigateway:v1', httpPort: 1, grpcPort: 65535, postgresPort: 5432,
      serviceType: 'LoadBalancer', serviceAnnotations: { 'service.cilium.io/global': 'true', 'lbipam.cilium.io/ips': '10.0.0.1' }, resources,
    });
    for (const obj of chart.toJson()) expect(validate(obj)).toEqual([]);
  });

  test('MultiOrch', () => {
    const validate = crdValidator('multigres/components/multigres.com_multiorches.yaml');
    const chart = Testing.chart();
    new MultiOrch(chart, 'a', { metadata: { name: 'a' } });
    new MultiOrch(chart, 'b', { metadata: { name: 'b' }, ...common, replicas: 2, image: 'multigres/multiorch:v1', httpPort: 15301, grpcPort: 15371, serviceType: 'NodePort', serviceAnnotations: { a: 'b' }, resources });
    for (const obj of chart.toJson()) expect(validate(obj)).toEqual([]);
  });

  test('MultiPooler', () => {
    const validate = crdValidator('multigres/components/multigres.com_multipoolers.yaml');
    const chart = Testing.chart();
    new MultiPooler(chart, 'a', { metadata: { name: 'a' } });
    new MultiPooler(chart, 'b', {
      metadata: { name: 'b' }, ...common, replicas: 3, multiPooler: { image: 'm:1', resources }, pgctld: { image: 'p:1' }, postgres: { image: 'postgres:17', resources },
      httpPort: 15201, grpcPort: 15271, postgresPort: 5433, storageSize: '100Gi', storageClassName: 'gp3',
    });
    new MultiPooler(chart, 'c', { metadata: { name: 'c' }, volumeClaimTemplate: { storageClassName: 'io2', resources: { requests: { storage: '1Ti' } }, volumeMode: 'Filesystem' } });
    for (const obj of chart.toJson()) expect(validate(obj)).toEqual([]);
  });

  test('the validator does catch what the CRD forbids', () => {
    const validate = crdValidator('multigres/components/multigres.com_multigateways.yaml');
    expect(validate({ apiVersion: 'multigres.com/v1alpha1', kind: 'MultiGateway', metadata: { name: 'x' }, spec: { replicas: 0, serviceType: 'Headless' } }))
      .toEqual(expect.arrayContaining(['/spec/replicas must be >= 1', '/spec/serviceType must be equal to one of the allowed values']));
  });
});
