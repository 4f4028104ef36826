/** The connectivity probe's invariants, checked on what each cluster receives from any delivery target. */
import { Fleet } from '../fleet/fleet';
import { isPinnedImage } from '../fleet/probe';
import { Delivered } from './delivered';

type Obj = Record<string, any>;

/**
 * With the probe on, one line per violation (empty when they hold):
 * - every cluster gets exactly one prober Job, its peer list and its own name, and the peers it calls
 *   (the list without itself) are exactly the other members of its mesh;
 * - for each peer X, the cluster has a global Service `probe-X` that selects no local pod, and X has the
 *   same Service selecting X's own responder (so an answer can only come from X);
 * - the image is pinned (an exact tag or a digest, never `latest`);
 * - with the probe off, nothing of it is delivered.
 */
export function checkProbe(fleet: Fleet, delivered: Delivered): string[] {
  const problems: string[] = [];
  const probe = fleet.probe;
  const manifestsOf = (cluster: string) => (delivered.get(cluster) ?? []).flatMap((s) => s.manifests as Obj[]);
  if (!probe) {
    for (const c of fleet.clusters) {
      if (manifestsOf(c.name).some((m) => m.metadata?.labels?.['app.kubernetes.io/name'] === 'meshfleet-probe')) {
        problems.push(`cluster "${c.name}": receives probe objects, but the probe is off`);
      }
    }
    return problems;
  }
  const ns = probe.namespace;
  const find = (ms: Obj[], kind: string, name: string) => ms.find((m) => m.kind === kind && m.metadata?.name === name && m.metadata?.namespace === ns);
  const responderLabels = (ms: Obj[]) => (find(ms, 'Deployment', 'probe-responder')?.spec?.template?.metadata?.labels ?? {}) as Record<string, string>;
  const selects = (selector: Record<string, string> | undefined, labels: Record<string, string>) =>
    selector !== undefined && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);
  for (const mesh of fleet.meshes) {
    for (const c of mesh.clusters) {
      const ms = manifestsOf(c.name);
      const where = `cluster "${c.name}"`;
      const jobs = ms.filter((m) => m.kind === 'Job' && m.metadata?.namespace === ns && m.metadata?.labels?.['app.kubernetes.io/component'] === 'prober');
      if (jobs.length !== 1) {
        problems.push(`${where}: receives ${jobs.length} prober Jobs; expected exactly one`);
        continue;
      }
      for (const container of jobs[0].spec?.template?.spec?.containers ?? []) {
        if (!isPinnedImage(String(container.image ?? ''))) {
          problems.push(`${where}: the prober's image "${container.image}" is not pinned`);
        }
      }
      const peers = String(find(ms, 'ConfigMap', 'probe-peers')?.data?.peers ?? '').split(/\s+/).filter(Boolean);
      const self = find(ms, 'ConfigMap', 'probe-self')?.data?.cluster;
      if (self !== c.name) problems.push(`${where}: its probe names itself ${JSON.stringify(self)}`);
      const targets = peers.filter((p) => p !== self).sort();
      const others = mesh.clusters.map((m) => m.name).filter((n) => n !== c.name).sort();
      if (JSON.stringify(targets) !== JSON.stringify(others)) {
        problems.push(`${where}: its probe calls ${targets.join(', ') || 'nobody'}; the other members of mesh "${mesh.name}" are ${others.join(', ') || 'none'}`);
      }
      const local = responderLabels(ms);
      if (local['meshfleet.io/probe-cluster'] !== c.name) problems.push(`${where}: its responder is labelled for ${JSON.stringify(local['meshfleet.io/probe-cluster'])}`);
      for (const peer of others) {
        const svc = find(ms, 'Service', `probe-${peer}`);
        if (!svc) {
          problems.push(`${where}: has no Service probe-${peer} to reach "${peer}" through`);
          continue;
        }
        if (svc.metadata?.annotations?.['service.cilium.io/global'] !== 'true') problems.push(`${where}: Service probe-${peer} is not global`);
        if (selects(svc.spec?.selector, local)) problems.push(`${where}: Service probe-${peer} selects the local responder, so a local answer would hide an unreachable "${peer}"`);
        const theirs = find(manifestsOf(peer), 'Service', `probe-${peer}`);
        if (!theirs || !selects(theirs.spec?.selector, responderLabels(manifestsOf(peer)))) {
          problems.push(`${where}: "${peer}" does not back Service probe-${peer} with its own responder`);
        }
      }
    }
  }
  return problems;
}
