/**
 * CiliumNetworkPolicy (`cilium.io/v2`), typed after the Cilium 1.18.2 JSON schema
 * (`ciliumnetworkpolicy_v2.json`; hand-written interfaces for the subset used here), and the
 * Multigres ingress policies built on it.
 *
 * Rules that Cilium users learn the hard way and this module enforces:
 * - Pods of the mesh carry identities: `fromCIDR` never matches them. Select peers, local or remote,
 *   with `fromEndpoints`, scoped to clusters by the identity label `io.cilium.k8s.policy.cluster`.
 * - A peer selector without the cluster label means "every cluster" in Cilium 1.18 and "the local
 *   cluster" from 1.19 on (`policyDefaultLocalCluster`), so every peer selector must name its
 *   clusters (or say `Exists` for all of them).
 * - A selector in a namespaced policy only matches pods of the policy's namespace unless it sets
 *   `k8s:io.kubernetes.pod.namespace`.
 * - At most 40 ports per `toPorts` entry.
 * - Policies are not propagated between clusters: emit one into every cluster that needs it.
 */
import { ApiObject, ApiObjectMetadata, GroupVersionKind, Lazy } from 'cdk8s';
import { Construct, Node } from 'constructs';
import { isIP } from 'net';
import type { IMultigresComponent, MultigresComponentKind } from '../multigres/common';
import type { LabelSelectorRequirement } from '../multigres/placement';

/** The Cilium identity label naming the cluster an endpoint runs in. */
export const CILIUM_CLUSTER_LABEL = 'io.cilium.k8s.policy.cluster';
/** The Cilium identity label naming the namespace of a pod. */
export const CILIUM_NAMESPACE_LABEL = 'k8s:io.kubernetes.pod.namespace';
/** Cilium's limit of ports in one `toPorts` entry. */
export const MAX_PORTS_PER_TO_PORTS = 40;

/** An endpoint selector (Cilium's wrapper of a label selector; keys may carry a source prefix like `k8s:`). */
export interface EndpointSelector {
  /**
   * Exact label matches.
   * @default - none
   */
  readonly matchLabels?: { [key: string]: string };
  /**
   * Set-based requirements.
   * @default - none
   */
  readonly matchExpressions?: LabelSelectorRequirement[];
}

/** Special peers without individual identities. */
export type CiliumEntity =
  | 'all' | 'world' | 'cluster' | 'host' | 'init' | 'ingress' | 'unmanaged' | 'remote-node' | 'health' | 'none' | 'kube-apiserver';

/** A port (or range) and protocol. */
export interface PortProtocol {
  /** Port number (`"0"` = every port) or a named container port. */
  readonly port: string;
  /**
   * Last port of a range starting at `port` (numeric ports only).
   * @default - a single port
   */
  readonly endPort?: number;
  /**
   * Protocol.
   * @default - ANY
   */
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP' | 'ANY';
}

/** An L7 HTTP rule (all set fields must match). */
export interface HttpRule {
  /**
   * Method regex.
   * @default - any method
   */
  readonly method?: string;
  /**
   * Path regex.
   * @default - any path
   */
  readonly path?: string;
  /**
   * Host regex.
   * @default - any host
   */
  readonly host?: string;
  /**
   * Required headers (`Name` or `Name: value`).
   * @default - none
   */
  readonly headers?: string[];
}

/** An L7 DNS rule. */
export interface DnsRule {
  /**
   * Exact name.
   * @default - none
   */
  readonly matchName?: string;
  /**
   * Name pattern with `*` wildcards.
   * @default - none
   */
  readonly matchPattern?: string;
}

/** L7 rules of a port rule (one protocol per port rule). */
export interface L7Rules {
  /**
   * HTTP rules.
   * @default - none
   */
  readonly http?: HttpRule[];
  /**
   * DNS rules (egress to a DNS server).
   * @default - none
   */
  readonly dns?: DnsRule[];
}

/** A `toPorts` entry. */
export interface PortRule {
  /**
   * Ports (at most 40).
   * @default - every port
   */
  readonly ports?: PortProtocol[];
  /**
   * L7 rules; traffic on these ports goes through the proxy (this is how L7 visibility is
   * requested since the visibility annotation was removed in Cilium 1.17).
   * @default - L4 only
   */
  readonly rules?: L7Rules;
}

/** A CIDR with exceptions. */
export interface CidrRule {
  /** The CIDR. */
  readonly cidr: string;
  /**
   * Sub-CIDRs excluded.
   * @default - none
   */
  readonly except?: string[];
}

/**
 * An ingress rule. At most one of `fromEndpoints`, `fromEntities`, `fromCIDR`, `fromCIDRSet`.
 * Without any of them the rule admits every source on `toPorts`.
 */
export interface IngressRule {
  /**
   * Source pods (of any cluster of the mesh; each selector must name its clusters).
   * @default - not selected by endpoint
   */
  readonly fromEndpoints?: EndpointSelector[];
  /**
   * Source entities.
   * @default - not selected by entity
   */
  readonly fromEntities?: CiliumEntity[];
  /**
   * Source CIDRs, for sources **outside** the mesh only: meshed pods carry identities and never
   * match a CIDR rule.
   * @default - not selected by CIDR
   */
  readonly fromCIDR?: string[];
  /**
   * Source CIDRs with exceptions (outside the mesh only, as `fromCIDR`).
   * @default - not selected by CIDR
   */
  readonly fromCIDRSet?: CidrRule[];
  /**
   * Destination ports on the selected endpoints.
   * @default - every port
   */
  readonly toPorts?: PortRule[];
}

/**
 * An egress rule. At most one of `toEndpoints`, `toEntities`, `toCIDR`, `toCIDRSet`, `toFQDNs`.
 */
export interface EgressRule {
  /**
   * Destination pods (each selector must name its clusters).
   * @default - not selected by endpoint
   */
  readonly toEndpoints?: EndpointSelector[];
  /**
   * Destination entities.
   * @default - not selected by entity
   */
  readonly toEntities?: CiliumEntity[];
  /**
   * Destination CIDRs (outside the mesh only).
   * @default - not selected by CIDR
   */
  readonly toCIDR?: string[];
  /**
   * Destination CIDRs with exceptions (outside the mesh only).
   * @default - not selected by CIDR
   */
  readonly toCIDRSet?: CidrRule[];
  /**
   * Destination DNS names (needs a DNS rule for the lookups).
   * @default - not selected by name
   */
  readonly toFQDNs?: DnsRule[];
  /**
   * Destination ports.
   * @default - every port
   */
  readonly toPorts?: PortRule[];
}

/** Props of {@link CiliumNetworkPolicy}. */
export interface CiliumNetworkPolicyProps {
  /**
   * Metadata (name, namespace, labels, annotations).
   * @default - a generated name in the chart's namespace
   */
  readonly metadata?: ApiObjectMetadata;
  /**
   * Free-form description, kept in the object.
   * @default - none
   */
  readonly description?: string;
  /** The local endpoints the policy applies to (a policy never selects remote endpoints). */
  readonly endpointSelector: EndpointSelector;
  /**
   * Allow rules for incoming traffic (their presence puts the selected endpoints in default deny for ingress).
   * @default - none (add with addIngress)
   */
  readonly ingress?: IngressRule[];
  /**
   * Deny rules for incoming traffic (take precedence over allow rules).
   * @default - none
   */
  readonly ingressDeny?: IngressRule[];
  /**
   * Allow rules for outgoing traffic (their presence puts the selected endpoints in default deny for egress).
   * @default - none (add with addEgress)
   */
  readonly egress?: EgressRule[];
  /**
   * Deny rules for outgoing traffic.
   * @default - none
   */
  readonly egressDeny?: EgressRule[];
  /**
   * Whether the policy switches the selected endpoints into default deny per direction.
   * @default - Cilium's default: default deny in each direction that has rules
   */
  readonly enableDefaultDeny?: { readonly ingress?: boolean; readonly egress?: boolean };
  /**
   * Accept peer selectors without `io.cilium.k8s.policy.cluster`. Their meaning differs between
   * Cilium 1.18 (every cluster) and 1.19 (the local cluster only), so they are refused by default.
   * @default false
   */
  readonly allowImplicitClusterScope?: boolean;
}

const ENTITIES = new Set(['all', 'world', 'cluster', 'host', 'init', 'ingress', 'unmanaged', 'remote-node', 'health', 'none', 'kube-apiserver']);
const PROTOCOLS = new Set(['TCP', 'UDP', 'SCTP', 'ANY']);
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const PORT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Cilium cluster name rule (chart validate.yaml, pkg/clustermesh/types). */
const CLUSTER_NAME = /^([a-z0-9][-a-z0-9]*)?[a-z0-9]$/;

/**
 * A CiliumNetworkPolicy (`cilium.io/v2`). Validates every rule when it is added.
 */
export class CiliumNetworkPolicy extends ApiObject {
  /** apiVersion and kind. */
  public static readonly GVK: GroupVersionKind = { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy' };

  private readonly ingress: IngressRule[] = [];
  private readonly egress: EgressRule[] = [];
  private readonly ingressDeny: IngressRule[] = [];
  private readonly egressDeny: EgressRule[] = [];
  private readonly where: string;
  private readonly allowImplicitClusterScope: boolean;

  public constructor(scope: Construct, id: string, props: CiliumNetworkPolicyProps) {
    super(scope, id, {
      ...CiliumNetworkPolicy.GVK,
      metadata: props.metadata,
      spec: Lazy.any({ produce: () => this.renderSpec(props) }),
    });
    this.where = `ciliumnetworkpolicy "${this.name}"`;
    this.allowImplicitClusterScope = props.allowImplicitClusterScope ?? false;
    checkSelector(props.endpointSelector, `${this.where}: endpointSelector`);
    for (const r of props.ingress ?? []) this.addIngress(r);
    for (const r of props.ingressDeny ?? []) this.pushRule(this.ingressDeny, 'ingressDeny', r);
    for (const r of props.egress ?? []) this.addEgress(r);
    for (const r of props.egressDeny ?? []) this.pushRule(this.egressDeny, 'egressDeny', r);
    Node.of(this).addValidation({
      validate: () => (this.ingress.length + this.egress.length + this.ingressDeny.length + this.egressDeny.length === 0)
        ? [`${this.where}: the policy has no ingress, ingressDeny, egress or egressDeny rule (the schema requires one)`]
        : [],
    });
  }

  /** Add an ingress allow rule (validated now). */
  public addIngress(rule: IngressRule): void {
    this.pushRule(this.ingress, 'ingress', rule);
  }

  /** Add an egress allow rule (validated now). */
  public addEgress(rule: EgressRule): void {
    this.pushRule(this.egress, 'egress', rule);
  }

  private pushRule(list: Array<IngressRule | EgressRule>, field: string, rule: IngressRule | EgressRule): void {
    checkRule(rule, `${this.where}: ${field}[${list.length}]`, this.allowImplicitClusterScope);
    list.push(rule);
  }

  private renderSpec(props: CiliumNetworkPolicyProps): any {
    const spec: any = {};
    if (props.description !== undefined) spec.description = props.description;
    spec.endpointSelector = props.endpointSelector;
    if (props.enableDefaultDeny) spec.enableDefaultDeny = props.enableDefaultDeny;
    if (this.ingress.length) spec.ingress = this.ingress;
    if (this.ingressDeny.length) spec.ingressDeny = this.ingressDeny;
    if (this.egress.length) spec.egress = this.egress;
    if (this.egressDeny.length) spec.egressDeny = this.egressDeny;
    return stripUndefined(spec);
  }
}

function checkRule(rule: IngressRule | EgressRule, at: string, allowImplicit: boolean): void {
  const r = rule as any;
  const peerFields = ['fromEndpoints', 'fromEntities', 'fromCIDR', 'fromCIDRSet', 'toEndpoints', 'toEntities', 'toCIDR', 'toCIDRSet', 'toFQDNs']
    .filter(f => r[f] !== undefined);
  if (peerFields.length > 1) {
    throw new Error(`${at}: ${peerFields.join(' and ')} are mutually exclusive in one rule; write one rule per peer kind`);
  }
  for (const f of ['fromEndpoints', 'toEndpoints']) {
    const sels: EndpointSelector[] | undefined = r[f];
    if (sels === undefined) continue;
    if (sels.length === 0) throw new Error(`${at}.${f} must not be empty (an empty list selects nothing; omit it instead)`);
    sels.forEach((s, i) => {
      checkSelector(s, `${at}.${f}[${i}]`);
      if (!allowImplicit && !hasClusterScope(s)) {
        throw new Error(`${at}.${f}[${i}]: selector has no ${CILIUM_CLUSTER_LABEL} label; it means every cluster in cilium 1.18 but only the local cluster from 1.19 on, so name the clusters (or use operator Exists for all of them)`);
      }
    });
  }
  for (const f of ['fromEntities', 'toEntities']) {
    for (const e of (r[f] ?? []) as string[]) {
      if (!ENTITIES.has(e)) throw new Error(`${at}.${f}: unknown entity "${e}"`);
    }
  }
  for (const f of ['fromCIDR', 'toCIDR']) {
    for (const c of (r[f] ?? []) as string[]) checkCidr(c, `${at}.${f}`);
  }
  for (const f of ['fromCIDRSet', 'toCIDRSet']) {
    for (const c of (r[f] ?? []) as CidrRule[]) {
      checkCidr(c.cidr, `${at}.${f}`);
      for (const e of c.except ?? []) checkCidr(e, `${at}.${f} except`);
    }
  }
  (rule.toPorts ?? []).forEach((pr, j) => {
    const pat = `${at}.toPorts[${j}]`;
    const ports = pr.ports ?? [];
    if (ports.length > MAX_PORTS_PER_TO_PORTS) {
      throw new Error(`${pat}: ${ports.length} ports exceed cilium's limit of ${MAX_PORTS_PER_TO_PORTS} per toPorts rule; split them over several toPorts entries`);
    }
    ports.forEach((p, k) => checkPort(p, `${pat}.ports[${k}]`));
    if (pr.rules) {
      const kinds = Object.keys(pr.rules).filter(k => (pr.rules as any)[k] !== undefined).sort();
      if (kinds.length > 1) throw new Error(`${pat}.rules: one l7 protocol per port rule (got ${kinds.join(', ')})`);
    }
  });
}

function checkPort(p: PortProtocol, at: string): void {
  const numeric = /^[0-9]+$/.test(p.port);
  if (numeric) {
    const n = Number(p.port);
    if (n > 65535) throw new Error(`${at}: port ${p.port} is outside 0..65535`);
    if (p.endPort !== undefined) {
      if (!Number.isInteger(p.endPort) || p.endPort < n || p.endPort > 65535) {
        throw new Error(`${at}: endPort must be a whole number in ${n}..65535 (got ${p.endPort})`);
      }
    }
  } else {
    if (p.port.length > 15 || !PORT_NAME.test(p.port) || !/[a-z]/.test(p.port)) {
      throw new Error(`${at}: port "${p.port}" is neither a number nor a valid port name`);
    }
    if (p.endPort !== undefined) throw new Error(`${at}: endPort needs a numeric port (got "${p.port}")`);
  }
  if (p.protocol !== undefined && !PROTOCOLS.has(p.protocol)) {
    throw new Error(`${at}: protocol must be TCP, UDP, SCTP or ANY (got "${p.protocol}")`);
  }
}

function checkCidr(cidr: string, at: string): void {
  const [ip, len, ...rest] = cidr.split('/');
  const family = isIP(ip ?? '');
  const max = family === 4 ? 32 : 128;
  if (family === 0 || rest.length > 0 || (len !== undefined && (!/^[0-9]+$/.test(len) || Number(len) > max))) {
    throw new Error(`${at}: "${cidr}" is not a cidr`);
  }
}

function checkSelector(s: EndpointSelector, at: string): void {
  for (const [k, v] of Object.entries(s.matchLabels ?? {})) {
    if (!k) throw new Error(`${at}.matchLabels: empty key`);
    if (typeof v !== 'string' || v.length > 63 || !LABEL_VALUE.test(v)) {
      throw new Error(`${at}.matchLabels "${k}": "${v}" is not a valid label value`);
    }
  }
  (s.matchExpressions ?? []).forEach((e, i) => {
    const n = e.values?.length ?? 0;
    if ((e.operator === 'In' || e.operator === 'NotIn') && n === 0) {
      throw new Error(`${at}.matchExpressions[${i}]: operator ${e.operator} needs at least one value`);
    }
    if ((e.operator === 'Exists' || e.operator === 'DoesNotExist') && n > 0) {
      throw new Error(`${at}.matchExpressions[${i}]: operator ${e.operator} takes no values`);
    }
    if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(e.operator)) {
      throw new Error(`${at}.matchExpressions[${i}]: unknown operator "${e.operator}"`);
    }
  });
}

function isClusterKey(key: string): boolean {
  return key === CILIUM_CLUSTER_LABEL || key === `k8s:${CILIUM_CLUSTER_LABEL}` || key === `any:${CILIUM_CLUSTER_LABEL}`;
}

function hasClusterScope(s: EndpointSelector): boolean {
  return Object.keys(s.matchLabels ?? {}).some(isClusterKey)
    || (s.matchExpressions ?? []).some(e => isClusterKey(e.key) && (e.operator === 'In' || e.operator === 'Exists'));
}

function stripUndefined(v: any): any {
  if (Array.isArray(v)) return v.map(stripUndefined);
  if (v && typeof v === 'object') {
    const out: any = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = stripUndefined(x);
    return out;
  }
  return v;
}

// ---------------------------------------------------------------------------------------------
// peers

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

// ---------------------------------------------------------------------------------------------
// Multigres

/** One allowed flow into a component: the named port of the target and the component kinds that may use it. */
export interface MultigresTrafficRule {
  /** Port name on the target (`client`, `peer`, `http`, `grpc`, `postgres`). */
  readonly port: string;
  /** Component kinds allowed to connect. */
  readonly from: readonly MultigresComponentKind[];
  /**
   * Only pods of the target's own instance (etcd members of one cluster talking raft).
   * @default false
   */
  readonly sameInstance?: boolean;
  /**
   * Only peers in the target's own cluster (etcd peer URLs are `cluster.local`: an etcd cluster never spans clusters).
   * @default false
   */
  readonly localClusterOnly?: boolean;
}

/**
 * Who talks to whom in a Multigres deployment of the per-component kinds:
 * - etcd: `client` (2379) from multigateway, multiorch and multipooler (topology reads and writes);
 *   `peer` (2380) from members of the same etcd, local cluster only.
 * - multipooler: `grpc` from multigateway (queries) and multiorch (health, failover); `http` from
 *   multiorch; `postgres` from other multipoolers (streaming replication).
 * - multiorch: `grpc` and `http` from other multiorch instances (coordination). This is our reading
 *   of the architecture, not documented by the operator: override it with `traffic` if your version differs.
 * - multigateway: nothing from Multigres itself; the applications connect to its `postgres` port
 *   (give them as `clients`).
 */
export const MULTIGRES_DEFAULT_TRAFFIC: { readonly [K in MultigresComponentKind]: readonly MultigresTrafficRule[] } = {
  etcd: [
    { port: 'client', from: ['multigateway', 'multiorch', 'multipooler'] },
    { port: 'peer', from: ['etcd'], sameInstance: true, localClusterOnly: true },
  ],
  multigateway: [],
  multiorch: [
    { port: 'grpc', from: ['multiorch'] },
    { port: 'http', from: ['multiorch'] },
  ],
  multipooler: [
    { port: 'grpc', from: ['multigateway', 'multiorch'] },
    { port: 'http', from: ['multiorch'] },
    { port: 'postgres', from: ['multipooler'] },
  ],
};

/** Options of {@link multigresIngressRules} and {@link MultigresNetworkPolicy}. */
export interface MultigresPolicyOptions {
  /**
   * The Cilium cluster name of the cluster this policy is written for (scopes traffic that never
   * crosses clusters, such as etcd raft).
   */
  readonly localCluster: string;
  /**
   * The mesh clusters whose Multigres pods may connect, or `'all'`.
   */
  readonly clusters: readonly string[] | 'all';
  /**
   * Namespace of the Multigres peer pods.
   * @default - the policy's namespace (the target's namespace)
   */
  readonly peerNamespace?: string;
  /**
   * Restrict peers of a kind to these instance names (`app.kubernetes.io/instance`).
   * @default - any instance of the kind
   */
  readonly peerInstances?: { readonly [K in MultigresComponentKind]?: readonly string[] };
  /**
   * The flow table to apply for the target's kind.
   * @default - MULTIGRES_DEFAULT_TRAFFIC[target.component]
   */
  readonly traffic?: readonly MultigresTrafficRule[];
  /**
   * Application pods allowed on a multigateway's `postgres` port (each selector must name its
   * clusters; see {@link peerSelector}). Only valid when the target is a multigateway.
   * @default - no application access
   */
  readonly clients?: readonly EndpointSelector[];
  /**
   * Monitoring pods (e.g. Prometheus) allowed on the metrics port: `http`, or `client` for etcd.
   * @default - no monitoring access
   */
  readonly monitoring?: readonly EndpointSelector[];
}

const KIND_ORDER: MultigresComponentKind[] = ['etcd', 'multigateway', 'multiorch', 'multipooler'];

/**
 * The ingress rules admitting exactly the Multigres traffic into `target`, grouped by peer set,
 * ports as the target is configured.
 */
export function multigresIngressRules(target: IMultigresComponent, options: MultigresPolicyOptions): IngressRule[] {
  const where = `multigres policy for ${target.component} "${target.name}"`;
  const traffic = options.traffic ?? MULTIGRES_DEFAULT_TRAFFIC[target.component];
  const portOf = (name: string) => {
    const p = target.ports.find(x => x.name === name);
    if (!p) throw new Error(`${where}: the target has no "${name}" port (it has ${target.ports.map(x => x.name).join(', ')})`);
    return p;
  };
  if (options.localCluster.length > 32 || !CLUSTER_NAME.test(options.localCluster)) {
    throw new Error(`${where}: localCluster "${options.localCluster}" is not a valid cilium cluster name`);
  }
  if (options.clients && target.component !== 'multigateway') {
    throw new Error(`${where}: clients only apply to a multigateway (applications connect to the gateway, not to ${target.component})`);
  }

  // group ports by identical peer selectors
  const groups = new Map<string, { from: EndpointSelector[]; ports: PortProtocol[] }>();
  const add = (from: EndpointSelector[], port: number) => {
    const key = JSON.stringify(from);
    const g = groups.get(key) ?? { from, ports: [] };
    if (!g.ports.some(p => p.port === String(port))) g.ports.push({ port: String(port), protocol: 'TCP' });
    groups.set(key, g);
  };
  for (const rule of traffic) {
    const port = portOf(rule.port);
    if (rule.from.length === 0) throw new Error(`${where}: traffic rule for port ${rule.port} names no peer kind`);
    const kinds = KIND_ORDER.filter(k => rule.from.includes(k));
    const from: EndpointSelector[] = [];
    for (const kind of kinds) {
      const labels: { [k: string]: string } = { 'app.kubernetes.io/component': kind, 'app.kubernetes.io/name': 'multigres' };
      let instances = options.peerInstances?.[kind];
      if (rule.sameInstance) {
        if (kind !== target.component) throw new Error(`${where}: sameInstance only makes sense for peers of the target's own kind`);
        instances = [target.name];
      }
      const base = peerSelector({
        labels,
        clusters: rule.localClusterOnly ? [options.localCluster] : options.clusters,
        namespace: options.peerNamespace,
      });
      from.push(instances && instances.length > 0 ? withInstances(base, instances) : base);
    }
    add(from, port.port);
  }
  if (options.clients?.length) add([...options.clients], portOf('postgres').port);
  if (options.monitoring?.length) add([...options.monitoring], portOf(target.component === 'etcd' ? 'client' : 'http').port);

  const rules: IngressRule[] = [...groups.values()].map(g => ({ fromEndpoints: g.from, toPorts: [{ ports: g.ports }] }));
  if (rules.length === 0) {
    throw new Error(`${where}: the policy would admit nothing and cut the ${target.component} off; name the allowed sources (clients, monitoring or traffic)`);
  }
  return rules;
}

function withInstances(sel: EndpointSelector, instances: readonly string[]): EndpointSelector {
  const sorted = [...new Set(instances)].sort();
  if (sorted.length === 1) {
    const matchLabels: { [k: string]: string } = { ...(sel.matchLabels ?? {}), 'app.kubernetes.io/instance': sorted[0] };
    const ordered: { [k: string]: string } = {};
    for (const k of Object.keys(matchLabels).sort()) ordered[k] = matchLabels[k];
    return { ...sel, matchLabels: ordered };
  }
  return {
    ...sel,
    matchExpressions: [...(sel.matchExpressions ?? []), { key: 'app.kubernetes.io/instance', operator: 'In', values: sorted }],
  };
}

/** Props of {@link MultigresNetworkPolicy}. */
export interface MultigresNetworkPolicyProps extends MultigresPolicyOptions {
  /** The component whose pods the policy protects (selected by its `selectorLabels`). */
  readonly target: IMultigresComponent;
  /**
   * Name of the policy.
   * @default - `<component>-<name>` of the target (kinds may share instance names)
   */
  readonly name?: string;
  /**
   * Additional ingress rules (validated like all others).
   * @default - none
   */
  readonly extraIngress?: IngressRule[];
}

/**
 * The ingress CiliumNetworkPolicy of one Multigres component: selects the component's pods and
 * admits exactly the Multigres flows (see {@link MULTIGRES_DEFAULT_TRAFFIC}) from the named clusters.
 * Emit one per component per cluster (policies do not propagate across clusters).
 */
export class MultigresNetworkPolicy extends CiliumNetworkPolicy {
  public constructor(scope: Construct, id: string, props: MultigresNetworkPolicyProps) {
    const t = props.target;
    super(scope, id, {
      metadata: compactMeta({ name: props.name ?? `${t.component}-${t.name}`, namespace: t.namespace }),
      description: `multigres ${t.component} "${t.name}": admit only multigres traffic`,
      endpointSelector: { matchLabels: t.selectorLabels },
      ingress: [...multigresIngressRules(t, props), ...(props.extraIngress ?? [])],
    });
  }
}

function compactMeta(m: { name: string; namespace?: string }): ApiObjectMetadata {
  return m.namespace === undefined ? { name: m.name } : { name: m.name, namespace: m.namespace };
}
