/** Each delivery target as meshfleet writes it (the CLI and MeshfleetApp): its tree, the list of files it owns, and how it spots a clashing tree. */
import { DeliveryTarget } from '../fleet/props';
import { Fleet } from '../fleet/fleet';
import { WriteResult, WriteTreeOptions, writeTrees } from '../gitops/writer';
import { ArgoCdLayout } from '../targets/argocd/layout';
import { LocalLayout } from '../targets/local/layout';
import { LocalSelection, synthLocalTree } from '../targets/local/tree';
import { synthArgoCdTree } from '../targets/argocd/tree';
import { PluralLayout } from '../targets/plural/layout';
import { pluralRemovalProblem, pluralReplaceProblem, synthPluralTree } from '../targets/plural/tree';

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
  /** Where other fleets' trees of this target keep the files that declare clusters (`*` is a fleet name). */
  readonly siblingTrees?: readonly string[];
  /** Why another tree in the folder clashes with this one (paths it holds), or undefined. */
  readonly checkOtherTree: (list: string, paths: readonly string[]) => string | undefined;
  /** Why an owned file must not be removed, or undefined. */
  readonly checkRemoval?: (path: string, content: string) => string | undefined;
  /** Why an owned file must not be replaced by its new content, or undefined. */
  readonly checkReplace?: (path: string, current: string, next: string) => string | undefined;
}

function clash(fleet: Fleet, list: string, paths: readonly string[], clusterOf: (p: string) => string | undefined, what: string): string | undefined {
  const clusters = new Set(fleet.clusters.map((c) => c.name));
  const shared = [...new Set(paths.map(clusterOf).filter((c): c is string => c !== undefined && clusters.has(c)))].sort();
  if (shared.length === 0) return undefined;
  return `another tree in this folder already declares cluster${shared.length > 1 ? 's' : ''} ${shared.slice(0, 5).map((c) => `"${c}"`).join(', ')}`
    + `${shared.length > 5 ? ` and ${shared.length - 5} more` : ''}, so ${what}. `
    + `If you renamed the fleet, delete the old tree first (${list.endsWith('.files') ? `the files listed in ${list}, then the list itself` : `${list} and the old fleet's other folders`}; git rm them), then synth again`;
}

/** Synthesizes one target's tree of a fleet (in memory; nothing is written); `local` brings up the mesh `selection` names. */
export function synthTarget(target: DeliveryTarget, fleet: Fleet, selection: LocalSelection = {}): TargetTree {
  if (target === 'local') {
    const layout = new LocalLayout(fleet.name);
    return {
      target,
      files: synthLocalTree(fleet, selection, layout),
      ownedList: layout.ownedFilesList,
      ownedPrefixes: layout.ownedPrefixes,
      checkOtherTree: () => undefined,
    };
  }
  if (target === 'argocd') {
    const layout = new ArgoCdLayout(fleet.name);
    return {
      target,
      files: synthArgoCdTree(fleet, layout),
      ownedList: layout.ownedFilesList,
      ownedPrefixes: layout.ownedPrefixes,
      siblingTrees: ['argocd/*/apps/clusters/'],
      checkOtherTree: (list, paths) => clash(fleet, list, paths, ArgoCdLayout.clusterOfPath,
        'Argo CD would get two sets of Applications installing Cilium on each'),
    };
  }
  const layout = new PluralLayout(fleet.name);
  return {
    target,
    files: synthPluralTree(fleet, layout),
    ownedList: layout.ownedFilesList,
    ownedPrefixes: layout.ownedPrefixes,
    siblingTrees: ['bootstrap/*/clusters/'],
    checkOtherTree: (list, paths) => clash(fleet, list, paths, PluralLayout.clusterOfPath,
      'Plural would get two Cluster and InfrastructureStack objects for each'),
    checkRemoval: (p, content) => pluralRemovalProblem(fleet, p, content),
    checkReplace: (p, current, next) => pluralReplaceProblem(fleet, p, current, next),
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
  return [new PluralLayout(fleet.name), new ArgoCdLayout(fleet.name), new LocalLayout(fleet.name)].flatMap((l) => l.ownedPrefixes);
}

/**
 * Writes a fleet's trees into `out` as one transaction (see `writeTrees`): every tree replaced, or none.
 * @returns what changed, per tree
 */
export function writeFleetTrees(out: string, fleet: Fleet, trees: readonly TargetTree[]): Array<{ readonly target: DeliveryTarget; readonly result: WriteResult }> {
  const results = writeTrees(out, trees.map((t) => ({ files: t.files, options: writeOptions(t) })), { recoveryPrefixes: fleetPrefixes(fleet) });
  return trees.map((t, i) => ({ target: t.target, result: results[i] }));
}
