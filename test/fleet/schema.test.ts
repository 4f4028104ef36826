/**
 * fleet.schema.json, generated from src/fleet/props.ts by `npm run schema`, is what editors check
 * fleet.yaml with and what the loader's shape checks are derived from.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import { load } from 'js-yaml';
import SCHEMA from '../../fleet.schema.json';

const ROOT = path.resolve(__dirname, '..', '..');

describe('fleet.schema.json', () => {
  const validate = new Ajv({ allErrors: true, strict: false }).compile(SCHEMA);

  test('GIVEN the example fleet.yaml and the docs\' reference WHEN validated against the schema THEN both are valid', () => {
    const docs = fs.readFileSync(path.join(ROOT, 'docs', 'fleet-yaml.md'), 'utf8');
    const reference = /```yaml\n([\s\S]*?)```/.exec(docs)![1];
    for (const text of [fs.readFileSync(path.join(ROOT, 'fleet.yaml'), 'utf8'), reference]) {
      expect(validate(load(text)) ? [] : validate.errors).toEqual([]);
    }
  });

  test('GIVEN the example fleet.yaml THEN its first line points editors at the schema', () => {
    expect(fs.readFileSync(path.join(ROOT, 'fleet.yaml'), 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=./fleet.schema.json');
  });

  test('GIVEN a misspelt key or a mistyped id WHEN validated THEN the schema refuses it, as the loader does', () => {
    expect(validate({ name: 'f', cilium: { version: '1.18.1' }, clusters: [{ name: 'a', id: 1.5, tier: 'dev', region: 'r', dnsZone: 'a.b', dnszone: 'x' }] })).toBe(false);
    expect(validate.errors!.map((e) => `${e.instancePath} ${e.message}`)).toEqual(expect.arrayContaining(['/clusters/0 must NOT have additional properties', '/clusters/0/id must be integer']));
  });

  test('GIVEN every property in the schema THEN it has a description for editors', () => {
    const missing: string[] = [];
    const walk = (node: any, where: string) => {
      for (const [k, v] of Object.entries<any>(node.properties ?? {})) {
        if (!v.description) missing.push(`${where}.${k}`);
      }
    };
    walk(SCHEMA, 'fleet');
    for (const [name, def] of Object.entries<any>((SCHEMA as any).definitions)) walk(def, name);
    expect(missing).toEqual([]);
  });
});
