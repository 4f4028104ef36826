/** The shared mesh and Multigres checks, run on a Plural tree through the Plural simulator. */
import { checkMesh } from '../../check/mesh';
import { checkMultigres } from '../../check/multigres';
import { Fleet } from '../../fleet/fleet';
import { simulateFleet } from './simulator';

/**
 * Checks the Cluster Mesh invariants (see `checkMesh`) on what Plural would deploy to each cluster
 * from a tree; one line per violation, empty when it holds. Services of the user's own that the tree
 * cannot render (a values file kept elsewhere) are left out, never thrown on: the invariants still
 * require each cluster to receive exactly one Cilium service from the tree.
 */
export function checkMeshInvariants(fleet: Fleet, files: ReadonlyMap<string, string>): string[] {
  return checkMesh(fleet, simulateFleet(fleet, files, []));
}

/**
 * Checks the Multigres invariants (see `checkMultigres`) on what Plural would deploy to each cluster
 * from a tree; one line per violation, empty when they hold. Like `checkMeshInvariants`, it never
 * throws on services of the user's own.
 */
export function checkMultigresInvariants(fleet: Fleet, files: ReadonlyMap<string, string>): string[] {
  return checkMultigres(fleet, simulateFleet(fleet, files, []), files);
}
