/** The Plural management-plane names of a fleet, with the defaults `plural up` creates (resolved once, in the model). */
import { ResolvedPlural } from '../../fleet/delivery';
import { Fleet } from '../../fleet/fleet';

export type { ResolvedPlural } from '../../fleet/delivery';

/** The fleet's `plural:` settings with every default applied (`fleet.plural`). */
export function pluralSettings(fleet: Fleet): ResolvedPlural {
  return fleet.plural;
}
