/**
 * What each cluster's Flux would apply from a tree, the way Flux's controllers do it:
 * - the cluster's bootstrap folder (`flux/<fleet>/clusters/<cluster>/`, what `flux bootstrap --path`
 *   points its own Kustomization at) is applied recursively;
 * - each Kustomization found there applies its `path` of the GitRepository it names (recursively, or the
 *   `resources:` of a kustomization.yaml there), with `targetNamespace` set on namespaced objects and
 *   `postBuild.substitute` replacing `${var}` (`${var:=default}`); its `dependsOn` must name Kustomizations
 *   the cluster has, without a cycle (Flux would wait forever);
 * - a HelmRelease's values are its `valuesFrom` ConfigMaps and Secrets (by `valuesKey`, default
 *   `values.yaml`, or `targetPath`), merged in order, then `spec.values` on top (maps merge, lists are
 *   replaced); its chart comes from the HelmRepository it names.
 * Anything Flux would refuse or not find is a problem line, never a guess.
 */
import { parseAllDocuments } from 'yaml';
import { DeliveredService } from '../../check/delivered';
import { mergeValues } from '../../k8s/yaml';

type Obj = Record<string, any>;

/** What each cluster's Flux would apply, and what it would not find or refuse. */
export interface FluxSimulation {
  /** By cluster: the services (HelmReleases with their merged values; each Kustomization's other objects). */
  readonly delivered: Map<string, DeliveredService[]>;
  /** One line per problem. */
  readonly problems: string[];
}

/** Kinds that are cluster-scoped among those a fleet's tree holds (targetNamespace leaves them alone). */
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'ClusterIssuer', 'CustomResourceDefinition', 'CiliumClusterwideNetworkPolicy']);

/** Most objects one simulation delivers (a hostile tree gets one finding, not an exhausted heap). */
const MAX_OBJECTS = 500_000;

function parse(files: ReadonlyMap<string, string>, path: string, problems: string[]): Obj[] {
  const out: Obj[] = [];
  for (const d of parseAllDocuments(files.get(path) ?? '')) {
    if (d.errors.length) {
      problems.push(`${path}: ${d.errors[0].message.split('\n')[0]}`);
      continue;
    }
    const js = d.toJS({ maxAliasCount: 100 });
    if (js && typeof js === 'object') out.push(js);
  }
  return out;
}

const KUSTOMIZE_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/**
 * The YAML files a Kustomization applies from a folder, as kustomize-controller builds it: a
 * kustomization.yaml's `resources:` (files, or folders with a kustomization of their own); without one,
 * every YAML file of the folder and, recursively, of its subfolders, a subfolder with a kustomization.yaml
 * being taken as that kustomization (Flux generates one that way).
 */
function folderFiles(files: ReadonlyMap<string, string>, folder: string, problems: string[], where: string): string[] {
  const base = folder.replace(/^\.\//, '').replace(/\/$/, '');
  const kfile = KUSTOMIZE_FILES.map((f) => `${base}/${f}`).find((f) => files.has(f));
  if (kfile) {
    const k = parse(files, kfile, problems)[0] ?? {};
    const extra = Object.keys(k).filter((x) => !['apiVersion', 'kind', 'resources'].includes(x));
    if (extra.length) problems.push(`${kfile}: ${extra.join(', ')} is not simulated (meshfleet's kustomization files hold resources: only)`);
    return (k.resources ?? []).flatMap((r: string) => {
      const p = `${base}/${r}`.replace(/\/\.\//g, '/').replace(/\/$/, '');
      if (files.has(p)) return [p];
      if (KUSTOMIZE_FILES.some((f) => files.has(`${p}/${f}`))) return folderFiles(files, p, problems, where);
      problems.push(`${where}: ${kfile} lists ${r}, which is neither a file nor a folder with a kustomization.yaml`);
      return [];
    });
  }
  const below = [...files.keys()].filter((p) => p.startsWith(`${base}/`) && /\.ya?ml$/.test(p)).sort();
  // The first subfolder on each path that has a kustomization of its own stands for everything below it.
  const kustomized = new Set<string>();
  for (const p of below) {
    const parts = p.slice(base.length + 1).split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = `${base}/${parts.slice(0, i).join('/')}`;
      if (KUSTOMIZE_FILES.some((f) => files.has(`${dir}/${f}`))) {
        kustomized.add(dir);
        break;
      }
    }
  }
  const inside = (p: string) => [...kustomized].some((d) => p.startsWith(`${d}/`));
  return [...below.filter((p) => !inside(p)), ...[...kustomized].sort().flatMap((d) => folderFiles(files, d, problems, where))];
}

/** Flux's post-build substitution: `${var}` and `${var:=default}`; `$${var}` stays literal. */
function substitute(text: string, vars: Record<string, string>): string {
  return text.replace(/(\$?)\$\{([A-Za-z_][A-Za-z0-9_]*)(?::=([^}]*))?\}/g, (all, escaped: string, name: string, def: string | undefined) => {
    if (escaped) return all.slice(1);
    return vars[name] ?? def ?? '';
  });
}

/** The values a HelmRelease gives its chart: `valuesFrom` in order, then `spec.values`. */
function releaseValues(release: Obj, objects: readonly Obj[], problems: string[], where: string): Record<string, unknown> {
  const ns = release.metadata?.namespace;
  let values: unknown = {};
  for (const ref of release.spec?.valuesFrom ?? []) {
    const source = objects.find((o) => o.kind === ref.kind && o.metadata?.name === ref.name && o.metadata?.namespace === ns);
    if (!source) {
      if (!ref.optional) problems.push(`${where}: valuesFrom ${ref.kind} ${ns}/${ref.name} is not applied to this cluster`);
      continue;
    }
    const key = ref.valuesKey ?? 'values.yaml';
    let text = source.data?.[key];
    if (ref.kind === 'Secret' && text === undefined && source.stringData) text = source.stringData[key];
    if (text === undefined) {
      problems.push(`${where}: ${ref.kind} ${ns}/${ref.name} has no key ${key}`);
      continue;
    }
    if (ref.targetPath) {
      problems.push(`${where}: valuesFrom targetPath is not simulated`);
      continue;
    }
    const docs = parseAllDocuments(String(text));
    const parsed = docs[0]?.toJS() ?? {};
    values = mergeValues(values, parsed);
  }
  if (release.spec?.values !== undefined) values = mergeValues(values, release.spec.values);
  return values as Record<string, unknown>;
}

/** A cycle among Kustomizations' dependsOn, or undefined. */
function dependencyCycle(ks: ReadonlyMap<string, Obj>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === 'done') return undefined;
    if (state.get(name) === 'visiting') return [...path.slice(path.indexOf(name)), name];
    state.set(name, 'visiting');
    path.push(name);
    for (const d of ks.get(name)?.spec?.dependsOn ?? []) {
      if (!ks.has(d.name)) continue;
      const c = visit(d.name);
      if (c) return c;
    }
    path.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const name of ks.keys()) {
    const c = visit(name);
    if (c) return c;
  }
  return undefined;
}

/**
 * Simulates each cluster's Flux over `files`.
 * @param bootstrapFolders the bootstrap folder of each cluster (where its `flux bootstrap --path` points)
 * @param foreign paths of Flux's own bootstrap files, which are left out
 */
export function simulateFlux(files: ReadonlyMap<string, string>, bootstrapFolders: ReadonlyMap<string, string>, foreign?: RegExp): FluxSimulation {
  const delivered = new Map<string, DeliveredService[]>();
  const problems: string[] = [];
  let count = 0;
  for (const [cluster, folder] of bootstrapFolders) {
    const where = `cluster "${cluster}"`;
    // Flux's own files there (its components and its sync of this folder, from `flux bootstrap`) are not simulated.
    const bootstrap = folderFiles(files, folder, problems, where).filter((p) => !foreign?.test(p)).flatMap((p) => parse(files, p, problems));
    if (bootstrap.length === 0) {
      problems.push(`${where}: its bootstrap folder ${folder} holds nothing for its Flux`);
      continue;
    }
    const sources = new Map(bootstrap.filter((o) => o.kind === 'GitRepository').map((o) => [`${o.metadata?.namespace}/${o.metadata?.name}`, o]));
    const helmRepos = new Map(bootstrap.filter((o) => o.kind === 'HelmRepository').map((o) => [`${o.metadata?.namespace}/${o.metadata?.name}`, o]));
    const ks = new Map<string, Obj>();
    // Flux's Kustomizations only (a kustomize.config.k8s.io Kustomization is a kustomization.yaml's).
    for (const k of bootstrap.filter((o) => o.kind === 'Kustomization' && String(o.apiVersion).startsWith('kustomize.toolkit.fluxcd.io/'))) {
      if (ks.has(k.metadata?.name)) problems.push(`${where}: Kustomization "${k.metadata?.name}" is declared twice`);
      ks.set(k.metadata?.name, k);
    }
    for (const [name, k] of ks) {
      for (const d of k.spec?.dependsOn ?? []) if (!ks.has(d.name)) problems.push(`${where}: Kustomization "${name}" depends on "${d.name}", which this cluster does not have (Flux would wait for it forever)`);
    }
    const cycle = dependencyCycle(ks);
    if (cycle) problems.push(`${where}: Kustomizations depend on each other in a cycle: ${cycle.join(' -> ')}`);
    const services: DeliveredService[] = [];
    const applied: Array<{ k: Obj; objects: Obj[] }> = [];
    for (const [name, k] of ks) {
      const kwhere = `${where}: Kustomization "${name}"`;
      const ref = k.spec?.sourceRef ?? {};
      const src = sources.get(`${ref.namespace ?? k.metadata?.namespace}/${ref.name}`);
      if (ref.kind !== 'GitRepository' || !src) {
        problems.push(`${kwhere}: its source ${ref.kind} "${ref.name}" is not declared in the cluster's bootstrap folder`);
        continue;
      }
      const paths = folderFiles(files, String(k.spec?.path ?? ''), problems, kwhere);
      if (paths.length === 0) {
        problems.push(`${kwhere}: path ${k.spec?.path} holds no manifests`);
        continue;
      }
      const vars: Record<string, string> | undefined = k.spec?.postBuild?.substitute;
      const objects = paths.flatMap((p) => (vars ? parseText(substitute(files.get(p) ?? '', vars), p, problems) : parse(files, p, problems)))
        .map((o) => (k.spec?.targetNamespace && !CLUSTER_SCOPED.has(o.kind) ? { ...o, metadata: { ...o.metadata, namespace: k.spec.targetNamespace } } : o));
      count += objects.length;
      if (count > MAX_OBJECTS) {
        problems.push(`${kwhere} and the rest were not simulated: the simulation ran past ${MAX_OBJECTS} delivered objects; a fleet's tree needs far less`);
        break;
      }
      applied.push({ k, objects });
    }
    const everything = applied.flatMap((a) => a.objects);
    for (const { k, objects } of applied) {
      const source = `${k.metadata?.namespace}/${k.metadata?.name}`;
      const plain = objects.filter((o) => o.kind !== 'HelmRelease');
      if (plain.length) services.push({ source, name: k.metadata?.name, namespace: k.spec?.targetNamespace ?? '', manifests: plain });
      for (const r of objects.filter((o) => o.kind === 'HelmRelease')) {
        const rwhere = `${where}: HelmRelease ${r.metadata?.namespace}/${r.metadata?.name}`;
        const chart = r.spec?.chart?.spec ?? {};
        const repoRef = chart.sourceRef ?? {};
        const repo = helmRepos.get(`${repoRef.namespace ?? r.metadata?.namespace}/${repoRef.name}`);
        if (repoRef.kind !== 'HelmRepository' || !repo) {
          problems.push(`${rwhere}: its chart source ${repoRef.kind} "${repoRef.name}" is not declared in the cluster's bootstrap folder`);
          continue;
        }
        if (!(k.spec?.dependsOn ?? []).length) problems.push(`${rwhere}: its Kustomization depends on nothing, so it may install before its values and issuer exist`);
        services.push({
          source: `${r.metadata?.namespace}/${r.metadata?.name}`,
          name: r.spec?.releaseName ?? (r.spec?.targetNamespace ? `${r.spec.targetNamespace}-${r.metadata?.name}` : r.metadata?.name),
          namespace: r.spec?.targetNamespace ?? r.metadata?.namespace,
          helm: { chart: chart.chart, version: chart.version, url: repo.spec?.url },
          values: releaseValues(r, everything, problems, rwhere),
          manifests: [],
        });
      }
    }
    delivered.set(cluster, services);
  }
  return { delivered, problems };
}

function parseText(text: string, path: string, problems: string[]): Obj[] {
  return parse(new Map([[path, text]]), path, problems);
}
