import { Testing, Yaml } from 'cdk8s';
import { MultiOrch } from '../../src/multigres/multiorch';
import { Placement } from '../../src/multigres/placement';

const make = (props: ConstructorParameters<typeof MultiOrch>[2] = {}) => {
  const chart = Testing.chart();
  const orch = new MultiOrch(chart, 'orch', { metadata: { name: 'orch', namespace: 'multigres' }, ...props });
  return { chart, orch, spec: chart.toJson()[0].spec };
};

describe('MultiOrch', () => {
  test('defaults: CRD default ports, no Service (no controller was ever merged)', () => {
    const { orch, spec } = make();
    expect(spec).toEqual({});
    expect(orch.ports).toEqual([
      { name: 'http', port: 15300, protocol: 'TCP' },
      { name: 'grpc', port: 15370, protocol: 'TCP' },
    ]);
    expect(orch.services).toEqual([]);
    expect(orch.replicas).toBe(1);
    expect(orch.selectorLabels['app.kubernetes.io/component']).toBe('multiorch');
  });

  test('every field: snapshot', () => {
    // GIVEN
    const { chart, orch, spec } = make({
      replicas: 2,
      cellName: 'zone-b',
      image: 'multigres/multiorch:v0.1.0',
      httpPort: 15301,
      grpcPort: 15371,
      serviceType: 'ClusterIP',
      serviceAnnotations: { 'service.cilium.io/global': 'true', 'service.cilium.io/shared': 'false' },
      resources: { limits: { cpu: '1' } },
      podLabels: { tier: 'control' },
      imagePullSecrets: ['regcred'],
      serviceAccountName: 'multiorch',
      placement: Placement.dedicatedNodes({ taintKey: 'dedicated', taintValue: 'multigres' }),
    });
    // THEN
    expect(Yaml.stringify(...chart.toJson())).toMatchSnapshot();
    expect(spec.tolerations).toEqual([{ effect: 'NoSchedule', key: 'dedicated', operator: 'Equal', value: 'multigres' }]);
    expect(spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms)
      .toEqual([{ matchExpressions: [{ key: 'dedicated', operator: 'In', values: ['multigres'] }] }]);
    expect(orch.podLabels.tier).toBe('control');
  });

  test.each([
    [{ replicas: 0 }, 'multiorch "orch": replicas must be a whole number >= 1 (got 0)'],
    [{ httpPort: -1 }, 'multiorch "orch": httpPort must be a whole number in 1..65535 (got -1)'],
    [{ grpcPort: 15300 }, 'multiorch "orch": http and grpc ports must differ (both 15300)'],
    [{ serviceType: 'Headless' }, 'multiorch "orch": serviceType must be ClusterIP, NodePort or LoadBalancer (got "Headless")'],
    [{ serviceAnnotations: { 'io.cilium/service-affinity': 'local' } }, 'multiorch "orch": serviceAnnotations: annotation "io.cilium/service-affinity" is a legacy name; use "service.cilium.io/affinity"'],
  ] as Array<[any, string]>)('refuses %j', (props, message) => {
    expect(() => make(props)).toThrow(message);
  });
});
