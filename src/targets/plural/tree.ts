/**
 * The Plural delivery target: turns the plan into the files a `plural up` GitOps repository needs
 * (GlobalServices, values with Liquid, the CA issuer, stacks and Cluster objects, PR automations,
 * Multigres ServiceDeployments).
 */
import { App } from 'cdk8s';
import { Construct } from 'constructs';
import { ClusterIssuer } from '../../../imports/cert-manager-clusterissuer-cert-manager.io';
import { ciliumIdentityValues, meshPeerValues } from '../../cilium/values';
import { Fleet, MeshCluster } from '../../fleet/fleet';
import { ManifestFile, renderFiles, YamlFile } from '../../gitops/files';
import { mergeValues } from '../../k8s/yaml';
import { FleetPlan, planFleet } from '../../plan/plan';
import { PluralCluster } from '../../plural/cluster';
import { GlobalService } from '../../plural/global-service';
import { InfrastructureStack } from '../../plural/infrastructure-stack';
import { APISERVER_ADDRESS_TEMPLATE, PLURAL_CONTEXT, STACK_VARIABLES } from './context';
import { PluralLayout } from './layout';
import { pluralSettings } from './settings';
import { Liquid } from './liquid';
import { addPrAutomations } from './pr-automations';

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
}

/**
 * Everything a Plural GitOps repository needs to run one Cilium Cluster Mesh per mesh of a fleet:
 * - the Cilium values (a base file with Liquid, and one peer list per mesh) and a GlobalService per tier;
 * - the CA issuer every cluster's clustermesh-apiserver certificate comes from, delivered to the fleet;
 * - per cluster, its InfrastructureStack (Terraform variables become `cluster.metadata`) and Cluster;
 * - the PR automations that add a cluster by appending it to fleet.yaml, and their Catalog.
 */
export class PluralMeshFleet extends Construct {
  /** The fleet. */
  public readonly fleet: Fleet;
  /** The layout used. */
  public readonly layout: PluralLayout;
  /** The Cilium GlobalService of each tier, by tier name. */
  public readonly ciliumServices: ReadonlyMap<string, GlobalService>;

  constructor(scope: Construct, id: string, props: PluralMeshFleetProps) {
    super(scope, id);
    const fleet = props.fleet;
    const plan = props.plan ?? planFleet(fleet);
    const layout = props.layout ?? new PluralLayout(fleet.name);
    this.fleet = fleet;
    this.layout = layout;
    const plural = pluralSettings(fleet);
    const cilium = plan.cilium;
    const repository = { name: plural.repository, namespace: plural.namespace };
    const caSecretRef = { name: fleet.cilium.tls.caSecret, namespace: plural.namespace };

    // Cilium values: one base file for the fleet (identity and CA as Liquid, then what all share), one peer list per mesh.
    const identity = ciliumIdentityValues({
      minor: fleet.cilium.minor,
      name: Liquid.string(PLURAL_CONTEXT.clusterName),
      id: Liquid.scalar(PLURAL_CONTEXT.clusterId),
      address: Liquid.template(APISERVER_ADDRESS_TEMPLATE),
      ca: { cert: Liquid.string(PLURAL_CONTEXT.caCert), key: Liquid.string(PLURAL_CONTEXT.caKey) },
      annotations: fleet.cilium.apiserver.annotations,
    });
    new YamlFile(this, 'CiliumBaseValues', {
      path: `${layout.ciliumValuesFolder}/${layout.ciliumBaseValues}`,
      comment: `Cilium ${cilium.version} values for every cluster of fleet "${fleet.name}". Plural renders the Liquid per cluster:\n`
        + 'cluster.handle and cluster.metadata (set by the cluster\'s stack), the CA from the configurationRef Secret.',
      values: mergeValues(identity, cilium.sharedValues) as Record<string, unknown>,
    });
    for (const mesh of plan.meshes) {
      new YamlFile(this, `Peers-${mesh.name}`, {
        path: `${layout.ciliumValuesFolder}/${layout.meshPeersValues(mesh.name)}`,
        comment: `Every member of mesh "${mesh.name}"; each cluster dials all the others (the agent skips its own entry).`,
        values: meshPeerValues(mesh.peers),
      });
    }

    // The CA issuer, delivered to every cluster of the fleet.
    const issuerService = 'cilium-issuer';
    new YamlFile(this, 'IssuerSecret', {
      path: `${layout.issuerFolder}/ca-secret.yaml.liquid`,
      comment: 'The shared CA, templated in by Plural at deploy time from the configurationRef Secret; no key material is in Git.',
      values: {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: plan.caIssuer.secret, namespace: plan.caIssuer.namespace },
        type: 'kubernetes.io/tls',
        data: { 'tls.crt': Liquid.string(PLURAL_CONTEXT.caCert), 'tls.key': Liquid.string(PLURAL_CONTEXT.caKey) },
      },
    });
    const issuerFile = new ManifestFile(this, 'Issuer', { path: `${layout.issuerFolder}/cluster-issuer.yaml` });
    new ClusterIssuer(issuerFile, 'ClusterIssuer', {
      metadata: { name: plan.caIssuer.issuer },
      spec: { ca: { secretName: plan.caIssuer.secret } },
    });
    const issuerGs = new ManifestFile(this, 'IssuerService', { path: layout.bootstrap('cilium', issuerService) });
    new GlobalService(issuerGs, 'Service', {
      name: `${fleet.name}-${issuerService}`,
      namespace: plural.namespace,
      tags: { fleet: fleet.name },
      serviceName: issuerService,
      serviceNamespace: plan.caIssuer.namespace,
      repository,
      folder: layout.issuerFolder,
      ref: plural.gitRef,
      configurationRef: caSecretRef,
    });

    // One Cilium GlobalService per tier, reading the base values and its mesh's peer list.
    const services = new Map<string, GlobalService>();
    const populated = new Set(fleet.clusters.map((c) => c.tier));
    for (const tier of fleet.tiers) {
      if (!populated.has(tier.name)) continue;
      const file = new ManifestFile(this, `Cilium-${tier.name}`, { path: layout.bootstrap('cilium', `cilium-${tier.name}`) });
      services.set(tier.name, new GlobalService(file, 'Service', {
        name: `${fleet.name}-cilium-${tier.name}`,
        namespace: plural.namespace,
        tags: { fleet: fleet.name, tier: tier.name },
        serviceName: 'cilium',
        serviceNamespace: cilium.namespace,
        repository,
        folder: layout.ciliumValuesFolder,
        ref: plural.gitRef,
        configurationRef: caSecretRef,
        helm: {
          chart: cilium.chart,
          url: cilium.repository,
          version: cilium.version,
          valuesFiles: [layout.ciliumBaseValues, layout.meshPeersValues(tier.mesh)],
        },
      }));
    }
    this.ciliumServices = services;

    // Per cluster: the stack that provisions it (and sets its metadata), and its Cluster object.
    for (const { cluster } of plan.clusters) {
      const file = new ManifestFile(this, `Cluster-${cluster.name}`, { path: layout.bootstrap('clusters', cluster.name) });
      if (cluster.stack) {
        new InfrastructureStack(file, 'Stack', {
          name: `cluster-${cluster.name}`,
          namespace: plural.namespace,
          repository,
          folder: plural.terraformFolder,
          ref: plural.gitRef,
          cluster: { name: plural.mgmtCluster, namespace: plural.namespace },
          version: plural.terraformVersion,
          actor: plural.actor,
          variables: stackVariables(fleet, cluster),
        });
      }
      new PluralCluster(file, 'Cluster', {
        name: cluster.name,
        namespace: plural.namespace,
        handle: cluster.name,
        tags: { ...cluster.tags },
      });
    }

    addPrAutomations(this, fleet, layout);
  }
}

/** The Terraform variables of a cluster's stack; the module turns them into `cluster.metadata`. */
export function stackVariables(fleet: Fleet, cluster: MeshCluster): Record<string, string | number> {
  return {
    cluster: cluster.name,
    fleet: fleet.name,
    tier: cluster.tier,
    region: cluster.region,
    [STACK_VARIABLES.clusterId]: cluster.id,
    [STACK_VARIABLES.dnsZone]: cluster.dnsZone,
  };
}

/**
 * Synthesizes a fleet's Plural GitOps tree in memory: path -> file content, deterministic.
 * Nothing is written to disk (that is the writer's job).
 */
export function synthPluralTree(fleet: Fleet, layout: PluralLayout = new PluralLayout(fleet.name)): Map<string, string> {
  const app = new App({ outdir: '.cdk8s.out' });
  const plan = planFleet(fleet);
  new PluralMeshFleet(app, fleet.name, { fleet, plan, layout });
  if (plan.multigres.length > 0) {
    // Loaded only when used: the Multigres constructs are not needed to synthesize the mesh alone.
    const { PluralMultigres } = require('./multigres') as typeof import('./multigres');
    new PluralMultigres(app, `${fleet.name}-multigres`, { plan, layout });
  }
  return renderFiles(app);
}
