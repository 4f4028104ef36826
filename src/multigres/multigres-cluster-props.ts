/** MultigresCluster props of cells, pools, shards, tablegroups, databases, backups, images and the cluster itself. */
import { ApiObjectMetadata } from 'cdk8s';
import { CiliumServiceAnnotationOptions } from '../cilium/annotations';
import { ResourceRequirements } from './common';
import {
  MultigresDurabilityPolicy, MultigresGatewayProps, MultigresPvcDeletionPolicy, MultigresStatelessProps, MultigresStorage, MultigresTopoServer,
} from './multigres-cluster-topology';
import { Affinity, Toleration } from './placement';

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
