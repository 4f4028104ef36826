/** Merging and checking scheduling terms (the API server's rules, and labels no node carries), and the small validators the component constructs share. */
import { DNS_SUBDOMAIN, QUALIFIED_NAME } from '../k8s/names';
import type { Affinity, LabelSelector, NodeAffinity, NodeSelector, NodeSelectorTerm, PodAffinity, PodAffinityTerm, Scheduling } from './scheduling';

/**
 * Topology keys that look plausible but are carried by no node, with the reason.
 * Scheduling terms using them never match (required terms leave pods Pending forever).
 */
const KEYS_NO_NODE_CARRIES: Record<string, string> = {
  'topology.cilium.io/cluster': 'cilium sets no such node label',
  'io.cilium.k8s.policy.cluster': 'it is a cilium identity label on endpoints, not a node label',
};

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

const DNS1123_SUBDOMAIN = DNS_SUBDOMAIN;
const LABEL_NAME = QUALIFIED_NAME;
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
