/** The local (kind) profile on the Target interface: written only when asked, checked by its own rules. */
import { Fleet } from '../../fleet/fleet';
import { ClusterSelection, Target } from '../target';
import { checkLocalTree, localTreeClusters } from './checks';
import { LocalLayout } from './layout';
import { synthLocalTree } from './tree';

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
  synth: (fleet: Fleet, selection: ClusterSelection = {}) => synthLocalTree(fleet, selection),
  deliver(fleet: Fleet, files: ReadonlyMap<string, string>) {
    const { problems, delivered } = checkLocalTree(fleet, files);
    return { delivered, problems, declared: new Set(localTreeClusters(files, new LocalLayout(fleet.name))) };
  },
  sharedChecks: false,
};
