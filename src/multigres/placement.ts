/**
 * Placement: Kubernetes scheduling terms for Multigres component pods.
 *
 * The types below mirror the Kubernetes core/v1 scheduling types exactly as the Multigres
 * component CRDs embed them (`affinity`, `nodeSelector`, `tolerations`,
 * `topologySpreadConstraints`), with string unions where Kubernetes has a closed set of values.
 *
 * A {@link Placement} is a recipe, not a finished term: spreading and anti-affinity need the
 * label selector of the pods being placed, which only the component construct knows. Build one with
 * the static factories, combine with {@link Placement.and}, and either pass it as the `placement`
 * prop of a component (the construct renders it against its own selector labels) or call
 * {@link Placement.render} yourself to get a partial props object.
 *
 * ```ts
 * new Etcd(chart, 'topo', {
 *   placement: Placement.zoneSpread().and(Placement.distinctNodes(), Placement.inRegion('us-east-1')),
 * });
 * ```
 *
 * Kube-scheduler only sees the nodes of its own cluster: there is no node label naming the mesh
 * cluster (no `topology.cilium.io/cluster`), so "spread across clusters" cannot be written in a pod
 * spec. Spread across clusters by placing one workload per cluster; the fleet generator does that.
 */

/** Well-known node labels used by the placement helpers. */
export const NodeLabels = {
  /** Zone of a node (set by the cloud provider / kubelet). */
  ZONE: 'topology.kubernetes.io/zone',
  /** Region of a node (set by the cloud provider / kubelet). */
  REGION: 'topology.kubernetes.io/region',
  /** Node name (set by the kubelet on every node). */
  HOSTNAME: 'kubernetes.io/hostname',
} as const;

/**
 * Topology keys that look plausible but are carried by no node, with the reason.
 * Scheduling terms using them never match (required terms leave pods Pending forever).
 */
const KEYS_NO_NODE_CARRIES: Record<string, string> = {
  'topology.cilium.io/cluster': 'cilium sets no such node label',
  'io.cilium.k8s.policy.cluster': 'it is a cilium identity label on endpoints, not a node label',
};

/** Operators of a label selector requirement. */
export type LabelSelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

/** A label selector requirement (core/v1 `LabelSelectorRequirement`). */
export interface LabelSelectorRequirement {
  /** The label key the selector applies to. */
  readonly key: string;
  /** How the key relates to the values. */
  readonly operator: LabelSelectorOperator;
  /**
   * Values; non-empty for `In`/`NotIn`, absent for `Exists`/`DoesNotExist`.
   * @default - no values (only valid for `Exists` and `DoesNotExist`)
   */
  readonly values?: string[];
}

/** A label selector (meta/v1 `LabelSelector`). Requirements are ANDed. */
export interface LabelSelector {
  /**
   * Exact label matches.
   * @default - no exact matches
   */
  readonly matchLabels?: { [key: string]: string };
  /**
   * Set-based requirements.
   * @default - no set-based requirements
   */
  readonly matchExpressions?: LabelSelectorRequirement[];
}

/** Operators of a node selector requirement. */
export type NodeSelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';

/** A node selector requirement (core/v1 `NodeSelectorRequirement`). */
export interface NodeSelectorRequirement {
  /** The node label key (or field name for `matchFields`). */
  readonly key: string;
  /** How the key relates to the values. */
  readonly operator: NodeSelectorOperator;
  /**
   * Values; non-empty for `In`/`NotIn`, one integer for `Gt`/`Lt`, absent for `Exists`/`DoesNotExist`.
   * @default - no values (only valid for `Exists` and `DoesNotExist`)
   */
  readonly values?: string[];
}

/** A node selector term (core/v1 `NodeSelectorTerm`). Requirements are ANDed. */
export interface NodeSelectorTerm {
  /**
   * Requirements on node labels.
   * @default - none
   */
  readonly matchExpressions?: NodeSelectorRequirement[];
  /**
   * Requirements on node fields (only `metadata.name` is supported by Kubernetes).
   * @default - none
   */
  readonly matchFields?: NodeSelectorRequirement[];
}

/** A required node selector (core/v1 `NodeSelector`). Terms are ORed. */
export interface NodeSelector {
  /** The terms; a node matching any one of them qualifies. */
  readonly nodeSelectorTerms: NodeSelectorTerm[];
}

/** A weighted node preference (core/v1 `PreferredSchedulingTerm`). */
export interface PreferredSchedulingTerm {
  /** Weight 1..100. */
  readonly weight: number;
  /** The preferred node term. */
  readonly preference: NodeSelectorTerm;
}

/** Node affinity (core/v1 `NodeAffinity`). */
export interface NodeAffinity {
  /**
   * Hard requirement: pods only go to nodes matching one of the terms.
   * @default - no hard node requirement
   */
  readonly requiredDuringSchedulingIgnoredDuringExecution?: NodeSelector;
  /**
   * Soft preferences.
   * @default - no node preference
   */
  readonly preferredDuringSchedulingIgnoredDuringExecution?: PreferredSchedulingTerm[];
}

/** A pod (anti-)affinity term (core/v1 `PodAffinityTerm`). */
export interface PodAffinityTerm {
  /**
   * The pods this term is about.
   * @default - no pods (the term matches nothing)
   */
  readonly labelSelector?: LabelSelector;
  /**
   * Pod label keys whose values are copied from the incoming pod into the selector.
   * @default - none
   */
  readonly matchLabelKeys?: string[];
  /**
   * Pod label keys whose values must differ from the incoming pod's.
   * @default - none
   */
  readonly mismatchLabelKeys?: string[];
  /**
   * Namespaces whose pods are considered, by label.
   * @default - only `namespaces` (or the pod's own namespace)
   */
  readonly namespaceSelector?: LabelSelector;
  /**
   * Namespaces whose pods are considered, by name.
   * @default - the pod's own namespace
   */
  readonly namespaces?: string[];
  /** Node label defining the topology domain (for example `kubernetes.io/hostname`). */
  readonly topologyKey: string;
}

/** A weighted pod (anti-)affinity term (core/v1 `WeightedPodAffinityTerm`). */
export interface WeightedPodAffinityTerm {
  /** Weight 1..100. */
  readonly weight: number;
  /** The term. */
  readonly podAffinityTerm: PodAffinityTerm;
}

/** Pod affinity or anti-affinity (core/v1 `PodAffinity` / `PodAntiAffinity`). */
export interface PodAffinity {
  /**
   * Hard terms; all must hold.
   * @default - no hard terms
   */
  readonly requiredDuringSchedulingIgnoredDuringExecution?: PodAffinityTerm[];
  /**
   * Soft terms.
   * @default - no soft terms
   */
  readonly preferredDuringSchedulingIgnoredDuringExecution?: WeightedPodAffinityTerm[];
}

/** Affinity (core/v1 `Affinity`). */
export interface Affinity {
  /**
   * Node affinity.
   * @default - none
   */
  readonly nodeAffinity?: NodeAffinity;
  /**
   * Pod affinity.
   * @default - none
   */
  readonly podAffinity?: PodAffinity;
  /**
   * Pod anti-affinity.
   * @default - none
   */
  readonly podAntiAffinity?: PodAffinity;
}

/** Taint effects. */
export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';

/** A toleration (core/v1 `Toleration`). */
export interface Toleration {
  /**
   * The taint key; empty means all keys (then `operator` must be `Exists`).
   * @default - every taint key
   */
  readonly key?: string;
  /**
   * `Equal` compares `value`; `Exists` matches any value.
   * @default - `Equal` (the Kubernetes default)
   */
  readonly operator?: 'Equal' | 'Exists';
  /**
   * The taint value (only with `Equal`).
   * @default - empty value
   */
  readonly value?: string;
  /**
   * The taint effect to tolerate.
   * @default - every effect
   */
  readonly effect?: TaintEffect;
  /**
   * For `NoExecute`: how long the pod stays bound after the taint appears.
   * @default - forever
   */
  readonly tolerationSeconds?: number;
}

/** A topology spread constraint (core/v1 `TopologySpreadConstraint`). */
export interface TopologySpreadConstraint {
  /** Maximum allowed difference in matching pods between two domains (>= 1). */
  readonly maxSkew: number;
  /** Node label defining the domains. */
  readonly topologyKey: string;
  /** What to do when the constraint cannot be met. */
  readonly whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway';
  /**
   * The pods counted per domain.
   * @default - no pods are counted (the constraint has no effect)
   */
  readonly labelSelector?: LabelSelector;
  /**
   * Pod label keys whose values are copied from the incoming pod into the selector.
   * @default - none
   */
  readonly matchLabelKeys?: string[];
  /**
   * Minimum number of eligible domains (only with `DoNotSchedule`).
   * @default - 1
   */
  readonly minDomains?: number;
  /**
   * Whether the pod's node affinity/selector limits the domains considered.
   * @default - `Honor`
   */
  readonly nodeAffinityPolicy?: 'Honor' | 'Ignore';
  /**
   * Whether node taints limit the domains considered.
   * @default - `Ignore`
   */
  readonly nodeTaintsPolicy?: 'Honor' | 'Ignore';
}

/**
 * The scheduling fields a Multigres component accepts; the output of {@link Placement.render}.
 * Spread it into component props or pass the {@link Placement} itself as `placement`.
 */
export interface Scheduling {
  /**
   * Affinity.
   * @default - no affinity
   */
  readonly affinity?: Affinity;
  /**
   * Node labels a node must carry.
   * @default - any node
   */
  readonly nodeSelector?: { [key: string]: string };
  /**
   * Tolerations.
   * @default - no tolerations
   */
  readonly tolerations?: Toleration[];
  /**
   * Topology spread constraints.
   * @default - no spread constraints
   */
  readonly topologySpreadConstraints?: TopologySpreadConstraint[];
}

/** Options of {@link Placement.spread} and {@link Placement.zoneSpread}. */
export interface SpreadOptions {
  /**
   * Maximum allowed difference in pod count between two domains.
   * @default 1
   */
  readonly maxSkew?: number;
  /**
   * Whether an unsatisfiable spread blocks scheduling. `DoNotSchedule` keeps a quorum member Pending
   * rather than co-locating it with another member, which is what a quorum system wants.
   * @default 'DoNotSchedule'
   */
  readonly whenUnsatisfiable?: 'DoNotSchedule' | 'ScheduleAnyway';
  /**
   * Minimum number of domains; with fewer eligible domains the skew is computed as if the missing
   * ones held zero pods (only valid with `DoNotSchedule`).
   * @default - no minimum
   */
  readonly minDomains?: number;
}

/** Options of {@link Placement.distinctNodes}. */
export interface DistinctNodesOptions {
  /**
   * `true`: never put two pods of the component on one node (a pod stays Pending instead).
   * `false`: prefer distinct nodes, co-locate when there is no other choice.
   * @default true
   */
  readonly required?: boolean;
  /**
   * Weight of the preference when `required` is false (1..100).
   * @default 100
   */
  readonly weight?: number;
}

/** Options of {@link Placement.dedicatedNodes}. */
export interface DedicatedNodesOptions {
  /** Taint key on the dedicated nodes, for example `dedicated`. */
  readonly taintKey: string;
  /** Taint value on the dedicated nodes, for example `database`. */
  readonly taintValue: string;
  /**
   * Taint effect on the dedicated nodes.
   * @default 'NoSchedule'
   */
  readonly taintEffect?: TaintEffect;
  /**
   * Node label that marks the dedicated nodes (the taint keeps others off; the label keeps these pods on).
   * @default - the taint key
   */
  readonly nodeLabelKey?: string;
  /**
   * Value of the node label.
   * @default - the taint value
   */
  readonly nodeLabelValue?: string;
}

type Recipe = (selector: LabelSelector) => Scheduling;

/**
 * A composable, immutable placement recipe for the pods of one Multigres component.
 */
export class Placement {
  /** No placement constraints. */
  public static none(): Placement {
    return new Placement([]);
  }

  /**
   * Spread the component's pods evenly over the zones of the cluster
   * (`topologySpreadConstraints` on `topology.kubernetes.io/zone`).
   */
  public static zoneSpread(options: SpreadOptions = {}): Placement {
    return Placement.spread(NodeLabels.ZONE, options);
  }

  /**
   * Spread the component's pods evenly over the domains of a node label.
   * Refuses node labels no node carries (such as `topology.cilium.io/cluster`).
   */
  public static spread(topologyKey: string, options: SpreadOptions = {}): Placement {
    const where = 'placement';
    checkTopologyKey(topologyKey, `${where}: topology key`);
    const maxSkew = options.maxSkew ?? 1;
    checkInteger(maxSkew, 1, undefined, `${where}: maxSkew`);
    const whenUnsatisfiable = options.whenUnsatisfiable ?? 'DoNotSchedule';
    if (options.minDomains !== undefined) {
      checkInteger(options.minDomains, 1, undefined, `${where}: minDomains`);
      if (whenUnsatisfiable !== 'DoNotSchedule') {
        throw new Error(`${where}: minDomains only works with whenUnsatisfiable DoNotSchedule`);
      }
    }
    return new Placement([(selector) => ({
      topologySpreadConstraints: [compact({
        maxSkew,
        topologyKey,
        whenUnsatisfiable,
        labelSelector: selector,
        minDomains: options.minDomains,
      }) as TopologySpreadConstraint],
    })]);
  }

  /**
   * Keep the pods in one region, or one of several (required node affinity on
   * `topology.kubernetes.io/region`).
   */
  public static inRegion(...regions: string[]): Placement {
    return Placement.onNodesWith(NodeLabels.REGION, regions, 'inRegion');
  }

  /**
   * Keep the pods in the given zones (required node affinity on `topology.kubernetes.io/zone`).
   */
  public static inZones(...zones: string[]): Placement {
    return Placement.onNodesWith(NodeLabels.ZONE, zones, 'inZones');
  }

  /**
   * Keep two pods of the component off the same node (pod anti-affinity on `kubernetes.io/hostname`).
   */
  public static distinctNodes(options: DistinctNodesOptions = {}): Placement {
    const required = options.required ?? true;
    const weight = options.weight ?? 100;
    if (required && options.weight !== undefined) {
      throw new Error('placement: distinctNodes weight only applies when required is false');
    }
    checkInteger(weight, 1, 100, 'placement: distinctNodes weight');
    return new Placement([(selector) => {
      const term: PodAffinityTerm = { labelSelector: selector, topologyKey: NodeLabels.HOSTNAME };
      return {
        affinity: {
          podAntiAffinity: required
            ? { requiredDuringSchedulingIgnoredDuringExecution: [term] }
            : { preferredDuringSchedulingIgnoredDuringExecution: [{ weight, podAffinityTerm: term }] },
        },
      };
    }]);
  }

  /**
   * Run on dedicated, tainted nodes: tolerate their taint and require their label.
   */
  public static dedicatedNodes(options: DedicatedNodesOptions): Placement {
    const where = 'placement: dedicatedNodes';
    if (!options.taintKey) throw new Error(`${where} taintKey must not be empty`);
    checkQualifiedName(options.taintKey, `${where} taintKey`);
    checkLabelValue(options.taintValue, `${where} taintValue`);
    const labelKey = options.nodeLabelKey ?? options.taintKey;
    const labelValue = options.nodeLabelValue ?? options.taintValue;
    const nodes = Placement.onNodesWith(labelKey, [labelValue], 'dedicatedNodes');
    return new Placement([
      () => ({
        tolerations: [{
          key: options.taintKey,
          operator: 'Equal',
          value: options.taintValue,
          effect: options.taintEffect ?? 'NoSchedule',
        }],
      }),
      ...nodes.recipes,
    ]);
  }

  /**
   * Require exact node labels (`nodeSelector`).
   */
  public static nodeSelector(labels: { [key: string]: string }): Placement {
    for (const [key, value] of Object.entries(labels)) {
      checkTopologyKey(key, 'placement: nodeSelector key');
      checkQualifiedName(key, 'placement: nodeSelector key');
      checkLabelValue(value, `placement: nodeSelector "${key}" value`);
    }
    return new Placement([() => ({ nodeSelector: sortKeys(labels) })]);
  }

  private static onNodesWith(key: string, values: string[], what: string): Placement {
    if (values.length === 0) throw new Error(`placement: ${what} needs at least one value`);
    checkTopologyKey(key, `placement: ${what} node label`);
    for (const v of values) checkLabelValue(v, `placement: ${what} value`);
    const unique = [...new Set(values)];
    return new Placement([() => ({
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key, operator: 'In', values: unique }] }],
          },
        },
      },
    })]);
  }

  private constructor(private readonly recipes: Recipe[]) {}

  /** This placement and all the others (their terms all apply). */
  public and(...others: Placement[]): Placement {
    return new Placement([...this.recipes, ...others.flatMap(o => o.recipes)]);
  }

  /**
   * Render the scheduling terms for pods selected by `selectorLabels`
   * (use the component's `selectorLabels`).
   * @param where names the object in error messages
   */
  public render(selectorLabels: { [key: string]: string }, where: string = 'placement'): Scheduling {
    if (this.recipes.length > 0 && Object.keys(selectorLabels).length === 0) {
      throw new Error(`${where}: placement needs the component's selector labels (got none)`);
    }
    const selector: LabelSelector = { matchLabels: sortKeys(selectorLabels) };
    return this.recipes.reduce<Scheduling>((acc, recipe) => mergeScheduling(acc, recipe(selector), where), {});
  }
}

/**
 * Combine two sets of scheduling terms so that both apply:
 * required node affinity terms are ANDed (Kubernetes ORs `nodeSelectorTerms`, so the terms are
 * multiplied out), lists are concatenated, `nodeSelector` maps are merged (a key set to two different
 * values is an error), and two spread constraints on one topology key and `whenUnsatisfiable` are an
 * error (the API server rejects them).
 */
export function mergeScheduling(a: Scheduling, b: Scheduling, where: string): Scheduling {
  const nodeSelector = mergeNodeSelector(a.nodeSelector, b.nodeSelector, where);
  const tolerations = dedupe([...(a.tolerations ?? []), ...(b.tolerations ?? [])]);
  const tsc = [...(a.topologySpreadConstraints ?? []), ...(b.topologySpreadConstraints ?? [])];
  const seen = new Set<string>();
  for (const c of tsc) {
    const k = `${c.topologyKey}\u0000${c.whenUnsatisfiable}`;
    if (seen.has(k)) {
      throw new Error(`${where}: two topologySpreadConstraints on "${c.topologyKey}" with ${c.whenUnsatisfiable}; kubernetes allows one per topology key and whenUnsatisfiable`);
    }
    seen.add(k);
  }
  return compact({
    affinity: mergeAffinity(a.affinity, b.affinity),
    nodeSelector,
    tolerations: tolerations.length ? tolerations : undefined,
    topologySpreadConstraints: tsc.length ? tsc : undefined,
  }) as Scheduling;
}

function mergeNodeSelector(a: { [k: string]: string } | undefined, b: { [k: string]: string } | undefined, where: string) {
  if (!a) return b ? sortKeys(b) : undefined;
  if (!b) return sortKeys(a);
  const out: { [k: string]: string } = { ...a };
  for (const [k, v] of Object.entries(b)) {
    if (k in out && out[k] !== v) {
      throw new Error(`${where}: nodeSelector "${k}" is set to both "${out[k]}" and "${v}"`);
    }
    out[k] = v;
  }
  return sortKeys(out);
}

function mergeAffinity(a: Affinity | undefined, b: Affinity | undefined): Affinity | undefined {
  if (!a) return b;
  if (!b) return a;
  return compact({
    nodeAffinity: mergeNodeAffinity(a.nodeAffinity, b.nodeAffinity),
    podAffinity: mergePodAffinity(a.podAffinity, b.podAffinity),
    podAntiAffinity: mergePodAffinity(a.podAntiAffinity, b.podAntiAffinity),
  }) as Affinity;
}

function mergeNodeAffinity(a: NodeAffinity | undefined, b: NodeAffinity | undefined): NodeAffinity | undefined {
  if (!a) return b;
  if (!b) return a;
  const ra = a.requiredDuringSchedulingIgnoredDuringExecution;
  const rb = b.requiredDuringSchedulingIgnoredDuringExecution;
  let required: NodeSelector | undefined = ra ?? rb;
  if (ra && rb) {
    // (a1 OR a2) AND (b1 OR b2) = a1b1 OR a1b2 OR a2b1 OR a2b2
    const terms: NodeSelectorTerm[] = [];
    for (const ta of ra.nodeSelectorTerms) {
      for (const tb of rb.nodeSelectorTerms) {
        terms.push(compact({
          matchExpressions: concatOrUndefined(ta.matchExpressions, tb.matchExpressions),
          matchFields: concatOrUndefined(ta.matchFields, tb.matchFields),
        }) as NodeSelectorTerm);
      }
    }
    required = { nodeSelectorTerms: terms };
  }
  return compact({
    requiredDuringSchedulingIgnoredDuringExecution: required,
    preferredDuringSchedulingIgnoredDuringExecution: concatOrUndefined(
      a.preferredDuringSchedulingIgnoredDuringExecution, b.preferredDuringSchedulingIgnoredDuringExecution),
  }) as NodeAffinity;
}

function mergePodAffinity(a: PodAffinity | undefined, b: PodAffinity | undefined): PodAffinity | undefined {
  if (!a) return b;
  if (!b) return a;
  return compact({
    requiredDuringSchedulingIgnoredDuringExecution: concatOrUndefined(
      a.requiredDuringSchedulingIgnoredDuringExecution, b.requiredDuringSchedulingIgnoredDuringExecution),
    preferredDuringSchedulingIgnoredDuringExecution: concatOrUndefined(
      a.preferredDuringSchedulingIgnoredDuringExecution, b.preferredDuringSchedulingIgnoredDuringExecution),
  }) as PodAffinity;
}

/**
 * Check scheduling terms against the Kubernetes API rules the API server would enforce, and refuse
 * node labels no node carries. `where` names the object, e.g. `etcd "topo"`.
 */
export function validateScheduling(s: Scheduling, where: string): void {
  for (const [key, value] of Object.entries(s.nodeSelector ?? {})) {
    checkTopologyKey(key, `${where}: nodeSelector key`);
    checkQualifiedName(key, `${where}: nodeSelector key`);
    checkLabelValue(value, `${where}: nodeSelector "${key}" value`);
  }
  (s.topologySpreadConstraints ?? []).forEach((c, i) => {
    const at = `${where}: topologySpreadConstraints[${i}]`;
    checkTopologyKey(c.topologyKey, `${at}.topologyKey`);
    checkInteger(c.maxSkew, 1, undefined, `${at}.maxSkew`);
    if (c.whenUnsatisfiable !== 'DoNotSchedule' && c.whenUnsatisfiable !== 'ScheduleAnyway') {
      throw new Error(`${at}.whenUnsatisfiable must be DoNotSchedule or ScheduleAnyway (got "${c.whenUnsatisfiable}")`);
    }
    if (c.minDomains !== undefined) {
      checkInteger(c.minDomains, 1, undefined, `${at}.minDomains`);
      if (c.whenUnsatisfiable !== 'DoNotSchedule') {
        throw new Error(`${at}.minDomains only works with whenUnsatisfiable DoNotSchedule`);
      }
    }
    if (c.labelSelector) checkLabelSelector(c.labelSelector, `${at}.labelSelector`);
  });
  (s.tolerations ?? []).forEach((t, i) => {
    const at = `${where}: tolerations[${i}]`;
    if (t.operator === 'Exists' && t.value) throw new Error(`${at}: operator Exists takes no value (got "${t.value}")`);
    if (!t.key && t.operator !== 'Exists') throw new Error(`${at}: an empty key needs operator Exists`);
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') {
      throw new Error(`${at}: tolerationSeconds only applies to effect NoExecute`);
    }
  });
  const na = s.affinity?.nodeAffinity;
  if (na) {
    const req = na.requiredDuringSchedulingIgnoredDuringExecution;
    if (req && req.nodeSelectorTerms.length === 0) {
      throw new Error(`${where}: affinity.nodeAffinity required nodeSelectorTerms must not be empty`);
    }
    (req?.nodeSelectorTerms ?? []).forEach((t, i) =>
      checkNodeTerm(t, `${where}: affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[${i}]`));
    (na.preferredDuringSchedulingIgnoredDuringExecution ?? []).forEach((p, i) => {
      const at = `${where}: affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
      checkInteger(p.weight, 1, 100, `${at}.weight`);
      checkNodeTerm(p.preference, `${at}.preference`);
    });
  }
  for (const kind of ['podAffinity', 'podAntiAffinity'] as const) {
    const pa = s.affinity?.[kind];
    if (!pa) continue;
    (pa.requiredDuringSchedulingIgnoredDuringExecution ?? []).forEach((t, i) =>
      checkPodTerm(t, `${where}: affinity.${kind}.requiredDuringSchedulingIgnoredDuringExecution[${i}]`));
    (pa.preferredDuringSchedulingIgnoredDuringExecution ?? []).forEach((w, i) => {
      const at = `${where}: affinity.${kind}.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
      checkInteger(w.weight, 1, 100, `${at}.weight`);
      checkPodTerm(w.podAffinityTerm, `${at}.podAffinityTerm`);
    });
  }
}

function checkNodeTerm(t: NodeSelectorTerm, at: string) {
  (t.matchExpressions ?? []).forEach((e, i) => {
    checkTopologyKey(e.key, `${at}.matchExpressions[${i}].key`);
    checkRequirement(e, `${at}.matchExpressions[${i}]`);
  });
  (t.matchFields ?? []).forEach((e, i) => checkRequirement(e, `${at}.matchFields[${i}]`));
}

function checkPodTerm(t: PodAffinityTerm, at: string) {
  checkTopologyKey(t.topologyKey, `${at}.topologyKey`);
  if (t.labelSelector) checkLabelSelector(t.labelSelector, `${at}.labelSelector`);
}

function checkLabelSelector(sel: LabelSelector, at: string) {
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) {
    checkQualifiedName(k, `${at}.matchLabels key`);
    checkLabelValue(v, `${at}.matchLabels "${k}" value`);
  }
  (sel.matchExpressions ?? []).forEach((e, i) => checkRequirement(e, `${at}.matchExpressions[${i}]`));
}

function checkRequirement(e: { key: string; operator: string; values?: string[] }, at: string) {
  const n = e.values?.length ?? 0;
  switch (e.operator) {
    case 'In':
    case 'NotIn':
      if (n === 0) throw new Error(`${at}: operator ${e.operator} needs at least one value`);
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (n > 0) throw new Error(`${at}: operator ${e.operator} takes no values`);
      break;
    case 'Gt':
    case 'Lt':
      if (n !== 1 || !/^-?[0-9]+$/.test(e.values![0])) {
        throw new Error(`${at}: operator ${e.operator} needs exactly one integer value`);
      }
      break;
    default:
      throw new Error(`${at}: unknown operator "${e.operator}"`);
  }
}

/**
 * Refuse a topology key or node label that no node carries.
 * @param what how the message names the key, e.g. `etcd "topo": topologySpreadConstraints[0].topologyKey`
 */
export function checkTopologyKey(key: string, what: string): void {
  if (!key) throw new Error(`${what} must not be empty`);
  const problem = nodeLabelKeyProblem(key);
  if (problem) throw new Error(`${what} "${key}" ${problem}`);
}

/** Why no node carries label `key` (so scheduling on it never matches), or undefined. */
export function nodeLabelKeyProblem(key: string): string | undefined {
  if (!Object.prototype.hasOwnProperty.call(KEYS_NO_NODE_CARRIES, key)) return undefined;
  return `is a label no node carries (${KEYS_NO_NODE_CARRIES[key]}); kube-scheduler sees only its own cluster's nodes, so spread across clusters by placing one workload per cluster`;
}

// ---------------------------------------------------------------------------------------------
// small shared validators (also used by the component constructs)

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** @internal */
export function checkQualifiedName(key: string, what: string): void {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const ok = name.length <= 63 && LABEL_NAME.test(name)
    && (prefix === undefined || (prefix.length <= 253 && DNS1123_SUBDOMAIN.test(prefix)));
  if (!ok) throw new Error(`${what} "${key}" is not a valid label or annotation key`);
}

/** @internal */
export function checkLabelValue(value: string, what: string): void {
  if (typeof value !== 'string' || value.length > 63 || !LABEL_VALUE.test(value)) {
    throw new Error(`${what} "${value}" is not a valid label value (at most 63 characters: letters, digits, '-', '_', '.', starting and ending with a letter or digit)`);
  }
}

/** @internal */
export function checkInteger(value: number, min: number, max: number | undefined, what: string): void {
  if (!Number.isInteger(value) || value < min || (max !== undefined && value > max)) {
    const range = max === undefined ? `>= ${min}` : `in ${min}..${max}`;
    throw new Error(`${what} must be a whole number ${range} (got ${value})`);
  }
}

/** Copy of a string map with keys in sorted order (deterministic output). @internal */
export function sortKeys<T>(map: { [key: string]: T }): { [key: string]: T } {
  const out: { [key: string]: T } = {};
  for (const k of Object.keys(map).sort()) out[k] = map[k];
  return out;
}

/** Drop undefined members, keeping key order. @internal */
export function compact<T extends object>(obj: T): Partial<T> {
  const out: any = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) out[k] = v;
  return out;
}

function concatOrUndefined<T>(a: T[] | undefined, b: T[] | undefined): T[] | undefined {
  if (!a) return b;
  if (!b) return a;
  return [...a, ...b];
}

function dedupe<T>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter(i => {
    const k = JSON.stringify(i);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
