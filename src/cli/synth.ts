/** `meshfleet synth` and `meshfleet check`: write the fleet's trees, or compare a folder with them (with a unified diff). */
import * as fs from 'fs';
import * as path from 'path';
import { DELIVERY_TARGETS } from '../fleet/delivery';
import { Fleet } from '../fleet/fleet';
import { loadFleet } from '../fleet/loader';
import { DeliveryTarget } from '../fleet/props';
import { diffTree } from '../gitops/check';
import { ConfinedFolder, relPathProblem } from '../gitops/confined';
import { ownedListContent, parseOwnedList } from '../gitops/owned-list';
import { UsageError } from './args';
import { staleTargets, synthTarget, TargetTree, targetRequirement, writeFleetTrees } from '../app/trees';
import type { ClusterSelection as LocalSelection } from '../app/trees';
import { BUILT_IN_DEFAULTS } from './defaults';

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Where a command writes: progress to `log`, problems to `err`. */
export interface Io {
  readonly log: (s: string) => void;
  readonly err: (s: string) => void;
}

/** The options `synth`, `check` and `plan` share. */
export const FLEET_OPTIONS = { fleet: BUILT_IN_DEFAULTS.fleet, out: BUILT_IN_DEFAULTS.out, target: undefined, mesh: undefined, clusters: undefined } as const;

/** The `--mesh` and `--clusters` options of the local target. */
export function localSelection(values: Record<string, string | undefined>): LocalSelection {
  return { mesh: values.mesh, clusters: values.clusters?.split(',').filter(Boolean) };
}

/** The `--target` option: a comma-separated list of known targets. */
export function parseTargets(v: string | undefined): DeliveryTarget[] | undefined {
  if (v === undefined) return undefined;
  const out: DeliveryTarget[] = [];
  for (const t of v.split(',')) {
    if (!(DELIVERY_TARGETS as readonly string[]).includes(t)) {
      throw Object.assign(new UsageError(`unknown target "${t}"; use ${`${DELIVERY_TARGETS.slice(0, -1).join(', ')} or ${DELIVERY_TARGETS[DELIVERY_TARGETS.length - 1]}`}; nothing was written`), { brief: true });
    }
    if (!out.includes(t as DeliveryTarget)) out.push(t as DeliveryTarget);
  }
  return out;
}

/** Loads the fleet and synthesizes every asked target's tree (in memory); returns undefined after reporting a missing setting. */
export function fleetTrees(fleetFile: string, targets: readonly DeliveryTarget[] | undefined, io: Io, selection: LocalSelection = {}): { fleet: Fleet; trees: TargetTree[] } | undefined {
  const fleet = loadFleet(fleetFile);
  for (const w of fleet.warnings) io.err(`meshfleet: warning: ${w}`);
  const chosen = targets ?? fleet.targets;
  const missing = targetRequirement(fleet, chosen);
  if (missing) {
    io.err(`meshfleet: ${fleetFile}: ${missing}\nnothing was written.`);
    return undefined;
  }
  // Every tree is synthesized (and so validated) before anything is written.
  return { fleet, trees: chosen.map((t) => synthTarget(t, fleet, selection)) };
}

/**
 * The trees of this fleet still in `out` that no longer are targets (their owned-files lists remain):
 * nothing updates them any more. The local profile is left out (it is asked for with --target).
 */
export function staleTrees(out: string, fleet: Fleet, written: readonly DeliveryTarget[]): string[] {
  return staleTargets(fleet, written, (list) => fs.existsSync(path.join(out, list)))
    .map(({ target, list }) => `the ${target} tree of fleet "${fleet.name}" is no longer a target, so nothing updates it: delete the files listed in ${list}, then the list (git rm them), or add ${target} back to targets`);
}

/** Writes the trees; returns the exit code. */
export function synth(fleetFile: string, out: string, targets: readonly DeliveryTarget[] | undefined, io: Io, selection: LocalSelection = {}): number {
  const started = process.hrtime.bigint();
  const loaded = fleetTrees(fleetFile, targets, io, selection);
  if (!loaded) return 1;
  const { fleet, trees } = loaded;
  // One transaction: every target's tree is written, or none.
  const written = writeFleetTrees(out, fleet, trees);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const meshes = fleet.meshes.filter((m) => m.clusters.length > 0).length;
  for (const { target, result } of written) {
    for (const notice of result.notices) io.err(`meshfleet: note: ${notice}`);
    io.log(`meshfleet: fleet "${fleet.name}" (${plural(fleet.clusters.length, 'cluster')}, ${plural(meshes, 'mesh', 'meshes')}) -> ${path.join(out, '')} [${target}]: `
      + `${result.written.length} written, ${result.unchanged.length} unchanged, ${result.removed.length} removed in ${ms.toFixed(0)} ms`);
  }
  for (const stale of staleTrees(out, fleet, trees.map((t) => t.target))) io.err(`meshfleet: warning: ${stale}`);
  return 0;
}

/**
 * Compares `out` with fresh trees without writing: exit 0 when equal; else 1, the differing paths, a
 * unified diff of their contents (`--- a/<path>` is the folder, `+++ b/<path>` the fresh synth), and
 * the command that brings the folder up to date.
 */
export function check(fleetFile: string, out: string, targets: readonly DeliveryTarget[] | undefined, io: Io, synthCommand: string, selection: LocalSelection = {}): number {
  const loaded = fleetTrees(fleetFile, targets, io, selection);
  if (!loaded) return 1;
  const { fleet, trees } = loaded;
  // The trees share the state folder: what it holds (a lock, an interrupted run) is said once.
  const diffs = [...new Set([...trees.flatMap((t) => diffTree(out, t.files, t.ownedList, t.ownedPrefixes, t.foreignPaths)), ...staleTrees(out, fleet, trees.map((t) => t.target)).map((s) => `stale: ${s}`)])];
  if (diffs.length === 0) {
    io.log(`${out} is up to date with ${fleetFile} (${trees.map((t) => `${t.target}: ${t.files.size} files`).join(', ')})`);
    return 0;
  }
  io.err(`meshfleet: ${out} differs from a fresh synth of ${fleetFile}:\n  ${diffs.join('\n  ')}`);
  const patch = trees.map((t) => unifiedDiff(out, t)).join('');
  if (patch) io.err(patch.trimEnd());
  for (const hint of checkHints(diffs, fleetFile, synthCommand)) io.err(hint);
  return 1;
}

/** What to do about a check's differences, one line per kind (a hand edit, a planted file, a lock, a stale tree). */
export function checkHints(diffs: readonly string[], fleetFile: string, synthCommand: string): string[] {
  const count = (prefix: string) => diffs.filter((d) => d.startsWith(prefix)).length;
  const edited = count('differs, edited by hand');
  const planted = count('not generated, in a generated folder');
  const locks = count('leftover lock');
  const hints: string[] = [];
  if (edited > 0) {
    hints.push(`${edited === 1 ? 'a generated file was' : `${edited} generated files were`} edited by hand, and synth will not overwrite ${edited === 1 ? 'it' : 'them'}: `
      + `put the change into ${fleetFile} (or delete the ${edited === 1 ? 'file' : 'files'}), then run \`${synthCommand}\` and commit the result`);
  }
  if (planted > 0) hints.push('delete or move the files that are not generated (meshfleet never deletes a file it did not write)');
  if (locks > 0) hints.push('delete the leftover lock (a run\'s lock is never committed: .gitignore it)');
  if (edited === 0 && planted + locks < diffs.length) hints.push(`the tree is stale: run \`${synthCommand}\` and commit the result`);
  return hints;
}

/** The unified diff between a folder and one fresh tree (its files, and the owned files it no longer produces). */
export function unifiedDiff(out: string, tree: TargetTree): string {
  if (!fs.existsSync(out)) return '';
  let folder: ConfinedFolder;
  try {
    folder = new ConfinedFolder(out);
  } catch {
    return '';
  }
  const fresh = new Map(tree.files);
  fresh.set(tree.ownedList, ownedListContent(tree.files));
  const read = (rel: string) => (relPathProblem(rel) ? undefined : folder.read(rel));
  let patch = '';
  for (const [rel, content] of [...fresh].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const existing = read(rel);
    if (existing === undefined || existing === content) continue;
    patch += patchOf()(existing === null ? '/dev/null' : `a/${rel}`, `b/${rel}`, existing ?? '', content, undefined, undefined, { context: 3 });
  }
  const list = read(tree.ownedList);
  let owned: string[] = [];
  try {
    owned = typeof list === 'string' ? [...parseOwnedList(list, tree.ownedList).keys()] : [];
  } catch {
    owned = [];
  }
  for (const rel of owned.filter((p) => !fresh.has(p)).sort()) {
    const existing = read(rel);
    if (typeof existing === 'string') patch += patchOf()(`a/${rel}`, '/dev/null', existing, '', undefined, undefined, { context: 3 });
  }
  return patch.replace(/^=+\n/gm, '');
}

/** `diff`'s patch writer, loaded only by `synth --diff` (a plain synth never needs it). */
function patchOf(): typeof import('diff').createTwoFilesPatch {
  return (require('diff') as typeof import('diff')).createTwoFilesPatch;
}
