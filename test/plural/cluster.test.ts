import { Testing, Yaml } from 'cdk8s';
import { PluralCluster, PluralClusterProps } from '../../src/plural/cluster';

function synth(p: PluralClusterProps): any {
  const chart = Testing.chart();
  new PluralCluster(chart, 'cluster', p);
  const docs = chart.toJson();
  expect(docs).toHaveLength(1);
  return docs[0];
}

describe('PluralCluster', () => {
  test('GIVEN a cluster with every option WHEN synthesized THEN the YAML matches the snapshot', () => {
    const chart = Testing.chart();
    new PluralCluster(chart, 'cluster', {
      name: 'orchid-dev',
      namespace: 'clusters',
      handle: 'orchid-dev-usw2',
      tags: { fleet: 'orchid', tier: 'dev' },
      protect: true,
    });
    expect(Yaml.stringify(...chart.toJson())).toMatchSnapshot();
  });

  test('GIVEN a minimal cluster WHEN synthesized THEN the YAML matches the snapshot', () => {
    const chart = Testing.chart();
    new PluralCluster(chart, 'cluster', { name: 'orchid-dev' });
    expect(Yaml.stringify(...chart.toJson())).toMatchSnapshot();
  });

  test('GIVEN no handle WHEN synthesized THEN the handle is the name and the namespace is infra', () => {
    const obj = synth({ name: 'orchid-dev', tags: { fleet: 'orchid' } });
    expect(obj.apiVersion).toBe('deployments.plural.sh/v1alpha1');
    expect(obj.kind).toBe('Cluster');
    expect(obj.metadata).toEqual({ name: 'orchid-dev', namespace: 'infra' });
    expect(obj.spec.handle).toBe('orchid-dev');
    expect(obj.spec.tags).toEqual({ fleet: 'orchid' });
  });

  test('GIVEN a handle WHEN built THEN it is exposed and written', () => {
    const chart = Testing.chart();
    const c = new PluralCluster(chart, 'cluster', { name: 'orchid-dev', handle: 'od' });
    expect(c.handle).toBe('od');
    expect(c.node.findChild('Resource')).toBe(c.resource);
    expect(chart.toJson()[0].spec.handle).toBe('od');
  });

  test('GIVEN no tags WHEN synthesized THEN no tags are written', () => {
    expect(synth({ name: 'orchid-dev' }).spec.tags).toBeUndefined();
  });

  test('GIVEN tags WHEN changed after construction THEN the output does not change', () => {
    const tags: Record<string, string> = { fleet: 'orchid' };
    const chart = Testing.chart();
    new PluralCluster(chart, 'cluster', { name: 'orchid-dev', tags });
    tags.tier = 'dev';
    expect(chart.toJson()[0].spec.tags).toEqual({ fleet: 'orchid' });
  });

  test('GIVEN protect: true WHEN synthesized THEN protect is written', () => {
    expect(synth({ name: 'orchid-dev', protect: true }).spec.protect).toBe(true);
  });

  test('GIVEN no protect WHEN synthesized THEN the deprecated field is not written', () => {
    const obj = synth({ name: 'orchid-dev' });
    expect(obj.spec.protect).toBeUndefined();
    expect(Yaml.stringify(obj)).not.toContain('protect');
  });

  test.each([
    [{ name: '' }, 'cluster "": metadata name is missing'],
    [{ name: 'Orchid' }, 'cluster "Orchid": name "Orchid" must be a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", at most 253 characters)'],
    [{ name: 'orchid.dev' }, 'cluster "orchid.dev": handle "orchid.dev" must be a DNS label (lowercase letters, digits and "-", at most 63 characters)'],
    [{ name: 'orchid', handle: 'Orchid' }, 'cluster "orchid": handle "Orchid" must be a DNS label (lowercase letters, digits and "-", at most 63 characters)'],
    [{ name: 'orchid', handle: 'orchid-' }, 'cluster "orchid": handle "orchid-" must be a DNS label (lowercase letters, digits and "-", at most 63 characters)'],
    [{ name: 'orchid', handle: '' }, 'cluster "orchid": handle "" must be a DNS label (lowercase letters, digits and "-", at most 63 characters)'],
    [{ name: 'orchid', handle: 'a_b' }, 'cluster "orchid": handle "a_b" must be a DNS label (lowercase letters, digits and "-", at most 63 characters)'],
    [{ name: 'orchid', handle: 'a'.repeat(64) },
      `cluster "orchid": handle "${'a'.repeat(64)}" must be a DNS label (lowercase letters, digits and "-", at most 63 characters)`],
    [{ name: 'orchid', namespace: '' }, 'cluster "orchid": namespace must not be empty'],
    [{ name: 'orchid', namespace: 'Infra' },
      'cluster "orchid": namespace "Infra" must consist of lowercase letters, digits and "-", and start and end with a letter or digit'],
    [{ name: 'orchid', namespace: 'a.b' },
      'cluster "orchid": namespace "a.b" must consist of lowercase letters, digits and "-", and start and end with a letter or digit'],
    [{ name: 'orchid', namespace: 'a'.repeat(64) }, 'cluster "orchid": namespace "' + 'a'.repeat(64) + '" is 64 characters long; at most 63 are allowed'],
  ] as Array<[PluralClusterProps, string]>)('GIVEN %p WHEN built THEN it is refused', (p, message) => {
    expect(() => new PluralCluster(Testing.chart(), 'cluster', p)).toThrow(message);
  });

  test('GIVEN a name with dots and a DNS-label handle WHEN built THEN it is accepted', () => {
    expect(synth({ name: 'orchid.dev', handle: 'orchid-dev' }).spec.handle).toBe('orchid-dev');
  });

  test('GIVEN a handle of 63 characters WHEN built THEN it is accepted', () => {
    expect(synth({ name: 'orchid', handle: 'a'.repeat(63) }).spec.handle).toBe('a'.repeat(63));
  });
});
