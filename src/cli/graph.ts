/** `meshfleet graph`: the fleet as a picture on stdout: Mermaid, Graphviz DOT, SVG (Graphviz compiled to WebAssembly) or MESH.md. */
import { execFileSync } from 'child_process';
import { loadFleet } from '../fleet/loader';
import { fleetPicture, meshMarkdown, toDot, toMermaid } from '../picture/picture';
import { planFleet } from '../plan/plan';
import { parseArgs, UsageError } from './args';
import { Io } from './synth';

/** The usage text of `meshfleet graph` (its --help). */
export const GRAPH_USAGE = `usage: meshfleet graph [--fleet FILE] [--format mermaid|dot|svg|markdown]
  Prints the fleet as a picture: meshes as groups, clusters with id, region and the address peers dial,
  that every member dials every other, and the Multigres placement with the global Services between
  clusters. Meshes of more than 12 clusters are summarized (count, id ranges, regions).
  --format   mermaid (default; architecture-beta, as in MESH.md), dot (Graphviz), svg (rendered by Graphviz
             compiled to WebAssembly; no browser or system package), markdown (MESH.md)`;

/** Renders DOT to SVG with Graphviz compiled to WebAssembly (an ES module, so in a child Node process). */
export function dotToSvg(dot: string): string {
  const script = "import { Graphviz } from '@hpcc-js/wasm-graphviz'; let s = ''; for await (const c of process.stdin) s += c; "
    + 'const g = await Graphviz.load(); process.stdout.write(g.dot(s));';
  return execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    input: dot, encoding: 'utf8', maxBuffer: 256 << 20, cwd: __dirname, stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Runs `meshfleet graph`; returns the exit code. */
export function graphCommand(argv: readonly string[], io: Io): number {
  const a = parseArgs(argv, { values: { fleet: 'fleet.yaml', format: 'mermaid' } });
  if (a.help) {
    io.log(GRAPH_USAGE);
    return 0;
  }
  const format = a.values.format!;
  if (!['mermaid', 'dot', 'svg', 'markdown'].includes(format)) throw Object.assign(new UsageError(`--format must be mermaid, dot, svg or markdown (got "${format}")`), { brief: true });
  const picture = fleetPicture(planFleet(loadFleet(a.values.fleet!)));
  const text = format === 'mermaid' ? toMermaid(picture) : format === 'markdown' ? meshMarkdown(picture) : format === 'dot' ? toDot(picture) : dotToSvg(toDot(picture));
  io.log(text.trimEnd());
  return 0;
}
