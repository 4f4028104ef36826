/**
 * The upstream schemas in a folder (CRDs, JSON schemas, Cilium chart values schemas, such as meshfleet's
 * ../shared), as the validator of what meshfleet writes: the tests use it, and `meshfleet validate --schemas`
 * loads it at run time (lazily: no other command does). Not part of the package's API.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ValidateFunction } from 'ajv';
import { loadAll } from 'js-yaml';
import * as YAML from 'yaml';
import { checkCoreKind, checkMetadata, CORE_KINDS } from './core-kinds';
import { CILIUM_SCOPES, compareVersions, crdHeader, gvkOfJsonSchema, listFiles } from './crd-index';
import { badPatterns, convertK8sSchema, describe, fmtValue, formatAjvErrors, isPlainObject, newAjv } from './k8s-schema';
import { processWide } from './process-cache';

export { describeManifest } from './k8s-schema';

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

/** One per folder and options in a process (in a test run too: see processWide). */
const LOADED = processWide('upstreamSchemas', () => new Map<string, UpstreamSchemas>());

/**
 * Upstream schemas as one JSON document: the kinds meshfleet writes and the Cilium chart's values schemas,
 * generated from a shared folder by `npm run schemas:bundle` into `schemas/upstream.json`, which the package
 * ships, so `meshfleet validate --schemas` works where no such folder is.
 */
export interface SchemaBundle {
  /** What it was generated from (the folder's files, relative). */
  readonly generatedFrom: readonly string[];
  /** Each kind with its raw schema (a CRD's openAPIV3Schema or a JSON schema). */
  readonly kinds: ReadonlyArray<{ readonly apiVersion: string; readonly kind: string; readonly clusterScoped?: boolean; readonly served: boolean; readonly source: string; readonly schema: unknown }>;
  /** The Cilium chart's values.schema.json, by chart version. */
  readonly cilium: Readonly<Record<string, unknown>>;
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

/**
 * The upstream schemas in the shared folder, loaded once and compiled lazily: CRDs under
 * `crds/**`, JSON schemas under `schemas/<dir>/*.json` and the Cilium chart's
 * `cilium/<version>/values.schema.json`.
 *
 * Loading parses the files (js-yaml) and indexes their kinds; a kind's validator is compiled with ajv
 * on first use and cached. Patterns are Go RE2, matched by re2js (a port of RE2), so they mean what
 * they mean to the API server. `x-kubernetes-validations` (CEL rules) are not checked.
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
    if (fs.statSync(sharedDir).isFile()) return UpstreamSchemas.fromBundle(sharedDir, options);
    // One per folder and options in a process: its compiled validators are the costly part, and they never change.
    const key = JSON.stringify([path.resolve(sharedDir), options]);
    let loaded = LOADED.get(key);
    if (!loaded) {
      loaded = new UpstreamSchemas(path.resolve(sharedDir), options);
      LOADED.set(key, loaded);
    }
    return loaded;
  }

  /**
   * The schemas meshfleet ships (`schemas/upstream.json` in the package): the kinds it writes and the Cilium
   * chart versions it supports, generated from the upstream CRDs and charts.
   * @throws when the package has no bundle (a checkout that never ran `npm run schemas:bundle`)
   */
  public static bundled(options: UpstreamSchemasOptions = {}): UpstreamSchemas {
    return UpstreamSchemas.fromBundle(BUNDLE_FILE, options);
  }

  /**
   * Loads a bundle written by {@link bundle}.
   * @param file the bundle's JSON file
   */
  public static fromBundle(file: string, options: UpstreamSchemasOptions = {}): UpstreamSchemas {
    const key = JSON.stringify([path.resolve(file), options]);
    let loaded = LOADED.get(key);
    if (!loaded) {
      const bundle = JSON.parse(fs.readFileSync(file, 'utf8')) as SchemaBundle;
      if (!Array.isArray(bundle.kinds) || bundle.cilium === null || typeof bundle.cilium !== 'object') throw new Error(`${file} is not a schema bundle (kinds, cilium)`);
      loaded = new UpstreamSchemas(path.resolve(file), options, bundle);
      LOADED.set(key, loaded);
    }
    return loaded;
  }

  /** The absolute path of the shared folder (or of the bundle file). */
  public readonly sharedDir: string;

  private readonly entries = new Map<string, SchemaEntry>();
  private readonly warningsList: string[] = [];
  private readonly ajv = newAjv();
  private readonly unknownFields: boolean;
  private readonly parsedFiles = new Map<string, unknown[]>();
  private readonly ciliumValidators = new Map<string, ValidateFunction>();
  private readonly ciliumVersions: string[];
  private readonly ciliumSchemas = new Map<string, unknown>();

  private constructor(sharedDir: string, options: UpstreamSchemasOptions, bundle?: SchemaBundle) {
    this.sharedDir = sharedDir;
    this.unknownFields = options.unknownFields ?? true;
    if (bundle) {
      for (const k of bundle.kinds) {
        this.addEntry({ apiVersion: k.apiVersion, kind: k.kind, clusterScoped: k.clusterScoped, served: k.served, file: sharedDir, relFile: k.source, loadSchema: () => k.schema });
      }
      for (const [v, schema] of Object.entries(bundle.cilium)) this.ciliumSchemas.set(v, schema);
      this.ciliumVersions = [...this.ciliumSchemas.keys()].sort(compareVersions);
      return;
    }
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
      validate = this.ajv.compile(this.ciliumSchema(chartVersion) as object);
      this.ciliumValidators.set(chartVersion, validate);
    }
    if (validate(values)) return [];
    return formatAjvErrors(validate.errors, values).map((e) => `cilium ${chartVersion} values: ${e}`);
  }

  /**
   * Some kinds' schemas and every Cilium chart version's values schema, as one JSON document (what
   * `npm run schemas:bundle` writes to `schemas/upstream.json`).
   * @throws when a kind has no schema here
   */
  public bundle(kinds: ReadonlyArray<{ readonly apiVersion: string; readonly kind: string }>): SchemaBundle {
    const out = kinds.map((k) => {
      const e = this.entries.get(key(k.apiVersion, k.kind));
      if (!e) throw new Error(`no schema for ${k.apiVersion} ${k.kind} in ${this.sharedDir}`);
      return { apiVersion: e.apiVersion, kind: e.kind, clusterScoped: e.clusterScoped, served: e.served, source: e.relFile, schema: e.loadSchema() };
    });
    const cilium = Object.fromEntries(this.ciliumVersions.map((v) => [v, this.ciliumSchema(v)]));
    const generatedFrom = [...new Set([...out.map((k) => k.source), ...this.ciliumVersions.map((v) => `cilium/${v}/values.schema.json`)])].sort();
    return { generatedFrom, kinds: out, cilium };
  }

  private ciliumSchema(chartVersion: string): unknown {
    let schema = this.ciliumSchemas.get(chartVersion);
    if (schema === undefined) {
      schema = JSON.parse(fs.readFileSync(path.join(this.sharedDir, 'cilium', chartVersion, 'values.schema.json'), 'utf8'));
      this.ciliumSchemas.set(chartVersion, schema);
    }
    return schema;
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
      docs = [];
      loadAll(fs.readFileSync(file, 'utf8'), (d) => docs!.push(d));
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
    for (const doc of this.parseFile(file)) {
      if (doc === null || doc === undefined) continue;
      const header = crdHeader(doc);
      if (!header) {
        this.warningsList.push(`${rel}: skipped a document that is not an apiextensions.k8s.io CustomResourceDefinition`);
        continue;
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

/** Where the package keeps its bundle: `schemas/upstream.json` at its root (this file is in src/schemas/ or lib/src/schemas/). */
const BUNDLE_FILE = [path.join(__dirname, '..', '..', 'schemas', 'upstream.json'), path.join(__dirname, '..', '..', '..', 'schemas', 'upstream.json')]
  .find((f) => fs.existsSync(f)) ?? path.join(__dirname, '..', '..', '..', 'schemas', 'upstream.json');

function key(apiVersion: string, kind: string): string {
  return `${apiVersion}\n${kind}`;
}
