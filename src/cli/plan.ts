/**
 * `meshfleet plan --against <git ref or file>`: what a change to the fleet description does, read
 * like a pull request's review: clusters, meshes, stacks, Cilium values per cluster; refuses (exit 1)
 * the transitions that break a running mesh.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { changedKeys, compareFleets } from '../check/change';
import { compareSources } from '../check/sources';
import { FleetValidationError } from '../fleet/errors';
import { Fleet } from '../fleet/fleet';
import { loadFleet, parseFleet } from '../fleet/loader';
import { clusterCiliumValues, planFleet } from '../plan/plan';
import { parseArgs, UsageError } from './args';
import { Io } from './synth';

/** The usage text of `meshfleet plan` (its --help). */
export const PLAN_USAGE = `usage: meshfleet plan (--against REF | --against-file FILE) [--fleet FILE] [--allow-source-change]
  What changing the fleet description from REF (a git ref such as origin/main, resolved by git, never a
  path in the working tree) or FILE (the previous fleet.yaml, named explicitly) to --fleet (default:
  fleet.yaml) does: clusters added, removed, renamed and decommissioned; meshes whose peer lists change;
  stacks created or deleted (and what Plural does then); the Cilium values that change per cluster; every
  change of where what a cluster runs comes from (chart repository and version, images, repository URLs
  and revisions, projects, namespaces). Exit 1 when the change breaks a running mesh (an id, name or mesh
  changed in place, a removal without decommission, maxConnectedClusters or the CA changed) or moves a
  source (chart repository, image registry, repository URL) without --allow-source-change.`;

/** A git ref as given on the command line: no option, no path traversal, no revision syntax beyond ~ and ^. */
const GIT_REF = /^[A-Za-z0-9][A-Za-z0-9._/@~^-]*$/;

/** Runs git in `cwd`; its stdout, or throws with git's first line of stderr. */
function git(cwd: string, args: readonly string[]): string {
  return execFileSync('git', [...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
}

function gitError(e: unknown): string {
  return String((e as { stderr?: string }).stderr ?? (e as Error).message).trim().split('\n')[0];
}

/**
 * Resolves `ref` to a commit with git alone (never a path in the working tree, which a pull request
 * can plant). A short name that names more than one ref (a branch `origin/main` beside the remote's
 * `origin/main`, which a fork's branch name can create in CI) is refused: write it in full.
 */
function resolveRef(ref: string, cwd: string): string {
  if (!GIT_REF.test(ref) || ref.includes('..') || ref.includes('@{')) {
    throw Object.assign(new UsageError(`--against "${ref}" is not a git ref (such as origin/main); to compare with a file, use --against-file`), { brief: true });
  }
  const base = ref.replace(/[~^].*$/, '');
  if (!base.startsWith('refs/') && !/^[0-9a-f]{7,64}$/.test(base) && base !== 'HEAD') {
    const candidates = [`refs/${base}`, `refs/tags/${base}`, `refs/heads/${base}`, `refs/remotes/${base}`, `refs/remotes/${base}/HEAD`];
    const found = candidates.filter((full) => {
      try {
        git(cwd, ['show-ref', '--verify', '--quiet', full]);
        return true;
      } catch {
        return false;
      }
    });
    if (found.length > 1) {
      throw Object.assign(new UsageError(`--against "${ref}" names ${found.length} refs (${found.join(', ')}); name the one you mean in full, e.g. --against ${found[found.length - 1]}`), { brief: true });
    }
  }
  try {
    return git(cwd, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]).trim();
  } catch (e) {
    throw Object.assign(new UsageError(`cannot read fleet.yaml at git ref "${ref}": ${gitError(e) || 'no such commit'}`), { brief: true });
  }
}

/** The previous fleet description: the same file at a git ref (`--against`), or a file named explicitly (`--against-file`). */
function readBefore(values: Record<string, string | undefined>, fleetFile: string): { text: string; label: string } {
  const { against, 'against-file': file } = values;
  if (against !== undefined && file !== undefined) throw new UsageError('give --against REF or --against-file FILE, not both');
  if (file !== undefined) {
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw Object.assign(new UsageError(`--against-file ${file} is not a file`), { brief: true });
    return { text: fs.readFileSync(file, 'utf8'), label: file };
  }
  if (against === undefined) throw new UsageError('--against is required (a git ref such as origin/main), or --against-file with the previous fleet.yaml');
  const cwd = path.dirname(path.resolve(fleetFile));
  const name = path.basename(fleetFile);
  const commit = resolveRef(against, cwd);
  try {
    return { text: git(cwd, ['show', `${commit}:./${name}`]), label: `${against}:${name}` };
  } catch (e) {
    throw Object.assign(new UsageError(`cannot read ${name} at git ref "${against}": ${gitError(e)}`), { brief: true });
  }
}

/** Cilium values per cluster, as every target delivers them. */
function ciliumValues(fleet: Fleet): Map<string, Record<string, unknown>> {
  const plan = planFleet(fleet);
  return new Map(fleet.clusters.map((c) => [c.name, clusterCiliumValues(plan, c)]));
}

/** Runs `meshfleet plan`; returns the exit code. */
export function planCommand(argv: readonly string[], io: Io): number {
  const a = parseArgs(argv, { values: { fleet: 'fleet.yaml', against: undefined, 'against-file': undefined }, switches: ['allow-source-change'] });
  if (a.help) {
    io.log(PLAN_USAGE);
    return 0;
  }
  const fleetFile = a.values.fleet!;
  const after = loadFleet(fleetFile);
  const { text, label } = readBefore(a.values, fleetFile);
  let before: Fleet;
  try {
    before = parseFleet(text, label);
  } catch (e) {
    if (!(e instanceof FleetValidationError)) throw e;
    io.err(`meshfleet: plan: the fleet before the change (${label}) is invalid, so there is nothing to compare with:\n  ${e.message}`);
    return 1;
  }
  const change = compareFleets(before, after);
  const lines: string[] = [`meshfleet plan: ${label} -> ${fleetFile}`];
  const list = (xs: readonly string[]) => xs.join(', ');
  if (before.cilium.version !== after.cilium.version) lines.push(`  Cilium chart ${before.cilium.version} -> ${after.cilium.version}: every cluster changes its Cilium release`);
  if (change.added.length) lines.push(`  clusters added: ${list(change.added)}`);
  for (const d of change.decommissioned) lines.push(`  cluster decommissioned: ${d.name} (${d.stack === 'destroy' ? 'its infrastructure is destroyed' : 'its stack is detached; the infrastructure stays'})`);
  if (change.removed.length) lines.push(`  clusters removed without decommission: ${list(change.removed)}`);
  for (const [o, n] of change.renamed) lines.push(`  cluster renamed: ${o} -> ${n}`);
  for (const m of change.meshes) {
    lines.push(`  mesh "${m.name}": peer list changes${m.joining.length ? `, joining ${list(m.joining)}` : ''}${m.leaving.length ? `, leaving ${list(m.leaving)}` : ''}; `
      + (m.members === 0 ? 'no member is left' : m.members === 1 ? 'its one member reloads its Cilium configuration' : `all ${m.members} members reload their Cilium configuration`));
  }
  for (const s of change.stacksCreated) lines.push(`  stack created: ${s} (Plural runs terraform apply: a new cluster)`);
  for (const s of change.stacksDeleted) lines.push(`  stack deleted: ${s.name} (${s.destroys ? 'Plural runs terraform destroy' : 'detached: Plural deletes the stack and leaves the infrastructure'})`);
  const beforeValues = ciliumValues(before);
  const afterValues = ciliumValues(after);
  for (const [cluster, v] of afterValues) {
    const was = beforeValues.get(cluster);
    if (!was) continue;
    const keys = changedKeys(was, v);
    if (keys.length) lines.push(`  cluster "${cluster}": Cilium values change: ${keys.slice(0, 8).join(', ')}${keys.length > 8 ? ` and ${keys.length - 8} more` : ''}`);
  }
  const sources = compareSources(before, after);
  for (const s of sources) lines.push(`  ${s.source ? 'source' : 'setting'} ${s.field}: ${s.before} -> ${s.after} (${s.meaning})`);
  if (lines.length === 1) lines.push('  no change to what any cluster runs');
  for (const w of change.warnings) lines.push(`  warning: ${w}`);
  const allowSources = a.switches.has('allow-source-change');
  const moved = sources.filter((s) => s.source);
  if (allowSources) for (const s of moved) lines.push(`  warning: ${s.field} moves to ${s.after}, acknowledged with --allow-source-change`);
  io.log(lines.join('\n'));
  const refusals = [...change.refusals];
  if (!allowSources) {
    for (const s of moved) {
      refusals.push(`${s.field} changes from ${s.before} to ${s.after}: ${s.meaning}. A pull request that moves a source must say so: `
        + 'run plan with --allow-source-change (the generated workflow adds it when the pull request has the label meshfleet-source-change)');
    }
  }
  if (refusals.length) {
    const breaks = change.refusals.length > 0;
    io.err(`meshfleet: plan: refused, ${breaks ? 'this change breaks a running mesh' : 'this change moves where the clusters take what they run from'}:\n  ${refusals.join('\n  ')}`);
    return 1;
  }
  return 0;
}
