import { App } from 'cdk8s';
import { Construct } from 'constructs';
import { ClusterIssuer } from '../imports/cert-manager-clusterissuer-cert-manager.io';
import { PrAutomationSpecConfigurationType, PrAutomationSpecUpdatesYamlOverlaysListMerge } from '../imports/plural-prautomation-deployments.plural.sh';
import { Liquid } from './targets/plural/liquid';
import { ciliumBaseValues, meshPeerValues, PLURAL_CONTEXT } from './cilium/values';
import { Fleet, MeshCluster } from './fleet/fleet';
import { usableIdRanges } from './fleet/rules';
import { ManifestFile, renderFiles, YamlFile } from './gitops/files';
import { PluralLayout } from './gitops/plural-layout';
import { Catalog } from './plural/catalog';
import { PluralCluster } from './plural/cluster';
import { GlobalService } from './plural/global-service';
import { InfrastructureStack } from './plural/infrastructure-stack';
import { PrAutomation, PrAutomationField } from './plural/pr-automation';
import { clusterIdRegex, clusterNameRegex, DNS_ZONE_REGEX, REGION_REGEX } from './plural/regex';

/** Props of a `PluralMeshFleet`. */
export interface PluralMeshFleetProps {
  /** The validated fleet. */
  readonly fleet: Fleet;
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
    const layout = props.layout ?? new PluralLayout(fleet.name);
    this.fleet = fleet;
    this.layout = layout;
    const plural = fleet.plural;
    const cilium = fleet.cilium;
    const repository = { name: plural.repository, namespace: plural.namespace };
    const caSecretRef = { name: cilium.tls.caSecret, namespace: plural.namespace };

    // Cilium values: one base file for the fleet, one peer list per mesh.
    new YamlFile(this, 'CiliumBaseValues', {
      path: `${layout.ciliumValuesFolder}/${layout.ciliumBaseValues}`,
      comment: `Cilium ${cilium.version} values for every cluster of fleet "${fleet.name}". Plural renders the Liquid per cluster:\n`
        + 'cluster.handle and cluster.metadata (set by the cluster\'s stack), the CA from the configurationRef Secret.',
      values: ciliumBaseValues(fleet),
    });
    for (const mesh of fleet.meshes) {
      if (mesh.clusters.length === 0) continue;
      new YamlFile(this, `Peers-${mesh.name}`, {
        path: `${layout.ciliumValuesFolder}/${layout.meshPeersValues(mesh.name)}`,
        comment: `Every member of mesh "${mesh.name}"; each cluster dials all the others (the agent skips its own entry).`,
        values: meshPeerValues(mesh),
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
        metadata: { name: cilium.tls.issuerSecret, namespace: cilium.tls.certManagerNamespace },
        type: 'kubernetes.io/tls',
        data: { 'tls.crt': Liquid.string(PLURAL_CONTEXT.caCert), 'tls.key': Liquid.string(PLURAL_CONTEXT.caKey) },
      },
    });
    const issuerFile = new ManifestFile(this, 'Issuer', { path: `${layout.issuerFolder}/cluster-issuer.yaml` });
    new ClusterIssuer(issuerFile, 'ClusterIssuer', {
      metadata: { name: cilium.tls.issuer },
      spec: { ca: { secretName: cilium.tls.issuerSecret } },
    });
    const issuerGs = new ManifestFile(this, 'IssuerService', { path: layout.bootstrap('cilium', issuerService) });
    new GlobalService(issuerGs, 'Service', {
      name: `${fleet.name}-${issuerService}`,
      namespace: plural.namespace,
      tags: { fleet: fleet.name },
      serviceName: issuerService,
      serviceNamespace: cilium.tls.certManagerNamespace,
      repository,
      folder: layout.issuerFolder,
      ref: plural.gitRef,
      configurationRef: caSecretRef,
    });

    // One Cilium GlobalService per tier, reading the base values and its mesh's peer list.
    const services = new Map<string, GlobalService>();
    for (const tier of fleet.tiers) {
      const mesh = fleet.mesh(tier.mesh);
      if (!mesh.clusters.some((c) => c.tier === tier.name)) continue;
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
          chart: 'cilium',
          url: cilium.chartUrl,
          version: cilium.version,
          valuesFiles: [layout.ciliumBaseValues, layout.meshPeersValues(mesh.name)],
        },
      }));
    }
    this.ciliumServices = services;

    // Per cluster: the stack that provisions it (and sets its metadata), and its Cluster object.
    for (const cluster of fleet.clusters) {
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

    // PR automations: both edit fleet.yaml, the single source of truth.
    const catalogName = `${fleet.name}-mesh`;
    const catalogFile = new ManifestFile(this, 'Catalog', { path: layout.bootstrap('pr-automations', 'catalog') });
    new Catalog(catalogFile, 'Catalog', {
      name: catalogName,
      author: 'meshfleet',
      category: 'network',
      description: `Add clusters to the Cilium Cluster Mesh of fleet "${fleet.name}".`,
    });
    const form = clusterForm(fleet);
    const entry = (stack: boolean) => [
      'clusters:',
      '- name: "{{ context.name }}"',
      '  id: {{ context.clusterId }}',
      '  tier: "{{ context.tier }}"',
      '  region: "{{ context.region }}"',
      '  dnsZone: "{{ context.dnsZone }}"',
      ...(stack ? [] : ['  stack: false']),
      '',
    ].join('\n');
    const automations = [
      {
        id: 'Creator',
        file: 'cluster-creator',
        stack: true,
        documentation: `Creates a cluster in fleet "${fleet.name}" and joins it to its tier's Cilium Cluster Mesh: appends it to ${plural.fleetFile}; `
          + 'the re-synthesized tree then holds its Terraform stack (which sets cluster.metadata), its Cluster, and the updated peer list.',
        title: `Create cluster {{ context.name }} in ${fleet.name} ({{ context.tier }})`,
        message: `Appends cluster {{ context.name }} (id {{ context.clusterId }}, {{ context.region }}) to ${plural.fleetFile}.`,
      },
      {
        id: 'Registrar',
        file: 'mesh-registrar',
        stack: false,
        documentation: `Registers an existing cluster (provisioned elsewhere) with the Cilium Cluster Mesh of its tier in fleet "${fleet.name}": `
          + `appends it to ${plural.fleetFile} with stack: false, so only its Cluster object and peer entries are added.`,
        title: `Register cluster {{ context.name }} with the {{ context.tier }} mesh of ${fleet.name}`,
        message: `Appends cluster {{ context.name }} (id {{ context.clusterId }}) to ${plural.fleetFile} without a stack.`,
      },
    ];
    for (const a of automations) {
      const file = new ManifestFile(this, a.id, { path: layout.bootstrap('pr-automations', a.file) });
      new PrAutomation(file, 'PrAutomation', {
        name: `${fleet.name}-${a.file}`,
        scmConnection: plural.scmConnection,
        identifier: plural.identifier,
        branch: plural.gitRef,
        catalog: catalogName,
        documentation: a.documentation,
        title: a.title,
        message: `${a.message} Run \`npm run synth\` and commit dist/ before merging.`,
        configuration: form,
        yamlOverlays: [{ file: plural.fleetFile, yaml: entry(a.stack), listMerge: PrAutomationSpecUpdatesYamlOverlaysListMerge.APPEND }],
      });
    }
  }
}

/** The Terraform variables of a cluster's stack; the module turns them into `cluster.metadata`. */
export function stackVariables(fleet: Fleet, cluster: MeshCluster): Record<string, string | number> {
  return {
    cluster: cluster.name,
    fleet: fleet.name,
    tier: cluster.tier,
    region: cluster.region,
    cluster_id: cluster.id,
    dns_zone: cluster.dnsZone,
  };
}

function clusterForm(fleet: Fleet): PrAutomationField[] {
  const restricted = fleet.cilium.cni === 'aws-cni' || fleet.cilium.cni === 'eni';
  const ranges = usableIdRanges(fleet.cilium.maxConnectedClusters, restricted);
  const rangeText = ranges.map((r) => `${r.min}..${r.max}`).join(' or ');
  return [
    {
      name: 'name',
      type: PrAutomationSpecConfigurationType.STRING,
      documentation: 'Cluster name (Plural handle and Cilium cluster name): lowercase letters, digits and "-", at most 32 characters, not "default".',
      regex: clusterNameRegex(),
    },
    {
      name: 'tier',
      type: PrAutomationSpecConfigurationType.ENUM,
      documentation: 'Tier of the cluster; it joins that tier\'s mesh.',
      values: fleet.tiers.map((t) => t.name),
    },
    {
      name: 'clusterId',
      type: PrAutomationSpecConfigurationType.STRING,
      documentation: `Cilium cluster id, unique in the mesh: ${rangeText}. Synthesis refuses an id already used in the mesh.`,
      regex: clusterIdRegex(ranges),
    },
    {
      name: 'region',
      type: PrAutomationSpecConfigurationType.STRING,
      documentation: 'Cloud region, e.g. us-west-2.',
      regex: REGION_REGEX,
    },
    {
      name: 'dnsZone',
      type: PrAutomationSpecConfigurationType.STRING,
      documentation: 'DNS zone external-dns manages in the cluster; peers dial <name>-cilium-apiserver.<dnsZone>.',
      regex: DNS_ZONE_REGEX,
    },
  ];
}

/**
 * Synthesizes a fleet's Plural GitOps tree in memory: path -> file content, deterministic.
 * Nothing is written to disk (that is the writer's job).
 */
export function synthPluralTree(fleet: Fleet, layout?: PluralLayout): Map<string, string> {
  const app = new App({ outdir: '.cdk8s.out' });
  new PluralMeshFleet(app, fleet.name, { fleet, layout });
  if (fleet.multigres) {
    // Loaded only when used: the Multigres constructs are not needed to synthesize the mesh alone.
    const { MultigresFleet } = require('./multigres-fleet') as typeof import('./multigres-fleet');
    new MultigresFleet(app, `${fleet.name}-multigres`, { fleet, layout });
  }
  return renderFiles(app);
}
