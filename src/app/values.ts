/** One cluster's Cilium values as every target delivers them (`meshfleet values`), for a first install by hand. */
import { Fleet } from '../fleet/fleet';
import { stringifyYaml } from '../k8s/yaml';
import { clusterCiliumValues, planFleet } from '../plan/plan';

/**
 * The Cilium values file of one cluster: the shared, platform, mesh and identity layers merged as each
 * target merges them, with a header saying how to install it. No key material is in it (certificates come
 * from the mesh's cert-manager issuer).
 * @throws when the fleet has no cluster of that name
 */
export function clusterValuesFile(fleet: Fleet, name: string): string {
  const cluster = fleet.cluster(name);
  const c = fleet.cilium;
  const kpr = c.kubeProxyReplacement;
  const header = [
    `# Cilium ${c.version} values of cluster "${cluster.name}" (${cluster.distro}, mesh "${cluster.mesh}"), as every target of fleet "${fleet.name}" delivers them.`,
    '# A first install by hand, where no pod runs before Cilium (then the delivery engine adopts the release). The chart',
    '# renders cert-manager Certificates: install cert-manager\'s CRDs first (its pods start once Cilium runs).',
    ...(kpr ? [`# Kube-proxy replacement: create ConfigMap ${kpr.hostConfigMap} (key host: this cluster's API server host) in ${c.namespace} first.`] : []),
    `#   helm install cilium ${c.chartUrl.startsWith('oci://') ? `${c.chartUrl}/cilium` : `cilium --repo ${c.chartUrl}`} --version ${c.version} --namespace ${c.namespace}`
      + `${c.namespace === 'kube-system' ? '' : ' --create-namespace'} -f <this file>`,
  ];
  return `${header.join('\n')}\n${stringifyYaml(clusterCiliumValues(planFleet(fleet), cluster))}`;
}
