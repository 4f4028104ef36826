/**
 * `meshfleet validate`: audits a GitOps tree (written by meshfleet or by hand) against the upstream
 * schemas and the mesh and Multigres invariants, per target, and against the fleet it should deliver.
 * Every finding names its file or object; files it does not understand are reported, never thrown on.
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadFleet } from '../fleet/loader';
import { validateTree } from '../app/validate';
import { parseArgs } from './args';
import { Io, parseTargets } from './synth';
import { BUILT_IN_DEFAULTS, RepoDefaults } from './defaults';

/** The usage text of `meshfleet validate` (its --help). */
export const VALIDATE_USAGE = `usage: meshfleet validate [DIR] [--fleet FILE] [--schemas [PATH]] [--target T[,T]]
  Audits the tree in DIR (default: package.json's meshfleet.out, else dist), written by meshfleet or by hand, and exits 1 on any finding:
  - what each delivery engine would give every cluster (Plural with its Liquid rendered, Argo CD with its
    value files and valuesObject merged): the Cluster Mesh and Multigres invariants;
  - the clusters the tree declares against the fleet's (a tree of another fleet disagrees);
  - with --schemas: every manifest against its upstream CRD or core schema, and every cluster's Cilium
    values against the chart's values schema; the schemas meshfleet ships (schemas/upstream.json, generated
    from the upstream CRDs and charts), or PATH: a folder with crds/ and cilium/<version>/values.schema.json,
    or a bundle of that shape.
  --fleet FILE    the fleet the tree should deliver (default: package.json's meshfleet.fleet, else fleet.yaml)
  --schemas [PATH] check against upstream schemas: meshfleet's own, or PATH (default: not checked, and said so)
  --target T      the trees to audit: plural, argocd, flux, local (default: the fleet's targets)`;

/** What `--schemas` alone stands for: the bundle the package ships. */
const SHIPPED = '@meshfleet';

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

/** Runs `meshfleet validate`; returns the exit code. */
export function validateCommand(argv: readonly string[], io: Io, defaults: RepoDefaults = BUILT_IN_DEFAULTS): number {
  // `--schemas` alone (last, or before another option) means the schemas meshfleet ships.
  const args = argv.map((x, i) => (x === '--schemas' && (i === argv.length - 1 || argv[i + 1].startsWith('-')) ? `--schemas=${SHIPPED}` : x));
  const a = parseArgs(args, { values: { fleet: defaults.fleet, schemas: undefined, target: undefined }, positionals: 1 });
  if (a.help) {
    io.log(VALIDATE_USAGE);
    return 0;
  }
  const dir = a.positionals[0] ?? defaults.out;
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    io.err(`meshfleet: validate: ${dir} is not a folder`);
    return 2;
  }
  const started = Date.now();
  const fleet = loadFleet(a.values.fleet!);
  const targets = parseTargets(a.values.target) ?? fleet.targets;
  const findings: string[] = [];
  const files = readTree(dir, findings);
  const { UpstreamSchemas } = a.values.schemas ? require('../schemas/upstream-schemas') as typeof import('../schemas/upstream-schemas') : { UpstreamSchemas: undefined };
  const schemas = !UpstreamSchemas ? undefined : a.values.schemas === SHIPPED ? UpstreamSchemas.bundled() : UpstreamSchemas.load(a.values.schemas!);
  const result = validateTree(fleet, files, targets, schemas);
  findings.push(...result.findings);
  if (findings.length > 0) {
    io.err(`meshfleet: validate: ${findings.length} finding(s) in ${dir}:\n  ${findings.join('\n  ')}`);
    return 1;
  }
  io.log(`meshfleet: validate: ${dir}: ${result.manifests} manifests and ${result.values} Cilium values files (${fleet.clusters.length} clusters, `
    + `chart ${fleet.cilium.version}, targets ${targets.join(', ')})${a.values.schemas === SHIPPED ? ' valid against the upstream schemas meshfleet ships' : a.values.schemas ? ` valid against ${a.values.schemas}` : ' (schemas not checked: give --schemas)'}; `
    + `mesh, Multigres and probe invariants hold (${Date.now() - started} ms)`);
  return 0;
}
