/**
 * Names the delivery engines give themselves: a fleet may not claim them. A cluster named like the
 * engine's own cluster would turn the fleet's grants (the Argo CD project's destinations, Plural's Cluster
 * objects) into grants on the management cluster; a workload namespace equal to an engine's or the
 * control plane's would put the fleet's Jobs and Services beside the engine.
 */
import { ResolvedArgoCd, ResolvedPlural } from './delivery';
import { FaultCollector } from './errors';
import { FleetProps } from './props';
import { ResolvedCilium } from './cilium';
import { ResolvedMultigres } from './multigres';
import { ResolvedProbe } from './probe';

/** Cluster names a delivery engine gives its own cluster: Argo CD's `in-cluster` (the cluster it runs in). */
export const ENGINE_CLUSTER_NAMES: ReadonlyMap<string, string> = new Map([
  ['in-cluster', "Argo CD's name for the cluster it runs in (the management cluster); the fleet's AppProject would grant it"],
]);

/** Namespaces of Kubernetes itself and of the delivery engines (by their defaults), whatever the fleet says. */
const SYSTEM_NAMESPACES: ReadonlyMap<string, string> = new Map([
  ['kube-system', "Kubernetes' own"],
  ['kube-public', "Kubernetes' own"],
  ['kube-node-lease', "Kubernetes' own"],
  ['default', "Kubernetes' default namespace"],
  ['argocd', "Argo CD's"],
  ['flux-system', "Flux's"],
  ['plrl-deploy-operator', "Plural's deployment agent's"],
  ['plrl-console', "Plural's console's"],
  ['argo-cd', "Argo CD's (its Helm chart's usual namespace)"],
  ['cert-manager', "cert-manager's"],
  ['cilium-secrets', "Cilium's (where it keeps the secrets of its policies)"],
]);

/** The namespaces fleet workloads (probe, Multigres) may not use, with whose they are. */
function reservedNamespaces(cilium: ResolvedCilium, plural: ResolvedPlural, argocd: ResolvedArgoCd | undefined): Map<string, string> {
  const out = new Map(SYSTEM_NAMESPACES);
  if (argocd) out.set(argocd.namespace, 'the namespace Argo CD runs in (argocd.namespace)');
  out.set(plural.namespace, "the namespace of the fleet's Plural objects (plural.namespace)");
  out.set(cilium.tls.certManagerNamespace, "cert-manager's (cilium.tls.certManagerNamespace), where the mesh CA's Secret lives");
  out.set(cilium.namespace, "Cilium's (cilium.namespace)");
  return out;
}

/**
 * Refuses, at their lines, clusters named like a delivery engine's own cluster and probe or Multigres
 * namespaces that are Kubernetes', an engine's, cert-manager's or Cilium's.
 */
export function checkReservedNames(props: FleetProps, resolved: {
  readonly cilium: ResolvedCilium; readonly plural: ResolvedPlural; readonly argocd?: ResolvedArgoCd;
  readonly probe?: ResolvedProbe; readonly multigres?: ResolvedMultigres;
}, faults: FaultCollector): void {
  const { cilium, plural, argocd, probe, multigres } = resolved;
  (props.clusters ?? []).forEach((c, i) => {
    const why = typeof c?.name === 'string' ? ENGINE_CLUSTER_NAMES.get(c.name) : undefined;
    if (why) faults.add(`clusters[${i}].name`, `cluster "${c.name}": name is reserved: it is ${why}; choose another`);
  });
  const reserved = reservedNamespaces(cilium, plural, argocd);
  for (const [field, ns] of [['probe.namespace', probe?.namespace], ['multigres.namespace', multigres?.namespace]] as const) {
    const whose = ns === undefined ? undefined : reserved.get(ns);
    if (whose && !faults.has(field)) faults.add(field, `fleet: ${field} "${ns}" is ${whose}; the fleet's workloads get a namespace of their own`);
  }
}
