/**
 * Where each Multigres deployment runs in its mesh: which cluster runs which component, and the global
 * Services that wire clusters together. Target-neutral: no file, path or delivery engine.
 */
import { Fleet } from '../fleet/fleet';
import { ResolvedMultigresDeployment } from '../fleet/multigres';
import { MultigresComponentKind } from '../multigres/common';

/** What one deployment runs in one cluster, and which global Services it serves or consumes there. */
export interface MultigresClusterPlan {
  /** The cluster. */
  readonly cluster: string;
  /** Components it runs. */
  readonly components: readonly MultigresComponentKind[];
  /** The Multigres cell its components belong to. */
  readonly cell: string;
  /** Global Services it serves (local endpoints). */
  readonly serves: readonly string[];
  /** Global Services it only consumes (no local endpoints). */
  readonly consumes: readonly string[];
}

/** A global Service of a deployment: who serves it and who consumes it. */
export interface MultigresMeshService {
  /** Service name (the same in every cluster). */
  readonly name: string;
  /** The component behind it. */
  readonly component: MultigresComponentKind;
  /** The cluster whose pods serve it. */
  readonly servedBy: string;
  /** The clusters that reach it. */
  readonly consumedBy: readonly string[];
}

/** Names of the objects of a deployment. */
export function multigresNames(d: ResolvedMultigresDeployment) {
  return {
    etcd: `${d.name}-etcd`,
    gateway: `${d.name}-gateway`,
    orch: `${d.name}-orch`,
    pooler: `${d.name}-pooler`,
  };
}

/**
 * The placement of a deployment over its mesh: which cluster runs what, and the global Services
 * that wire clusters together. Spreading across clusters is done here, one workload per cluster;
 * the scheduler only spreads within a cluster.
 */
export function planMultigres(fleet: Fleet, d: ResolvedMultigresDeployment): { clusters: MultigresClusterPlan[]; services: MultigresMeshService[] } {
  // Computed once per fleet and deployment (the model is immutable); the targets, the checks and the picture share it.
  let perFleet = PLACEMENTS.get(fleet);
  if (!perFleet) PLACEMENTS.set(fleet, (perFleet = new Map()));
  let placed = perFleet.get(d);
  if (!placed) perFleet.set(d, (placed = placeMultigres(fleet, d)));
  return placed;
}

const PLACEMENTS = new WeakMap<Fleet, Map<ResolvedMultigresDeployment, { clusters: MultigresClusterPlan[]; services: MultigresMeshService[] }>>();

function placeMultigres(fleet: Fleet, d: ResolvedMultigresDeployment): { clusters: MultigresClusterPlan[]; services: MultigresMeshService[] } {
  const names = multigresNames(d);
  const services: MultigresMeshService[] = [];
  const roles = new Map<string, Set<MultigresComponentKind>>();
  const add = (cluster: string, ...kinds: MultigresComponentKind[]) => {
    const set = roles.get(cluster) ?? new Set();
    kinds.forEach((k) => set.add(k));
    roles.set(cluster, set);
  };
  if (d.topology === 'shared-etcd') {
    add(d.etcdCluster!, 'etcd');
    for (const c of d.dataClusters) add(c, 'multigateway', 'multiorch', 'multipooler');
    services.push({
      name: `${names.etcd}-global`,
      component: 'etcd',
      servedBy: d.etcdCluster!,
      consumedBy: d.dataClusters.filter((c) => c !== d.etcdCluster),
    });
  } else {
    add(d.gatewayCluster!, 'multigateway');
    for (const c of d.dataClusters) {
      add(c, 'etcd', 'multiorch', 'multipooler');
      if (c === d.gatewayCluster) continue;
      const id = fleet.cluster(c).id;
      services.push({ name: `${names.pooler}-c${id}`, component: 'multipooler', servedBy: c, consumedBy: [d.gatewayCluster!] });
      services.push({ name: `${names.etcd}-c${id}`, component: 'etcd', servedBy: c, consumedBy: [d.gatewayCluster!] });
    }
  }
  const mesh = fleet.mesh(d.mesh);
  const clusters = mesh.clusters.filter((c) => roles.has(c.name)).map((c) => ({
    cluster: c.name,
    components: (['etcd', 'multigateway', 'multiorch', 'multipooler'] as const).filter((k) => roles.get(c.name)!.has(k)),
    cell: c.name,
    serves: services.filter((s) => s.servedBy === c.name).map((s) => s.name),
    consumes: services.filter((s) => s.consumedBy.includes(c.name)).map((s) => s.name),
  }));
  return { clusters, services };
}

/** One cluster's share of one deployment. */
export interface MultigresWork {
  /** The deployment. */
  readonly deployment: ResolvedMultigresDeployment;
  /** The cluster. */
  readonly cluster: string;
}

/**
 * Every (deployment, cluster) pair a fleet's Multigres section places, in deployment order and, within
 * one, in the order the objects are written (for the cluster API: the etcd cluster first).
 */
export function multigresWork(fleet: Fleet): MultigresWork[] {
  const mg = fleet.multigres;
  if (!mg) return [];
  const out: MultigresWork[] = [];
  for (const d of mg.deployments) {
    const clusters = mg.api === 'cluster'
      ? [d.etcdCluster!, ...d.dataClusters.filter((c) => c !== d.etcdCluster)]
      : planMultigres(fleet, d).clusters.map((c) => c.cluster);
    for (const cluster of clusters) out.push({ deployment: d, cluster });
  }
  return out;
}
