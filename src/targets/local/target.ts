/** The local (kind) profile on the Target interface: written only when asked, checked by its own rules. */
import { Fleet } from '../../fleet/fleet';
import { ClusterSelection, Target } from '../target';
import { LocalLayout } from './layout';

/** The local profile: kind configs, Cilium values, the issuer, an echo check and the printed steps of one mesh. */
export const LOCAL_TARGET: Target = {
  name: 'local',
  title: 'the local profile',
  onDemand: true,
  siblingTrees: [],
  clustersIn: () => [],
  layout: (fleet: Fleet) => new LocalLayout(fleet.name),
  clusterOfPath: () => undefined,
  requirement: () => undefined,
  // The tree is loaded when used: a run that writes another target never loads it.
  synth: (fleet: Fleet, selection: ClusterSelection = {}) => (require('./tree') as typeof import('./tree')).synthLocalTree(fleet, selection),
  deliver(fleet: Fleet, files: ReadonlyMap<string, string>) {
    const checks = require('./checks') as typeof import('./checks');
    const { problems, delivered } = checks.checkLocalTree(fleet, files);
    return { delivered, problems, declared: new Set(checks.localTreeClusters(files, new LocalLayout(fleet.name))) };
  },
  sharedChecks: false,
};
