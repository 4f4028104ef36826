import * as fs from 'fs';
import * as path from 'path';
import { Testing, Yaml } from 'cdk8s';
import { ServiceDeployment, ServiceDeploymentProps } from '../../src/plural/service-deployment';
import { UpstreamSchemas } from '../../src/schemas/upstream-schemas';

const shared = path.resolve(__dirname, '../../../shared');
const withShared = fs.existsSync(shared) ? describe : describe.skip;

const base = (): ServiceDeploymentProps => ({
  name: 'multigres-orchid-dev-usw2',
  cluster: { name: 'orchid-dev-usw2' },
  repository: { name: 'infra' },
  folder: 'services/multigres/orchid-dev-usw2',
  serviceNamespace: 'multigres',
});

const make = (overrides: Partial<ServiceDeploymentProps> = {}) => {
  const chart = Testing.chart();
  const sd = new ServiceDeployment(chart, 'sd', { ...base(), ...overrides });
  const obj = chart.toJson()[0];
  return { chart, sd, obj, spec: obj.spec };
};

describe('ServiceDeployment', () => {
  test('raw manifests of one folder to one cluster (snapshot)', () => {
    // GIVEN / WHEN
    const { chart, sd, obj, spec } = make();
    // THEN
    expect(Yaml.stringify(...chart.toJson())).toMatchSnapshot();
    expect(obj.apiVersion).toBe('deployments.plural.sh/v1alpha1');
    expect(obj.kind).toBe('ServiceDeployment');
    expect(obj.metadata).toEqual({ name: 'multigres-orchid-dev-usw2', namespace: 'infra' });
    expect(spec.clusterRef).toEqual({ kind: 'Cluster', name: 'orchid-dev-usw2', namespace: 'infra' });
    expect(spec.repositoryRef).toEqual({ kind: 'GitRepository', name: 'infra', namespace: 'infra' });
    expect(spec.git).toEqual({ folder: 'services/multigres/orchid-dev-usw2', ref: 'main' });
    expect(spec.namespace).toBe('multigres');
    expect(spec.protect).toBe(false);
    expect(spec.helm).toBeUndefined();
    expect(spec.configurationRef).toBeUndefined();
    expect(spec.dependencies).toBeUndefined();
    expect(sd.resource.node.id).toBe('Resource');
    expect(sd.cluster).toEqual({ name: 'orchid-dev-usw2', namespace: 'infra' });
  });

  test('a helm chart with values files, configuration, dependencies and protect (snapshot)', () => {
    // GIVEN / WHEN
    const { chart, spec, sd } = make({
      name: 'cilium-orchid-dev-usw2',
      namespace: 'fleet',
      serviceNamespace: 'kube-system',
      cluster: { name: 'orchid-dev-usw2', namespace: 'fleet' },
      folder: 'helm/cilium',
      ref: 'release-1',
      helm: { chart: 'cilium', url: 'https://helm.cilium.io', version: '1.18.1', valuesFiles: ['cilium.yaml.liquid'], release: 'cilium' },
      configurationRef: { name: 'cilium-ca' },
      dependencies: ['cert-manager'],
      protect: true,
      createNamespace: false,
    });
    // THEN
    expect(Yaml.stringify(...chart.toJson())).toMatchSnapshot();
    expect(spec.helm).toEqual({ chart: 'cilium', url: 'https://helm.cilium.io', version: '1.18.1', valuesFiles: ['cilium.yaml.liquid'], release: 'cilium' });
    expect(spec.configurationRef).toEqual({ name: 'cilium-ca', namespace: 'infra' });
    expect(spec.dependencies).toEqual([{ name: 'cert-manager' }]);
    expect(spec.protect).toBe(true);
    expect(spec.syncConfig).toEqual({ createNamespace: false });
    expect(spec.clusterRef.namespace).toBe('fleet');
    expect(spec.git.ref).toBe('release-1');
    expect(sd.namespace).toBe('fleet');
  });

  test('the service namespace defaults to the object namespace', () => {
    // GIVEN / WHEN
    const { spec, sd } = make({ serviceNamespace: undefined });
    // THEN
    expect(spec.namespace).toBe('infra');
    expect(sd.serviceNamespace).toBe('infra');
  });

  const refusals: Array<[string, Partial<ServiceDeploymentProps>, string]> = [
    ['bad name', { name: 'Multigres' }, 'service deployment "Multigres": name "Multigres" must be a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", at most 253 characters)'],
    ['no cluster', { cluster: undefined as any }, 'service deployment "multigres-orchid-dev-usw2": cluster is required (a service deployment targets exactly one cluster)'],
    ['bad cluster name', { cluster: { name: 'Orchid' } }, 'service deployment "multigres-orchid-dev-usw2": cluster: name "Orchid" must be a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", at most 253 characters)'],
    ['absolute folder', { folder: '/services/x' }, 'service deployment "multigres-orchid-dev-usw2": folder "/services/x" must be a path relative to the repository root, without ".."'],
    ['folder escaping', { folder: 'services/../../x' }, 'service deployment "multigres-orchid-dev-usw2": folder "services/../../x" must be a path relative to the repository root, without ".."'],
    ['empty folder', { folder: '' }, 'service deployment "multigres-orchid-dev-usw2": folder must not be empty'],
    ['version range', { helm: { chart: 'cilium', url: 'https://helm.cilium.io', version: '^1.18.0' } }, 'service deployment "multigres-orchid-dev-usw2": helm.version "^1.18.0" must be an exact chart version such as 1.18.1'],
    ['bad helm url', { helm: { chart: 'cilium', url: 'helm.cilium.io', version: '1.18.1' } }, 'service deployment "multigres-orchid-dev-usw2": helm.url "helm.cilium.io" must be an http(s) or oci:// repository URL'],
    ['values file outside', { helm: { chart: 'cilium', url: 'https://helm.cilium.io', version: '1.18.1', valuesFiles: ['../secret.yaml'] } }, 'service deployment "multigres-orchid-dev-usw2": helm.valuesFiles "../secret.yaml" must be a path relative to the repository root, without ".."'],
    ['self dependency', { dependencies: ['multigres-orchid-dev-usw2'] }, 'service deployment "multigres-orchid-dev-usw2": depends on itself'],
    ['duplicate dependency', { dependencies: ['a', 'a'] }, 'service deployment "multigres-orchid-dev-usw2": dependency "a" is listed twice'],
    ['bad service namespace', { serviceNamespace: 'kube_system' }, 'service deployment "multigres-orchid-dev-usw2": serviceNamespace: name "kube_system" must consist of lowercase letters, digits and "-", and start and end with a letter or digit'],
    ['ref with space', { ref: 'my branch' }, 'service deployment "multigres-orchid-dev-usw2": ref "my branch" must be a branch, tag or commit without whitespace'],
  ];
  test.each(refusals)('refuses %s', (_what, overrides, message) => {
    // GIVEN / WHEN / THEN
    expect(() => make(overrides)).toThrow(message);
    try { make(overrides); } catch (e) { expect((e as Error).message).toBe(message); }
  });

  withShared('schema (needs ../shared)', () => {
    test('both forms validate against the CRD', () => {
      // GIVEN
      const schemas = UpstreamSchemas.load(shared);
      const raw = make().chart.toJson();
      const helm = make({ name: 'cilium', helm: { chart: 'cilium', url: 'https://helm.cilium.io', version: '1.18.1' }, configurationRef: { name: 'ca' }, dependencies: ['x'], createNamespace: true }).chart.toJson();
      // WHEN / THEN
      expect(schemas.validateManifests([...raw, ...helm])).toEqual([]);
    });
  });
});
