/** Each delivery target as meshfleet writes it (the CLI and MeshfleetApp): its tree, the list of files it owns, and how it spots a clashing tree. */
import { Fleet } from '../fleet/fleet';
import { DeliveryTarget } from '../fleet/props';
import { WriteResult, WriteTreeOptions, writeTrees } from '../gitops/writer';
import { TARGETS, targetNamed } from '../targets/registry';
import { ClusterSelection, Target } from '../targets/target';

export type { ClusterSelection } from '../targets/target';

/** One target's synthesized tree and how the writer handles it. */
export interface TargetTree {
  /** The target. */
  readonly target: DeliveryTarget;
  /** Path -> content. */
  readonly files: Map<string, string>;
  /** The owned-files list of this tree. */
  readonly ownedList: string;
  /** The folders the tree lives in. */
  readonly ownedPrefixes: readonly string[];
  /** Paths in those folders another tool writes (see `TargetLayout.foreignPaths`). */
  readonly foreignPaths?: RegExp;
  /** Where other fleets' trees of this target keep the files that declare clusters (`*` is a fleet name). */
  readonly siblingTrees?: readonly string[];
  /** Why another tree in the folder clashes with this one (paths it holds), or undefined. */
  readonly checkOtherTree: (list: string, paths: readonly string[], read?: (path: string) => string | undefined) => string | undefined;
  /** Why an owned file must not be removed, or undefined. */
  readonly checkRemoval?: (path: string, content: string) => string | undefined;
  /** Why an owned file must not be replaced by its new content, or undefined. */
  readonly checkReplace?: (path: string, current: string, next: string) => string | undefined;
}

function clash(fleet: Fleet, target: Target, list: string, paths: readonly string[], read?: (path: string) => string | undefined): string | undefined {
  if (!target.clashMeaning) return undefined;
  const clusters = new Set(fleet.clusters.map((c) => c.name));
  // What a path declares: by its name in the layout, and by the objects in it (a renamed file still declares its cluster).
  const unreadable: string[] = [];
  const declared = (p: string): string[] => {
    const text = read?.(p);
    const inside = text === undefined ? [] : target.clustersIn(text);
    if (inside === undefined) unreadable.push(p);
    return [target.clusterOfPath(p), ...(inside ?? [])].filter((c): c is string => c !== undefined);
  };
  const shared = [...new Set(paths.flatMap(declared).filter((c) => clusters.has(c)))].sort();
  if (shared.length === 0 && unreadable.length > 0) {
    return `${unreadable.slice(0, 3).join(', ')}${unreadable.length > 3 ? ` and ${unreadable.length - 3} more` : ''} of another tree in this folder name ${target.title} objects `
      + 'but do not parse, so meshfleet cannot tell which clusters they declare; fix or remove them, then synth again';
  }
  if (shared.length === 0) return undefined;
  return `another tree in this folder already declares cluster${shared.length > 1 ? 's' : ''} ${shared.slice(0, 5).map((c) => `"${c}"`).join(', ')}`
    + `${shared.length > 5 ? ` and ${shared.length - 5} more` : ''}, so ${target.clashMeaning}. `
    + `If you renamed the fleet, delete the old tree first (${list.endsWith('.files') ? `the files listed in ${list}, then the list itself` : `${list} and the old fleet's other folders`}; git rm them), then synth again`;
}

/** Synthesizes one target's tree of a fleet (in memory; nothing is written); `local` brings up the mesh `selection` names. */
export function synthTarget(name: DeliveryTarget, fleet: Fleet, selection: ClusterSelection = {}): TargetTree {
  const target = targetNamed(name);
  const layout = target.layout(fleet);
  const { checkRemoval, checkReplace } = target;
  return {
    target: name,
    files: target.synth(fleet, selection),
    ownedList: layout.ownedFilesList,
    ownedPrefixes: layout.ownedPrefixes,
    foreignPaths: layout.foreignPaths,
    siblingTrees: target.siblingTrees,
    checkOtherTree: (list, paths, read) => clash(fleet, target, list, paths, read),
    checkRemoval: checkRemoval && ((p, content) => checkRemoval(fleet, p, content)),
    checkReplace: checkReplace && ((p, current, next) => checkReplace(fleet, p, current, next)),
  };
}

/** The writer's options for one target's tree: its list, folders, and the checks that keep other trees and live clusters safe. */
export function writeOptions(tree: TargetTree): WriteTreeOptions {
  return {
    ownedList: tree.ownedList,
    ownedPrefixes: tree.ownedPrefixes,
    siblingTrees: tree.siblingTrees,
    checkOtherTree: tree.checkOtherTree,
    checkRemoval: tree.checkRemoval,
    checkReplace: tree.checkReplace,
  };
}

/** The folders of every target's tree of a fleet: what a killed run's journal may touch. */
export function fleetPrefixes(fleet: Fleet): string[] {
  return TARGETS.flatMap((t) => t.layout(fleet).ownedPrefixes);
}

/**
 * Writes a fleet's trees into `out` as one transaction (see `writeTrees`): every tree replaced, or none.
 * @returns what changed, per tree
 */
export function writeFleetTrees(out: string, fleet: Fleet, trees: readonly TargetTree[]): Array<{ readonly target: DeliveryTarget; readonly result: WriteResult }> {
  const results = writeTrees(out, trees.map((t) => ({ files: t.files, options: writeOptions(t) })), { recoveryPrefixes: fleetPrefixes(fleet) });
  return trees.map((t, i) => ({ target: t.target, result: results[i] }));
}

/** The targets whose trees of this fleet are still in `out` (their owned-files lists remain) but are no longer written. */
export function staleTargets(fleet: Fleet, written: readonly DeliveryTarget[], exists: (ownedList: string) => boolean): Array<{ target: DeliveryTarget; list: string }> {
  return TARGETS.filter((t) => !t.onDemand && !written.includes(t.name) && !fleet.targets.includes(t.name))
    .map((t) => ({ target: t.name, list: t.layout(fleet).ownedFilesList }))
    .filter(({ list }) => exists(list));
}

/** Why the fleet cannot be delivered by one of these targets (the first missing setting), or undefined. */
export function targetRequirement(fleet: Fleet, targets: readonly DeliveryTarget[]): string | undefined {
  for (const t of targets) {
    const why = targetNamed(t).requirement(fleet);
    if (why) return why;
  }
  return undefined;
}
