/** The Argo CD form of a cluster's own probe objects: one Jsonnet file per mesh, evaluated per cluster with its name as an external variable. */
import { ResolvedProbe } from '../../fleet/probe';
import { probeClusterManifests } from '../../plan/probe-objects';

/** The Jsonnet external variable holding the cluster's name (set by each cluster's probe Application). */
export const PROBE_CLUSTER_VAR = 'cluster';
/** The file name of the per-cluster part, in each mesh's probe folder. */
export const PROBE_JSONNET = 'responder.jsonnet';

const MARK = '__meshfleet_extvar_cluster__';

/** The cluster's responder and self-name as Jsonnet: JSON, with the name as `std.extVar('cluster')`. */
export function probeJsonnet(probe: ResolvedProbe): string {
  const json = JSON.stringify(probeClusterManifests(probe, MARK), null, 2);
  return `${json.split(JSON.stringify(MARK)).join(`std.extVar('${PROBE_CLUSTER_VAR}')`)}\n`;
}
