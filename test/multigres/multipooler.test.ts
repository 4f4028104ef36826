import { Testing, Yaml } from 'cdk8s';
import { MultiPooler } from '../../src/multigres/multipooler';
import { Placement } from '../../src/multigres/placement';

const make = (props: ConstructorParameters<typeof MultiPooler>[2] = {}) => {
  const chart = Testing.chart();
  const pooler = new MultiPooler(chart, 'pool', { metadata: { name: 'pool', namespace: 'multigres' }, ...props });
  return { chart, pooler, spec: chart.toJson()[0].spec };
};

describe('MultiPooler', () => {
  test('defaults: CRD default ports, no Service', () => {
    const { pooler, spec } = make();
    expect(spec).toEqual({});
    expect(pooler.ports).toEqual([
      { name: 'http', port: 15200, protocol: 'TCP' },
      { name: 'grpc', port: 15270, protocol: 'TCP' },
      { name: 'postgres', port: 5432, protocol: 'TCP' },
    ]);
    expect(pooler.services).toEqual([]);
    expect(pooler.selectorLabels['app.kubernetes.io/component']).toBe('multipooler');
  });

  test('every field: snapshot, containers and storage', () => {
    // GIVEN
    const { chart, spec } = make({
      replicas: 3,
      cellName: 'zone-a',
      multiPooler: { image: 'multigres/multipooler:v0.1.0', resources: { requests: { cpu: '250m' } } },
      pgctld: { image: 'multigres/pgctld:v0.1.0' },
      postgres: { image: 'postgres:17.2', resources: { requests: { memory: '4Gi' }, limits: { memory: '4Gi' } } },
      httpPort: 15201,
      grpcPort: 15271,
      postgresPort: 5433,
      storageClassName: 'gp3',
      storageSize: '100Gi',
      podAnnotations: { 'prometheus.io/scrape': 'true' },
      placement: Placement.zoneSpread().and(
        Placement.distinctNodes({ required: false, weight: 50 }),
        Placement.dedicatedNodes({ taintKey: 'dedicated', taintValue: 'database', nodeLabelKey: 'node-role/database', nodeLabelValue: 'true' }),
      ),
    });
    // THEN
    expect(Yaml.stringify(...chart.toJson())).toMatchSnapshot();
    expect(spec.multiPooler).toEqual({ image: 'multigres/multipooler:v0.1.0', resources: { requests: { cpu: '250m' } } });
    expect(spec.pgctld).toEqual({ image: 'multigres/pgctld:v0.1.0' });
    expect(spec.postgres.resources).toEqual({ limits: { memory: '4Gi' }, requests: { memory: '4Gi' } });
    expect(spec.postgresPort).toBe(5433);
  });

  test('an empty container block is omitted', () => {
    expect(make({ pgctld: {} }).spec).toEqual({});
  });

  test.each([
    [{ replicas: 0 }, 'multipooler "pool": replicas must be a whole number >= 1 (got 0)'],
    [{ postgresPort: 70000 }, 'multipooler "pool": postgresPort must be a whole number in 1..65535 (got 70000)'],
    [{ grpcPort: 5432 }, 'multipooler "pool": grpc and postgres ports must differ (both 5432)'],
    [{ postgres: { image: '' } }, 'multipooler "pool": postgres.image must not be empty'],
    [{ multiPooler: { resources: { limits: { cpu: '1 core' } } } }, 'multipooler "pool": multiPooler.resources.limits.cpu "1 core" is not a kubernetes quantity'],
    [{ storageSize: '-1Gi' }, 'multipooler "pool": storageSize "-1Gi" is not a positive kubernetes quantity (e.g. 10Gi)'],
    [{ storageClassName: 'gp3', volumeClaimTemplate: { resources: { requests: { storage: '1Ti' } } } }, 'multipooler "pool": volumeClaimTemplate takes precedence over storageClassName and storageSize, which the operator would ignore; set class and size inside volumeClaimTemplate'],
    [{ volumeClaimTemplate: { resources: { requests: { storage: 'big' } } } }, 'multipooler "pool": volumeClaimTemplate.resources.requests.storage "big" is not a kubernetes quantity'],
    [{ metadata: { name: 'p'.repeat(53) } }, `multipooler "${'p'.repeat(53)}": name must be a dns-1035 label of at most 52 characters`],
  ] as Array<[any, string]>)('refuses %j', (props, message) => {
    expect(() => make(props)).toThrow(message);
  });
});
