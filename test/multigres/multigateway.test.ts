import { Testing, Yaml } from 'cdk8s';
import { ciliumServiceAnnotations } from '../../src/cilium/annotations';
import { MultiGateway } from '../../src/multigres/multigateway';
import { Placement } from '../../src/multigres/placement';

const make = (props: ConstructorParameters<typeof MultiGateway>[2] = {}) => {
  const chart = Testing.chart();
  const gw = new MultiGateway(chart, 'gw', { metadata: { name: 'gw', namespace: 'multigres' }, ...props });
  return { chart, gw, spec: chart.toJson()[0].spec };
};

describe('MultiGateway', () => {
  test('defaults: CRD default ports, one ClusterIP Service named like the resource', () => {
    // GIVEN / WHEN
    const { gw, spec } = make();
    // THEN
    expect(spec).toEqual({});
    expect(gw.replicas).toBe(1);
    expect(gw.ports).toEqual([
      { name: 'http', port: 15100, protocol: 'TCP' },
      { name: 'grpc', port: 15170, protocol: 'TCP' },
      { name: 'postgres', port: 15432, protocol: 'TCP' },
    ]);
    expect(gw.serviceName).toBe('gw');
    expect(gw.services).toEqual([{ name: 'gw', headless: false, ports: gw.ports }]);
    expect(gw.selectorLabels['app.kubernetes.io/component']).toBe('multigateway');
    expect(gw.resource.node.id).toBe('Resource');
  });

  test('every field: snapshot and the configured ports', () => {
    // GIVEN
    const { chart, gw, spec } = make({
      replicas: 3,
      cellName: 'zone-a',
      image: 'multigres/multigateway:v0.1.0',
      httpPort: 8080,
      grpcPort: 9090,
      postgresPort: 5432,
      serviceType: 'LoadBalancer',
      serviceAnnotations: {
        ...ciliumServiceAnnotations({ global: true, affinity: 'local', lbIpamIps: ['10.0.10.5'] }),
        'service.beta.kubernetes.io/aws-load-balancer-internal': 'true',
      },
      resources: { requests: { cpu: '1', memory: '512Mi' } },
      podAnnotations: { 'prometheus.io/port': '8080' },
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gateway', effect: 'NoSchedule' }],
      placement: Placement.zoneSpread({ whenUnsatisfiable: 'ScheduleAnyway' }).and(Placement.distinctNodes({ required: false })),
    });
    // THEN
    expect(Yaml.stringify(...chart.toJson())).toMatchSnapshot();
    expect(spec.serviceType).toBe('LoadBalancer');
    expect(Object.keys(spec.serviceAnnotations)).toEqual([
      'lbipam.cilium.io/ips', 'service.beta.kubernetes.io/aws-load-balancer-internal', 'service.cilium.io/affinity', 'service.cilium.io/global',
    ]);
    expect(gw.ports.map(p => p.port)).toEqual([8080, 9090, 5432]);
    expect(gw.postgresPort).toBe(5432);
    expect(spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight).toBe(100);
  });

  describe('refusals', () => {
    test.each([
      [{ replicas: 0 }, 'multigateway "gw": replicas must be a whole number >= 1 (got 0)'],
      [{ replicas: 1.5 }, 'multigateway "gw": replicas must be a whole number >= 1 (got 1.5)'],
      [{ httpPort: 0 }, 'multigateway "gw": httpPort must be a whole number in 1..65535 (got 0)'],
      [{ grpcPort: 65536 }, 'multigateway "gw": grpcPort must be a whole number in 1..65535 (got 65536)'],
      [{ postgresPort: 15100 }, 'multigateway "gw": http and postgres ports must differ (both 15100)'],
      [{ serviceType: 'ExternalName' }, 'multigateway "gw": serviceType must be ClusterIP, NodePort or LoadBalancer (got "ExternalName")'],
      [{ serviceAnnotations: { 'io.cilium/global-service': 'true' } }, 'multigateway "gw": serviceAnnotations: annotation "io.cilium/global-service" is a legacy name; use "service.cilium.io/global"'],
      [{ serviceAnnotations: { 'service.cilium.io/affinity': 'remote' } }, 'multigateway "gw": serviceAnnotations: annotation "service.cilium.io/affinity" only takes effect on a global service; add "service.cilium.io/global": "true"'],
      [{ serviceAnnotations: { 'lbipam.cilium.io/ips': '10.0.0.100' } }, 'multigateway "gw": serviceAnnotations "lbipam.cilium.io/ips" only applies to serviceType LoadBalancer (got ClusterIP)'],
      [{ serviceAnnotations: { 'lbipam.cilium.io/sharing-key': 'db' }, serviceType: 'NodePort' }, 'multigateway "gw": serviceAnnotations "lbipam.cilium.io/sharing-key" only applies to serviceType LoadBalancer (got NodePort)'],
      [{ serviceAnnotations: { 'no spaces': 'x' } }, 'multigateway "gw": serviceAnnotations key "no spaces" is not a valid label or annotation key'],
      [{ image: '' }, 'multigateway "gw": image must not be empty'],
      [{ resources: { requests: { cpu: 'lots' } } }, 'multigateway "gw": resources.requests.cpu "lots" is not a kubernetes quantity'],
    ] as Array<[any, string]>)('%j', (props, message) => {
      expect(() => make(props)).toThrow(message);
    });

    test('name longer than 63 characters', () => {
      expect(() => make({ metadata: { name: 'g'.repeat(64) } }))
        .toThrow(`multigateway "${'g'.repeat(64)}": name must be a dns-1035 label of at most 63 characters (it names the Deployment and Service)`);
    });
  });
});
