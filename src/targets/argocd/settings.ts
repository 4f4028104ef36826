/** The Argo CD names of a fleet, with their defaults (resolved once, in the model). */
import { ResolvedArgoCd } from '../../fleet/delivery';
import { Fleet } from '../../fleet/fleet';

export type { ResolvedArgoCd } from '../../fleet/delivery';

/** The fleet's `argocd:` settings with every default applied (`fleet.argocd`). @throws when `argocd.repoURL` is missing */
export function argoCdSettings(fleet: Fleet): ResolvedArgoCd {
  if (!fleet.argocd) throw new Error(`fleet "${fleet.name}": argocd.repoURL is required for the Argo CD target`);
  return fleet.argocd;
}
