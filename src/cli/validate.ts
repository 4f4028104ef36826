/**
 * `meshfleet validate`: audits a GitOps tree (written by meshfleet or by hand) against the upstream
 * schemas and the mesh and Multigres invariants, per target, and against the fleet it should deliver.
 * Every finding names its file or object; files it does not understand are reported, never thrown on.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DeliveredService } from '../check/delivered';
import { checkMesh } from '../check/mesh';
import { checkMultigres } from '../check/multigres';
import { checkProbe } from '../check/probe';
import { Fleet } from '../fleet/fleet';
import { loadFleet } from '../fleet/loader';
import { ArgoCdLayout } from '../targets/argocd/layout';
import { simulateArgoCd } from '../targets/argocd/simulator';
import { PluralLayout } from '../targets/plural/layout';
import { simulateFleet } from '../targets/plural/simulator';
import { DeliveryTarget } from '../fleet/props';
import { checkLocalTree } from '../targets/local/checks';
import { parseArgs } from './args';
import { Io, parseTargets } from './synth';

/** The usage text of `meshfleet validate` (its --help). */
export const VALIDATE_USAGE = `usage: meshfleet validate [DIR] [--fleet FILE] [--schemas DIR] [--target T[,T]]
  Audits the tree in DIR (default: dist), written by meshfleet or by hand, and exits 1 on any finding:
  - what each delivery engine would give every cluster (Plural with its Liquid rendered, Argo CD with its
    value files and valuesObject merged): the Cluster Mesh and Multigres invariants;
  - the clusters the tree declares against the fleet's (a tree of another fleet disagrees);
  - with --schemas DIR (a folder with crds/ and cilium/<version>/values.schema.json, such as meshfleet's
    ../shared): every manifest against its upstream CRD or core schema, and every cluster's Cilium values
    against the chart's values schema.
  --fleet FILE    the fleet the tree should deliver (default: fleet.yaml)
  --schemas DIR   upstream schemas (default: none; the schema checks are then skipped, and said so)
  --target T      the trees to audit: plural, argocd, local (default: the fleet's targets)`;

/** Largest file read (a GitOps tree holds no bigger YAML); larger ones are reported and skipped. */
const MAX_FILE = 4 * 1024 * 1024;
/** Most bytes read from one tree in all (the example's trees hold 0.4 MB; 1,000 clusters about 2 MB). */
const MAX_TREE_BYTES = 64 * 1024 * 1024;
/** Most files read from one tree. */
const MAX_TREE_FILES = 100_000;

/**
 * Reads every regular file below `dir` (no symlink is followed), keyed by its `/`-separated relative
 * path, within a budget of bytes and files: a hostile tree (thousands of large or sparse files) gets a
 * finding, never an exhausted heap.
 */
export function readTree(dir: string, findings: string[]): Map<string, string> {
  const out = new Map<string, string>();
  let bytes = 0;
  let skipped = 0;
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.name === '.git' || e.name === 'node_modules') continue;
      if (e.isSymbolicLink()) findings.push(`${r}: a symlink; not followed`);
      else if (e.isDirectory()) walk(r);
      else if (e.isFile()) {
        const size = fs.lstatSync(path.join(dir, r)).size;
        if (size > MAX_FILE) findings.push(`${r}: ${size} bytes; not read`);
        else if (bytes + size > MAX_TREE_BYTES || out.size >= MAX_TREE_FILES) skipped++;
        else {
          bytes += size;
          out.set(r, fs.readFileSync(path.join(dir, r), 'utf8'));
        }
      }
    }
  };
  walk('');
  if (skipped > 0) findings.push(`${dir}: ${skipped} more files not read: a tree is read up to ${MAX_TREE_FILES} files and ${MAX_TREE_BYTES / 1024 / 1024} MiB`);
  return out;
}

/** The clusters a tree declares for a fleet: Plural Cluster files, Argo CD cluster Application files. */
function declaredClusters(files: ReadonlyMap<string, string>, fleet: string, target: 'plural' | 'argocd'): Set<string> {
  const of = target === 'plural' ? PluralLayout.clusterOfPath : ArgoCdLayout.clusterOfPath;
  const prefix = target === 'plural' ? `bootstrap/${fleet}/clusters/` : `argocd/${fleet}/apps/clusters/`;
  return new Set([...files.keys()].filter((p) => p.startsWith(prefix)).map(of).filter((c): c is string => c !== undefined));
}

/** Audits a tree; returns the findings (empty when it is sound). */
export function validateTree(fleet: Fleet, files: ReadonlyMap<string, string>, targets: readonly DeliveryTarget[],
  schemasDir: string | undefined): { findings: string[]; manifests: number; values: number } {
  const findings: string[] = [];
  let manifests = 0;
  let values = 0;
  const schemas = schemasDir ? (require('../dev/upstream-schemas') as typeof import('../dev/upstream-schemas')).UpstreamSchemas.load(schemasDir) : undefined;
  // Only the files of the audited trees: a GitOps repository also holds fleet.yaml and the user's own files.
  const prefixes = targets.flatMap((t) => (t === 'plural' ? new PluralLayout(fleet.name).ownedPrefixes
    : t === 'argocd' ? new ArgoCdLayout(fleet.name).ownedPrefixes : [`local/${fleet.name}/`]));
  if (schemas) {
    for (const [rel, text] of files) {
      if (!prefixes.some((p) => rel.startsWith(p))) continue;
      // Manifests only (helm/, argocd/<fleet>/cilium/ and local/ hold values and kind files); .liquid files are checked once rendered.
      if (!/\.ya?ml$/.test(rel) || rel.startsWith('helm/') || /^argocd\/[^/]+\/cilium\//.test(rel) || /^local\/[^/]+\/(cilium|kind)\//.test(rel) || rel.startsWith('.')) continue;
      try {
        findings.push(...schemas.validateYaml(text, rel));
      } catch (e) {
        findings.push(`${rel}: ${(e as Error).message}`);
      }
      manifests += (text.match(/^kind: /gm) || []).length;
    }
  }
  for (const target of targets) {
    if (target === 'local') {
      const local = checkLocalTree(fleet, files);
      findings.push(...local.problems.map((p) => `local: ${p}`));
      for (const [cluster, services] of local.delivered) {
        for (const s of services) {
          if (schemas && s.helm) findings.push(...schemas.validateCiliumValues(s.helm.version, s.values).map((p) => `local: cluster "${cluster}": ${p}`));
          if (schemas) findings.push(...schemas.validateManifests(s.manifests).map((p) => `local: cluster "${cluster}" ${s.source}: ${p}`));
          if (s.helm) values++;
          manifests += s.manifests.length;
        }
      }
      continue;
    }
    let delivered: ReadonlyMap<string, readonly DeliveredService[]>;
    const problems: string[] = [];
    try {
      if (target === 'plural') {
        delivered = simulateFleet(fleet, files, problems);
      } else {
        const sim = simulateArgoCd(files, new ArgoCdLayout(fleet.name).rootFile);
        problems.push(...sim.problems);
        delivered = new Map(fleet.clusters.map((c) => [c.name, sim.delivered.get(c.name) ?? []]));
      }
    } catch (e) {
      findings.push(`${target}: ${(e as Error).message}`);
      continue;
    }
    findings.push(...problems.map((p) => `${target}: ${p}`));
    const declared = declaredClusters(files, fleet.name, target);
    for (const c of fleet.clusters) if (!declared.has(c.name)) findings.push(`${target}: cluster "${c.name}" of the fleet is not declared in the tree`);
    const known = new Set([...fleet.clusters.map((c) => c.name), ...fleet.decommissioned.map((c) => c.name)]);
    for (const c of declared) if (!known.has(c)) findings.push(`${target}: the tree declares cluster "${c}", which the fleet does not have`);
    for (const [cluster, services] of delivered) {
      for (const s of services) {
        if (s.helm?.chart === 'cilium') {
          if (schemas) findings.push(...schemas.validateCiliumValues(s.helm.version, s.values).map((p) => `${target}: cluster "${cluster}" ${s.source}: ${p}`));
          values++;
        }
        if (schemas) findings.push(...schemas.validateManifests(s.manifests).map((p) => `${target}: cluster "${cluster}" ${s.source}: ${p}`));
        manifests += s.manifests.length;
      }
    }
    findings.push(...checkMesh(fleet, delivered).map((p) => `${target}: ${p}`));
    findings.push(...checkMultigres(fleet, delivered, files).map((p) => `${target}: ${p}`));
    findings.push(...checkProbe(fleet, delivered).map((p) => `${target}: ${p}`));
  }
  return { findings, manifests, values };
}

/** Runs `meshfleet validate`; returns the exit code. */
export function validateCommand(argv: readonly string[], io: Io): number {
  const a = parseArgs(argv, { values: { fleet: 'fleet.yaml', schemas: undefined, target: undefined }, positionals: 1 });
  if (a.help) {
    io.log(VALIDATE_USAGE);
    return 0;
  }
  const dir = a.positionals[0] ?? 'dist';
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    io.err(`meshfleet: validate: ${dir} is not a folder`);
    return 2;
  }
  const started = Date.now();
  const fleet = loadFleet(a.values.fleet!);
  const targets = parseTargets(a.values.target) ?? fleet.targets;
  const findings: string[] = [];
  const files = readTree(dir, findings);
  const result = validateTree(fleet, files, targets, a.values.schemas);
  findings.push(...result.findings);
  if (findings.length > 0) {
    io.err(`meshfleet: validate: ${findings.length} finding(s) in ${dir}:\n  ${findings.join('\n  ')}`);
    return 1;
  }
  io.log(`meshfleet: validate: ${dir}: ${result.manifests} manifests and ${result.values} Cilium values files (${fleet.clusters.length} clusters, `
    + `chart ${fleet.cilium.version}, targets ${targets.join(', ')})${a.values.schemas ? ` valid against ${a.values.schemas}` : ' (schemas not checked: give --schemas DIR)'}; `
    + `mesh, Multigres and probe invariants hold (${Date.now() - started} ms)`);
  return 0;
}
