import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { UpstreamSchemas } from '../../src/schemas/upstream-schemas';

/** Builds a throw-away shared folder, so these tests run on a fresh clone too. */
function fixture(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meshfleet-shared-'));
  fs.mkdirSync(path.join(dir, 'crds', 'example'), { recursive: true });
  // two CRDs in one file: 4-space indentation, versions listed out of order, a block scalar
  // whose text looks like keys, one version not served
  fs.writeFileSync(path.join(dir, 'crds', 'example', 'widgets.yaml'), [
    '# comment before the first document',
    '---',
    'apiVersion: apiextensions.k8s.io/v1',
    'kind: CustomResourceDefinition',
    'metadata:',
    '    name: widgets.example.com',
    'spec:',
    '    group: example.com',
    '    names:',
    '        kind: Widget',
    '        plural: widgets',
    '    scope: Cluster',
    '    versions:',
    '        -   served: false',
    '            name: v1alpha1',
    '            storage: false',
    '            schema:',
    '                openAPIV3Schema: {type: object}',
    '        -   name: v1',
    '            served: true',
    '            storage: true',
    '            schema:',
    '                openAPIV3Schema:',
    '                    type: object',
    '                    description: |',
    '                        spec:',
    '                          group: wrong.example.com',
    '                    properties:',
    '                        spec:',
    '                            type: object',
    '                            required: [size]',
    '                            properties:',
    '                                size: {type: integer, format: int32}',
    '                                port: {x-kubernetes-int-or-string: true}',
    '                                note: {type: string, nullable: true, pattern: "^\\\\pL+$"}',
    '                                extra: {type: object, x-kubernetes-preserve-unknown-fields: true, properties: {a: {type: string}}}',
    '---',
    '{"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",',
    ' "spec": {"group": "example.com", "scope": "Namespaced", "names": {"kind": "Gadget"},',
    '  "versions": [{"name": "v1", "served": true, "schema": {"openAPIV3Schema": {"type": "object",',
    '   "properties": {"spec": {"type": "object", "properties": {"on": {"type": "boolean"}}}}}}}]}}',
    '---',
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata: {name: not-a-crd}',
  ].join('\n'));
  fs.mkdirSync(path.join(dir, 'schemas', 'example.com-1.0.0'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'schemas', 'example.com-1.0.0', 'thing_v2.json'), JSON.stringify({
    type: 'object',
    properties: { apiVersion: { enum: ['example.com/v2'] }, kind: { const: 'Thing' }, metadata: { type: 'object' }, spec: { type: 'object', properties: { n: { type: 'integer' } }, additionalProperties: false } },
  }));
  fs.mkdirSync(path.join(dir, 'cilium', '1.2.3'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'cilium', '1.2.3', 'values.schema.json'), JSON.stringify({
    $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: { cluster: { type: 'object', properties: { id: { type: 'integer' } } } },
  }));
  return dir;
}

describe('UpstreamSchemas on a fixture folder', () => {
  let dir: string;
  let schemas: UpstreamSchemas;
  beforeAll(() => {
    dir = fixture();
    schemas = UpstreamSchemas.load(dir);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('indexes both CRDs of a multi-document file, every version, and the JSON schema', () => {
    expect(schemas.kinds().filter((k) => k.source !== 'core')).toEqual([
      { apiVersion: 'example.com/v1', kind: 'Gadget', clusterScoped: false, source: path.join('crds', 'example', 'widgets.yaml') },
      { apiVersion: 'example.com/v1', kind: 'Widget', clusterScoped: true, source: path.join('crds', 'example', 'widgets.yaml') },
      { apiVersion: 'example.com/v1alpha1', kind: 'Widget', clusterScoped: true, source: path.join('crds', 'example', 'widgets.yaml') },
      { apiVersion: 'example.com/v2', kind: 'Thing', clusterScoped: undefined, source: path.join('schemas', 'example.com-1.0.0', 'thing_v2.json') },
    ]);
    expect(schemas.warnings).toEqual([
      `${path.join('crds', 'example', 'widgets.yaml')}: skipped a document that is not an apiextensions.k8s.io CustomResourceDefinition`,
    ]);
    expect(schemas.chartVersions()).toEqual(['1.2.3']);
  });

  test('converted keywords: int-or-string, nullable, int32, \\pL, preserve-unknown-fields', () => {
    const w = (spec: unknown) => schemas.validateManifest({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec });
    expect(w({ size: 1, port: 'http', note: null, extra: { a: 'x', b: 1 } })).toEqual([]);
    expect(w({ size: 1, port: 8080, note: 'Ünïcode' })).toEqual([]);
    expect(w({ size: 2 ** 31, port: true, note: 'a1', colour: 'red' })).toEqual([
      'Widget w: /spec has unknown field "colour"',
      'Widget w: /spec/size must match format "int32" (got 2147483648)',
      'Widget w: /spec/port must be integer or string',
      'Widget w: /spec/note must match pattern "^\\pL+$" (got "a1")',
    ]);
  });

  test('a version that is not served', () => {
    expect(schemas.validateManifest({ apiVersion: 'example.com/v1alpha1', kind: 'Widget', metadata: { name: 'w' } })).toEqual([
      `Widget w: example.com/v1alpha1 is not served by the Widget CRD (${path.join('crds', 'example', 'widgets.yaml')})`,
    ]);
  });

  test('unknown fields can be allowed', () => {
    const lenient = UpstreamSchemas.load(dir, { unknownFields: false });
    expect(lenient.validateManifest({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 1, colour: 'red' } })).toEqual([]);
  });

  test('JSON schema kinds of unknown scope skip the scope check', () => {
    expect(schemas.validateManifest({ apiVersion: 'example.com/v2', kind: 'Thing', metadata: { name: 't' }, spec: { n: 'x' } })).toEqual([
      'Thing t: /spec/n must be integer',
    ]);
    expect(schemas.isClusterScoped('example.com/v2', 'Thing')).toBeUndefined();
  });

  test('chart values', () => {
    expect(schemas.validateCiliumValues('1.2.3', { cluster: { id: 'one' } })).toEqual(['cilium 1.2.3 values: /cluster/id must be integer']);
    expect(schemas.validateCiliumValues('9.9.9', {})).toEqual(['unknown cilium chart version "9.9.9" (known: 1.2.3)']);
  });
});
