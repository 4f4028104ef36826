import { Testing, Yaml } from 'cdk8s';
import {
  PrAutomationSpecConfigurationType as FieldType,
  PrAutomationSpecUpdatesYamlOverlaysListMerge as ListMerge,
} from '../../imports/plural-prautomation-deployments.plural.sh';
import { PrAutomation, PrAutomationProps } from '../../src/plural/pr-automation';
import { clusterIdRegex, clusterNameRegex } from '../../src/targets/plural/form-regex';

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
      repository: 'templates',
      configuration: [
        { name: 'name', type: FieldType.STRING, documentation: 'Cluster name.', regex: '^[a-z]+$', default: 'dev' },
        { name: 'clusterId', type: FieldType.INT, documentation: 'Cluster id.' },
        { name: 'tier', type: FieldType.ENUM, documentation: 'Tier.', values: ['dev', 'prod'], optional: true },
      ],
      yamlOverlays: [
        { file: 'fleet.yaml', yaml: 'clusters:\n- name: "{{ context.name }}"\n', listMerge: ListMerge.APPEND },
        { file: 'static.yaml', yaml: 'enabled: true\n' },
        { file: 'tiers.yaml', yaml: '{% if context.tier == "prod" %}replicas: 3{% endif %}\n' },
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
    expect(obj.spec.repositoryRef).toBeUndefined();
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
      repository: 'templates',
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

  const RE = (regex: string): Partial<PrAutomationProps> => ({
    configuration: [
      { name: 'name', type: FieldType.STRING, documentation: 'x', regex },
      { name: 'clusterId', type: FieldType.INT, documentation: 'i' },
    ],
  });

  test.each([
    '^a|b$',
    '^(a)|(b)$',
    '^a$|^b$',
    '^[a-z]+|[0-9]+$',
    '^a|(?:b)$',
    '^\\\\|a$',
    '^[]|a]$',
    '^[^]|a]$',
  ])('GIVEN the regex %p whose anchors bind only some alternatives WHEN built THEN it is refused', (regex) => {
    expect(() => build(props(RE(regex)))).toThrow(
      `${A}: field "name": regex "${regex}" has a top-level "|", so ^ and $ do not bind every alternative; group them as ^(?:...|...)$`);
  });

  test.each([
    '^a\\$',
    '^[a-z]+\\$',
    '^a$b',
    '^(?:a$)',
    '^a[$]',
  ])('GIVEN the regex %p whose final $ is escaped or not the final anchor WHEN built THEN it is refused', (regex) => {
    expect(() => build(props(RE(regex)))).toThrow(`${A}: field "name": regex "${regex}" must be anchored with ^ and $`);
  });

  test.each([
    '^(?:a|b)$',
    '^(a|b)$',
    '^[a|b]+$',
    '^a\\|b$',
    '^a\\\\$',
    '^(?:a|(?:b|c))[|]$',
    '^[\\]|]+$',
    '^$',
    clusterIdRegex([{ min: 1, max: 255 }]),
    clusterIdRegex([{ min: 1, max: 9 }, { min: 200, max: 255 }]),
    clusterNameRegex(),
  ])('GIVEN the anchored regex %p WHEN built THEN it is accepted', (regex) => {
    expect(() => build(props(RE(regex)))).not.toThrow();
  });

  test.each([
    [{ source: 'templates/x.yaml', destination: '../../etc/x.yaml' },
      `${A}: creates.destination "../../etc/x.yaml" must be a path relative to the repository root, without ".."`],
    [{ source: 'templates/x.yaml', destination: '/etc/x.yaml' },
      `${A}: creates.destination "/etc/x.yaml" must be a path relative to the repository root, without ".."`],
    [{ source: 'templates/x.yaml', destination: 'clusters/{{ context.name }}/../../x.yaml' },
      `${A}: creates.destination "clusters/{{ context.name }}/../../x.yaml" must be a path relative to the repository root, without ".."`],
    [{ source: 'templates/x.yaml', destination: '' }, `${A}: creates.destination must not be empty`],
    [{ source: '../x.yaml', destination: 'x.yaml' }, `${A}: creates.source "../x.yaml" must be a path relative to the repository root, without ".."`],
    [{ source: '/x.yaml', destination: 'x.yaml' }, `${A}: creates.source "/x.yaml" must be a path relative to the repository root, without ".."`],
    [{ source: '', destination: 'x.yaml' }, `${A}: creates.source must not be empty`],
  ])('GIVEN the created file %p WHEN built THEN it is refused', (created, message) => {
    expect(() => build(props({ creates: [created] }))).toThrow(message);
  });

  test('GIVEN a created file whose destination uses a declared field WHEN built THEN it is accepted', () => {
    const obj = synth(props({ creates: [{ source: 'templates/x.yaml', destination: 'clusters/{{ context.name }}/x.yaml' }] }));
    expect(obj.spec.creates.templates[0].destination).toBe('clusters/{{ context.name }}/x.yaml');
  });

  test('GIVEN an external created file without repository WHEN built THEN it is refused', () => {
    expect(() => build(props({ creates: [{ source: 'templates/x.yaml', destination: 'x.yaml', external: true }] }))).toThrow(
      `${A}: creates.source "templates/x.yaml" is external, which needs repository (the GitRepository holding it)`);
  });

  test('GIVEN an external created file and a repository WHEN synthesized THEN spec.repositoryRef names the cluster-scoped GitRepository', () => {
    const obj = synth(props({ repository: 'templates', creates: [{ source: 'templates/x.yaml', destination: 'x.yaml', external: true }] }));
    expect(obj.spec.repositoryRef).toEqual({ name: 'templates' });
    expect(obj.spec.creates.templates).toEqual([{ source: 'templates/x.yaml', destination: 'x.yaml', external: true }]);
  });

  test('GIVEN a repository without external templates WHEN synthesized THEN spec.repositoryRef is still written', () => {
    expect(synth(props({ repository: 'templates' })).spec.repositoryRef).toEqual({ name: 'templates' });
  });

  const SUBDOMAIN = 'must be a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", at most 253 characters)';
  test.each([
    [{ repository: '' }, `${A}: repository must not be empty`],
    [{ repository: 'Templates' }, `${A}: repository "Templates" ${SUBDOMAIN}`],
    [{ catalog: '' }, `${A}: catalog must not be empty`],
    [{ catalog: 'orchid mesh' }, `${A}: catalog "orchid mesh" ${SUBDOMAIN}`],
    [{ scmConnection: 'Plural' }, `${A}: scmConnection "Plural" ${SUBDOMAIN}`],
    [{ branch: '' }, `${A}: branch must not be empty`],
    [{ branch: ' ' }, `${A}: branch must not be empty`],
  ] as Array<[Partial<PrAutomationProps>, string]>)('GIVEN the reference %p WHEN built THEN it is refused', (overrides, message) => {
    expect(() => build(props(overrides))).toThrow(message);
  });

  test.each([
    ['{% if context.name == "x" %}a: 1{% endif %}\n', 'a.yaml'],
    ['{%- for i in (1..3) -%}- {{ i }}\n{%- endfor -%}\n', 'a.yaml'],
    ['a: 1\n', 'clusters/{% if context.name %}x{% endif %}.yaml'],
  ])('GIVEN the overlay %j on %j that uses a Liquid tag WHEN synthesized THEN it is marked templated', (yaml, file) => {
    const obj = synth(props({ yamlOverlays: [{ file, yaml }] }));
    expect(obj.spec.updates.yamlOverlays[0].templated).toBe(true);
  });

  test.each([
    ['{% if context.tier == "prod" %}a: 1{% endif %}', 'tier'],
    ['{% if context.name == "x" and context.zone %}a: 1{% endif %}', 'zone'],
    ['{%- assign r = context.region | upcase -%}r: {{ r }}', 'region'],
    ['{% if context.name %}\n{% case context.size %}{% endcase %}{% endif %}', 'size'],
  ])('GIVEN the overlay %j whose tag uses an undeclared field WHEN built THEN it is refused', (yaml, field) => {
    expect(() => build(props({ yamlOverlays: [{ file: 'a.yaml', yaml }] }))).toThrow(
      `${A}: "context.${field}" is used in a {% %} tag but "${field}" is not a field of the form`);
  });

  test('GIVEN tags that use only declared fields WHEN built THEN they are accepted', () => {
    expect(() => build(props({
      title: '{% if context.name %}Create {{ context.name }}{% endif %}',
      yamlOverlays: [{ file: 'a.yaml', yaml: '{% if context.name == "x" and context.clusterId > 3 %}a: 1{% endif %}\n{% comment %}mycontext.x{% endcomment %}' }],
    }))).not.toThrow();
  });
});
