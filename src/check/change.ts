/**
 * What a change of the fleet description does to a running fleet, from the model alone: clusters
 * added, removed, renamed and decommissioned, meshes whose peer lists change, stacks created or
 * destroyed, and the transitions that would break a running mesh (refused) or change its behaviour (warned).
 */
import { Fleet } from '../fleet/fleet';

/** The change from one fleet description to the next. */
export interface FleetChange {
  /** Clusters new to the fleet. */
  readonly added: readonly string[];
  /** Clusters that left without a decommission entry (refused while their stack would be destroyed). */
  readonly removed: readonly string[];
  /** Clusters that look renamed: `[old, new]` (same id and mesh). */
  readonly renamed: ReadonlyArray<readonly [string, string]>;
  /** Clusters newly decommissioned, and how. */
  readonly decommissioned: ReadonlyArray<{ readonly name: string; readonly stack: 'destroy' | 'detach'; readonly hadStack: boolean }>;
  /** Meshes whose membership changes, with the members joining and leaving. */
  readonly meshes: ReadonlyArray<{ readonly name: string; readonly joining: readonly string[]; readonly leaving: readonly string[]; readonly members: number }>;
  /** Infrastructure stacks the change creates. */
  readonly stacksCreated: readonly string[];
  /** Infrastructure stacks the change deletes, and whether Plural then destroys or detaches. */
  readonly stacksDeleted: ReadonlyArray<{ readonly name: string; readonly destroys: boolean }>;
  /** Transitions that would break a running mesh: the change must not be merged as it is. */
  readonly refusals: readonly string[];
  /** Changes of behaviour worth a second look. */
  readonly warnings: readonly string[];
}

const FIX_ID = 'Cilium cannot change a running cluster\'s id or name (identities, peer entries and certificates are bound to it): add a new cluster and decommission this one';

/** The fleet-wide transitions: a rename, a target dropped, the CNI mode, maxConnectedClusters, a mesh's CA, Cilium minor steps and flips. */
function compareSettings(before: Fleet, after: Fleet, running: (cluster: string) => boolean, refusals: string[], warnings: string[]): void {
  if (before.name !== after.name) {
    refusals.push(`the fleet is renamed from "${before.name}" to "${after.name}": every object's name and folder changes, so the delivery engines would delete the old fleet's objects`
      + `${before.clusters.some((c) => c.stack) && before.targets.includes('plural') ? ' (Plural: its stacks, destroying their clusters)' : ''} while creating new ones; keep the name`);
  }
  for (const t of before.targets.filter((x) => !after.targets.includes(x))) {
    warnings.push(`target ${t} is no longer written: its tree stays in the repository, no longer updated, until you delete the files listed in its .meshfleet list`);
  }
  if (before.cilium.cni !== after.cilium.cni) {
    refusals.push(`cilium.cni changes from ${before.cilium.cni} to ${after.cilium.cni}: changing the CNI mode of running clusters reconfigures every pod's networking; migrate clusters one by one (add new ones and decommission the old)`);
  }
  if (before.cilium.maxConnectedClusters !== after.cilium.maxConnectedClusters) {
    refusals.push(`cilium.maxConnectedClusters changes from ${before.cilium.maxConnectedClusters} to ${after.cilium.maxConnectedClusters}: it cannot change on a running cluster (Cilium's identity encoding depends on it)`);
  }
  const caNames = (f: Fleet, mesh: string) => JSON.stringify(f.meshCa(mesh));
  for (const mesh of after.meshes.filter((m) => m.clusters.some((c) => running(c.name)))) {
    if (before.meshes.some((m) => m.name === mesh.name) && caNames(before, mesh.name) !== caNames(after, mesh.name)) {
      refusals.push(`mesh "${mesh.name}": its CA changes (${summaryCa(before, mesh.name)} -> ${summaryCa(after, mesh.name)}): certificates are re-issued by another CA while members still trust the old one, which breaks the mesh until all have rolled; change the CA in a planned rotation, not with a fleet change`);
    }
  }
  const [bMaj, bMin] = before.cilium.minor.split('.').map(Number);
  const [aMaj, aMin] = after.cilium.minor.split('.').map(Number);
  if (aMaj * 100 + aMin < bMaj * 100 + bMin) {
    refusals.push(`cilium.version ${before.cilium.version} -> ${after.cilium.version} is a downgrade of the minor version, which Cilium does not support on running clusters`);
  } else if (aMaj === bMaj && aMin > bMin + 1) {
    refusals.push(`cilium.version ${before.cilium.version} -> ${after.cilium.version} skips a minor version; Cilium upgrades one minor at a time (${before.cilium.minor} -> ${bMaj}.${bMin + 1} first)`);
  }
  if (before.cilium.policyDefaultLocalCluster !== after.cilium.policyDefaultLocalCluster) {
    const why = after.props.cilium?.policyDefaultLocalCluster === undefined ? `chart ${before.cilium.version} -> ${after.cilium.version} flips` : 'the fleet changes';
    warnings.push(`${why} clustermesh.policyDefaultLocalCluster from ${before.cilium.policyDefaultLocalCluster} to ${after.cilium.policyDefaultLocalCluster}: network policies without an explicit cluster then select `
      + `${after.cilium.policyDefaultLocalCluster ? 'only local endpoints' : 'endpoints of every cluster'}; set cilium.policyDefaultLocalCluster to keep the old behaviour`);
  }
  if (before.cilium.mcsApi !== after.cilium.mcsApi) warnings.push(`MCS-API turns ${after.cilium.mcsApi ? 'on' : 'off'}`);
  if (!before.cilium.kubeProxyReplacement !== !after.cilium.kubeProxyReplacement) {
    warnings.push(`kube-proxy replacement turns ${after.cilium.kubeProxyReplacement ? 'on: Cilium takes over Service handling on every node (remove kube-proxy afterwards, and create each cluster\'s API server ConfigMap first)' : 'off: Service handling goes back to kube-proxy, which must be running on every node first'}`);
  }
}

/** The tiers' platforms: a tier's own distro changed (its Plural services swap), a one-platform tier becoming mixed (its selector widens). */
function compareTiers(before: Fleet, after: Fleet, refusals: string[], warnings: string[]): void {
  for (const t of after.tiers) {
    const was = before.tiers.find((x) => x.name === t.name);
    if (was && was.distro !== t.distro && before.clusters.some((c) => c.tier === t.name) && after.targets.includes('plural')) {
      refusals.push(`tier ${t.name}: its distro changes from ${was.distro} to ${t.distro}; with Plural its Cilium GlobalServices are named after it (cilium-${t.name} serves its ${was.distro} clusters), `
        + 'so running clusters would move to another GlobalService, which re-installs Cilium, their CNI: keep the tier\'s distro (each cluster may set its own)');
    }
  }
  for (const t of after.tiers) {
    const platforms = (f: Fleet) => [...new Set(f.clusters.filter((c) => c.tier === t.name).map((c) => c.distro))];
    const was = platforms(before);
    const now = platforms(after);
    if (was.length === 1 && now.length > 1 && before.clusters.some((c) => c.tier === t.name)) {
      warnings.push(`tier ${t.name} now has clusters on ${now.join(' and ')}: with Plural, its Cilium service for ${was[0]} also selects by each Cluster's distro tag (distro: ${was[0]}), `
        + 'which meshfleet writes on every Cluster object; if its Clusters do not carry it yet (a tree synthesized before platforms), first merge a synth of the fleet as it was');
    }
  }}

/** Compares two fleet descriptions (`before` as merged, `after` as proposed). */
export function compareFleets(before: Fleet, after: Fleet): FleetChange {
  const refusals: string[] = [];
  const warnings: string[] = [];
  const old = new Map(before.clusters.map((c) => [c.name, c]));
  const now = new Map(after.clusters.map((c) => [c.name, c]));
  const nowDecom = new Map(after.decommissioned.map((c) => [c.name, c]));
  const oldDecom = new Set(before.decommissioned.map((c) => c.name));

  const added = after.clusters.filter((c) => !old.has(c.name)).map((c) => c.name);
  const gone = before.clusters.filter((c) => !now.has(c.name) && !nowDecom.has(c.name));
  const renamed: Array<[string, string]> = [];
  for (const c of gone) {
    const twin = after.clusters.find((n) => !old.has(n.name) && n.id === c.id && n.mesh === c.mesh);
    if (twin) {
      renamed.push([c.name, twin.name]);
      refusals.push(`cluster "${c.name}" renamed to "${twin.name}" (same id ${c.id} in mesh "${c.mesh}"): a rename destroys "${c.name}"${c.stack ? '\'s infrastructure' : ''} and creates a new cluster; `
        + `add "${twin.name}" with its own id and decommission "${c.name}"`);
    } else if (c.stack) {
      refusals.push(`cluster "${c.name}" removed: Plural would delete its InfrastructureStack and destroy its infrastructure; keep its entry with decommission: destroy (or detach) instead`);
    }
  }
  const removed = gone.map((c) => c.name);

  for (const [name, c] of now) {
    const was = old.get(name);
    if (!was) continue;
    if (was.id !== c.id) refusals.push(`cluster "${name}": id ${was.id} changed to ${c.id} in place; ${FIX_ID}`);
    if (was.mesh !== c.mesh) refusals.push(`cluster "${name}": moves from mesh "${was.mesh}" to mesh "${c.mesh}" in place; its peers, CA and identity belong to its mesh: add a new cluster to "${c.mesh}" and decommission this one`);
    // A distro change is refused as a whole (below); its stack default following the platform is part of it.
    const sameDistro = was.distro === c.distro;
    if (sameDistro && !was.stack && c.stack) refusals.push(`cluster "${name}": stack: true on a cluster provisioned elsewhere creates an InfrastructureStack, whose Terraform would create another cluster of that name; keep stack: false`);
    if (sameDistro && was.stack && !c.stack) refusals.push(`cluster "${name}": stack: false on a running cluster deletes its InfrastructureStack, and Plural would destroy its infrastructure; decommission it (detach keeps it) and add it back with stack: false`);
    if (was.distro !== c.distro) {
      refusals.push(`cluster "${name}": its distro changes from ${was.distro} to ${c.distro} in place; a cluster cannot move to another platform (${was.stack ? 'its stack would run another cloud\'s Terraform module and replace it; ' : ''}`
        + `its Cilium would be reconfigured for another cloud): add a new ${c.distro} cluster and decommission this one`);
    }
    if (was.stack && c.stack && was.region !== c.region) refusals.push(`cluster "${name}": region ${was.region} changed to ${c.region} in place; its stack's Terraform would replace the cluster: add a new cluster in ${c.region} and decommission this one`);
    if (was.mesh === c.mesh && was.tier !== c.tier) {
      warnings.push(`cluster "${name}": moves from tier ${was.tier} to ${c.tier} in mesh "${c.mesh}"; with Plural its Cilium, issuer and probe services move to the new tier's GlobalServices, which may re-install them`);
    }
    if (was.apiserverAddress !== c.apiserverAddress) warnings.push(`cluster "${name}": its apiserver address changes from ${was.apiserverAddress} to ${c.apiserverAddress}; its peers reconnect once DNS has the new name`);
  }
  compareSettings(before, after, (name) => old.has(name), refusals, warnings);
  compareTiers(before, after, refusals, warnings);


  const decommissioned = after.decommissioned.filter((c) => !oldDecom.has(c.name))
    .map((c) => ({ name: c.name, stack: c.decommission as 'destroy' | 'detach', hadStack: old.get(c.name)?.stack ?? c.stack }));
  const meshes = after.meshes.map((m) => {
    const was = before.meshes.find((b) => b.name === m.name)?.clusters.map((c) => c.name) ?? [];
    const is = m.clusters.map((c) => c.name);
    return { name: m.name, joining: is.filter((n) => !was.includes(n)), leaving: was.filter((n) => !is.includes(n)), members: is.length };
  }).filter((m) => m.joining.length > 0 || m.leaving.length > 0);
  for (const m of before.meshes) {
    if (m.clusters.length > 0 && !after.meshes.some((a) => a.name === m.name && a.clusters.length > 0)) {
      meshes.push({ name: m.name, joining: [], leaving: m.clusters.map((c) => c.name).filter((n) => !now.has(n)), members: 0 });
    }
  }
  const detached = new Set(before.decommissioned.filter((c) => c.decommission === 'detach').map((c) => c.name));
  for (const c of after.decommissioned) {
    if (c.decommission === 'destroy' && detached.has(c.name)) {
      warnings.push(`cluster "${c.name}": decommission destroy after detach deletes a stack that is already detached, so its infrastructure stays; destroy it outside Plural`);
    }
  }
  for (const c of after.clusters) {
    if (detached.has(c.name)) warnings.push(`cluster "${c.name}": back from decommission detach; its stack is attached again (detach: false), and it rejoins its mesh`);
  }
  const stacksCreated = after.clusters.filter((c) => c.stack && !old.get(c.name)?.stack && !detached.has(c.name)).map((c) => `cluster-${c.name}`);
  const stacksDeleted = [
    ...decommissioned.filter((d) => d.stack === 'destroy' && (old.get(d.name)?.stack ?? false)).map((d) => ({ name: `cluster-${d.name}`, destroys: true })),
    ...after.decommissioned.filter((c) => c.decommission === 'destroy' && detached.has(c.name)).map((c) => ({ name: `cluster-${c.name}`, destroys: false })),
    ...gone.filter((c) => c.stack).map((c) => ({ name: `cluster-${c.name}`, destroys: true })),
    ...before.decommissioned.filter((c) => c.decommission === 'detach' && !nowDecom.has(c.name) && !now.has(c.name)).map((c) => ({ name: `cluster-${c.name}`, destroys: false })),
  ];
  return { added, removed, renamed, decommissioned, meshes, stacksCreated, stacksDeleted, refusals, warnings };
}

function summaryCa(f: Fleet, mesh: string): string {
  const ca = f.meshCa(mesh);
  return `issuer ${ca.issuer}, Secret ${ca.issuerSecret} in ${ca.namespace}`;
}

/** The key paths whose values differ between two values trees (lists compared whole). */
export function changedKeys(a: unknown, b: unknown, at = ''): string[] {
  const isMap = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);
  if (isMap(a) && isMap(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => changedKeys(a[k], b[k], at ? `${at}.${k}` : k));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [at || '(all)'];
}
