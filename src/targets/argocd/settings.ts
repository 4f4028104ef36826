/** The Argo CD names of a fleet, with their defaults. */
import { Fleet } from '../../fleet/fleet';

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

/** The fleet's `argocd:` settings with every default applied. @throws when `argocd.repoURL` is missing */
export function argoCdSettings(fleet: Fleet): ResolvedArgoCd {
  const a = fleet.props.argocd;
  if (!a?.repoURL) throw new Error(`fleet "${fleet.name}": argocd.repoURL is required for the Argo CD target`);
  const project = a.project ?? fleet.name;
  return {
    repoURL: a.repoURL,
    targetRevision: a.targetRevision ?? 'HEAD',
    namespace: a.namespace ?? 'argocd',
    project,
    rootProject: `${project}-root`,
  };
}
