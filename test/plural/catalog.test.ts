import { Testing, Yaml } from 'cdk8s';
import { Catalog, CatalogProps } from '../../src/plural/catalog';

function synth(p: CatalogProps): any {
  const chart = Testing.chart();
  new Catalog(chart, 'catalog', p);
  const docs = chart.toJson();
  expect(docs).toHaveLength(1);
  return docs[0];
}

describe('Catalog', () => {
  test('GIVEN a catalog with every option WHEN synthesized THEN the YAML matches the snapshot', () => {
    const chart = Testing.chart();
    new Catalog(chart, 'catalog', { name: 'orchid', author: 'Platform team', description: 'Fleet automations', category: 'clusters' });
    expect(Yaml.stringify(...chart.toJson())).toMatchSnapshot();
  });

  test('GIVEN a minimal catalog WHEN synthesized THEN the YAML matches the snapshot', () => {
    const chart = Testing.chart();
    new Catalog(chart, 'catalog', { name: 'orchid', author: 'Platform team' });
    expect(Yaml.stringify(...chart.toJson())).toMatchSnapshot();
  });

  test('GIVEN a catalog WHEN synthesized THEN it is cluster-scoped (no metadata.namespace) and spec.name is the name', () => {
    const obj = synth({ name: 'orchid', author: 'Platform team' });
    expect(obj.apiVersion).toBe('deployments.plural.sh/v1alpha1');
    expect(obj.kind).toBe('Catalog');
    expect(obj.metadata).toEqual({ name: 'orchid' });
    expect(obj.metadata.namespace).toBeUndefined();
    expect(obj.spec).toEqual({ name: 'orchid', author: 'Platform team' });
  });

  test('GIVEN a description and category WHEN synthesized THEN both are written', () => {
    const obj = synth({ name: 'orchid', author: 'a', description: 'd', category: 'c' });
    expect(obj.spec).toEqual({ name: 'orchid', author: 'a', description: 'd', category: 'c' });
  });

  test('GIVEN the construct WHEN built THEN it exposes its name and the L1 resource as child "Resource"', () => {
    const c = new Catalog(Testing.chart(), 'catalog', { name: 'orchid', author: 'a' });
    expect(c.name).toBe('orchid');
    expect(c.node.findChild('Resource')).toBe(c.resource);
  });

  test.each([
    [{ name: '', author: 'a' }, 'catalog "": metadata name is missing'],
    [{ name: 'Orchid', author: 'a' }, 'catalog "Orchid": name "Orchid" must be a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", at most 253 characters)'],
    [{ name: 'orchid', author: '' }, 'catalog "orchid": author is required'],
    [{ name: 'orchid', author: undefined as unknown as string }, 'catalog "orchid": author is required'],
  ] as Array<[CatalogProps, string]>)('GIVEN %p WHEN built THEN it is refused', (p, message) => {
    expect(() => new Catalog(Testing.chart(), 'catalog', p)).toThrow(message);
  });
});
