/**
 * The plan: what each cluster of a fleet runs and what each mesh shares, computed once from the
 * validated model. Target-neutral: no delivery engine, template language or file path is in it.
 */
import { ciliumIdentityValues, ciliumMeshValues, ciliumPlatformValues, MeshPeer, meshIssuerValues, meshPeerValues } from '../cilium/values';
import { MeshCa } from '../fleet/cilium';
import { Fleet, Mesh, MeshCluster } from '../fleet/fleet';
import { meshNativeRoutingCidr } from '../fleet/mesh-rules';
import { DISTROS } from '../fleet/platform';
import { Distro } from '../fleet/props';
import { mergeValues } from '../k8s/yaml';
import { multigresWork, MultigresWork } from './multigres';

/** The Cilium release every cluster runs, and the values layer all of them share. */
export interface CiliumRelease {
  /** Chart name. */
  readonly chart: 'cilium';
  /** Helm repository of the chart. */
  readonly repository: string;
  /** Chart version, pinned. */
  readonly version: string;
  /** Namespace it is installed into. */
  readonly namespace: string;
  /** Values every cluster of the fleet gets (typed for the chart version): no platform, identity, issuer or peers. */
  readonly sharedValues: Record<string, unknown>;
}

/** What the members of one mesh share. */
export interface MeshPlan {
  /** Mesh name. */
  readonly name: string;
  /** Its tiers. */
  readonly tiers: readonly string[];
  /** Its members, in fleet order. */
  readonly clusters: readonly MeshCluster[];
  /** The peer list every member reads (each skips its own entry). */
  readonly peers: readonly MeshPeer[];
  /** The mesh's CA: its cert-manager ClusterIssuer on every member and the Secret backing it (the CA itself is never in the plan). */
  readonly ca: MeshCa;
  /** The values layer every member reads: the mesh's issuer and its peer list. */
  readonly values: Record<string, unknown>;
  /** What its members on each platform need (`ciliumPlatformValues`), for the platforms its members run on, in `DISTROS` order. */
  readonly platforms: ReadonlyMap<Distro, Record<string, unknown>>;
}

/** What one cluster runs. */
export interface ClusterPlan {
  /** The cluster: identity (name, id, DNS name peers dial), tier, mesh, region, tags. */
  readonly cluster: MeshCluster;
  /** Its share of each Multigres deployment placed on it. */
  readonly multigres: readonly MultigresWork[];
}

/** The whole plan. */
export interface FleetPlan {
  /** The model it was computed from. */
  readonly fleet: Fleet;
  /** The Cilium release. */
  readonly cilium: CiliumRelease;
  /** Every mesh with at least one cluster, in order. */
  readonly meshes: readonly MeshPlan[];
  /** Every cluster, in fleet order. */
  readonly clusters: readonly ClusterPlan[];
  /** Every Multigres (deployment, cluster) pair, in write order. */
  readonly multigres: readonly MultigresWork[];
}

/** Plans already computed, per fleet (a Fleet is immutable, so its plan is computed once, whoever asks). */
const PLANS = new WeakMap<Fleet, FleetPlan>();

/** The plan of a validated fleet, computed once per fleet and shared by every target, the picture and plan. */
export function planFleet(fleet: Fleet): FleetPlan {
  let plan = PLANS.get(fleet);
  if (!plan) {
    plan = computePlan(fleet);
    PLANS.set(fleet, plan);
  }
  return plan;
}

function computePlan(fleet: Fleet): FleetPlan {
  const c = fleet.cilium;
  const multigres = multigresWork(fleet);
  const byCluster = new Map<string, MultigresWork[]>();
  for (const w of multigres) byCluster.set(w.cluster, [...(byCluster.get(w.cluster) ?? []), w]);
  return {
    fleet,
    cilium: {
      chart: 'cilium',
      repository: c.chartUrl,
      version: c.version,
      namespace: c.namespace,
      sharedValues: ciliumMeshValues({
        minor: c.minor,
        maxConnectedClusters: c.maxConnectedClusters,
        mcsApi: c.mcsApi,
        endpointSliceSync: c.endpointSliceSync,
        policyDefaultLocalCluster: c.policyDefaultLocalCluster,
      }),
    },
    meshes: fleet.meshes.filter((m) => m.clusters.length > 0).map((m) => {
      const peers = m.clusters.map((x) => ({ name: x.name, address: x.apiserverAddress, port: x.apiserverPort }));
      const ca = fleet.meshCa(m.name);
      const platforms = new Map(DISTROS.filter((d) => m.clusters.some((x) => x.distro === d)).map((d) => [d, platformValues(fleet, m, d)]));
      return { name: m.name, tiers: m.tiers, clusters: m.clusters, peers, ca, values: mergeValues(meshIssuerValues(ca.issuer), meshPeerValues(peers)) as Record<string, unknown>, platforms };
    }),
    clusters: fleet.clusters.map((cluster) => ({ cluster, multigres: byCluster.get(cluster.name) ?? [] })),
    multigres,
  };
}

/** What the members of a mesh on one platform need: the platform's values and how their clustermesh-apiserver is exposed. */
function platformValues(fleet: Fleet, mesh: Mesh, distro: Distro): Record<string, unknown> {
  const apiserver = mesh.clusters.find((c) => c.distro === distro)!.apiserver;
  return ciliumPlatformValues({
    distro,
    cni: distro === 'eks' ? fleet.cilium.cni : undefined,
    nativeRoutingCidr: distro === 'gke' ? meshNativeRoutingCidr(mesh) : undefined,
    serviceType: apiserver.serviceType,
    nodePort: apiserver.serviceType === 'NodePort' ? apiserver.port : undefined,
    loadBalancerClass: apiserver.loadBalancerClass,
    annotations: apiserver.annotations,
    // Clouds serve the Kubernetes API on 443; kubeadm and most bare-metal clusters on 6443.
    kubeProxyReplacement: fleet.cilium.kubeProxyReplacement
      ? { hostConfigMap: fleet.cilium.kubeProxyReplacement.hostConfigMap, apiServerPort: fleet.cilium.kubeProxyReplacement.apiServerPort ?? (distro === 'generic' ? 6443 : 443) }
      : undefined,
  });
}

/**
 * The Cilium values one cluster ends up with, whatever the target: the shared layer, its mesh's layer
 * (issuer and peers) and its identity, merged as Helm merges values files. What `meshfleet plan`
 * compares; each target's simulator renders the same from its own files.
 */
export function clusterCiliumValues(plan: FleetPlan, cluster: MeshCluster): Record<string, unknown> {
  const mesh = plan.meshes.find((m) => m.name === cluster.mesh)!;
  return mergeValues(mergeValues(plan.cilium.sharedValues, mesh.values), clusterIdentityValues(plan.fleet, cluster)) as Record<string, unknown>;
}

/**
 * A cluster's own layer of Cilium values, as plain values: what its platform needs (and how its
 * clustermesh-apiserver is exposed there), its name and id, the address peers dial (published and
 * certified), and with cluster-pool IPAM its pod CIDR. Argo CD and Flux write it inline per cluster; Plural
 * gives each platform of a mesh a file and renders the identity from each cluster's handle with Liquid.
 */
export function clusterIdentityValues(fleet: Fleet, cluster: MeshCluster): Record<string, unknown> {
  const mesh = planFleet(fleet).meshes.find((m) => m.name === cluster.mesh)!;
  return mergeValues(mesh.platforms.get(cluster.distro)!, ciliumIdentityValues<string | number>({
    minor: fleet.cilium.minor,
    name: cluster.name,
    id: cluster.id,
    address: cluster.apiserverAddress,
    podCidr: cluster.datapath.ipam === 'cluster-pool' ? cluster.podCidr : undefined,
    nodePort: ownNodePorts(mesh.clusters) ? cluster.apiserver.port : undefined,
  })) as Record<string, unknown>;
}

/** Whether a mesh's members carry their node ports in their identity (some member has its own; then all are on NodePort). */
export function ownNodePorts(members: readonly MeshCluster[]): boolean {
  return members.some((c) => c.apiserver.ownNodePort);
}
