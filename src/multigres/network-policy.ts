/** The Multigres traffic table (who talks to whom, on which port) and the CiliumNetworkPolicies that admit exactly it. */
import { ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';
import type { IMultigresComponent, MultigresComponentKind } from './common';
import { CiliumNetworkPolicy, CLUSTER_NAME, EndpointSelector, IngressRule, PortProtocol } from '../cilium/network-policy';
import { peerSelector } from '../cilium/peer-selector';

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
