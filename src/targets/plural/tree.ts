/**
 * The Plural delivery target: turns the plan into the files a `plural up` GitOps repository needs
 * (GlobalServices, values with Liquid, the CA issuer, stacks and Cluster objects, PR automations,
 * Multigres ServiceDeployments).
 */
import { parseAllDocuments } from 'yaml';
import { Construct } from 'constructs';
import { ClusterIssuer } from '../../../imports/cert-manager-clusterissuer-cert-manager.io';
import { ciliumIdentityValues } from '../../cilium/values';
import { CLOUD_OF, DISTROS } from '../../fleet/platform';
import { Distro } from '../../fleet/props';
import { Fleet, MeshCluster } from '../../fleet/fleet';
import { GENERATED_MARKDOWN_HEADER, ManifestFile, renderFiles, TextFile, YamlFile } from '../../gitops/files';
import { fleetPicture, meshMarkdown } from '../../picture/picture';
import { OUTSIDE_TREE_APP, TreeApp } from '../../gitops/tree-app';
import { mergeValues } from '../../k8s/yaml';
import { FleetPlan, ownNodePorts, planFleet } from '../../plan/plan';
import { PluralCluster } from '../../plural/cluster';
import { GlobalService } from '../../plural/global-service';
import { InfrastructureStack } from '../../plural/infrastructure-stack';
import { PLURAL_CONTEXT, STACK_VARIABLES } from './context';
import { PluralLayout } from './layout';
import { IDENTITY_VARIABLES, identityTable, Liquid } from './liquid';
import { addPrAutomations } from './pr-automations';
import { addPluralProbe } from './probe';

/** Props of a `PluralMeshFleet`. */
export interface PluralMeshFleetProps {
  /** The validated fleet. */
  readonly fleet: Fleet;
  /**
   * The plan of that fleet.
   * @default - computed from `fleet`
   */
  readonly plan?: FleetPlan;
  /**
   * Where files go.
   * @default - the `plural up` layout, under the fleet's name
   */
  readonly layout?: PluralLayout;
  /**
   * Whether to write the PR automations that add a cluster by editing the fleet description file.
   * @default - when the fleet was read from a file (`loadFleet`); off for a fleet built in code, whose file they could not edit
   */
  readonly prAutomations?: boolean;
}

/**
 * Everything a Plural GitOps repository needs to run one Cilium Cluster Mesh per mesh of a fleet:
 * - the Cilium values (a base file, and per mesh its members' identity table, issuer and peer list) and a
 *   GlobalService per tier;
 * - per mesh, the CA issuer its clusters' clustermesh and Hubble certificates come from (one CA per mesh
 *   unless the fleet shares one), delivered to each tier of the mesh with the mesh's CA Secret;
 * - per cluster, its InfrastructureStack (Terraform variables, for the module's own use) and Cluster;
 * - the PR automations that add a cluster by appending it to fleet.yaml, and their Catalog.
 */
export class PluralMeshFleet extends Construct {
  /** The fleet. */
  public readonly fleet: Fleet;
  /** The layout used. */
  public readonly layout: PluralLayout;
  /** The Cilium GlobalServices of each tier, by tier name (`<tier>-<distro>` for its clusters on a platform other than the tier's). */
  public readonly ciliumServices: ReadonlyMap<string, GlobalService>;

  constructor(scope: Construct, id: string, props: PluralMeshFleetProps) {
    super(scope, id);
    this.node.addValidation({ validate: () => (TreeApp.isTreeApp(this) ? [] : [`PluralMeshFleet ${OUTSIDE_TREE_APP}`]) });
    const fleet = props.fleet;
    const plan = props.plan ?? planFleet(fleet);
    const layout = props.layout ?? new PluralLayout(fleet.name);
    this.fleet = fleet;
    this.layout = layout;
    const plural = fleet.plural;
    const cilium = plan.cilium;
    const repository = { name: plural.repository, namespace: plural.namespace };

    // Cilium values: one base file every cluster shares, and per mesh one file with its members' identity
    // table (Liquid, keyed by the handle), its issuer and its peer list.
    new YamlFile(this, 'CiliumBaseValues', {
      path: `${layout.ciliumValuesFolder}/${layout.ciliumBaseValues}`,
      comment: `Cilium ${cilium.version} values every cluster of fleet "${fleet.name}" shares. Each tier's service adds its mesh's file.`,
      values: cilium.sharedValues as Record<string, unknown>,
    });
    this.meshValuesAndIssuers(plan, layout);
    this.ciliumServices = this.tierServices(plan, layout, repository);
    this.clusterObjects(plan, layout, repository);
    addPluralProbe(this, fleet, plan, layout);
    new TextFile(this, 'Picture', { path: layout.meshPicture, header: GENERATED_MARKDOWN_HEADER, text: meshMarkdown(fleetPicture(plan)) });
    if (props.prAutomations ?? fleet.source !== undefined) addPrAutomations(this, fleet, layout);
  }

  /** Per mesh: its values file (identity table, issuer, peers) and its CA issuer, the CA templated in at deploy time. */
  private meshValuesAndIssuers(plan: FleetPlan, layout: PluralLayout): void {
    const fleet = plan.fleet;
  for (const mesh of plan.meshes) {
    const pools = mesh.clusters.some((c) => c.datapath.ipam === 'cluster-pool');
    const ports = ownNodePorts(mesh.clusters);
    const identity = ciliumIdentityValues({
      minor: fleet.cilium.minor,
      name: Liquid.string(PLURAL_CONTEXT.clusterName),
      id: Liquid.scalar(IDENTITY_VARIABLES.id),
      address: Liquid.string(IDENTITY_VARIABLES.address),
      podCidr: pools ? Liquid.string(IDENTITY_VARIABLES.podCidr) : undefined,
      nodePort: ports ? Liquid.scalar(IDENTITY_VARIABLES.nodePort) : undefined,
    });
    for (const [distro, values] of mesh.platforms) {
      new YamlFile(this, `Platform-${mesh.name}-${distro}`, {
        path: `${layout.ciliumValuesFolder}/${layout.platformValues(mesh.name, distro)}`,
        comment: `What the members of mesh "${mesh.name}" on ${distro} (${CLOUD_OF[distro]}) need of Cilium, and how their clustermesh-apiserver is exposed there.`,
        values,
      });
    }
    new YamlFile(this, `Mesh-${mesh.name}`, {
      path: `${layout.ciliumValuesFolder}/${layout.meshValues(mesh.name)}`,
      comment: `Mesh "${mesh.name}": each member's id and address (looked up by its handle when Plural renders this file; a cluster that is\n`
        + `not a member gets an id the chart refuses), the mesh's own CA issuer, and every member, which each cluster dials (the agent skips itself).`,
      preamble: identityTable(mesh.name, mesh.clusters.map((c) => ({
        name: c.name, id: c.id, address: c.apiserverAddress, podCidr: pools ? c.podCidr : undefined, nodePort: ports ? c.apiserver.port : undefined,
      }))),
      values: mergeValues(identity, mesh.values) as Record<string, unknown>,
    });
    // The mesh's CA issuer: the CA comes from the mesh's configuration Secret at deploy time; no key material is in Git.
    new YamlFile(this, `IssuerSecret-${mesh.name}`, {
      path: `${layout.issuerFolder(mesh.name)}/ca-secret.yaml.liquid`,
      comment: `The CA of mesh "${mesh.name}", templated in by Plural at deploy time from the configurationRef Secret; no key material is in Git.`,
      values: {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: mesh.ca.issuerSecret, namespace: mesh.ca.namespace },
        type: 'kubernetes.io/tls',
        data: { 'tls.crt': Liquid.string(PLURAL_CONTEXT.caCert), 'tls.key': Liquid.string(PLURAL_CONTEXT.caKey) },
      },
    });
    const issuerFile = new ManifestFile(this, `Issuer-${mesh.name}`, { path: `${layout.issuerFolder(mesh.name)}/cluster-issuer.yaml` });
    new ClusterIssuer(issuerFile, 'ClusterIssuer', {
      metadata: { name: mesh.ca.issuer },
      spec: { ca: { secretName: mesh.ca.issuerSecret } },
    });
  }
  }

  /** Per populated tier: the GlobalServices of its mesh's issuer and of Cilium. */
  private tierServices(plan: FleetPlan, layout: PluralLayout, repository: { name: string; namespace: string }): Map<string, GlobalService> {
    const fleet = plan.fleet;
    const plural = fleet.plural;
    const cilium = plan.cilium;
  // Per tier: the issuer of its mesh (with the mesh's CA Secret), and Cilium reading the base values and its mesh's file.
  const services = new Map<string, GlobalService>();
  const populated = new Set(fleet.clusters.map((c) => c.tier));
  for (const tier of fleet.tiers) {
    if (!populated.has(tier.name)) continue;
    const mesh = plan.meshes.find((m) => m.name === tier.mesh)!;
    const issuerGs = new ManifestFile(this, `IssuerService-${tier.name}`, { path: layout.bootstrap('cilium-issuer', tier.name) });
    new GlobalService(issuerGs, 'Service', {
      name: `${fleet.name}-cilium-issuer-${tier.name}`,
      namespace: plural.namespace,
      tags: { fleet: fleet.name, tier: tier.name },
      serviceName: 'cilium-issuer',
      serviceNamespace: mesh.ca.namespace,
      repository,
      folder: layout.issuerFolder(mesh.name),
      ref: plural.gitRef,
      configurationRef: { name: mesh.ca.caSecret, namespace: plural.namespace },
    });
    // One Cilium service per platform of the tier: the tier's own platform keeps the name `cilium-<tier>`, others
    // get `-<distro>`. A tier on one platform selects its clusters by fleet and tier, as it always did; a tier on
    // several also by each Cluster's distro tag. Plural's own `distro` selector is not used: it is what Plural's agent
    // detects, and a cluster it detects otherwise (k3s, RKE, OpenShift; or not yet reported) would lose its CNI.
    const distros = tierDistros(fleet, tier.name);
    for (const distro of distros) {
      const suffix = distro === tier.distro ? '' : `-${distro}`;
      const file = new ManifestFile(this, `Cilium-${tier.name}${suffix}`, { path: layout.bootstrap('cilium', `cilium-${tier.name}${suffix}`) });
      const service = new GlobalService(file, 'Service', {
        name: `${fleet.name}-cilium-${tier.name}${suffix}`,
        namespace: plural.namespace,
        tags: { fleet: fleet.name, tier: tier.name, ...(distros.length > 1 ? { distro } : {}) },
        serviceName: 'cilium',
        serviceNamespace: cilium.namespace,
        repository,
        folder: layout.ciliumValuesFolder,
        ref: plural.gitRef,
        helm: {
          chart: cilium.chart,
          url: cilium.repository,
          version: cilium.version,
          valuesFiles: [layout.ciliumBaseValues, layout.platformValues(tier.mesh, distro), layout.meshValues(tier.mesh)],
        },
      });
      services.set(`${tier.name}${suffix}`, service);
    }
  }
  return services;
  }

  /** Per cluster: the stack that provisions it (detached when decommissioned with detach) and its Cluster object. */
  private clusterObjects(plan: FleetPlan, layout: PluralLayout, repository: { name: string; namespace: string }): void {
    const fleet = plan.fleet;
    const plural = fleet.plural;
  // Per cluster: the stack that provisions it (and sets its metadata), and its Cluster object. A cluster
  // decommissioned with `detach` keeps only its stack, detached, so deleting it later destroys nothing.
  for (const cluster of [...plan.clusters.map((c) => c.cluster), ...fleet.decommissioned.filter((c) => c.decommission === 'detach')]) {
    const file = new ManifestFile(this, `Cluster-${cluster.name}`, { path: layout.bootstrap('clusters', cluster.name) });
    if (cluster.stack) {
      new InfrastructureStack(file, 'Stack', {
        name: `cluster-${cluster.name}`,
        namespace: plural.namespace,
        repository,
        folder: plural.terraformFolders[cluster.distro]!,
        ref: plural.gitRef,
        cluster: { name: plural.mgmtCluster, namespace: plural.namespace },
        version: plural.terraformVersion,
        actor: plural.actor,
        variables: stackVariables(fleet, cluster),
        detach: cluster.decommission === 'detach' ? true : undefined,
      });
    }
    if (cluster.decommission) continue;
    new PluralCluster(file, 'Cluster', {
      name: cluster.name,
      namespace: plural.namespace,
      handle: cluster.name,
      tags: { ...cluster.tags },
    });
  }
  }
}

/** The platforms of a tier's clusters, in `DISTROS` order. */
export function tierDistros(fleet: Fleet, tier: string): Distro[] {
  return DISTROS.filter((d) => fleet.clusters.some((c) => c.tier === tier && c.distro === d));
}

/** The InfrastructureStacks of a file's text (undefined when it cannot be read as YAML). */
function stacksOf(content: string): Array<Record<string, any>> | undefined {
  try {
    return parseAllDocuments(content).map((d) => d.toJS() as Record<string, any> | null)
      .filter((d): d is Record<string, any> => d?.kind === 'InfrastructureStack');
  } catch {
    return undefined;
  }
}

const KEEP_OR_DECOMMISSION = 'keep its entry as it is, or decommission it (decommission: destroy destroys it; detach keeps it) and add a new cluster';

/**
 * Why the writer must not remove a file of a Plural tree, or undefined: a cluster's file whose
 * InfrastructureStack is not detached, for a cluster the fleet does not decommission with `destroy`
 * (deleting such a stack makes Plural destroy the cluster's infrastructure).
 */
export function pluralRemovalProblem(fleet: Fleet, path: string, content: string): string | undefined {
  const name = PluralLayout.clusterOfPath(path);
  if (name === undefined) return undefined;
  const stacks = stacksOf(content) ?? [{}];
  if (stacks.length === 0 || stacks.every((st) => st.spec?.detach === true)) return undefined;
  if (fleet.decommissioned.some((c) => c.name === name && c.decommission === 'destroy')) return undefined;
  const fleetFile = fleet.plural.fleetFile;
  return `would delete cluster "${name}"'s InfrastructureStack, and Plural would destroy its infrastructure (detach: false). `
    + `To remove the cluster, keep its entry in ${fleetFile} with decommission: destroy (destroys it) or decommission: detach `
    + `(keeps it; remove the entry once Plural applied the detach). A rename is a destroy plus a create: add the new cluster and decommission the old one`;
}

/**
 * Why the writer must not replace a cluster's file of a Plural tree, or undefined: its live (undetached)
 * InfrastructureStack would be deleted (\`stack: false\` on a running cluster) or re-planned with another
 * cluster id or region (Terraform would replace the cluster).
 */
export function pluralReplaceProblem(fleet: Fleet, path: string, current: string): string | undefined {
  const name = PluralLayout.clusterOfPath(path);
  if (name === undefined) return undefined;
  // The file on disk is read (it may be anything); what replaces it is the fleet's own plan, not its text parsed again.
  const live = (stacksOf(current) ?? []).find((st) => st.spec?.detach !== true);
  if (!live) return undefined;
  const now = plannedStack(fleet, name);
  if (!now) {
    return `would delete cluster "${name}"'s InfrastructureStack (stack: false on a running cluster), and Plural would destroy its infrastructure; ${KEEP_OR_DECOMMISSION}`;
  }
  if (now.spec?.detach === true) return undefined;
  const liveFolder = live.spec?.git?.folder;
  if (typeof liveFolder === 'string' && liveFolder !== now.spec.folder) {
    return `cluster "${name}": its stack's folder changes from "${liveFolder}" to "${now.spec.folder}" in place; Terraform would run another module on its state `
      + `(a distro change or a moved module): ${KEEP_OR_DECOMMISSION}, or move the module's state first`;
  }
  const before: Record<string, unknown> = live.spec?.variables ?? {};
  const after: Record<string, unknown> = now.spec?.variables ?? {};
  for (const key of [STACK_VARIABLES.clusterId, 'region']) {
    if (before[key] !== undefined && before[key] !== after[key]) {
      return `cluster "${name}": its stack's ${key} changes from ${JSON.stringify(before[key])} to ${JSON.stringify(after[key])} in place; `
        + `${key === 'region' ? 'Terraform would replace the cluster' : 'Cilium cannot change a running cluster\'s id'}: ${KEEP_OR_DECOMMISSION}`;
    }
  }
  return undefined;
}

/** The stack the fleet plans for a cluster's file (as `clusterObjects` writes it), or undefined when it has none. */
function plannedStack(fleet: Fleet, name: string): { spec: { detach?: boolean; folder: string; variables: Record<string, unknown> } } | undefined {
  const cluster = fleet.clusters.find((c) => c.name === name) ?? fleet.decommissioned.find((c) => c.name === name && c.decommission === 'detach');
  if (!cluster?.stack || (cluster.decommission !== undefined && cluster.decommission !== 'detach')) return undefined;
  return { spec: { detach: cluster.decommission === 'detach' ? true : undefined, folder: fleet.plural.terraformFolders[cluster.distro]!, variables: stackVariables(fleet, cluster) } };
}

/** The Terraform variables of a cluster's stack (the Cilium values do not depend on them). */
export function stackVariables(fleet: Fleet, cluster: MeshCluster): Record<string, string | number> {
  return {
    cluster: cluster.name,
    fleet: fleet.name,
    tier: cluster.tier,
    region: cluster.region,
    [STACK_VARIABLES.clusterId]: cluster.id,
    [STACK_VARIABLES.dnsZone]: cluster.dnsZone,
    // The other platforms' modules make the pod range (GKE's secondary range) or know the pool; EKS stacks keep their variables.
    ...(cluster.distro !== 'eks' && cluster.podCidr !== undefined ? { [STACK_VARIABLES.podCidr]: cluster.podCidr } : {}),
  };
}

/**
 * Synthesizes a fleet's Plural GitOps tree in memory: path -> file content, deterministic.
 * Nothing is written to disk (that is the writer's job).
 */
export function synthPluralTree(fleet: Fleet, layout: PluralLayout = new PluralLayout(fleet.name)): Map<string, string> {
  const app = new TreeApp();
  const plan = planFleet(fleet);
  new PluralMeshFleet(app, fleet.name, { fleet, plan, layout });
  if (plan.multigres.length > 0) {
    // Loaded only when used: the Multigres constructs are not needed to synthesize the mesh alone.
    const { PluralMultigres } = require('./multigres') as typeof import('./multigres');
    new PluralMultigres(app, `${fleet.name}-multigres`, { plan, layout });
  }
  return renderFiles(app);
}
