/**
 * The one interface every delivery engine implements (Plural, Argo CD, the local kind profile; Flux next),
 * so the app, the CLI, validate, plan and graph loop over the registry (`targets/registry.ts`) instead of
 * switching on names. A new engine is a folder under `targets/` with a `target.ts` and one registry line.
 */
import { DeliveredService } from '../check/delivered';
import { Fleet } from '../fleet/fleet';
import { parseAllDocuments } from 'yaml';
import { DeliveryTarget } from '../fleet/props';

/** Which clusters a run brings up (the local profile: one mesh, or named clusters). */
export interface ClusterSelection {
  /** The mesh to bring up. @default - the first mesh of two or more clusters */
  readonly mesh?: string;
  /** The clusters to bring up (of one mesh). @default - every member of the mesh */
  readonly clusters?: readonly string[];
}

/** Where a target's tree of one fleet lives in the output folder. */
export interface TargetLayout {
  /** The folders (ending in `/`) every file of the tree lives in; the writer owns nothing elsewhere. */
  readonly ownedPrefixes: readonly string[];
  /** The list of files the writer owns for the tree (in `.meshfleet/`). */
  readonly ownedFilesList: string;
  /**
   * Paths inside the owned folders that another tool writes (Flux's bootstrap commits `flux-system/` into
   * each cluster's folder): neither meshfleet's files nor files planted in its folders.
   * @default - none
   */
  readonly foreignPaths?: RegExp;
}

/** What an engine gives each cluster from a tree, as its simulator says, and what it could not understand. */
export interface Delivery {
  /** Per cluster of the fleet, the services it receives (Helm releases with merged values, manifests). */
  readonly delivered: ReadonlyMap<string, readonly DeliveredService[]>;
  /** One line per problem the simulation met (a file missing, a template that does not render). */
  readonly problems: readonly string[];
  /** The clusters the tree declares (Plural Cluster files, Argo CD cluster Applications, kind configs). */
  readonly declared: ReadonlySet<string>;
}

/** A delivery engine, as meshfleet writes for it and audits what it would deliver. */
export interface Target {
  /** Its name in fleet.yaml's `targets:` and in `--target`. */
  readonly name: DeliveryTarget;
  /** Its name in messages ("Plural", "Argo CD"). */
  readonly title: string;
  /**
   * Written only when `--target` names it (the local profile), never as part of the fleet's tree:
   * such a tree is not reported as stale when the fleet's targets leave it out.
   */
  readonly onDemand: boolean;
  /**
   * What a second tree declaring the same clusters would do, for the message that refuses it
   * ("Plural would get two Cluster and InfrastructureStack objects for each").
   */
  readonly clashMeaning?: string;
  /** Folders, one `*` segment for a fleet name, where this target's trees live (searched, to their depth, for files that declare clusters). */
  readonly siblingTrees: readonly string[];
  /**
   * The clusters a file of any fleet's tree of this target declares, read from its objects (Plural Cluster
   * handles, Argo CD Application destinations), whatever the file is called; undefined when it cannot be told.
   */
  clustersIn(text: string): string[] | undefined;
  /** The layout of a fleet's tree. */
  layout(fleet: Fleet): TargetLayout;
  /** The cluster whose objects a path of any fleet's tree of this target declares, or undefined. */
  clusterOfPath(path: string): string | undefined;
  /** Why this fleet cannot be delivered by this target (a setting it needs is missing), or undefined. */
  requirement(fleet: Fleet): string | undefined;
  /** The fleet's tree (path -> content), in memory; deterministic. */
  synth(fleet: Fleet, selection?: ClusterSelection): Map<string, string>;
  /** What the engine would give each cluster from `files` (a tree written by meshfleet or by hand). */
  deliver(fleet: Fleet, files: ReadonlyMap<string, string>): Delivery;
  /** Whether the shared mesh, Multigres and probe checks apply to what it delivers (the local profile checks its own). */
  readonly sharedChecks: boolean;
  /** Why an owned file of the tree must not be removed (a live cluster's infrastructure), or undefined. */
  checkRemoval?(fleet: Fleet, path: string, content: string): string | undefined;
  /** Why an owned file of the tree must not be replaced by its new content, or undefined. */
  checkReplace?(fleet: Fleet, path: string, current: string, next: string): string | undefined;
}

/**
 * The objects of one kind in a YAML or JSON file; undefined when the file names the kind (in any case or
 * quoting) but a document of it does not parse, so what it declares cannot be told.
 */
export function objectsOf(text: string, kind: string): Array<Record<string, any>> | undefined {
  if (!text.toLowerCase().includes(kind.toLowerCase())) return [];
  const out: Array<Record<string, any>> = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) return undefined;
    const o = doc.toJS({ maxAliasCount: 100 }) as Record<string, any> | null;
    if (o !== null && typeof o === 'object' && o.kind === kind) out.push(o);
  }
  return out;
}

/**
 * The clusters a tree declares: the files in its own cluster folder (`folder`, ending in `/`) that the
 * layout's `clusterOfPath` names.
 */
export function declaredClusters(files: ReadonlyMap<string, string>, folder: string, clusterOfPath: (path: string) => string | undefined): Set<string> {
  return new Set([...files.keys()].filter((p) => p.startsWith(folder)).map(clusterOfPath).filter((c): c is string => c !== undefined));
}
