/**
 * The Kubernetes core/v1 scheduling types as the Multigres component CRDs embed them (`affinity`,
 * `nodeSelector`, `tolerations`, `topologySpreadConstraints`), with string unions where Kubernetes
 * has a closed set of values (the generated L1s and cdk8s-plus-30's `k8s` types say `string`).
 */

import type { LabelSelectorRequirement } from '../k8s/selectors';

export type { LabelSelectorOperator, LabelSelectorRequirement } from '../k8s/selectors';

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
