/** The fleet as a picture (`meshfleet graph`): Mermaid, Graphviz DOT, SVG (Graphviz compiled to WebAssembly) or MESH.md. */
import { execFileSync } from 'child_process';
import { Fleet } from '../fleet/fleet';
import { fleetPicture, meshMarkdown, toDot, toMermaid } from '../picture/picture';
import { planFleet } from '../plan/plan';

/** The formats of `fleetGraph`. */
export const GRAPH_FORMATS = ['mermaid', 'dot', 'svg', 'markdown'] as const;

/** One of `GRAPH_FORMATS`. */
export type GraphFormat = typeof GRAPH_FORMATS[number];

/** Renders DOT to SVG with Graphviz compiled to WebAssembly (an ES module, so in a child Node process). */
export function dotToSvg(dot: string): string {
  const script = "import { Graphviz } from '@hpcc-js/wasm-graphviz'; let s = ''; for await (const c of process.stdin) s += c; "
    + 'const g = await Graphviz.load(); process.stdout.write(g.dot(s));';
  return execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    input: dot, encoding: 'utf8', maxBuffer: 256 << 20, cwd: __dirname, stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** The fleet's picture in a format: meshes as groups, clusters, who dials whom, and the Multigres placement. */
export function fleetGraph(fleet: Fleet, format: GraphFormat): string {
  const picture = fleetPicture(planFleet(fleet));
  return format === 'mermaid' ? toMermaid(picture) : format === 'markdown' ? meshMarkdown(picture) : format === 'dot' ? toDot(picture) : dotToSvg(toDot(picture));
}
