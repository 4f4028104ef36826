/** The `multigres:` section of a fleet: deployments resolved against the meshes, and their rules. */
import { FaultCollector } from './errors';
import { DedicatedNodesProps, FleetProps, MultigresApi, MultigresDeploymentProps } from './props';
import { dnsLabelProblem, labelValueProblem, qualifiedNameProblem } from '../k8s/names';
import { nodeLabelKeyProblem } from '../multigres/placement';

/** Largest replica count Kubernetes accepts (int32). */
const MAX_REPLICAS = 2 ** 31 - 1;
/** With api cluster: the MultigresCluster CRD's limits on its name and on cell names (cells are cluster names). */
const CLUSTER_API_NAME_MAX = 25;
const CLUSTER_API_CELL_MAX = 30;

/** A Multigres deployment with defaults applied and clusters resolved. */
export interface ResolvedMultigresDeployment {
  /** Deployment name. */
  readonly name: string;
  /** The mesh it runs in. */
  readonly mesh: string;
  /** Its topology (federated-etcd is refused before this point). */
  readonly topology: 'shared-etcd' | 'regional';
  /** shared-etcd: the cluster running etcd. */
  readonly etcdCluster?: string;
  /** regional: the cluster running the gateway tier. */
  readonly gatewayCluster?: string;
  /** Clusters running poolers and orchestrators (and gateways with shared-etcd), in mesh order. */
  readonly dataClusters: readonly string[];
  /** regional: the gateway tier's dedicated nodes. */
  readonly gatewayNodes: Required<DedicatedNodesProps>;
  /** etcd members. */
  readonly etcdReplicas: number;
  /** Gateway replicas per gateway cluster. */
  readonly gatewayReplicas: number;
  /** Pooler replicas per data cluster. */
  readonly poolerReplicas: number;
}

/** Multigres settings with defaults applied. */
export interface ResolvedMultigres {
  /** API generation written. */
  readonly api: MultigresApi;
  /** Namespace of every Multigres object. */
  readonly namespace: string;
  /** Whether CiliumNetworkPolicies are emitted. */
  readonly networkPolicies: boolean;
  /** The deployments. */
  readonly deployments: readonly ResolvedMultigresDeployment[];
}

/** Why federated etcd is refused (also the README's answer). */
export const FEDERATED_ETCD_REFUSAL = 'topology federated-etcd cannot work: the Multigres operator builds etcd peer URLs from '
  + 'cluster.local names only, so members in different clusters can never form one etcd (and Cilium gives pods no '
  + 'cross-cluster DNS names); use shared-etcd (one etcd, reached through a global Service) or regional (an etcd per region)';

/**
 * Resolves and checks the `multigres` section against the fleet's meshes.
 * @internal
 */
export function resolveMultigres(props: FleetProps, meshMembers: (mesh: string) => string[] | undefined, faults: FaultCollector, resolved: ReadonlySet<string> = new Set(),
  decommissioned: ReadonlySet<string> = new Set()): ResolvedMultigres | undefined {
  const m = props.multigres;
  if (!m) return undefined;
  const api = m.api ?? 'cluster';
  if (api !== 'components' && api !== 'cluster') {
    faults.add('multigres.api', `fleet: multigres.api must be components or cluster (got ${JSON.stringify(api)})`);
  }
  if (m.operatorVersion !== undefined) {
    if (!/^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/.test(m.operatorVersion)) {
      faults.add('multigres.operatorVersion', `fleet: multigres.operatorVersion "${m.operatorVersion}" is not a release version such as "0.11.1"`);
    } else if (api === 'components') {
      faults.add('multigres.api', `fleet: multigres.api components cannot be applied by operator ${m.operatorVersion.replace(/^v?/, 'v')}: no operator release serves Etcd, MultiGateway, MultiOrch or MultiPooler (they were removed before v0.1.0); use api cluster`);
    }
  }
  const namespace = m.namespace ?? 'multigres';
  const nsProblem = dnsLabelProblem(namespace);
  if (nsProblem) faults.add('multigres.namespace', `fleet: multigres.namespace "${namespace}" ${nsProblem}`);
  // Clusters declared with faults of their own (so in no mesh).
  const declared = new Set((props.clusters ?? []).map((c) => c?.name).filter((n): n is string => typeof n === 'string' && !resolved.has(n) && !decommissioned.has(n)));
  const deployments: ResolvedMultigresDeployment[] = [];
  const seen = new Set<string>();
  const ctx: DeploymentContext = { api, meshMembers, faults, declared, decommissioned, seen };
  (m.deployments ?? []).forEach((d, i) => {
    const r = resolveDeployment(d, i, ctx);
    if (r) deployments.push(r);
  });
  if (m.networkPolicies === true && api === 'cluster') {
    faults.add('multigres.networkPolicies', 'fleet: multigres.networkPolicies is not supported with multigres.api cluster (no policy would be written: the operator names the pods); use api components, or leave it out');
  }
  return { api, namespace, networkPolicies: m.networkPolicies ?? false, deployments };
}

/** What resolving one Multigres deployment needs from the fleet. */
interface DeploymentContext {
  readonly api: string;
  readonly meshMembers: (mesh: string) => string[] | undefined;
  readonly faults: FaultCollector;
  /** Clusters declared with faults of their own (so in no mesh). */
  readonly declared: ReadonlySet<string>;
  readonly decommissioned: ReadonlySet<string>;
  /** Deployment names seen so far. */
  readonly seen: Set<string>;
}

/** A deployment's fault reporter: `bad(field, message)` records a fault and marks the deployment unusable. */
interface Verdict {
  ok: boolean;
  readonly bad: (field: string, message: string) => void;
}

/** Resolves one deployment of `multigres.deployments`, or reports why it cannot be (undefined). */
function resolveDeployment(d: MultigresDeploymentProps, i: number, ctx: DeploymentContext): ResolvedMultigresDeployment | undefined {
  const path = `multigres.deployments[${i}]`;
  if (d === null || typeof d !== 'object' || Array.isArray(d)) {
    ctx.faults.add(path, `fleet: ${path} must be a mapping with name, mesh and topology`);
    return undefined;
  }
  const who = `multigres deployment "${d.name ?? i}"`;
  const v: Verdict = {
    ok: true,
    bad: (field, message) => {
      ctx.faults.add(`${path}.${field}`, `${who}: ${message}`);
      v.ok = false;
    },
  };
  for (const key of ['name', 'mesh', 'topology'] as const) {
    if (d[key] === undefined) v.bad(key, `${key} is missing`);
  }
  if (!v.ok) return undefined;
  checkDeploymentName(d, ctx, v);
  const members = ctx.meshMembers(d.mesh);
  if (members === undefined || members.length === 0) {
    v.bad('mesh', `mesh "${d.mesh}" ${members === undefined ? 'does not exist' : 'has no clusters'}`);
    return undefined;
  }
  if (d.topology === 'federated-etcd') {
    v.bad('topology', FEDERATED_ETCD_REFUSAL);
    return undefined;
  }
  if (d.topology !== 'shared-etcd' && d.topology !== 'regional') {
    v.bad('topology', `topology must be shared-etcd, regional or federated-etcd (got ${JSON.stringify(d.topology)})`);
    return undefined;
  }
  checkMembers(d, members, ctx, v);
  const replicas = checkReplicas(d, v);
  checkGatewayNodes(d, v);
  if (ctx.api === 'cluster' && d.topology === 'regional') {
    v.bad('topology', 'topology regional needs api components: a MultigresCluster\'s gateways serve only its own cells, so one gateway tier cannot front the regions of other clusters');
  }
  if (!v.ok) return undefined;
  const hub = d.topology === 'shared-etcd' ? d.etcdCluster ?? members[0] : d.gatewayCluster ?? members[0];
  const others = members.filter((c) => c !== hub);
  const dataClusters = d.clusters ? members.filter((c) => d.clusters!.includes(c)) : (others.length > 0 ? others : [hub]);
  if (ctx.api === 'cluster') {
    for (const c of new Set([hub, ...dataClusters])) {
      if (c.length > CLUSTER_API_CELL_MAX) v.bad('mesh', `cluster "${c}" of mesh "${d.mesh}" has a ${c.length}-character name; with multigres.api cluster it names a cell, which the MultigresCluster CRD limits to ${CLUSTER_API_CELL_MAX} characters`);
    }
    if (!v.ok) return undefined;
  }
  const nodes = d.gatewayNodes ?? { taintKey: 'dedicated', taintValue: 'multigres-gateway' };
  return {
    name: d.name,
    mesh: d.mesh,
    topology: d.topology,
    etcdCluster: d.topology === 'shared-etcd' ? hub : undefined,
    gatewayCluster: d.topology === 'regional' ? hub : undefined,
    dataClusters,
    gatewayNodes: { taintKey: nodes.taintKey, taintValue: nodes.taintValue, nodeLabel: nodes.nodeLabel ?? { [nodes.taintKey]: nodes.taintValue } },
    ...replicas,
  };
}

function checkDeploymentName(d: MultigresDeploymentProps, ctx: DeploymentContext, v: Verdict): void {
  const nameProblem = dnsLabelProblem(d.name);
  if (nameProblem) v.bad('name', `name ${nameProblem}`);
  else if (!/^[a-z]/.test(d.name)) v.bad('name', 'name must start with a letter (it begins the names of Services and workloads, which are DNS-1035 labels)');
  else if (d.name.length > 30) v.bad('name', `name is ${d.name.length} characters long; at most 30 leave room for the object names derived from it`);
  else if (ctx.api === 'cluster' && d.name.length > CLUSTER_API_NAME_MAX) v.bad('name', `name is ${d.name.length} characters long; with multigres.api cluster it names a MultigresCluster, whose CRD allows at most ${CLUSTER_API_NAME_MAX}`);
  else if (ctx.seen.has(d.name)) v.bad('name', 'name is declared twice');
  ctx.seen.add(d.name);
}

/** The clusters a deployment names are members of its mesh, and each topology's own fields only. */
function checkMembers(d: MultigresDeploymentProps, members: readonly string[], ctx: DeploymentContext, v: Verdict): void {
  const member = (field: string, cluster: string | undefined) => {
    if (cluster === undefined || members.includes(cluster)) return;
    // A cluster declared with faults of its own is not in the mesh yet: those faults say why.
    if (ctx.declared.has(cluster)) v.ok = false;
    else if (ctx.decommissioned.has(cluster)) v.bad(field, `cluster "${cluster}" is being decommissioned; move the deployment's ${field.startsWith('clusters') ? 'cell' : 'component'} to another member first (or remove it from the list), so its Multigres objects are not deleted with it unannounced`);
    else v.bad(field, `cluster "${cluster}" is not in mesh "${d.mesh}" (${members.join(', ')})`);
  };
  member('etcdCluster', d.etcdCluster);
  member('gatewayCluster', d.gatewayCluster);
  (d.clusters ?? []).forEach((c, j) => member(`clusters[${j}]`, c));
  if (d.topology === 'shared-etcd' && d.gatewayCluster !== undefined) v.bad('gatewayCluster', 'gatewayCluster is only used with topology regional');
  if (d.topology === 'regional' && d.etcdCluster !== undefined) v.bad('etcdCluster', 'etcdCluster is only used with topology shared-etcd (regional runs an etcd per region)');
  if (new Set(d.clusters ?? []).size !== (d.clusters ?? []).length) v.bad('clusters', 'clusters lists a cluster twice');
  if (d.clusters !== undefined && d.clusters.length === 0) v.bad('clusters', 'clusters must name at least one cluster (or be left out for every cluster of the mesh but the hub)');
}

function checkReplicas(d: MultigresDeploymentProps, v: Verdict): { etcdReplicas: number; gatewayReplicas: number; poolerReplicas: number } {
  const etcdReplicas = d.etcdReplicas ?? 3;
  if (!Number.isInteger(etcdReplicas) || etcdReplicas < 3 || etcdReplicas > 7 || etcdReplicas % 2 === 0) {
    v.bad('etcdReplicas', `etcdReplicas must be odd and within 3..7 for quorum (got ${etcdReplicas})`);
  }
  const gatewayReplicas = d.gatewayReplicas ?? 2;
  if (!Number.isInteger(gatewayReplicas) || gatewayReplicas < 1 || gatewayReplicas > MAX_REPLICAS) v.bad('gatewayReplicas', `gatewayReplicas must be within 1..${MAX_REPLICAS} (got ${gatewayReplicas})`);
  const poolerReplicas = d.poolerReplicas ?? 3;
  if (!Number.isInteger(poolerReplicas) || poolerReplicas < 1 || poolerReplicas > MAX_REPLICAS) v.bad('poolerReplicas', `poolerReplicas must be within 1..${MAX_REPLICAS} (got ${poolerReplicas})`);
  return { etcdReplicas, gatewayReplicas, poolerReplicas };
}

function checkGatewayNodes(d: MultigresDeploymentProps, v: Verdict): void {
  if (!d.gatewayNodes) return;
  if (d.topology !== 'regional') {
    v.bad('gatewayNodes', 'gatewayNodes is only used with topology regional');
    return;
  }
  const n = d.gatewayNodes;
  if (typeof n.taintKey !== 'string' || n.taintKey === '') v.bad('gatewayNodes.taintKey', 'gatewayNodes.taintKey is missing');
  if (typeof n.taintValue !== 'string') v.bad('gatewayNodes.taintValue', 'gatewayNodes.taintValue is missing');
  if (n.nodeLabel !== undefined && Object.keys(n.nodeLabel).length !== 1) {
    v.bad('gatewayNodes.nodeLabel', `gatewayNodes.nodeLabel must hold exactly one label (the one the dedicated nodes carry); it has ${Object.keys(n.nodeLabel).length}`);
  }
  for (const key of [n.taintKey, ...Object.keys(n.nodeLabel ?? {})]) {
    const noNode = typeof key === 'string' ? nodeLabelKeyProblem(key) : undefined;
    if (noNode) v.bad('gatewayNodes', `gatewayNodes label "${key}" ${noNode}`);
  }
  const keyProblem = typeof n.taintKey === 'string' ? qualifiedNameProblem(n.taintKey) : undefined;
  if (keyProblem) v.bad('gatewayNodes.taintKey', `gatewayNodes.taintKey "${n.taintKey}" ${keyProblem}`);
  const valueProblem = typeof n.taintValue === 'string' ? labelValueProblem(n.taintValue) : undefined;
  if (valueProblem) v.bad('gatewayNodes.taintValue', `gatewayNodes.taintValue "${n.taintValue}" ${valueProblem}`);
  for (const [k, val] of Object.entries(n.nodeLabel ?? {})) {
    const p = qualifiedNameProblem(k) ? `key ${qualifiedNameProblem(k)}` : labelValueProblem(val) ? `value "${val}" ${labelValueProblem(val)}` : undefined;
    if (p) v.bad(`gatewayNodes.nodeLabel.${k}`, `gatewayNodes.nodeLabel "${k}" ${p}`);
  }
}
