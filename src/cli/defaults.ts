/**
 * The repository's own defaults: `meshfleet init` records in package.json where the fleet description is
 * and where its tree goes (`"meshfleet": { "fleet": "fleet.yaml", "out": "." }`), and every command reads
 * them, so plain `npx meshfleet synth` / `check` / `plan` / `validate` / `graph` act on the tree CI checks.
 * Flags override them. package.json is part of the repository, so a pull request can change it: both
 * paths must stay inside the repository (relative, no `..`), and `plan` reports a change of them.
 */
import * as fs from 'fs';
import * as path from 'path';
import { relPathProblem } from '../gitops/confined';
import { UsageError } from './args';

/** Where a repository's fleet description and tree are. */
export interface RepoDefaults {
  /** The fleet description. @default "fleet.yaml" */
  readonly fleet: string;
  /** The output folder (`.` for the repository's root). @default "dist" */
  readonly out: string;
  /** Where they were read from (`package.json`), or undefined for the built-in defaults. */
  readonly source?: string;
}

/** The defaults of a folder without settings of its own (meshfleet's own repository among them). */
export const BUILT_IN_DEFAULTS: RepoDefaults = { fleet: 'fleet.yaml', out: 'dist' };

/** package.json is read up to this size (it is a settings file; anything larger is refused). */
const MAX_PACKAGE_JSON_BYTES = 1 << 20;

/** Why `p` cannot be a repository path setting, or undefined. `.` (the root) is allowed for a folder. */
export function settingPathProblem(p: unknown, folder: boolean): string | undefined {
  if (typeof p !== 'string') return 'must be a string';
  if (folder && (p === '.' || p === './')) return undefined;
  const rel = p.replace(/^\.\//, '').replace(/\/$/, '');
  const problem = relPathProblem(rel);
  return problem ? `"${p}" ${problem}; it must be a path inside the repository` : undefined;
}

/**
 * Parses the `meshfleet` settings of a package.json text; throws a UsageError naming the field at fault.
 * @returns the defaults, or undefined when the package has no `meshfleet` settings
 */
export function parseRepoDefaults(text: string, source = 'package.json'): RepoDefaults | undefined {
  let pkg: unknown;
  try {
    pkg = JSON.parse(text);
  } catch (e) {
    throw Object.assign(new UsageError(`${source} is not valid JSON (${(e as Error).message}); meshfleet reads its "meshfleet" settings from it`), { brief: true });
  }
  const settings = pkg !== null && typeof pkg === 'object' ? (pkg as Record<string, unknown>).meshfleet : undefined;
  if (settings === undefined) return undefined;
  if (settings === null || typeof settings !== 'object' || Array.isArray(settings)) {
    throw Object.assign(new UsageError(`${source}: "meshfleet" must be an object such as {"fleet": "fleet.yaml", "out": "."}`), { brief: true });
  }
  const s = settings as Record<string, unknown>;
  for (const key of Object.keys(s)) {
    if (key !== 'fleet' && key !== 'out') throw Object.assign(new UsageError(`${source}: "meshfleet.${key}" is not a setting (fleet, out)`), { brief: true });
  }
  const fleet = s.fleet ?? BUILT_IN_DEFAULTS.fleet;
  const out = s.out ?? BUILT_IN_DEFAULTS.out;
  const fleetProblem = settingPathProblem(fleet, false);
  if (fleetProblem) throw Object.assign(new UsageError(`${source}: "meshfleet.fleet" ${fleetProblem}`), { brief: true });
  const outProblem = settingPathProblem(out, true);
  if (outProblem) throw Object.assign(new UsageError(`${source}: "meshfleet.out" ${outProblem}`), { brief: true });
  return { fleet: fleet as string, out: out as string, source };
}

/** The defaults of the repository in `cwd`: its package.json's `meshfleet` settings, or the built-in ones. */
export function repoDefaults(cwd: string = process.cwd()): RepoDefaults {
  const file = path.join(cwd, 'package.json');
  let st: fs.Stats;
  try {
    st = fs.lstatSync(file);
  } catch {
    return BUILT_IN_DEFAULTS;
  }
  if (!st.isFile()) return BUILT_IN_DEFAULTS;
  if (st.size > MAX_PACKAGE_JSON_BYTES) throw Object.assign(new UsageError(`package.json is larger than ${MAX_PACKAGE_JSON_BYTES} bytes; meshfleet reads its "meshfleet" settings from it`), { brief: true });
  return parseRepoDefaults(fs.readFileSync(file, 'utf8')) ?? BUILT_IN_DEFAULTS;
}
