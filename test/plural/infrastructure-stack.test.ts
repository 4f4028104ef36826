import { Testing, Yaml } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { InfrastructureStackSpecType } from '../../imports/plural-infrastructurestack-deployments.plural.sh';
import { InfrastructureStack, InfrastructureStackProps } from '../../src/plural/infrastructure-stack';

function props(overrides: Partial<InfrastructureStackProps> = {}): InfrastructureStackProps {
  return {
    name: 'orchid-dev',
    repository: { name: 'infra' },
    folder: 'terraform/clusters',
    cluster: { name: 'mgmt' },
    ...overrides,
  };
}

function synth(p: InfrastructureStackProps): any {
  const chart = Testing.chart();
  new InfrastructureStack(chart, 'stack', p);
  const docs = chart.toJson();
  expect(docs).toHaveLength(1);
  return docs[0];
}

function build(p: InfrastructureStackProps): void {
  new InfrastructureStack(Testing.chart(), 'stack', p);
}

describe('InfrastructureStack', () => {
  test('GIVEN a stack with every option WHEN synthesized THEN the YAML matches the snapshot', () => {
    const chart = Testing.chart();
    new InfrastructureStack(chart, 'stack', props({
      namespace: 'stacks',
      type: InfrastructureStackSpecType.TERRAFORM,
      repository: { name: 'infra', namespace: 'git' },
      ref: 'v1.2.0',
      cluster: { name: 'mgmt', namespace: 'clusters' },
      version: '1.10',
      variables: { cluster: 'orchid-dev', cluster_id: 1, private: true, dns_zone: 'dev.example.com' },
      approval: false,
      manageState: false,
      detach: true,
      actor: 'ops@example.com',
    }));
    expect(Yaml.stringify(...chart.toJson())).toMatchSnapshot();
  });

  test('GIVEN a minimal stack WHEN synthesized THEN the YAML matches the snapshot', () => {
    const chart = Testing.chart();
    new InfrastructureStack(chart, 'stack', props());
    expect(Yaml.stringify(...chart.toJson())).toMatchSnapshot();
  });

  test('GIVEN minimal props WHEN synthesized THEN the documented defaults are written', () => {
    const obj = synth(props());
    expect(obj.apiVersion).toBe('deployments.plural.sh/v1alpha1');
    expect(obj.kind).toBe('InfrastructureStack');
    expect(obj.metadata).toEqual({ name: 'orchid-dev', namespace: 'infra' });
    expect(obj.spec).toEqual({
      name: 'orchid-dev',
      type: 'TERRAFORM',
      detach: false,
      approval: true,
      manageState: true,
      repositoryRef: { name: 'infra', namespace: 'infra' },
      clusterRef: { name: 'mgmt', namespace: 'infra' },
      git: { ref: 'main', folder: 'terraform/clusters' },
    });
  });

  test.each(['1.8', '1.10', '1.8.5', '2.0'])('GIVEN version %p WHEN synthesized THEN configuration.version is written as a string', (version) => {
    const obj = synth(props({ version }));
    expect(obj.spec.configuration).toEqual({ version });
    const yaml = Yaml.stringify(obj);
    const parsed = parseAllDocuments(yaml).map((d) => d.toJS());
    expect(parsed[0].spec.configuration.version).toBe(version);
    // YAML 1.1 readers too (Go's yaml.v2): "1.8.5" is a string, the others must be quoted.
    parseAllDocuments(yaml, { version: '1.1' }).forEach((d) => expect(d.toJS().spec.configuration.version).toBe(version));
  });

  test.each(['1.8', '1.10', '2.0'])('GIVEN version %p that looks like a number WHEN written as YAML THEN it is quoted', (version) => {
    const yaml = Yaml.stringify(synth(props({ version })));
    expect(yaml).toMatch(new RegExp(`\\n    version: (["'])${version.replace(/\./g, '\\.')}\\1\\n`));
  });

  test('GIVEN an Ansible stack WHEN synthesized THEN its type is written', () => {
    expect(synth(props({ type: InfrastructureStackSpecType.ANSIBLE })).spec.type).toBe('ANSIBLE');
  });

  test('GIVEN variables of every type WHEN synthesized THEN they keep their types', () => {
    const variables = { a: 'x', b: 2, c: false };
    const obj = synth(props({ variables }));
    expect(obj.spec.variables).toEqual({ a: 'x', b: 2, c: false });
  });

  test('GIVEN variables WHEN changed after construction THEN the output does not change', () => {
    const variables: Record<string, string> = { a: 'x' };
    const chart = Testing.chart();
    new InfrastructureStack(chart, 'stack', props({ variables }));
    variables.b = 'y';
    expect(chart.toJson()[0].spec.variables).toEqual({ a: 'x' });
  });

  test('GIVEN the construct WHEN built THEN it exposes its name and the L1 resource as child "Resource"', () => {
    const chart = Testing.chart();
    const stack = new InfrastructureStack(chart, 'stack', props());
    expect(stack.name).toBe('orchid-dev');
    expect(stack.node.findChild('Resource')).toBe(stack.resource);
  });

  const S = 'infrastructure stack "orchid-dev"';
  test.each([
    [{ name: '' }, 'infrastructure stack "": metadata name is missing'],
    [{ name: 'Orchid_Dev' }, 'infrastructure stack "Orchid_Dev": name "Orchid_Dev" must be a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", at most 253 characters)'],
    [{ folder: '' }, `${S}: folder must not be empty`],
    [{ folder: '/terraform' }, `${S}: folder "/terraform" must be a path relative to the repository root, without ".."`],
    [{ folder: 'terraform/../..' }, `${S}: folder "terraform/../.." must be a path relative to the repository root, without ".."`],
    [{ version: '' }, `${S}: version "" must look like 1.8 or 1.8.5`],
    [{ version: '1' }, `${S}: version "1" must look like 1.8 or 1.8.5`],
    [{ version: 'v1.8' }, `${S}: version "v1.8" must look like 1.8 or 1.8.5`],
    [{ version: '1.8.x' }, `${S}: version "1.8.x" must look like 1.8 or 1.8.5`],
    [{ version: '~> 1.8' }, `${S}: version "~> 1.8" must look like 1.8 or 1.8.5`],
    [{ version: '1.8.5.1' }, `${S}: version "1.8.5.1" must look like 1.8 or 1.8.5`],
    [{ variables: { a: 'x', b: undefined as unknown as string } }, `${S}: variable "b" has no value`],
    [{ variables: { c: null as unknown as string } }, `${S}: variable "c" has no value`],
    [{ namespace: '' }, `${S}: namespace must not be empty`],
    [{ namespace: 'Infra' }, `${S}: namespace "Infra" must consist of lowercase letters, digits and "-", and start and end with a letter or digit`],
    [{ repository: { name: '' } }, `${S}: repository.name must not be empty`],
    [{ repository: { name: 'infra/repo' } },
      `${S}: repository.name "infra/repo" must be a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", at most 253 characters)`],
    [{ repository: { name: 'infra', namespace: 'a.b' } },
      `${S}: repository.namespace "a.b" must consist of lowercase letters, digits and "-", and start and end with a letter or digit`],
    [{ cluster: { name: '' } }, `${S}: cluster.name must not be empty`],
    [{ cluster: { name: 'Mgmt' } },
      `${S}: cluster.name "Mgmt" must be a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", at most 253 characters)`],
    [{ cluster: { name: 'mgmt', namespace: '' } }, `${S}: cluster.namespace must not be empty`],
    [{ ref: '' }, `${S}: git ref must not be empty`],
  ] as Array<[Partial<InfrastructureStackProps>, string]>)('GIVEN %p WHEN built THEN it is refused', (overrides, message) => {
    expect(() => build(props(overrides))).toThrow(message);
  });
});
