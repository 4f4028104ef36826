/**
 * `meshfleet plan --against <git ref or file>`: what a change to the fleet description does, read
 * like a pull request's review: clusters, meshes, stacks, Cilium values per cluster; refuses (exit 1)
 * the transitions that break a running mesh.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { changedKeys, compareFleets } from '../check/change';
import { FleetValidationError } from '../fleet/errors';
import { Fleet } from '../fleet/fleet';
import { loadFleet, parseFleet } from '../fleet/loader';
import { clusterCiliumValues, planFleet } from '../plan/plan';
import { parseArgs, UsageError } from './args';
import { Io } from './synth';

/** The usage text of `meshfleet plan` (its --help). */
export const PLAN_USAGE = `usage: meshfleet plan --against REF|FILE [--fleet FILE]
  What changing the fleet description from REF (a git ref, such as origin/main, read with git show) or
  FILE (the previous fleet.yaml) to --fleet (default: fleet.yaml) does: clusters added, removed, renamed
  and decommissioned; meshes whose peer lists change; stacks created or deleted (and what Plural does
  then); the Cilium values that change per cluster. Exit 1 when the change breaks a running mesh (an id,
  name or mesh changed in place, a removal without decommission, maxConnectedClusters or the CA changed).`;

/** The previous fleet description: a file, or the same file at a git ref. */
function readBefore(against: string, fleetFile: string): { text: string; label: string } {
  if (fs.existsSync(against) && fs.statSync(against).isFile()) return { text: fs.readFileSync(against, 'utf8'), label: against };
  if (fs.existsSync(against) && fs.statSync(against).isDirectory()) {
    const f = path.join(against, path.basename(fleetFile));
    if (!fs.existsSync(f)) throw Object.assign(new UsageError(`--against ${against} is a folder without ${path.basename(fleetFile)}`), { brief: true });
    return { text: fs.readFileSync(f, 'utf8'), label: f };
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9._/@{}~^-]*$/.test(against) || against.includes('..')) {
    throw Object.assign(new UsageError(`--against "${against}" is neither a file nor a git ref`), { brief: true });
  }
  try {
    const text = execFileSync('git', ['show', `${against}:./${path.basename(fleetFile)}`], {
      cwd: path.dirname(path.resolve(fleetFile)), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20,
    });
    return { text, label: `${against}:${path.basename(fleetFile)}` };
  } catch (e) {
    const why = String((e as { stderr?: string }).stderr ?? (e as Error).message).trim().split('\n')[0];
    throw Object.assign(new UsageError(`cannot read ${path.basename(fleetFile)} at git ref "${against}": ${why}`), { brief: true });
  }
}

/** Cilium values per cluster, as every target delivers them. */
function ciliumValues(fleet: Fleet): Map<string, Record<string, unknown>> {
  const plan = planFleet(fleet);
  return new Map(fleet.clusters.map((c) => [c.name, clusterCiliumValues(plan, c)]));
}

/** Runs `meshfleet plan`; returns the exit code. */
export function planCommand(argv: readonly string[], io: Io): number {
  const a = parseArgs(argv, { values: { fleet: 'fleet.yaml', against: undefined } });
  if (a.help) {
    io.log(PLAN_USAGE);
    return 0;
  }
  if (!a.values.against) throw new UsageError('--against is required (a git ref such as origin/main, or the previous fleet.yaml)');
  const fleetFile = a.values.fleet!;
  const after = loadFleet(fleetFile);
  const { text, label } = readBefore(a.values.against, fleetFile);
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
  if (lines.length === 1) lines.push('  no change to what any cluster runs');
  for (const w of change.warnings) lines.push(`  warning: ${w}`);
  io.log(lines.join('\n'));
  if (change.refusals.length) {
    io.err(`meshfleet: plan: refused, this change breaks a running mesh:\n  ${change.refusals.join('\n  ')}`);
    return 1;
  }
  return 0;
}
