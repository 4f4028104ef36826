import { Testing, Yaml } from 'cdk8s';
import { Etcd } from '../../src/multigres/etcd';
import { Placement } from '../../src/multigres/placement';

const make = (props: ConstructorParameters<typeof Etcd>[2] = {}) => {
  const chart = Testing.chart();
  const etcd = new Etcd(chart, 'topo', { metadata: { name: 'topo', namespace: 'multigres' }, ...props });
  return { chart, etcd, spec: chart.toJson()[0].spec };
};

describe('Etcd', () => {
  test('defaults: an empty spec, the operator defaults described by the construct', () => {
    // GIVEN / WHEN
    const { chart, etcd, spec } = make();
    // THEN
    expect(chart.toJson()[0]).toEqual({
      apiVersion: 'multigres.com/v1alpha1', kind: 'Etcd', metadata: { name: 'topo', namespace: 'multigres' }, spec: {},
    });
    expect(spec).toEqual({});
    expect(etcd.replicas).toBe(3);
    expect(etcd.cellName).toBe('multigres-global-topo');
    expect(etcd.selectorLabels).toEqual({
      'app.kubernetes.io/component': 'etcd',
      'app.kubernetes.io/instance': 'topo',
      'app.kubernetes.io/managed-by': 'multigres-operator',
      'app.kubernetes.io/name': 'multigres',
      'app.kubernetes.io/part-of': 'multigres',
      'multigres.com/cell': 'multigres-global-topo',
    });
    expect(etcd.clientServiceName).toBe('topo');
    expect(etcd.headlessServiceName).toBe('topo-headless');
    expect(etcd.services).toEqual([
      { name: 'topo', headless: false, ports: [{ name: 'client', port: 2379, protocol: 'TCP' }] },
      { name: 'topo-headless', headless: true, ports: [{ name: 'client', port: 2379, protocol: 'TCP' }, { name: 'peer', port: 2380, protocol: 'TCP' }] },
    ]);
    expect(etcd.resource.node.id).toBe('Resource');
  });

  test('every field, with placement: snapshot of the YAML as written', () => {
    // GIVEN
    const { chart, etcd, spec } = make({
      replicas: 5,
      cellName: 'us-east-1a',
      image: 'gcr.io/etcd-development/etcd:v3.5.21',
      storageClassName: 'gp3',
      storageSize: '20Gi',
      resources: { requests: { memory: '1Gi', cpu: '500m' }, limits: { memory: '2Gi' } },
      podLabels: { team: 'db', 'app.kubernetes.io/name': 'multigres' },
      podAnnotations: { 'prometheus.io/scrape': 'true' },
      nodeSelector: { 'node.kubernetes.io/instance-type': 'm6i.large' },
      imagePullSecrets: ['regcred'],
      serviceAccountName: 'etcd',
      placement: Placement.zoneSpread().and(Placement.distinctNodes(), Placement.inRegion('us-east-1')),
    });
    // THEN
    expect(Yaml.stringify(...chart.toJson())).toMatchSnapshot();
    expect(spec.replicas).toBe(5);
    expect(spec.cellName).toBe('us-east-1a');
    expect(spec.resources).toEqual({ limits: { memory: '2Gi' }, requests: { cpu: '500m', memory: '1Gi' } });
    expect(spec.imagePullSecrets).toEqual([{ name: 'regcred' }]);
    expect(spec.topologySpreadConstraints[0].labelSelector.matchLabels).toEqual(etcd.selectorLabels);
    expect(spec.topologySpreadConstraints[0].topologyKey).toBe('topology.kubernetes.io/zone');
    expect(spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey).toBe('kubernetes.io/hostname');
    expect(etcd.selectorLabels['multigres.com/cell']).toBe('us-east-1a');
    expect(etcd.podLabels).toEqual({ ...etcd.selectorLabels, team: 'db' });
  });

  test('volumeClaimTemplate is written with its quantities', () => {
    const { spec } = make({
      volumeClaimTemplate: { accessModes: ['ReadWriteOnce'], storageClassName: 'io2', resources: { requests: { storage: '50Gi' } } },
    });
    expect(spec.volumeClaimTemplate).toEqual({
      accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '50Gi' } }, storageClassName: 'io2',
    });
    expect(spec.storageSize).toBeUndefined();
  });

  test('single member and scale to zero need allowNoQuorum; 0 is written, not dropped', () => {
    expect(make({ replicas: 1, allowNoQuorum: true }).spec.replicas).toBe(1);
    expect(make({ replicas: 0, allowNoQuorum: true }).spec).toEqual({ replicas: 0 });
    expect(make({ replicas: 7 }).etcd.replicas).toBe(7);
  });

  test('generated names are used for labels and services', () => {
    const chart = Testing.chart();
    const etcd = new Etcd(chart, 'topo');
    expect(etcd.name).toBe(chart.toJson()[0].metadata.name);
    expect(etcd.selectorLabels['app.kubernetes.io/instance']).toBe(etcd.name);
    expect(etcd.namespace).toBeUndefined();
  });

  describe('refusals', () => {
    test.each([
      [{ replicas: 2 }, 'etcd "topo": replicas must be odd and at least 3 for quorum (got 2)'],
      [{ replicas: 4 }, 'etcd "topo": replicas must be odd and at least 3 for quorum (got 4)'],
      [{ replicas: 2, allowNoQuorum: true }, 'etcd "topo": replicas must be odd and at least 3 for quorum (got 2)'],
      [{ replicas: 1 }, 'etcd "topo": replicas must be odd and at least 3 for quorum (got 1); set allowNoQuorum: true for a single-member development etcd or a deliberate scale to zero'],
      [{ replicas: 0 }, 'etcd "topo": replicas must be odd and at least 3 for quorum (got 0); set allowNoQuorum: true for a single-member development etcd or a deliberate scale to zero'],
      [{ replicas: 9 }, 'etcd "topo": replicas must be at most 7 (got 9); every write waits for a majority, so more members slow etcd without a useful gain in fault tolerance'],
      [{ replicas: -1 }, 'etcd "topo": replicas must be a whole number >= 0 (got -1)'],
      [{ replicas: 2.5 }, 'etcd "topo": replicas must be a whole number >= 0 (got 2.5)'],
      [{ image: '' }, 'etcd "topo": image must not be empty'],
      [{ image: 'etcd :3' }, 'etcd "topo": image "etcd :3" must not contain whitespace'],
      [{ storageSize: 'ten' }, 'etcd "topo": storageSize "ten" is not a positive kubernetes quantity (e.g. 10Gi)'],
      [{ storageSize: '0' }, 'etcd "topo": storageSize "0" is not a positive kubernetes quantity (e.g. 10Gi)'],
      [{ storageClassName: 'GP3' }, 'etcd "topo": storageClassName "GP3" is not a valid storage class name'],
      [{ resources: { limits: { memory: '2 GB' } } }, 'etcd "topo": resources.limits.memory "2 GB" is not a kubernetes quantity'],
      [{ storageSize: '10Gi', volumeClaimTemplate: {} }, 'etcd "topo": volumeClaimTemplate takes precedence over storageClassName and storageSize, which the operator would ignore; set class and size inside volumeClaimTemplate'],
      [{ cellName: '' }, 'etcd "topo": cellName must not be empty'],
      [{ cellName: 'us east' }, 'etcd "topo": cellName "us east" is not a valid label value'],
      [{ podLabels: { 'app.kubernetes.io/component': 'db' } }, 'etcd "topo": podLabels "app.kubernetes.io/component" is set by the operator to "etcd" and would be ignored (got "db")'],
      [{ podLabels: { 'bad key!': 'x' } }, 'etcd "topo": podLabels key "bad key!" is not a valid label or annotation key'],
      [{ podAnnotations: { 'hubble.cilium.io/visibility': 'enabled' } }, 'etcd "topo": podAnnotations: annotation "hubble.cilium.io/visibility" does not exist in cilium; for l7 visibility write an l7 CiliumNetworkPolicy (toPorts[].rules) instead'],
      [{ podAnnotations: { 'policy.cilium.io/proxy-visibility': '<Egress/53/UDP/DNS>' } }, 'etcd "topo": podAnnotations: annotation "policy.cilium.io/proxy-visibility" was removed in cilium 1.17; for l7 visibility write an l7 CiliumNetworkPolicy (toPorts[].rules) instead'],
      [{ imagePullSecrets: ['Reg_Cred'] }, 'etcd "topo": imagePullSecrets entry "Reg_Cred" is not a valid secret name'],
      [{ serviceAccountName: 'Etcd' }, 'etcd "topo": serviceAccountName "Etcd" is not a valid service account name'],
      [{
        topologySpreadConstraints: [{
          maxSkew: 2, topologyKey: 'topology.cilium.io/cluster', whenUnsatisfiable: 'ScheduleAnyway',
          labelSelector: { matchLabels: { 'app.kubernetes.io/component': 'etcd' } },
        }],
      }, 'etcd "topo": topologySpreadConstraints[0].topologyKey "topology.cilium.io/cluster" is a label no node carries (cilium sets no such node label); kube-scheduler sees only its own cluster\'s nodes, so spread across clusters by placing one workload per cluster'],
      [{ topologySpreadConstraints: [{ maxSkew: 0, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule' }] }, 'etcd "topo": topologySpreadConstraints[0].maxSkew must be a whole number >= 1 (got 0)'],
      [{
        topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule' }],
        placement: Placement.zoneSpread(),
      }, 'etcd "topo": two topologySpreadConstraints on "topology.kubernetes.io/zone" with DoNotSchedule; kubernetes allows one per topology key and whenUnsatisfiable'],
      [{ nodeSelector: { 'topology.kubernetes.io/region': 'us-east-1' }, placement: Placement.nodeSelector({ 'topology.kubernetes.io/region': 'eu-west-1' }) }, 'etcd "topo": nodeSelector "topology.kubernetes.io/region" is set to both "us-east-1" and "eu-west-1"'],
      [{ tolerations: [{ key: 'dedicated', operator: 'Exists', value: 'db' }] }, 'etcd "topo": tolerations[0]: operator Exists takes no value (got "db")'],
      [{
        affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 101, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname' } }] } },
      }, 'etcd "topo": affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight must be a whole number in 1..100 (got 101)'],
      [{
        affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In' }] }] } } },
      }, 'etcd "topo": affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0]: operator In needs at least one value'],
    ] as Array<[any, string]>)('%j', (props, message) => {
      expect(() => make(props)).toThrow(message);
    });

    test('names', () => {
      const chart = Testing.chart();
      expect(() => new Etcd(chart, 'a', { metadata: { name: 'Topo' } }))
        .toThrow('etcd "Topo": name must be a dns-1035 label of at most 52 characters (statefulset pods get a controller-revision-hash label of <name>-<hash> that must fit in 63 characters): lowercase letters, digits and \'-\', starting with a letter');
      expect(() => new Etcd(chart, 'b', { metadata: { name: 'e'.repeat(53) } })).toThrow(`etcd "${'e'.repeat(53)}": name must be a dns-1035 label of at most 52 characters`);
      expect(() => new Etcd(chart, 'c', { metadata: { name: 'topo', namespace: 'Multigres' } })).toThrow('etcd "topo": namespace "Multigres" is not a valid namespace name');
      expect(() => new Etcd(chart, 'd', { metadata: { name: 'e'.repeat(52) } })).not.toThrow();
    });
  });
});
