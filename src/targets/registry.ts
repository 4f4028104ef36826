/**
 * Every delivery target, once: the app, the CLI, validate, plan and graph loop over this list. Adding an
 * engine is its folder under `targets/` and one line here (the architecture test checks the names agree
 * with the model's `DELIVERY_TARGETS`).
 */
import { DeliveryTarget } from '../fleet/props';
import { ARGOCD_TARGET } from './argocd/target';
import { FLUX_TARGET } from './flux/target';
import { LOCAL_TARGET } from './local/target';
import { PLURAL_TARGET } from './plural/target';
import { Target } from './target';

/** The targets, in the order their trees are written and reported. */
export const TARGETS: readonly Target[] = [PLURAL_TARGET, ARGOCD_TARGET, FLUX_TARGET, LOCAL_TARGET];

/** The target of that name. @throws when there is none */
export function targetNamed(name: DeliveryTarget): Target {
  const t = TARGETS.find((x) => x.name === name);
  if (!t) throw new Error(`no delivery target named "${name}"`);
  return t;
}
