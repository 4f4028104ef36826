/** YAML output as cdk8s writes it, with verbatim scalars (a delivery engine's template expressions), and Helm's merge of values files. */
import { stringify, Tags } from 'yaml';
import { PlainYamlWriter, YamlOptions } from './plain-yaml';

/**
 * A scalar written into YAML exactly as given, neither quoted nor escaped: a template expression a
 * delivery engine renders (Plural's Liquid). It is placed on the YAML tree, so no string value, whatever
 * it holds, can become one.
 */
export interface IVerbatimScalar {
  /** The text written in place of the value. */
  readonly verbatimYaml: string;
}

/** True when `x` is a verbatim scalar. */
export function isVerbatim(x: unknown): x is IVerbatimScalar {
  return x !== null && typeof x === 'object' && typeof (x as IVerbatimScalar).verbatimYaml === 'string';
}

const VERBATIM_TAG: Tags[number] = {
  tag: 'tag:meshfleet,2026:verbatim',
  default: true,
  identify: isVerbatim,
  resolve: (source: string) => source,
  stringify: (node) => (node as { value: IVerbatimScalar }).value.verbatimYaml,
};

/**
 * Writes values (which may hold verbatim scalars) as YAML text, the way `cdk8s`'s `Yaml.stringify`
 * does. `undefined` values are dropped (never written as `null`, which would delete a chart default);
 * key order is kept.
 */
export function stringifyYaml(values: unknown): string {
  return VALUES_WRITER.write(values) ?? stringify(dropUndefined(values), VALUES_OPTIONS);
}

const VALUES_OPTIONS: YamlOptions = { lineWidth: 0, version: '1.1', customTags: [VERBATIM_TAG], aliasDuplicateObjects: false };
const VALUES_WRITER = new PlainYamlWriter(VALUES_OPTIONS, true, (x) => (isVerbatim(x) ? x.verbatimYaml : undefined));

/** The options `cdk8s`'s `Yaml.stringify` writes each document with. */
const CDK8S_OPTIONS: YamlOptions = { keepUndefined: true, lineWidth: 0, version: '1.1' };
const CDK8S_WRITER = new PlainYamlWriter(CDK8S_OPTIONS, false);

/**
 * Writes documents as `cdk8s`'s `Yaml.stringify(...docs)` does, byte for byte, without a `yaml`
 * document tree per object where the documents are plain data.
 */
export function stringifyManifests(docs: readonly unknown[]): string {
  return docs.map((d) => (d === undefined ? '\n' : CDK8S_WRITER.write(d) ?? stringify(d, CDK8S_OPTIONS))).join('---\n');
}

function dropUndefined(value: unknown): unknown {
  if (isVerbatim(value)) return value;
  if (Array.isArray(value)) return value.filter((v) => v !== undefined).map(dropUndefined);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) out[k] = dropUndefined(v);
    }
    return out;
  }
  return value;
}

/**
 * Deep-merges Helm values the way Helm merges several values files: maps merge key by key,
 * anything else (lists included) is replaced by the later value. Neither input is changed.
 */
export function mergeValues(base: unknown, override: unknown): unknown {
  if (isPlainObject(base) && isPlainObject(override)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(override)) {
      out[k] = k in out ? mergeValues(out[k], v) : v;
    }
    return out;
  }
  return override === undefined ? base : override;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x) && !isVerbatim(x);
}
