import { Testing, Yaml } from 'cdk8s';
import { Node } from 'constructs';
import { MULTIGRES_DEFAULT_TRAFFIC, MultigresNetworkPolicy, multigresIngressRules } from '../../src/multigres/network-policy';
import { CiliumNetworkPolicy } from '../../src/cilium/network-policy';
import { peerSelector } from '../../src/cilium/peer-selector';
import { Etcd } from '../../src/multigres/etcd';
import { MultiGateway } from '../../src/multigres/multigateway';
import { MultiOrch } from '../../src/multigres/multiorch';
import { MultiPooler } from '../../src/multigres/multipooler';
import { haveShared, jsonSchemaValidator } from '../multigres/schema-helper';

const appPods = peerSelector({ labels: { app: 'orders' }, clusters: ['orchid-a'], namespace: 'shop' });

describe('peerSelector', () => {
  test('one cluster: a matchLabels entry; several: In; all: Exists', () => {
    expect(peerSelector({ labels: { app: 'x' }, clusters: ['orchid-a'] }))
      .toEqual({ matchLabels: { app: 'x', 'io.cilium.k8s.policy.cluster': 'orchid-a' } });
    expect(peerSelector({ clusters: ['orchid-b', 'orchid-a', 'orchid-a'], namespace: 'db' })).toEqual({
      matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'db' },
      matchExpressions: [{ key: 'io.cilium.k8s.policy.cluster', operator: 'In', values: ['orchid-a', 'orchid-b'] }],
    });
    expect(peerSelector({ labels: { app: 'x' }, clusters: 'all' })).toEqual({
      matchLabels: { app: 'x' },
      matchExpressions: [{ key: 'io.cilium.k8s.policy.cluster', operator: 'Exists' }],
    });
  });

  test.each([
    [{ clusters: [] }, 'peer selector: clusters must name at least one cluster (or be \'all\')'],
    [{ clusters: ['Orchid'] }, 'peer selector: cluster name "Orchid" is not a valid cilium cluster name (at most 32 characters: lowercase letters, digits and \'-\')'],
    [{ clusters: ['c'.repeat(33)] }, `peer selector: cluster name "${'c'.repeat(33)}" is not a valid cilium cluster name`],
  ] as Array<[any, string]>)('refuses %j', (options, message) => {
    expect(() => peerSelector(options)).toThrow(message);
  });
});

describe('CiliumNetworkPolicy', () => {
  test('renders cilium.io/v2 with only the fields set', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    new CiliumNetworkPolicy(chart, 'p', {
      metadata: { name: 'orders-db', namespace: 'shop' },
      endpointSelector: { matchLabels: { app: 'db' } },
      ingress: [{ fromEndpoints: [appPods], toPorts: [{ ports: [{ port: '5432', protocol: 'TCP' }] }] }],
    });
    // THEN
    expect(chart.toJson()).toEqual([{
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNetworkPolicy',
      metadata: { name: 'orders-db', namespace: 'shop' },
      spec: {
        endpointSelector: { matchLabels: { app: 'db' } },
        ingress: [{
          fromEndpoints: [{ matchLabels: { app: 'orders', 'io.cilium.k8s.policy.cluster': 'orchid-a', 'k8s:io.kubernetes.pod.namespace': 'shop' } }],
          toPorts: [{ ports: [{ port: '5432', protocol: 'TCP' }] }],
        }],
      },
    }]);
  });

  test('addIngress/addEgress append validated rules; a policy without rules fails validation', () => {
    const chart = Testing.chart();
    const p = new CiliumNetworkPolicy(chart, 'p', { metadata: { name: 'p' }, endpointSelector: {} });
    expect(Node.of(p).validate()).toEqual(['ciliumnetworkpolicy "p": the policy has no ingress, ingressDeny, egress or egressDeny rule (the schema requires one)']);
    p.addEgress({ toEntities: ['kube-apiserver'], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] });
    p.addIngress({ fromEntities: ['health'] });
    expect(Node.of(p).validate()).toEqual([]);
    expect(chart.toJson()[0].spec).toEqual({
      egress: [{ toEntities: ['kube-apiserver'], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] }],
      endpointSelector: {},
      ingress: [{ fromEntities: ['health'] }],
    });
  });

  test('40 ports in one toPorts entry are fine; 41 are refused', () => {
    const chart = Testing.chart();
    const ports = (n: number) => Array.from({ length: n }, (_, i) => ({ port: String(10000 + i), protocol: 'TCP' as const }));
    expect(() => new CiliumNetworkPolicy(chart, 'ok', { metadata: { name: 'ok' }, endpointSelector: {}, ingress: [{ fromEntities: ['cluster'], toPorts: [{ ports: ports(40) }] }] }))
      .not.toThrow();
    expect(() => new CiliumNetworkPolicy(chart, 'no', { metadata: { name: 'no' }, endpointSelector: {}, ingress: [{ fromEntities: ['cluster'], toPorts: [{ ports: ports(41) }] }] }))
      .toThrow('ciliumnetworkpolicy "no": ingress[0].toPorts[0]: 41 ports exceed cilium\'s limit of 40 per toPorts rule; split them over several toPorts entries');
  });

  test('allowImplicitClusterScope accepts selectors without the cluster label', () => {
    const chart = Testing.chart();
    expect(() => new CiliumNetworkPolicy(chart, 'p', {
      metadata: { name: 'p' }, endpointSelector: {}, allowImplicitClusterScope: true, ingress: [{ fromEndpoints: [{ matchLabels: { app: 'x' } }] }],
    })).not.toThrow();
  });

  test.each([
    [{ ingress: [{ fromEndpoints: [{ matchLabels: { app: 'x' } }] }] },
      'ciliumnetworkpolicy "p": ingress[0].fromEndpoints[0]: selector has no io.cilium.k8s.policy.cluster label; it means every cluster in cilium 1.18 but only the local cluster from 1.19 on, so name the clusters (or use operator Exists for all of them)'],
    [{ egress: [{ toEndpoints: [{}] }] },
      'ciliumnetworkpolicy "p": egress[0].toEndpoints[0]: selector has no io.cilium.k8s.policy.cluster label'],
    [{ ingress: [{ fromEndpoints: [{ matchExpressions: [{ key: 'io.cilium.k8s.policy.cluster', operator: 'NotIn', values: ['a'] }] }] }] },
      'ciliumnetworkpolicy "p": ingress[0].fromEndpoints[0]: selector has no io.cilium.k8s.policy.cluster label'],
    [{ ingress: [{ fromEndpoints: [appPods], fromCIDR: ['10.0.0.0/8'] }] },
      'ciliumnetworkpolicy "p": ingress[0]: fromEndpoints and fromCIDR are mutually exclusive in one rule; write one rule per peer kind'],
    [{ ingress: [{ fromEndpoints: [] }] },
      'ciliumnetworkpolicy "p": ingress[0].fromEndpoints must not be empty (an empty list selects nothing; omit it instead)'],
    [{ ingress: [{ fromEntities: ['everyone'] }] }, 'ciliumnetworkpolicy "p": ingress[0].fromEntities: unknown entity "everyone"'],
    [{ ingress: [{ fromCIDR: ['10.0.0.0/33'] }] }, 'ciliumnetworkpolicy "p": ingress[0].fromCIDR: "10.0.0.0/33" is not a cidr'],
    [{ egress: [{ toCIDRSet: [{ cidr: '10.0.0.0/8', except: ['10.1.0.0/x'] }] }] }, 'ciliumnetworkpolicy "p": egress[0].toCIDRSet except: "10.1.0.0/x" is not a cidr'],
    [{ ingress: [{ fromEntities: ['world'], toPorts: [{ ports: [{ port: '70000' }] }] }] }, 'ciliumnetworkpolicy "p": ingress[0].toPorts[0].ports[0]: port 70000 is outside 0..65535'],
    [{ ingress: [{ fromEntities: ['world'], toPorts: [{ ports: [{ port: '8000', endPort: 7999 }] }] }] }, 'ciliumnetworkpolicy "p": ingress[0].toPorts[0].ports[0]: endPort must be a whole number in 8000..65535 (got 7999)'],
    [{ ingress: [{ fromEntities: ['world'], toPorts: [{ ports: [{ port: 'Postgres_Port' }] }] }] }, 'ciliumnetworkpolicy "p": ingress[0].toPorts[0].ports[0]: port "Postgres_Port" is neither a number nor a valid port name'],
    [{ ingress: [{ fromEntities: ['world'], toPorts: [{ ports: [{ port: 'http', endPort: 90 }] }] }] }, 'ciliumnetworkpolicy "p": ingress[0].toPorts[0].ports[0]: endPort needs a numeric port (got "http")'],
    [{ ingress: [{ fromEntities: ['world'], toPorts: [{ ports: [{ port: '80', protocol: 'HTTP' }] }] }] }, 'ciliumnetworkpolicy "p": ingress[0].toPorts[0].ports[0]: protocol must be TCP, UDP, SCTP or ANY (got "HTTP")'],
    [{ ingress: [{ fromEntities: ['world'], toPorts: [{ ports: [{ port: '53' }], rules: { dns: [{ matchName: 'x' }], http: [{}] } }] }] }, 'ciliumnetworkpolicy "p": ingress[0].toPorts[0].rules: one l7 protocol per port rule (got dns, http)'],
    [{ endpointSelector: { matchExpressions: [{ key: 'app', operator: 'In' }] }, ingress: [{ fromEntities: ['world'] }] }, 'ciliumnetworkpolicy "p": endpointSelector.matchExpressions[0]: operator In needs at least one value'],
  ] as Array<[any, string]>)('refuses %j', (props, message) => {
    const chart = Testing.chart();
    expect(() => new CiliumNetworkPolicy(chart, 'p', { metadata: { name: 'p' }, endpointSelector: {}, ...props })).toThrow(message);
  });
});

describe('Multigres policies', () => {
  const setup = () => {
    const chart = Testing.chart();
    const etcd = new Etcd(chart, 'etcd', { metadata: { name: 'topo', namespace: 'multigres' } });
    const gw = new MultiGateway(chart, 'gw', { metadata: { name: 'gw', namespace: 'multigres' }, postgresPort: 5432 });
    const orch = new MultiOrch(chart, 'orch', { metadata: { name: 'orch', namespace: 'multigres' } });
    const pooler = new MultiPooler(chart, 'pool', { metadata: { name: 'pool', namespace: 'multigres' }, grpcPort: 16270 });
    return { chart, etcd, gw, orch, pooler };
  };
  const options = { localCluster: 'orchid-a', clusters: ['orchid-a', 'orchid-b'] };

  test('etcd: client port from the other components of the listed clusters, peer port from its own members in the local cluster', () => {
    // GIVEN
    const { chart, etcd } = setup();
    // WHEN
    const policy = new MultigresNetworkPolicy(chart, 'etcd-policy', { target: etcd, ...options });
    // THEN
    const json = policy.toJson();
    expect(Yaml.stringify(json)).toMatchSnapshot();
    expect(json.metadata).toEqual({ name: 'etcd-topo', namespace: 'multigres' });
    expect(json.spec.endpointSelector).toEqual({ matchLabels: etcd.selectorLabels });
    expect(json.spec.ingress).toHaveLength(2);
    const [client, peer] = json.spec.ingress;
    expect(client.toPorts).toEqual([{ ports: [{ port: '2379', protocol: 'TCP' }] }]);
    expect(client.fromEndpoints.map((s: any) => s.matchLabels['app.kubernetes.io/component'])).toEqual(['multigateway', 'multiorch', 'multipooler']);
    expect(client.fromEndpoints[0].matchExpressions).toEqual([{ key: 'io.cilium.k8s.policy.cluster', operator: 'In', values: ['orchid-a', 'orchid-b'] }]);
    expect(peer.toPorts).toEqual([{ ports: [{ port: '2380', protocol: 'TCP' }] }]);
    expect(peer.fromEndpoints).toEqual([{
      matchLabels: {
        'app.kubernetes.io/component': 'etcd', 'app.kubernetes.io/instance': 'topo', 'app.kubernetes.io/name': 'multigres',
        'io.cilium.k8s.policy.cluster': 'orchid-a',
      },
    }]);
    expect(JSON.stringify(json)).not.toContain('CIDR');
  });

  test('multipooler: configured ports, peers grouped by who may connect', () => {
    const { pooler } = setup();
    const rules = multigresIngressRules(pooler, { ...options, clusters: 'all', peerNamespace: 'multigres', monitoring: [peerSelector({ labels: { app: 'prometheus' }, clusters: ['orchid-a'], namespace: 'monitoring' })] });
    expect(rules.map(r => r.toPorts![0].ports!.map(p => p.port))).toEqual([['16270'], ['15200'], ['5432'], ['15200']]);
    expect(rules[0].fromEndpoints!.map(s => s.matchLabels!['app.kubernetes.io/component'])).toEqual(['multigateway', 'multiorch']);
    expect(rules[0].fromEndpoints![0]).toEqual({
      matchLabels: { 'app.kubernetes.io/component': 'multigateway', 'app.kubernetes.io/name': 'multigres', 'k8s:io.kubernetes.pod.namespace': 'multigres' },
      matchExpressions: [{ key: 'io.cilium.k8s.policy.cluster', operator: 'Exists' }],
    });
  });

  test('peerInstances narrows peers to named instances', () => {
    const { etcd } = setup();
    const rules = multigresIngressRules(etcd, { ...options, peerInstances: { multipooler: ['pool-a', 'pool-b'], multigateway: ['gw'] } });
    expect(rules[0].fromEndpoints![0].matchLabels!['app.kubernetes.io/instance']).toBe('gw');
    expect(rules[0].fromEndpoints![2].matchExpressions).toContainEqual({ key: 'app.kubernetes.io/instance', operator: 'In', values: ['pool-a', 'pool-b'] });
  });

  test('multigateway: application clients on the postgres port', () => {
    const { chart, gw } = setup();
    const policy = new MultigresNetworkPolicy(chart, 'gw-policy', { target: gw, ...options, clients: [appPods] });
    expect(policy.toJson().spec.ingress).toEqual([{ fromEndpoints: [appPods], toPorts: [{ ports: [{ port: '5432', protocol: 'TCP' }] }] }]);
  });

  test('multiorch uses the default table', () => {
    const { orch } = setup();
    expect(MULTIGRES_DEFAULT_TRAFFIC.multiorch.map(t => t.port)).toEqual(['grpc', 'http']);
    const rules = multigresIngressRules(orch, options);
    expect(rules).toHaveLength(1);
    expect(rules[0].toPorts![0].ports).toEqual([{ port: '15370', protocol: 'TCP' }, { port: '15300', protocol: 'TCP' }]);
  });

  test.each([
    ['gw', {}, 'multigres policy for multigateway "gw": the policy would admit nothing and cut the multigateway off; name the allowed sources (clients, monitoring or traffic)'],
    ['etcd', { clients: [appPods] }, 'multigres policy for etcd "topo": clients only apply to a multigateway (applications connect to the gateway, not to etcd)'],
    ['etcd', { localCluster: 'Orchid A' }, 'multigres policy for etcd "topo": localCluster "Orchid A" is not a valid cilium cluster name'],
    ['orch', { traffic: [{ port: 'postgres', from: ['multigateway'] }] }, 'multigres policy for multiorch "orch": the target has no "postgres" port (it has http, grpc)'],
    ['orch', { traffic: [{ port: 'grpc', from: [] }] }, 'multigres policy for multiorch "orch": traffic rule for port grpc names no peer kind'],
    ['orch', { traffic: [{ port: 'grpc', from: ['etcd'], sameInstance: true }] }, 'multigres policy for multiorch "orch": sameInstance only makes sense for peers of the target\'s own kind'],
    ['gw', { clients: [{ matchLabels: { app: 'orders' } }] }, 'ciliumnetworkpolicy "multigateway-gw": ingress[0].fromEndpoints[0]: selector has no io.cilium.k8s.policy.cluster label'],
  ] as Array<[string, any, string]>)('%s %j is refused', (which, extra, message) => {
    const s = setup() as any;
    const target = { gw: s.gw, etcd: s.etcd, orch: s.orch }[which];
    expect(() => new MultigresNetworkPolicy(s.chart, 'x', { target, ...options, ...extra })).toThrow(message);
  });

  const d = haveShared ? describe : describe.skip;
  d('against the Cilium 1.18.2 JSON schema (../shared)', () => {
    test('every policy validates', () => {
      const validate = jsonSchemaValidator('cilium-1.18.2/ciliumnetworkpolicy_v2.json');
      const { chart, etcd, gw, orch, pooler } = setup();
      new MultigresNetworkPolicy(chart, 'p1', { target: etcd, ...options });
      new MultigresNetworkPolicy(chart, 'p2', { target: gw, ...options, clients: [appPods] });
      new MultigresNetworkPolicy(chart, 'p3', { target: orch, ...options });
      new MultigresNetworkPolicy(chart, 'p4', { target: pooler, ...options, clusters: 'all' });
      const policies = chart.toJson().filter((o: any) => o.kind === 'CiliumNetworkPolicy');
      expect(policies).toHaveLength(4);
      for (const p of policies) expect(validate(p)).toEqual([]);
    });
  });
});
