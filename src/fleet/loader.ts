/** Reads fleet.yaml: YAML with source positions, shape checks from fleet.schema.json, every fault at once with file:line:column. */
import * as fs from 'fs';
import { distance as levenshtein } from 'fastest-levenshtein';
import FLEET_SCHEMA from '../../fleet.schema.json';
import { FaultCollector, FleetValidationError } from './errors';
import { Fleet } from './fleet';
import { FleetProps } from './props';
import { parseYamlSource, Span, YamlSource, YamlSyntaxError } from './yaml-source';

/** The shape of one fleet.yaml value, for structural checks. */
type Shape =
  | { kind: 'string' }
  | { kind: 'int' }
  | { kind: 'bool' }
  | { kind: 'stringMap' }
  | { kind: 'enumInt'; values: number[] }
  | { kind: 'object'; fields: Record<string, Shape> }
  | { kind: 'list'; items: Shape }
  | { kind: 'stringOrObject'; fields: Record<string, Shape> };

/** A JSON Schema node, as fleet.schema.json holds them. */
interface SchemaNode {
  readonly $ref?: string;
  readonly type?: string;
  readonly enum?: readonly unknown[];
  readonly properties?: Record<string, SchemaNode>;
  readonly additionalProperties?: boolean | SchemaNode;
  readonly items?: SchemaNode;
  readonly anyOf?: readonly SchemaNode[];
  readonly definitions?: Record<string, SchemaNode>;
}

/**
 * The shape checks of fleet.yaml, derived from fleet.schema.json (itself generated from the props by
 * `npm run schema`): every key fleet.yaml may hold; anything else is reported as unknown. Not ajv (a
 * dependency, for the upstream schemas): loading and compiling fleet.schema.json with it takes about 82 ms,
 * a tenth of a 1,000-cluster synth, on every run; these checks read the same schema in about 1 ms and
 * report with the file:line:column of each value.
 */
function shapeOf(schema: SchemaNode, node: SchemaNode = schema): Shape {
  const resolved = node.$ref ? schema.definitions![node.$ref.replace('#/definitions/', '')] : node;
  if (resolved.anyOf) {
    const object = resolved.anyOf.map((n) => shapeOf(schema, n)).find((x): x is Extract<Shape, { kind: 'object' }> => x.kind === 'object');
    if (!object) throw new Error('fleet.schema.json: anyOf without an object branch');
    return { kind: 'stringOrObject', fields: object.fields };
  }
  switch (resolved.type) {
    case 'string':
      return { kind: 'string' };
    case 'boolean':
      return { kind: 'bool' };
    case 'integer':
      return { kind: 'int' };
    case 'number':
      if (resolved.enum) return { kind: 'enumInt', values: resolved.enum as number[] };
      return { kind: 'int' };
    case 'array':
      return { kind: 'list', items: shapeOf(schema, resolved.items!) };
    case 'object':
      if (resolved.properties) {
        return { kind: 'object', fields: Object.fromEntries(Object.entries(resolved.properties).map(([k, v]) => [k, shapeOf(schema, v)])) };
      }
      return { kind: 'stringMap' };
    default:
      throw new Error(`fleet.schema.json: unsupported node ${JSON.stringify(resolved).slice(0, 80)}`);
  }
}

const FLEET_SHAPE: Shape = shapeOf(FLEET_SCHEMA as SchemaNode);

/** Most clusters in a fleet (Cilium meshes hold at most 511; this is a fleet of many meshes). */
export const MAX_CLUSTERS = 100_000;
/** Most tiers in a fleet. */
export const MAX_TIERS = 1_000;
/** Most Multigres deployments in a fleet. */
export const MAX_DEPLOYMENTS = 1_000;

/** Longest fleet description read: 16 MiB holds some 100,000 clusters, and bounds the loader's memory and time. */
export const MAX_FLEET_CHARS = 16 * 1024 * 1024;

/**
 * Reads a fleet description from YAML text and validates it. Every fault (YAML syntax, unknown or
 * mistyped keys, and every rule of `Fleet`) is reported at once with `file:line:column`.
 *
 * @param text the YAML text
 * @param file the file name used in messages
 * @throws FleetValidationError
 */
export function parseFleet(text: string, file = 'fleet.yaml'): Fleet {
  if (text.length > MAX_FLEET_CHARS) {
    throw new FleetValidationError([{ path: '', location: `${file}:1:1`, message: `fleet: the file is ${text.length} characters long; a fleet description is at most ${MAX_FLEET_CHARS} (`
      + `16 MiB: some 100,000 clusters); split the fleet` }]);
  }
  let source: YamlSource;
  try {
    source = parseYamlSource(text, join);
  } catch (e) {
    if (!(e instanceof YamlSyntaxError)) throw e;
    throw new FleetValidationError([{ path: '', location: `${file}:${e.line}:${e.col}`, message: `yaml syntax error: ${e.message}${syntaxHint(e.message)}` }]);
  }
  const where = (offset: number) => {
    const { line, col } = source.position(offset);
    return `${file}:${line}:${col}`;
  };
  const offsets = new Map<string, number>();
  const faults = new FaultCollector((path) => {
    for (let p = path; p.length > 0; p = parentPath(p)) {
      const o = offsets.get(p) ?? source.values.get(p)?.start;
      if (o !== undefined) return where(o);
    }
    // A fault of the whole file (a key missing at the top): where its content starts.
    return where(source.values.get('')?.start ?? 0);
  });
  const raw = source.value as Record<string, unknown>;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    const found = text.trim() === '' ? 'the file is empty'
      : raw === null || raw === undefined ? 'the file holds only comments'
        : Array.isArray(raw) ? `the file is a YAML list (of ${raw.length} item${raw.length === 1 ? '' : 's'})`
          : `the file is a single ${typeof raw} (${JSON.stringify(raw).slice(0, 40)})`;
    faults.add('', `fleet: ${found}; a fleet description is a YAML mapping with at least name, cilium and clusters (see docs/fleet-yaml.md, shipped in the meshfleet package)`);
    faults.throwIfAny();
  }
  // Lists longer than any fleet has are refused before anything is checked: each entry costs work.
  for (const [field, list, max] of [
    ['clusters', raw.clusters, MAX_CLUSTERS], ['tiers', raw.tiers, MAX_TIERS],
    ['multigres.deployments', (raw.multigres as Record<string, unknown> | null | undefined)?.deployments, MAX_DEPLOYMENTS],
  ] as const) {
    if (Array.isArray(list) && list.length > max) faults.add(field, `fleet: ${field} has ${list.length} entries; at most ${max} are allowed`);
  }
  faults.throwIfAny();
  const subject = (path: string) => {
    const d = /^multigres\.deployments\[(\d+)\]/.exec(path);
    if (d) {
      const dep = ((raw.multigres as Record<string, unknown> | undefined)?.deployments as Array<Record<string, unknown>> | undefined)?.[Number(d[1])];
      return `multigres deployment "${dep && typeof dep.name === 'string' ? dep.name : d[1]}"`;
    }
    const m = /^clusters\[(\d+)\]/.exec(path);
    if (m) {
      const c = (raw.clusters as Array<Record<string, unknown>> | undefined)?.[Number(m[1])];
      return c && typeof c.name === 'string' && c.name ? `cluster "${c.name}"` : `clusters[${m[1]}]`;
    }
    return 'fleet';
  };
  const props = decode(raw, FLEET_SHAPE, '', { text, source, offsets, cover: (p) => faults.cover(p) }, (path, message) => {
    const who = subject(path);
    // An entry that is not a mapping has no name to go by: the fleet reports it by its path.
    const whole = /^(clusters|multigres\.deployments)\[\d+\]$/.test(path);
    faults.add(path, whole ? `fleet: ${message}` : `${who}: ${who === 'fleet' ? message : message.replace(/^(clusters|multigres\.deployments)\[\d+\]\./, '')}`);
  }) as FleetProps;
  try {
    return new Fleet(props ?? ({} as FleetProps), faults, file);
  } catch (e) {
    if (e instanceof FleetValidationError) {
      // Report faults in file order.
      const keyed = e.faults.map((f, i) => ({ f, key: lineOf(f.location), i }));
      keyed.sort((a, b) => a.key - b.key || a.i - b.i);
      throw new FleetValidationError(keyed.map((k) => k.f), e.omitted);
    }
    throw e;
  }
}

/**
 * Reads and validates a fleet file.
 * @throws FleetValidationError, or an Error naming the file when it cannot be read
 */
export function loadFleet(file: string): Fleet {
  let text: string;
  try {
    // A file over the limit is refused before it is read (a pull request could commit gigabytes).
    const size = fs.statSync(file).size;
    if (size > MAX_FLEET_CHARS) {
      throw new FleetValidationError([{ path: '', location: `${file}:1:1`, message: `fleet: the file is ${size} bytes long; a fleet description is at most ${MAX_FLEET_CHARS} (16 MiB: some 100,000 clusters); split the fleet` }]);
    }
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof FleetValidationError) throw e;
    throw new Error(`cannot read fleet file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseFleet(text, file);
}

/** What to do about the YAML syntax errors people make in fleet.yaml, in plain words. */
function syntaxHint(message: string): string {
  if (/tab characters/.test(message)) return ' (indent with spaces only)';
  if (/bad indentation of a (mapping|sequence) entry/.test(message)) {
    return ' (this line is indented differently from the keys of the same entry: align it with them, using spaces)';
  }
  if (/duplicated mapping key/.test(message)) return ' (a key appears twice in the same mapping: keep one)';
  if (/end of the stream or a document separator is expected/.test(message)) return ' (a line starts further left than its entry, or a value is followed by stray text)';
  if (/unexpected end of the stream within a (double|single) quoted scalar/.test(message)) return ' (a quote is not closed)';
  return '';
}

function lineOf(location?: string): number {
  const m = /:(\d+):(\d+)$/.exec(location ?? '');
  return m ? Number(m[1]) * 10000 + Number(m[2]) : Number.MAX_SAFE_INTEGER;
}

function parentPath(path: string): string {
  const i = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
  return i <= 0 ? '' : path.slice(0, i);
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

type Report = (path: string, message: string) => void;

function describe(value: unknown, ctx: DecodeContext, path: string): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number' && !Number.isFinite(value)) return `${sourceOf(ctx, path) ?? value} (not a finite number)`;
  return JSON.stringify(value);
}

interface DecodeContext {
  readonly text: string;
  readonly source: YamlSource;
  /** Marks a path as covered by a fault already reported (see `FaultCollector.cover`). */
  readonly cover: (path: string) => void;
  /** Locations of keys reported as unknown (the key, not its value). */
  readonly offsets: Map<string, number>;
}

function sourceOf(ctx: DecodeContext, path: string): string | undefined {
  const span: Span | undefined = ctx.source.values.get(path);
  return span ? ctx.text.slice(span.start, span.end).trim() : undefined;
}

const isMapping = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Decodes a YAML value by shape, reporting every mismatch; mismatched values are dropped. */
function decode(value: unknown, shape: Shape, path: string, ctx: DecodeContext, report: Report): unknown {
  const label = path || 'the file';
  switch (shape.kind) {
    case 'string':
      if (typeof value === 'string') return value;
      if (typeof value === 'number') {
        report(path, `${label} must be a string (got the number ${value}; quote it: "${sourceOf(ctx, path) ?? value}")`);
        return undefined;
      }
      report(path, `${label} must be a string (got ${describe(value, ctx, path)})`);
      return undefined;
    case 'int':
    case 'enumInt':
      if (typeof value === 'number' && Number.isInteger(value)) {
        if (shape.kind === 'enumInt' && !shape.values.includes(value)) {
          report(path, `${label} must be ${shape.values.join(' or ')} (got ${value})`);
          return undefined;
        }
        return value;
      }
      report(path, `${label} must be an integer (got ${describe(value, ctx, path)})`);
      return undefined;
    case 'bool':
      if (typeof value === 'boolean') return value;
      report(path, `${label} must be true or false (got ${describe(value, ctx, path)})`);
      return undefined;
    case 'stringMap': {
      if (!isMapping(value)) {
        report(path, `${label} must be a mapping of strings (got ${describe(value, ctx, path)})`);
        return undefined;
      }
      const out: Record<string, string> = {};
      for (const [key, v] of Object.entries(value)) {
        const vpath = join(path, key);
        if (typeof v === 'string') out[key] = v;
        else report(vpath, `${vpath} must be a string (got ${describe(v, ctx, vpath)}; quote it)`);
      }
      return out;
    }
    case 'list': {
      if (!Array.isArray(value)) {
        report(path, `${label} must be a list (got ${describe(value, ctx, path)})`);
        return undefined;
      }
      return value.map((item, i) => decode(item, shape.items, `${path}[${i}]`, ctx, report));
    }
    case 'stringOrObject':
      if (typeof value === 'string') return value;
      return decode(value, { kind: 'object', fields: shape.fields }, path, ctx, report);
    case 'object': {
      if (!isMapping(value)) {
        report(path, `${label} must be a mapping (got ${describe(value, ctx, path)})`);
        return undefined;
      }
      const out: Record<string, unknown> = {};
      for (const [key, v] of Object.entries(value)) {
        const kpath = join(path, key);
        const field = Object.prototype.hasOwnProperty.call(shape.fields, key) ? shape.fields[key] : undefined;
        if (!field) {
          const keySpan = ctx.source.keys.get(kpath);
          if (keySpan) ctx.offsets.set(kpath, keySpan.start);
          const hint = suggest(key, Object.keys(shape.fields));
          report(kpath, `unknown key "${key}"${path ? ` in ${path}` : ''}${hint ? ` (did you mean "${hint}"?)` : ''}`);
          // The hint names the key meant: its absence is this fault, not another one.
          if (hint && !Object.prototype.hasOwnProperty.call(value, hint)) ctx.cover(join(path, hint));
          continue;
        }
        const decoded = decode(v, field, kpath, ctx, report);
        if (decoded !== undefined) out[key] = decoded;
      }
      return out;
    }
  }
}

/** The known key closest to a misspelt one, if any is close. */
function suggest(key: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of known) {
    const d = k.toLowerCase() === key.toLowerCase() ? 0 : levenshtein(key, k);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}
