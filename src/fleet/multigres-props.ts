/** The `multigres:` section of a fleet description: Multigres deployments across the meshes. */

/**
 * How a Multigres deployment is spread over a mesh (the design draft's patterns).
 * - `shared-etcd`: one etcd in one cluster; gateways, orchestrators and poolers in others reach it
 *   through a global Service present in all of them.
 * - `regional`: each cluster (region) runs its own etcd, orchestrator and poolers; a gateway tier on
 *   dedicated nodes in one cluster reaches every region through global Services.
 * - `federated-etcd`: one etcd whose members live in different clusters. Refused: the operator builds
 *   etcd peer URLs from `cluster.local` names only, so such members can never form one cluster.
 */
export type MultigresTopology = 'shared-etcd' | 'regional' | 'federated-etcd';

/** Which Multigres API generation to write. */
export type MultigresApi = 'components' | 'cluster';

/** Dedicated, tainted nodes a workload runs on. */
export interface DedicatedNodesProps {
  /** Taint key the nodes carry (tolerated), e.g. `dedicated`. */
  readonly taintKey: string;
  /** Taint value (tolerated), e.g. `multigres-gateway`. */
  readonly taintValue: string;
  /**
   * Node label the workload requires.
   * @default - the taint key and value
   */
  readonly nodeLabel?: Record<string, string>;
}

/** One Multigres deployment across the clusters of a mesh. */
export interface MultigresDeploymentProps {
  /** Name of the deployment; prefix of its objects (<= 30 characters). */
  readonly name: string;
  /** The mesh it runs in. */
  readonly mesh: string;
  /** How it is spread. */
  readonly topology: MultigresTopology;
  /**
   * shared-etcd: the cluster running etcd.
   * @default - the first cluster of the mesh
   */
  readonly etcdCluster?: string;
  /**
   * Clusters that run data (poolers and orchestrators; gateways too with shared-etcd).
   * @default - every cluster of the mesh except the etcd (shared-etcd) or gateway (regional) cluster
   */
  readonly clusters?: readonly string[];
  /**
   * regional: the cluster running the gateway tier.
   * @default - the first cluster of the mesh
   */
  readonly gatewayCluster?: string;
  /**
   * regional: the dedicated nodes the gateway tier runs on.
   * @default - taint and label `dedicated=multigres-gateway`
   */
  readonly gatewayNodes?: DedicatedNodesProps;
  /**
   * etcd members (odd, 3..7).
   * @default 3
   * @asType integer
   * @minimum 3
   * @maximum 7
   */
  readonly etcdReplicas?: number;
  /**
   * Gateway replicas per gateway cluster.
   * @default 2
   * @asType integer
   * @minimum 1
   */
  readonly gatewayReplicas?: number;
  /**
   * Pooler replicas per data cluster.
   * @default 3
   * @asType integer
   * @minimum 1
   */
  readonly poolerReplicas?: number;
}

/** Multigres across the fleet. */
export interface MultigresProps {
  /**
   * The API generation to write:
   * - `cluster`: one MultigresCluster per cluster, what every released operator serves (v0.1.0 to v0.11.1).
   * - `components`: the per-component kinds (Etcd, MultiGateway, MultiOrch, MultiPooler) of the design
   *   draft; no operator release serves them (they were removed before v0.1.0): only operator builds from
   *   before 2025-11 apply them.
   * @default "cluster"
   */
  readonly api?: MultigresApi;
  /**
   * The Multigres operator release the clusters run (`0.11.1`); meshfleet then refuses what that release
   * cannot apply (every release refuses `api: components`).
   * @default - not checked
   */
  readonly operatorVersion?: string;
  /**
   * Namespace of every Multigres object (the same in every cluster, so global Services match).
   * @default "multigres"
   */
  readonly namespace?: string;
  /**
   * Emit a CiliumNetworkPolicy per component that admits exactly its Multigres peers.
   * @default false
   */
  readonly networkPolicies?: boolean;
  /** The deployments. */
  readonly deployments: readonly MultigresDeploymentProps[];
}
