/** Cross-cluster peer selectors for CiliumNetworkPolicies: endpoints by labels, scoped to named clusters of the mesh. */
import type { LabelSelectorRequirement } from '../k8s/selectors';
import { CILIUM_CLUSTER_LABEL, CILIUM_NAMESPACE_LABEL, CLUSTER_NAME, EndpointSelector } from './network-policy';

/** Options of {@link peerSelector}. */
export interface PeerSelectorOptions {
  /** Pod labels the peers carry. */
  readonly labels?: { [key: string]: string };
  /**
   * The mesh clusters the peers may run in (Cilium cluster names), or `'all'` for every cluster.
   * Always explicit: a selector without the cluster label changes meaning between Cilium 1.18 and 1.19.
   */
  readonly clusters: readonly string[] | 'all';
  /**
   * Namespace of the peers.
   * @default - the policy's own namespace (Cilium's implicit scope for namespaced policies)
   */
  readonly namespace?: string;
}

/**
 * An endpoint selector for peers in the given clusters of the mesh: one cluster as a
 * `matchLabels` entry, several as `In`, `'all'` as `Exists` on `io.cilium.k8s.policy.cluster`.
 */
export function peerSelector(options: PeerSelectorOptions): EndpointSelector {
  const matchLabels: { [key: string]: string } = { ...(options.labels ?? {}) };
  const matchExpressions: LabelSelectorRequirement[] = [];
  if (options.namespace !== undefined) matchLabels[CILIUM_NAMESPACE_LABEL] = options.namespace;
  if (options.clusters === 'all') {
    matchExpressions.push({ key: CILIUM_CLUSTER_LABEL, operator: 'Exists' });
  } else {
    const clusters = [...new Set(options.clusters)].sort();
    if (clusters.length === 0) throw new Error('peer selector: clusters must name at least one cluster (or be \'all\')');
    for (const c of clusters) {
      if (c.length > 32 || !CLUSTER_NAME.test(c)) {
        throw new Error(`peer selector: cluster name "${c}" is not a valid cilium cluster name (at most 32 characters: lowercase letters, digits and '-')`);
      }
    }
    if (clusters.length === 1) matchLabels[CILIUM_CLUSTER_LABEL] = clusters[0];
    else matchExpressions.push({ key: CILIUM_CLUSTER_LABEL, operator: 'In', values: clusters });
  }
  const sortedLabels: { [key: string]: string } = {};
  for (const k of Object.keys(matchLabels).sort()) sortedLabels[k] = matchLabels[k];
  const sel: { matchLabels?: { [key: string]: string }; matchExpressions?: LabelSelectorRequirement[] } = {};
  if (Object.keys(sortedLabels).length) sel.matchLabels = sortedLabels;
  if (matchExpressions.length) sel.matchExpressions = matchExpressions;
  return sel;
}
