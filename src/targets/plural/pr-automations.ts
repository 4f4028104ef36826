/** The PR automations that add a cluster to a fleet by appending it to fleet.yaml, their Catalog, and the form they ask. */
import { Construct } from 'constructs';
import { PrAutomationSpecConfigurationType, PrAutomationSpecUpdatesYamlOverlaysListMerge } from '../../../imports/plural-prautomation-deployments.plural.sh';
import { Fleet } from '../../fleet/fleet';
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
    '  region: "{{ context.region }}"',
    '  dnsZone: "{{ context.dnsZone }}"',
    ...(fleet.cilium.cni === 'cluster-pool' ? ['  podCidr: "{{ context.podCidr }}"'] : []),
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
      message: `Appends cluster {{ context.name }} (id {{ context.clusterId }}, {{ context.region }}) to ${plural.fleetFile}.`,
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
    // With cluster-pool, Cilium assigns pod IPs from the cluster's own CIDR, which must not overlap its mesh's.
    ...(fleet.cilium.cni === 'cluster-pool' ? [{
      name: 'podCidr',
      type: PrAutomationSpecConfigurationType.STRING,
      documentation: 'Pod CIDR of the cluster (IPv4, e.g. 10.4.0.0/16); it must not overlap another cluster of its mesh (synthesis checks).',
      regex: POD_CIDR_REGEX,
    }] : []),
  ];
}
