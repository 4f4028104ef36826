import { Testing, Yaml } from 'cdk8s';
import { GlobalServiceSpecDistro } from '../../imports/plural-globalservice-deployments.plural.sh';
import { GlobalService, GlobalServiceProps } from '../../src/plural/global-service';

function props(overrides: Partial<GlobalServiceProps> = {}): GlobalServiceProps {
  return {
    name: 'cilium-dev',
    tags: { fleet: 'orchid', tier: 'dev' },
    serviceName: 'cilium',
    serviceNamespace: 'kube-system',
    repository: { name: 'fleet-repo' },
    folder: 'services/cilium/dev',
    ...overrides,
  };
}

function synth(p: GlobalServiceProps): any[] {
  const chart = Testing.chart();
  new GlobalService(chart, 'gs', p);
  return chart.toJson();
}

function build(p: GlobalServiceProps): void {
  new GlobalService(Testing.chart(), 'gs', p);
}

describe('GlobalService', () => {
  test('GIVEN a helm global service with every option WHEN synthesized THEN the YAML matches the snapshot', () => {
    const chart = Testing.chart();
    new GlobalService(chart, 'gs', props({
      namespace: 'plural',
      distro: GlobalServiceSpecDistro.EKS,
      mgmt: true,
      ref: 'release',
      protect: true,
      dependencies: ['cert-manager', 'external-dns'],
      configurationRef: { name: 'cilium-ca', namespace: 'secrets' },
      repository: { name: 'fleet-repo', namespace: 'git' },
      helm: {
        chart: 'cilium',
        url: 'https://helm.cilium.io',
        version: '1.18.1',
        valuesFiles: ['values.yaml', 'mesh.yaml.liquid'],
      },
    }));
    expect(Yaml.stringify(...chart.toJson())).toMatchSnapshot();
  });

  test('GIVEN a minimal raw-manifest global service WHEN synthesized THEN the YAML matches the snapshot', () => {
    const chart = Testing.chart();
    new GlobalService(chart, 'gs', props());
    expect(Yaml.stringify(...chart.toJson())).toMatchSnapshot();
  });

  test('GIVEN minimal props WHEN synthesized THEN the documented defaults are written', () => {
    const [obj] = synth(props());
    expect(obj.apiVersion).toBe('deployments.plural.sh/v1alpha1');
    expect(obj.kind).toBe('GlobalService');
    expect(obj.metadata.name).toBe('cilium-dev');
    expect(obj.metadata.namespace).toBe('infra');
    expect(obj.spec.mgmt).toBe(false);
    expect(obj.spec.distro).toBeUndefined();
    expect(obj.spec.tags).toEqual({ fleet: 'orchid', tier: 'dev' });
    expect(obj.spec.template).toEqual({
      name: 'cilium',
      namespace: 'kube-system',
      protect: false,
      repositoryRef: { kind: 'GitRepository', name: 'fleet-repo', namespace: 'infra' },
      git: { folder: 'services/cilium/dev', ref: 'main' },
    });
  });

  test('GIVEN a repository in another namespace WHEN synthesized THEN repositoryRef keeps kind GitRepository and that namespace', () => {
    const [obj] = synth(props({ repository: { name: 'r', namespace: 'git' } }));
    expect(obj.spec.template.repositoryRef).toEqual({ kind: 'GitRepository', name: 'r', namespace: 'git' });
  });

  test('GIVEN a configurationRef without namespace WHEN synthesized THEN it defaults to infra', () => {
    const [obj] = synth(props({ configurationRef: { name: 'cilium-ca' } }));
    expect(obj.spec.template.configurationRef).toEqual({ name: 'cilium-ca', namespace: 'infra' });
  });

  test('GIVEN dependencies WHEN synthesized THEN each is written as { name }', () => {
    const [obj] = synth(props({ dependencies: ['a', 'b'] }));
    expect(obj.spec.template.dependencies).toEqual([{ name: 'a' }, { name: 'b' }]);
  });

  test('GIVEN a helm chart without valuesFiles WHEN synthesized THEN helm has no valuesFiles', () => {
    const [obj] = synth(props({ helm: { chart: 'cilium', url: 'oci://registry/charts', version: 'v1.18.1-rc.1' } }));
    expect(obj.spec.template.helm).toEqual({ chart: 'cilium', url: 'oci://registry/charts', version: 'v1.18.1-rc.1' });
  });

  test('GIVEN allClusters WHEN synthesized THEN no tags are written', () => {
    const [obj] = synth(props({ tags: undefined, allClusters: true }));
    expect(obj.spec.tags).toBeUndefined();
    expect(Object.keys(obj.spec)).not.toContain('tags');
  });

  test('GIVEN allClusters with empty tags WHEN synthesized THEN it is accepted and writes no tags', () => {
    const [obj] = synth(props({ tags: {}, allClusters: true }));
    expect(obj.spec.tags).toBeUndefined();
  });

  test('GIVEN the construct WHEN built THEN it exposes name, tags and the L1 resource as child "Resource"', () => {
    const chart = Testing.chart();
    const tags = { fleet: 'orchid' };
    const gs = new GlobalService(chart, 'gs', props({ tags }));
    expect(gs.name).toBe('cilium-dev');
    expect(gs.tags).toEqual({ fleet: 'orchid' });
    expect(gs.node.findChild('Resource')).toBe(gs.resource);
  });

  test('GIVEN tags and valuesFiles WHEN the inputs are changed after construction THEN the output does not change', () => {
    const tags: Record<string, string> = { fleet: 'orchid' };
    const valuesFiles = ['values.yaml'];
    const chart = Testing.chart();
    new GlobalService(chart, 'gs', props({ tags, helm: { chart: 'c', url: 'https://x', version: '1.0.0', valuesFiles } }));
    tags.tier = 'prod';
    valuesFiles.push('other.yaml');
    const [obj] = chart.toJson();
    expect(obj.spec.tags).toEqual({ fleet: 'orchid' });
    expect(obj.spec.template.helm.valuesFiles).toEqual(['values.yaml']);
  });

  test.each([
    [{ name: '' }, 'global service "": metadata name is missing'],
    [{ name: 'Cilium' }, 'global service "Cilium": name "Cilium" must be a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", at most 253 characters)'],
    [{ tags: undefined }, 'global service "cilium-dev": tags are empty, which targets every cluster; give tags or set allClusters: true'],
    [{ tags: {} }, 'global service "cilium-dev": tags are empty, which targets every cluster; give tags or set allClusters: true'],
    [{ tags: {}, allClusters: false }, 'global service "cilium-dev": tags are empty, which targets every cluster; give tags or set allClusters: true'],
    [{ allClusters: true }, 'global service "cilium-dev": allClusters and tags are mutually exclusive'],
    [{ serviceName: '' }, 'global service "cilium-dev": serviceName: metadata name is missing'],
    [{ serviceName: 'cilium.io' }, 'global service "cilium-dev": serviceName: name "cilium.io" must consist of lowercase letters, digits and "-", and start and end with a letter or digit'],
    [{ serviceName: 'c'.repeat(64) }, `global service "cilium-dev": serviceName: name "${'c'.repeat(64)}" is 64 characters long; at most 63 are allowed`],
    [{ serviceNamespace: 'Kube-System' }, 'global service "cilium-dev": serviceNamespace: name "Kube-System" must consist of lowercase letters, digits and "-", and start and end with a letter or digit'],
    [{ serviceNamespace: '' }, 'global service "cilium-dev": serviceNamespace: metadata name is missing'],
    [{ folder: '' }, 'global service "cilium-dev": folder must not be empty'],
    [{ folder: '/services' }, 'global service "cilium-dev": folder "/services" must be a path relative to the repository root, without ".."'],
    [{ folder: 'services/../../etc' }, 'global service "cilium-dev": folder "services/../../etc" must be a path relative to the repository root, without ".."'],
    [{ helm: { chart: 'cilium', url: 'https://helm.cilium.io', version: '^1.18.0' } },
      'global service "cilium-dev": helm.version "^1.18.0" must be an exact chart version such as 1.18.1'],
    [{ helm: { chart: 'cilium', url: 'https://helm.cilium.io', version: '1.18' } },
      'global service "cilium-dev": helm.version "1.18" must be an exact chart version such as 1.18.1'],
    [{ helm: { chart: 'cilium', url: 'https://helm.cilium.io', version: '1.18.x' } },
      'global service "cilium-dev": helm.version "1.18.x" must be an exact chart version such as 1.18.1'],
    [{ helm: { chart: 'cilium', url: 'https://helm.cilium.io', version: '>=1.18.1' } },
      'global service "cilium-dev": helm.version ">=1.18.1" must be an exact chart version such as 1.18.1'],
    [{ helm: { chart: 'cilium', url: 'helm.cilium.io', version: '1.18.1' } },
      'global service "cilium-dev": helm.url "helm.cilium.io" must be an http(s) or oci:// repository URL'],
    [{ helm: { chart: 'cilium', url: 'git://helm.cilium.io', version: '1.18.1' } },
      'global service "cilium-dev": helm.url "git://helm.cilium.io" must be an http(s) or oci:// repository URL'],
    [{ helm: { chart: 'cilium', url: 'https://helm.cilium.io', version: '1.18.1', valuesFiles: ['ok.yaml', '../secret.yaml'] } },
      'global service "cilium-dev": helm.valuesFiles "../secret.yaml" must be a path relative to the repository root, without ".."'],
    [{ helm: { chart: 'cilium', url: 'https://helm.cilium.io', version: '1.18.1', valuesFiles: [''] } },
      'global service "cilium-dev": helm.valuesFiles must not be empty'],
    [{ namespace: '' }, 'global service "cilium-dev": namespace must not be empty'],
    [{ namespace: 'plural.sh' },
      'global service "cilium-dev": namespace "plural.sh" must consist of lowercase letters, digits and "-", and start and end with a letter or digit'],
    [{ repository: { name: '' } }, 'global service "cilium-dev": repository.name must not be empty'],
    [{ repository: { name: 'Fleet-Repo' } },
      'global service "cilium-dev": repository.name "Fleet-Repo" must be a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", at most 253 characters)'],
    [{ repository: { name: 'fleet-repo', namespace: 'Git' } },
      'global service "cilium-dev": repository.namespace "Git" must consist of lowercase letters, digits and "-", and start and end with a letter or digit'],
    [{ configurationRef: { name: '' } }, 'global service "cilium-dev": configurationRef.name must not be empty'],
    [{ configurationRef: { name: 'cilium_ca' } },
      'global service "cilium-dev": configurationRef.name "cilium_ca" must be a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", at most 253 characters)'],
    [{ configurationRef: { name: 'cilium-ca', namespace: '' } }, 'global service "cilium-dev": configurationRef.namespace must not be empty'],
    [{ ref: '' }, 'global service "cilium-dev": git ref must not be empty'],
  ] as Array<[Partial<GlobalServiceProps>, string]>)('GIVEN %p WHEN built THEN it is refused', (overrides, message) => {
    expect(() => build(props(overrides))).toThrow(message);
  });

  test.each(['1.18.1', 'v1.18.1', '1.18.1-pre.0', '10.0.0-rc1'])('GIVEN the exact helm version %p WHEN built THEN it is accepted', (version) => {
    expect(() => build(props({ helm: { chart: 'cilium', url: 'http://charts.local', version } }))).not.toThrow();
  });
});
