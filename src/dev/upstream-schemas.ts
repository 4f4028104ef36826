import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import * as YAML from 'yaml';

/**
 * Options for {@link UpstreamSchemas.load}.
 */
export interface UpstreamSchemasOptions {
  /**
   * Report fields that the schema of a custom resource does not declare.
   *
   * The API server prunes such fields silently (or rejects them under
   * `kubectl apply --validate=strict`), so a misspelled key in a GitOps file
   * simply disappears. Objects marked `x-kubernetes-preserve-unknown-fields`
   * and maps (`additionalProperties`) still accept any key.
   *
   * @default true - an undeclared field is an error
   */
  readonly unknownFields?: boolean;
}

/**
 * One kind that {@link UpstreamSchemas} knows about.
 */
export interface KnownKind {
  /** `group/version`, or `v1` for the core group. */
  readonly apiVersion: string;
  /** The kind, e.g. `GlobalService`. */
  readonly kind: string;
  /**
   * Whether the kind is cluster-scoped.
   *
   * @default - undefined when the scope is not known (schema-only kinds of unknown scope)
   */
  readonly clusterScoped?: boolean;
  /**
   * Where the kind comes from: the CRD or JSON schema file (relative to the shared folder),
   * or `core` for built-in Kubernetes kinds that only get structural checks.
   */
  readonly source: string;
}

/** A CRD document found in a file, before its (lazy) full parse. */
interface CrdHeader {
  readonly group: string;
  readonly kind: string;
  readonly scope?: string;
  readonly versions: ReadonlyArray<{ readonly name: string; readonly served: boolean }>;
}

/** A kind backed by a schema, compiled on first use. */
interface SchemaEntry {
  readonly apiVersion: string;
  readonly kind: string;
  readonly clusterScoped?: boolean;
  readonly served: boolean;
  readonly file: string;
  readonly relFile: string;
  /** Returns the raw (unconverted) openAPIV3Schema / JSON schema. */
  readonly loadSchema: () => unknown;
  validator?: ValidateFunction;
}

/** A built-in Kubernetes kind (no schema, structural checks only). */
interface CoreKind {
  readonly clusterScoped: boolean;
  readonly name: NameRule;
}

type NameRule = 'subdomain' | 'label' | 'dns1035' | 'path-segment';

const CORE_KINDS: Record<string, Record<string, CoreKind>> = {
  'v1': {
    Namespace: { clusterScoped: true, name: 'label' },
    Secret: { clusterScoped: false, name: 'subdomain' },
    ConfigMap: { clusterScoped: false, name: 'subdomain' },
    Service: { clusterScoped: false, name: 'dns1035' },
    ServiceAccount: { clusterScoped: false, name: 'subdomain' },
    Pod: { clusterScoped: false, name: 'subdomain' },
    PersistentVolumeClaim: { clusterScoped: false, name: 'subdomain' },
    PersistentVolume: { clusterScoped: true, name: 'subdomain' },
    Endpoints: { clusterScoped: false, name: 'subdomain' },
    LimitRange: { clusterScoped: false, name: 'subdomain' },
    ResourceQuota: { clusterScoped: false, name: 'subdomain' },
  },
  'apps/v1': {
    Deployment: { clusterScoped: false, name: 'subdomain' },
    StatefulSet: { clusterScoped: false, name: 'subdomain' },
    DaemonSet: { clusterScoped: false, name: 'subdomain' },
    ReplicaSet: { clusterScoped: false, name: 'subdomain' },
  },
  'rbac.authorization.k8s.io/v1': {
    Role: { clusterScoped: false, name: 'path-segment' },
    RoleBinding: { clusterScoped: false, name: 'path-segment' },
    ClusterRole: { clusterScoped: true, name: 'path-segment' },
    ClusterRoleBinding: { clusterScoped: true, name: 'path-segment' },
  },
  'networking.k8s.io/v1': {
    NetworkPolicy: { clusterScoped: false, name: 'subdomain' },
    Ingress: { clusterScoped: false, name: 'subdomain' },
    IngressClass: { clusterScoped: true, name: 'subdomain' },
  },
};

/**
 * Scopes of cilium.io kinds. The JSON schemas in `schemas/` are converted from live CRDs and
 * lose `spec.scope`, so the scope is taken from this table (Cilium's `pkg/k8s/apis/cilium.io`).
 */
const CILIUM_SCOPES: Record<string, boolean> = {
  CiliumNetworkPolicy: false,
  CiliumClusterwideNetworkPolicy: true,
  CiliumLoadBalancerIPPool: true,
  CiliumEndpoint: false,
  CiliumEndpointSlice: true,
  CiliumNode: true,
  CiliumIdentity: true,
  CiliumExternalWorkload: true,
  CiliumLocalRedirectPolicy: false,
  CiliumEgressGatewayPolicy: true,
  CiliumEnvoyConfig: false,
  CiliumClusterwideEnvoyConfig: true,
  CiliumCIDRGroup: true,
  CiliumL2AnnouncementPolicy: true,
  CiliumPodIPPool: true,
  CiliumNodeConfig: false,
  CiliumBGPClusterConfig: true,
  CiliumBGPPeerConfig: true,
  CiliumBGPAdvertisement: true,
  CiliumBGPNodeConfig: true,
  CiliumBGPNodeConfigOverride: true,
};

/** Directory-name prefixes of `schemas/<prefix>-<version>/` mapped to API groups. */
const SCHEMA_DIR_GROUPS: Record<string, string> = { cilium: 'cilium.io' };

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const IANA_SVC_NAME = /^(?=.*[a-z])[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** Formats checked here; every other `format` is ignored, as the API server ignores unknown ones. */
const FORMATS = new Set(['int32', 'int64', 'float', 'double', 'date-time', 'byte', 'cidr', 'ipv4', 'ipv6']);

const UNICODE_GENERAL_CATEGORIES = new Set([
  'C', 'Cc', 'Cf', 'Co', 'Cs', 'L', 'Ll', 'Lm', 'Lo', 'Lt', 'Lu', 'M', 'Mc', 'Me', 'Mn',
  'N', 'Nd', 'Nl', 'No', 'P', 'Pc', 'Pd', 'Pe', 'Pf', 'Pi', 'Po', 'Ps', 'S', 'Sc', 'Sk', 'Sm', 'So',
  'Z', 'Zl', 'Zp', 'Zs',
]);

const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z', alpha: 'A-Za-z', ascii: '\\x00-\\x7F', blank: '\\t ', cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9', graph: '!-~', lower: 'a-z', print: ' -~', punct: '!-\\/:-@\\[-`{-~', space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z', word: '0-9A-Za-z_', xdigit: '0-9A-Fa-f',
};

/** Characters that may be escaped with `\` in a JavaScript `u`-mode regexp outside a class. */
const U_SYNTAX = new Set('^$\\.*+?()[]{}|/'.split(''));

/**
 * Converts a Go RE2 regular expression (as used in CRD `pattern`s) into an equivalent
 * JavaScript regular expression source for the `u` flag, plus the flags it needs.
 *
 * Handles `\pX`/`\PX` single-letter Unicode classes (`\PC` becomes `\P{C}`), `\p{Greek}`
 * script names, `\p{^X}` negation, `\z`/`\A`, leading `(?i)`/`(?s)` flags, `(?P<name>`,
 * POSIX classes such as `[[:alpha:]]`, `\Q...\E`, `\x{...}`, lone braces and escaped
 * punctuation that `u` mode rejects.
 *
 * @param pattern the RE2 pattern
 * @returns the JavaScript source and the extra flags (`i`, `s`) it needs
 */
export function convertRe2Pattern(pattern: string): { source: string; flags: string } {
  let src = pattern;
  let flags = '';
  const lead = /^\(\?([imsU]+)\)/.exec(src);
  if (lead) {
    src = src.slice(lead[0].length);
    for (const f of lead[1]) {
      if (f === 'i' || f === 's') flags += f;
      // 'm' changes ^/$ semantics; 'U' (ungreedy) has no JS equivalent: leave them to fail below
      if (f === 'm') flags += 'm';
    }
  }
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      const n = src[i + 1];
      if (n === undefined) { out += '\\\\'; break; }
      if (n === 'p' || n === 'P') {
        let name: string;
        let negate = n === 'P';
        if (src[i + 2] === '{') {
          const end = src.indexOf('}', i + 3);
          name = src.slice(i + 3, end < 0 ? src.length : end);
          i = end < 0 ? src.length : end;
        } else {
          name = src[i + 2] ?? '';
          i += 2;
        }
        if (name.startsWith('^')) { negate = !negate; name = name.slice(1); }
        const prop = UNICODE_GENERAL_CATEGORIES.has(name) || name === 'Any' ? name : `Script=${name}`;
        out += prop === 'Any' ? (negate ? '[^\\s\\S]' : '[\\s\\S]') : `\\${negate ? 'P' : 'p'}{${prop}}`;
        continue;
      }
      if (n === 'Q') {
        const end = src.indexOf('\\E', i + 2);
        const lit = src.slice(i + 2, end < 0 ? src.length : end);
        out += lit.replace(/[\\^$.*+?()[\]{}|/-]/g, (m) => `\\${m}`);
        i = end < 0 ? src.length : end + 1;
        continue;
      }
      if (n === 'x' && src[i + 2] === '{') {
        const end = src.indexOf('}', i + 3);
        out += `\\u{${src.slice(i + 3, end)}}`;
        i = end;
        continue;
      }
      if (!inClass && n === 'z') { out += '$'; i++; continue; }
      if (!inClass && n === 'A') { out += '^'; i++; continue; }
      if (/[A-Za-z0-9]/.test(n)) { out += c + n; i++; continue; }
      // escaped punctuation: keep only where u mode allows it
      if (U_SYNTAX.has(n) || (inClass && n === '-')) out += c + n;
      else out += n;
      i++;
      continue;
    }
    if (inClass) {
      if (c === '[' && src[i + 1] === ':') {
        const end = src.indexOf(':]', i + 2);
        if (end > 0) {
          let name = src.slice(i + 2, end);
          const neg = name.startsWith('^');
          if (neg) name = name.slice(1);
          const cls = POSIX_CLASSES[name];
          if (cls && !neg) { out += cls; i = end + 1; continue; }
        }
      }
      if (c === '[') { out += '\\['; continue; }
      if (c === ']') { inClass = false; out += c; continue; }
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (src[i + 1] === '^') { out += '^'; i++; }
      if (src[i + 1] === ']') { out += '\\]'; i++; } // RE2: a leading ] is literal
      continue;
    }
    if (c === '(' && src.startsWith('(?P<', i)) { out += '(?<'; i += 3; continue; }
    if (c === '{') {
      const q = /^\{\d+(,\d*)?\}/.exec(src.slice(i));
      if (q && out.length > 0) { out += q[0]; i += q[0].length - 1; continue; }
      out += '\\{';
      continue;
    }
    if (c === '}') { out += '\\}'; continue; }
    out += c;
  }
  return { source: out, flags };
}

/** Regexp sources that could not be compiled; matched permissively and reported in `warnings`. */
const badPatterns = new Map<string, string>();

/** The RegExp engine given to ajv: RE2 syntax in, JavaScript `u` regexp out. */
const re2Engine = Object.assign(
  (pattern: string, u: string): { test: (s: string) => boolean } => {
    const { source, flags } = convertRe2Pattern(pattern);
    try {
      return new RegExp(source, u + flags);
    } catch (e1) {
      try {
        return new RegExp(pattern, flags);
      } catch {
        badPatterns.set(pattern, (e1 as Error).message);
        return { test: () => true };
      }
    }
  },
  { code: 're2ToJs' },
);

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** JSON pointer escaping of one path segment. */
function ptr(seg: string | number): string {
  return '/' + String(seg).replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Converts a Kubernetes structural schema (openAPIV3Schema) into plain JSON Schema that ajv
 * checks the way the API server does: `nullable`, `x-kubernetes-int-or-string`,
 * `x-kubernetes-embedded-resource`, unknown formats dropped, and (when `unknownFields`)
 * `additionalProperties: false` on every structural object that declares `properties`
 * and does not preserve unknown fields.
 */
function convertK8sSchema(node: unknown, unknownFields: boolean, structural = true): unknown {
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

function newAjv(): Ajv {
  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    validateSchema: false,
    unicodeRegExp: true,
    logger: false,
    // optimize: false halves compile time of the big CRDs (ApplicationSet: 1.5 s -> 0.6 s)
    code: { regExp: re2Engine, optimize: false },
  });
  const int = (lo: number, hi: number) => ({ type: 'number' as const, validate: (n: number) => Number.isInteger(n) && n >= lo && n <= hi });
  ajv.addFormat('int32', int(-2147483648, 2147483647));
  ajv.addFormat('int64', int(-Number.MAX_VALUE, Number.MAX_VALUE));
  ajv.addFormat('float', { type: 'number', validate: () => true });
  ajv.addFormat('double', { type: 'number', validate: () => true });
  ajv.addFormat('date-time', RFC3339);
  ajv.addFormat('byte', (s: string) => BASE64.test(s.replace(/[\r\n]/g, '')));
  ajv.addFormat('ipv4', (s: string) => net.isIPv4(s));
  ajv.addFormat('ipv6', (s: string) => net.isIPv6(s));
  ajv.addFormat('cidr', (s: string) => {
    const m = /^([^/]+)\/(\d{1,3})$/.exec(s);
    if (!m) return false;
    const v = net.isIP(m[1]);
    return v !== 0 && Number(m[2]) <= (v === 4 ? 32 : 128);
  });
  return ajv;
}

/**
 * Scans a CRD document for `spec.group`, `spec.names.kind`, `spec.scope` and
 * `spec.versions[].{name,served}` by indentation alone, without parsing the (large) schemas.
 * Returns undefined when the document does not look like a block-style CRD; the caller then
 * falls back to a full YAML parse.
 */
function scanCrdHeader(doc: string): CrdHeader | undefined {
  const lines = doc.split('\n');
  const stack: Array<{ indent: number; key: string; item?: object }> = [];
  let isCrd = false;
  let group: string | undefined;
  let kind: string | undefined;
  let scope: string | undefined;
  const versions = new Map<object, { name?: string; served?: boolean }>();
  let blockIndent = -1;
  const scalar = (raw: string): string => {
    const v = raw.replace(/\s+#.*$/, '').trim();
    return v.replace(/^(['"])(.*)\1$/, '$2');
  };
  const deep = ' '.repeat(16);
  for (const line of lines) {
    // the keys we need are shallow; deeper lines (the schemas) cannot change them
    if (line.startsWith(deep)) continue;
    if (blockIndent >= 0) {
      const ind = line.search(/\S/);
      if (ind < 0 || ind > blockIndent) continue;
      blockIndent = -1;
    }
    const m = /^(\s*)(- +)?([A-Za-z0-9_.$-]+|"[^"]*"|'[^']*'):(?:\s+(.*))?$/.exec(line.replace(/\r$/, ''));
    if (!m) continue;
    const dashCol = m[1].length;
    const keyCol = dashCol + (m[2]?.length ?? 0);
    const key = m[3].replace(/^['"]|['"]$/g, '');
    const value = m[4] ?? '';
    let item: object | undefined;
    if (m[2]) {
      while (stack.length && (stack[stack.length - 1].indent > dashCol || (stack[stack.length - 1].indent === dashCol && stack[stack.length - 1].item))) stack.pop();
      item = {};
      stack.push({ indent: dashCol, key: '[]', item });
    } else {
      while (stack.length && stack[stack.length - 1].indent >= keyCol) stack.pop();
    }
    const p = stack.map((s) => s.key).join('.') + (stack.length ? '.' : '') + key;
    if (/^[|>][-+0-9]*\s*(#.*)?$/.test(value.trim())) blockIndent = keyCol;
    const v = scalar(value);
    if (p === 'kind' && v === 'CustomResourceDefinition') isCrd = true;
    else if (p === 'spec.group') group = v;
    else if (p === 'spec.scope') scope = v;
    else if (p === 'spec.names.kind') kind = v;
    else if (p === 'spec.versions.[].name' || p === 'spec.versions.[].served') {
      const owner = [...stack].reverse().find((s) => s.item)?.item;
      if (owner) {
        const rec = versions.get(owner) ?? {};
        if (p.endsWith('name')) rec.name = v; else rec.served = v === 'true';
        versions.set(owner, rec);
      }
    }
    stack.push({ indent: keyCol, key });
  }
  if (!isCrd || !group || !kind || versions.size === 0) return undefined;
  const vs = [...versions.values()];
  if (vs.some((v) => !v.name)) return undefined;
  return { group, kind, scope, versions: vs.map((v) => ({ name: v.name!, served: v.served !== false })) };
}

function listFiles(dir: string, filter: (f: string) => boolean): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const ent of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, ent.name);
    if (ent.isDirectory()) out.push(...listFiles(full, filter));
    else if (filter(ent.name)) out.push(full);
  }
  return out;
}

function splitYamlDocuments(text: string): string[] {
  return text.split(/^---[ \t]*(?:#.*)?\r?$/m).filter((d) => d.trim() !== '' && !/^\s*(#.*\s*)*$/.test(d));
}

function describe(obj: Record<string, unknown>): string {
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

function fmtValue(v: unknown): string {
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
function formatAjvErrors(errors: ErrorObject[] | null | undefined, root: unknown): string[] {
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

/**
 * The upstream schemas in the shared folder, loaded once and compiled lazily: CRDs under
 * `crds/**`, JSON schemas under `schemas/<dir>/*.json` and the Cilium chart's
 * `cilium/<version>/values.schema.json`.
 *
 * Loading only indexes the files (it scans CRD headers without parsing the schemas); a kind's
 * validator is compiled with ajv on first use and cached. Patterns are Go RE2 and are converted
 * to JavaScript `u`-mode regexps. `x-kubernetes-validations` (CEL rules) are not checked.
 *
 * @example
 * const schemas = UpstreamSchemas.load(path.resolve(__dirname, '../../shared'));
 * const errors = schemas.validateManifest(globalService.toJson());
 */
export class UpstreamSchemas {
  /**
   * Indexes the shared folder.
   *
   * @param sharedDir the `shared` folder (holding `crds/`, `schemas/`, `cilium/`)
   * @param options see {@link UpstreamSchemasOptions}
   * @throws if `sharedDir` does not exist
   */
  public static load(sharedDir: string, options: UpstreamSchemasOptions = {}): UpstreamSchemas {
    if (!fs.existsSync(sharedDir)) throw new Error(`shared folder "${sharedDir}" does not exist`);
    return new UpstreamSchemas(path.resolve(sharedDir), options);
  }

  /** The absolute path of the shared folder. */
  public readonly sharedDir: string;

  private readonly entries = new Map<string, SchemaEntry>();
  private readonly warningsList: string[] = [];
  private readonly ajv = newAjv();
  private readonly unknownFields: boolean;
  private readonly parsedFiles = new Map<string, unknown[]>();
  private readonly ciliumValidators = new Map<string, ValidateFunction>();
  private readonly ciliumVersions: string[];

  private constructor(sharedDir: string, options: UpstreamSchemasOptions) {
    this.sharedDir = sharedDir;
    this.unknownFields = options.unknownFields ?? true;
    for (const file of listFiles(path.join(sharedDir, 'crds'), (f) => /\.ya?ml$/.test(f))) this.indexCrdFile(file);
    const schemasDir = path.join(sharedDir, 'schemas');
    for (const file of listFiles(schemasDir, (f) => f.endsWith('.json'))) this.indexJsonSchema(file);
    const ciliumDir = path.join(sharedDir, 'cilium');
    this.ciliumVersions = fs.existsSync(ciliumDir)
      ? fs.readdirSync(ciliumDir)
        .filter((v) => fs.existsSync(path.join(ciliumDir, v, 'values.schema.json')))
        .sort(compareVersions)
      : [];
  }

  /** Problems met while indexing or compiling (skipped files, duplicate kinds, unsupported patterns). */
  public get warnings(): string[] {
    return [
      ...this.warningsList,
      ...[...badPatterns].map(([p, msg]) => `pattern ${JSON.stringify(p)} could not be compiled (${msg}); it accepts anything`),
    ];
  }

  /**
   * Every kind that has a schema, plus the core kinds that get structural checks.
   *
   * @returns the kinds, sorted by apiVersion then kind
   */
  public kinds(): KnownKind[] {
    const out: KnownKind[] = [...this.entries.values()].map((e) => ({
      apiVersion: e.apiVersion, kind: e.kind, clusterScoped: e.clusterScoped, source: e.relFile,
    }));
    for (const [apiVersion, kinds] of Object.entries(CORE_KINDS)) {
      for (const [kind, k] of Object.entries(kinds)) out.push({ apiVersion, kind, clusterScoped: k.clusterScoped, source: 'core' });
    }
    return out.sort((a, b) => a.apiVersion.localeCompare(b.apiVersion) || a.kind.localeCompare(b.kind));
  }

  /**
   * Whether a schema (CRD or JSON schema) exists for this kind. Core kinds such as `v1 Secret`
   * have no schema here (they get structural checks only), so this is false for them.
   *
   * @param apiVersion `group/version`
   * @param kind the kind
   */
  public hasSchema(apiVersion: string, kind: string): boolean {
    return this.entries.has(key(apiVersion, kind));
  }

  /**
   * The scope of a kind.
   *
   * @param apiVersion `group/version` (or `v1`)
   * @param kind the kind
   * @returns true for cluster-scoped kinds, false for namespaced ones, undefined when unknown
   */
  public isClusterScoped(apiVersion: string, kind: string): boolean | undefined {
    const e = this.entries.get(key(apiVersion, kind));
    if (e) return e.clusterScoped;
    return CORE_KINDS[apiVersion]?.[kind]?.clusterScoped;
  }

  /**
   * Validates one Kubernetes object as a GitOps tool would apply it.
   *
   * Checks `metadata` (name present and valid, namespace valid, label and annotation keys and
   * values, annotation values are strings), the scope (`metadata.namespace` present exactly for
   * namespaced kinds), then the body against the upstream schema. Core kinds (`v1`, `apps/v1`,
   * `rbac.authorization.k8s.io/v1`, `networking.k8s.io/v1`) get structural checks only
   * (Secret/ConfigMap data, Service ports) and may carry any field. Any other kind without a
   * schema is an error (`no schema for <apiVersion> <kind>`).
   *
   * @param obj the object (plain JSON, e.g. `ApiObject.toJson()` or a parsed YAML document)
   * @returns error messages like `GlobalService infra/cilium-dev: /spec/template/helm/version must be string`;
   *   empty when the object is valid
   */
  public validateManifest(obj: unknown): string[] {
    if (!isPlainObject(obj)) return [`manifest is not an object (got ${Array.isArray(obj) ? 'an array' : fmtValue(obj)})`];
    const who = describe(obj);
    const errors: string[] = [];
    const { apiVersion, kind } = obj;
    if (typeof apiVersion !== 'string' || apiVersion === '') errors.push('/apiVersion must be a non-empty string');
    if (typeof kind !== 'string' || kind === '') errors.push('/kind must be a non-empty string');
    if (errors.length) return errors.map((e) => `${who}: ${e}`);
    const av = apiVersion as string;
    const k = kind as string;
    const entry = this.entries.get(key(av, k));
    const core = CORE_KINDS[av]?.[k];
    if (!entry && !core) {
      const others = [...this.entries.values()].filter((e) => e.kind === k).map((e) => e.apiVersion);
      const hint = others.length ? ` (${k} is known as ${others.join(', ')})` : '';
      return [`${who}: no schema for ${av} ${k}${hint}`];
    }
    errors.push(...checkMetadata(obj.metadata, core?.name ?? 'subdomain'));
    const clusterScoped = entry ? entry.clusterScoped : core!.clusterScoped;
    const md = isPlainObject(obj.metadata) ? obj.metadata : {};
    if (clusterScoped === true && md.namespace !== undefined) {
      errors.push('is cluster-scoped and must not have metadata.namespace');
    } else if (clusterScoped === false && (md.namespace === undefined || md.namespace === '')) {
      errors.push('is namespaced and has no metadata.namespace');
    }
    if (entry) {
      if (!entry.served) errors.push(`${av} is not served by the ${k} CRD (${entry.relFile})`);
      const validate = this.validatorFor(entry);
      if (!validate(obj)) errors.push(...formatAjvErrors(validate.errors, obj));
    } else {
      errors.push(...checkCoreKind(av, k, obj));
    }
    return errors.map((e) => `${who}: ${e}`);
  }

  /**
   * Validates a set of objects that will be applied together: each with
   * {@link validateManifest}, plus duplicates (same group, kind, namespace and name).
   *
   * @param objs the objects
   * @returns all error messages, in input order
   */
  public validateManifests(objs: readonly unknown[]): string[] {
    const errors: string[] = [];
    const seen = new Map<string, number>();
    objs.forEach((obj, i) => {
      errors.push(...this.validateManifest(obj));
      if (!isPlainObject(obj)) return;
      const md = isPlainObject(obj.metadata) ? obj.metadata : {};
      const group = typeof obj.apiVersion === 'string' ? obj.apiVersion.replace(/\/?[^/]*$/, '') : '';
      const id = `${group}|${String(obj.kind)}|${String(md.namespace ?? '')}|${String(md.name)}`;
      const prev = seen.get(id);
      if (prev !== undefined) errors.push(`${describe(obj)}: duplicate of object #${prev + 1} (objects #${prev + 1} and #${i + 1})`);
      else seen.set(id, i);
    });
    return errors;
  }

  /**
   * Parses a (multi-document) YAML text and validates every document with
   * {@link validateManifests}. Empty documents are skipped; YAML syntax errors are reported.
   *
   * @param text the YAML text
   * @param source a name (file path) prefixed to every message
   * @returns error messages, `<source>: <message>` when source is given
   */
  public validateYaml(text: string, source?: string): string[] {
    const prefix = source ? `${source}: ` : '';
    const docs = YAML.parseAllDocuments(text);
    const errors: string[] = [];
    const objs: unknown[] = [];
    for (const d of Array.isArray(docs) ? docs : [docs]) {
      if (d.errors.length) {
        errors.push(...d.errors.map((e) => `${prefix}${e.message.split('\n')[0]}`));
        continue;
      }
      const js = d.toJS();
      if (js !== null && js !== undefined) objs.push(js);
    }
    return [...errors, ...this.validateManifests(objs).map((e) => prefix + e)];
  }

  /**
   * The Cilium chart versions whose `values.schema.json` is in `cilium/`.
   *
   * @returns versions, oldest first
   */
  public chartVersions(): string[] {
    return [...this.ciliumVersions];
  }

  /**
   * Validates Helm values against the Cilium chart's own `values.schema.json` (draft-07).
   *
   * Note the chart schema has no `additionalProperties: false` anywhere: a misspelled key passes.
   *
   * @param chartVersion e.g. `1.18.1`
   * @param values the values object (before Liquid rendering only if it holds no templated numbers)
   * @returns messages like `cilium 1.18.1 values: /cluster/id must be integer`; an unknown chart
   *   version yields one message naming the known versions
   */
  public validateCiliumValues(chartVersion: string, values: unknown): string[] {
    if (!this.ciliumVersions.includes(chartVersion)) {
      return [`unknown cilium chart version "${chartVersion}" (known: ${this.ciliumVersions.join(', ') || 'none'})`];
    }
    let validate = this.ciliumValidators.get(chartVersion);
    if (!validate) {
      const file = path.join(this.sharedDir, 'cilium', chartVersion, 'values.schema.json');
      validate = this.ajv.compile(JSON.parse(fs.readFileSync(file, 'utf8')) as object);
      this.ciliumValidators.set(chartVersion, validate);
    }
    if (validate(values)) return [];
    return formatAjvErrors(validate.errors, values).map((e) => `cilium ${chartVersion} values: ${e}`);
  }

  private validatorFor(entry: SchemaEntry): ValidateFunction {
    if (!entry.validator) {
      const raw = entry.loadSchema();
      if (!isPlainObject(raw)) throw new Error(`${entry.relFile}: no schema for ${entry.apiVersion} ${entry.kind}`);
      const schema = convertK8sSchema(raw, this.unknownFields) as Record<string, unknown>;
      delete schema.$schema;
      // the API server always accepts apiVersion, kind and metadata at the root
      if (isPlainObject(schema.properties)) {
        schema.properties = { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, ...schema.properties };
      }
      entry.validator = this.ajv.compile(schema);
      // the parsed file is only needed until every kind it defines has compiled
      if ([...this.entries.values()].every((e) => e.file !== entry.file || e.validator)) this.parsedFiles.delete(entry.file);
    }
    return entry.validator;
  }

  private addEntry(e: SchemaEntry): void {
    const k = key(e.apiVersion, e.kind);
    const prev = this.entries.get(k);
    if (prev) this.warningsList.push(`${e.apiVersion} ${e.kind}: ${e.relFile} replaces ${prev.relFile}`);
    this.entries.set(k, e);
  }

  private parseFile(file: string): unknown[] {
    let docs = this.parsedFiles.get(file);
    if (!docs) {
      docs = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJS({ maxAliasCount: -1 }) as unknown);
      this.parsedFiles.set(file, docs);
    }
    return docs;
  }

  private crdSchemaLoader(file: string, group: string, kind: string, version: string): () => unknown {
    return () => {
      const docs = this.parseFile(file);
      for (const d of docs) {
        if (!isPlainObject(d) || !isPlainObject(d.spec)) continue;
        const spec = d.spec;
        const names = isPlainObject(spec.names) ? spec.names : {};
        if (spec.group !== group || names.kind !== kind) continue;
        const versions = Array.isArray(spec.versions) ? spec.versions : [];
        const v = versions.find((x) => isPlainObject(x) && x.name === version) as Record<string, unknown> | undefined;
        const fromVersion = isPlainObject(v?.schema) ? (v!.schema as Record<string, unknown>).openAPIV3Schema : undefined;
        const legacy = isPlainObject(spec.validation) ? spec.validation.openAPIV3Schema : undefined;
        return fromVersion ?? legacy;
      }
      return undefined;
    };
  }

  private indexCrdFile(file: string): void {
    const rel = path.relative(this.sharedDir, file);
    const text = fs.readFileSync(file, 'utf8');
    for (const doc of splitYamlDocuments(text)) {
      let header = scanCrdHeader(doc);
      if (!header) {
        // not block-style, or not a CRD: parse this document fully
        const js = YAML.parse(doc, { maxAliasCount: -1 }) as unknown;
        header = headerFromParsed(js);
        if (!header) {
          this.warningsList.push(`${rel}: skipped a document that is not an apiextensions.k8s.io CustomResourceDefinition`);
          continue;
        }
      }
      for (const v of header.versions) {
        this.addEntry({
          apiVersion: `${header.group}/${v.name}`,
          kind: header.kind,
          clusterScoped: header.scope === undefined ? undefined : header.scope === 'Cluster',
          served: v.served,
          file,
          relFile: rel,
          loadSchema: this.crdSchemaLoader(file, header.group, header.kind, v.name),
        });
      }
    }
  }

  private indexJsonSchema(file: string): void {
    const rel = path.relative(this.sharedDir, file);
    let schema: Record<string, unknown>;
    try {
      const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
      if (!isPlainObject(parsed)) throw new Error('not an object');
      schema = parsed;
    } catch (e) {
      this.warningsList.push(`${rel}: skipped (${(e as Error).message})`);
      return;
    }
    const gvk = gvkOfJsonSchema(schema, file);
    if (!gvk) {
      this.warningsList.push(`${rel}: skipped (cannot tell its group, version and kind)`);
      return;
    }
    const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
    this.addEntry({
      apiVersion,
      kind: gvk.kind,
      clusterScoped: gvk.group === 'cilium.io' ? CILIUM_SCOPES[gvk.kind] ?? (/Clusterwide/.test(gvk.kind) ? true : undefined) : undefined,
      served: true,
      file,
      relFile: rel,
      loadSchema: () => schema,
    });
  }
}

function headerFromParsed(js: unknown): CrdHeader | undefined {
  if (!isPlainObject(js) || js.kind !== 'CustomResourceDefinition' || !isPlainObject(js.spec)) return undefined;
  const spec = js.spec;
  const names = isPlainObject(spec.names) ? spec.names : {};
  if (typeof spec.group !== 'string' || typeof names.kind !== 'string') return undefined;
  const versions = Array.isArray(spec.versions)
    ? spec.versions.filter(isPlainObject).map((v) => ({ name: String(v.name), served: v.served !== false }))
    : typeof spec.version === 'string' ? [{ name: spec.version, served: true }] : [];
  if (versions.length === 0) return undefined;
  return { group: spec.group, kind: names.kind, scope: typeof spec.scope === 'string' ? spec.scope : undefined, versions };
}

/** Finds group, version and kind of a JSON schema converted from a CRD. */
function gvkOfJsonSchema(schema: Record<string, unknown>, file: string): { group: string; version: string; kind: string } | undefined {
  const gvkExt = schema['x-kubernetes-group-version-kind'];
  const g0 = Array.isArray(gvkExt) ? gvkExt[0] : gvkExt;
  if (isPlainObject(g0) && typeof g0.kind === 'string' && typeof g0.version === 'string') {
    return { group: String(g0.group ?? ''), version: g0.version, kind: g0.kind };
  }
  const props = isPlainObject(schema.properties) ? schema.properties : {};
  const fixed = (p: unknown): string | undefined => {
    if (!isPlainObject(p)) return undefined;
    if (typeof p.const === 'string') return p.const;
    if (Array.isArray(p.enum) && p.enum.length === 1 && typeof p.enum[0] === 'string') return p.enum[0];
    return undefined;
  };
  const base = path.basename(file, '.json');
  const m = /^([a-z0-9]+)_(v[0-9a-z]+)$/.exec(base);
  const av = fixed(props.apiVersion);
  let kind = fixed(props.kind);
  let group: string | undefined;
  let version: string | undefined;
  if (av) {
    const i = av.lastIndexOf('/');
    group = i < 0 ? '' : av.slice(0, i);
    version = i < 0 ? av : av.slice(i + 1);
  }
  if (!kind && m && typeof schema.description === 'string') {
    // "CiliumNetworkPolicy is a ..." names the kind in its own spelling
    const first = /^\s*([A-Za-z0-9]+)/.exec(schema.description)?.[1];
    if (first && first.toLowerCase() === m[1]) kind = first;
  }
  if (version === undefined && m) version = m[2];
  if (group === undefined) {
    const dir = path.basename(path.dirname(file));
    const prefix = dir.replace(/-v?\d+(\.\d+)*$/, '');
    group = prefix.includes('.') ? prefix : SCHEMA_DIR_GROUPS[prefix];
  }
  if (!kind || !version || group === undefined) return undefined;
  return { group, version, kind };
}

function key(apiVersion: string, kind: string): string {
  return `${apiVersion}\n${kind}`;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((x) => (/^\d+$/.test(x) ? Number(x) : x));
  const pb = b.split(/[.-]/).map((x) => (/^\d+$/.test(x) ? Number(x) : x));
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === y) continue;
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x).localeCompare(String(y));
  }
  return 0;
}

function checkName(value: string, rule: NameRule): string | undefined {
  switch (rule) {
    case 'label':
      return value.length <= 63 && DNS1123_LABEL.test(value) ? undefined
        : 'is not a valid DNS-1123 label (lowercase alphanumerics and \'-\', starting and ending alphanumeric, at most 63 characters)';
    case 'dns1035':
      return value.length <= 63 && DNS1035_LABEL.test(value) ? undefined
        : 'is not a valid DNS-1035 label (lowercase alphanumerics and \'-\', starting with a letter, ending alphanumeric, at most 63 characters)';
    case 'path-segment':
      return value !== '.' && value !== '..' && !/[/%]/.test(value) ? undefined
        : 'is not a valid path segment name (must not be "." or ".." or contain "/" or "%")';
    default:
      return value.length <= 253 && DNS1123_SUBDOMAIN.test(value) ? undefined
        : 'is not a valid DNS-1123 subdomain (lowercase alphanumerics, \'-\' and \'.\', starting and ending alphanumeric, at most 253 characters)';
  }
}

function checkQualifiedKey(k: string): boolean {
  const parts = k.split('/');
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1];
  if (parts.length === 2 && (parts[0].length === 0 || parts[0].length > 253 || !DNS1123_SUBDOMAIN.test(parts[0]))) return false;
  return name.length <= 63 && QUALIFIED_NAME.test(name);
}

function checkMetadata(md: unknown, rule: NameRule): string[] {
  if (md === undefined) return ['/metadata is required'];
  if (!isPlainObject(md)) return ['/metadata must be object'];
  const errors: string[] = [];
  if (md.name === undefined || md.name === '') {
    errors.push('/metadata/name is required' + (md.generateName ? ' (generateName cannot be applied by GitOps tools)' : ''));
  } else if (typeof md.name !== 'string') {
    errors.push('/metadata/name must be string');
  } else {
    const bad = checkName(md.name, rule);
    if (bad) errors.push(`/metadata/name ${fmtValue(md.name)} ${bad}`);
  }
  if (md.namespace !== undefined) {
    if (typeof md.namespace !== 'string') errors.push('/metadata/namespace must be string');
    else if (md.namespace !== '') {
      const bad = checkName(md.namespace, 'label');
      if (bad) errors.push(`/metadata/namespace ${fmtValue(md.namespace)} ${bad}`);
    }
  }
  for (const field of ['labels', 'annotations'] as const) {
    const m = md[field];
    if (m === undefined || m === null) continue;
    if (!isPlainObject(m)) { errors.push(`/metadata/${field} must be object`); continue; }
    for (const [k, v] of Object.entries(m)) {
      const at = `/metadata/${field}${ptr(k)}`;
      if (!checkQualifiedKey(k)) errors.push(`${at}: key ${fmtValue(k)} is not a valid qualified name ([prefix/]name, name at most 63 characters)`);
      if (typeof v !== 'string') errors.push(`${at} must be string (got ${fmtValue(v)}; quote it in YAML)`);
      else if (field === 'labels' && (v.length > 63 || !LABEL_VALUE.test(v))) {
        errors.push(`${at} ${fmtValue(v)} is not a valid label value (alphanumerics, '-', '_' and '.', starting and ending alphanumeric, at most 63 characters)`);
      }
    }
  }
  return errors;
}

function checkStringMap(obj: Record<string, unknown>, field: string, base64: boolean): string[] {
  const m = obj[field];
  if (m === undefined || m === null) return [];
  if (!isPlainObject(m)) return [`/${field} must be object`];
  const errors: string[] = [];
  for (const [k, v] of Object.entries(m)) {
    const at = `/${field}${ptr(k)}`;
    if (k.length > 253 || !CONFIG_KEY.test(k)) errors.push(`${at}: key ${fmtValue(k)} is not a valid config key (alphanumerics, '-', '_' and '.')`);
    if (typeof v !== 'string') errors.push(`${at} must be string (got ${fmtValue(v)})`);
    else if (base64 && !BASE64.test(v.replace(/[\r\n]/g, ''))) errors.push(`${at} must be base64-encoded`);
  }
  return errors;
}

function checkPort(v: unknown, at: string, allowName: boolean): string[] {
  if (typeof v === 'number') {
    return Number.isInteger(v) && v >= 1 && v <= 65535 ? [] : [`${at} must be an integer in 1..65535 (got ${fmtValue(v)})`];
  }
  if (allowName && typeof v === 'string') {
    return v.length <= 15 && IANA_SVC_NAME.test(v) ? [] : [`${at} must be a port number or an IANA service name (got ${fmtValue(v)})`];
  }
  return [`${at} must be ${allowName ? 'integer or string' : 'integer'} (got ${fmtValue(v)})`];
}

function checkCoreKind(apiVersion: string, kind: string, obj: Record<string, unknown>): string[] {
  const errors: string[] = [];
  if (apiVersion !== 'v1') return errors;
  if (kind === 'Secret') {
    errors.push(...checkStringMap(obj, 'data', true), ...checkStringMap(obj, 'stringData', false));
    if (obj.type !== undefined && typeof obj.type !== 'string') errors.push('/type must be string');
  } else if (kind === 'ConfigMap') {
    errors.push(...checkStringMap(obj, 'data', false), ...checkStringMap(obj, 'binaryData', true));
  } else if (kind === 'Service') {
    const spec = obj.spec;
    if (spec === undefined) return errors;
    if (!isPlainObject(spec)) return ['/spec must be object'];
    if (spec.type !== undefined && !['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'].includes(spec.type as string)) {
      errors.push(`/spec/type must be one of "ClusterIP", "NodePort", "LoadBalancer", "ExternalName" (got ${fmtValue(spec.type)})`);
    }
    if (spec.ports === undefined) return errors;
    const ports: unknown = spec.ports;
    if (!Array.isArray(ports)) return [...errors, '/spec/ports must be array'];
    const names = new Set<string>();
    ports.forEach((p, i) => {
      const at = `/spec/ports/${i}`;
      if (!isPlainObject(p)) { errors.push(`${at} must be object`); return; }
      if (p.port === undefined) errors.push(`${at} must have required property 'port'`);
      else errors.push(...checkPort(p.port, `${at}/port`, false));
      if (p.targetPort !== undefined) errors.push(...checkPort(p.targetPort, `${at}/targetPort`, true));
      if (p.nodePort !== undefined) errors.push(...checkPort(p.nodePort, `${at}/nodePort`, false));
      if (p.protocol !== undefined && !['TCP', 'UDP', 'SCTP'].includes(p.protocol as string)) {
        errors.push(`${at}/protocol must be one of "TCP", "UDP", "SCTP" (got ${fmtValue(p.protocol)})`);
      }
      if (p.name === undefined || p.name === '') {
        if (ports.length > 1) errors.push(`${at}/name is required when a Service has more than one port`);
      } else if (typeof p.name !== 'string' || p.name.length > 63 || !DNS1123_LABEL.test(p.name)) {
        errors.push(`${at}/name ${fmtValue(p.name)} is not a valid DNS-1123 label`);
      } else if (names.has(p.name)) {
        errors.push(`${at}/name ${fmtValue(p.name)} is a duplicate`);
      } else {
        names.add(p.name);
      }
    });
  }
  return errors;
}
