/**
 * `MultigresCluster` (`multigres.com/v1alpha1`, the operator's current user-facing kind): cells mapped to
 * the zones or regions of one Kubernetes cluster, the global topology server (managed etcd, or an
 * external etcd reachable through the Cilium mesh), the database/tablegroup/shard tree, and the
 * defaults the operator's mutating webhook would otherwise write into the stored object.
 *
 * Webhook defaults written here (so that Git and the cluster do not drift). Sources, all in
 * multigres/multigres-operator: `pkg/webhook/handlers/defaulter.go` (what is materialised and when),
 * `pkg/resolver/cluster.go` `PopulateClusterDefaults` / `ResolveGlobalTopo` / `ResolveMultiadmin[Web]`,
 * `pkg/resolver/cell.go` `ResolveCell` / `defaultGatewayBuffer`, `pkg/resolver/shard.go` `ResolveShard` /
 * `defaultPoolSpec` / `defaultBackupConfig`, `pkg/resolver/resolver.go` `defaultEtcdSpec` /
 * `defaultExternalTopoSpec` / `defaultStatelessSpec`, and the constants of `pkg/resolver/defaults.go`
 * (see {@link MultigresWebhookDefaults}). The webhook only fills fields that are empty, so every value
 * written explicitly here is kept as it is.
 */
import { isIP } from 'net';
import { ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';
import * as l1 from '../../imports/multigres-multigresclusters-multigres.com';
import { CiliumServiceAnnotationOptions, ciliumServiceAnnotations, validateCiliumAnnotations } from '../cilium/annotations';
import { ResourceRequirements } from './common';
import { Affinity, checkInteger, checkLabelValue, checkQualifiedName, sortKeys, Toleration, validateScheduling } from './placement';

/** A Kubernetes resource quantity as the L1 classes take it. */
const Q = l1.MultigresClusterSpecMultiadminSpecResourcesLimits;

/**
 * The values the operator's mutating webhook writes into a stored MultigresCluster when the field is
 * empty and no template is involved (`pkg/resolver/defaults.go` and the resolver functions named in
 * the module comment). Resource maps are `{ requests, limits }`.
 */
export const MultigresWebhookDefaults = {
  /** `DefaultImagePullPolicy` (`PopulateClusterDefaults`). */
  IMAGE_PULL_POLICY: 'IfNotPresent',
  /** `DefaultDurabilityPolicy` (`PopulateClusterDefaults`). */
  DURABILITY_POLICY: 'AT_LEAST_2',
  /** `DefaultLogLevel` for pgctld, multipooler, multiorch, multiadmin, multigateway (`PopulateClusterDefaults`). */
  LOG_LEVEL: 'info',
  /** `topologyPruning.enabled: true` (`PopulateClusterDefaults`). */
  TOPOLOGY_PRUNING: true,
  /** Cluster `pvcDeletionPolicy` (`PopulateClusterDefaults`; also the CRD's `default:`). */
  PVC_DELETION_POLICY: { whenDeleted: 'Delete', whenScaled: 'Delete' } as const,
  /** Cluster `backup` (`PopulateClusterDefaults`: `DefaultBackupPath`, `DefaultBackupStorageSize`). */
  BACKUP: { type: 'filesystem', filesystem: { path: '/backups', storage: { size: '10Gi' } } } as const,
  /** `postgresSuperuser` (the CRD's `default:`). */
  POSTGRES_SUPERUSER: 'postgres',
  /** `DefaultSystemDatabaseName`, `DefaultSystemTableGroupName` and the shard name (`PopulateClusterDefaults`). */
  DATABASE: 'postgres',
  TABLEGROUP: 'default',
  SHARD: '0-inf',
  /** `DefaultPoolName`: the pool injected when a shard has none (`ResolveShard`). */
  POOL: 'default',
  /** `DefaultEtcdImage` (api/v1alpha1, written by `defaultEtcdSpec`; the samples use the same tag). */
  ETCD_IMAGE: 'gcr.io/etcd-development/etcd:v3.6.7',
  /** `DefaultEtcdReplicas`. */
  ETCD_REPLICAS: 3,
  /** `DefaultEtcdStorageSize` (also the pool storage default in `defaultPoolSpec`). */
  STORAGE_SIZE: '1Gi',
  /** `DefaultTopoRootPath` (global); a cell's local topo defaults to `/multigres/<cell>`. */
  GLOBAL_ROOT_PATH: '/multigres/global',
  /** `DefaultTopoImplementation` (`defaultExternalTopoSpec`). */
  TOPO_IMPLEMENTATION: 'etcd',
  /** Replicas of multiadmin, multiadmin-web, multigateway (per cell) and multiorch (per shard). */
  MULTIADMIN_REPLICAS: 1,
  MULTIADMIN_WEB_REPLICAS: 1,
  MULTIGATEWAY_REPLICAS: 1,
  MULTIORCH_REPLICAS: 1,
  /** `defaultGatewayBuffer`: failover buffering on unless disabled. */
  GATEWAY_BUFFER_ENABLED: true,
  /** `DefaultResources*()`. */
  RESOURCES: {
    etcd: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } },
    multiadmin: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
    multiadminWeb: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } },
    multigateway: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
    multiorch: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } },
    postgres: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } },
    multipooler: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
  },
} as const;

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

/** A cell: one failure domain (a zone or a region of this Kubernetes cluster). */
export interface MultigresCellProps {
  /** Cell name (1..30 characters, DNS label); unique within the cluster and, across a mesh, the fleet. */
  readonly name: string;
  /**
   * Availability zone ID (e.g. `use1-az1`); the operator turns it into a nodeSelector. Exactly one of
   * `zoneId` and `region`.
   * @default - none (then `region` is required)
   */
  readonly zoneId?: string;
  /**
   * Region; the operator turns it into a nodeSelector. Exactly one of `zoneId` and `region`.
   * @default - none (then `zoneId` is required)
   */
  readonly region?: string;
  /**
   * CellTemplate to use; `multigateway` then becomes `overrides`.
   * @default - the cluster's templateDefaults.cellTemplate, else inline defaults written explicitly
   */
  readonly cellTemplate?: string;
  /**
   * The cell's multigateway.
   * @default - 1 replica with the webhook's resources and buffering on (written explicitly when no template applies)
   */
  readonly multigateway?: MultigresGatewayProps;
  /**
   * A cell-local topology server.
   * @default - none; the cell uses the global topo server
   */
  readonly localTopoServer?: MultigresTopoServer;
}

/** A container of a pool. */
export interface MultigresPoolContainer {
  /**
   * Compute resources.
   * @default - the webhook's defaults (written explicitly)
   */
  readonly resources?: ResourceRequirements;
  /**
   * UID (>= 1).
   * @default - the image's user
   */
  readonly runAsUser?: number;
  /**
   * GID (>= 0).
   * @default - the image's group
   */
  readonly runAsGroup?: number;
}

/** A pool of Postgres + multipooler pods of a shard. */
export interface MultigresPoolProps {
  /**
   * Cells the pool runs in (1..10, declared cells).
   * @default - every cell of the cluster, written explicitly
   */
  readonly cells?: string[];
  /**
   * Pods per cell (1..32).
   * @default - 2 when the pool spans one cell (so AT_LEAST_2 can be met), else 1 (operator README; written explicitly)
   */
  readonly replicasPerCell?: number;
  /**
   * Data volume.
   * @default - size 1Gi (webhook `defaultPoolSpec`) on the default StorageClass
   */
  readonly storage?: MultigresStorage;
  /**
   * The postgres container.
   * @default - webhook resources (requests 100m/256Mi, limit 512Mi memory)
   */
  readonly postgres?: MultigresPoolContainer;
  /**
   * The multipooler container.
   * @default - webhook resources (requests 100m/128Mi, limit 256Mi memory)
   */
  readonly multipooler?: MultigresPoolContainer;
  /**
   * Affinity.
   * @default - none
   */
  readonly affinity?: Affinity;
  /**
   * Tolerations.
   * @default - none
   */
  readonly tolerations?: Toleration[];
  /**
   * Pod fsGroup (>= 1).
   * @default - runtime default
   */
  readonly fsGroup?: number;
  /**
   * PVC lifecycle of this pool.
   * @default - inherited from shard, tablegroup, cluster
   */
  readonly pvcDeletionPolicy?: MultigresPvcDeletionPolicy;
}

/** The multiorch of a shard. */
export interface MultigresOrchProps extends MultigresStatelessProps {
  /**
   * Cells multiorch runs in (declared cells).
   * @default - every cell of the cluster, written explicitly
   */
  readonly cells?: string[];
}

/** Backup settings. */
export interface MultigresBackup {
  /** Backup target type. */
  readonly type: 'filesystem' | 's3';
  /**
   * Filesystem target (type filesystem).
   * @default - path /backups, 10Gi volume (webhook)
   */
  readonly filesystem?: { readonly path?: string; readonly storage?: MultigresStorage };
  /**
   * S3 target (required with type s3).
   * @default - none
   */
  readonly s3?: {
    readonly bucket: string;
    readonly region: string;
    readonly endpoint?: string;
    readonly keyPrefix?: string;
    readonly credentialsSecret?: string;
    readonly serviceAccountName?: string;
    readonly useEnvCredentials?: boolean;
  };
  /**
   * Secret with the pgBackRest encryption key (immutable after creation).
   * @default - unencrypted
   */
  readonly encryptionSecretName?: string;
  /**
   * Secret with the pgBackRest TLS material.
   * @default - operator-managed
   */
  readonly pgbackrestTlsSecretName?: string;
}

/** A shard (v1alpha1 supports only `0-inf`). */
export interface MultigresShardProps {
  /**
   * Shard name; the CRD accepts only `0-inf` in v1alpha1.
   * @default "0-inf"
   */
  readonly name?: string;
  /**
   * ShardTemplate to use; the other fields then become `overrides`.
   * @default - the cluster's templateDefaults.shardTemplate, else inline defaults written explicitly
   */
  readonly shardTemplate?: string;
  /**
   * multiorch.
   * @default - 1 replica, webhook resources, every cell
   */
  readonly multiorch?: MultigresOrchProps;
  /**
   * Pools by name (at most 8; names are DNS labels of at most 25 characters).
   * @default - one `readWrite` pool named `default` (webhook `DefaultPoolName`)
   */
  readonly pools?: { [name: string]: MultigresPoolProps };
  /**
   * PostgreSQL parameters merged into postgresql.conf (at most 200).
   * @default - operator defaults
   */
  readonly postgresConfig?: { [parameter: string]: string };
  /**
   * Extra initdb arguments (at most 512 characters).
   * @default - none
   */
  readonly initdbArgs?: string;
  /**
   * PVC lifecycle of the shard's pools.
   * @default - inherited from tablegroup and cluster
   */
  readonly pvcDeletionPolicy?: MultigresPvcDeletionPolicy;
  /**
   * Backup override.
   * @default - the tablegroup's, database's or cluster's, merged and written explicitly (webhook)
   */
  readonly backup?: MultigresBackup;
}

/** A tablegroup. */
export interface MultigresTableGroupProps {
  /** Name (DNS label, at most 25 characters); the default tablegroup must be named `default`. */
  readonly name: string;
  /**
   * Whether this is the database's default (unsharded) tablegroup; exactly one per database.
   * @default - true for a tablegroup named `default`, else false
   */
  readonly default?: boolean;
  /**
   * Shards (v1alpha1: one, `0-inf`).
   * @default - one shard `0-inf` with the webhook's defaults
   */
  readonly shards?: MultigresShardProps[];
  /**
   * Backup override.
   * @default - the database's
   */
  readonly backup?: MultigresBackup;
  /**
   * PVC lifecycle.
   * @default - the cluster's
   */
  readonly pvcDeletionPolicy?: MultigresPvcDeletionPolicy;
}

/** A database (v1alpha1 supports only the system database `postgres`). */
export interface MultigresDatabaseProps {
  /**
   * Name; only `postgres` in v1alpha1.
   * @default "postgres"
   */
  readonly name?: string;
  /**
   * Durability policy override.
   * @default - the cluster's
   */
  readonly durabilityPolicy?: MultigresDurabilityPolicy;
  /**
   * Tablegroups (at most 20).
   * @default - one tablegroup `default` (webhook `DefaultSystemTableGroupName`)
   */
  readonly tablegroups?: MultigresTableGroupProps[];
  /**
   * Backup override.
   * @default - the cluster's
   */
  readonly backup?: MultigresBackup;
}

/** Exposure and annotations of the global `<name>-multigateway` Service. */
export interface MultigresExternalGatewayProps {
  /**
   * Enable. The operator applies `annotations` and `externalIPs` only while enabled (the Service stays ClusterIP).
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * External IPs of the Service (at most 10).
   * @default - none (the webhook warns; the GatewayExternalReady condition stays AwaitingEndpoint)
   */
  readonly externalIPs?: string[];
  /**
   * Cilium annotations from typed options, e.g. `{ global: true, affinity: 'local' }` to make the
   * gateway a Cluster Mesh global service.
   * @default - none
   */
  readonly cilium?: CiliumServiceAnnotationOptions;
  /**
   * Further Service annotations (merged with `cilium`; `multigres.com/` keys are reserved; at most 20 in all).
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
}

/** Component images (pin them to stop the operator from moving a cluster to its new defaults). */
export interface MultigresImages {
  /** @default - resolved by the operator at reconcile time (not persisted by the webhook) */
  readonly multigateway?: string;
  /** @default - resolved by the operator at reconcile time (not persisted by the webhook) */
  readonly multiorch?: string;
  /** @default - resolved by the operator at reconcile time (not persisted by the webhook) */
  readonly multipooler?: string;
  /** @default - resolved by the operator at reconcile time (not persisted by the webhook) */
  readonly multiadmin?: string;
  /** @default - resolved by the operator at reconcile time (not persisted by the webhook) */
  readonly multiadminWeb?: string;
  /** @default - resolved by the operator at reconcile time (not persisted by the webhook) */
  readonly postgres?: string;
}

/** A core component (multiadmin, multiadmin-web): inline, or from a CoreTemplate. */
export interface MultigresCoreComponentProps extends MultigresStatelessProps {
  /**
   * CoreTemplate to take the configuration from (excludes the inline fields).
   * @default - inline
   */
  readonly templateRef?: string;
}

/** Log level of a data-plane component. */
export type MultigresLogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Props of a {@link MultigresCluster}. */
export interface MultigresClusterProps {
  /**
   * Metadata. The name (DNS label, at most 25 characters) names the global `<name>-multigateway`
   * Service; across a mesh give the same name and namespace in every cluster.
   * @default - a name generated from the construct path, in the chart's namespace
   */
  readonly metadata?: ApiObjectMetadata;
  /** Secret (same namespace) and key holding the Postgres superuser password. */
  readonly postgresPasswordSecretRef: { readonly name: string; readonly key: string };
  /** Cells (1..50). */
  readonly cells: MultigresCellProps[];
  /**
   * Global topology server.
   * @default - a managed etcd with the webhook's defaults (3 replicas, 1Gi, etcd v3.6.7), written explicitly unless a core template applies
   */
  readonly globalTopoServer?: MultigresTopoServer;
  /**
   * multiadmin.
   * @default - 1 replica with the webhook's resources, written explicitly unless a core template applies
   */
  readonly multiadmin?: MultigresCoreComponentProps;
  /**
   * multiadmin-web.
   * @default - 1 replica with the webhook's resources, written explicitly unless a core template applies
   */
  readonly multiadminWeb?: MultigresCoreComponentProps;
  /**
   * Databases (v1alpha1: only `postgres`).
   * @default - `postgres` / tablegroup `default` / shard `0-inf` (webhook system catalog)
   */
  readonly databases?: MultigresDatabaseProps[];
  /**
   * Default templates. The webhook writes `default` here when a template named `default` exists in
   * the namespace; this construct cannot see the cluster, so name them here if they exist.
   * @default - none: the construct assumes no `default` templates exist and writes inline defaults
   */
  readonly templateDefaults?: { readonly coreTemplate?: string; readonly cellTemplate?: string; readonly shardTemplate?: string };
  /**
   * Component images.
   * @default - none written: the current webhook does not persist images; the operator resolves them at reconcile time
   */
  readonly images?: MultigresImages;
  /**
   * Image pull policy.
   * @default "IfNotPresent" (webhook, written explicitly)
   */
  readonly imagePullPolicy?: 'Always' | 'Never' | 'IfNotPresent';
  /**
   * Image pull Secrets (same namespace).
   * @default - none
   */
  readonly imagePullSecrets?: string[];
  /**
   * The global multigateway Service's exposure and (Cilium) annotations.
   * @default - not written; the Service stays a plain ClusterIP Service without annotations
   */
  readonly externalGateway?: MultigresExternalGatewayProps;
  /**
   * Default durability policy.
   * @default "AT_LEAST_2" (webhook, written explicitly)
   */
  readonly durabilityPolicy?: MultigresDurabilityPolicy;
  /**
   * PVC lifecycle.
   * @default - Delete/Delete (webhook and CRD default, written explicitly)
   */
  readonly pvcDeletionPolicy?: MultigresPvcDeletionPolicy;
  /**
   * Backups.
   * @default - filesystem at /backups on a 10Gi volume (webhook, written explicitly)
   */
  readonly backup?: MultigresBackup;
  /**
   * Log levels.
   * @default - info for every component (webhook, written explicitly)
   */
  readonly logLevels?: { readonly multiadmin?: MultigresLogLevel; readonly multigateway?: MultigresLogLevel; readonly multiorch?: MultigresLogLevel; readonly multipooler?: MultigresLogLevel; readonly pgctld?: MultigresLogLevel };
  /**
   * Prune stale topology entries.
   * @default true (webhook, written explicitly)
   */
  readonly topologyPruning?: boolean;
  /**
   * Postgres superuser role.
   * @default "postgres" (CRD default, written explicitly)
   */
  readonly postgresSuperuser?: string;
  /**
   * DNS name of the public PostgreSQL TLS certificate (cert-manager) terminated by multigateway.
   * @default - no TLS for client connections
   */
  readonly certCommonName?: string;
  /**
   * Mutual TLS between Multigres components.
   * @default - not written (disabled)
   */
  readonly internalTls?: boolean;
}

/** Components whose pods the operator labels (`app.kubernetes.io/component`). */
/**
 * The labels the operator puts on the pods and Services of one component of a MultigresCluster
 * (`metadata.BuildStandardLabels`), keys sorted.
 */
export function multigresClusterLabels(clusterName: string, component: MultigresClusterComponent): { [key: string]: string } {
  return sortKeys({
    'app.kubernetes.io/name': 'multigres',
    'app.kubernetes.io/instance': clusterName,
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/part-of': 'multigres',
    'app.kubernetes.io/managed-by': 'multigres-operator',
  });
}

export type MultigresClusterComponent = 'toposerver' | 'multigateway' | 'multiorch' | 'shard-pool' | 'multiadmin' | 'multiadmin-web';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUANTITY = /^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$/;
const DURATION = /^([0-9]+(\.[0-9]+)?(ns|us|µs|μs|ms|s|m|h))+$/;
const ENDPOINT = /^https?:\/\/(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*):([0-9]{1,5})\/?$/;

/**
 * A `MultigresCluster`: one Multigres deployment in one Kubernetes cluster, its cells mapped to that
 * cluster's zones or regions. Writes the operator webhook's defaults explicitly (see the module comment).
 */
export class MultigresCluster extends Construct {
  /** The generated L1 object. */
  public readonly resource: l1.MultigresCluster;
  /** The MultigresCluster's name. */
  public readonly name: string;
  /** The namespace, when set explicitly. */
  public readonly namespace?: string;
  /** Cell names in declaration order. */
  public readonly cellNames: string[];
  /** The global multigateway Service the operator creates (`<name>-multigateway`). */
  public readonly gatewayServiceName: string;
  /** The annotations written to `externalGateway.annotations` (empty when none). */
  public readonly gatewayAnnotations: { [key: string]: string };

  private readonly where: string;

  constructor(scope: Construct, id: string, props: MultigresClusterProps) {
    super(scope, id);
    const name = props.metadata?.name ?? this.node.id.toLowerCase().replace(/[^a-z0-9-]/g, '-');
    this.where = `multigres cluster "${name}"`;
    const w = this.where;
    if (name.length > 25 || !DNS_LABEL.test(name)) {
      throw new Error(`${w}: name must be a dns label of at most 25 characters (the crd's limit)`);
    }
    const namespace = props.metadata?.namespace;
    if (namespace !== undefined && (namespace.length > 63 || !DNS_LABEL.test(namespace))) {
      throw new Error(`${w}: namespace "${namespace}" is not a valid namespace name`);
    }
    this.name = name;
    this.namespace = namespace;
    this.gatewayServiceName = `${name}-multigateway`;

    // --- secret ref
    const pw = props.postgresPasswordSecretRef;
    if (!pw || !pw.name || pw.name.length > 253 || !DNS_SUBDOMAIN.test(pw.name)) {
      throw new Error(`${w}: postgresPasswordSecretRef.name "${pw?.name ?? ''}" is not a valid secret name`);
    }
    if (!pw.key || pw.key.length > 253 || !/^[-._a-zA-Z0-9]+$/.test(pw.key)) {
      throw new Error(`${w}: postgresPasswordSecretRef.key "${pw.key ?? ''}" is not a valid secret key`);
    }

    const td = props.templateDefaults ?? {};
    for (const [k, v] of Object.entries(td)) if (v !== undefined) this.checkTemplateName(v, `templateDefaults.${k}`);

    // --- cells
    const cells = props.cells ?? [];
    if (cells.length === 0) throw new Error(`${w}: cells must not be empty`);
    if (cells.length > 50) throw new Error(`${w}: at most 50 cells are allowed (got ${cells.length})`);
    const cellNames: string[] = [];
    for (const c of cells) {
      if (!c.name || c.name.length > 30 || !DNS_LABEL.test(c.name)) {
        throw new Error(`${w}: cell name "${c.name ?? ''}" must be a dns label of at most 30 characters`);
      }
      if (cellNames.includes(c.name)) throw new Error(`${w}: cell "${c.name}" is declared twice`);
      cellNames.push(c.name);
    }
    this.cellNames = cellNames;

    // --- durability
    const durability = props.durabilityPolicy ?? MultigresWebhookDefaults.DURABILITY_POLICY;
    this.checkDurability(durability, 'durabilityPolicy');

    // --- backup (cluster level is always written: webhook PopulateClusterDefaults)
    const clusterBackup = props.backup ? this.backupSpec(props.backup, 'backup', true) : clone(MultigresWebhookDefaults.BACKUP);

    // --- external gateway
    let externalGateway: any;
    this.gatewayAnnotations = {};
    if (props.externalGateway) {
      const g = props.externalGateway;
      const enabled = g.enabled ?? true;
      const fromCilium = g.cilium ? ciliumServiceAnnotations(g.cilium, `${w}: externalGateway.cilium`) : {};
      const annotations = { ...(g.annotations ?? {}) };
      for (const [k, v] of Object.entries(fromCilium)) {
        if (annotations[k] !== undefined && annotations[k] !== v) {
          throw new Error(`${w}: externalGateway annotation "${k}" is set to "${annotations[k]}" but cilium options give "${v}"`);
        }
        annotations[k] = v;
      }
      const keys = Object.keys(annotations);
      if (keys.length > 20) throw new Error(`${w}: externalGateway takes at most 20 annotations (got ${keys.length})`);
      for (const k of keys) {
        checkQualifiedName(k, `${w}: externalGateway annotation key`);
        if (k.startsWith('multigres.com/')) throw new Error(`${w}: externalGateway annotation "${k}" uses the multigres.com/ prefix, which the operator reserves`);
      }
      validateCiliumAnnotations(annotations, `${w}: externalGateway.annotations`);
      if (!enabled && keys.length > 0) {
        throw new Error(`${w}: externalGateway annotations are only applied while enabled; set enabled: true or drop them`);
      }
      const ips = g.externalIPs ?? [];
      if (ips.length > 10) throw new Error(`${w}: externalGateway takes at most 10 externalIPs (got ${ips.length})`);
      for (const ip of ips) {
        if (isIP(ip) === 0) throw new Error(`${w}: externalGateway externalIPs entry "${ip}" is not an ip address`);
      }
      if (new Set(ips).size !== ips.length) throw new Error(`${w}: externalGateway externalIPs lists an address twice`);
      this.gatewayAnnotations = sortKeys(annotations);
      externalGateway = compact({
        enabled,
        externalIPs: ips.length > 0 ? [...ips] : undefined,
        annotations: keys.length > 0 ? this.gatewayAnnotations : undefined,
      });
    }

    // --- core components
    const coreTemplated = td.coreTemplate !== undefined;
    const globalTopoServer = this.globalTopoSpec(props.globalTopoServer, coreTemplated);
    const multiadmin = this.coreComponentSpec(props.multiadmin, 'multiadmin', coreTemplated,
      MultigresWebhookDefaults.MULTIADMIN_REPLICAS, MultigresWebhookDefaults.RESOURCES.multiadmin);
    const multiadminWeb = this.coreComponentSpec(props.multiadminWeb, 'multiadminWeb', coreTemplated,
      MultigresWebhookDefaults.MULTIADMIN_WEB_REPLICAS, MultigresWebhookDefaults.RESOURCES.multiadminWeb);

    // --- cells
    const cellSpecs = cells.map(c => this.cellSpec(c, td.cellTemplate !== undefined));

    // --- databases
    const databases = this.databasesSpec(props.databases, durability, clusterBackup, td.shardTemplate !== undefined);

    // --- images
    const images: any = { imagePullPolicy: props.imagePullPolicy ?? MultigresWebhookDefaults.IMAGE_PULL_POLICY };
    if (!['Always', 'Never', 'IfNotPresent'].includes(images.imagePullPolicy)) {
      throw new Error(`${w}: imagePullPolicy must be Always, Never or IfNotPresent (got "${images.imagePullPolicy}")`);
    }
    for (const [k, v] of Object.entries(props.images ?? {})) {
      if (v === undefined) continue;
      this.checkImage(v, `images.${k}`);
      images[k] = v;
    }
    if (props.imagePullSecrets?.length) {
      for (const s of props.imagePullSecrets) {
        if (s.length > 253 || !DNS_SUBDOMAIN.test(s)) throw new Error(`${w}: imagePullSecrets entry "${s}" is not a valid secret name`);
      }
      images.imagePullSecrets = props.imagePullSecrets.map(n => ({ name: n }));
    }

    const logLevels: any = {};
    for (const c of ['multiadmin', 'multigateway', 'multiorch', 'multipooler', 'pgctld'] as const) {
      const lvl = props.logLevels?.[c] ?? MultigresWebhookDefaults.LOG_LEVEL;
      if (!['debug', 'info', 'warn', 'error'].includes(lvl)) throw new Error(`${w}: logLevels.${c} must be debug, info, warn or error (got "${lvl}")`);
      logLevels[c] = lvl;
    }

    const superuser = props.postgresSuperuser ?? MultigresWebhookDefaults.POSTGRES_SUPERUSER;
    if (superuser.length === 0 || superuser.length > 63) throw new Error(`${w}: postgresSuperuser must be 1..63 characters`);
    if (props.certCommonName !== undefined && (props.certCommonName.length > 253 || !DNS_SUBDOMAIN.test(props.certCommonName))) {
      throw new Error(`${w}: certCommonName "${props.certCommonName}" must be a dns name`);
    }

    const spec: any = compact({
      backup: clusterBackup,
      cells: cellSpecs,
      certCommonName: props.certCommonName,
      databases,
      durabilityPolicy: durability,
      externalGateway,
      globalTopoServer,
      images,
      // The L1 names it internalTls and writes internalTLS (a raw internalTLS key would be dropped).
      internalTls: props.internalTls !== undefined ? { enabled: props.internalTls } : undefined,
      logLevels,
      multiadmin,
      multiadminWeb,
      postgresPasswordSecretRef: { key: pw.key, name: pw.name },
      postgresSuperuser: superuser,
      pvcDeletionPolicy: this.pvcSpec(props.pvcDeletionPolicy, 'pvcDeletionPolicy', MultigresWebhookDefaults.PVC_DELETION_POLICY),
      templateDefaults: Object.values(td).some(v => v !== undefined) ? compact({ ...td }) : undefined,
      topologyPruning: { enabled: props.topologyPruning ?? MultigresWebhookDefaults.TOPOLOGY_PRUNING },
    });

    this.resource = new l1.MultigresCluster(this, 'Resource', {
      metadata: { ...props.metadata, name },
      spec: spec as l1.MultigresClusterSpec,
    });
  }

  /**
   * The labels the operator puts on a component's pods and Services (`metadata.BuildStandardLabels`):
   * select a component of this cluster with them (add `multigres.com/cell` for one cell).
   */
  public componentLabels(component: MultigresClusterComponent): { [key: string]: string } {
    return multigresClusterLabels(this.name, component);
  }

  // ------------------------------------------------------------------------------------------
  // pieces

  private globalTopoSpec(t: MultigresTopoServer | undefined, coreTemplated: boolean): any {
    if (!t) {
      // Webhook: with a core template the topo server is resolved dynamically, nothing is written.
      return coreTemplated ? undefined : { etcd: this.etcdSpec({}, 'globalTopoServer.etcd', MultigresWebhookDefaults.GLOBAL_ROOT_PATH, true) };
    }
    if (t.kind === 'template') {
      this.checkTemplateName(t.templateName!, 'globalTopoServer template');
      return { templateRef: t.templateName };
    }
    if (t.kind === 'external') {
      return { external: this.externalSpec(t.externalProps!, 'globalTopoServer.external', MultigresWebhookDefaults.GLOBAL_ROOT_PATH, !coreTemplated) };
    }
    return { etcd: this.etcdSpec(t.etcd!, 'globalTopoServer.etcd', MultigresWebhookDefaults.GLOBAL_ROOT_PATH, !coreTemplated) };
  }

  private etcdSpec(e: MultigresEtcdProps, at: string, rootPath: string, withDefaults: boolean): any {
    const w = this.where;
    if (e.replicas !== undefined) {
      checkInteger(e.replicas, 1, undefined, `${w}: ${at}.replicas`);
      if (e.replicas % 2 === 0) throw new Error(`${w}: ${at}.replicas must be odd (1, 3, 5); got ${e.replicas}`);
    }
    if (e.image !== undefined) this.checkImage(e.image, `${at}.image`);
    if (e.rootPath !== undefined) this.checkRootPath(e.rootPath, `${at}.rootPath`);
    const d = withDefaults;
    return compact({
      image: e.image ?? (d ? MultigresWebhookDefaults.ETCD_IMAGE : undefined),
      pvcDeletionPolicy: e.pvcDeletionPolicy ? this.pvcSpec(e.pvcDeletionPolicy, `${at}.pvcDeletionPolicy`) : undefined,
      replicas: e.replicas ?? (d ? MultigresWebhookDefaults.ETCD_REPLICAS : undefined),
      resources: this.resources(e.resources ?? (d ? MultigresWebhookDefaults.RESOURCES.etcd : undefined), `${at}.resources`),
      rootPath: e.rootPath ?? (d ? rootPath : undefined),
      storage: this.storage(e.storage, `${at}.storage`, d),
    });
  }

  private externalSpec(x: MultigresExternalTopoProps, at: string, rootPath: string, withDefaults: boolean): any {
    const w = this.where;
    const eps = x.endpoints ?? [];
    if (eps.length === 0 || eps.length > 20) throw new Error(`${w}: ${at}.endpoints must list 1..20 urls (got ${eps.length})`);
    for (const ep of eps) {
      const m = ENDPOINT.exec(ep);
      const port = m ? Number(m[4]) : 0;
      if (!m || ep.length > 2048 || port < 1 || port > 65535) {
        throw new Error(`${w}: ${at}.endpoints entry "${ep}" must be a url http(s)://host:port`);
      }
    }
    if (new Set(eps).size !== eps.length) throw new Error(`${w}: ${at}.endpoints lists an url twice`);
    const https = eps.filter(e => e.startsWith('https://')).length;
    if (https > 0 && https < eps.length) throw new Error(`${w}: ${at}.endpoints mixes http and https`);
    if ((x.caSecret || x.clientCertSecret) && https === 0) {
      throw new Error(`${w}: ${at}: caSecret and clientCertSecret need https endpoints`);
    }
    for (const [k, v] of [['caSecret', x.caSecret], ['clientCertSecret', x.clientCertSecret]] as const) {
      if (v !== undefined && (v.length > 253 || !DNS_SUBDOMAIN.test(v))) throw new Error(`${w}: ${at}.${k} "${v}" is not a valid secret name`);
    }
    if (x.rootPath !== undefined) this.checkRootPath(x.rootPath, `${at}.rootPath`);
    return compact({
      caSecret: x.caSecret,
      clientCertSecret: x.clientCertSecret,
      endpoints: [...eps],
      implementation: x.implementation ?? (withDefaults ? MultigresWebhookDefaults.TOPO_IMPLEMENTATION : undefined),
      rootPath: x.rootPath ?? (withDefaults ? rootPath : undefined),
    });
  }

  private coreComponentSpec(c: MultigresCoreComponentProps | undefined, at: string, coreTemplated: boolean,
    replicas: number, resources: ResourceRequirements): any {
    if (c?.templateRef !== undefined) {
      this.checkTemplateName(c.templateRef, `${at}.templateRef`);
      const inline = ['replicas', 'resources', 'podLabels', 'podAnnotations', 'affinity'].filter(k => (c as any)[k] !== undefined);
      if (inline.length > 0) throw new Error(`${this.where}: ${at} takes either templateRef or inline fields (${inline.join(', ')}), not both`);
      return { templateRef: c.templateRef };
    }
    const spec = this.stateless(c ?? {}, at, coreTemplated ? undefined : { replicas, resources });
    return Object.keys(spec).length > 0 ? { spec } : undefined;
  }

  private stateless(s: MultigresStatelessProps, at: string, defaults: { replicas: number; resources: ResourceRequirements } | undefined): any {
    const w = this.where;
    if (s.replicas !== undefined) checkInteger(s.replicas, 0, 128, `${w}: ${at}.replicas`);
    this.checkPodMeta(s.podLabels, s.podAnnotations, at);
    if (s.affinity) validateScheduling({ affinity: s.affinity }, `${w}: ${at}`);
    return compact({
      affinity: s.affinity,
      podAnnotations: s.podAnnotations ? sortKeys(s.podAnnotations) : undefined,
      podLabels: s.podLabels ? sortKeys(s.podLabels) : undefined,
      replicas: s.replicas ?? defaults?.replicas,
      resources: this.resources(s.resources ?? defaults?.resources, `${at}.resources`),
    });
  }

  private cellSpec(c: MultigresCellProps, cellTemplateDefault: boolean): any {
    const w = this.where;
    const at = `cell "${c.name}"`;
    if ((c.zoneId === undefined) === (c.region === undefined)) {
      throw new Error(`${w}: ${at} needs exactly one of zoneId and region`);
    }
    for (const [k, v] of [['zoneId', c.zoneId], ['region', c.region]] as const) {
      if (v !== undefined && (v.length === 0 || v.length > 63)) throw new Error(`${w}: ${at}: ${k} must be 1..63 characters`);
      if (v !== undefined) checkLabelValue(v, `${w}: ${at}: ${k}`);
    }
    if (c.cellTemplate !== undefined) this.checkTemplateName(c.cellTemplate, `${at}: cellTemplate`);
    const templated = c.cellTemplate !== undefined || cellTemplateDefault;
    const g = c.multigateway ?? {};
    const gateway: any = this.stateless(g, `${at}: multigateway`, templated ? undefined : {
      replicas: MultigresWebhookDefaults.MULTIGATEWAY_REPLICAS, resources: MultigresWebhookDefaults.RESOURCES.multigateway,
    });
    const buffer = this.buffer(g.buffer, `${at}: multigateway.buffer`, !templated);
    if (buffer) gateway.buffer = buffer;
    const placement = g.tolerations?.length ? { tolerations: g.tolerations } : undefined;
    if (placement) validateScheduling({ tolerations: g.tolerations }, `${w}: ${at}: multigateway`);
    let localTopoServer: any;
    if (c.localTopoServer) {
      if (c.cellTemplate !== undefined) throw new Error(`${w}: ${at}: localTopoServer cannot be combined with cellTemplate (the crd has no override for it)`);
      const root = `/multigres/${c.name}`;
      const t = c.localTopoServer;
      if (t.kind === 'template') throw new Error(`${w}: ${at}: localTopoServer cannot come from a core template`);
      localTopoServer = t.kind === 'external'
        ? { external: this.externalSpec(t.externalProps!, `${at}: localTopoServer.external`, root, !templated) }
        : { etcd: this.etcdSpec(t.etcd!, `${at}: localTopoServer.etcd`, root, !templated) };
    }
    const body = compact({
      localTopoServer,
      multigateway: Object.keys(gateway).length > 0 ? sortKeys(gateway) : undefined,
      multigatewayPlacement: placement,
    });
    const hasBody = Object.keys(body).length > 0;
    return compact({
      cellTemplate: c.cellTemplate,
      name: c.name,
      overrides: c.cellTemplate !== undefined && hasBody ? body : undefined,
      region: c.region,
      spec: c.cellTemplate === undefined && hasBody ? body : undefined,
      zoneId: c.zoneId,
    });
  }

  private buffer(b: MultigresGatewayBuffer | undefined, at: string, withDefaults: boolean): any {
    const w = this.where;
    if (!b) return withDefaults ? { enabled: MultigresWebhookDefaults.GATEWAY_BUFFER_ENABLED } : undefined;
    for (const k of ['window', 'maxFailoverDuration', 'minTimeBetweenFailovers'] as const) {
      if (b[k] !== undefined && !DURATION.test(b[k]!)) throw new Error(`${w}: ${at}.${k} "${b[k]}" is not a duration such as 20s`);
    }
    if (b.size !== undefined) checkInteger(b.size, 1, 2147483647, `${w}: ${at}.size`);
    if (b.drainConcurrency !== undefined) checkInteger(b.drainConcurrency, 1, 2147483647, `${w}: ${at}.drainConcurrency`);
    if (b.window !== undefined && b.maxFailoverDuration !== undefined && durationMs(b.maxFailoverDuration) < durationMs(b.window)) {
      throw new Error(`${w}: ${at}.maxFailoverDuration (${b.maxFailoverDuration}) must be at least window (${b.window})`);
    }
    return compact({
      drainConcurrency: b.drainConcurrency,
      enabled: b.enabled ?? (withDefaults ? MultigresWebhookDefaults.GATEWAY_BUFFER_ENABLED : undefined),
      maxFailoverDuration: b.maxFailoverDuration,
      minTimeBetweenFailovers: b.minTimeBetweenFailovers,
      size: b.size,
      window: b.window,
    });
  }

  private databasesSpec(dbs: MultigresDatabaseProps[] | undefined, clusterDurability: string, clusterBackup: any, shardTemplateDefault: boolean): any[] {
    const w = this.where;
    const list = dbs ?? [{}];
    if (list.length !== 1) throw new Error(`${w}: databases must hold exactly one database in v1alpha1 (got ${list.length})`);
    return list.map(db => {
      const name = db.name ?? MultigresWebhookDefaults.DATABASE;
      const at = `database "${name}"`;
      if (name !== MultigresWebhookDefaults.DATABASE) throw new Error(`${w}: ${at}: only the system database "postgres" is supported in v1alpha1`);
      if (db.durabilityPolicy !== undefined) this.checkDurability(db.durabilityPolicy, `${at}: durabilityPolicy`);
      const durability = db.durabilityPolicy ?? clusterDurability;
      const dbBackupProp = db.backup ? this.backupSpec(db.backup, `${at}: backup`) : undefined;
      const dbBackup = mergeBackup(dbBackupProp, clusterBackup);
      const tgs = db.tablegroups ?? [{ name: MultigresWebhookDefaults.TABLEGROUP }];
      if (tgs.length === 0 || tgs.length > 20) throw new Error(`${w}: ${at}: tablegroups must hold 1..20 entries (got ${tgs.length})`);
      const seen = new Set<string>();
      let defaults = 0;
      const tablegroups = tgs.map(tg => {
        const tat = `${at}: tablegroup "${tg.name}"`;
        if (!tg.name || tg.name.length > 25 || !DNS_LABEL.test(tg.name)) throw new Error(`${w}: ${at}: tablegroup name "${tg.name ?? ''}" must be a dns label of at most 25 characters`);
        if (seen.has(tg.name)) throw new Error(`${w}: ${at}: tablegroup "${tg.name}" is declared twice`);
        seen.add(tg.name);
        const isDefault = tg.default ?? tg.name === MultigresWebhookDefaults.TABLEGROUP;
        if (isDefault && tg.name !== MultigresWebhookDefaults.TABLEGROUP) throw new Error(`${w}: ${tat}: the default tablegroup must be named "default"`);
        if (isDefault) defaults++;
        const tgBackupProp = tg.backup ? this.backupSpec(tg.backup, `${tat}: backup`) : undefined;
        const tgBackup = mergeBackup(tgBackupProp, dbBackup);
        const shards = tg.shards ?? [{}];
        if (shards.length === 0 || shards.length > 32) throw new Error(`${w}: ${tat}: shards must hold 1..32 entries (got ${shards.length})`);
        const shardNames = new Set<string>();
        const shardSpecs = shards.map(s => {
          const sn = s.name ?? MultigresWebhookDefaults.SHARD;
          if (shardNames.has(sn)) throw new Error(`${w}: ${tat}: shard "${sn}" is declared twice`);
          shardNames.add(sn);
          return this.shardSpec(s, `${tat}: shard "${sn}"`, durability, tgBackup, shardTemplateDefault);
        });
        return compact({
          backup: tgBackupProp,
          default: isDefault ? true : undefined,
          name: tg.name,
          pvcDeletionPolicy: tg.pvcDeletionPolicy ? this.pvcSpec(tg.pvcDeletionPolicy, `${tat}: pvcDeletionPolicy`) : undefined,
          shards: shardSpecs,
        });
      });
      if (defaults !== 1) throw new Error(`${w}: ${at}: exactly one tablegroup must be the default (got ${defaults})`);
      return compact({ backup: dbBackupProp, default: true, durabilityPolicy: db.durabilityPolicy, name, tablegroups });
    });
  }

  private shardSpec(s: MultigresShardProps, at: string, durability: string, inheritedBackup: any, shardTemplateDefault: boolean): any {
    const w = this.where;
    const name = s.name ?? MultigresWebhookDefaults.SHARD;
    if (name !== MultigresWebhookDefaults.SHARD) throw new Error(`${w}: ${at}: the shard name must be "0-inf" in v1alpha1`);
    if (s.shardTemplate !== undefined) this.checkTemplateName(s.shardTemplate, `${at}: shardTemplate`);
    const templated = s.shardTemplate !== undefined || shardTemplateDefault;
    const withDefaults = !templated;

    const orchProps = s.multiorch ?? {};
    const orch: any = this.stateless(orchProps, `${at}: multiorch`, withDefaults ? {
      replicas: MultigresWebhookDefaults.MULTIORCH_REPLICAS, resources: MultigresWebhookDefaults.RESOURCES.multiorch,
    } : undefined);
    const orchCells = orchProps.cells ?? (withDefaults ? this.cellNames : undefined);
    if (orchCells) orch.cells = this.checkCellRefs(orchCells, `${at}: multiorch.cells`, 50);

    const poolProps = s.pools ?? (withDefaults ? { [MultigresWebhookDefaults.POOL]: {} } : {});
    const poolNames = Object.keys(poolProps).sort();
    if (poolNames.length > 8) throw new Error(`${w}: ${at}: at most 8 pools are allowed (got ${poolNames.length})`);
    const pools: any = {};
    for (const pn of poolNames) {
      if (pn.length > 25 || !DNS_LABEL.test(pn)) throw new Error(`${w}: ${at}: pool name "${pn}" must be a dns label of at most 25 characters`);
      pools[pn] = this.poolSpec(poolProps[pn], `${at}: pool "${pn}"`, durability, withDefaults);
    }

    if (s.initdbArgs !== undefined && s.initdbArgs.length > 512) throw new Error(`${w}: ${at}: initdbArgs is longer than 512 characters`);
    const pgKeys = Object.keys(s.postgresConfig ?? {});
    if (pgKeys.length > 200) throw new Error(`${w}: ${at}: postgresConfig takes at most 200 parameters (got ${pgKeys.length})`);
    for (const k of pgKeys) if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(k)) throw new Error(`${w}: ${at}: postgresConfig key "${k}" is not a postgres parameter name`);

    const shardBackupProp = s.backup ? this.backupSpec(s.backup, `${at}: backup`) : undefined;
    const body = compact({
      initdbArgs: s.initdbArgs,
      multiorch: Object.keys(orch).length > 0 ? sortKeys(orch) : undefined,
      pools: Object.keys(pools).length > 0 ? pools : undefined,
      postgresConfig: s.postgresConfig ? sortKeys(s.postgresConfig) : undefined,
      pvcDeletionPolicy: s.pvcDeletionPolicy ? this.pvcSpec(s.pvcDeletionPolicy, `${at}: pvcDeletionPolicy`) : undefined,
    });
    if (s.shardTemplate !== undefined && body.pvcDeletionPolicy) {
      throw new Error(`${w}: ${at}: pvcDeletionPolicy cannot be combined with shardTemplate (the crd has no override for it)`);
    }
    const hasBody = Object.keys(body).length > 0;
    return compact({
      // Webhook ResolveShard: the resolved backup (shard over tablegroup over database over cluster) is written on the shard.
      backup: withDefaults ? defaultBackup(mergeBackup(shardBackupProp, inheritedBackup)) : shardBackupProp,
      name,
      overrides: s.shardTemplate !== undefined && hasBody ? body : undefined,
      shardTemplate: s.shardTemplate,
      spec: s.shardTemplate === undefined && hasBody ? body : undefined,
    });
  }

  private poolSpec(p: MultigresPoolProps, at: string, durability: string, withDefaults: boolean): any {
    const w = this.where;
    const cells = p.cells ?? (withDefaults ? this.cellNames : undefined);
    const checkedCells = cells ? this.checkCellRefs(cells, `${at}.cells`, 10) : undefined;
    if (p.replicasPerCell !== undefined) checkInteger(p.replicasPerCell, 1, 32, `${w}: ${at}.replicasPerCell`);
    const replicas = p.replicasPerCell ?? (withDefaults ? (checkedCells!.length === 1 ? 2 : 1) : undefined);
    if (checkedCells && replicas !== undefined) {
      if (durability === 'MULTI_CELL_AT_LEAST_2' && checkedCells.length < 2) {
        throw new Error(`${w}: ${at} spans ${checkedCells.length} cell; durability policy MULTI_CELL_AT_LEAST_2 needs at least 2 cells`);
      }
      if (durability === 'AT_LEAST_2' && replicas * checkedCells.length < 2) {
        throw new Error(`${w}: ${at} has ${replicas * checkedCells.length} pooler in all; durability policy AT_LEAST_2 needs at least 2`);
      }
    }
    if (p.fsGroup !== undefined) checkInteger(p.fsGroup, 1, undefined, `${w}: ${at}.fsGroup`);
    if (p.affinity || p.tolerations) validateScheduling({ affinity: p.affinity, tolerations: p.tolerations }, `${w}: ${at}`);
    const container = (c: MultigresPoolContainer | undefined, name: 'postgres' | 'multipooler') => {
      if (c?.runAsUser !== undefined) checkInteger(c.runAsUser, 1, undefined, `${w}: ${at}.${name}.runAsUser`);
      if (c?.runAsGroup !== undefined) checkInteger(c.runAsGroup, 0, undefined, `${w}: ${at}.${name}.runAsGroup`);
      const out = compact({
        resources: this.resources(c?.resources ?? (withDefaults ? MultigresWebhookDefaults.RESOURCES[name] : undefined), `${at}.${name}.resources`),
        runAsGroup: c?.runAsGroup,
        runAsUser: c?.runAsUser,
      });
      return Object.keys(out).length > 0 ? out : undefined;
    };
    return compact({
      affinity: p.affinity,
      cells: checkedCells,
      fsGroup: p.fsGroup,
      multipooler: container(p.multipooler, 'multipooler'),
      postgres: container(p.postgres, 'postgres'),
      pvcDeletionPolicy: p.pvcDeletionPolicy ? this.pvcSpec(p.pvcDeletionPolicy, `${at}.pvcDeletionPolicy`) : undefined,
      replicasPerCell: replicas,
      storage: this.storage(p.storage, `${at}.storage`, withDefaults),
      tolerations: p.tolerations?.length ? p.tolerations : undefined,
      type: 'readWrite',
    });
  }

  // ------------------------------------------------------------------------------------------
  // checks and small converters

  private checkCellRefs(cells: string[], at: string, max: number): string[] {
    const w = this.where;
    if (cells.length === 0 || cells.length > max) throw new Error(`${w}: ${at} must list 1..${max} cells (got ${cells.length})`);
    for (const c of cells) {
      if (!this.cellNames.includes(c)) throw new Error(`${w}: ${at} names cell "${c}", which is not declared`);
    }
    if (new Set(cells).size !== cells.length) throw new Error(`${w}: ${at} lists a cell twice`);
    return [...cells];
  }

  private checkDurability(p: string, at: string): void {
    if (p !== 'AT_LEAST_2' && p !== 'MULTI_CELL_AT_LEAST_2') {
      throw new Error(`${this.where}: ${at} must be AT_LEAST_2 or MULTI_CELL_AT_LEAST_2 (got "${p}")`);
    }
  }

  private checkTemplateName(n: string, at: string): void {
    if (!n || n.length > 63 || !DNS_SUBDOMAIN.test(n)) throw new Error(`${this.where}: ${at} "${n ?? ''}" must be an object name of at most 63 characters`);
  }

  private checkImage(v: string, at: string): void {
    if (v.length === 0 || v.length > 512 || /\s/.test(v)) throw new Error(`${this.where}: ${at} "${v}" must be an image reference of 1..512 characters without whitespace`);
  }

  private checkRootPath(v: string, at: string): void {
    if (!v.startsWith('/') || v.length > 512 || /\s/.test(v)) throw new Error(`${this.where}: ${at} "${v}" must be an absolute key prefix such as /multigres/global`);
  }

  private checkPodMeta(labels: { [k: string]: string } | undefined, annotations: { [k: string]: string } | undefined, at: string): void {
    const w = this.where;
    const lk = Object.keys(labels ?? {});
    if (lk.length > 20) throw new Error(`${w}: ${at}.podLabels takes at most 20 labels (got ${lk.length})`);
    for (const k of lk) {
      checkQualifiedName(k, `${w}: ${at}.podLabels key`);
      if (k.length >= 64) throw new Error(`${w}: ${at}.podLabels key "${k}" must be shorter than 64 characters`);
      checkLabelValue(labels![k], `${w}: ${at}.podLabels "${k}" value`);
    }
    const ak = Object.keys(annotations ?? {});
    if (ak.length > 20) throw new Error(`${w}: ${at}.podAnnotations takes at most 20 annotations (got ${ak.length})`);
    for (const k of ak) {
      checkQualifiedName(k, `${w}: ${at}.podAnnotations key`);
      if (k.length >= 64 || annotations![k].length >= 256) throw new Error(`${w}: ${at}.podAnnotations "${k}": keys must be shorter than 64 and values than 256 characters`);
    }
    validateCiliumAnnotations(annotations, `${w}: ${at}.podAnnotations`);
  }

  private resources(r: ResourceRequirements | undefined, at: string): any {
    if (!r) return undefined;
    const conv = (m: { [k: string]: string } | undefined, kind: string) => {
      if (!m) return undefined;
      const out: any = {};
      for (const k of Object.keys(m).sort()) {
        if (!QUANTITY.test(String(m[k]))) throw new Error(`${this.where}: ${at}.${kind}.${k} "${m[k]}" is not a kubernetes quantity`);
        out[k] = Q.fromString(String(m[k]));
      }
      return out;
    };
    return compact({ claims: r.claims, limits: conv(r.limits, 'limits'), requests: conv(r.requests, 'requests') });
  }

  private storage(s: MultigresStorage | undefined, at: string, withDefaults: boolean): any {
    const w = this.where;
    if (s?.size !== undefined && (!QUANTITY.test(s.size) || !/^[0-9]+/.test(s.size) || parseFloat(s.size) <= 0 || s.size.length > 63)) {
      throw new Error(`${w}: ${at}.size "${s.size}" is not a positive kubernetes quantity (e.g. 10Gi)`);
    }
    if (s?.class !== undefined && (s.class.length === 0 || s.class.length > 63 || !DNS_SUBDOMAIN.test(s.class))) {
      throw new Error(`${w}: ${at}.class "${s.class}" is not a valid storage class name`);
    }
    const out = compact({
      accessModes: s?.accessModes?.length ? [...s.accessModes] : undefined,
      class: s?.class,
      size: s?.size ?? (withDefaults ? MultigresWebhookDefaults.STORAGE_SIZE : undefined),
    });
    return Object.keys(out).length > 0 ? out : undefined;
  }

  private pvcSpec(p: MultigresPvcDeletionPolicy | undefined, at: string, defaults?: MultigresPvcDeletionPolicy): any {
    const v = { whenDeleted: p?.whenDeleted ?? defaults?.whenDeleted, whenScaled: p?.whenScaled ?? defaults?.whenScaled };
    for (const [k, x] of Object.entries(v)) {
      if (x !== undefined && x !== 'Retain' && x !== 'Delete') throw new Error(`${this.where}: ${at}.${k} must be Retain or Delete (got "${x}")`);
    }
    return compact(v);
  }

  private backupSpec(b: MultigresBackup, at: string, fill = false): any {
    const w = this.where;
    if (b.type !== 'filesystem' && b.type !== 's3') throw new Error(`${w}: ${at}.type must be filesystem or s3 (got "${b.type}")`);
    if (b.type === 's3') {
      if (!b.s3) throw new Error(`${w}: ${at}: type s3 needs s3 settings`);
      if (!b.s3.bucket) throw new Error(`${w}: ${at}.s3.bucket must not be empty`);
      if (!b.s3.region) throw new Error(`${w}: ${at}.s3.region must not be empty`);
      if (b.s3.serviceAccountName && b.s3.credentialsSecret) throw new Error(`${w}: ${at}.s3: serviceAccountName and credentialsSecret are mutually exclusive`);
      if (b.s3.serviceAccountName && b.s3.useEnvCredentials) throw new Error(`${w}: ${at}.s3: serviceAccountName and useEnvCredentials are mutually exclusive`);
    }
    if (b.type === 'filesystem' && b.s3) throw new Error(`${w}: ${at}: s3 settings given with type filesystem`);
    if (b.filesystem?.path !== undefined && !b.filesystem.path.startsWith('/')) throw new Error(`${w}: ${at}.filesystem.path "${b.filesystem.path}" must be absolute`);
    const fsStorage = b.filesystem ? this.storage(b.filesystem.storage, `${at}.filesystem.storage`, false) : undefined;
    return compact({
      encryption: b.encryptionSecretName ? { secretName: b.encryptionSecretName } : undefined,
      filesystem: b.type === 'filesystem' ? fillBackup(compact({ path: b.filesystem?.path, storage: fsStorage }), fill) : undefined,
      pgbackrestTls: b.pgbackrestTlsSecretName ? { secretName: b.pgbackrestTlsSecretName } : undefined,
      s3: b.s3 ? compact({ ...b.s3 }) : undefined,
      type: b.type,
    });
  }
}

/**
 * `MergeBackupConfig` of the operator (api/v1alpha1): the child wins field by field; a child of
 * another type replaces the parent. Both arguments are already in CRD shape.
 */
function mergeBackup(child: any, parent: any): any {
  if (!child) return parent ? clone(parent) : undefined;
  if (!parent || child.type !== parent.type) return clone(child);
  const out = clone(parent);
  if (child.filesystem) {
    out.filesystem = { ...(out.filesystem ?? {}), ...child.filesystem, storage: { ...(out.filesystem?.storage ?? {}), ...(child.filesystem.storage ?? {}) } };
  }
  if (child.s3) out.s3 = { ...(out.s3 ?? {}), ...child.s3 };
  if (child.encryption) out.encryption = child.encryption;
  if (child.pgbackrestTls) out.pgbackrestTls = child.pgbackrestTls;
  return sortKeys(out);
}

/** `defaultBackupConfig` of the operator's resolver: a filesystem backup gets path /backups and a 10Gi volume. */
function defaultBackup(b: any): any {
  const out = b ? clone(b) : { type: 'filesystem' };
  if (out.type === 'filesystem') out.filesystem = fillBackup(out.filesystem ?? {}, true);
  return sortKeys(out);
}

function fillBackup(fs: any, fill: boolean): any {
  if (!fill) return Object.keys(fs).length > 0 ? fs : undefined;
  return {
    path: fs.path ?? MultigresWebhookDefaults.BACKUP.filesystem.path,
    storage: sortKeys({ ...(fs.storage ?? {}), size: fs.storage?.size ?? MultigresWebhookDefaults.BACKUP.filesystem.storage.size }),
  };
}

function clone<T>(v: T): any {
  return JSON.parse(JSON.stringify(v));
}

function compact<T extends object>(obj: T): any {
  const out: any = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) out[k] = v;
  return out;
}

function durationMs(d: string): number {
  const unit: { [u: string]: number } = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000 };
  let total = 0;
  for (const m of d.matchAll(/([0-9]+(?:\.[0-9]+)?)(ns|us|µs|μs|ms|s|m|h)/g)) total += parseFloat(m[1]) * unit[m[2]];
  return total;
}
