/** `meshfleet graph`: the fleet as a picture on stdout: Mermaid, Graphviz DOT, SVG (Graphviz compiled to WebAssembly) or MESH.md. */
import { fleetGraph, GRAPH_FORMATS, GraphFormat } from '../app/graph';
import { loadFleet } from '../fleet/loader';
import { parseArgs, UsageError } from './args';
import { Io } from './synth';
import { BUILT_IN_DEFAULTS, RepoDefaults } from './defaults';

/** The usage text of `meshfleet graph` (its --help). */
export const GRAPH_USAGE = `usage: meshfleet graph [--fleet FILE] [--format mermaid|dot|svg|markdown]
  Prints the fleet as a picture: meshes as groups, clusters with id, region and the address peers dial,
  that every member dials every other, and the Multigres placement with the global Services between
  clusters. Meshes of more than 12 clusters are summarized (count, id ranges, regions).
  --format   mermaid (default; architecture-beta, as in MESH.md), dot (Graphviz), svg (rendered by Graphviz
             compiled to WebAssembly; no browser or system package), markdown (MESH.md)`;

/** Runs `meshfleet graph`; returns the exit code. */
export function graphCommand(argv: readonly string[], io: Io, defaults: RepoDefaults = BUILT_IN_DEFAULTS): number {
  const a = parseArgs(argv, { values: { fleet: defaults.fleet, format: 'mermaid' } });
  if (a.help) {
    io.log(GRAPH_USAGE);
    return 0;
  }
  const format = a.values.format!;
  if (!(GRAPH_FORMATS as readonly string[]).includes(format)) throw Object.assign(new UsageError(`--format must be mermaid, dot, svg or markdown (got "${format}")`), { brief: true });
  io.log(fleetGraph(loadFleet(a.values.fleet!), format as GraphFormat).trimEnd());
  return 0;
}
