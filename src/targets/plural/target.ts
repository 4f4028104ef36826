/** The Plural target on the Target interface: its layout, tree, simulator and the guards of live clusters' stacks. */
import { Fleet } from '../../fleet/fleet';
import { declaredClusters, objectsOf, Target } from '../target';
import { PluralLayout } from './layout';
import { pluralRemovalProblem, pluralReplaceProblem, synthPluralTree } from './tree';

/** Plural: GlobalServices, values with Liquid, stacks, Cluster objects and PR automations in a `plural up` repository. */
export const PLURAL_TARGET: Target = {
  name: 'plural',
  title: 'Plural',
  onDemand: false,
  clashMeaning: 'Plural would get two Cluster and InfrastructureStack objects for each',
  siblingTrees: ['bootstrap/*/'],
  clustersIn: (text: string) => objectsOf(text, 'Cluster')?.map((o) => o.spec?.handle ?? o.metadata?.name).filter((n): n is string => typeof n === 'string'),
  layout: (fleet: Fleet) => new PluralLayout(fleet.name),
  clusterOfPath: (path: string) => PluralLayout.clusterOfPath(path),
  requirement: () => undefined,
  synth: (fleet: Fleet) => synthPluralTree(fleet),
  deliver(fleet: Fleet, files: ReadonlyMap<string, string>) {
    const problems: string[] = [];
    // The simulator (Liquid) is loaded only by the commands that deliver: synth never does.
    const delivered = (require('./simulator') as typeof import('./simulator')).simulateFleet(fleet, files, problems);
    const folder = new PluralLayout(fleet.name).bootstrap('clusters', '').replace(/\.yaml$/, '');
    return { delivered, problems, declared: declaredClusters(files, folder, PluralLayout.clusterOfPath) };
  },
  sharedChecks: true,
  checkRemoval: pluralRemovalProblem,
  checkReplace: pluralReplaceProblem,
};
