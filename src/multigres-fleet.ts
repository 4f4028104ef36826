import { Construct } from 'constructs';
import { MeshService } from './cilium/mesh-service';
import { MultigresNetworkPolicy } from './cilium/network-policy';
import { Fleet } from './fleet/fleet';
import { ResolvedMultigresDeployment } from './fleet/multigres';
import { ManifestFile } from './gitops/files';
import { PluralLayout } from './gitops/plural-layout';
import { IMultigresComponent, MultigresComponentKind, multigresOperatorLabels } from './multigres/common';

const ETCD_CLIENT_PORT = 2379;
const POOLER_GRPC_PORT = 15270;
const POOLER_POSTGRES_PORT = 5432;
import { Etcd } from './multigres/etcd';
import { MultiGateway } from './multigres/multigateway';
import { MultigresCluster, MultigresTopoServer } from './multigres/multigres-cluster';
import { MultiOrch } from './multigres/multiorch';
import { MultiPooler } from './multigres/multipooler';
import { Placement } from './multigres/placement';
import { ServiceDeployment } from './plural/service-deployment';

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

/** Props of a `MultigresFleet`. */
export interface MultigresFleetProps {
  /** The validated fleet (with a `multigres` section). */
  readonly fleet: Fleet;
  /**
   * Where files go.
   * @default - the `plural up` layout, under the fleet's name
   */
  readonly layout?: PluralLayout;
}

/**
 * The Multigres deployments of a fleet, one folder per cluster, each delivered to its cluster only
 * by a Plural ServiceDeployment. Per cluster and deployment: the Multigres custom resources the plan
 * places there (per-component kinds), the global Services it serves or consumes (same name and
 * namespace on both sides, selecting the operator's pods by the labels it sets), and, when enabled,
 * a CiliumNetworkPolicy per component admitting exactly its Multigres peers.
 */
export class MultigresFleet extends Construct {
  constructor(scope: Construct, id: string, props: MultigresFleetProps) {
    super(scope, id);
    const fleet = props.fleet;
    const mg = fleet.multigres;
    if (!mg) return;
    const layout = props.layout ?? new PluralLayout(fleet.name);
    const ns = mg.namespace;
    const delivered = new Set<string>();
    for (const d of mg.deployments) {
      if (mg.api === 'cluster') {
        this.clusterApi(fleet, d, layout, ns).forEach((c) => delivered.add(c));
        continue;
      }
      const names = multigresNames(d);
      const plan = planMultigres(fleet, d);
      const participants = plan.clusters.map((c) => c.cluster);
      for (const cp of plan.clusters) {
        const file = new ManifestFile(this, `${d.name}-${cp.cluster}`, { path: `${layout.multigresFolder(cp.cluster)}/${d.name}.yaml` });
        delivered.add(cp.cluster);
        const cluster = fleet.cluster(cp.cluster);
        const spread = Placement.zoneSpread().and(Placement.distinctNodes({ required: false }));
        const components: IMultigresComponent[] = [];
        if (cp.components.includes('etcd')) {
          components.push(new Etcd(file, 'Etcd', {
            metadata: { name: names.etcd, namespace: ns },
            cellName: d.topology === 'regional' ? cp.cell : undefined,
            replicas: d.etcdReplicas,
            placement: Placement.zoneSpread().and(Placement.distinctNodes({ required: true })),
          }));
        }
        if (cp.components.includes('multigateway')) {
          const dedicated = d.topology === 'regional';
          const label = Object.entries(d.gatewayNodes.nodeLabel)[0];
          components.push(new MultiGateway(file, 'Gateway', {
            metadata: { name: names.gateway, namespace: ns },
            cellName: cp.cell,
            replicas: d.gatewayReplicas,
            placement: dedicated
              ? Placement.dedicatedNodes({ taintKey: d.gatewayNodes.taintKey, taintValue: d.gatewayNodes.taintValue, nodeLabelKey: label[0], nodeLabelValue: label[1] })
                .and(Placement.distinctNodes({ required: false }))
              : spread,
          }));
        }
        if (cp.components.includes('multiorch')) {
          components.push(new MultiOrch(file, 'Orch', { metadata: { name: names.orch, namespace: ns }, cellName: cp.cell, placement: spread }));
        }
        if (cp.components.includes('multipooler')) {
          components.push(new MultiPooler(file, 'Pooler', {
            metadata: { name: names.pooler, namespace: ns },
            cellName: cp.cell,
            replicas: d.poolerReplicas,
            placement: Placement.zoneSpread().and(Placement.distinctNodes({ required: true })),
          }));
        }
        // Global Services, same name and namespace wherever served or consumed.
        for (const s of plan.services.filter((x) => x.servedBy === cp.cluster || x.consumedBy.includes(cp.cluster))) {
          const target = servingComponent(fleet, d, s);
          new MeshService(file, `Svc-${s.name}`, {
            name: s.name,
            namespace: ns,
            selector: target.selectorLabels,
            ports: target.ports,
            labels: { 'app.kubernetes.io/part-of': 'multigres', 'meshfleet.io/deployment': d.name },
          });
        }
        if (mg.networkPolicies) {
          for (const c of components.filter((x) => x.component !== 'multigateway')) {
            new MultigresNetworkPolicy(file, `Policy-${c.component}`, {
              target: c,
              localCluster: cluster.name,
              clusters: participants,
              peerNamespace: ns,
              peerInstances: { etcd: [names.etcd], multigateway: [names.gateway], multiorch: [names.orch], multipooler: [names.pooler] },
            });
          }
        }
      }
    }
    for (const cluster of fleet.clusters.filter((c) => delivered.has(c.name))) {
      const file = new ManifestFile(this, `Delivery-${cluster.name}`, { path: layout.bootstrap('multigres', cluster.name) });
      new ServiceDeployment(file, 'Service', {
        name: `${fleet.name}-multigres-${cluster.name}`,
        namespace: fleet.plural.namespace,
        cluster: { name: cluster.name, namespace: fleet.plural.namespace },
        serviceNamespace: ns,
        repository: { name: fleet.plural.repository, namespace: fleet.plural.namespace },
        folder: layout.multigresFolder(cluster.name),
        ref: fleet.plural.gitRef,
      });
    }
  }

  /**
   * The operator's current API: one MultigresCluster per cluster of the deployment. shared-etcd only:
   * the etcd cluster's MultigresCluster runs the managed global topology server; the others point
   * `globalTopoServer.external` at it through the global Service `<deployment>-topo-global`, each under
   * its own root path. Returns the clusters written to.
   */
  private clusterApi(fleet: Fleet, d: ResolvedMultigresDeployment, layout: PluralLayout, ns: string): string[] {
    const topoService = `${d.name}-topo-global`;
    const etcdCluster = d.etcdCluster!;
    const clusters = [etcdCluster, ...d.dataClusters.filter((c) => c !== etcdCluster)];
    let topoSelector: Record<string, string> | undefined;
    for (const name of clusters) {
      const cluster = fleet.cluster(name);
      const file = new ManifestFile(this, `${d.name}-${name}`, { path: `${layout.multigresFolder(name)}/${d.name}.yaml` });
      const serving = name === etcdCluster;
      const mc = new MultigresCluster(file, 'Cluster', {
        metadata: { name: d.name, namespace: ns },
        postgresPasswordSecretRef: { name: `${d.name}-postgres-password`, key: 'password' },
        cells: [{ name: cluster.name, region: cluster.region }],
        globalTopoServer: serving
          ? MultigresTopoServer.managedEtcd({ replicas: d.etcdReplicas })
          : MultigresTopoServer.external({ endpoints: [`http://${topoService}.${ns}.svc.cluster.local:2379`], rootPath: `/multigres/${d.name}/${name}` }),
      });
      topoSelector = topoSelector ?? mc.componentLabels('toposerver');
      new MeshService(file, 'TopoService', {
        name: topoService,
        namespace: ns,
        selector: topoSelector,
        ports: [{ name: 'client', port: ETCD_CLIENT_PORT }],
        labels: { 'app.kubernetes.io/part-of': 'multigres', 'meshfleet.io/deployment': d.name },
      });
    }
    return clusters;
  }
}

/** The pods and ports behind a global Service: the labels the operator puts on that component's pods. */
function servingComponent(fleet: Fleet, d: ResolvedMultigresDeployment, s: MultigresMeshService): { selectorLabels: Record<string, string>; ports: Array<{ name: string; port: number }> } {
  const names = multigresNames(d);
  const cell = d.topology === 'regional' ? fleet.cluster(s.servedBy).name : undefined;
  if (s.component === 'etcd') {
    return { selectorLabels: multigresOperatorLabels(names.etcd, 'etcd', cell), ports: [{ name: 'client', port: ETCD_CLIENT_PORT }] };
  }
  return {
    selectorLabels: multigresOperatorLabels(names.pooler, 'multipooler', cell ?? s.servedBy),
    ports: [{ name: 'grpc', port: POOLER_GRPC_PORT }, { name: 'postgres', port: POOLER_POSTGRES_PORT }],
  };
}
