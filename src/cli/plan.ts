/**
 * `meshfleet plan --against <git ref or file>`: what a change to the fleet description does, read
 * like a pull request's review: clusters, meshes, stacks, Cilium values per cluster; refuses (exit 1)
 * the transitions that break a running mesh.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { reviewChange, reviewFirstFleet } from '../app/review';
import { FleetValidationError } from '../fleet/errors';
import { Fleet } from '../fleet/fleet';
import { loadFleet, parseFleet } from '../fleet/loader';
import { parseArgs, UsageError } from './args';
import { Io } from './synth';
import { BUILT_IN_DEFAULTS, parseRepoDefaults, RepoDefaults } from './defaults';

/** The usage text of `meshfleet plan` (its --help). */
export const PLAN_USAGE = `usage: meshfleet plan (--against REF | --against-file FILE) [--fleet FILE] [--allow-source-change]
  What changing the fleet description from REF (a git ref such as origin/main, resolved by git, never a
  path in the working tree) or FILE (the previous fleet.yaml, named explicitly) to --fleet (default:
  package.json's meshfleet.fleet, else fleet.yaml) does: clusters added, removed, renamed and decommissioned; meshes whose peer lists change;
  stacks created or deleted (and what Plural does then); the Cilium values that change per cluster; every
  change of where what a cluster runs comes from (chart repository and version, images, repository URLs
  and revisions, projects, namespaces), and a change of package.json's meshfleet settings (where the fleet
  and its tree are). When REF has no fleet description yet (a repository's first pull request), every
  cluster is new. Exit 1 when the change breaks a running mesh (an id, name or mesh
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
    throw Object.assign(new UsageError(`cannot read fleet.yaml at git ref "${ref}": ${gitError(e) || 'no such commit'}`
      + ' (a repository without that branch yet: give --against HEAD, or the branch it has)'), { brief: true });
  }
}

/** The previous fleet description, or `absent` when the base has none yet; and the base's own settings. */
interface Before {
  readonly text?: string;
  readonly label: string;
  /** The base's package.json settings, when read from a git ref. */
  readonly settings?: RepoDefaults;
}

/** The previous fleet description: the same file at a git ref (`--against`), or a file named explicitly (`--against-file`). */
function readBefore(values: Record<string, string | undefined>, fleetFile: string, explicitFleet: boolean): Before {
  const { against, 'against-file': file } = values;
  if (against !== undefined && file !== undefined) throw new UsageError('give --against REF or --against-file FILE, not both');
  if (file !== undefined) {
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw Object.assign(new UsageError(`--against-file ${file} is not a file`), { brief: true });
    return { text: fs.readFileSync(file, 'utf8'), label: file };
  }
  if (against === undefined) throw new UsageError('--against is required (a git ref such as origin/main), or --against-file with the previous fleet.yaml');
  const commit = resolveRef(against, process.cwd());
  // Paths are read from git's objects, relative to the repository's root, never through the working tree
  // (a pull request can delete or replace the folders a path goes through).
  const root = git(process.cwd(), ['rev-parse', '--show-toplevel']).trim();
  const here = path.relative(root, process.cwd()).split(path.sep).filter(Boolean).join('/');
  const inRepo = (p: string) => path.posix.normalize(here ? `${here}/${p}` : p);
  // The base's own settings say where its fleet was: a pull request that points package.json elsewhere
  // must not make plan read another (or no) file as the base.
  const settings = baseSettings(root, commit, inRepo('package.json'), against);
  const at = inRepo(explicitFleet ? path.relative(process.cwd(), path.resolve(fleetFile)).split(path.sep).join('/') : settings.fleet);
  if (at.startsWith('../') || at === '..') throw Object.assign(new UsageError(`--fleet ${fleetFile} is outside the repository, so it has no version at "${against}"`), { brief: true });
  const label = `${against}:${at}`;
  const kind = objectType(root, commit, at);
  if (kind === undefined) return { label, settings };
  if (kind !== 'blob') throw Object.assign(new UsageError(`${at} at git ref "${against}" is a ${kind}, not a file`), { brief: true });
  try {
    return { text: git(root, ['show', `${commit}:${at}`]), label, settings };
  } catch (e) {
    throw Object.assign(new UsageError(`cannot read ${at} at git ref "${against}": ${gitError(e)}`), { brief: true });
  }
}

/** The type of the object at a path of a commit (blob, tree, ...), or undefined when the commit has no such path. */
function objectType(root: string, commit: string, at: string): string | undefined {
  // ls-tree answers nothing for an absent path and fails only for a real error (which is thrown).
  const line = git(root, ['ls-tree', '--full-tree', commit, '--', at]).trim();
  if (line === '') return undefined;
  return line.split(/\s+/)[1];
}

/** The package.json settings at a commit (the built-in defaults when it has none). */
function baseSettings(root: string, commit: string, at: string, against: string): RepoDefaults {
  if (objectType(root, commit, at) !== 'blob') return BUILT_IN_DEFAULTS;
  return parseRepoDefaults(git(root, ['show', `${commit}:${at}`]), `${against}:package.json`) ?? BUILT_IN_DEFAULTS;
}

/** The settings that moved between the base and now, as plan lines; each needs --allow-source-change. */
function settingChanges(before: RepoDefaults, now: RepoDefaults): string[] {
  const out: string[] = [];
  if (before.fleet !== now.fleet) out.push(`setting package.json meshfleet.fleet: ${before.fleet} -> ${now.fleet} (where the fleet description is read from)`);
  if (before.out !== now.out) out.push(`setting package.json meshfleet.out: ${before.out} -> ${now.out} (where the tree is written and checked)`);
  return out;
}

/** Runs `meshfleet plan`; returns the exit code. */
export function planCommand(argv: readonly string[], io: Io, defaults: RepoDefaults = BUILT_IN_DEFAULTS): number {
  const a = parseArgs(argv, { values: { fleet: defaults.fleet, against: undefined, 'against-file': undefined }, switches: ['allow-source-change'] });
  if (a.help) {
    io.log(PLAN_USAGE);
    return 0;
  }
  const fleetFile = a.values.fleet!;
  const explicitFleet = argv.some((x) => x === '--fleet' || x.startsWith('--fleet='));
  const after = loadFleet(fleetFile);
  const before = readBefore(a.values, fleetFile, explicitFleet);
  const allow = a.switches.has('allow-source-change');
  const moved = before.settings ? settingChanges(before.settings, defaults) : [];
  if (before.text === undefined) {
    const review = reviewFirstFleet(after, before.label);
    io.log([`meshfleet plan: ${before.label} -> ${fleetFile}`, ...review.lines, ...moved.map((m) => `  ${m}${allow ? ', acknowledged with --allow-source-change' : ''}`)].join('\n'));
    // A base with settings of its own that name a fleet file it lacks, while this change moves them:
    // refused like any settings change (the fleet the base runs may be elsewhere). A base without settings
    // (a repository's first pull request) has nothing to move.
    if (moved.length && !allow && before.settings?.source !== undefined) {
      io.err(`meshfleet: plan: refused, this change moves where the fleet is read from:\n  ${moved.map((m) => `${m}; a maintainer acknowledges it with --allow-source-change (the workflow's label meshfleet-source-change)`).join('\n  ')}`);
      return 1;
    }
    return 0;
  }
  let was: Fleet;
  try {
    was = parseFleet(before.text, before.label);
  } catch (e) {
    if (!(e instanceof FleetValidationError)) throw e;
    io.err(`meshfleet: plan: the fleet before the change (${before.label}) is invalid, so there is nothing to compare with:\n  ${e.message}`);
    return 1;
  }
  const review = reviewChange(was, after, allow);
  const settingLines = moved.map((m) => `  ${m}${allow ? ', acknowledged with --allow-source-change' : ''}`);
  io.log([`meshfleet plan: ${before.label} -> ${fleetFile}`, ...review.lines, ...settingLines].join('\n'));
  const refusals = [...review.refusals, ...(allow ? [] : moved.map((m) => `${m}; a maintainer acknowledges it with --allow-source-change (the workflow's label meshfleet-source-change)`))];
  if (refusals.length) {
    io.err(`meshfleet: plan: refused, ${review.breaksMesh ? 'this change breaks a running mesh' : 'this change moves where the clusters take what they run from'}:\n  ${refusals.join('\n  ')}`);
    return 1;
  }
  return 0;
}
