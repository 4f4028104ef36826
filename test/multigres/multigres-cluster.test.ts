import * as fs from 'fs';
import * as path from 'path';
import { Testing, Yaml } from 'cdk8s';
import {
  MultigresCluster, MultigresClusterProps, MultigresTopoServer, MultigresWebhookDefaults,
} from '../../src/multigres/multigres-cluster';
import { UpstreamSchemas } from '../../src/schemas/upstream-schemas';

const shared = path.resolve(__dirname, '../../../shared');
const withShared = fs.existsSync(shared) ? describe : describe.skip;

const base = (): MultigresClusterProps => ({
  metadata: { name: 'mg', namespace: 'multigres' },
  postgresPasswordSecretRef: { name: 'multigres-admin-password', key: 'password' },
  cells: [{ name: 'us-west-2a', zoneId: 'usw2-az1' }, { name: 'us-west-2b', zoneId: 'usw2-az2' }],
});

const make = (overrides: Partial<MultigresClusterProps> = {}) => {
  const chart = Testing.chart();
  const mg = new MultigresCluster(chart, 'mg', { ...base(), ...overrides });
  const obj = chart.toJson()[0];
  return { chart, mg, obj, spec: obj.spec };
};

const shardOf = (spec: any) => spec.databases[0].tablegroups[0].shards[0];

describe('MultigresCluster', () => {
  test('GIVEN internal TLS and a pgBackRest TLS secret WHEN synthesized THEN both reach the object (the L1 names them internalTls and pgbackrestTls)', () => {
    const { spec } = make({ internalTls: true, backup: { type: 'filesystem', pgbackrestTlsSecretName: 'pgbr-tls' } });
    expect(spec.internalTLS).toEqual({ enabled: true });
    expect(spec.backup.pgbackrestTLS).toEqual({ secretName: 'pgbr-tls' });
    expect(shardOf(spec).backup.pgbackrestTLS).toEqual({ secretName: 'pgbr-tls' });
  });

  test('defaults: the webhook defaults are written explicitly (snapshot)', () => {
    // GIVEN / WHEN
    const { chart, mg, obj, spec } = make();
    // THEN
    expect(Yaml.stringify(...chart.toJson())).toMatchSnapshot();
    expect(obj.apiVersion).toBe('multigres.com/v1alpha1');
    expect(obj.kind).toBe('MultigresCluster');
    expect(mg.resource.node.id).toBe('Resource');
    expect(spec.images).toEqual({ imagePullPolicy: 'IfNotPresent' });
    expect(spec.durabilityPolicy).toBe('AT_LEAST_2');
    expect(spec.topologyPruning).toEqual({ enabled: true });
    expect(spec.pvcDeletionPolicy).toEqual({ whenDeleted: 'Delete', whenScaled: 'Delete' });
    expect(spec.postgresSuperuser).toBe('postgres');
    expect(spec.logLevels).toEqual({ multiadmin: 'info', multigateway: 'info', multiorch: 'info', multipooler: 'info', pgctld: 'info' });
    expect(spec.backup).toEqual({ type: 'filesystem', filesystem: { path: '/backups', storage: { size: '10Gi' } } });
    expect(spec.globalTopoServer).toEqual({
      etcd: {
        image: 'gcr.io/etcd-development/etcd:v3.6.7', replicas: 3, rootPath: '/multigres/global', storage: { size: '1Gi' },
        resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } },
      },
    });
    expect(spec.multiadmin).toEqual({ spec: { replicas: 1, resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } } } });
    expect(spec.multiadminWeb.spec.replicas).toBe(1);
    expect(spec.cells[0]).toEqual({
      name: 'us-west-2a', zoneId: 'usw2-az1',
      spec: { multigateway: { buffer: { enabled: true }, replicas: 1, resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } } } },
    });
    expect(spec.databases[0].name).toBe('postgres');
    expect(spec.databases[0].default).toBe(true);
    expect(spec.databases[0].tablegroups[0]).toMatchObject({ name: 'default', default: true });
    const shard = shardOf(spec);
    expect(shard.name).toBe('0-inf');
    expect(shard.backup).toEqual(spec.backup);
    expect(shard.spec.multiorch.cells).toEqual(['us-west-2a', 'us-west-2b']);
    expect(shard.spec.pools).toEqual({
      default: {
        type: 'readWrite', cells: ['us-west-2a', 'us-west-2b'], replicasPerCell: 1, storage: { size: '1Gi' },
        postgres: { resources: MultigresWebhookDefaults.RESOURCES.postgres },
        multipooler: { resources: MultigresWebhookDefaults.RESOURCES.multipooler },
      },
    });
    expect(spec.externalGateway).toBeUndefined();
    expect(spec.templateDefaults).toBeUndefined();
  });

  test('names and labels for later Service and policy selection', () => {
    // GIVEN / WHEN
    const { mg } = make();
    // THEN
    expect(mg.name).toBe('mg');
    expect(mg.namespace).toBe('multigres');
    expect(mg.gatewayServiceName).toBe('mg-multigateway');
    expect(mg.cellNames).toEqual(['us-west-2a', 'us-west-2b']);
    for (const c of ['toposerver', 'multigateway', 'multiorch', 'shard-pool', 'multiadmin'] as const) {
      expect(mg.componentLabels(c)).toEqual({
        'app.kubernetes.io/component': c,
        'app.kubernetes.io/instance': 'mg',
        'app.kubernetes.io/managed-by': 'multigres-operator',
        'app.kubernetes.io/name': 'multigres',
        'app.kubernetes.io/part-of': 'multigres',
      });
    }
  });

  test('shared etcd through the mesh, a global gateway, regions and a single-cell pool (snapshot)', () => {
    // GIVEN / WHEN
    const { chart, mg, spec } = make({
      cells: [{ name: 'usw2', region: 'us-west-2', multigateway: { replicas: 3, buffer: { window: '20s', maxFailoverDuration: '30s' }, tolerations: [{ key: 'db', operator: 'Exists', effect: 'NoSchedule' }] } }],
      globalTopoServer: MultigresTopoServer.external({ endpoints: ['https://etcd.multigres.svc.cluster.local:2379'], caSecret: 'etcd-ca', rootPath: '/multigres/orchid' }),
      externalGateway: { cilium: { global: true, affinity: 'local' }, annotations: { 'example.com/team': 'db' } },
      images: { multigateway: 'ghcr.io/multigres/multigres:v0.1.0' },
      databases: [{
        tablegroups: [{
          name: 'default',
          shards: [{ pools: { main: { storage: { size: '100Gi', class: 'gp3' }, postgres: { resources: { requests: { cpu: '1', memory: '2Gi' } } } } }, postgresConfig: { max_connections: '500' } }],
        }],
      }],
    });
    // THEN
    expect(Yaml.stringify(...chart.toJson())).toMatchSnapshot();
    expect(spec.cells[0].region).toBe('us-west-2');
    expect(spec.cells[0].zoneId).toBeUndefined();
    expect(spec.cells[0].spec.multigatewayPlacement).toEqual({ tolerations: [{ key: 'db', operator: 'Exists', effect: 'NoSchedule' }] });
    expect(spec.cells[0].spec.multigateway.buffer).toEqual({ enabled: true, window: '20s', maxFailoverDuration: '30s' });
    expect(spec.globalTopoServer).toEqual({
      external: { endpoints: ['https://etcd.multigres.svc.cluster.local:2379'], caSecret: 'etcd-ca', rootPath: '/multigres/orchid', implementation: 'etcd' },
    });
    expect(spec.externalGateway).toEqual({
      enabled: true,
      annotations: { 'example.com/team': 'db', 'service.cilium.io/affinity': 'local', 'service.cilium.io/global': 'true' },
    });
    expect(mg.gatewayAnnotations['service.cilium.io/global']).toBe('true');
    expect(spec.images).toEqual({ imagePullPolicy: 'IfNotPresent', multigateway: 'ghcr.io/multigres/multigres:v0.1.0' });
    const pool = shardOf(spec).spec.pools.main;
    expect(pool.replicasPerCell).toBe(2); // one cell: 2 so AT_LEAST_2 can be met
    expect(pool.storage).toEqual({ class: 'gp3', size: '100Gi' });
    expect(pool.postgres.resources).toEqual({ requests: { cpu: '1', memory: '2Gi' } });
    expect(shardOf(spec).spec.postgresConfig).toEqual({ max_connections: '500' });
  });

  test('templates: nothing the templates provide is materialised; per-item fields become overrides', () => {
    // GIVEN / WHEN
    const { spec } = make({
      templateDefaults: { coreTemplate: 'standard-core', shardTemplate: 'standard-shard' },
      cells: [
        { name: 'z1', zoneId: 'use1-az1', cellTemplate: 'standard-cell', multigateway: { replicas: 3 } },
        { name: 'z2', zoneId: 'use1-az2' },
      ],
      multiadmin: { templateRef: 'admin-core' },
    });
    // THEN
    expect(spec.globalTopoServer).toBeUndefined();
    expect(spec.multiadmin).toEqual({ templateRef: 'admin-core' });
    expect(spec.multiadminWeb).toBeUndefined();
    expect(spec.templateDefaults).toEqual({ coreTemplate: 'standard-core', shardTemplate: 'standard-shard' });
    expect(spec.cells[0]).toEqual({ name: 'z1', zoneId: 'use1-az1', cellTemplate: 'standard-cell', overrides: { multigateway: { replicas: 3 } } });
    expect(spec.cells[1].spec.multigateway.replicas).toBe(1);
    expect(shardOf(spec)).toEqual({ name: '0-inf' });
    // cluster-level static defaults are still written (PopulateClusterDefaults runs regardless)
    expect(spec.durabilityPolicy).toBe('AT_LEAST_2');
  });

  test('a managed global etcd and a cell-local topo server default their root paths', () => {
    // GIVEN / WHEN
    const { spec } = make({
      globalTopoServer: MultigresTopoServer.managedEtcd({ replicas: 5, storage: { size: '10Gi' } }),
      cells: [{ name: 'z1', zoneId: 'use1-az1', localTopoServer: MultigresTopoServer.managedEtcd() }, { name: 'z2', zoneId: 'use1-az2' }],
    });
    // THEN
    expect(spec.globalTopoServer.etcd).toMatchObject({ replicas: 5, storage: { size: '10Gi' }, rootPath: '/multigres/global' });
    expect(spec.cells[0].spec.localTopoServer.etcd).toMatchObject({ replicas: 3, rootPath: '/multigres/z1', image: 'gcr.io/etcd-development/etcd:v3.6.7' });
  });

  test('backups merge down to the shard the way the operator merges them', () => {
    // GIVEN / WHEN
    const { spec } = make({
      backup: { type: 's3', s3: { bucket: 'b', region: 'us-west-2' } },
      databases: [{ tablegroups: [{ name: 'default', backup: { type: 's3', s3: { bucket: 'b', region: 'us-west-2', keyPrefix: 'tg' } } }] }],
    });
    // THEN
    expect(spec.backup).toEqual({ type: 's3', s3: { bucket: 'b', region: 'us-west-2' } });
    expect(shardOf(spec).backup).toEqual({ type: 's3', s3: { bucket: 'b', region: 'us-west-2', keyPrefix: 'tg' } });
  });

  const refusals: Array<[string, Partial<MultigresClusterProps>, string]> = [
    ['name too long', { metadata: { name: 'a-very-long-multigres-cluster-name' } }, 'multigres cluster "a-very-long-multigres-cluster-name": name must be a dns label of at most 25 characters (the crd\'s limit)'],
    ['no cells', { cells: [] }, 'multigres cluster "mg": cells must not be empty'],
    ['duplicate cell', { cells: [{ name: 'us-west-2a', zoneId: 'a' }, { name: 'us-west-2a', zoneId: 'b' }] }, 'multigres cluster "mg": cell "us-west-2a" is declared twice'],
    ['zone and region', { cells: [{ name: 'a', zoneId: 'z', region: 'r' }] }, 'multigres cluster "mg": cell "a" needs exactly one of zoneId and region'],
    ['neither zone nor region', { cells: [{ name: 'a' }] }, 'multigres cluster "mg": cell "a" needs exactly one of zoneId and region'],
    ['bad cell name', { cells: [{ name: 'Zone_A', zoneId: 'z' }] }, 'multigres cluster "mg": cell name "Zone_A" must be a dns label of at most 30 characters'],
    ['endpoint without port', { globalTopoServer: MultigresTopoServer.external({ endpoints: ['http://etcd.multigres.svc'] }) }, 'multigres cluster "mg": globalTopoServer.external.endpoints entry "http://etcd.multigres.svc" must be a url http(s)://host:port'],
    ['endpoint not a url', { globalTopoServer: MultigresTopoServer.external({ endpoints: ['etcd:2379'] }) }, 'multigres cluster "mg": globalTopoServer.external.endpoints entry "etcd:2379" must be a url http(s)://host:port'],
    ['no endpoints', { globalTopoServer: MultigresTopoServer.external({ endpoints: [] }) }, 'multigres cluster "mg": globalTopoServer.external.endpoints must list 1..20 urls (got 0)'],
    ['ca with http', { globalTopoServer: MultigresTopoServer.external({ endpoints: ['http://etcd:2379'], caSecret: 'ca' }) }, 'multigres cluster "mg": globalTopoServer.external: caSecret and clientCertSecret need https endpoints'],
    ['even etcd', { globalTopoServer: MultigresTopoServer.managedEtcd({ replicas: 4 }) }, 'multigres cluster "mg": globalTopoServer.etcd.replicas must be odd (1, 3, 5); got 4'],
    ['legacy cilium annotation', { externalGateway: { annotations: { 'io.cilium/global-service': 'true' } } }, 'multigres cluster "mg": externalGateway.annotations: annotation "io.cilium/global-service" is a legacy name; use "service.cilium.io/global"'],
    ['hubble visibility', { externalGateway: { annotations: { 'hubble.cilium.io/visibility': 'l7' } } }, 'multigres cluster "mg": externalGateway.annotations: annotation "hubble.cilium.io/visibility" does not exist in cilium; for l7 visibility write an l7 CiliumNetworkPolicy (toPorts[].rules) instead'],
    ['reserved prefix', { externalGateway: { annotations: { 'multigres.com/x': 'y' } } }, 'multigres cluster "mg": externalGateway annotation "multigres.com/x" uses the multigres.com/ prefix, which the operator reserves'],
    ['annotations while disabled', { externalGateway: { enabled: false, cilium: { global: true } } }, 'multigres cluster "mg": externalGateway annotations are only applied while enabled; set enabled: true or drop them'],
    ['bad external ip', { externalGateway: { externalIPs: ['10.0.0'] } }, 'multigres cluster "mg": externalGateway externalIPs entry "10.0.0" is not an ip address'],
    ['two databases', { databases: [{}, {}] }, 'multigres cluster "mg": databases must hold exactly one database in v1alpha1 (got 2)'],
    ['other database', { databases: [{ name: 'app' }] }, 'multigres cluster "mg": database "app": only the system database "postgres" is supported in v1alpha1'],
    ['no default tablegroup', { databases: [{ tablegroups: [{ name: 'orders' }] }] }, 'multigres cluster "mg": database "postgres": exactly one tablegroup must be the default (got 0)'],
    ['default tablegroup misnamed', { databases: [{ tablegroups: [{ name: 'orders', default: true }] }] }, 'multigres cluster "mg": database "postgres": tablegroup "orders": the default tablegroup must be named "default"'],
    ['tablegroup twice', { databases: [{ tablegroups: [{ name: 'default' }, { name: 'default' }] }] }, 'multigres cluster "mg": database "postgres": tablegroup "default" is declared twice'],
    ['shard name', { databases: [{ tablegroups: [{ name: 'default', shards: [{ name: '0-80' }] }] }] }, 'multigres cluster "mg": database "postgres": tablegroup "default": shard "0-80": the shard name must be "0-inf" in v1alpha1'],
    ['pool in unknown cell', { databases: [{ tablegroups: [{ name: 'default', shards: [{ pools: { main: { cells: ['eu-west-1a'] } } }] }] }] }, 'multigres cluster "mg": database "postgres": tablegroup "default": shard "0-inf": pool "main".cells names cell "eu-west-1a", which is not declared'],
    ['replicasPerCell out of range', { databases: [{ tablegroups: [{ name: 'default', shards: [{ pools: { main: { replicasPerCell: 33 } } }] }] }] }, 'multigres cluster "mg": database "postgres": tablegroup "default": shard "0-inf": pool "main".replicasPerCell must be a whole number in 1..32 (got 33)'],
    ['at least 2 not met', { databases: [{ tablegroups: [{ name: 'default', shards: [{ pools: { main: { cells: ['us-west-2a'], replicasPerCell: 1 } } }] }] }] }, 'multigres cluster "mg": database "postgres": tablegroup "default": shard "0-inf": pool "main" has 1 pooler in all; durability policy AT_LEAST_2 needs at least 2'],
    ['multi cell not met', { durabilityPolicy: 'MULTI_CELL_AT_LEAST_2', databases: [{ tablegroups: [{ name: 'default', shards: [{ pools: { main: { cells: ['us-west-2a'] } } }] }] }] }, 'multigres cluster "mg": database "postgres": tablegroup "default": shard "0-inf": pool "main" spans 1 cell; durability policy MULTI_CELL_AT_LEAST_2 needs at least 2 cells'],
    ['bad pool name', { databases: [{ tablegroups: [{ name: 'default', shards: [{ pools: { Main: {} } }] }] }] }, 'multigres cluster "mg": database "postgres": tablegroup "default": shard "0-inf": pool name "Main" must be a dns label of at most 25 characters'],
    ['gateway replicas', { cells: [{ name: 'a', zoneId: 'z', multigateway: { replicas: 129 } }] }, 'multigres cluster "mg": cell "a": multigateway.replicas must be a whole number in 0..128 (got 129)'],
    ['bad quantity', { multiadmin: { resources: { limits: { memory: 'lots' } } } }, 'multigres cluster "mg": multiadmin.resources.limits.memory "lots" is not a kubernetes quantity'],
    ['template and inline', { multiadmin: { templateRef: 'core', replicas: 2 } }, 'multigres cluster "mg": multiadmin takes either templateRef or inline fields (replicas), not both'],
    ['buffer window', { cells: [{ name: 'a', zoneId: 'z', multigateway: { buffer: { window: '30s', maxFailoverDuration: '20s' } } }] }, 'multigres cluster "mg": cell "a": multigateway.buffer.maxFailoverDuration (20s) must be at least window (30s)'],
    ['s3 without settings', { backup: { type: 's3' } }, 'multigres cluster "mg": backup: type s3 needs s3 settings'],
    ['bad durability', { durabilityPolicy: 'ALL' as any }, 'multigres cluster "mg": durabilityPolicy must be AT_LEAST_2 or MULTI_CELL_AT_LEAST_2 (got "ALL")'],
    ['bad secret ref', { postgresPasswordSecretRef: { name: 'Admin', key: 'password' } }, 'multigres cluster "mg": postgresPasswordSecretRef.name "Admin" is not a valid secret name'],
  ];
  test.each(refusals)('refuses %s', (_what, overrides, message) => {
    // GIVEN / WHEN / THEN
    expect(() => make(overrides)).toThrow(message);
    try { make(overrides); } catch (e) { expect((e as Error).message).toBe(message); }
  });

  withShared('schema (needs ../shared)', () => {
    let schemas: UpstreamSchemas;
    beforeAll(() => { schemas = UpstreamSchemas.load(shared); });

    test.each([
      ['defaults', {}],
      ['external topo and global gateway', {
        globalTopoServer: MultigresTopoServer.external({ endpoints: ['http://etcd.multigres.svc.cluster.local:2379'] }),
        externalGateway: { cilium: { global: true }, externalIPs: ['198.51.100.10'] },
      }],
      ['templates', { templateDefaults: { coreTemplate: 'c', cellTemplate: 'c', shardTemplate: 's' } }],
    ] as Array<[string, Partial<MultigresClusterProps>]>)('%s validates against the CRD', (_what, overrides) => {
      // GIVEN
      const { chart } = make(overrides);
      // WHEN / THEN
      expect(schemas.validateManifests(chart.toJson())).toEqual([]);
    });
  });
});
