/**
 * The audit of a GitOps tree (written by meshfleet or by hand), per target: what each engine would give
 * every cluster (its simulator), the Cluster Mesh, Multigres and probe invariants on that, the clusters the
 * tree declares against the fleet's, and with upstream schemas every manifest and values file.
 */
import { checkMesh } from '../check/mesh';
import { checkMultigres } from '../check/multigres';
import { checkProbe } from '../check/probe';
import { Fleet } from '../fleet/fleet';
import { DeliveryTarget } from '../fleet/props';
import { targetNamed } from '../targets/registry';

/** Validators of upstream schemas (loaded from a folder such as meshfleet's ../shared, at dev time or with --schemas). */
export interface SchemaValidators {
  /** Findings of every manifest of a YAML file against its CRD or core schema. */
  validateYaml(text: string, file?: string): string[];
  /** Findings of Cilium values against the chart version's values.schema.json. */
  validateCiliumValues(version: string, values: unknown): string[];
  /** Findings of manifests against their schemas. */
  validateManifests(manifests: readonly unknown[]): string[];
}

/** What an audit found, and what it covered. */
export interface TreeAudit {
  /** One line per finding, each naming its target and file or cluster. */
  readonly findings: string[];
  /** Manifests in the tree's files (what each engine delivers from them is checked too, not counted). */
  readonly manifests: number;
  /** Cilium values files checked. */
  readonly values: number;
}

/** Files that hold values or kind configurations rather than manifests (checked once an engine resolves them). */
function isManifestFile(rel: string): boolean {
  return /\.ya?ml$/.test(rel) && !rel.startsWith('helm/') && !/^argocd\/[^/]+\/cilium\//.test(rel) && !/^local\/[^/]+\/(cilium|kind)\//.test(rel) && !rel.startsWith('.');
}

/** Audits a tree for the given targets; `schemas` adds the upstream schema checks. */
export function validateTree(fleet: Fleet, files: ReadonlyMap<string, string>, targets: readonly DeliveryTarget[], schemas?: SchemaValidators): TreeAudit {
  const findings: string[] = [];
  let manifests = 0;
  let values = 0;
  // Only the files of the audited trees: a GitOps repository also holds fleet.yaml and the user's own files.
  const layouts = targets.map((t) => targetNamed(t).layout(fleet));
  const prefixes = layouts.flatMap((l) => l.ownedPrefixes);
  const foreign = (rel: string) => layouts.some((l) => l.foreignPaths?.test(rel));
  // The tree's manifests are counted whether or not schemas check them (what each cluster receives is more).
  for (const [rel, text] of files) {
    if (!prefixes.some((p) => rel.startsWith(p)) || foreign(rel) || !isManifestFile(rel)) continue;
    manifests += (text.match(/^kind: /gm) || []).length;
    if (!schemas) continue;
    try {
      findings.push(...schemas.validateYaml(text, rel));
    } catch (e) {
      findings.push(`${rel}: ${(e as Error).message}`);
    }
  }
  for (const name of targets) {
    const target = targetNamed(name);
    let delivery;
    try {
      delivery = target.deliver(fleet, files);
    } catch (e) {
      findings.push(`${name}: ${(e as Error).message}`);
      continue;
    }
    findings.push(...delivery.problems.map((p) => `${name}: ${p}`));
    if (!target.onDemand) {
      for (const c of fleet.clusters) if (!delivery.declared.has(c.name)) findings.push(`${name}: cluster "${c.name}" of the fleet is not declared in the tree`);
      const known = new Set([...fleet.clusters.map((c) => c.name), ...fleet.decommissioned.map((c) => c.name)]);
      for (const c of delivery.declared) if (!known.has(c)) findings.push(`${name}: the tree declares cluster "${c}", which the fleet does not have`);
    }
    for (const [cluster, services] of delivery.delivered) {
      for (const s of services) {
        const at = `cluster "${cluster}" ${s.source}`;
        // Cilium's values (every Helm release of the local profile, whose one release is Cilium's).
        if (s.helm && (s.helm.chart === 'cilium' || !target.sharedChecks)) {
          const valuesAt = target.sharedChecks ? at : `cluster "${cluster}"`;
          if (schemas) findings.push(...schemas.validateCiliumValues(s.helm.version, s.values).map((p) => `${name}: ${valuesAt}: ${p}`));
          values++;
        }
        if (schemas) findings.push(...schemas.validateManifests(s.manifests).map((p) => `${name}: ${at}: ${p}`));
      }
    }
    if (target.sharedChecks) {
      findings.push(...checkMesh(fleet, delivery.delivered).map((p) => `${name}: ${p}`));
      findings.push(...checkMultigres(fleet, delivery.delivered, files).map((p) => `${name}: ${p}`));
      findings.push(...checkProbe(fleet, delivery.delivered).map((p) => `${name}: ${p}`));
    }
  }
  return { findings, manifests, values };
}
