/** The Argo CD target on the Target interface: its layout, tree and simulator (an app of apps under `argocd/<fleet>/`). */
import { Fleet } from '../../fleet/fleet';
import { declaredClusters, objectsOf, Target } from '../target';
import { ArgoCdLayout } from './layout';

/** Argo CD: a root Application, an AppProject, per cluster the Applications of its issuer, Cilium, Multigres and probe. */
export const ARGOCD_TARGET: Target = {
  name: 'argocd',
  title: 'Argo CD',
  onDemand: false,
  clashMeaning: 'Argo CD would get two sets of Applications installing Cilium on each',
  siblingTrees: ['argocd/*/'],
  clustersIn: (text: string) => objectsOf(text, 'Application')?.map((o) => o.spec?.destination?.name).filter((n): n is string => typeof n === 'string'),
  layout: (fleet: Fleet) => new ArgoCdLayout(fleet.name),
  clusterOfPath: (path: string) => ArgoCdLayout.clusterOfPath(path),
  requirement: (fleet: Fleet) => (fleet.props.argocd?.repoURL ? undefined
    : 'argocd.repoURL is required for the argocd target (the Git URL Argo CD clones this repository from)'),
  // The tree and the simulator are loaded when used: a run that writes another target never loads them.
  synth: (fleet: Fleet) => (require('./tree') as typeof import('./tree')).synthArgoCdTree(fleet),
  deliver(fleet: Fleet, files: ReadonlyMap<string, string>) {
    const layout = new ArgoCdLayout(fleet.name);
    const sim = (require('./simulator') as typeof import('./simulator')).simulateArgoCd(files, layout.rootFile);
    const declared = declaredClusters(files, `${layout.appsFolder}/clusters/`, ArgoCdLayout.clusterOfPath);
    return { delivered: new Map(fleet.clusters.map((c) => [c.name, sim.delivered.get(c.name) ?? []])), problems: sim.problems, declared };
  },
  sharedChecks: true,
};
