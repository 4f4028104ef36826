/** The Flux target on the Target interface: its layout, tree and simulator (each cluster's Flux bootstrapped at `flux/<fleet>/clusters/<cluster>/`). */
import { Fleet } from '../../fleet/fleet';
import { declaredClusters, objectsOf, Target } from '../target';
import { FluxLayout } from './layout';

/** Flux: per cluster its bootstrap folder (sources and Kustomizations), per mesh and fleet the shared values, issuer and probe. */
export const FLUX_TARGET: Target = {
  name: 'flux',
  title: 'Flux',
  onDemand: false,
  clashMeaning: 'each cluster\'s Flux would get two HelmReleases installing Cilium',
  siblingTrees: ['flux/*/clusters/'],
  clustersIn: (text: string) => {
    // A bootstrap file declares its cluster by where it is, not by an object: it is read only to see that it is one.
    const ks = objectsOf(text, 'Kustomization');
    return ks === undefined ? undefined : [];
  },
  layout: (fleet: Fleet) => new FluxLayout(fleet.name),
  clusterOfPath: (path: string) => FluxLayout.clusterOfPath(path),
  requirement: (fleet: Fleet) => (fleet.flux ? undefined
    : 'flux.repoURL is required for the flux target (the Git URL each cluster\'s Flux clones this repository from)'),
  // The tree and the simulator are loaded when used: a run that writes another target never loads them.
  synth: (fleet: Fleet) => (require('./tree') as typeof import('./tree')).synthFluxTree(fleet),
  deliver(fleet: Fleet, files: ReadonlyMap<string, string>) {
    const layout = new FluxLayout(fleet.name);
    const folders = new Map(fleet.clusters.map((c) => [c.name, layout.clusterFolder(c.name)]));
    const sim = (require('./simulator') as typeof import('./simulator')).simulateFlux(files, folders, layout.foreignPaths);
    const declared = declaredClusters(files, `${layout.root}/clusters/`, FluxLayout.clusterOfPath);
    return { delivered: new Map(fleet.clusters.map((c) => [c.name, sim.delivered.get(c.name) ?? []])), problems: sim.problems, declared };
  },
  sharedChecks: true,
};
