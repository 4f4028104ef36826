/** The fleet's delivery settings: which targets to write, and the syntax of each target's section (their defaults belong to the targets). */
import { FaultCollector } from './errors';
import { DEFAULT_TERRAFORM_FOLDERS, DISTROS } from './platform';
import { DeliveryTarget, Distro, FleetProps, PluralOptions } from './props';
import { dnsLabelProblem, dnsSubdomainProblem } from '../k8s/names';
import { gitRefProblem, repoPathProblem } from './rules';

/** Every delivery target meshfleet has. */
export const DELIVERY_TARGETS: readonly DeliveryTarget[] = ['plural', 'argocd', 'flux', 'local'];

/** The targets a fleet is delivered by, each once, in the order given (default: Plural). */
export function resolveTargets(props: FleetProps, faults: FaultCollector): DeliveryTarget[] {
  const given = props.targets ?? ['plural'];
  if (!Array.isArray(given)) return ['plural'];
  if (given.length === 0) faults.add('targets', `fleet: targets must name at least one of ${DELIVERY_TARGETS.join(', ')} (or be left out for plural)`);
  const out: DeliveryTarget[] = [];
  given.forEach((t, i) => {
    if (!DELIVERY_TARGETS.includes(t)) {
      const hint = DELIVERY_TARGETS.find((k) => typeof t === 'string' && (k.startsWith(t.toLowerCase()) || t.toLowerCase().startsWith(k)));
      faults.add(`targets[${i}]`, `fleet: targets[${i}] ${JSON.stringify(t)} is not a delivery target; use ${`${DELIVERY_TARGETS.slice(0, -1).join(', ')} or ${DELIVERY_TARGETS[DELIVERY_TARGETS.length - 1]}`}${hint ? ` (did you mean "${hint}"?)` : ''}`);
      return;
    }
    if (out.includes(t)) faults.add(`targets[${i}]`, `fleet: targets lists "${t}" twice`);
    else out.push(t);
  });
  if (out.includes('argocd') && typeof props.argocd?.repoURL !== 'string') {
    faults.add('argocd.repoURL', 'fleet: argocd.repoURL is required when targets lists argocd (the Git URL Argo CD clones this repository from)');
  }
  if (out.includes('flux') && typeof props.flux?.repoURL !== 'string') {
    faults.add('flux.repoURL', 'fleet: flux.repoURL is required when targets lists flux (the Git URL each cluster\'s Flux clones this repository from)');
  }
  if (out.includes('argocd') && props.argocd?.project === undefined && props.name === 'default') {
    faults.add('argocd.project', 'fleet: argocd.project must be set for a fleet named "default": the project would otherwise be Argo CD\'s built-in "default" project');
  }
  return out;
}

/** Why `url` is not a Git URL Argo CD can clone without credentials in it, or undefined. */
export function gitUrlProblem(url: string): string | undefined {
  if (url.length > 2048) return `is ${url.length} characters long; at most 2048 are allowed`;
  const scp = /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[A-Za-z0-9._~\-/]+$/.exec(url);
  if (scp) return url.includes('..') ? 'must not contain ".."' : undefined;
  const m = /^(https?|ssh):\/\/(?:([^@/]*)@)?([A-Za-z0-9.-]+)(:[0-9]{1,5})?(\/[A-Za-z0-9._~\-/]*)$/.exec(url);
  if (!m) return 'must be a Git URL such as "https://github.com/org/repo.git" or "git@github.com:org/repo.git"';
  if (m[2] !== undefined && (m[1] !== 'ssh' || m[2].includes(':'))) {
    return 'must not carry credentials; register the repository (and its credentials) in Argo CD instead';
  }
  if (m[5].split('/').includes('..')) return 'must not contain ".."';
  return undefined;
}

/** The rule of each plural.* string field. */
const PLURAL_RULES: Record<string, (v: string) => string | undefined> = {
  namespace: dnsLabelProblem,
  repository: dnsSubdomainProblem,
  scmConnection: dnsSubdomainProblem,
  mgmtCluster: dnsSubdomainProblem,
  gitRef: gitRefProblem,
  identifier: (v) => (/^[A-Za-z0-9][A-Za-z0-9_.-]*(\/[A-Za-z0-9][A-Za-z0-9_.-]*)+$/.test(v) && !/\.\./.test(v) && v.length <= 255 ? undefined : 'must be a repository slug such as "org/repo"'),
  fleetFile: (v) => repoPathProblem(v) ?? (/\.ya?ml$/.test(v) ? undefined : 'must name a .yaml or .yml file'),
  terraformVersion: (v) => (/^\d+\.\d+(\.\d+)?$/.test(v) ? undefined : 'must be a Terraform version such as "1.8" or "1.8.5"'),
  actor: (v) => (/^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(v) || /^[A-Za-z0-9._-]{1,128}$/.test(v)
    ? undefined : 'must be a Plural user\'s email (e.g. "console@plural.sh") or user name'),
};

/** The rule of each argocd.* string field. */
const ARGOCD_RULES: Record<string, (v: string) => string | undefined> = {
  repoURL: gitUrlProblem,
  targetRevision: (v) => (v === 'HEAD' || /^[0-9a-f]{40}$/.test(v) ? undefined : gitRefProblem(v)),
  namespace: dnsLabelProblem,
  // The root project is named `<project>-root`, which must stay an object name too.
  project: (v) => dnsSubdomainProblem(v) ?? (v.length > 248 ? 'is too long (at most 248 characters, to leave room for "-root")'
    : v === 'default' ? 'is Argo CD\'s built-in project, which the fleet\'s root Application would take over and narrow for every other Application' : undefined),
};

/** The rule of each flux.* string field. */
const FLUX_RULES: Record<string, (v: string) => string | undefined> = {
  // Flux's GitRepository takes URLs with a scheme only (its CRD: ^(http|https|ssh)://).
  repoURL: (v) => gitUrlProblem(v) ?? (/^(https?|ssh):\/\//.test(v) ? undefined : 'must start with https://, http:// or ssh:// (Flux takes no scp-like git@host:path; write ssh://git@host/path)'),
  branch: gitRefProblem,
  namespace: dnsLabelProblem,
  interval: (v) => (/^([0-9]+(ms|s|m|h))+$/.test(v) && !/^0+(ms|s|m|h)$/.test(v) ? undefined : 'must be a Go duration such as "10m" or "1h30m"'),
  secretRef: dnsSubdomainProblem,
};

/** Checks the syntax of the `plural:`, `argocd:` and `flux:` sections. */
export function checkTargetSettings(props: FleetProps, faults: FaultCollector): void {
  for (const [section, rules] of [['plural', PLURAL_RULES], ['argocd', ARGOCD_RULES], ['flux', FLUX_RULES]] as const) {
    const p = (props[section] ?? {}) as Record<string, unknown>;
    for (const [key, rule] of Object.entries(rules)) {
      const v = p[key];
      if (typeof v !== 'string') continue;
      const problem = rule(v);
      if (problem) faults.add(`${section}.${key}`, `fleet: ${section}.${key} "${v}" ${problem}`);
    }
  }
  const folder = props.plural?.terraformFolder;
  const folders: Array<[string, unknown]> = typeof folder === 'string' ? [['plural.terraformFolder', folder]]
    : folder !== null && typeof folder === 'object' ? Object.entries(folder).map(([k, v]) => [`plural.terraformFolder.${k}`, v]) : [];
  for (const [field, v] of folders) {
    const key = field.split('.')[2];
    if (key !== undefined && !(DISTROS as readonly string[]).includes(key)) faults.add(field, `fleet: ${field}: unknown platform "${key}" (${DISTROS.join(', ')})`);
    else if (typeof v !== 'string') faults.add(field, `fleet: ${field} must be a folder path`);
    else if (repoPathProblem(v)) faults.add(field, `fleet: ${field} "${v}" ${repoPathProblem(v)}`);
  }
}

/** The Terraform module folder of each platform: one folder for all, or per platform with `plural up`'s defaults. */
function terraformFolders(given: PluralOptions['terraformFolder']): Readonly<Record<Distro, string | undefined>> {
  // One folder is the clouds' module; a bare-metal cluster gets a stack only from a module named for generic.
  if (typeof given === 'string') return { eks: given, gke: given, aks: given, generic: undefined };
  return { ...DEFAULT_TERRAFORM_FOLDERS, ...(given ?? {}) };
}

/** Plural management-plane names with every default applied (the defaults `plural up` creates). */
export interface ResolvedPlural {
  /** Namespace of namespaced Plural objects. */
  readonly namespace: string;
  /** GitRepository holding the tree. */
  readonly repository: string;
  /** Git ref tracked. */
  readonly gitRef: string;
  /** ScmConnection of the PR automations. */
  readonly scmConnection: string;
  /** Repository slug of the PR automations, when set. */
  readonly identifier?: string;
  /** Management Cluster object. */
  readonly mgmtCluster: string;
  /** Path of fleet.yaml in the repository. */
  readonly fleetFile: string;
  /** Terraform module folder of a cluster's stack, per platform (undefined: that platform's clusters get no stack by default). */
  readonly terraformFolders: Readonly<Record<Distro, string | undefined>>;
  /** Whether `plural.terraformFolder` is one folder for every platform. */
  readonly oneTerraformFolder: boolean;
  /** Terraform version. */
  readonly terraformVersion: string;
  /** User the stacks run as. */
  readonly actor: string;
}

/** The `plural:` section with every default applied, once, in the model. */
export function resolvePlural(props: FleetProps): ResolvedPlural {
  const p = props.plural ?? {};
  return {
    namespace: p.namespace ?? 'infra',
    repository: p.repository ?? 'infra',
    gitRef: p.gitRef ?? 'main',
    scmConnection: p.scmConnection ?? 'plural',
    identifier: p.identifier,
    mgmtCluster: p.mgmtCluster ?? 'mgmt',
    fleetFile: p.fleetFile ?? 'fleet.yaml',
    terraformFolders: terraformFolders(p.terraformFolder),
    oneTerraformFolder: typeof p.terraformFolder === 'string',
    terraformVersion: p.terraformVersion ?? '1.8',
    actor: p.actor ?? 'console@plural.sh',
  };
}

/** Argo CD settings with every default applied. */
export interface ResolvedArgoCd {
  /** Git URL of the repository holding the tree. */
  readonly repoURL: string;
  /** Git revision the Applications track. */
  readonly targetRevision: string;
  /** Namespace Argo CD runs in. */
  readonly namespace: string;
  /** AppProject of the fleet's Applications. */
  readonly project: string;
  /** AppProject of the root Application (it may only manage the fleet's Applications and project). */
  readonly rootProject: string;
}

/** The `argocd:` section with every default applied, once, in the model; undefined without a repoURL (no Argo CD tree can be written). */
export function resolveArgoCd(props: FleetProps): ResolvedArgoCd | undefined {
  const a = props.argocd;
  if (typeof a?.repoURL !== 'string') return undefined;
  const project = a.project ?? props.name;
  return {
    repoURL: a.repoURL,
    targetRevision: a.targetRevision ?? 'HEAD',
    namespace: a.namespace ?? 'argocd',
    project,
    rootProject: `${project}-root`,
  };
}

/** Flux settings with every default applied. */
export interface ResolvedFlux {
  /** Git URL of the repository holding the tree. */
  readonly repoURL: string;
  /** Branch Flux tracks. */
  readonly branch: string;
  /** Namespace Flux runs in, which holds the fleet's Flux objects. */
  readonly namespace: string;
  /** Reconcile interval. */
  readonly interval: string;
  /** Secret with the clone credentials, if any. */
  readonly secretRef?: string;
}

/** The `flux:` section with every default applied, once, in the model; undefined without a repoURL (no Flux tree can be written). */
export function resolveFlux(props: FleetProps): ResolvedFlux | undefined {
  const f = props.flux;
  if (typeof f?.repoURL !== 'string') return undefined;
  return { repoURL: f.repoURL, branch: f.branch ?? 'main', namespace: f.namespace ?? 'flux-system', interval: f.interval ?? '10m', secretRef: f.secretRef };
}
