/** The PR automations that add a cluster to a fleet by appending it to fleet.yaml, their Catalog, and the form they ask. */
import { Construct } from 'constructs';
import { PrAutomationSpecConfigurationType, PrAutomationSpecUpdatesYamlOverlaysListMerge } from '../../../imports/plural-prautomation-deployments.plural.sh';
import { Fleet } from '../../fleet/fleet';
import { AWS_REGIONS, AZURE_REGIONS, DISTROS, GCP_REGIONS } from '../../fleet/platform';
import { Distro } from '../../fleet/props';
import { usableIdRanges } from '../../fleet/rules';
import { ManifestFile } from '../../gitops/files';
import { Catalog } from '../../plural/catalog';
import { PrAutomation, PrAutomationField } from '../../plural/pr-automation';
import { clusterIdRegex, clusterNameRegex, DNS_ZONE_REGEX, POD_CIDR_REGEX, REGION_REGEX } from './form-regex';
import { PluralLayout } from './layout';

/**
 * The `cluster-creator` and `mesh-registrar` PR automations of a fleet and their Catalog. Both edit
 * fleet.yaml, the single source of truth: they append one cluster entry.
 */
export function addPrAutomations(scope: Construct, fleet: Fleet, layout: PluralLayout): void {
  const plural = fleet.plural;
  const catalogName = `${fleet.name}-mesh`;
  const catalogFile = new ManifestFile(scope, 'Catalog', { path: layout.bootstrap('pr-automations', 'catalog') });
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
    '  distro: "{{ context.distro }}"',
    // One region field per cloud, each shown for its distro: the one answered is the region.
    `  region: "${REGION_FIELDS.map((f) => `{{ context.${f.name} | default: '' }}`).join('')}"`,
    '  dnsZone: "{{ context.dnsZone }}"',
    '{% if context.podCidr %}  podCidr: "{{ context.podCidr }}"{% endif %}',
    ...(stack ? [] : ['  stack: false']),
    '',
  ].join('\n');
  const automations = [
    {
      id: 'Creator',
      file: 'cluster-creator',
      stack: true,
      documentation: `Creates a cluster in fleet "${fleet.name}" and joins it to its tier's Cilium Cluster Mesh: appends it to ${plural.fleetFile}; `
        + 'the re-synthesized tree then holds its Terraform stack, its Cluster, and its mesh\'s updated identity table and peer list.',
      title: `Create cluster {{ context.name }} in ${fleet.name} ({{ context.tier }})`,
      message: `Appends cluster {{ context.name }} (id {{ context.clusterId }}, {{ context.distro }}) to ${plural.fleetFile}.`,
    },
    {
      id: 'Registrar',
      file: 'mesh-registrar',
      stack: false,
      documentation: `Registers an existing cluster (provisioned elsewhere) with the Cilium Cluster Mesh of its tier in fleet "${fleet.name}": `
        + `appends it to ${plural.fleetFile} with stack: false, so only its Cluster object and its mesh\'s identity and peer entries are added.`,
      title: `Register cluster {{ context.name }} with the {{ context.tier }} mesh of ${fleet.name}`,
      message: `Appends cluster {{ context.name }} (id {{ context.clusterId }}) to ${plural.fleetFile} without a stack.`,
    },
  ];
  for (const a of automations) {
    const file = new ManifestFile(scope, a.id, { path: layout.bootstrap('pr-automations', a.file) });
    new PrAutomation(file, 'PrAutomation', {
      name: `${fleet.name}-${a.file}`,
      scmConnection: plural.scmConnection,
      identifier: plural.identifier,
      branch: plural.gitRef,
      catalog: catalogName,
      documentation: a.documentation,
      title: a.title,
      message: `${a.message} The meshfleet CI workflow synthesizes the tree (or run \`npx meshfleet synth --out .\`); merge once it passes.`,
      configuration: form,
      yamlOverlays: [{ file: plural.fleetFile, yaml: entry(a.stack), listMerge: PrAutomationSpecUpdatesYamlOverlaysListMerge.APPEND }],
    });
  }
}

/** The region field of each platform, shown when the form's distro is that platform. */
const REGION_FIELDS: ReadonlyArray<{ name: string; distro: Distro; documentation: string; regex: string }> = [
  { name: 'awsRegion', distro: 'eks', documentation: 'AWS region, e.g. us-west-2.', regex: `^(?:${AWS_REGIONS.join('|')})$` },
  { name: 'gcpRegion', distro: 'gke', documentation: 'Google Cloud region or zone, e.g. europe-west1 or europe-west1-b.', regex: `^(?:${GCP_REGIONS.join('|')})(?:-[a-f])?$` },
  { name: 'azureRegion', distro: 'aks', documentation: 'Azure region, e.g. westeurope.', regex: `^(?:${AZURE_REGIONS.join('|')})$` },
  { name: 'location', distro: 'generic', documentation: 'Location of the bare-metal cluster (lowercase letters, digits and "-"), e.g. dc-frankfurt.', regex: REGION_REGEX },
];

function clusterForm(fleet: Fleet): PrAutomationField[] {
  // Ids 128-255 and 384-511 fail on EKS with aws-cni or ENI; the form offers what every platform of the fleet can use.
  const restricted = fleet.tiers.some((t) => t.distro === 'eks') && (fleet.cilium.cni === 'aws-cni' || fleet.cilium.cni === 'eni');
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
      name: 'distro',
      type: PrAutomationSpecConfigurationType.ENUM,
      documentation: 'Platform of the cluster: eks, gke (VPC-native, your own Cilium), aks (BYOCNI) or generic (bare metal). It must route like the rest of its tier\'s mesh (synthesis checks).',
      values: [...DISTROS],
      default: fleet.tiers[0]?.distro ?? 'eks',
    },
    ...REGION_FIELDS.map((f) => ({
      name: f.name,
      type: PrAutomationSpecConfigurationType.STRING,
      documentation: f.documentation,
      regex: f.regex,
      optional: true,
      condition: { field: 'distro', operation: 'EQ' as const, value: f.distro },
    })),
    {
      name: 'dnsZone',
      type: PrAutomationSpecConfigurationType.STRING,
      documentation: 'DNS zone external-dns manages in the cluster; peers dial <name>-cilium-apiserver.<dnsZone>.',
      regex: DNS_ZONE_REGEX,
    },
    // With cluster-pool (AKS, generic, EKS with cni cluster-pool), Cilium assigns pod IPs from the cluster's own CIDR;
    // on GKE it routes natively over it. It must not overlap its mesh's. EKS with aws-cni or ENI needs none.
    {
      name: 'podCidr',
      type: PrAutomationSpecConfigurationType.STRING,
      documentation: 'Pod CIDR of the cluster (IPv4, e.g. 10.4.0.0/16; on GKE its pod range); it must not overlap another cluster of its mesh (synthesis checks). Required except on EKS with aws-cni or ENI.',
      regex: POD_CIDR_REGEX,
      optional: true,
      // An EKS cluster with aws-cni or ENI needs none, unless its mesh may hold GKE members (their native routing range must hold it).
      ...(fleet.cilium.cni === 'cluster-pool' || [...fleet.tiers, ...fleet.clusters].some((x) => x.distro === 'gke') ? {} : { condition: { field: 'distro', operation: 'NOT' as const, value: 'eks' } }),
    },
  ];
}
