/**
 * CiliumNetworkPolicy (`cilium.io/v2`), typed after the Cilium 1.18.2 JSON schema
 * (`ciliumnetworkpolicy_v2.json`; hand-written interfaces for the subset used here). Peer selectors
 * are in `peer-selector.ts`, the Multigres ingress policies in `multigres/network-policy.ts`.
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
import { DNS_LABEL } from '../k8s/names';
import { ApiObject, ApiObjectMetadata, GroupVersionKind, Lazy } from 'cdk8s';
import { Construct, Node } from 'constructs';
import { isIP } from 'net';
import type { LabelSelectorRequirement } from '../k8s/selectors';

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
const PORT_NAME = DNS_LABEL;
/** Cilium cluster name rule (chart validate.yaml, pkg/clustermesh/types). */
/** Cilium's cluster name pattern. @internal */
export const CLUSTER_NAME = DNS_LABEL;

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
