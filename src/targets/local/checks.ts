/**
 * What the local profile's files give each kind cluster once the printed steps ran (values file plus the
 * peer list with node IPs, the issuer), and its checks: kind configurations and the mesh invariants.
 */
import { DNS_LABEL } from '../../k8s/names';
import { parse } from 'yaml';
import { DeliveredService } from '../../check/delivered';
import { checkMesh } from '../../check/mesh';
import { Fleet } from '../../fleet/fleet';
import { Cidr, cidrClashes, parseCidr } from '../../k8s/cidr';
import { mergeValues } from '../../k8s/yaml';
import { LocalLayout } from './layout';
import { localPeerValues } from './tree';

type Obj = Record<string, any>;

/** The kind config fields meshfleet writes, and the values kind takes for them (kind.x-k8s.io/v1alpha4). */
const KIND_FIELDS: Record<string, (v: unknown) => boolean> = {
  kind: (v) => v === 'Cluster',
  apiVersion: (v) => v === 'kind.x-k8s.io/v1alpha4',
  name: (v) => typeof v === 'string' && DNS_LABEL.test(v),
  networking: (v) => typeof v === 'object' && v !== null,
  nodes: (v) => Array.isArray(v) && v.length > 0 && v.every((n) => ['control-plane', 'worker'].includes((n as Obj)?.role)),
};
const NETWORKING_FIELDS = new Set(['disableDefaultCNI', 'podSubnet', 'serviceSubnet', 'ipFamily', 'apiServerAddress', 'apiServerPort', 'kubeProxyMode', 'dnsSearch']);

/** The clusters the local tree brings up (those with a kind configuration). */
export function localTreeClusters(files: ReadonlyMap<string, string>, layout: LocalLayout): string[] {
  const prefix = `${layout.root}/kind/`;
  return [...files.keys()].filter((p) => p.startsWith(prefix) && p.endsWith('.yaml')).map((p) => p.slice(prefix.length, -5)).sort();
}

/**
 * Checks a local tree: every kind configuration (known fields only, default CNI off, subnets that overlap
 * nothing), and, with the peer list the steps write (node IPs 172.18.0.2, 172.18.0.3, ...), the mesh
 * invariants on the clusters it brings up. Returns one line per problem, and what each cluster receives.
 */
export function checkLocalTree(fleet: Fleet, files: ReadonlyMap<string, string>, layout = new LocalLayout(fleet.name)): { problems: string[]; delivered: Map<string, DeliveredService[]> } {
  const problems: string[] = [];
  const names = localTreeClusters(files, layout);
  const delivered = new Map<string, DeliveredService[]>();
  if (names.length === 0) return { problems: [`${layout.root}: no kind configuration`], delivered };
  const subnets: Array<{ cluster: string; cidr: Cidr }> = [];
  for (const name of names) {
    const where = layout.kindConfig(name);
    const k = parse(files.get(where)!) as Obj;
    for (const key of Object.keys(k)) if (!KIND_FIELDS[key]) problems.push(`${where}: unknown kind config field "${key}"`);
    for (const [key, ok] of Object.entries(KIND_FIELDS)) if (!ok(k[key])) problems.push(`${where}: ${key} ${JSON.stringify(k[key])} is not valid for kind`);
    for (const key of Object.keys(k.networking ?? {})) if (!NETWORKING_FIELDS.has(key)) problems.push(`${where}: unknown networking field "${key}"`);
    if (k.networking?.disableDefaultCNI !== true) problems.push(`${where}: the default CNI is not disabled (Cilium would run beside kindnet)`);
    for (const key of ['podSubnet', 'serviceSubnet']) {
      const c = parseCidr(String(k.networking?.[key]));
      if (typeof c === 'string') problems.push(`${where}: networking.${key} ${c}`);
      else subnets.push({ cluster: `${name} ${key}`, cidr: c });
    }
  }
  for (const clash of cidrClashes(subnets)) problems.push(`${clash.cluster}: ${clash.cidr.text} overlaps ${clash.with.cluster} ${clash.with.cidr.text}`);
  const issuer = parse(files.get(layout.issuer) ?? '{}') as Obj;
  const members = names.map((n) => fleet.cluster(n));
  const peers = localPeerValues(members, (c) => `172.18.0.${2 + names.indexOf(c)}`);
  for (const name of names) {
    const values = mergeValues(parse(files.get(layout.ciliumValues(name)) ?? '{}'), peers) as Record<string, unknown>;
    delivered.set(name, [
      { source: `local/${name}`, name: 'cilium', namespace: 'kube-system', helm: { chart: 'cilium', version: fleet.cilium.version, url: fleet.cilium.chartUrl }, values, manifests: [] },
      { source: `local/${name}`, name: 'issuer', namespace: fleet.cilium.tls.certManagerNamespace, manifests: [issuer] },
    ]);
  }
  // The mesh invariants on the mesh the tree brings up (the fleet narrowed to those clusters).
  const sub = new Fleet({ ...fleet.props, probe: undefined, multigres: undefined, clusters: (fleet.props.clusters ?? []).filter((c) => names.includes(c.name)) });
  problems.push(...checkMesh(sub, delivered, false));
  return { problems, delivered };
}
