/**
 * Placement: Kubernetes scheduling terms for Multigres component pods.
 *
 * The scheduling types are in `scheduling.ts`, their merging and checks in `scheduling-checks.ts`
 * (both re-exported here).
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

import { checkInteger, checkLabelValue, checkQualifiedName, checkTopologyKey, compact, mergeScheduling, sortKeys } from './scheduling-checks';
import type { LabelSelector, PodAffinityTerm, Scheduling, TaintEffect, TopologySpreadConstraint } from './scheduling';

export type { LabelSelectorOperator, LabelSelectorRequirement, LabelSelector, NodeSelectorOperator, NodeSelectorRequirement, NodeSelectorTerm, NodeSelector, PreferredSchedulingTerm, NodeAffinity, PodAffinityTerm, WeightedPodAffinityTerm, PodAffinity, Affinity, TaintEffect, Toleration, TopologySpreadConstraint, Scheduling } from './scheduling';
export { mergeScheduling, validateScheduling, checkTopologyKey, nodeLabelKeyProblem, checkQualifiedName, checkLabelValue, checkInteger, sortKeys, compact } from './scheduling-checks';

/** Well-known node labels used by the placement helpers. */
export const NodeLabels = {
  /** Zone of a node (set by the cloud provider / kubelet). */
  ZONE: 'topology.kubernetes.io/zone',
  /** Region of a node (set by the cloud provider / kubelet). */
  REGION: 'topology.kubernetes.io/region',
  /** Node name (set by the kubelet on every node). */
  HOSTNAME: 'kubernetes.io/hostname',
} as const;


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
