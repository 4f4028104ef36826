/** The Multigres invariants, checked on what each cluster receives from any delivery target. */
import { ciliumAnnotationProblems, CiliumAnnotation } from '../cilium/annotations';
import { MULTIGRES_DEFAULT_TRAFFIC } from '../multigres/network-policy';
import { Fleet } from '../fleet/fleet';
import { MultigresComponentKind, multigresOperatorLabels } from '../multigres/common';
import { multigresClusterLabels } from '../multigres/multigres-cluster';
import { Delivered } from './delivered';

type Obj = Record<string, any>;

const KIND_TO_COMPONENT: Record<string, MultigresComponentKind> = {
  Etcd: 'etcd',
  MultiGateway: 'multigateway',
  MultiOrch: 'multiorch',
  MultiPooler: 'multipooler',
};

/**
 * Which other components a component needs to reach (gateway -> pooler and topology; orchestrator ->
 * pooler and topology; pooler -> topology), derived from the traffic table the network policies admit.
 */
const DEPENDS_ON = dependencies();

function dependencies(): Record<MultigresComponentKind, MultigresComponentKind[]> {
  const out: Record<MultigresComponentKind, MultigresComponentKind[]> = { etcd: [], multigateway: [], multiorch: [], multipooler: [] };
  const kinds = Object.keys(MULTIGRES_DEFAULT_TRAFFIC) as MultigresComponentKind[];
  for (const target of [...kinds].reverse()) {
    for (const rule of MULTIGRES_DEFAULT_TRAFFIC[target]) {
      for (const consumer of rule.from) {
        if (consumer !== target && !out[consumer].includes(target)) out[consumer].push(target);
      }
    }
  }
  return out;
}

/** Names that must never appear: not current, or not existing at all. */
const FORBIDDEN_NAMES = ['io.cilium/', 'io.cilium.proxy-visibility', 'hubble.cilium.io/visibility', 'policy.cilium.io/proxy-visibility', 'topology.cilium.io/cluster'];

interface Pods {
  readonly cluster: string;
  readonly component: MultigresComponentKind;
  readonly namespace: string;
  readonly labels: Record<string, string>;
}

/**
 * Checks what Plural would deploy to each cluster for the Multigres side of a fleet, returning one
 * line per violation:
 * - every component that needs another (gateway -> pooler, etcd; orchestrator -> pooler, etcd;
 *   pooler -> etcd) finds it locally or through a global Service (`service.cilium.io/global: "true"`)
 *   present in its own cluster and, with the same name and namespace, in a cluster of its mesh whose
 *   Multigres pods that Service selects;
 * - no legacy (`io.cilium/*`) or non-existent (`hubble.cilium.io/visibility`,
 *   `policy.cilium.io/proxy-visibility`, `topology.cilium.io/cluster`) name appears anywhere;
 * - every annotation passes the Cilium annotation rules (shared/affinity only on global Services, ...);
 * - no CiliumNetworkPolicy selects peers with `fromCIDR`/`fromCIDRSet` (meshed pods carry identities).
 */
export function checkMultigres(fleet: Fleet, simulated: Delivered, files: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  for (const [path, text] of files) {
    for (const name of FORBIDDEN_NAMES) {
      if (text.includes(name)) problems.push(`${path}: contains "${name}", which is legacy or does not exist`);
    }
  }
  const { pods, globals, manifestsOf } = collectDelivered(simulated, problems);
  const topoDeps = topologyDependencies(manifestsOf, pods);
  problems.push(...unreachable(fleet, pods, globals, topoDeps));
  // A global Service that selects nothing anywhere is a dangling half of a pair.
  for (const [key, sides] of globals) {
    const served = sides.some((s) => pods.some((q) => q.cluster === s.cluster && `${q.namespace}/` === `${key.split('/')[0]}/` && selects(s.selector, q)));
    if (!served) problems.push(`global Service ${key} (in ${sides.map((s) => s.cluster).join(', ')}) selects Multigres pods in no cluster`);
  }
  return problems;
}

type GlobalSides = Map<string, Array<{ cluster: string; selector: Record<string, string> }>>;
type TopoDependency = { cluster: string; namespace: string; service: string; where: string };

/** True when a non-empty selector selects the pods. */
function selects(selector: Record<string, string>, p: Pods): boolean {
  return Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => p.labels[k] === v);
}

/** The Multigres pods, global Services and manifests each cluster receives; annotation and policy problems on the way. */
function collectDelivered(simulated: Delivered, problems: string[]): { pods: Pods[]; globals: GlobalSides; manifestsOf: Map<string, Obj[]> } {
  const pods: Pods[] = [];
  const globals: GlobalSides = new Map();
  const manifestsOf = new Map<string, Obj[]>();
  for (const [cluster, services] of simulated) {
    const manifests = services.flatMap((s) => s.manifests as Obj[]);
    manifestsOf.set(cluster, manifests);
    for (const m of manifests) {
      const where = `cluster "${cluster}": ${m.kind} ${m.metadata?.namespace ?? ''}/${m.metadata?.name}`;
      for (const field of [m.metadata?.annotations, m.spec?.podAnnotations, m.spec?.serviceAnnotations, m.spec?.externalGateway?.annotations]) {
        problems.push(...ciliumAnnotationProblems(field, where));
      }
      const component = m.apiVersion?.startsWith('multigres.com/') ? KIND_TO_COMPONENT[m.kind] : undefined;
      if (component) {
        pods.push({
          cluster,
          component,
          namespace: m.metadata?.namespace ?? '',
          labels: { ...(m.spec?.podLabels ?? {}), ...multigresOperatorLabels(m.metadata.name, component, m.spec?.cellName) },
        });
      }
      // Multigres's global Services (other global Services, such as the probe's, are checked by their own checker).
      if (m.kind === 'Service' && m.metadata?.annotations?.[CiliumAnnotation.GLOBAL] === 'true' && m.metadata?.labels?.['app.kubernetes.io/part-of'] === 'multigres') {
        const key = `${m.metadata.namespace}/${m.metadata.name}`;
        globals.set(key, [...(globals.get(key) ?? []), { cluster, selector: m.spec?.selector ?? {} }]);
      }
      if (m.kind === 'CiliumNetworkPolicy' || m.kind === 'CiliumClusterwideNetworkPolicy') {
        for (const rule of [...(m.spec?.ingress ?? []), ...(m.specs ?? []).flatMap((s: Obj) => s.ingress ?? [])]) {
          if (rule.fromCIDR || rule.fromCIDRSet) problems.push(`${where}: selects peers with fromCIDR; meshed pods carry identities, use fromEndpoints with io.cilium.k8s.policy.cluster`);
        }
      }
    }
  }
  return { pods, globals, manifestsOf };
}

/** The etcd pods of MultigresClusters that run their own, and the external topology servers they name (added to pods). */
function topologyDependencies(manifestsOf: ReadonlyMap<string, Obj[]>, pods: Pods[]): TopoDependency[] {
  const topoDeps: TopoDependency[] = [];
  for (const [cluster, manifests] of manifestsOf) {
    for (const m of manifests.filter((x) => x.kind === 'MultigresCluster')) {
      const topo = m.spec?.globalTopoServer ?? {};
      if (topo.etcd) {
        pods.push({
          cluster,
          component: 'etcd',
          namespace: m.metadata?.namespace ?? '',
          labels: multigresClusterLabels(m.metadata.name, 'toposerver'),
        });
      }
      for (const endpoint of topo.external?.endpoints ?? []) {
        const host = /^https?:\/\/([a-z0-9-]+)\.([a-z0-9-]+)\.svc(?:\.cluster\.local)?:\d+$/.exec(endpoint);
        if (host) topoDeps.push({ cluster, service: host[1], namespace: host[2], where: `MultigresCluster ${m.metadata?.namespace}/${m.metadata?.name}` });
      }
    }
  }
  return topoDeps;
}

/** Every component whose dependency runs nowhere it can reach, and every topology server no twin serves. */
function unreachable(fleet: Fleet, pods: readonly Pods[], globals: GlobalSides, topoDeps: readonly TopoDependency[]): string[] {
  const problems: string[] = [];
  for (const p of pods) {
    const mesh = fleet.cluster(p.cluster).mesh;
    for (const dep of DEPENDS_ON[p.component]) {
      if (pods.some((q) => q.cluster === p.cluster && q.component === dep && q.namespace === p.namespace)) continue;
      // Needed from another cluster: a global Service here whose same-named twin selects such pods there.
      const reachable = [...globals].some(([key, sides]) => {
        if (!key.startsWith(`${p.namespace}/`) || !sides.some((s) => s.cluster === p.cluster)) return false;
        return sides.some((s) => s.cluster !== p.cluster && fleet.cluster(s.cluster).mesh === mesh
          && pods.some((q) => q.cluster === s.cluster && q.component === dep && selects(s.selector, q)));
      });
      if (!reachable) {
        problems.push(`cluster "${p.cluster}": ${p.component} "${p.labels['app.kubernetes.io/instance']}" needs a ${dep}, which runs in no cluster `
          + `it can reach: no global Service in ${p.namespace} here has a same-named twin selecting ${dep} pods in another cluster of mesh "${mesh}"`);
      }
    }
  }
  for (const t of topoDeps) {
    const sides = globals.get(`${t.namespace}/${t.service}`) ?? [];
    const mesh = fleet.cluster(t.cluster).mesh;
    const ok = sides.some((x) => x.cluster === t.cluster) && sides.some((x) => x.cluster !== t.cluster && fleet.cluster(x.cluster).mesh === mesh
      && pods.some((q) => q.cluster === x.cluster && q.component === 'etcd' && selects(x.selector, q)));
    if (!ok) {
      problems.push(`cluster "${t.cluster}": ${t.where} uses the topology server at ${t.service}.${t.namespace}, but no global Service of that name here has a twin selecting etcd pods in another cluster of mesh "${mesh}"`);
    }
  }
  return problems;
}
