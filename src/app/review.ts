/**
 * The review of a change to the fleet description (`meshfleet plan`): what it does to clusters, meshes,
 * stacks and each cluster's Cilium values, every change of where the clusters take what they run from,
 * and what is refused (a transition that breaks a running mesh, a source moved without acknowledgement).
 */
import { changedKeys, compareFleets } from '../check/change';
import { compareSources } from '../check/sources';
import { Fleet } from '../fleet/fleet';
import { clusterCiliumValues, planFleet } from '../plan/plan';

/** A change, reviewed. */
export interface ChangeReview {
  /** What the change does, one line each (`  clusters added: ...`), or that it changes nothing a cluster runs. */
  readonly lines: readonly string[];
  /** Why it must not be merged as it is, one line each; empty when it may. */
  readonly refusals: readonly string[];
  /** Whether a refusal is a broken mesh (rather than only a source moved without acknowledgement). */
  readonly breaksMesh: boolean;
}

/** Cilium values per cluster, as every target delivers them. */
function ciliumValues(fleet: Fleet): Map<string, Record<string, unknown>> {
  const plan = planFleet(fleet);
  return new Map(fleet.clusters.map((c) => [c.name, clusterCiliumValues(plan, c)]));
}

/**
 * Reviews the change from `before` (as merged) to `after` (as proposed).
 * @param allowSourceChange a change of source (chart repository, image repository, Git repository) is acknowledged
 */
export function reviewChange(before: Fleet, after: Fleet, allowSourceChange = false): ChangeReview {
  const change = compareFleets(before, after);
  const lines: string[] = [];
  const list = (xs: readonly string[]) => xs.join(', ');
  if (before.cilium.version !== after.cilium.version) lines.push(`  Cilium chart ${before.cilium.version} -> ${after.cilium.version}: every cluster changes its Cilium release`);
  if (change.added.length) lines.push(`  clusters added: ${list(change.added)}`);
  for (const d of change.decommissioned) {
    lines.push(`  cluster decommissioned: ${d.name} (${!d.hadStack ? 'it has no stack: it leaves the mesh, the cluster itself stays' : d.stack === 'destroy' ? 'its infrastructure is destroyed' : 'its stack is detached; the infrastructure stays'})`);
  }
  if (change.removed.length) lines.push(`  clusters removed without decommission: ${list(change.removed)}`);
  for (const [o, n] of change.renamed) lines.push(`  cluster renamed: ${o} -> ${n}`);
  for (const m of change.meshes) {
    if (m.leaving.length === 0 && m.joining.length === m.members) {
      lines.push(`  mesh "${m.name}" is new: ${list(m.joining)}${m.members > 1 ? ', each listing the others' : ''}`);
      continue;
    }
    lines.push(`  mesh "${m.name}": peer list changes${m.joining.length ? `, joining ${list(m.joining)}` : ''}${m.leaving.length ? `, leaving ${list(m.leaving)}` : ''}; `
      + (m.members === 0 ? 'no member is left' : m.members === 1 ? 'its one member reloads its Cilium configuration' : `all ${m.members} members reload their Cilium configuration`));
  }
  for (const s of change.stacksCreated) lines.push(`  stack created: ${s} (Plural runs terraform apply: a new cluster)`);
  for (const s of change.stacksDeleted) lines.push(`  stack deleted: ${s.name} (${s.destroys ? 'Plural runs terraform destroy' : 'detached: Plural deletes the stack and leaves the infrastructure'})`);
  const beforeValues = ciliumValues(before);
  for (const [cluster, v] of ciliumValues(after)) {
    const was = beforeValues.get(cluster);
    if (!was) continue;
    const keys = changedKeys(was, v);
    if (keys.length) lines.push(`  cluster "${cluster}": Cilium values change: ${keys.slice(0, 8).join(', ')}${keys.length > 8 ? ` and ${keys.length - 8} more` : ''}`);
  }
  const sources = compareSources(before, after);
  for (const s of sources) lines.push(`  ${s.source ? 'source' : 'setting'} ${s.field}: ${s.before} -> ${s.after} (${s.meaning})`);
  const described = lines.length > 0;
  for (const w of change.warnings) lines.push(`  warning: ${w}`);
  const moved = sources.filter((s) => s.source);
  if (allowSourceChange) for (const s of moved) lines.push(`  warning: ${s.field} moves to ${s.after}, acknowledged with --allow-source-change`);
  const refusals = [...change.refusals];
  if (!allowSourceChange) {
    for (const s of moved) {
      refusals.push(`${s.field} changes from ${s.before} to ${s.after}: ${s.meaning}. A pull request that moves a source must say so: `
        + 'run plan with --allow-source-change (the generated workflow adds it when the pull request has the label meshfleet-source-change)');
    }
  }
  // "No change" only when nothing is said at all: a refused change (a region moved in place) is a change.
  if (!described) lines.unshift(refusals.length > 0 ? '  a change refused below' : '  no change to what any cluster runs');
  return { lines, refusals, breaksMesh: change.refusals.length > 0 };
}

/**
 * Reviews a fleet where there was none (the base branch has no fleet description yet: a repository's
 * first pull request). Nothing runs yet, so nothing can break: every cluster, mesh and stack is new.
 */
export function reviewFirstFleet(after: Fleet, beforeLabel: string): ChangeReview {
  const lines = [`  ${beforeLabel} does not exist: every cluster is new (${after.clusters.length} in ${after.meshes.length} mesh${after.meshes.length === 1 ? '' : 'es'})`];
  if (after.clusters.length) lines.push(`  clusters added: ${after.clusters.map((c) => c.name).join(', ')}`);
  for (const m of after.meshes) {
    const n = m.clusters.length;
    lines.push(`  mesh "${m.name}": ${n} member${n === 1 ? '' : 's'}${n > 1 ? `, each listing the other ${n - 1}` : ''}`);
  }
  for (const c of after.clusters.filter((x) => x.stack)) lines.push(`  stack created: cluster-${c.name} (Plural runs terraform apply: a new cluster)`);
  return { lines, refusals: [], breaksMesh: false };
}
