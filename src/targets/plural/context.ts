/**
 * The Plural context contract: what Plural's agent knows of a cluster when it renders Liquid, the names
 * meshfleet's files read from it, and how a fleet's cluster looks in it once its Terraform stack ran.
 */
import { PLURAL_DISTRO } from '../../fleet/platform';
import { MeshCluster } from '../../fleet/fleet';

/**
 * The `cluster.metadata` keys the cluster's Terraform stack sets (from the stack variables of the same
 * meaning, `cluster_id` and `dns_zone`). The Cilium values do not read them (a cluster's identity comes
 * from its mesh's table in the tree); they are for the user's own templates.
 */
export const CLUSTER_METADATA = { clusterId: 'cilium_cluster_id', dnsZone: 'dns_zone' } as const;

/** The Terraform variables of a cluster's stack that become `CLUSTER_METADATA`. */
export const STACK_VARIABLES = { clusterId: 'cluster_id', dnsZone: 'dns_zone', podCidr: 'pod_cidr' } as const;

/**
 * The Liquid expressions meshfleet's files are rendered with: the handle (looked up in the mesh's
 * identity table), and the mesh CA from the issuer service's configuration Secret.
 */
export const PLURAL_CONTEXT = {
  /** The cluster handle, used as Cilium `cluster.name` and as the key of the mesh's identity table. */
  clusterName: 'cluster.handle',
  /** The mesh CA's certificate (base64 PEM), from the configuration Secret. */
  caCert: 'configuration["ca.cert.b64"]',
  /** The mesh CA's key (base64 PEM), from the configuration Secret; only the issuer's Secret gets it, never Git. */
  caKey: 'configuration["ca.key.b64"]',
} as const;


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
  /**
   * The distribution Plural detects (`cluster.distro`; a GlobalService's `distro` must match it).
   * @default - unknown: a GlobalService with a distro does not match
   */
  readonly distro?: string;
}

/** The Plural context a fleet's cluster has once its stack ran: handle, tags and metadata. */
export function pluralContextOf(cluster: MeshCluster): PluralClusterContext {
  return {
    handle: cluster.name,
    name: cluster.name,
    tags: cluster.tags,
    metadata: { [CLUSTER_METADATA.clusterId]: cluster.id, [CLUSTER_METADATA.dnsZone]: cluster.dnsZone },
    // What Plural's agent detects on each cloud; a bare-metal cluster may be GENERIC, K3S, RKE or OPENSHIFT.
    distro: PLURAL_DISTRO[cluster.distro],
  };
}

/**
 * Stand-in values of a configuration Secret for rendering (not key material): base64 of
 * "meshfleet-test-ca-cert <secret>" / "-key <secret>", so each mesh's CA is told apart.
 */
export function standInConfiguration(secret: string): Record<string, string> {
  return {
    'ca.cert.b64': Buffer.from(`meshfleet-test-ca-cert ${secret}`).toString('base64'),
    'ca.key.b64': Buffer.from(`meshfleet-test-ca-key ${secret}`).toString('base64'),
  };
}
