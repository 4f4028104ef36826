/** The Cluster Mesh invariants, checked on what each cluster receives from any delivery target. */
import { apiserverExtraDnsNames } from '../cilium/values';
import { Fleet, Mesh, MeshCluster } from '../fleet/fleet';
import { cloudOfKey } from '../fleet/platform';
import { parseCidr } from '../k8s/cidr';
import { Delivered } from './delivered';

type Obj = Record<string, any>;

/**
 * Checks the Cluster Mesh invariants on the values every cluster actually receives (Liquid rendered,
 * values files merged), returning one line per violation:
 * - each cluster gets exactly one Cilium service, whose `cluster.name`/`cluster.id` are its own;
 * - its peer list names every member of its mesh and nothing else, each once;
 * - every peer address is the DNS name the serving cluster publishes (external-dns hostname) and is
 *   in the serving cluster's `tls.server.extraDnsNames`; the port matches its apiserver service type;
 * - ids are unique in a mesh and within 1..maxConnectedClusters, which is equal across the mesh;
 * - TLS comes from cert-manager through a ClusterIssuer delivered to the cluster (never `helm`), for the
 *   clustermesh-apiserver and for Hubble (whose chart default, `helm`, makes new keys on every render);
 * - each mesh has its own CA: every member's clustermesh and Hubble certificates come from the mesh's one
 *   ClusterIssuer, and (unless the fleet shares one CA) no two meshes share an issuer name or, where the
 *   issuer's Secret is delivered, a CA certificate;
 * - keys match the chart version (no 1.19-only keys on 1.18 and no deprecated ones on 1.19);
 * - no value is null (which would delete a chart default);
 * - with `platforms` (not for the local profile, whose kind clusters are all bare metal): each cluster's
 *   platform settings are its own platform's (`platformProblems`).
 */
export function checkMesh(fleet: Fleet, simulated: Delivered, platforms = true): string[] {
  const problems: string[] = [];
  const values = new Map<string, Obj>();
  const cas = new Map<string, { issuer: string; cert?: string }>();
  for (const c of fleet.clusters) {
    const checked = checkCluster(fleet, c, simulated, problems, platforms);
    if (!checked) continue;
    values.set(c.name, checked.v);
    if (checked.ca) cas.set(c.name, checked.ca);
  }
  const meshOfIssuer = new Map<string, string>();
  const meshOfCert = new Map<string, string>();
  for (const mesh of fleet.meshes) {
    const mine = mesh.clusters.map((c) => cas.get(c.name)).filter((x): x is { issuer: string; cert?: string } => x !== undefined);
    for (const [what, key, owners] of [['issuer', 'issuer', meshOfIssuer], ['CA certificate', 'cert', meshOfCert]] as const) {
      const seen = [...new Set(mine.map((x) => x[key]).filter((x): x is string => x !== undefined))];
      if (seen.length > 1) problems.push(`mesh "${mesh.name}": its members use ${seen.length} different ${what}s; a mesh has one CA`);
      for (const x of seen) {
        const other = owners.get(x);
        if (other && other !== mesh.name && !fleet.cilium.tls.sharedCa) problems.push(`mesh "${mesh.name}": shares its ${what} with mesh "${other}"; each mesh has its own CA (cilium.tls.sharedCa is false)`);
        owners.set(x, mesh.name);
      }
    }
    checkPeers(fleet, mesh, values, problems);
  }
  return problems;
}

/** One cluster's Cilium values: identity, mesh switches, TLS from cert-manager, IPAM, keys of its chart version. */
function checkCluster(fleet: Fleet, c: MeshCluster, simulated: Delivered, problems: string[], platforms: boolean): { v: Obj; ca?: { issuer: string; cert?: string } } | undefined {
  const services = simulated.get(c.name)!;
  const cilium = services.filter((s) => s.helm?.chart === 'cilium');
  if (cilium.length !== 1) {
    problems.push(`cluster "${c.name}": receives ${cilium.length} Cilium services (${cilium.map((s) => s.source).join(', ') || 'none'}); expected exactly one`);
    return undefined;
  }
  const v = cilium[0].values as Obj;
  let ca: { issuer: string; cert?: string } | undefined;
  if (cilium[0].helm!.version !== fleet.cilium.version) {
    problems.push(`cluster "${c.name}": Cilium chart ${cilium[0].helm!.version}, fleet says ${fleet.cilium.version}`);
  }
  for (const p of findNulls(v, '')) problems.push(`cluster "${c.name}": value ${p} is null`);
  if (v.cluster?.name !== c.name) problems.push(`cluster "${c.name}": cluster.name renders as ${JSON.stringify(v.cluster?.name)}`);
  if (v.cluster?.id !== c.id) problems.push(`cluster "${c.name}": cluster.id renders as ${JSON.stringify(v.cluster?.id)}, fleet says ${c.id}`);
  const cm: Obj = v.clustermesh ?? {};
  if (cm.useAPIServer !== true) problems.push(`cluster "${c.name}": clustermesh.useAPIServer is not true`);
  if (cm.config?.enabled !== true) problems.push(`cluster "${c.name}": clustermesh.config.enabled is not true`);
  const max = cm.maxConnectedClusters ?? 255;
  if (max !== fleet.cilium.maxConnectedClusters) problems.push(`cluster "${c.name}": maxConnectedClusters ${max}, fleet says ${fleet.cilium.maxConnectedClusters}`);
  if (!(c.id >= 1 && c.id <= max)) problems.push(`cluster "${c.name}": id ${c.id} outside 1..${max}`);
  const auto: Obj = cm.apiserver?.tls?.auto ?? {};
  if (auto.enabled !== true || auto.method !== 'certmanager') {
    problems.push(`cluster "${c.name}": clustermesh-apiserver TLS must come from cert-manager (tls.auto.method ${JSON.stringify(auto.method)})`);
  } else {
    const issuer: Obj = auto.certManagerIssuerRef ?? {};
    const manifests = simulated.get(c.name)!.flatMap((s) => s.manifests as Obj[]);
    const delivered = manifests.find((m) => m.kind === issuer.kind && m.metadata?.name === issuer.name);
    if (!delivered) problems.push(`cluster "${c.name}": ${issuer.kind} "${issuer.name}" named by certManagerIssuerRef is not delivered to it`);
    const hubbleIssuer = v.hubble?.tls?.auto?.certManagerIssuerRef?.name;
    if (hubbleIssuer !== undefined && hubbleIssuer !== issuer.name) problems.push(`cluster "${c.name}": Hubble's issuer "${hubbleIssuer}" is not the clustermesh issuer "${issuer.name}"`);
    const secretName = delivered?.spec?.ca?.secretName;
    const secret = manifests.find((m) => m.kind === 'Secret' && m.metadata?.name === secretName && m.metadata?.namespace === fleet.cilium.tls.certManagerNamespace);
    ca = { issuer: String(issuer.name), cert: secret?.data?.['tls.crt'] };
  }
  if (c.datapath.ipam === 'cluster-pool' && v.ipam?.mode !== 'kubernetes') {
    const pools = v.ipam?.operator?.clusterPoolIPv4PodCIDRList;
    if (v.ipam?.mode !== 'cluster-pool' || JSON.stringify(pools) !== JSON.stringify([c.podCidr])) {
      problems.push(`cluster "${c.name}": cluster-pool IPAM must allocate from its own pod CIDR ${c.podCidr} (ipam.operator.clusterPoolIPv4PodCIDRList renders as ${JSON.stringify(pools)})`);
    }
  }
  if (platforms) problems.push(...platformProblems(c, v));
  const hubbleTls: Obj = v.hubble?.tls?.auto ?? {};
  if (v.hubble?.enabled !== false && v.hubble?.tls?.enabled !== false && (hubbleTls.enabled !== true || hubbleTls.method !== 'certmanager')) {
    problems.push(`cluster "${c.name}": Hubble TLS must come from cert-manager (hubble.tls.auto.method ${JSON.stringify(hubbleTls.method)}; the chart default makes new keys on every render)`);
  }
  if (fleet.cilium.minor === '1.18' && cm.mcsapi !== undefined) problems.push(`cluster "${c.name}": clustermesh.mcsapi does not exist in chart 1.18 (use enableMCSAPISupport)`);
  if (fleet.cilium.minor !== '1.18' && cm.enableMCSAPISupport !== undefined) problems.push(`cluster "${c.name}": clustermesh.enableMCSAPISupport is deprecated in chart ${fleet.cilium.minor} (use mcsapi.enabled)`);
  return { v, ca };
}

/** A mesh's identities and peer lists: unique ids, every member listing every other, dialled where its certificate and DNS name say. */
function checkPeers(fleet: Fleet, mesh: Mesh, values: ReadonlyMap<string, Obj>, problems: string[]): void {
  const ids = new Map<number, string>();
  for (const c of mesh.clusters) {
    const other = ids.get(c.id);
    if (other) problems.push(`mesh "${mesh.name}": id ${c.id} is used by "${other}" and "${c.name}"`);
    ids.set(c.id, c.name);
    const v = values.get(c.name);
    if (!v) continue;
    const peers: Obj[] = v.clustermesh?.config?.clusters ?? [];
    const names = peers.map((p) => p.name);
    for (const member of mesh.clusters) {
      if (member.name !== c.name && !names.includes(member.name)) {
        problems.push(`cluster "${c.name}": peer list misses "${member.name}" of mesh "${mesh.name}"`);
      }
    }
    for (const p of peers) {
      if (names.filter((n) => n === p.name).length > 1 && names.indexOf(p.name) !== peers.indexOf(p)) {
        problems.push(`cluster "${c.name}": peer "${p.name}" is listed twice`);
        continue;
      }
      if (p.name === c.name) continue; // the agent skips its own entry
      const serving = mesh.clusters.find((m) => m.name === p.name);
      if (!serving) {
        problems.push(`cluster "${c.name}": peer "${p.name}" is not a member of mesh "${mesh.name}"`);
        continue;
      }
      const sv = values.get(serving.name);
      if (!sv) continue;
      const service: Obj = sv.clustermesh?.apiserver?.service ?? {};
      const port = service.type === 'LoadBalancer' ? 2379 : service.nodePort ?? 32379;
      if (p.port !== port) problems.push(`cluster "${c.name}": dials "${p.name}" on port ${p.port}, but its ${service.type ?? 'NodePort'} apiserver listens on ${port}`);
      if (p.address === undefined && Array.isArray(p.ips) && p.ips.length > 0) {
        // By node IP: the agent dials <name>.mesh.cilium.io resolved to those IPs, a name every server certificate holds (*.mesh.cilium.io).
        if (service.type === 'LoadBalancer') problems.push(`cluster "${c.name}": dials "${p.name}" by node IP, but its apiserver is a LoadBalancer`);
        continue;
      }
      const sans = apiserverExtraDnsNames(sv, fleet.cilium.minor);
      if (!sans.includes(p.address)) {
        problems.push(`cluster "${c.name}": dials "${p.name}" at ${p.address}, which is not in its certificate SANs (${sans.join(', ') || 'none'})`);
      }
      const published = sv.clustermesh?.apiserver?.service?.annotations?.['external-dns.alpha.kubernetes.io/hostname'];
      if (published !== p.address) {
        problems.push(`cluster "${c.name}": dials "${p.name}" at ${p.address}, but external-dns publishes it as ${JSON.stringify(published)}`);
      }
    }
  }
}

function findNulls(v: unknown, path: string): string[] {
  if (v === null) return [path || '(root)'];
  if (Array.isArray(v)) return v.flatMap((x, i) => findNulls(x, `${path}[${i}]`));
  if (typeof v === 'object') return Object.entries(v as Obj).flatMap(([k, x]) => findNulls(x, path ? `${path}.${k}` : k));
  return [];
}

/**
 * What a cluster's values must hold on its platform, and must not hold of another's: GKE's switches, native
 * routing and a native routing CIDR holding its pod range; AKS BYOCNI's switch and tunnel; EKS's CNI mode;
 * no other cloud's load balancer annotations or class; the routing mode its mesh runs.
 */
export function platformProblems(c: MeshCluster, v: Obj): string[] {
  const problems: string[] = [];
  const at = `cluster "${c.name}" (${c.distro})`;
  const routing = v.routingMode ?? (v.gke?.enabled === true ? 'native' : 'tunnel');
  if (routing !== c.datapath.routing) problems.push(`${at}: routingMode renders as ${routing}, its mesh runs ${c.datapath.routing}`);
  const is = (key: string, on: boolean, value: unknown) => {
    if (on && value !== true) problems.push(`${at}: ${key} must be true`);
    if (!on && value === true) problems.push(`${at}: ${key} is another platform's setting`);
  };
  is('gke.enabled', c.distro === 'gke', v.gke?.enabled);
  is('aksbyocni.enabled', c.distro === 'aks', v.aksbyocni?.enabled);
  is('eni.enabled', c.distro === 'eks' && c.datapath.ipam === 'eni', v.eni?.enabled);
  is('nodeinit.enabled', c.distro === 'gke' || c.distro === 'aks', v.nodeinit?.enabled);
  if ((v.cni?.chainingMode === 'aws-cni') !== (c.datapath.ipam === 'aws-cni')) problems.push(`${at}: cni.chainingMode renders as ${JSON.stringify(v.cni?.chainingMode)}`);
  const mode = v.ipam?.mode ?? 'cluster-pool';
  if (mode !== (c.datapath.ipam === 'aws-cni' ? 'cluster-pool' : c.datapath.ipam)) problems.push(`${at}: ipam.mode renders as ${mode}, its platform uses ${c.datapath.ipam}`);
  if (c.distro === 'gke') {
    if (v.cni?.binPath !== '/home/kubernetes/bin') problems.push(`${at}: cni.binPath must be /home/kubernetes/bin (GKE's CNI folder)`);
    const native = typeof v.ipv4NativeRoutingCIDR === 'string' ? parseCidr(v.ipv4NativeRoutingCIDR) : 'missing';
    const pod = c.podCidr ? parseCidr(c.podCidr) : undefined;
    if (typeof native === 'string' || (pod && typeof pod !== 'string' && !(native.first <= pod.first && pod.last <= native.last))) {
      problems.push(`${at}: ipv4NativeRoutingCIDR ${JSON.stringify(v.ipv4NativeRoutingCIDR)} must hold its pod CIDR ${c.podCidr}`);
    }
  }
  const service: Obj = v.clustermesh?.apiserver?.service ?? {};
  for (const key of [...Object.keys(service.annotations ?? {}), ...(service.loadBalancerClass ? [service.loadBalancerClass] : [])]) {
    const cloud = cloudOfKey(key);
    if (cloud && cloud !== c.distro) problems.push(`${at}: the clustermesh-apiserver Service carries ${key}, ${cloud}'s load balancer setting`);
  }
  if ((service.type ?? 'NodePort') !== c.apiserver.serviceType) problems.push(`${at}: the clustermesh-apiserver Service type renders as ${service.type}, expected ${c.apiserver.serviceType}`);
  return problems;
}
