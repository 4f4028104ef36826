/**
 * The fleet as a picture: meshes, their members (id, region, the address peers dial), that every member
 * dials every other (one hub per mesh, not N² edges), and the Multigres placement with the global
 * Services between clusters; as Mermaid (architecture-beta, for MESH.md), Graphviz DOT, and MESH.md.
 * Big meshes are summarized (count, id range, regions) so the picture stays readable at 1,000 clusters.
 */
import { FleetPlan } from '../plan/plan';
import { planMultigres } from '../plan/multigres';

/** Meshes with more members than this are drawn as one summary node. */
export const SUMMARY_THRESHOLD = 12;

/** One drawn cluster. */
export interface PictureCluster {
  /** Cluster name. */
  readonly name: string;
  /** Cilium cluster id. */
  readonly id: number;
  /** Region. */
  readonly region: string;
  /** Platform (eks, gke, aks, generic). */
  readonly platform: string;
  /** The DNS name peers dial. */
  readonly address: string;
  /** The port peers dial. */
  readonly port: number;
  /** Multigres components per deployment placed here. */
  readonly multigres: ReadonlyArray<{ readonly deployment: string; readonly components: readonly string[] }>;
}

/** One drawn mesh. */
export interface PictureMesh {
  /** Mesh name. */
  readonly name: string;
  /** Its tiers. */
  readonly tiers: readonly string[];
  /** Its CA's ClusterIssuer. */
  readonly issuer: string;
  /** Its members, or none when summarized. */
  readonly clusters: readonly PictureCluster[];
  /** The summary of a big mesh. */
  readonly summary?: { readonly count: number; readonly ids: string; readonly platforms: string; readonly regions: string; readonly multigres: string };
}

/** A global Service one cluster serves and others consume. */
export interface PictureLink {
  /** Multigres deployment. */
  readonly deployment: string;
  /** The global Service. */
  readonly service: string;
  /** The component behind it. */
  readonly component: string;
  /** The cluster that backs it. */
  readonly servedBy: string;
  /** The clusters that reach it. */
  readonly consumedBy: readonly string[];
}

/** What the picture shows. */
export interface FleetPicture {
  /** Fleet name. */
  readonly fleet: string;
  /** Its meshes. */
  readonly meshes: readonly PictureMesh[];
  /** Cross-cluster Multigres dependencies (omitted for summarized meshes). */
  readonly links: readonly PictureLink[];
}

function ranges(ids: readonly number[]): string {
  const sorted = [...ids].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    out.push(i === j ? `${sorted[i]}` : `${sorted[i]}..${sorted[j]}`);
    i = j;
  }
  return out.join(', ');
}

function counted(xs: readonly string[]): string {
  const n = new Map<string, number>();
  for (const x of xs) n.set(x, (n.get(x) ?? 0) + 1);
  return [...n].sort(([a], [b]) => (a < b ? -1 : 1)).map(([x, c]) => `${x} ${c}`).join(', ');
}

/** What to draw of a fleet's plan. */
export function fleetPicture(plan: FleetPlan): FleetPicture {
  const fleet = plan.fleet;
  const placed = new Map<string, Array<{ deployment: string; components: string[] }>>();
  const links: PictureLink[] = [];
  const summarized = new Set(plan.meshes.filter((m) => m.clusters.length > SUMMARY_THRESHOLD).map((m) => m.name));
  for (const d of fleet.multigres?.deployments ?? []) {
    const mp = planMultigres(fleet, d);
    for (const c of mp.clusters) placed.set(c.cluster, [...(placed.get(c.cluster) ?? []), { deployment: d.name, components: [...c.components] }]);
    if (summarized.has(d.mesh)) continue;
    for (const s of mp.services) {
      links.push({ deployment: d.name, service: s.name, component: s.component, servedBy: s.servedBy, consumedBy: [...s.consumedBy] });
    }
  }
  const meshes = plan.meshes.map((m) => {
    const base = { name: m.name, tiers: m.tiers, issuer: m.ca.issuer };
    if (!summarized.has(m.name)) {
      return {
        ...base,
        clusters: m.clusters.map((c) => ({
          name: c.name, id: c.id, region: c.region, platform: c.distro, address: c.apiserverAddress, port: c.apiserverPort, multigres: placed.get(c.name) ?? [],
        })),
      };
    }
    const mg = m.clusters.flatMap((c) => (placed.get(c.name) ?? []).map((p) => `${p.deployment} ${p.components.join('+')}`));
    return {
      ...base,
      clusters: [],
      summary: { count: m.clusters.length, ids: ranges(m.clusters.map((c) => c.id)), platforms: counted(m.clusters.map((c) => c.distro)), regions: counted(m.clusters.map((c) => c.region)), multigres: counted(mg) },
    };
  });
  return { fleet: fleet.name, meshes, links };
}

/** An identifier for diagram languages: letters, digits and `_`. */
function ident(prefix: string, name: string): string {
  return `${prefix}_${name.replace(/[^A-Za-z0-9]/g, '_')}`;
}

/** A label safe inside Mermaid's `[...]` and DOT's quotes. */
function label(text: string): string {
  return text.replace(/[[\]"\\]/g, ' ');
}

/** The picture as Mermaid (`architecture-beta`: groups per mesh and cluster, a hub per mesh, dependency arrows). */
export function toMermaid(p: FleetPicture): string {
  const lines = ['architecture-beta', `  title fleet ${label(p.fleet)}`];
  for (const m of p.meshes) {
    const g = ident('mesh', m.name);
    lines.push(`  group ${g}(cloud)[mesh ${label(m.name)}, tiers ${label(m.tiers.join(' '))}, CA issuer ${label(m.issuer)}]`);
    const hub = ident('all', m.name);
    if (m.summary) {
      const s = m.summary;
      lines.push(`  service ${ident('summary', m.name)}(server)[${s.count} clusters, ids ${s.ids}, ${label(s.platforms)}, regions ${label(s.regions)}${s.multigres ? `, multigres ${label(s.multigres)}` : ''}] in ${g}`);
      continue;
    }
    lines.push(`  service ${hub}(internet)[every member dials every other, ${m.clusters.length} member${m.clusters.length === 1 ? '' : 's'}] in ${g}`);
    for (const c of m.clusters) {
      const cg = ident('cluster', c.name);
      lines.push(`  group ${cg}(server)[${label(c.name)}, id ${c.id}, ${label(`${c.platform} ${c.region}`)}] in ${g}`);
      const api = ident('api', c.name);
      lines.push(`  service ${api}(internet)[${label(c.address)} port ${c.port}] in ${cg}`);
      for (const mg of c.multigres) {
        lines.push(`  service ${ident(`mg_${mg.deployment}`, c.name)}(database)[${label(mg.deployment)} ${mg.components.join(', ')}] in ${cg}`);
      }
    }
    for (const c of m.clusters) lines.push(`  ${ident('api', c.name)}:B -- T:${hub}`);
  }
  for (const l of p.links) {
    for (const consumer of l.consumedBy) {
      lines.push(`  ${ident(`mg_${l.deployment}`, consumer)}:R --> L:${ident(`mg_${l.deployment}`, l.servedBy)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The picture as Graphviz DOT. */
export function toDot(p: FleetPicture): string {
  const q = (s: string) => `"${label(s).replace(/\n/g, '\\n')}"`;
  const lines = [`digraph ${q(`fleet ${p.fleet}`)} {`, '  graph [rankdir=LR, fontname="Helvetica", compound=true];', '  node [shape=box, style=rounded, fontname="Helvetica", fontsize=10];', '  edge [fontname="Helvetica", fontsize=9];'];
  for (const m of p.meshes) {
    lines.push(`  subgraph ${ident('cluster_mesh', m.name)} {`, `    label=${q(`mesh ${m.name} (tiers ${m.tiers.join(', ')}; CA issuer ${m.issuer})`)};`);
    if (m.summary) {
      const s = m.summary;
      lines.push(`    ${ident('summary', m.name)} [label=${q(`${s.count} clusters\nids ${s.ids}\n${s.platforms}\n${s.regions}${s.multigres ? `\nmultigres: ${s.multigres}` : ''}`)}];`, '  }');
      continue;
    }
    const hub = ident('all', m.name);
    lines.push(`    ${hub} [shape=ellipse, label=${q(`every member dials every other (${m.clusters.length})`)}];`);
    for (const c of m.clusters) {
      const mg = c.multigres.map((x) => `\n${x.deployment}: ${x.components.join(', ')}`).join('');
      lines.push(`    ${ident('cluster', c.name)} [label=${q(`${c.name}\nid ${c.id}, ${c.platform} ${c.region}\n${c.address}:${c.port}${mg}`)}];`);
      lines.push(`    ${ident('cluster', c.name)} -> ${hub} [dir=none];`);
    }
    lines.push('  }');
  }
  for (const l of p.links) {
    for (const consumer of l.consumedBy) {
      lines.push(`  ${ident('cluster', consumer)} -> ${ident('cluster', l.servedBy)} [label=${q(l.service)}, style=dashed];`);
    }
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** MESH.md: the picture as a Mermaid block GitHub renders, and the same as tables. */
export function meshMarkdown(p: FleetPicture): string {
  const out = [`# Fleet ${p.fleet}`, '', 'Every member of a mesh dials every other member at the address shown; Multigres components reach', 'other clusters through the global Services listed. (`meshfleet graph --format svg` draws the same with Graphviz.)', '', '```mermaid', toMermaid(p).trimEnd(), '```', ''];
  out.push('| mesh | tiers | members | CA issuer |', '|---|---|---|---|');
  for (const m of p.meshes) {
    out.push(`| ${m.name} | ${m.tiers.join(', ')} | ${m.summary ? `${m.summary.count} (ids ${m.summary.ids}; ${m.summary.platforms}; ${m.summary.regions})` : m.clusters.map((c) => `${c.name} (${c.id})`).join(', ')} | ${m.issuer} |`);
  }
  const detailed = p.meshes.flatMap((m) => m.clusters.map((c) => ({ m, c })));
  if (detailed.length > 0) {
    out.push('', '| cluster | mesh | id | platform | region | peers dial | Multigres |', '|---|---|---|---|---|---|---|');
    for (const { m, c } of detailed) {
      out.push(`| ${c.name} | ${m.name} | ${c.id} | ${c.platform} | ${c.region} | ${c.address}:${c.port} | ${c.multigres.map((x) => `${x.deployment}: ${x.components.join(', ')}`).join('; ') || '-'} |`);
    }
  }
  if (p.links.length > 0) {
    out.push('', '| global Service | Multigres | served by | consumed by |', '|---|---|---|---|');
    for (const l of p.links) out.push(`| ${l.service} | ${l.deployment} ${l.component} | ${l.servedBy} | ${l.consumedBy.join(', ')} |`);
  }
  return `${out.join('\n')}\n`;
}
