/** The values the Multigres operator's mutating webhook writes into a stored MultigresCluster, which meshfleet writes explicitly. */

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
