import { Testing, Yaml } from 'cdk8s';
import {
  PrAutomationSpecConfigurationType as FieldType,
  PrAutomationSpecUpdatesYamlOverlaysListMerge as ListMerge,
} from '../../imports/plural-prautomation-deployments.plural.sh';
import { PrAutomation, PrAutomationProps } from '../../src/plural/pr-automation';
import { clusterIdRegex, clusterNameRegex } from '../../src/plural/regex';

function props(overrides: Partial<PrAutomationProps> = {}): PrAutomationProps {
  return {
    name: 'orchid-cluster-creator',
    scmConnection: 'plural',
    title: 'Create cluster {{ context.name }}',
    message: 'Appends cluster {{ context.name }} (id {{ context.clusterId }})',
    documentation: 'Creates a cluster.',
    configuration: [
      { name: 'name', type: FieldType.STRING, documentation: 'Cluster name.', regex: clusterNameRegex() },
      { name: 'clusterId', type: FieldType.STRING, documentation: 'Cluster id.', regex: clusterIdRegex([{ min: 1, max: 255 }]) },
    ],
    yamlOverlays: [{ file: 'fleet.yaml', yaml: 'clusters:\n- name: "{{ context.name }}"\n  id: {{ context.clusterId }}\n', listMerge: ListMerge.APPEND }],
    ...overrides,
  };
}

function synth(p: PrAutomationProps): any {
  const chart = Testing.chart();
  new PrAutomation(chart, 'pra', p);
  const docs = chart.toJson();
  expect(docs).toHaveLength(1);
  return docs[0];
}

function build(p: PrAutomationProps): void {
  new PrAutomation(Testing.chart(), 'pra', p);
}

describe('PrAutomation', () => {
  test('GIVEN an automation with overlays, creates and every option WHEN synthesized THEN the YAML matches the snapshot', () => {
    const chart = Testing.chart();
    new PrAutomation(chart, 'pra', props({
      identifier: 'acme/fleet',
      branch: 'main',
      catalog: 'orchid',
      configuration: [
        { name: 'name', type: FieldType.STRING, documentation: 'Cluster name.', regex: '^[a-z]+$', default: 'dev' },
        { name: 'clusterId', type: FieldType.INT, documentation: 'Cluster id.' },
        { name: 'tier', type: FieldType.ENUM, documentation: 'Tier.', values: ['dev', 'prod'], optional: true },
      ],
      yamlOverlays: [
        { file: 'fleet.yaml', yaml: 'clusters:\n- name: "{{ context.name }}"\n', listMerge: ListMerge.APPEND },
        { file: 'static.yaml', yaml: 'enabled: true\n' },
      ],
      creates: [
        { source: 'templates/cluster.yaml', destination: 'clusters/{{ context.name }}.yaml' },
        { source: 'templates/stack.tf', destination: 'terraform/{{ context.name }}/main.tf', external: true },
      ],
    }));
    expect(Yaml.stringify(...chart.toJson())).toMatchSnapshot();
  });

  test('GIVEN a minimal automation WHEN synthesized THEN the YAML matches the snapshot', () => {
    const chart = Testing.chart();
    new PrAutomation(chart, 'pra', props());
    expect(Yaml.stringify(...chart.toJson())).toMatchSnapshot();
  });

  test('GIVEN an automation WHEN synthesized THEN it is cluster-scoped (no metadata.namespace) and names itself', () => {
    const obj = synth(props());
    expect(obj.apiVersion).toBe('deployments.plural.sh/v1alpha1');
    expect(obj.kind).toBe('PrAutomation');
    expect(obj.metadata).toEqual({ name: 'orchid-cluster-creator' });
    expect(obj.metadata.namespace).toBeUndefined();
    expect(obj.spec.name).toBe('orchid-cluster-creator');
    expect(obj.spec.scmConnectionRef).toEqual({ name: 'plural' });
    expect(obj.spec.documentation).toBe('Creates a cluster.');
    expect(obj.spec.title).toBe('Create cluster {{ context.name }}');
  });

  test('GIVEN no identifier, branch or catalog WHEN synthesized THEN none is written', () => {
    const obj = synth(props());
    expect(obj.spec.identifier).toBeUndefined();
    expect(obj.spec.branch).toBeUndefined();
    expect(obj.spec.catalogRef).toBeUndefined();
    expect(obj.spec.creates).toBeUndefined();
  });

  test('GIVEN a catalog WHEN synthesized THEN catalogRef names it', () => {
    expect(synth(props({ catalog: 'orchid' })).spec.catalogRef).toEqual({ name: 'orchid' });
  });

  test('GIVEN creates templates WHEN synthesized THEN external: false is written explicitly unless set', () => {
    const obj = synth(props({
      yamlOverlays: undefined,
      creates: [
        { source: 'a', destination: 'x/{{ context.name }}.yaml' },
        { source: 'b', destination: 'y.yaml', external: false },
        { source: 'c', destination: 'z.yaml', external: true },
      ],
    }));
    expect(obj.spec.creates).toEqual({
      templates: [
        { source: 'a', destination: 'x/{{ context.name }}.yaml', external: false },
        { source: 'b', destination: 'y.yaml', external: false },
        { source: 'c', destination: 'z.yaml', external: true },
      ],
    });
    expect(obj.spec.updates).toBeUndefined();
    expect(Yaml.stringify(obj)).toContain('external: false');
  });

  test('GIVEN overlays with and without {{ context.x }} WHEN synthesized THEN only the templated ones carry templated: true', () => {
    const obj = synth(props({
      yamlOverlays: [
        { file: 'fleet.yaml', yaml: 'clusters:\n- name: "{{ context.name }}"\n', listMerge: ListMerge.APPEND },
        { file: 'clusters/{{ context.name }}.yaml', yaml: 'enabled: true\n' },
        { file: 'static.yaml', yaml: 'enabled: true\n', listMerge: ListMerge.OVERWRITE },
      ],
    }));
    expect(obj.spec.updates.yamlOverlays).toEqual([
      { file: 'fleet.yaml', yaml: 'clusters:\n- name: "{{ context.name }}"\n', listMerge: 'APPEND', templated: true },
      { file: 'clusters/{{ context.name }}.yaml', yaml: 'enabled: true\n', templated: true },
      { file: 'static.yaml', yaml: 'enabled: true\n', listMerge: 'OVERWRITE' },
    ]);
  });

  test('GIVEN an overlay without listMerge WHEN synthesized THEN listMerge is left to Plural\'s default (OVERWRITE)', () => {
    const obj = synth(props({ yamlOverlays: [{ file: 'a.yaml', yaml: 'a: 1\n' }] }));
    expect(obj.spec.updates.yamlOverlays[0].listMerge).toBeUndefined();
  });

  test('GIVEN fields WHEN synthesized THEN the regex is written as validation.regex and unset options are omitted', () => {
    const obj = synth(props({
      configuration: [
        { name: 'name', type: FieldType.STRING, documentation: 'n', regex: '^[a-z]+$' },
        { name: 'clusterId', type: FieldType.INT, documentation: 'i', optional: true, default: '1' },
        { name: 'tier', type: FieldType.ENUM, documentation: 't', values: ['dev', 'prod'] },
      ],
    }));
    expect(obj.spec.configuration).toEqual([
      { name: 'name', type: 'STRING', documentation: 'n', validation: { regex: '^[a-z]+$' } },
      { name: 'clusterId', type: 'INT', documentation: 'i', optional: true, default: '1' },
      { name: 'tier', type: 'ENUM', documentation: 't', values: ['dev', 'prod'] },
    ]);
  });

  test('GIVEN a values array WHEN it is changed after construction THEN the output does not change', () => {
    const values = ['dev'];
    const chart = Testing.chart();
    new PrAutomation(chart, 'pra', props({
      configuration: [{ name: 'name', type: FieldType.ENUM, documentation: 'n', values }, { name: 'clusterId', type: FieldType.INT, documentation: 'i' }],
    }));
    values.push('prod');
    expect(chart.toJson()[0].spec.configuration[0].values).toEqual(['dev']);
  });

  test('GIVEN the construct WHEN built THEN it exposes its name and the L1 resource as child "Resource"', () => {
    const chart = Testing.chart();
    const pra = new PrAutomation(chart, 'pra', props());
    expect(pra.name).toBe('orchid-cluster-creator');
    expect(pra.node.findChild('Resource')).toBe(pra.resource);
  });

  test.each([
    '{{context.name}}',
    '{{ context.name }}',
    '{{   context.clusterId | default: 1 }}',
  ])('GIVEN the title %p using declared fields WHEN built THEN it is accepted', (title) => {
    expect(() => build(props({ title }))).not.toThrow();
  });

  const A = 'pr automation "orchid-cluster-creator"';
  test.each([
    [{ name: '' }, 'pr automation "": metadata name is missing'],
    [{ name: 'Creator' }, 'pr automation "Creator": name "Creator" must be a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", at most 253 characters)'],
    [{ scmConnection: '' }, `${A}: scmConnection is required`],
    [{ yamlOverlays: undefined }, `${A}: it changes nothing; give yamlOverlays or creates`],
    [{ yamlOverlays: [], creates: [] }, `${A}: it changes nothing; give yamlOverlays or creates`],
    [{ configuration: [{ name: '1name', type: FieldType.STRING, documentation: 'x' }] }, `${A}: field name "1name" must be an identifier`],
    [{ configuration: [{ name: 'cluster-id', type: FieldType.STRING, documentation: 'x' }] }, `${A}: field name "cluster-id" must be an identifier`],
    [{ configuration: [{ name: '', type: FieldType.STRING, documentation: 'x' }] }, `${A}: field name "" must be an identifier`],
    [{ configuration: [{ name: 'name', type: FieldType.STRING, documentation: 'x' }, { name: 'name', type: FieldType.INT, documentation: 'y' }] },
      `${A}: field "name" is declared twice`],
    [{ configuration: [{ name: 'name', type: FieldType.STRING, documentation: 'x', regex: '[a-z]+$' }] },
      `${A}: field "name": regex "[a-z]+$" must be anchored with ^ and $`],
    [{ configuration: [{ name: 'name', type: FieldType.STRING, documentation: 'x', regex: '^[a-z]+' }] },
      `${A}: field "name": regex "^[a-z]+" must be anchored with ^ and $`],
    [{ configuration: [{ name: 'name', type: FieldType.STRING, documentation: 'x', regex: '' }] },
      `${A}: field "name": regex "" must be anchored with ^ and $`],
    [{ configuration: [{ name: 'name', type: FieldType.STRING, documentation: 'x', regex: '^[a-z$' }] },
      `${A}: field "name": regex "^[a-z$" does not compile: Invalid regular expression: /^[a-z$/: Unterminated character class`],
    [{ configuration: [{ name: 'name', type: FieldType.STRING, documentation: 'x', regex: '^(a$' }] },
      `${A}: field "name": regex "^(a$" does not compile: Invalid regular expression: /^(a$/: Unterminated group`],
    [{ configuration: [{ name: 'name', type: FieldType.ENUM, documentation: 'x' }] }, `${A}: field "name" is an ENUM without values`],
    [{ configuration: [{ name: 'name', type: FieldType.ENUM, documentation: 'x', values: [] }] }, `${A}: field "name" is an ENUM without values`],
    [{ configuration: [{ name: 'name', type: FieldType.STRING, documentation: 'x' }] },
      `${A}: "{{ context.clusterId }}" is used but "clusterId" is not a field of the form`],
    [{ title: 'Create {{ context.region }}' }, `${A}: "{{ context.region }}" is used but "region" is not a field of the form`],
    [{ message: 'in {{context.zone}}' }, `${A}: "{{ context.zone }}" is used but "zone" is not a field of the form`],
    [{ yamlOverlays: [{ file: 'clusters/{{ context.tier }}.yaml', yaml: 'a: 1' }] },
      `${A}: "{{ context.tier }}" is used but "tier" is not a field of the form`],
    [{ creates: [{ source: 's', destination: 'clusters/{{ context.tier }}.yaml' }] },
      `${A}: "{{ context.tier }}" is used but "tier" is not a field of the form`],
    [{ yamlOverlays: [{ file: '', yaml: 'a: 1' }] }, `${A}: yamlOverlays.file must not be empty`],
    [{ yamlOverlays: [{ file: '/fleet.yaml', yaml: 'a: 1' }] },
      `${A}: yamlOverlays.file "/fleet.yaml" must be a path relative to the repository root, without ".."`],
    [{ yamlOverlays: [{ file: '../fleet.yaml', yaml: 'a: 1' }] },
      `${A}: yamlOverlays.file "../fleet.yaml" must be a path relative to the repository root, without ".."`],
  ] as Array<[Partial<PrAutomationProps>, string]>)('GIVEN %p WHEN built THEN it is refused', (overrides, message) => {
    expect(() => build(props(overrides))).toThrow(message);
  });

  test('GIVEN only creates WHEN built THEN it is accepted without overlays', () => {
    expect(() => build(props({ yamlOverlays: undefined, creates: [{ source: 's', destination: 'd' }] }))).not.toThrow();
  });

  // KNOWN BUG (reported): the anchoring check only looks at the first and last character, so a
  // top-level alternation (`^a|b$`) passes although it matches "xb" and "ax".
  test.failing('GIVEN a regex whose anchors bind only one alternative WHEN built THEN it is refused as unanchored', () => {
    expect(() => build(props({
      configuration: [
        { name: 'name', type: FieldType.STRING, documentation: 'x', regex: '^a|b$' },
        { name: 'clusterId', type: FieldType.INT, documentation: 'i' },
      ],
    }))).toThrow();
  });

  // KNOWN BUG (reported): creates[].destination is not checked like yamlOverlays[].file, so a
  // destination outside the repository is accepted.
  test.failing('GIVEN a created file whose destination leaves the repository WHEN built THEN it is refused', () => {
    expect(() => build(props({ creates: [{ source: 'templates/x.yaml', destination: '../../etc/x.yaml' }] }))).toThrow();
  });

  // KNOWN BUG (reported): `external: true` takes the template from spec.repositoryRef, but the
  // construct has no way to set it and does not refuse external templates, so the object is unusable.
  test.failing('GIVEN an external created file WHEN built THEN spec.repositoryRef is written or the template is refused', () => {
    let obj: any;
    try {
      obj = synth(props({ creates: [{ source: 'templates/x.yaml', destination: 'x.yaml', external: true }] }));
    } catch {
      return;
    }
    expect(obj.spec.repositoryRef).toBeDefined();
  });

  // KNOWN BUG (reported): `templated` is set only when the overlay contains "{{", so an overlay that
  // uses only Liquid tags (`{% ... %}`) is applied unrendered.
  test.failing('GIVEN an overlay that uses only a Liquid tag WHEN synthesized THEN it is marked templated', () => {
    const obj = synth(props({ yamlOverlays: [{ file: 'a.yaml', yaml: '{% if context.name == "x" %}a: 1{% endif %}\n' }] }));
    expect(obj.spec.updates.yamlOverlays[0].templated).toBe(true);
  });
});
