/**
 * Kubernetes structural schemas as ajv checks them: the conversion to plain JSON Schema, an ajv whose
 * regular expressions are Go RE2 (re2js) and whose formats are Kubernetes', and readable error messages.
 */
import * as net from 'net';
import Ajv, { ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import { RE2JS } from 're2js';

/** Formats checked here; every other `format` is ignored, as the API server ignores unknown ones. */
const FORMATS = new Set(['int32', 'int64', 'float', 'double', 'date-time', 'byte', 'cidr', 'ipv4', 'ipv6']);

/** Patterns RE2 refused; they accept anything and are reported as warnings. */
export const badPatterns = new Map<string, string>();

/** Compiles an RE2 pattern (CRD `pattern`s are Go RE2) into a tester with search semantics, as JSON Schema wants. */
export function re2Tester(pattern: string): { test: (s: string) => boolean; toString: () => string } {
  try {
    const re = RE2JS.compile(pattern);
    // ajv keys its cache of compiled patterns by toString(): it must be unique per pattern.
    return { test: (s: string) => re.matcher(s).find(), toString: () => `re2:${pattern}` };
  } catch (e) {
    badPatterns.set(pattern, (e as Error).message);
    return { test: () => true, toString: () => `re2-unsupported:${pattern}` };
  }
}

const re2Engine = Object.assign((pattern: string) => re2Tester(pattern), { code: 're2Tester' });

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** JSON pointer escaping of one path segment. */
export function ptr(seg: string | number): string {
  return '/' + String(seg).replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Converts a Kubernetes structural schema (openAPIV3Schema) into plain JSON Schema that ajv
 * checks the way the API server does: `nullable`, `x-kubernetes-int-or-string`,
 * `x-kubernetes-embedded-resource`, unknown formats dropped, and (when `unknownFields`)
 * `additionalProperties: false` on every structural object that declares `properties`
 * and does not preserve unknown fields.
 */
export function convertK8sSchema(node: unknown, unknownFields: boolean, structural = true): unknown {
  if (Array.isArray(node)) return node.map((n) => convertK8sSchema(n, unknownFields, structural));
  if (!isPlainObject(node)) return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k.startsWith('x-kubernetes-') || k === 'nullable' || k === 'description' || k === 'default' || k === 'example') continue;
    switch (k) {
      case 'properties':
      case 'patternProperties':
      case 'definitions':
      case '$defs':
        out[k] = isPlainObject(v)
          ? Object.fromEntries(Object.entries(v).map(([pk, pv]) => [pk, convertK8sSchema(pv, unknownFields, true)]))
          : v;
        break;
      case 'items':
      case 'additionalProperties':
      case 'additionalItems':
        out[k] = convertK8sSchema(v, unknownFields, true);
        break;
      case 'allOf':
      case 'anyOf':
      case 'oneOf':
      case 'not':
        out[k] = convertK8sSchema(v, unknownFields, false);
        break;
      case 'format':
        if (typeof v === 'string' && FORMATS.has(v)) out[k] = v;
        break;
      default:
        out[k] = v;
    }
  }
  if (node['x-kubernetes-int-or-string'] === true) {
    // usually given with anyOf [integer, string] already; then the anyOf alone decides
    if (Array.isArray(out.anyOf)) delete out.type;
    else out.type = ['integer', 'string'];
  }
  if (node.nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (Array.isArray(out.type) && !out.type.includes('null')) out.type = [...out.type, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  }
  if (node['x-kubernetes-embedded-resource'] === true && isPlainObject(out.properties)) {
    out.properties = { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, ...out.properties };
  }
  if (
    unknownFields && structural
    && isPlainObject(out.properties)
    && out.additionalProperties === undefined
    && node['x-kubernetes-preserve-unknown-fields'] !== true
    && (out.type === undefined || out.type === 'object')
  ) {
    out.additionalProperties = false;
  }
  return out;
}

/** An ajv for Kubernetes schemas: RE2 patterns, Kubernetes formats (ajv-formats, plus `cidr`). */
export function newAjv(): Ajv {
  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    validateSchema: false,
    logger: false,
    // optimize: false halves compile time of the big CRDs (ApplicationSet: 1.5 s -> 0.6 s)
    code: { regExp: re2Engine as never, optimize: false },
  });
  addFormats(ajv, ['int32', 'int64', 'float', 'double', 'date-time', 'byte', 'ipv4', 'ipv6']);
  ajv.addFormat('cidr', (s: string) => {
    const m = /^([^/]+)\/(\d{1,3})$/.exec(s);
    if (!m) return false;
    const v = net.isIP(m[1]);
    return v !== 0 && Number(m[2]) <= (v === 4 ? 32 : 128);
  });
  return ajv;
}

export function describe(obj: Record<string, unknown>): string {
  const kind = typeof obj.kind === 'string' && obj.kind ? obj.kind : '<no kind>';
  const md = isPlainObject(obj.metadata) ? obj.metadata : {};
  const name = typeof md.name === 'string' && md.name ? md.name : '<no name>';
  const ns = typeof md.namespace === 'string' && md.namespace ? `${md.namespace}/` : '';
  return `${kind} ${ns}${name}`;
}

/**
 * Describes a manifest the way error messages name it: `Kind namespace/name`
 * (`Kind name` for objects without a namespace).
 *
 * @param obj a Kubernetes object
 * @returns e.g. `GlobalService infra/cilium-dev`
 */
export function describeManifest(obj: unknown): string {
  return isPlainObject(obj) ? describe(obj) : '<not an object>';
}

export function fmtValue(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** Resolves a JSON pointer (as in ajv's `instancePath`) in a value. */
function valueAt(root: unknown, pointer: string): unknown {
  let cur = root;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

/** Turns ajv errors into `<path> <message>` strings, folding anyOf/oneOf noise. */
export function formatAjvErrors(errors: ErrorObject[] | null | undefined, root: unknown): string[] {
  if (!errors) return [];
  const dataAt = (e: ErrorObject): unknown => valueAt(root, e.instancePath);
  const out: string[] = [];
  const unions = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const consumed = new Set<ErrorObject>();
  for (const u of unions) {
    const subs = errors.filter((e) => e !== u && e.schemaPath.startsWith(u.schemaPath + '/'));
    if (subs.length > 0 && subs.every((e) => e.keyword === 'type' && e.instancePath === u.instancePath)) {
      const types = [...new Set(subs.flatMap((e) => String((e.params as { type: string | string[] }).type).split(',')))];
      out.push(`${u.instancePath || '/'} must be ${types.join(' or ')} (got ${fmtValue(dataAt(u))})`);
      consumed.add(u);
      subs.forEach((e) => consumed.add(e));
    } else if (subs.length > 0 && subs.every((e) => e.keyword === 'required' && e.instancePath === u.instancePath)) {
      const props = [...new Set(subs.map((e) => (e.params as { missingProperty: string }).missingProperty))];
      out.push(`${u.instancePath || '/'} must have at least one of the properties ${props.map((p) => `'${p}'`).join(', ')}`);
      consumed.add(u);
      subs.forEach((e) => consumed.add(e));
    }
  }
  for (const e of errors) {
    if (consumed.has(e) || e.keyword === 'if') continue;
    const at = e.instancePath || '/';
    switch (e.keyword) {
      case 'additionalProperties':
        out.push(`${at} has unknown field "${(e.params as { additionalProperty: string }).additionalProperty}"`);
        break;
      case 'type':
        out.push(`${at} must be ${String((e.params as { type: string | string[] }).type).split(',').join(' or ')}`);
        break;
      case 'enum':
        out.push(`${at} must be one of ${((e.params as { allowedValues: unknown[] }).allowedValues).map(fmtValue).join(', ')} (got ${fmtValue(dataAt(e))})`);
        break;
      case 'pattern':
      case 'format':
      case 'minimum':
      case 'maximum':
      case 'exclusiveMinimum':
      case 'exclusiveMaximum':
      case 'minLength':
      case 'maxLength':
        out.push(`${at} ${e.message} (got ${fmtValue(dataAt(e))})`);
        break;
      default:
        out.push(`${at} ${e.message}`);
    }
  }
  return [...new Set(out)];
}

