/** The validated fleet model: clusters, tiers and meshes with every default applied and every rule checked. */
import { FaultCollector } from './errors';
import { ResolvedMultigres, resolveMultigres } from './multigres';
import { ResolvedProbe, resolveProbe } from './probe';
import { ClusterProps, Decommission, DeliveryTarget, Distro, FleetProps, TierProps } from './props';
import { apiserverOf, ClusterApiserver, meshCa, MeshCa, ResolvedCilium, resolveCilium } from './cilium';
import { Datapath, datapathOf, DISTROS, distroProblem, platformRegionProblem } from './platform';
import FLEET_SCHEMA from '../../fleet.schema.json';
import { apiserverHostname } from '../cilium/values';
import { Cidr, cidrClashes, coveringCidr, parseCidr } from '../k8s/cidr';
import { dnsLabelProblem } from '../k8s/names';
import {
  clusterNameProblem, dnsZoneProblem, formatRanges, tagKeyProblem, tagValueProblem,
  usableIdRanges,
} from './rules';
import { checkNodePorts, checkPlatforms } from './mesh-rules';
import { checkReservedNames } from './reserved';
import { checkUserStrings } from './user-strings';
import { checkTargetSettings, resolveArgoCd, ResolvedArgoCd, resolveFlux, ResolvedFlux, ResolvedPlural, resolvePlural, resolveTargets } from './delivery';

/** A cluster of the fleet with everything derived from it. */
export interface MeshCluster {
  /** Cluster name (Plural handle, Cilium cluster name). */
  readonly name: string;
  /** Cilium cluster id. */
  readonly id: number;
  /** Tier. */
  readonly tier: string;
  /** The mesh it belongs to. */
  readonly mesh: string;
  /** Region (or location, on generic) on its platform. */
  readonly region: string;
  /** The platform it runs on. */
  readonly distro: Distro;
  /** How Cilium routes and gets pod addresses there. */
  readonly datapath: Datapath;
  /** How its clustermesh-apiserver is exposed. */
  readonly apiserver: ClusterApiserver;
  /** DNS zone external-dns manages. */
  readonly dnsZone: string;
  /** Pod CIDR, when given. */
  readonly podCidr?: string;
  /** All Plural tags: `fleet`, `tier` and the extra ones. */
  readonly tags: Readonly<Record<string, string>>;
  /** Whether an InfrastructureStack is emitted for it. */
  readonly stack: boolean;
  /** When set, the cluster is leaving the fleet (it is in `Fleet.decommissioned`, not in any mesh). */
  readonly decommission?: Decommission;
  /** The DNS name peers dial; external-dns publishes it and it is in the server certificate. */
  readonly apiserverAddress: string;
  /** The port peers dial. */
  readonly apiserverPort: number;
}

/** A tier with its mesh. */
export interface Tier {
  /** Tier name. */
  readonly name: string;
  /** The mesh its clusters join. */
  readonly mesh: string;
  /** The default platform of its clusters. */
  readonly distro: Distro;
  /** Set when the tier's own entry is at fault (its clusters are then left out without faults of their own). */
  readonly faulty?: boolean;
}

/** A Cluster Mesh: clusters that all connect to each other. */
export interface Mesh {
  /** Mesh name. */
  readonly name: string;
  /** The tiers whose clusters form it. */
  readonly tiers: readonly string[];
  /** Its clusters, in fleet order. */
  readonly clusters: readonly MeshCluster[];
}

/** The keys a cluster entry may hold, from fleet.schema.json (generated from `ClusterProps`). */
const CLUSTER_KEYS = new Set(Object.keys(FLEET_SCHEMA.definitions.ClusterProps.properties));

/**
 * A validated fleet: the model every construct is built from.
 *
 * Construction checks everything and throws a `FleetValidationError` listing every fault, each
 * naming the cluster and field at fault. A `Fleet` is immutable; `withCluster` returns a new one.
 *
 * @example
 * const fleet = new Fleet({
 *   name: 'orchid',
 *   cilium: { version: '1.18.1' },
 *   clusters: [{ name: 'orchid-dev', id: 1, tier: 'dev', region: 'us-east-2', dnsZone: 'dev.example.com' }],
 * });
 */
export class Fleet {
  /** The fleet name. */
  public readonly name: string;
  /** Cilium settings with defaults applied. */
  public readonly cilium: ResolvedCilium;
  /** The tiers, in declaration order. */
  public readonly tiers: readonly Tier[];
  /** The meshes, in order of first tier. */
  public readonly meshes: readonly Mesh[];
  /** The clusters, in fleet order. */
  public readonly clusters: readonly MeshCluster[];
  /** Multigres settings, when the fleet has any. */
  public readonly multigres?: ResolvedMultigres;
  /** The connectivity probe, when it is on. */
  public readonly probe?: ResolvedProbe;
  /** What is valid but may surprise (printed by the CLI on every synth), one sentence each. */
  public readonly warnings: readonly string[];
  /** Clusters leaving the fleet (`decommission` set): in no mesh; only their stack is handled. */
  public readonly decommissioned: readonly MeshCluster[];
  /** The delivery targets to write trees for, each once (default: Plural). */
  public readonly targets: readonly DeliveryTarget[];
  /** The `plural:` settings, every default applied. */
  public readonly plural: ResolvedPlural;
  /** The `argocd:` settings, every default applied; undefined without `argocd.repoURL`. */
  public readonly argocd?: ResolvedArgoCd;
  /** The `flux:` settings with their defaults; undefined without `flux.repoURL`. */
  public readonly flux?: ResolvedFlux;
  /** The description this fleet was built from. */
  public readonly props: FleetProps;
  /** The file the description was read from (`loadFleet`, `parseFleet`); undefined for a fleet built in code. */
  public readonly source?: string;

  /**
   * @param props the fleet description
   * @param preexisting faults already found (by a loader) that must be reported together with these
   * @param source the file the description was read from, when it was
   * @throws FleetValidationError listing every fault
   */
  constructor(props: FleetProps, preexisting?: FaultCollector, source?: string) {
    const faults = preexisting ?? new FaultCollector();
    this.props = props;
    this.source = source;
    this.name = props.name;
    checkUserStrings(props, faults);
    if (typeof props.name !== 'string') {
      faults.add('name', 'fleet: name is missing');
    } else {
      const p = dnsLabelProblem(props.name);
      if (p) faults.add('name', `fleet: name "${props.name}" ${p}`);
    }
    this.cilium = resolveCilium(props, faults);
    checkTargetSettings(props, faults);
    this.targets = resolveTargets(props, faults);
    this.plural = resolvePlural(props);
    this.argocd = resolveArgoCd(props);
    this.flux = resolveFlux(props);
    this.tiers = resolveTiers(props, faults);
    const all = resolveClusters(props, this.cilium, this.tiers, (d) => this.plural.terraformFolders[d], faults);
    checkPlatforms(props, all, this.plural.oneTerraformFolder, faults, !this.tiers.some((t) => t.faulty));
    this.clusters = all.filter((c) => c.decommission === undefined);
    this.decommissioned = all.filter((c) => c.decommission !== undefined);
    this.meshes = groupMeshes(this.tiers, this.clusters);
    const mgmt = this.plural.mgmtCluster;
    this.clusters.forEach((c) => {
      if (c.name === mgmt) faults.add(`clusters[${(props.clusters ?? []).indexOf(props.clusters!.find((x) => x?.name === c.name)!)}].name`, `cluster "${c.name}": name is the management cluster's (plural.mgmtCluster); its Cluster object would replace the management cluster's`);
    });
    checkMeshes(this.meshes, this.cilium, props, faults);
    const meshByName = new Map(this.meshes.map((m) => [m.name, m]));
    this.probe = resolveProbe(props, faults);
    this.multigres = resolveMultigres(props, (name) => meshByName.get(name)?.clusters.map((c) => c.name), faults, new Set(this.clusters.map((c) => c.name)), new Set(this.decommissioned.map((c) => c.name)));
    checkReservedNames(props, this, faults);
    faults.throwIfAny();
    this.warnings = (this.multigres?.deployments ?? [])
      .filter((d) => props.multigres?.deployments?.find((x) => x?.name === d.name)?.clusters === undefined)
      .map((d) => `multigres deployment "${d.name}" lists no clusters, so every cluster that joins mesh "${d.mesh}" gets a Multigres cell `
        + `(now ${d.dataClusters.join(', ')}); list them under clusters: to choose`);
  }

  private lookup?: { clusters: Map<string, MeshCluster>; meshes: Map<string, Mesh> };

  private index(): { clusters: Map<string, MeshCluster>; meshes: Map<string, Mesh> } {
    this.lookup ??= { clusters: new Map(this.clusters.map((c) => [c.name, c])), meshes: new Map(this.meshes.map((m) => [m.name, m])) };
    return this.lookup;
  }

  /** A new fleet with one more cluster (validated like all others). */
  public withCluster(cluster: ClusterProps): Fleet {
    return new Fleet({ ...this.props, clusters: [...(this.props.clusters ?? []), cluster] }, undefined, this.source);
  }

  /** The cluster of that name. @throws when there is none */
  public cluster(name: string): MeshCluster {
    const c = this.index().clusters.get(name);
    if (!c) throw new Error(`fleet "${this.name}": no cluster named "${name}"`);
    return c;
  }

  /** The CA of a mesh: its issuer and Secret names (one CA per mesh unless `cilium.tls.sharedCa`). */
  public meshCa(mesh: string): MeshCa {
    return meshCa(this.cilium.tls, mesh);
  }

  /** The mesh of that name. @throws when there is none */
  public mesh(name: string): Mesh {
    const m = this.index().meshes.get(name);
    if (!m) throw new Error(`fleet "${this.name}": no mesh named "${name}"`);
    return m;
  }
}

/** Most extra tags a cluster may carry (tags select clusters; a few say everything). */
const MAX_TAGS = 64;

/** Tier names that would collide with files the Plural target writes beside `cilium-<tier>`. */
const RESERVED_TIERS = new Set(['issuer']);

function isRecord(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

function resolveTiers(props: FleetProps, faults: FaultCollector): Tier[] {
  const given = props.tiers ?? ['dev', 'prod'];
  const tiers: Tier[] = [];
  const seen = new Set<string>();
  if (given.length === 0) faults.add('tiers', 'fleet: tiers must name at least one tier (or be left out for dev and prod)');
  given.forEach((t, i) => {
    const path = `tiers[${i}]`;
    if (typeof t !== 'string' && !isRecord(t)) {
      faults.add(path, `fleet: ${path} must be a tier name or a mapping with name and mesh`);
      return;
    }
    const spec: TierProps = typeof t === 'string' ? { name: t } : t;
    const problem = dnsLabelProblem(spec.name ?? '');
    if (problem) {
      faults.add(`${path}.name`, `tier "${spec.name ?? ''}" (${path}): name ${problem}`);
      return;
    }
    if (seen.has(spec.name)) {
      faults.add(`${path}.name`, `tier "${spec.name}" (${path}): declared twice`);
      return;
    }
    seen.add(spec.name);
    if (RESERVED_TIERS.has(spec.name)) {
      faults.add(`${path}.name`, `tier "${spec.name}" (${path}): name is reserved (the Plural tree writes cilium-${spec.name} for its own use); choose another`);
      return;
    }
    const mesh = spec.mesh ?? spec.name;
    const meshProblem = dnsLabelProblem(mesh);
    if (meshProblem) {
      faults.add(`${path}.mesh`, `tier "${spec.name}": mesh "${mesh}" ${meshProblem}`);
      return;
    }
    const distro = spec.distro ?? 'eks';
    const bad = distroProblem(distro);
    if (bad) faults.add(`${path}.distro`, `tier "${spec.name}" (${path}): ${bad}`);
    // A tier with a faulty distro is kept (its clusters are not "of an unknown tier"), flagged: they are not checked further.
    tiers.push({ name: spec.name, mesh, distro: bad ? 'eks' : distro, ...(bad ? { faulty: true } : {}) });
  });
  // The Plural tree names a tier's services for other platforms `cilium-<tier>-<distro>`: no tier may be named so.
  for (const t of tiers) {
    const clash = tiers.find((o) => DISTROS.some((d) => t.name === `${o.name}-${d}`));
    if (clash) {
      faults.add(`tiers[${given.findIndex((g) => (typeof g === 'string' ? g : g?.name) === t.name)}].name`,
        `tier "${t.name}": name is tier "${clash.name}" plus a platform, which the Plural tree uses for "${clash.name}"'s clusters on that platform; choose another`);
    }
  }
  // A mesh named by one tier only, and not a tier's own name, is most likely a typo (it would silently make a mesh of its own).
  tiers.forEach((t, i) => {
    if (t.mesh === t.name || tiers.some((o) => o !== t && (o.mesh === t.mesh || o.name === t.mesh))) return;
    const path = `tiers[${given.findIndex((g) => (typeof g === 'string' ? g : g?.name) === t.name)}].mesh`;
    faults.add(path, `tier "${t.name}": mesh "${t.mesh}" is neither a tier nor shared with another tier; it would make a mesh of its own. `
      + `Name another tier (${tiers.filter((o) => o !== t).map((o) => o.mesh).filter((m, j, a) => a.indexOf(m) === j).join(', ') || 'none'}) or leave mesh out`);
    void i;
  });
  return tiers;
}

/** A cluster entry's pod CIDR, tags and decommission mode. */
function checkClusterExtras(c: ClusterProps, distro: Distro, datapath: Datapath, bad: (field: string, message: string) => void): void {
  if (c.podCidr !== undefined) {
    const parsed = parseCidr(c.podCidr);
    if (typeof parsed === 'string') bad('podCidr', `podCidr "${c.podCidr}" ${parsed}`);
  } else if (datapath.needsPodCidr) {
    bad('podCidr', distro === 'eks' ? 'podCidr is missing; with cilium.cni cluster-pool every cluster needs its own pod CIDR'
      : distro === 'gke' ? 'podCidr is missing; on gke Cilium routes natively over the cluster\'s pod range (ipv4NativeRoutingCIDR), so give it (its pod secondary range)'
        : `podCidr is missing; on ${distro} Cilium allocates pod addresses from the cluster's own pool (cluster-pool IPAM), which must not overlap its mesh's`);
  }
  if (Object.keys(c.tags ?? {}).length > MAX_TAGS) bad('tags', `tags has ${Object.keys(c.tags ?? {}).length} entries; at most ${MAX_TAGS} are allowed`);
  for (const [k, v] of Object.entries(c.tags ?? {})) {
    if (k === 'fleet' || k === 'tier' || k === 'distro') bad(`tags.${k}`, `tags.${k} is set by meshfleet from the fleet, tier and distro; remove it`);
    else if (typeof v !== 'string') bad(`tags.${k}`, `tags.${k} must be a string`);
    else {
      const problem = tagKeyProblem(k) ? `tag key "${k}" ${tagKeyProblem(k)}` : tagValueProblem(v) ? `tags.${k} ${tagValueProblem(v)}` : undefined;
      if (problem) bad(`tags.${k}`, problem);
    }
  }
  if (c.decommission !== undefined && c.decommission !== 'destroy' && c.decommission !== 'detach') {
    bad('decommission', `decommission must be destroy or detach (got ${JSON.stringify(c.decommission)})`);
  }
}

/** Whether the cluster has a stack (given, or its platform's default: a module for its platform), checked against decommission: detach. */
function checkStack(c: ClusterProps, distro: Distro, folder: string | undefined, bad: (field: string, message: string) => void): boolean {
  if (c.stack !== undefined && typeof c.stack !== 'boolean') {
    bad('stack', `stack must be true or false (got ${JSON.stringify(c.stack)})`);
    return false;
  }
  if (c.stack === true && folder === undefined) {
    bad('stack', `stack: true, but plural.terraformFolder names no module for ${distro} clusters; add plural.terraformFolder.${distro}, or set stack: false`);
  }
  const stack = c.stack ?? folder !== undefined;
  if (c.decommission === 'detach' && !stack) {
    bad('decommission', `decommission: detach keeps the cluster's InfrastructureStack, but it has none (${c.stack === false ? 'stack: false' : `no module for ${distro} clusters`}); use destroy, or remove the entry`);
  }
  return stack;
}

/** A cluster's id: an integer in range, and usable with its datapath (aws-cni and ENI lose ids 128-255 and 384-511). */
function checkId(c: ClusterProps, cilium: ResolvedCilium, datapath: Datapath, bad: (field: string, message: string) => void): void {
  const ranges = usableIdRanges(cilium.maxConnectedClusters, datapath.restrictedIds);
  const mode = cilium.cni === 'eni' ? 'ENI IPAM' : 'aws-cni chaining';
  if (!Number.isInteger(c.id)) {
    bad('id', `id must be an integer (got ${JSON.stringify(c.id)})`);
  } else if (c.id < 1 || c.id > cilium.maxConnectedClusters) {
    bad('id', `id ${c.id} is outside 1..${cilium.maxConnectedClusters}${c.id === 0 ? ' (0 is reserved and cannot join a mesh)' : ''}${datapath.restrictedIds ? `; with ${mode} use ${formatRanges(ranges)}` : ''}`);
  } else if (!ranges.some((r) => c.id >= r.min && c.id <= r.max)) {
    bad('id', `id ${c.id} is not usable with ${mode} (ids 128-255 and 384-511 fail, cilium/cilium#21330); use ${formatRanges(ranges)}`);
  }
}

/** A cluster's name (valid, unique) and DNS zone (valid, the apiserver name short enough). */
function checkNameAndZone(part: 'name' | 'dnsZone', c: ClusterProps, i: number, byName: Map<string, number>, bad: (field: string, message: string) => void, need: (f: keyof ClusterProps) => boolean): void {
  if (part === 'name' && need('name')) {
    const p = clusterNameProblem(c.name);
    if (p) bad('name', `name ${p}`);
    const seen = byName.get(c.name);
    if (seen !== undefined) bad('name', `name is already used by clusters[${seen}]; cluster names must be unique in the fleet`);
    else byName.set(c.name, i);
  }
  if (part === 'dnsZone' && need('dnsZone')) {
    const p = dnsZoneProblem(c.dnsZone);
    if (p) bad('dnsZone', `dnsZone "${c.dnsZone}" ${p}`);
    else if (typeof c.name === 'string' && apiserverHostname(c.name, c.dnsZone).length > 253) {
      bad('dnsZone', `dnsZone "${c.dnsZone}" is too long: the apiserver name ${apiserverHostname(c.name, c.dnsZone)} exceeds 253 characters`);
    }
  }
}

function resolveClusters(props: FleetProps, cilium: ResolvedCilium, tiers: readonly Tier[], stackFolder: (d: Distro) => string | undefined, faults: FaultCollector): MeshCluster[] {
  const out: MeshCluster[] = [];
  const byName = new Map<string, number>();
  (props.clusters ?? []).forEach((c, i) => {
    const path = `clusters[${i}]`;
    if (!isRecord(c)) {
      faults.add(path, `fleet: ${path} must be a mapping with name, id, tier, region and dnsZone`);
      return;
    }
    const who = typeof c.name === 'string' && c.name.length > 0 ? `cluster "${c.name}"` : `${path}`;
    let ok = true;
    const bad = (field: string, message: string) => {
      faults.add(`${path}.${field}`, `${who}: ${message}`);
      ok = false;
    };
    const need = (field: keyof ClusterProps) => {
      if (c[field] === undefined) {
        if (!faults.has(`${path}.${field}`)) bad(field, `${field} is missing`);
        else ok = false;
        return false;
      }
      return true;
    };
    for (const key of Object.keys(c)) {
      if (!CLUSTER_KEYS.has(key) && !faults.has(`${path}.${key}`)) bad(key, `unknown key "${key}"`);
    }
    const tier = typeof c.tier === 'string' ? tiers.find((t) => t.name === c.tier) : undefined;
    const distro: Distro = c.distro ?? tier?.distro ?? 'eks';
    if (distroProblem(distro)) {
      bad('distro', distroProblem(distro)!);
      return;
    }
    if (tier?.faulty && c.distro === undefined) return;
    const datapath = datapathOf(distro, cilium.cni);
    checkNameAndZone('name', c, i, byName, bad, need);
    if (need('id')) checkId(c, cilium, datapath, bad);
    if (need('tier') && !tier) bad('tier', `tier "${c.tier}" is not a known tier (${tiers.map((t) => t.name).join(', ')}); add it to tiers:`);
    // With an unknown tier and no distro of its own, the platform is unknown: its region waits for the tier's fix.
    const platformKnown = c.distro !== undefined || tier !== undefined;
    if (need('region') && platformKnown) {
      const p = platformRegionProblem(c.region, distro);
      if (p) bad('region', `region "${c.region}" ${p}`);
    }
    checkNameAndZone('dnsZone', c, i, byName, bad, need);
    checkClusterExtras(c, distro, datapath, bad);
    const stack = checkStack(c, distro, stackFolder(distro), bad);
    if (c.apiserverNodePort !== undefined && (!Number.isInteger(c.apiserverNodePort) || c.apiserverNodePort < 30000 || c.apiserverNodePort > 32767)) {
      bad('apiserverNodePort', `apiserverNodePort ${JSON.stringify(c.apiserverNodePort)} is outside the node port range 30000..32767`);
    }
    if (!ok || !tier) return;
    const apiserver = apiserverOf(cilium, distro, c.apiserverNodePort);
    if (c.apiserverNodePort !== undefined && apiserver.serviceType !== 'NodePort') {
      const why = cilium.apiserver.platforms[distro]?.serviceType ? `cilium.apiserver.platforms.${distro}.serviceType` : cilium.apiserver.serviceType ? 'cilium.apiserver.serviceType' : `the ${distro} default`;
      bad('apiserverNodePort', `apiserverNodePort is only used with a NodePort clustermesh-apiserver, and on ${distro} it is a ${apiserver.serviceType} (${why})`);
      return;
    }
    out.push({
      name: c.name,
      id: c.id,
      tier: c.tier,
      mesh: tier.mesh,
      region: c.region,
      distro,
      datapath,
      apiserver,
      dnsZone: c.dnsZone,
      podCidr: c.podCidr,
      tags: { fleet: props.name, tier: c.tier, distro, ...(c.tags ?? {}) },
      stack,
      decommission: c.decommission,
      apiserverAddress: apiserverHostname(c.name, c.dnsZone),
      apiserverPort: apiserver.port,
    });
  });
  return out;
}

function groupMeshes(tiers: readonly Tier[], clusters: readonly MeshCluster[]): Mesh[] {
  const meshes = new Map<string, { name: string; tiers: string[]; clusters: MeshCluster[] }>();
  for (const t of tiers) {
    const m = meshes.get(t.mesh) ?? { name: t.mesh, tiers: [], clusters: [] };
    m.tiers.push(t.name);
    meshes.set(t.mesh, m);
  }
  for (const c of clusters) meshes.get(c.mesh)?.clusters.push(c);
  return [...meshes.values()];
}

function checkMeshes(meshes: readonly Mesh[], cilium: ResolvedCilium, props: FleetProps, faults: FaultCollector): void {
  const index = new Map<string, number>();
  (props.clusters ?? []).forEach((x, i) => {
    if (typeof x?.name === 'string' && !index.has(x.name)) index.set(x.name, i);
  });
  const indexOf = (c: MeshCluster) => index.get(c.name) ?? -1;
  for (const mesh of meshes) {
    const byId = new Map<number, MeshCluster>();
    const cidrs: Array<{ cluster: MeshCluster; cidr: Cidr }> = [];
    for (const c of mesh.clusters) {
      const other = byId.get(c.id);
      if (other) {
        faults.add(`clusters[${indexOf(c)}].id`, `cluster "${c.name}": id ${c.id} is already used by cluster "${other.name}" in mesh "${mesh.name}"`);
      } else {
        byId.set(c.id, c);
      }
      if (c.podCidr) cidrs.push({ cluster: c, cidr: parseCidr(c.podCidr) as Cidr });
    }
    const first = mesh.clusters[0];
    for (const c of mesh.clusters.filter((x) => x.datapath.routing !== first?.datapath.routing)) {
      faults.add(`clusters[${indexOf(c)}].distro`, `cluster "${c.name}": mesh "${mesh.name}" cannot mix datapaths: it would route ${c.datapath.routing === 'native' ? 'natively' : 'through a tunnel'} on ${c.distro}${c.distro === 'eks' ? ` (cilium.cni ${cilium.cni})` : ''}, `
        + `but "${first.name}" routes ${first.datapath.routing === 'native' ? 'natively' : 'through a tunnel'} on ${first.distro}${first.distro === 'eks' ? ` (cilium.cni ${cilium.cni})` : ''}; every member of a Cluster Mesh must use the same routing mode and tunnel protocol (put them in different meshes)`);
    }
    const gke = mesh.clusters.find((c) => c.distro === 'gke');
    for (const c of gke ? mesh.clusters.filter((x) => x.podCidr === undefined) : []) {
      faults.add(`clusters[${indexOf(c)}].podCidr`, `cluster "${c.name}": podCidr is missing; mesh "${mesh.name}" has GKE members (e.g. "${gke!.name}"), whose ipv4NativeRoutingCIDR must hold `
        + 'every member\'s pod range, or traffic to this cluster\'s pods is masqueraded: give its pod range (its VPC CIDR with aws-cni or ENI)');
    }
    if (gke && cidrs.length > 0 && coveringCidr(cidrs.map((x) => x.cidr)).prefix < 8) {
      faults.add(`clusters[${indexOf(gke)}].podCidr`, `cluster "${gke.name}": on gke Cilium routes natively, and ipv4NativeRoutingCIDR must hold the pod CIDRs of every member of mesh "${mesh.name}" `
        + `(${cidrs.map((x) => x.cidr.text).join(', ')}), which span ${coveringCidr(cidrs.map((x) => x.cidr)).text}: pods would send all traffic unmasqueraded; keep the mesh's pod CIDRs within one /8 or smaller`);
    }
    checkNodePorts(mesh, cilium, indexOf, faults);
    for (const clash of cidrClashes(cidrs)) {
      faults.add(`clusters[${indexOf(clash.cluster)}].podCidr`, `cluster "${clash.cluster.name}": podCidr ${clash.cidr.text} overlaps ${clash.with.cidr.text} of cluster "${clash.with.cluster.name}" in mesh "${mesh.name}"`);
    }
    if (!cilium.tls.sharedCa && mesh.clusters.length > 0) {
      const ca = meshCa(cilium.tls, mesh.name);
      for (const [key, v] of [['issuer', ca.issuer], ['issuerSecret', ca.issuerSecret], ['caSecret', ca.caSecret]] as const) {
        if (v.length > 63) faults.add(`cilium.tls.${key}`, `mesh "${mesh.name}": its CA name "${v}" (cilium.tls.${key} plus "-${mesh.name}") is longer than 63 characters; shorten cilium.tls.${key}`);
      }
    }
    if (mesh.clusters.length > cilium.maxConnectedClusters) {
      faults.add(`clusters[${indexOf(mesh.clusters[cilium.maxConnectedClusters])}].tier`, `mesh "${mesh.name}": ${mesh.clusters.length} clusters exceed maxConnectedClusters ${cilium.maxConnectedClusters}`);
    }
  }
}
