/**
 * Argo CD, simulated: from a tree's root Application, what each destination cluster receives (Helm
 * values merged as Argo CD passes them to `helm template`, directory sources read), and whether each
 * Application's AppProject allows it.
 */
import { parseAllDocuments } from 'yaml';
import { DeliveredService } from '../../check/delivered';
import { mergeValues } from '../../k8s/yaml';

type Obj = Record<string, any>;

/** What Argo CD would deliver, and what it would refuse. */
export interface ArgoCdSimulation {
  /** By destination cluster name: what each Application targeting it renders. */
  readonly delivered: Map<string, DeliveredService[]>;
  /** Everything Argo CD would refuse or get wrong (project permissions, missing files, wave order), one line each. */
  readonly problems: string[];
  /** Every Application found under the root Application, by name. */
  readonly applications: ReadonlyMap<string, Obj>;
}

/** Kinds meshfleet may deliver that are cluster-scoped (AppProject's clusterResourceWhitelist governs them). */
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'ClusterIssuer', 'CustomResourceDefinition', 'CiliumClusterwideNetworkPolicy']);

/**
 * Simulates Argo CD on a GitOps tree (path -> content; the tree is the repository's root) from the
 * root Application in `rootFile`:
 * - the root Application's directory source (recursive when it says so) yields the AppProjects and
 *   Applications;
 * - per Application and source: a chart source's values are its `valueFiles` in order (`$<ref>/path`
 *   read from the root of the repository of the source carrying that `ref`), then `valuesObject` (or
 *   `values`), as Argo CD passes them to `helm template`; a path source yields the manifests of that
 *   folder, with the destination namespace set on namespaced objects that name none;
 * - each Application's project must exist and allow its repositories, destination, and the kinds and
 *   namespaces of what it applies; the issuer's wave must come before Cilium's, Cilium's before Multigres's.
 */
export function simulateArgoCd(files: ReadonlyMap<string, string>, rootFile: string, budget: ArgoCdSimulationBudget = {}): ArgoCdSimulation {
  const deadline = Date.now() + (budget.ms ?? ARGOCD_SIMULATION_BUDGET_MS);
  const maxObjects = budget.objects ?? ARGOCD_MAX_DELIVERED_OBJECTS;
  let objects = 0;
  const problems: string[] = [];
  const delivered = new Map<string, DeliveredService[]>();
  const rootDocs = parse(files, rootFile);
  const rootApp = rootDocs.find((d) => d.kind === 'Application');
  if (!rootApp) throw new Error(`${rootFile}: no root Application`);
  const repo: string = rootApp.spec?.source?.repoURL;
  const projects = new Map<string, Obj>(rootDocs.filter((d) => d.kind === 'AppProject').map((d) => [d.metadata.name, d]));
  const children = directory(files, rootApp.spec.source, rootFile).map((p) => ({ path: p, docs: parse(files, p) }));
  for (const { docs } of children) for (const d of docs) if (d.kind === 'AppProject') projects.set(d.metadata.name, d);
  const applications = new Map<string, Obj>();
  for (const { path, docs } of children) {
    for (const d of docs) {
      checkAllowed(projects.get(rootApp.spec.project), rootApp, repo, [d], problems, `${path}: ${d.kind} "${d.metadata?.name}"`);
      if (d.kind !== 'Application') continue;
      if (applications.has(d.metadata.name)) problems.push(`${path}: Application "${d.metadata.name}" is declared twice`);
      applications.set(d.metadata.name, d);
    }
  }

  const waves = new Map<string, { issuer: number[]; cilium: number[]; multigres: number[] }>();
  for (const [name, app] of applications) {
    const where = `Application "${name}"`;
    // A hostile tree (thousands of Applications over one large folder) gets one finding, not a hang.
    if (Date.now() > deadline || objects > maxObjects) {
      problems.push(`${where} and the Applications after it were not simulated: the simulation ran past its budget `
        + `(${objects > maxObjects ? `${maxObjects} delivered objects` : 'its time'}); a fleet's tree needs far less`);
      break;
    }
    const spec: Obj = app.spec ?? {};
    const cluster: string | undefined = spec.destination?.name;
    const namespace: string = spec.destination?.namespace ?? '';
    if (!cluster) {
      problems.push(`${where}: destination has no cluster name`);
      continue;
    }
    const sources: Obj[] = spec.sources ?? (spec.source ? [spec.source] : []);
    const refs = new Map<string, string>();
    for (const s of sources) if (s.ref) refs.set(s.ref, s.repoURL);
    const project = projects.get(spec.project);
    const wave = Number(app.metadata?.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0);
    const w = waves.get(cluster) ?? { issuer: [], cilium: [], multigres: [] };
    waves.set(cluster, w);
    for (const s of sources) {
      if (s.ref) {
        if (s.path) problems.push(`${where}: the ref source "${s.ref}" also has a path, so Argo CD deploys that folder too`);
        if (s.repoURL !== repo) problems.push(`${where}: ref source "${s.ref}" reads ${s.repoURL}, not this repository (${repo})`);
        checkAllowed(project, app, s.repoURL, [], problems, where);
        continue;
      }
      let service: DeliveredService;
      if (s.chart) {
        service = chartService(files, app, s, refs, namespace, problems, where);
        if (s.chart === 'cilium') w.cilium.push(wave);
      } else {
        if (s.repoURL !== repo) problems.push(`${where}: path source reads ${s.repoURL}, not this repository (${repo})`);
        const manifests = directory(files, s, where).flatMap((p) => (p.endsWith('.jsonnet') ? jsonnet(files, p, s.directory?.jsonnet?.extVars ?? [], where) : parse(files, p)))
          .map((m) => (CLUSTER_SCOPED.has(m.kind) || m.metadata?.namespace ? m : { ...m, metadata: { ...m.metadata, namespace } }));
        objects += manifests.length;
        service = { source: `${app.metadata.namespace}/${name}`, name, namespace, manifests };
        if (manifests.some((m) => m.kind === 'ClusterIssuer')) w.issuer.push(wave);
        if (manifests.some((m) => String(m.apiVersion).startsWith('multigres.com/'))) w.multigres.push(wave);
      }
      checkAllowed(project, app, s.repoURL, service.manifests as Obj[], problems, where);
      delivered.set(cluster, [...(delivered.get(cluster) ?? []), service]);
    }
  }
  for (const [cluster, w] of waves) {
    if (w.cilium.length && w.issuer.length && Math.max(...w.issuer) >= Math.min(...w.cilium)) problems.push(`cluster "${cluster}": the CA issuer's sync wave is not before Cilium's`);
    if (w.multigres.length && w.cilium.length && Math.max(...w.cilium) >= Math.min(...w.multigres)) problems.push(`cluster "${cluster}": Cilium's sync wave is not before Multigres's`);
  }
  return { delivered, problems, applications };
}

/**
 * What a chart source of an Application delivers: its `valueFiles` in order (`$<ref>/path` of this
 * repository), then `valuesObject` (or `values`), merged as Argo CD passes them to `helm template`.
 */
function chartService(files: ReadonlyMap<string, string>, app: Obj, s: Obj, refs: ReadonlyMap<string, string>, namespace: string,
  problems: string[], where: string): DeliveredService {
  const name: string = app.metadata.name;
  const helm: Obj = s.helm ?? {};
  let values: unknown = {};
  for (const f of helm.valueFiles ?? []) {
    const m = /^\$([^/]+)\/(.+)$/.exec(f);
    if (!m || !refs.has(m[1])) {
      problems.push(`${where}: value file ${f} is not a $ref/path of this repository (a chart-relative file is not meshfleet's)`);
      continue;
    }
    if (!files.has(m[2])) throw new Error(`${where}: value file ${m[2]} is not in the tree`);
    values = mergeValues(values, parse(files, m[2])[0] ?? {});
  }
  // valuesObject replaces values when both are set; either comes after the value files.
  const inline = helm.valuesObject ?? (helm.values ? parseText(helm.values, `${where}: helm.values`)[0] : undefined);
  if (inline !== undefined) values = mergeValues(values, inline);
  if (helm.parameters?.length) problems.push(`${where}: helm.parameters are not used by meshfleet`);
  return {
    source: `${app.metadata.namespace}/${name}`,
    name: helm.releaseName ?? name,
    namespace,
    helm: { chart: s.chart, version: s.targetRevision, url: s.repoURL },
    values: values as Record<string, unknown>,
    manifests: [],
  };
}

/** Whether `project` allows `app` to read `repoURL` and apply `manifests` at its destination. */
function checkAllowed(project: Obj | undefined, app: Obj, repoURL: string, manifests: Obj[], problems: string[], where: string): void {
  if (!project) {
    problems.push(`${where}: project "${app.spec?.project}" does not exist`);
    return;
  }
  const p: Obj = project.spec ?? {};
  const pname = `project "${project.metadata.name}"`;
  if (!(p.sourceRepos ?? []).some((r: string) => r === '*' || r === repoURL)) problems.push(`${where}: ${pname} does not allow repository ${repoURL}`);
  const dest: Obj = app.spec?.destination ?? {};
  const allowed = (namespace: string) => (p.destinations ?? []).some((d: Obj) =>
    (d.name !== undefined ? match(d.name, dest.name) : match(d.server, dest.server)) && match(d.namespace, namespace));
  if (!allowed(dest.namespace)) problems.push(`${where}: ${pname} does not allow destination ${dest.name ?? dest.server}/${dest.namespace}`);
  for (const m of manifests) {
    const group = String(m.apiVersion).includes('/') ? String(m.apiVersion).split('/')[0] : '';
    const gk = `${group}/${m.kind}`;
    const listed = (list: Obj[] | undefined) => (list ?? []).some((e) => match(e.group, group) && match(e.kind, m.kind));
    if (CLUSTER_SCOPED.has(m.kind)) {
      if (!listed(p.clusterResourceWhitelist)) problems.push(`${where}: ${pname} does not allow cluster-scoped ${gk}`);
      continue;
    }
    if (p.namespaceResourceWhitelist !== undefined && !listed(p.namespaceResourceWhitelist)) problems.push(`${where}: ${pname} does not allow ${gk}`);
    const ns = m.metadata?.namespace ?? dest.namespace;
    if (ns !== dest.namespace && !allowed(ns)) problems.push(`${where}: ${pname} does not allow namespace ${ns} on ${dest.name ?? dest.server}`);
  }
}

function match(pattern: string | undefined, value: string | undefined): boolean {
  return pattern === '*' || pattern === value;
}

/** The YAML files of a directory source (recursively when it says so), in path order. */
function directory(files: ReadonlyMap<string, string>, source: Obj, where: string): string[] {
  const folder: string = source?.path;
  if (!folder) throw new Error(`${where}: source has no path`);
  const recurse = source.directory?.recurse === true;
  const out = [...files.keys()].filter((p) => p.startsWith(`${folder}/`) && /\.(ya?ml|jsonnet)$/.test(p)
    && (recurse || !p.slice(folder.length + 1).includes('/'))).sort();
  if (out.length === 0) throw new Error(`${where}: folder ${folder} holds no manifests`);
  return out;
}

/** The budget of an Argo CD simulation. */
export interface ArgoCdSimulationBudget {
  /** Milliseconds in all. @default 60000 */
  readonly ms?: number;
  /** Objects delivered in all (a 1,000-cluster fleet delivers some 40,000). @default 500000 */
  readonly objects?: number;
}

/** The default time budget of an Argo CD simulation. */
export const ARGOCD_SIMULATION_BUDGET_MS = 60_000;
/** The default cap on the objects an Argo CD simulation delivers. */
export const ARGOCD_MAX_DELIVERED_OBJECTS = 500_000;

/**
 * A Jsonnet file as Argo CD evaluates it, for the subset meshfleet writes: JSON with `#` comment lines and
 * `std.extVar('name')` values, taken from the source's `directory.jsonnet.extVars`.
 */
function jsonnet(files: ReadonlyMap<string, string>, path: string, extVars: Obj[], where: string): Obj[] {
  const text = files.get(path)!.split('\n').filter((l) => !/^\s*(#|\/\/)/.test(l)).join('\n');
  const vars = new Map<string, string>(extVars.map((v) => [v.name, v.value]));
  const json = text.replace(/std\.extVar\((['"])([^'"]+)\1\)/g, (_m, _q, name: string) => {
    if (!vars.has(name)) throw new Error(`${where}: ${path} reads std.extVar('${name}'), which the Application does not set`);
    return JSON.stringify(vars.get(name));
  });
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new Error(`${where}: ${path} is Jsonnet beyond what meshfleet writes (JSON with std.extVar); not simulated`);
  }
  return (Array.isArray(value) ? value : [value]) as Obj[];
}

/** Parsed files, per tree (a folder many Applications read is parsed once). */
const PARSED = new WeakMap<ReadonlyMap<string, string>, Map<string, Obj[]>>();

function parse(files: ReadonlyMap<string, string>, path: string): Obj[] {
  let cache = PARSED.get(files);
  if (!cache) PARSED.set(files, (cache = new Map()));
  const hit = cache.get(path);
  if (hit) return hit;
  const text = files.get(path);
  if (text === undefined) throw new Error(`${path} is not in the tree`);
  const docs = parseText(text, path);
  cache.set(path, docs);
  return docs;
}

function parseText(text: string, where: string): Obj[] {
  const out: Obj[] = [];
  for (const d of parseAllDocuments(text)) {
    if (d.errors.length > 0) throw new Error(`${where}: invalid YAML: ${d.errors[0].message}`);
    const js = d.toJS() as Obj | null;
    if (js !== null) out.push(js);
  }
  return out;
}
