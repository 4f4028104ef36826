/**
 * Where what a cluster runs comes from, compared across a change of the fleet description: chart
 * repository and version, images, Git repositories and revisions, projects, namespaces. A change of
 * source (another chart repository, image repository or Git repository) is what a hostile pull request
 * would make to swap what every cluster runs, so `plan` refuses it unless the change is acknowledged.
 */
import { Fleet } from '../fleet/fleet';
import { PROBE_IMAGE } from '../fleet/probe';

/** One setting that changed. */
export interface SourceChange {
  /** The fleet.yaml field. */
  readonly field: string;
  /** Its value before the change (`(default)` when not set). */
  readonly before: string;
  /** Its value after the change (`(default)` when not set). */
  readonly after: string;
  /** What the change means for the clusters. */
  readonly meaning: string;
  /** True when it moves a source: refused unless acknowledged (`plan --allow-source-change`). */
  readonly source: boolean;
}

const DEFAULT = '(default)';

/** An image reference without its tag or digest: the registry and repository it is pulled from. */
export function imageRepository(image: string): string {
  const noDigest = image.split('@')[0];
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

interface Setting {
  readonly field: string;
  readonly get: (f: Fleet) => string | undefined;
  readonly meaning: string;
  /**
   * Whether a change moves a source; a function for fields where only part of the value is the source.
   * A source set where there was none (a target or the probe added) is a move too: it is a new place
   * the clusters take what they run from. Only dropping one (the value becomes unset) moves nothing.
   */
  readonly source: boolean | ((before: string, after: string) => boolean);
}

/** JSON with every object's keys sorted and undefined left out: the same settings in another order compare equal. */
function sortedJson(value: unknown): string {
  const sort = (v: unknown): unknown => (v !== null && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, x]) => [k, sort(x)])) : v);
  return JSON.stringify(sort(value));
}

// The apiserver settings are compared as given: each platform's defaults are meshfleet's (each cluster's values change shows what they do).
const SETTINGS: readonly Setting[] = [
  { field: 'cilium.chartUrl', get: (f) => f.cilium.chartUrl, meaning: 'every cluster installs Cilium from another chart repository', source: true },
  { field: 'cilium.namespace', get: (f) => f.cilium.namespace, meaning: 'every cluster installs Cilium into another namespace (a second Cilium beside the first)', source: true },
  // How the clustermesh-apiserver is reached, with its values: an internet-facing scheme is something to see.
  { field: 'cilium.apiserver.serviceType', get: (f) => f.cilium.apiserver.serviceType, meaning: 'every clustermesh-apiserver is exposed another way', source: false },
  { field: 'cilium.apiserver.annotations', get: (f) => (f.cilium.apiserver.annotations ? sortedJson(f.cilium.apiserver.annotations) : undefined), meaning: 'the clustermesh-apiserver Service annotations change (how and where its load balancer is exposed)', source: false },
  { field: 'cilium.apiserver.loadBalancerClass', get: (f) => f.cilium.apiserver.loadBalancerClass, meaning: 'another controller provisions the clustermesh-apiserver load balancer', source: false },
  { field: 'cilium.apiserver.platforms', get: (f) => (Object.values(f.cilium.apiserver.platforms).some((p) => p && Object.values(p).some((v) => v !== undefined)) ? sortedJson(f.cilium.apiserver.platforms) : undefined), meaning: 'a platform\'s clustermesh-apiservers are exposed another way', source: false },
  { field: 'cilium.kubeProxyReplacement', get: (f) => (f.cilium.kubeProxyReplacement ? JSON.stringify(f.cilium.kubeProxyReplacement) : undefined), meaning: 'how every node handles Services and reaches its API server changes', source: false },
  { field: 'cilium.tls.certManagerNamespace', get: (f) => f.cilium.tls.certManagerNamespace, meaning: 'the mesh CA\'s Secret and issuer move to another namespace', source: false },
  // Enabling the probe compares its image with the default's: an attacker's image is a move even where there was no probe.
  { field: 'probe.image', get: (f) => f.probe?.image, meaning: 'every cluster runs the probe from this image', source: (a, b) => imageRepository(a === DEFAULT ? PROBE_IMAGE : a) !== imageRepository(b) },
  { field: 'probe.namespace', get: (f) => f.probe?.namespace, meaning: 'the probe moves to another namespace in every cluster', source: false },
  { field: 'multigres.namespace', get: (f) => f.multigres?.namespace, meaning: 'every Multigres object moves to another namespace (its data stays behind)', source: false },
  { field: 'multigres.networkPolicies', get: (f) => (f.multigres ? String(f.multigres.networkPolicies) : undefined), meaning: 'the CiliumNetworkPolicies that admit exactly the Multigres traffic are added or dropped', source: false },
  { field: 'probe.networkPolicies', get: (f) => (f.probe ? String(f.probe.networkPolicies) : undefined), meaning: 'the probe\'s CiliumNetworkPolicies are added or dropped', source: false },
  { field: 'multigres.operatorVersion', get: (f) => f.props.multigres?.operatorVersion, meaning: 'the Multigres objects are written for another operator release', source: false },
  { field: 'argocd.repoURL', get: (f) => f.argocd?.repoURL, meaning: 'Argo CD takes every Application of the fleet from another Git repository', source: true },
  { field: 'argocd.targetRevision', get: (f) => f.argocd?.targetRevision, meaning: 'Argo CD follows another revision of the repository (whoever can push to it decides what runs)', source: true },
  { field: 'argocd.project', get: (f) => f.argocd?.project, meaning: 'the fleet\'s Applications move to another AppProject (another set of grants)', source: false },
  { field: 'argocd.namespace', get: (f) => f.argocd?.namespace, meaning: 'the fleet\'s Applications and projects move to another Argo CD namespace', source: false },
  { field: 'flux.repoURL', get: (f) => f.flux?.repoURL, meaning: 'every cluster\'s Flux takes the fleet from another Git repository', source: true },
  { field: 'flux.branch', get: (f) => f.flux?.branch, meaning: 'every cluster\'s Flux follows another branch (whoever can push to it decides what runs)', source: true },
  { field: 'flux.secretRef', get: (f) => f.flux?.secretRef, meaning: 'every cluster\'s Flux clones the repository with other credentials', source: false },
  { field: 'flux.namespace', get: (f) => f.flux?.namespace, meaning: 'the fleet\'s Flux objects move to another namespace', source: false },
  { field: 'plural.repository', get: (f) => f.plural.repository, meaning: 'Plural takes every service of the fleet from another Git repository object', source: true },
  { field: 'plural.identifier', get: (f) => f.plural.identifier, meaning: 'the PR automations open pull requests against another repository', source: true },
  { field: 'plural.gitRef', get: (f) => f.plural.gitRef, meaning: 'Plural follows another branch or tag (whoever can push to it decides what runs)', source: true },
  { field: 'plural.namespace', get: (f) => f.plural.namespace, meaning: 'the fleet\'s Plural objects move to another namespace', source: false },
  { field: 'plural.scmConnection', get: (f) => f.plural.scmConnection, meaning: 'the PR automations use another SCM connection (other credentials)', source: true },
  { field: 'plural.mgmtCluster', get: (f) => f.plural.mgmtCluster, meaning: 'the infrastructure stacks run on another management cluster', source: false },
  { field: 'plural.fleetFile', get: (f) => f.plural.fleetFile, meaning: 'the PR automations edit another file as the fleet description', source: true },
  { field: 'plural.terraformFolder', get: (f) => JSON.stringify(f.plural.terraformFolders), meaning: 'every stack runs Terraform from another folder', source: true },
  { field: 'plural.terraformVersion', get: (f) => f.plural.terraformVersion, meaning: 'every stack runs another Terraform release', source: false },
  { field: 'plural.actor', get: (f) => f.plural.actor, meaning: 'the stacks run as another Plural user', source: false },
];

/** Every change of where what the clusters run comes from, in the order of `SETTINGS`. */
export function compareSources(before: Fleet, after: Fleet): SourceChange[] {
  const out: SourceChange[] = [];
  for (const s of SETTINGS) {
    const a = s.get(before) ?? DEFAULT;
    const b = s.get(after) ?? DEFAULT;
    if (a === b) continue;
    const source = b !== DEFAULT && (typeof s.source === 'function' ? s.source(a, b) : s.source);
    out.push({ field: s.field, before: a, after: b, meaning: s.meaning, source });
  }
  return out;
}
