/**
 * What the Cilium chart creates with the values meshfleet writes, for the AppProject's whitelists.
 * Measured by rendering the packaged charts 1.18.1, 1.19.6 and 1.20.0 (`helm template` semantics)
 * with the example fleet's values (aws-cni, eni and cluster-pool): the same kinds and namespaces for all three.
 */

/** A Kubernetes kind by API group (`''` for the core group), as AppProject whitelists name them. */
export interface GroupKind {
  /** API group. */
  readonly group: string;
  /** Kind. */
  readonly kind: string;
}

/** Cluster-scoped kinds the chart creates. */
export const CILIUM_CLUSTER_KINDS: readonly GroupKind[] = [
  { group: '', kind: 'Namespace' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
];

/** Namespaced kinds the chart creates. */
export const CILIUM_NAMESPACED_KINDS: readonly GroupKind[] = [
  { group: '', kind: 'ConfigMap' },
  { group: '', kind: 'Secret' },
  { group: '', kind: 'Service' },
  { group: '', kind: 'ServiceAccount' },
  { group: 'apps', kind: 'DaemonSet' },
  { group: 'apps', kind: 'Deployment' },
  { group: 'cert-manager.io', kind: 'Certificate' },
  { group: 'rbac.authorization.k8s.io', kind: 'Role' },
  { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' },
];

/** What the chart adds when MCS-API is on with 1.19+: the post-install Job that configures CoreDNS (an Argo CD PostSync hook). */
export const CILIUM_MCSAPI_COREDNS_KINDS: readonly GroupKind[] = [{ group: 'batch', kind: 'Job' }];

/** Namespaces besides the release namespace the chart writes into (`tls.secretsNamespace`, `cilium-secrets`). */
export const CILIUM_EXTRA_NAMESPACES: readonly string[] = ['cilium-secrets'];
