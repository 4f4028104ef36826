/** The shared mesh and Multigres checks, run on a Plural tree through the Plural simulator. */
import { checkMesh } from '../../check/mesh';
import { checkMultigres } from '../../check/multigres';
import { Fleet } from '../../fleet/fleet';
import { simulateFleet } from './simulator';

/**
 * Checks the Cluster Mesh invariants (see `checkMesh`) on what Plural would deploy to each cluster
 * from a tree; one line per violation, empty when it holds.
 */
export function checkMeshInvariants(fleet: Fleet, files: ReadonlyMap<string, string>): string[] {
  return checkMesh(fleet, simulateFleet(fleet, files));
}

/**
 * Checks the Multigres invariants (see `checkMultigres`) on what Plural would deploy to each cluster
 * from a tree; one line per violation, empty when they hold.
 */
export function checkMultigresInvariants(fleet: Fleet, files: ReadonlyMap<string, string>): string[] {
  return checkMultigres(fleet, simulateFleet(fleet, files), files);
}
