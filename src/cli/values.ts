/** `meshfleet values CLUSTER`: one cluster's merged Cilium values on stdout (what every target delivers it). */
import { clusterValuesFile } from '../app/values';
import { loadFleet } from '../fleet/loader';
import { parseArgs, UsageError } from './args';
import { BUILT_IN_DEFAULTS, RepoDefaults } from './defaults';
import { Io } from './synth';

/** The usage text of `meshfleet values` (its --help). */
export const VALUES_USAGE = `usage: meshfleet values CLUSTER [--fleet FILE]
  Prints the Cilium values the cluster gets, whatever the target (the shared, platform, mesh and identity
  layers merged), with the helm install command of a first install by hand: on GKE, AKS, bare metal and EKS
  with eni or cluster-pool no pod runs before Cilium, so an engine inside the cluster cannot install it.
  --fleet FILE   fleet description to read (default: package.json's meshfleet.fleet, else fleet.yaml)`;

/** Runs `meshfleet values`; returns the exit code. */
export function valuesCommand(argv: readonly string[], io: Io, defaults: RepoDefaults = BUILT_IN_DEFAULTS): number {
  const a = parseArgs(argv, { values: { fleet: defaults.fleet }, positionals: 1 });
  if (a.help) {
    io.log(VALUES_USAGE);
    return 0;
  }
  const name = a.positionals[0];
  if (name === undefined) throw new UsageError('values needs the cluster\'s name');
  const fleet = loadFleet(a.values.fleet!);
  if (!fleet.clusters.some((c) => c.name === name)) {
    throw Object.assign(new UsageError(`fleet "${fleet.name}" has no cluster "${name}" (${fleet.clusters.map((c) => c.name).slice(0, 10).join(', ')}${fleet.clusters.length > 10 ? ', ...' : ''})`), { brief: true });
  }
  io.log(clusterValuesFile(fleet, name).trimEnd());
  return 0;
}
