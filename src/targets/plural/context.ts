/**
 * The Plural context contract: what Plural's agent knows of a cluster when it renders Liquid, the names
 * meshfleet's files read from it, and how a fleet's cluster looks in it once its Terraform stack ran.
 */
import { MeshCluster } from '../../fleet/fleet';

/**
 * The `cluster.metadata` keys the cluster's Terraform stack sets (from the stack variables of the same
 * meaning, `cluster_id` and `dns_zone`), which the Liquid of the Cilium values reads.
 */
export const CLUSTER_METADATA = { clusterId: 'cilium_cluster_id', dnsZone: 'dns_zone' } as const;

/** The Terraform variables of a cluster's stack that become `CLUSTER_METADATA`. */
export const STACK_VARIABLES = { clusterId: 'cluster_id', dnsZone: 'dns_zone' } as const;

/**
 * The Liquid expressions every cluster's values are rendered with: the handle, the metadata the
 * cluster's Terraform stack sets, and the CA from the configuration Secret.
 */
export const PLURAL_CONTEXT = {
  /** The cluster handle, used as Cilium `cluster.name`. */
  clusterName: 'cluster.handle',
  /** The Cilium cluster id, set by the cluster's Terraform stack from its `cluster_id` variable. */
  clusterId: `cluster.metadata.${CLUSTER_METADATA.clusterId}`,
  /** The DNS zone, set by the cluster's Terraform stack from its `dns_zone` variable. */
  dnsZone: `cluster.metadata.${CLUSTER_METADATA.dnsZone}`,
  /** The shared CA certificate (base64 PEM), from the configuration Secret. */
  caCert: 'configuration["ca.cert.b64"]',
  /** The shared CA key (base64 PEM), from the configuration Secret; never written to Git. */
  caKey: 'configuration["ca.key.b64"]',
} as const;

/** The Liquid template of the address a cluster's clustermesh-apiserver is published at. */
export const APISERVER_ADDRESS_TEMPLATE = `{{ ${PLURAL_CONTEXT.clusterName} }}-cilium-apiserver.{{ ${PLURAL_CONTEXT.dnsZone} }}`;

/** What the Plural agent knows of a cluster when it renders Liquid (`cluster.*`). */
export interface PluralClusterContext {
  /** The handle (`cluster.handle`). */
  readonly handle: string;
  /** The Cluster object's name. */
  readonly name: string;
  /** Tags GlobalServices are matched against. */
  readonly tags: Readonly<Record<string, string>>;
  /** `cluster.metadata`, as the cluster's Terraform stack sets it. */
  readonly metadata: Readonly<Record<string, unknown>>;
}

/** The Plural context a fleet's cluster has once its stack ran: handle, tags and metadata. */
export function pluralContextOf(cluster: MeshCluster): PluralClusterContext {
  return {
    handle: cluster.name,
    name: cluster.name,
    tags: cluster.tags,
    metadata: { [CLUSTER_METADATA.clusterId]: cluster.id, [CLUSTER_METADATA.dnsZone]: cluster.dnsZone },
  };
}

/** Stand-in CA values for rendering (not key material): base64 of "meshfleet-test-ca-cert" / "-key". */
export const STAND_IN_CONFIGURATION: Readonly<Record<string, string>> = {
  'ca.cert.b64': Buffer.from('meshfleet-test-ca-cert').toString('base64'),
  'ca.key.b64': Buffer.from('meshfleet-test-ca-key').toString('base64'),
};
