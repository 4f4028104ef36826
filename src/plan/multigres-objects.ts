/**
 * The Multigres objects one cluster runs for one deployment, built into any scope a delivery target
 * gives (a file of its tree): the custom resources, the global Services it serves or consumes, and the
 * opt-in CiliumNetworkPolicies. The same objects whatever the target.
 */
import { nodeRegionOf } from '../fleet/platform';
import { IConstruct } from 'constructs';
import { MeshService } from '../cilium/mesh-service';
import { MultigresNetworkPolicy } from '../multigres/network-policy';
import { Fleet } from '../fleet/fleet';
import { ResolvedMultigres, ResolvedMultigresDeployment } from '../fleet/multigres';
import { IMultigresComponent, multigresOperatorLabels } from '../multigres/common';
import { Etcd } from '../multigres/etcd';
import { MultiGateway } from '../multigres/multigateway';
import { multigresClusterLabels, MultigresCluster, MultigresTopoServer } from '../multigres/multigres-cluster';
import { MultiOrch } from '../multigres/multiorch';
import { MultiPooler } from '../multigres/multipooler';
import { Placement } from '../multigres/placement';
import { MultigresClusterPlan, MultigresMeshService, multigresNames, MultigresWork, planMultigres } from './multigres';

/** Builds into `scope` what `work.cluster` runs for `work.deployment`. */
export function addMultigresObjects(scope: IConstruct, fleet: Fleet, work: MultigresWork): void {
  const mg = fleet.multigres!;
  if (mg.api === 'cluster') {
    addClusterApi(scope, fleet, work);
    return;
  }
  const d = work.deployment;
  const plan = planMultigres(fleet, d);
  const cp = plan.clusters.find((c) => c.cluster === work.cluster)!;
  addComponents(scope, fleet, mg, d, cp, plan);
}

function addComponents(file: IConstruct, fleet: Fleet, mg: ResolvedMultigres, d: ResolvedMultigresDeployment, cp: MultigresClusterPlan, plan: { clusters: MultigresClusterPlan[]; services: MultigresMeshService[] }): void {
  const ns = mg.namespace;
  const names = multigresNames(d);
  const participants = plan.clusters.map((c) => c.cluster);
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

/**
 * The operator's current API: one MultigresCluster per cluster of the deployment. shared-etcd only:
 * the etcd cluster's MultigresCluster runs the managed global topology server; the others point
 * `globalTopoServer.external` at it through the global Service `<deployment>-topo-global`, each under
 * its own root path.
 */
function addClusterApi(file: IConstruct, fleet: Fleet, work: MultigresWork): void {
  const d = work.deployment;
  const ns = fleet.multigres!.namespace;
  const topoService = `${d.name}-topo-global`;
  const cluster = fleet.cluster(work.cluster);
  const serving = work.cluster === d.etcdCluster;
  new MultigresCluster(file, 'Cluster', {
    metadata: { name: d.name, namespace: ns },
    postgresPasswordSecretRef: { name: `${d.name}-postgres-password`, key: 'password' },
    // The operator selects the cell's nodes by topology.kubernetes.io/region: a GKE zone's region.
    cells: [{ name: cluster.name, region: nodeRegionOf(cluster.distro, cluster.region) }],
    globalTopoServer: serving
      ? MultigresTopoServer.managedEtcd({ replicas: d.etcdReplicas })
      : MultigresTopoServer.external({ endpoints: [`http://${topoService}.${ns}.svc.cluster.local:${Etcd.CLIENT_PORT}`], rootPath: `/multigres/${d.name}/${work.cluster}` }),
  });
  new MeshService(file, 'TopoService', {
    name: topoService,
    namespace: ns,
    selector: multigresClusterLabels(d.name, 'toposerver'),
    ports: [{ name: 'client', port: Etcd.CLIENT_PORT }],
    labels: { 'app.kubernetes.io/part-of': 'multigres', 'meshfleet.io/deployment': d.name },
  });
}

/** The pods and ports behind a global Service: the labels the operator puts on that component's pods. */
function servingComponent(fleet: Fleet, d: ResolvedMultigresDeployment, s: MultigresMeshService): { selectorLabels: Record<string, string>; ports: Array<{ name: string; port: number }> } {
  const names = multigresNames(d);
  const cell = d.topology === 'regional' ? fleet.cluster(s.servedBy).name : undefined;
  if (s.component === 'etcd') {
    return { selectorLabels: multigresOperatorLabels(names.etcd, 'etcd', cell), ports: [{ name: 'client', port: Etcd.CLIENT_PORT }] };
  }
  return {
    selectorLabels: multigresOperatorLabels(names.pooler, 'multipooler', cell ?? s.servedBy),
    ports: [{ name: 'grpc', port: MultiPooler.DEFAULT_GRPC_PORT }, { name: 'postgres', port: MultiPooler.DEFAULT_POSTGRES_PORT }],
  };
}
