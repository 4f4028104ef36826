/** Plural's agent, simulated: what it deploys to each cluster from a GitOps tree, Liquid rendered and values merged. */
import { Liquid as LiquidEngine } from 'liquidjs';
import { parseAllDocuments } from 'yaml';
import { DeliveredService } from '../../check/delivered';
import { Fleet } from '../../fleet/fleet';
import { mergeValues } from '../../k8s/yaml';
import { PluralClusterContext, pluralContextOf, standInConfiguration } from './context';

type Obj = Record<string, any>;

/** Longest template rendered, in characters (meshfleet's largest, a mesh of 255 clusters, is about 60 KB). */
const LIQUID_PARSE_LIMIT = 4 * 1024 * 1024;
/** Most milliseconds one template may render for. */
const LIQUID_RENDER_LIMIT_MS = 1000;
/** Most milliseconds a whole fleet's simulation may take (1,000 clusters take about 2 s). */
export const SIMULATION_BUDGET_MS = 60_000;
/** Most memory units (characters, loop and array elements) one render may use. */
const LIQUID_MEMORY_LIMIT = 64 * 1024 * 1024;

/**
 * The Liquid engine of the simulation: strict (an unknown variable or filter is an error), with the
 * tree as its only root (an `include` or `render` finds the tree's own files and nothing on disk), and
 * bounded in template size, render time and memory, so a hostile tree gets a finding, never a hang.
 */
export function liquidEngine(files: ReadonlyMap<string, string>): LiquidEngine {
  const cached = engines.get(files);
  if (cached) return cached;
  const templates: Record<string, string> = Object.create(null);
  for (const [p, text] of files) if (p.endsWith('.liquid')) templates[p] = text;
  const engine = new LiquidEngine({
    strictVariables: true,
    strictFilters: true,
    templates,
    parseLimit: LIQUID_PARSE_LIMIT,
    renderLimit: LIQUID_RENDER_LIMIT_MS,
    memoryLimit: LIQUID_MEMORY_LIMIT,
    ownPropertyOnly: true,
  });
  engines.set(files, engine);
  return engine;
}
const engines = new WeakMap<ReadonlyMap<string, string>, LiquidEngine>();

/**
 * Simulates what Plural deploys to one cluster from a GitOps tree (path -> content): every
 * GlobalService whose tags the cluster carries and every ServiceDeployment whose clusterRef names it,
 * with `.liquid` files rendered (strictly: an unknown variable is an error) and values files merged
 * in order. Used by the tests and by `npm run validate:upstream`; it touches no disk.
 *
 * @param configuration the `configuration` map each configurationRef Secret would provide
 */
export function simulatePlural(
  files: ReadonlyMap<string, string>,
  cluster: PluralClusterContext,
  configuration: (secret: string) => Record<string, string>,
  problems?: string[],
  deadline = Number.POSITIVE_INFINITY,
): DeliveredService[] {
  const engine = liquidEngine(files);
  const out: DeliveredService[] = [];
  for (const obj of bootstrapObjects(files, problems)) {
    if (Date.now() > deadline) throw new SimulationBudgetError();
    try {
      simulateObject(obj, files, cluster, configuration, engine, out);
    } catch (e) {
      // A service of the user's own (a values file kept elsewhere, Liquid meshfleet does not know) is reported, not fatal.
      if (!problems) throw e;
      problems.push(`cluster "${cluster.name}": ${(e as Error).message}`);
    }
  }
  return out;
}

function simulateObject(obj: Obj, files: ReadonlyMap<string, string>, cluster: PluralClusterContext,
  configuration: (secret: string) => Record<string, string>, engine: LiquidEngine, out: DeliveredService[]): void {
  const spec = obj.spec ?? {};
  let template: Obj;
  if (obj.kind === 'GlobalService') {
    const tags: Obj = spec.tags ?? {};
    if (!Object.entries(tags).every(([k, v]) => cluster.tags[k] === v)) return;
    if (spec.distro !== undefined && spec.distro !== cluster.distro) return;
    template = spec.template ?? {};
  } else if (obj.kind === 'ServiceDeployment') {
    if (spec.clusterRef?.name !== cluster.name) return;
    template = { ...spec, name: spec.name ?? obj.metadata?.name };
  } else {
    return;
  }
  const source = `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name}`;
  const ref = template.configurationRef;
  const context = {
    cluster: { handle: cluster.handle, name: cluster.name, tags: cluster.tags, metadata: cluster.metadata, distro: cluster.distro },
    configuration: ref ? configuration(`${ref.namespace ?? ''}/${ref.name}`) : {},
  };
  const folder: string = template.git?.folder ?? '';
  const read = (rel: string): string => {
    const p = `${folder}/${rel}`;
    const text = files.get(p);
    if (text === undefined) throw new Error(`${source}: ${p} is not in the tree`);
    return rel.endsWith('.liquid') ? render(engine, text, context, `${source}: ${p}`) : text;
  };
  if (template.helm) {
    let values: unknown = {};
    for (const f of template.helm.valuesFiles ?? []) {
      const docs = parse(read(f), `${source}: ${folder}/${f}`);
      values = mergeValues(values, docs[0] ?? {});
    }
    out.push({
      source,
      name: template.name,
      namespace: template.namespace,
      helm: { chart: template.helm.chart, version: template.helm.version, url: template.helm.url },
      values: values as Record<string, unknown>,
      manifests: [],
    });
  } else {
    const manifests: Obj[] = [];
    for (const p of [...files.keys()].filter((k) => k.startsWith(`${folder}/`) && /\.ya?ml(\.liquid)?$/.test(k)).sort()) {
      manifests.push(...parse(read(p.slice(folder.length + 1)), `${source}: ${p}`).filter((d): d is Obj => d !== null));
    }
    out.push({ source, name: template.name, namespace: template.namespace, manifests });
  }
}

/** Every object under `bootstrap/` (what Plural's root apps service applies). */
export function bootstrapObjects(files: ReadonlyMap<string, string>, problems?: string[]): Obj[] {
  const objs: Obj[] = [];
  for (const [p, text] of files) {
    if (!p.startsWith('bootstrap/') || !/\.ya?ml$/.test(p)) continue;
    try {
      objs.push(...parse(text, p).filter((d): d is Obj => d !== null && typeof d === 'object'));
    } catch (e) {
      if (!problems) throw e;
      problems.push((e as Error).message);
    }
  }
  return objs;
}

function render(engine: LiquidEngine, text: string, context: object, where: string): string {
  try {
    return engine.parseAndRenderSync(text, context);
  } catch (e) {
    throw new Error(`${where}: liquid: ${(e as Error).message}`);
  }
}

function parse(text: string, where: string): Array<Obj | null> {
  const docs = parseAllDocuments(text);
  const out: Array<Obj | null> = [];
  for (const d of docs) {
    if (d.errors.length > 0) throw new Error(`${where}: invalid YAML after rendering: ${d.errors[0].message}`);
    out.push(d.toJS() as Obj | null);
  }
  return out;
}

/** Thrown when a simulation runs past its time budget (a tree whose templates are slow on purpose). */
export class SimulationBudgetError extends Error {
  constructor() {
    super('the simulation ran past its time budget (templates that take long to render); this cluster and the ones after it were not simulated');
    this.name = 'SimulationBudgetError';
  }
}

/**
 * What Plural would deploy to each cluster of the fleet, rendered (each configuration Secret from stand-in
 * values of its own), within a time budget in all: past it, the rest is one problem (with `problems`) or
 * an error, never an endless run.
 *
 * @param budgetMs the budget @default SIMULATION_BUDGET_MS (60 s)
 */
export function simulateFleet(fleet: Fleet, files: ReadonlyMap<string, string>, problems?: string[], budgetMs = SIMULATION_BUDGET_MS): Map<string, DeliveredService[]> {
  const out = new Map<string, DeliveredService[]>();
  const deadline = Date.now() + budgetMs;
  for (const c of fleet.clusters) {
    try {
      out.set(c.name, simulatePlural(files, pluralContextOf(c), standInConfiguration, problems, deadline));
    } catch (e) {
      if (!(e instanceof SimulationBudgetError) || !problems) throw e;
      problems.push(`cluster "${c.name}": ${e.message}`);
      break;
    }
  }
  return out;
}
