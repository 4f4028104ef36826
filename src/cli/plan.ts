/**
 * `meshfleet plan --against <git ref or file>`: what a change to the fleet description does, read
 * like a pull request's review: clusters, meshes, stacks, Cilium values per cluster; refuses (exit 1)
 * the transitions that break a running mesh.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { reviewChange } from '../app/review';
import { FleetValidationError } from '../fleet/errors';
import { Fleet } from '../fleet/fleet';
import { loadFleet, parseFleet } from '../fleet/loader';
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
  const review = reviewChange(before, after, a.switches.has('allow-source-change'));
  io.log([`meshfleet plan: ${label} -> ${fleetFile}`, ...review.lines].join('\n'));
  if (review.refusals.length) {
    io.err(`meshfleet: plan: refused, ${review.breaksMesh ? 'this change breaks a running mesh' : 'this change moves where the clusters take what they run from'}:\n  ${review.refusals.join('\n  ')}`);
    return 1;
  }
  return 0;
}
