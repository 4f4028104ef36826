/**
 * The plain-data YAML writer (src/k8s/plain-yaml.ts) against the `yaml` library it stands in for: the same
 * bytes for every document of the example trees; and the fast IPv4 CIDR path against ipaddr.js on its edge
 * cases. The random documents and CIDRs (thousands of each) are in test/load/yaml-cidr-property.test.ts.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments, stringify } from 'yaml';
import { parseCidr } from '../../src/k8s/cidr';
import { stringifyManifests, stringifyYaml } from '../../src/k8s/yaml';

const CDK8S = { keepUndefined: true, lineWidth: 0, version: '1.1' } as const;

function yamlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.yaml'))
    .map((e) => path.join(e.parentPath, e.name));
}

describe('plain-data YAML writer', () => {
  test('every document of the committed example trees is written as yaml writes it', () => {
    const files = yamlFiles(path.join(__dirname, '..', '..', 'dist'));
    expect(files.length).toBeGreaterThan(20);
    let docs = 0;
    for (const f of files) {
      for (const doc of parseAllDocuments(fs.readFileSync(f, 'utf8'))) {
        const value = doc.toJS();
        if (value === null || typeof value !== 'object') continue;
        docs++;
        expect(stringifyManifests([value])).toBe(stringify(value, CDK8S));
        expect(stringifyYaml(value)).toBe(stringify(value, { lineWidth: 0, version: '1.1', aliasDuplicateObjects: false }));
      }
    }
    expect(docs).toBeGreaterThan(100);
  });

  test('several documents and an empty one are joined as cdk8s joins them', () => {
    const docs = [{ a: 1 }, undefined, {}, { b: ['x', { c: 'yes' }] }];
    expect(stringifyManifests(docs)).toBe(docs.map((d) => (d === undefined ? '\n' : stringify(d, CDK8S))).join('---\n'));
  });
});

describe('IPv4 CIDR parsing', () => {
  test.each([
    ['10.0.0.0/8', 167772160, 184549375],
    ['0.0.0.0/0', 0, 4294967295],
    ['255.255.255.255/32', 4294967295, 4294967295],
    ['192.168.1.0/24', 3232235776, 3232236031],
  ])('GIVEN %s THEN its range is %d-%d', (text, first, last) => {
    expect(parseCidr(text)).toEqual({ text, first, last });
  });

  test.each([
    ['10.0.0.1/24', 'has host bits set (the network address of a /24 here is 10.0.0.0)'],
    ['10.0.0.0/33', 'must be an IPv4 CIDR such as "10.1.0.0/16"'],
    ['256.0.0.0/8', 'must be an IPv4 CIDR such as "10.1.0.0/16"'],
    ['10.0.0/8', 'must be an IPv4 CIDR such as "10.1.0.0/16"'],
  ])('GIVEN %s THEN it is refused: %s', (text, reason) => {
    expect(parseCidr(text)).toBe(reason);
  });

  test('GIVEN octets or a prefix with a leading zero THEN ipaddr.js answers (it reads 010 as octal 8)', () => {
    expect(parseCidr('010.0.0.0/8')).toEqual({ text: '010.0.0.0/8', first: 134217728, last: 150994943 });
    expect(parseCidr('10.0.0.0/08')).toEqual({ text: '10.0.0.0/08', first: 167772160, last: 184549375 });
  });
});
