import * as fs from 'fs';
import * as path from 'path';
import { re2Tester } from '../../src/schemas/k8s-schema';
import { describeManifest, UpstreamSchemas } from '../../src/schemas/upstream-schemas';

const shared = path.resolve(__dirname, '../../../shared');
const withShared = fs.existsSync(shared) ? describe : describe.skip;

const PLURAL = 'deployments.plural.sh/v1alpha1';

describe('CRD patterns are Go RE2 (re2js)', () => {
  test.each([
    ['^\\PC*$', 'policy ✓ 日本', 'bell\u0007'],
    ['^\\pL\\p{Lu}\\p{Greek}\\p{^N}$', 'aBβx', 'aBβ1'],
    ['(?i)^abc\\z', 'ABC', 'abcd'],
    ['^[[:alpha:]][[:digit:]_]*$', 'a1_2', '1a'],
    ['^(?P<name>[a-z]+)$', 'abc', 'ab1'],
    ['^\\Q1.2\\E$', '1.2', '1x2'],
    ['^a{2,3}\\.b$', 'aa.b', 'a.b'],
    ['[a-z]+', 'x1 y', '123'],
  ])('%s matches %j and not %j', (pattern, yes, no) => {
    const rx = re2Tester(pattern);
    expect([rx.test(yes), rx.test(no)]).toEqual([true, false]);
  });
});

test('describeManifest names kind, namespace and name', () => {
  expect(describeManifest({ kind: 'GlobalService', metadata: { name: 'cilium-dev', namespace: 'infra' } })).toBe('GlobalService infra/cilium-dev');
  expect(describeManifest({ kind: 'PrAutomation', metadata: { name: 'add-cluster' } })).toBe('PrAutomation add-cluster');
  expect(describeManifest({})).toBe('<no kind> <no name>');
  expect(describeManifest('x')).toBe('<not an object>');
});

withShared('UpstreamSchemas (needs ../shared)', () => {
  let schemas: UpstreamSchemas;
  beforeAll(() => {
    schemas = UpstreamSchemas.load(shared);
  });

  describe('index', () => {
    test('knows the CRD kinds, the JSON-schema kinds and the chart versions', () => {
      expect(schemas.hasSchema(PLURAL, 'GlobalService')).toBe(true);
      expect(schemas.hasSchema('multigres.com/v1alpha1', 'Etcd')).toBe(true);
      expect(schemas.hasSchema('cert-manager.io/v1', 'ClusterIssuer')).toBe(true);
      expect(schemas.hasSchema('cilium.io/v2', 'CiliumNetworkPolicy')).toBe(true);
      expect(schemas.hasSchema('cilium.io/v2alpha1', 'CiliumLoadBalancerIPPool')).toBe(true);
      expect(schemas.hasSchema('multigres.io/v1alpha1', 'Etcd')).toBe(false);
      expect(schemas.hasSchema('v1', 'Secret')).toBe(false); // core: structural checks only
      expect(schemas.chartVersions()).toEqual(expect.arrayContaining(['1.18.1', '1.19.6']));
      expect(schemas.warnings).toEqual([]);
    });

    test('scopes', () => {
      expect(schemas.isClusterScoped(PLURAL, 'PrAutomation')).toBe(true);
      expect(schemas.isClusterScoped(PLURAL, 'GitRepository')).toBe(true);
      expect(schemas.isClusterScoped(PLURAL, 'GlobalService')).toBe(false);
      expect(schemas.isClusterScoped('cert-manager.io/v1', 'ClusterIssuer')).toBe(true);
      expect(schemas.isClusterScoped('cilium.io/v2', 'CiliumNetworkPolicy')).toBe(false);
      expect(schemas.isClusterScoped('cilium.io/v2', 'CiliumClusterwideNetworkPolicy')).toBe(true);
      expect(schemas.isClusterScoped('v1', 'Namespace')).toBe(true);
      expect(schemas.isClusterScoped('v1', 'Secret')).toBe(false);
      expect(schemas.isClusterScoped('example.com/v1', 'Foo')).toBeUndefined();
    });

    test('load throws for a missing folder', () => {
      expect(() => UpstreamSchemas.load(path.join(shared, 'nope'))).toThrow(/does not exist/);
    });
  });

  describe('GlobalService', () => {
    const good = () => ({
      apiVersion: PLURAL,
      kind: 'GlobalService',
      metadata: { name: 'cilium-dev', namespace: 'infra' },
      spec: {
        tags: { fleet: 'orchid', tier: 'dev' },
        template: {
          name: 'cilium',
          namespace: 'kube-system',
          configurationRef: { name: 'cilium-ca', namespace: 'infra' },
          repositoryRef: { name: 'infra', namespace: 'infra' },
          git: { folder: 'helm/cilium', ref: 'main' },
          helm: { chart: 'cilium', url: 'https://helm.cilium.io', version: '1.18.1', valuesFiles: ['cilium-dev.yaml.liquid'] },
        },
      },
    });

    test('valid', () => {
      expect(schemas.validateManifest(good())).toEqual([]);
    });

    test('a number where the schema wants a string', () => {
      const obj = good();
      (obj.spec.template.helm as any).version = 1.18;
      expect(schemas.validateManifest(obj)).toEqual([
        'GlobalService infra/cilium-dev: /spec/template/helm/version must be string',
      ]);
    });

    test('missing namespace, misspelled field, git without ref', () => {
      const obj: any = good();
      delete obj.metadata.namespace;
      obj.spec.template.helm.valueFiles = obj.spec.template.helm.valuesFiles;
      delete obj.spec.template.helm.valuesFiles;
      delete obj.spec.template.git.ref;
      expect(schemas.validateManifest(obj)).toEqual([
        'GlobalService cilium-dev: is namespaced and has no metadata.namespace',
        "GlobalService cilium-dev: /spec/template/git must have required property 'ref'",
        'GlobalService cilium-dev: /spec/template/helm has unknown field "valueFiles"',
      ]);
    });

    test('invalid name and a boolean annotation', () => {
      const obj: any = good();
      obj.metadata.name = 'Cilium_Dev';
      obj.metadata.annotations = { 'service.cilium.io/global': true };
      expect(schemas.validateManifest(obj)).toEqual([
        'GlobalService infra/Cilium_Dev: /metadata/name "Cilium_Dev" is not a valid DNS-1123 subdomain (lowercase alphanumerics, \'-\' and \'.\', starting and ending alphanumeric, at most 253 characters)',
        'GlobalService infra/Cilium_Dev: /metadata/annotations/service.cilium.io~1global must be string (got true; quote it in YAML)',
      ]);
    });
  });

  describe('PrAutomation (cluster-scoped)', () => {
    const good = (): any => ({
      apiVersion: PLURAL,
      kind: 'PrAutomation',
      metadata: { name: 'add-mesh-cluster' },
      spec: {
        name: 'add-mesh-cluster',
        title: 'Add a cluster to the orchid mesh',
        scmConnectionRef: { name: 'plural' },
        updates: { yamlOverlays: [{ file: 'fleet.yaml', yaml: 'clusters:\n- name: {{ context.name }}\n', listMerge: 'APPEND' }] },
        configuration: [
          { name: 'name', type: 'STRING', validation: { regex: '^[a-z][a-z0-9-]{0,31}$' } },
          { name: 'id', type: 'INT' },
        ],
      },
    });

    test('valid without namespace', () => {
      expect(schemas.validateManifest(good())).toEqual([]);
    });

    test('namespace, bad listMerge, yaml as object, missing scmConnectionRef', () => {
      const obj = good();
      obj.metadata.namespace = 'infra';
      obj.spec.updates.yamlOverlays[0].listMerge = 'MERGE';
      obj.spec.updates.yamlOverlays[0].yaml = { clusters: [] };
      delete obj.spec.scmConnectionRef;
      expect(schemas.validateManifest(obj)).toEqual([
        'PrAutomation infra/add-mesh-cluster: is cluster-scoped and must not have metadata.namespace',
        "PrAutomation infra/add-mesh-cluster: /spec must have required property 'scmConnectionRef'",
        'PrAutomation infra/add-mesh-cluster: /spec/updates/yamlOverlays/0/listMerge must be one of "OVERWRITE", "APPEND" (got "MERGE")',
        'PrAutomation infra/add-mesh-cluster: /spec/updates/yamlOverlays/0/yaml must be string',
      ]);
    });

    test('unknown configuration type', () => {
      const obj = good();
      obj.spec.configuration[1].type = 'NUMBER';
      const errors = schemas.validateManifest(obj);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/^PrAutomation add-mesh-cluster: \/spec\/configuration\/1\/type must be one of "STRING", "INT", .* \(got "NUMBER"\)$/);
    });
  });

  describe('InfrastructureStack', () => {
    const good = (): any => ({
      apiVersion: PLURAL,
      kind: 'InfrastructureStack',
      metadata: { name: 'orchid-dev-usw1', namespace: 'infra' },
      spec: {
        name: 'orchid-dev-usw1',
        type: 'TERRAFORM',
        repositoryRef: { name: 'infra', namespace: 'infra' },
        clusterRef: { name: 'mgmt', namespace: 'infra' },
        git: { ref: 'main', folder: 'terraform/clusters' },
        configuration: { version: '1.8' },
        manageState: true,
        variables: { cluster_name: 'orchid-dev-usw1', cilium_cluster_id: 1, tags: { tier: 'dev' } },
      },
    });

    test('valid (variables are free-form)', () => {
      expect(schemas.validateManifest(good())).toEqual([]);
    });

    test('numeric configuration.version, PULUMI (missing from the saved CRD enum), git without folder', () => {
      const obj = good();
      obj.spec.configuration.version = 1.8;
      obj.spec.type = 'PULUMI';
      delete obj.spec.git.folder;
      expect(schemas.validateManifest(obj)).toEqual([
        'InfrastructureStack infra/orchid-dev-usw1: /spec/configuration/version must be string',
        "InfrastructureStack infra/orchid-dev-usw1: /spec/git must have required property 'folder'",
        'InfrastructureStack infra/orchid-dev-usw1: /spec/type must be one of "TERRAFORM", "ANSIBLE", "CUSTOM" (got "PULUMI")',
      ]);
    });
  });

  describe('Cluster', () => {
    const good = (): any => ({
      apiVersion: PLURAL,
      kind: 'Cluster',
      metadata: { name: 'orchid-dev-usw1', namespace: 'infra' },
      spec: {
        handle: 'orchid-dev-usw1',
        tags: { fleet: 'orchid', tier: 'dev' },
        metadata: { cilium_cluster_id: 1, dns_zone: 'usw1.dev.orchid.example.com' },
      },
    });

    test('valid (spec.metadata is free-form)', () => {
      expect(schemas.validateManifest(good())).toEqual([]);
    });

    test('tags must be a string map; unknown field', () => {
      const obj = good();
      obj.spec.tags.id = 1;
      obj.spec.tag = { fleet: 'orchid' };
      expect(schemas.validateManifest(obj)).toEqual([
        'Cluster infra/orchid-dev-usw1: /spec has unknown field "tag"',
        'Cluster infra/orchid-dev-usw1: /spec/tags/id must be string',
      ]);
    });
  });

  describe('ClusterIssuer (cert-manager.io/v1)', () => {
    const good = (): any => ({
      apiVersion: 'cert-manager.io/v1',
      kind: 'ClusterIssuer',
      metadata: { name: 'cilium-mesh-ca' },
      spec: { ca: { secretName: 'cilium-mesh-ca' } },
    });

    test('valid', () => {
      expect(schemas.validateManifest(good())).toEqual([]);
    });

    test('namespaced by mistake, secretName missing', () => {
      const obj = good();
      obj.metadata.namespace = 'cert-manager';
      obj.spec.ca = { secret: 'cilium-mesh-ca' };
      expect(schemas.validateManifest(obj)).toEqual([
        'ClusterIssuer cert-manager/cilium-mesh-ca: is cluster-scoped and must not have metadata.namespace',
        "ClusterIssuer cert-manager/cilium-mesh-ca: /spec/ca must have required property 'secretName'",
        'ClusterIssuer cert-manager/cilium-mesh-ca: /spec/ca has unknown field "secret"',
      ]);
    });
  });

  describe('Multigres Etcd (per-component kind)', () => {
    const good = (): any => ({
      apiVersion: 'multigres.com/v1alpha1',
      kind: 'Etcd',
      metadata: { name: 'etcd', namespace: 'multigres', labels: { 'app.kubernetes.io/part-of': 'multigres' } },
      spec: { cellName: 'usw1', replicas: 3, storageSize: '10Gi', podLabels: { tier: 'dev' } },
    });

    test('valid', () => {
      expect(schemas.validateManifest(good())).toEqual([]);
    });

    test('no serviceAnnotations on Etcd; replicas minimum 0', () => {
      const obj = good();
      obj.spec.serviceAnnotations = { 'service.cilium.io/global': 'true' };
      obj.spec.replicas = -1;
      expect(schemas.validateManifest(obj)).toEqual([
        'Etcd multigres/etcd: /spec has unknown field "serviceAnnotations"',
        'Etcd multigres/etcd: /spec/replicas must be >= 0 (got -1)',
      ]);
    });

    test('the seed\'s multigres.io group is unknown, with a hint', () => {
      const obj = good();
      obj.apiVersion = 'multigres.io/v1alpha1';
      expect(schemas.validateManifest(obj)).toEqual([
        'Etcd multigres/etcd: no schema for multigres.io/v1alpha1 Etcd (Etcd is known as multigres.com/v1alpha1)',
      ]);
    });

    test('int-or-string resources quantities', () => {
      const obj = good();
      obj.spec.resources = { requests: { cpu: 1, memory: '512Mi' }, limits: { memory: true } };
      expect(schemas.validateManifest(obj)).toEqual([
        'Etcd multigres/etcd: /spec/resources/limits/memory must be integer or string (got true)',
      ]);
    });
  });

  describe('CiliumNetworkPolicy (JSON schema)', () => {
    const good = (): any => ({
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNetworkPolicy',
      metadata: { name: 'etcd-from-mesh', namespace: 'multigres' },
      spec: {
        endpointSelector: { matchLabels: { 'app.kubernetes.io/component': 'etcd' } },
        ingress: [{
          fromEndpoints: [{
            matchLabels: { 'app.kubernetes.io/part-of': 'multigres' },
            matchExpressions: [{ key: 'io.cilium.k8s.policy.cluster', operator: 'Exists' }],
          }],
          toPorts: [{ ports: [{ port: '2379', protocol: 'TCP' }, { port: '2380', protocol: 'TCP' }] }],
        }],
        log: { value: 'etcd mesh ✓' },
      },
    });

    test('valid', () => {
      expect(schemas.validateManifest(good())).toEqual([]);
    });

    test('no rule, numeric port, bad protocol, control character in log (\\PC)', () => {
      const obj = good();
      obj.spec.egress = obj.spec.ingress;
      delete obj.spec.ingress;
      obj.spec.egress[0].toPorts[0].ports[0].port = 2379;
      obj.spec.egress[0].toPorts[0].ports[1].protocol = 'tcp';
      obj.spec.log.value = 'bell\u0007';
      expect(schemas.validateManifest(obj)).toEqual([
        'CiliumNetworkPolicy multigres/etcd-from-mesh: /spec/egress/0 has unknown field "fromEndpoints"',
        'CiliumNetworkPolicy multigres/etcd-from-mesh: /spec/egress/0/toPorts/0/ports/0/port must be string',
        'CiliumNetworkPolicy multigres/etcd-from-mesh: /spec/egress/0/toPorts/0/ports/1/protocol must be one of "TCP", "UDP", "SCTP", "ANY" (got "tcp")',
        'CiliumNetworkPolicy multigres/etcd-from-mesh: /spec/log/value must match pattern "^\\PC*$" (got "bell\\u0007")',
      ]);
    });

    test('no rule at all', () => {
      const obj = good();
      delete obj.spec.ingress;
      expect(schemas.validateManifest(obj)).toEqual([
        "CiliumNetworkPolicy multigres/etcd-from-mesh: /spec must have at least one of the properties 'ingress', 'ingressDeny', 'egress', 'egressDeny'",
      ]);
    });

    test('quirk: the port pattern is unanchored in its first branch, so 70000 passes', () => {
      const obj = good();
      obj.spec.ingress[0].toPorts[0].ports[0].port = '70000';
      expect(schemas.validateManifest(obj)).toEqual([]);
    });

    test('clusterwide policies have no namespace', () => {
      const obj = good();
      obj.kind = 'CiliumClusterwideNetworkPolicy';
      expect(schemas.validateManifest(obj)).toEqual([
        'CiliumClusterwideNetworkPolicy multigres/etcd-from-mesh: is cluster-scoped and must not have metadata.namespace',
      ]);
    });
  });

  describe('core kinds (structural checks only)', () => {
    test('a valid Secret, with unknown fields allowed', () => {
      expect(schemas.validateManifest({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'cilium-ca', namespace: 'infra' },
        type: 'Opaque',
        data: { 'ca.cert.b64': 'Zm9v' },
        stringData: { note: 'x' },
        somethingNew: true,
      })).toEqual([]);
    });

    test('Secret data must be base64 strings', () => {
      expect(schemas.validateManifest({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'cilium-ca' },
        data: { 'ca.crt': 42, 'ca.key': 'not base64!', 'bad/key': 'Zm9v' },
      })).toEqual([
        'Secret cilium-ca: is namespaced and has no metadata.namespace',
        'Secret cilium-ca: /data/ca.crt must be string (got 42)',
        'Secret cilium-ca: /data/ca.key must be base64-encoded',
        'Secret cilium-ca: /data/bad~1key: key "bad/key" is not a valid config key (alphanumerics, \'-\', \'_\' and \'.\')',
      ]);
    });

    test('a valid global Service', () => {
      expect(schemas.validateManifest({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'etcd', namespace: 'multigres', annotations: { 'service.cilium.io/global': 'true' } },
        spec: { selector: { app: 'etcd' }, ports: [{ name: 'client', port: 2379, targetPort: 'client' }, { name: 'peer', port: 2380 }] },
      })).toEqual([]);
    });

    test('Service ports out of range, unnamed ports, DNS-1035 name', () => {
      expect(schemas.validateManifest({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: '1etcd', namespace: 'multigres' },
        spec: { ports: [{ port: 70000 }, { port: 2380, protocol: 'tcp' }] },
      })).toEqual([
        'Service multigres/1etcd: /metadata/name "1etcd" is not a valid DNS-1035 label (lowercase alphanumerics and \'-\', starting with a letter, ending alphanumeric, at most 63 characters)',
        'Service multigres/1etcd: /spec/ports/0/port must be an integer in 1..65535 (got 70000)',
        'Service multigres/1etcd: /spec/ports/0/name is required when a Service has more than one port',
        'Service multigres/1etcd: /spec/ports/1/protocol must be one of "TCP", "UDP", "SCTP" (got "tcp")',
        'Service multigres/1etcd: /spec/ports/1/name is required when a Service has more than one port',
      ]);
    });

    test('cluster-scoped core kinds and RBAC names', () => {
      expect(schemas.validateManifest({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'multigres', namespace: 'default' } })).toEqual([
        'Namespace default/multigres: is cluster-scoped and must not have metadata.namespace',
      ]);
      expect(schemas.validateManifest({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'system:meshfleet:reader' } })).toEqual([]);
    });

    test('unknown kinds, even in core groups, have no schema', () => {
      expect(schemas.validateManifest({ apiVersion: 'v1', kind: 'Secrets', metadata: { name: 'x', namespace: 'y' } })).toEqual([
        'Secrets y/x: no schema for v1 Secrets',
      ]);
      expect(schemas.validateManifest({ apiVersion: 'example.com/v1', kind: 'Foo', metadata: { name: 'x' } })).toEqual([
        'Foo x: no schema for example.com/v1 Foo',
      ]);
      expect(schemas.validateManifest({ kind: 'Foo' })).toEqual(['Foo <no name>: /apiVersion must be a non-empty string']);
      expect(schemas.validateManifest([])).toEqual(['manifest is not an object (got an array)']);
    });
  });

  describe('sets and YAML text', () => {
    test('duplicates are reported', () => {
      const s = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'b' }, data: { enabled: true } };
      expect(schemas.validateManifests([s, { ...s, data: {} }])).toEqual([
        'ConfigMap b/a: /data/enabled must be string (got true)',
        'ConfigMap b/a: duplicate of object #1 (objects #1 and #2)',
      ]);
    });

    test('multi-document YAML with a Go-template placeholder that YAML reads as a list', () => {
      const text = [
        'apiVersion: deployments.plural.sh/v1alpha1',
        'kind: GitRepository',
        'metadata:',
        '  name: infra',
        'spec:',
        '  url: [[ .RepoUrl ]]',
        '---',
        '# empty document',
        '---',
        'apiVersion: v1',
        'kind: Namespace',
        'metadata: {name: infra}',
      ].join('\n');
      expect(schemas.validateYaml(text, 'bootstrap/setup.yaml')).toEqual([
        'bootstrap/setup.yaml: GitRepository infra: /spec/url must be string',
      ]);
    });
  });

  describe('Cilium values', () => {
    const good = (version: string): any => ({
      cluster: { name: 'orchid-dev-usw1', id: 1 },
      clustermesh: {
        useAPIServer: true,
        config: { enabled: true, clusters: [{ name: 'orchid-dev-use1', address: 'mesh.use1.dev.orchid.example.com', port: 2379 }] },
        apiserver: {
          service: { type: 'LoadBalancer' },
          tls: { auto: { enabled: true, method: 'certmanager', certManagerIssuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: 'cilium-mesh-ca' } } },
        },
        ...(version.startsWith('1.18') ? { enableMCSAPISupport: false } : { mcsapi: { enabled: false } }),
      },
    });

    test.each(['1.18.1', '1.19.6'])('%s: a minimal mesh values object passes', (v) => {
      expect(schemas.validateCiliumValues(v, good(v))).toEqual([]);
    });

    test.each(['1.18.1', '1.19.6'])('%s: cluster.id as a string fails', (v) => {
      const values = good(v);
      values.cluster.id = '1';
      expect(schemas.validateCiliumValues(v, values)).toEqual([`cilium ${v} values: /cluster/id must be integer`]);
    });

    test.each(['1.18.1', '1.19.6'])('%s: enum and boolean types are checked', (v) => {
      const values = good(v);
      values.clustermesh.useAPIServer = 'true';
      values.clustermesh.apiserver.service.externalTrafficPolicy = 'local';
      expect(schemas.validateCiliumValues(v, values)).toEqual([
        `cilium ${v} values: /clustermesh/apiserver/service/externalTrafficPolicy must be one of "Local", "Cluster" (got "local")`,
        `cilium ${v} values: /clustermesh/useAPIServer must be boolean`,
      ]);
    });

    test.each(['1.18.1', '1.19.6'])('%s: quirk: tls.auto.method is a plain string in the schema', (v) => {
      const values = good(v);
      values.clustermesh.apiserver.tls.auto.method = 'cert-manager';
      expect(schemas.validateCiliumValues(v, values)).toEqual([]);
    });

    test('quirk: the chart schemas accept misspelled keys and unbounded ids', () => {
      expect(schemas.validateCiliumValues('1.18.1', { cluster: { id: 100000 }, clustermesh: { useAPIServr: true } })).toEqual([]);
    });

    test('unknown chart version', () => {
      expect(schemas.validateCiliumValues('1.17.0', {})).toEqual([
        `unknown cilium chart version "1.17.0" (known: ${schemas.chartVersions().join(', ')})`,
      ]);
    });
  });

  test('GIVEN 100 objects of five kinds WHEN validated twice THEN both runs find nothing (validators compiled once are reused)', () => {
    const s = UpstreamSchemas.load(shared);
    const objs: unknown[] = [];
    for (let i = 0; i < 100; i++) {
      const name = `c${i}`;
      switch (i % 5) {
        case 0: objs.push({ apiVersion: PLURAL, kind: 'GlobalService', metadata: { name, namespace: 'infra' }, spec: { tags: { tier: 'dev' }, template: { name: 'cilium', namespace: 'kube-system', helm: { chart: 'cilium', version: '1.18.1' } } } }); break;
        case 1: objs.push({ apiVersion: PLURAL, kind: 'Cluster', metadata: { name, namespace: 'infra' }, spec: { handle: name, tags: { tier: 'dev' } } }); break;
        case 2: objs.push({ apiVersion: 'multigres.com/v1alpha1', kind: 'Etcd', metadata: { name, namespace: 'multigres' }, spec: { replicas: 3 } }); break;
        case 3: objs.push({ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name, namespace: 'multigres' }, spec: { endpointSelector: {}, ingress: [{ fromEndpoints: [{}] }] } }); break;
        default: objs.push({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'multigres' }, spec: { ports: [{ port: 2379 }] } });
      }
    }
    expect(s.validateManifests(objs)).toEqual([]);
    expect(s.validateManifests(objs)).toEqual([]);
  });
});
