/** The rules that depend on the platforms of all clusters and on a mesh's members together: cloud settings, Terraform folders, node ports, the native routing range. */
import type { Mesh, MeshCluster } from './fleet';
import { ResolvedCilium } from './cilium';
import { FaultCollector } from './errors';
import { cloudOfKey, CLOUD_OF } from './platform';
import { ApiserverOptions, Distro, FleetProps, PlatformApiserverOptions } from './props';
import { Cidr, coveringCidr, parseCidr } from '../k8s/cidr';

/**
 * What depends on the platforms of all clusters: `cilium.cni` only where there is an EKS cluster, a cloud's
 * load balancer settings only where every cluster is on that cloud, one Terraform folder only for one platform.
 */
export function checkPlatforms(props: FleetProps, clusters: readonly MeshCluster[], oneFolder: boolean, faults: FaultCollector, platformsKnown = true): void {
  if (platformsKnown && props.cilium?.cni !== undefined && clusters.length > 0 && !clusters.some((c) => c.distro === 'eks')) {
    faults.add('cilium.cni', `fleet: cilium.cni applies to EKS clusters only, and this fleet has none (${[...new Set(clusters.map((c) => c.distro))].join(', ')}: their IPAM follows the platform); remove it`);
  }
  const given = props.cilium?.apiserver;
  checkLoadBalancerSettings(given, clusters, faults);
  // A platform's node port or class that its clusters' service type would drop.
  for (const [d, settings] of Object.entries(given?.platforms ?? {})) {
    const mine = clusters.find((c) => c.distro === d);
    if (!mine || settings === null || typeof settings !== 'object') continue;
    const at = `cilium.apiserver.platforms.${d}`;
    if (settings.loadBalancerClass !== undefined && mine.apiserver.serviceType === 'NodePort') {
      faults.add(`${at}.loadBalancerClass`, `fleet: ${at}.loadBalancerClass is only used with a LoadBalancer, and ${d}'s clustermesh-apiservers are on a NodePort; add serviceType: LoadBalancer to ${at}`);
    }
    if (settings.nodePort !== undefined && mine.apiserver.serviceType === 'LoadBalancer') {
      faults.add(`${at}.nodePort`, `fleet: ${at}.nodePort is only used with a NodePort, and ${d}'s clustermesh-apiservers are on a LoadBalancer; add serviceType: NodePort to ${at}`);
    }
  }
  if (given?.nodePort !== undefined && given.serviceType === undefined && clusters.length > 0 && !clusters.some((c) => c.apiserver.serviceType === 'NodePort')) {
    faults.add('cilium.apiserver.nodePort', 'fleet: cilium.apiserver.nodePort is only used with serviceType NodePort (no cluster\'s clustermesh-apiserver is on a NodePort)');
  }
  const stacked = [...new Set(clusters.filter((c) => c.stack).map((c) => c.distro))];
  if (oneFolder && stacked.length > 1) {
    faults.add('plural.terraformFolder', `fleet: plural.terraformFolder is one folder, but clusters with stacks run on ${stacked.join(', ')}; give one module per platform (plural.terraformFolder.${stacked.join(', .')})`);
  }
}

/**
 * No cluster gets another cloud's load balancer settings: a cloud's annotation or class, given for every
 * cluster or for a platform, is refused where a cluster of another platform would get it; a class that is no
 * cloud's, given for every cluster of a fleet with bare metal beside clouds, is refused on the clouds' clusters
 * (it is bare metal's: `cilium.apiserver.platforms.generic`).
 */
function checkLoadBalancerSettings(given: ApiserverOptions | undefined, clusters: readonly MeshCluster[], faults: FaultCollector): void {
  const sources: Array<{ at: string; distro?: Distro; settings: PlatformApiserverOptions }> = [
    { at: 'cilium.apiserver', settings: given ?? {} },
    ...Object.entries(given?.platforms ?? {}).map(([d, settings]) => ({ at: `cilium.apiserver.platforms.${d}`, distro: d as Distro, settings: settings ?? {} })),
  ];
  const generic = clusters.some((c) => c.distro === 'generic');
  for (const { at, distro, settings } of sources) {
    // Who gets this class: a platform's own clusters; for every cluster, those whose platform names none of its own.
    const reached = clusters.filter((c) => (distro === undefined
      ? !given?.platforms?.[c.distro]?.loadBalancerClass && given?.platforms?.[c.distro]?.serviceType !== 'NodePort' : c.distro === distro));
    const keys: Array<[string, string]> = [
      ...Object.keys(settings.annotations ?? {}).map((k): [string, string] => [`${at}.annotations`, k]),
      ...(settings.loadBalancerClass !== undefined ? [[`${at}.loadBalancerClass`, settings.loadBalancerClass] as [string, string]] : []),
    ];
    for (const [field, key] of keys) {
      const cloud = cloudOfKey(key);
      const other = cloud && (distro === undefined && field.endsWith('.annotations') ? clusters : reached).find((c) => c.distro !== cloud);
      if (cloud && other) {
        faults.add(field, `fleet: ${field} "${key}" is ${CLOUD_OF[cloud]}'s, but cluster "${other.name}" runs on ${other.distro}; `
          + `${distro === undefined ? 'every cluster gets these settings, so leave them out (each platform has its own internal load balancer default) or give them under cilium.apiserver.platforms.' + cloud : 'give it under its own platform'}`);
      }
    }
    const lbClass = settings.loadBalancerClass;
    const onCloud = distro === undefined && generic && reached.find((c) => c.distro !== 'generic' && c.apiserver.serviceType === 'LoadBalancer');
    if (lbClass !== undefined && cloudOfKey(lbClass) === undefined && onCloud) {
      faults.add(`${at}.loadBalancerClass`, `fleet: ${at}.loadBalancerClass "${lbClass}" is no cloud's, but cluster "${onCloud.name}" runs on ${onCloud.distro}, `
        + 'where nothing would claim its clustermesh-apiserver Service; give it for the bare-metal clusters only (cilium.apiserver.platforms.generic: {serviceType: LoadBalancer, loadBalancerClass: ...})');
    }
  }
}

/**
 * The `ipv4NativeRoutingCIDR` of a mesh's natively routed members on GKE: the smallest range holding every
 * member's pod CIDR, so traffic between their pods is routed, not masqueraded (Cilium's Cluster Mesh setup).
 */
export function meshNativeRoutingCidr(mesh: Mesh): string | undefined {
  const cidrs = mesh.clusters.filter((c) => c.podCidr !== undefined).map((c) => parseCidr(c.podCidr!) as Cidr);
  return cidrs.length === 0 ? undefined : coveringCidr(cidrs).text;
}

/**
 * Node ports of a mesh's clustermesh-apiservers: a member's own port only where every member is on a NodePort
 * (its identity carries the port), and under kube-proxy replacement one port per member (cilium/cilium#24692).
 */
export function checkNodePorts(mesh: Mesh, cilium: ResolvedCilium, indexOf: (c: MeshCluster) => number, faults: FaultCollector): void {
  const own = mesh.clusters.find((c) => c.apiserver.ownNodePort);
  const lb = mesh.clusters.find((c) => c.apiserver.serviceType !== 'NodePort');
  if (own && lb) {
    faults.add(`clusters[${indexOf(own)}].apiserverNodePort`, `cluster "${own.name}": apiserverNodePort needs every member of mesh "${mesh.name}" on a NodePort, but "${lb.name}" (${lb.distro}) is on a LoadBalancer`);
  }
  if (!cilium.kubeProxyReplacement) return;
  const byPort = new Map<number, MeshCluster>();
  // Ports in use or already suggested, so two clusters are never told the same free port.
  const used = new Set(mesh.clusters.map((x) => x.apiserver.port));
  for (const c of mesh.clusters.filter((x) => x.apiserver.serviceType === 'NodePort')) {
    const other = byPort.get(c.apiserver.port);
    if (!other) {
      byPort.set(c.apiserver.port, c);
      continue;
    }
    let free = c.apiserver.port;
    while (used.has(free) && free < 32767) free++;
    faults.add(`clusters[${indexOf(c)}].${c.apiserver.ownNodePort ? 'apiserverNodePort' : 'name'}`, `cluster "${c.name}": its clustermesh-apiserver node port ${c.apiserver.port} is also "${other.name}"'s in mesh "${mesh.name}"; `
      + `under kube-proxy replacement each member needs its own (cilium/cilium#24692): set apiserverNodePort${used.has(free) ? '' : ` (e.g. ${free})`}`);
    used.add(free);
  }
}
