/** MultigresCluster props of storage, stateless components, gateways and topology servers (managed etcd or external). */
import { ResourceRequirements } from './common';
import { Affinity, Toleration } from './placement';

/** Durability policies multiorch supports (CRD description of `durabilityPolicy`). */
export type MultigresDurabilityPolicy = 'AT_LEAST_2' | 'MULTI_CELL_AT_LEAST_2';

/** What happens to PVCs. */
export type PvcRetention = 'Retain' | 'Delete';

/** PVC lifecycle. */
export interface MultigresPvcDeletionPolicy {
  /**
   * When the owner is deleted.
   * @default - inherited from the enclosing level (cluster default: Delete)
   */
  readonly whenDeleted?: PvcRetention;
  /**
   * When replicas are scaled down.
   * @default - inherited from the enclosing level (cluster default: Delete)
   */
  readonly whenScaled?: PvcRetention;
}

/** Storage of a data volume. */
export interface MultigresStorage {
  /**
   * Size, e.g. `10Gi`.
   * @default "1Gi" (webhook `DefaultEtcdStorageSize`)
   */
  readonly size?: string;
  /**
   * StorageClass.
   * @default - the cluster's default StorageClass
   */
  readonly class?: string;
  /**
   * Access modes.
   * @default - the operator's choice (ReadWriteOnce)
   */
  readonly accessModes?: Array<'ReadWriteOnce' | 'ReadOnlyMany' | 'ReadWriteMany' | 'ReadWriteOncePod'>;
}

/** A stateless component (multiadmin, multiadmin-web, multigateway, multiorch). */
export interface MultigresStatelessProps {
  /**
   * Replicas (0..128).
   * @default 1 (webhook default, written explicitly)
   */
  readonly replicas?: number;
  /**
   * Compute resources.
   * @default - the webhook's per-component defaults, written explicitly (see MultigresWebhookDefaults.RESOURCES)
   */
  readonly resources?: ResourceRequirements;
  /**
   * Extra pod labels (at most 20; keys and values under 64 characters).
   * @default - none
   */
  readonly podLabels?: { [key: string]: string };
  /**
   * Pod annotations (at most 20; Cilium names are checked for legacy and removed ones).
   * @default - none
   */
  readonly podAnnotations?: { [key: string]: string };
  /**
   * Affinity.
   * @default - none; a cell's pods are still pinned to its zone or region by the operator
   */
  readonly affinity?: Affinity;
}

/** Request buffering of multigateway during planned failovers. */
export interface MultigresGatewayBuffer {
  /**
   * Buffer requests during failovers.
   * @default true (webhook `defaultGatewayBuffer`, written explicitly)
   */
  readonly enabled?: boolean;
  /**
   * Per-request cap, a Go duration (`20s`).
   * @default - the multigateway binary's default (10s)
   */
  readonly window?: string;
  /**
   * Session cap, a Go duration; must be >= window.
   * @default - the multigateway binary's default (20s)
   */
  readonly maxFailoverDuration?: string;
  /**
   * Minimum time between failovers, a Go duration.
   * @default - the multigateway binary's default
   */
  readonly minTimeBetweenFailovers?: string;
  /**
   * Buffer size (>= 1).
   * @default - the multigateway binary's default
   */
  readonly size?: number;
  /**
   * Drain concurrency (>= 1).
   * @default - the multigateway binary's default
   */
  readonly drainConcurrency?: number;
}

/** The multigateway of a cell. */
export interface MultigresGatewayProps extends MultigresStatelessProps {
  /**
   * Failover buffering.
   * @default - `{ enabled: true }` (webhook default, written explicitly)
   */
  readonly buffer?: MultigresGatewayBuffer;
  /**
   * Tolerations of the gateway pods (`multigatewayPlacement.tolerations`).
   * @default - none
   */
  readonly tolerations?: Toleration[];
}

/** An operator-managed etcd. */
export interface MultigresEtcdProps {
  /**
   * Image.
   * @default "gcr.io/etcd-development/etcd:v3.6.7" (webhook `DefaultEtcdImage`, written explicitly)
   */
  readonly image?: string;
  /**
   * Members; odd (1, 3, 5...) and immutable after creation.
   * @default 3 (webhook `DefaultEtcdReplicas`, written explicitly)
   */
  readonly replicas?: number;
  /**
   * Data volume.
   * @default - size 1Gi (webhook default) on the default StorageClass
   */
  readonly storage?: MultigresStorage;
  /**
   * Compute resources.
   * @default - requests 100m/256Mi, limit 512Mi memory (webhook `DefaultResourcesEtcd`, written explicitly)
   */
  readonly resources?: ResourceRequirements;
  /**
   * Key prefix in etcd.
   * @default "/multigres/global" for the global topo, "/multigres/<cell>" for a cell's local topo (webhook)
   */
  readonly rootPath?: string;
  /**
   * PVC lifecycle of the etcd volumes.
   * @default - inherited from the cluster
   */
  readonly pvcDeletionPolicy?: MultigresPvcDeletionPolicy;
}

/** An existing etcd the operator connects to (e.g. one shared through the Cilium mesh). */
export interface MultigresExternalTopoProps {
  /**
   * Client URLs `http(s)://host:port` (1..20). The host may be a global Service name made reachable
   * in every cluster by the Cilium Cluster Mesh, e.g. `http://etcd.multigres.svc.cluster.local:2379`.
   */
  readonly endpoints: string[];
  /**
   * Key prefix. Distinct Multigres clusters sharing one etcd need distinct prefixes; the
   * MultigresClusters of one Multigres spread over several Kubernetes clusters share one.
   * @default "/multigres/global" for the global topo, "/multigres/<cell>" for a local one (webhook, written explicitly)
   */
  readonly rootPath?: string;
  /**
   * Secret holding the CA certificate (https endpoints).
   * @default - none
   */
  readonly caSecret?: string;
  /**
   * Secret holding the client certificate and key.
   * @default - none
   */
  readonly clientCertSecret?: string;
  /**
   * Topology implementation.
   * @default "etcd" (webhook `DefaultTopoImplementation`, written explicitly)
   */
  readonly implementation?: string;
}

/** Where a topology server comes from. */
export class MultigresTopoServer {
  /** An etcd the operator runs in this Kubernetes cluster. */
  public static managedEtcd(props: MultigresEtcdProps = {}): MultigresTopoServer {
    return new MultigresTopoServer('etcd', props, undefined, undefined);
  }
  /** An existing etcd the operator only connects to. */
  public static external(props: MultigresExternalTopoProps): MultigresTopoServer {
    return new MultigresTopoServer('external', undefined, props, undefined);
  }
  /** The global topo server of a CoreTemplate (only for `globalTopoServer`). */
  public static fromCoreTemplate(name: string): MultigresTopoServer {
    return new MultigresTopoServer('template', undefined, undefined, name);
  }
  private constructor(
    /** Which kind of topo server. */
    public readonly kind: 'etcd' | 'external' | 'template',
    /** Props of a managed etcd. */
    public readonly etcd: MultigresEtcdProps | undefined,
    /** Props of an external etcd. */
    public readonly externalProps: MultigresExternalTopoProps | undefined,
    /** The CoreTemplate name. */
    public readonly templateName: string | undefined,
  ) {}
}
