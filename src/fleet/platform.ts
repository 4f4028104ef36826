/**
 * The platforms a cluster runs on (EKS, GKE, AKS, generic): their regions, the datapath Cilium runs
 * there, their internal load balancer settings and Plural's name for them. From Cilium's install guide
 * (`k8s-install-helm`) and Cluster Mesh preparation guides (`{eks,gke,aks}-clustermesh-prep`), checked
 * against the chart's templates and values.schema.json for 1.18, 1.19 and 1.20.
 */
import { CniMode, Distro } from './props';
import { distance } from 'fastest-levenshtein';
import { DNS_LABEL } from '../k8s/names';

/** Every platform meshfleet knows, in the order it lists them. */
export const DISTROS: readonly Distro[] = ['eks', 'gke', 'aks', 'generic'];

/** Plural's `distro` enum value for each platform (GlobalService `spec.distro`). */
export const PLURAL_DISTRO: Readonly<Record<Distro, 'EKS' | 'GKE' | 'AKS' | 'GENERIC'>> = { eks: 'EKS', gke: 'GKE', aks: 'AKS', generic: 'GENERIC' };

/** The cloud a platform runs on, as people name it. */
export const CLOUD_OF: Readonly<Record<Distro, string>> = { eks: 'AWS', gke: 'Google Cloud', aks: 'Azure', generic: 'bare metal / on-premises' };

/** AWS regions (commercial, GovCloud, China and the European Sovereign Cloud), December 2026. */
export const AWS_REGIONS: readonly string[] = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-south-1', 'ap-south-2',
  'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4',
  'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7', 'ca-central-1', 'ca-west-1', 'eu-central-1', 'eu-central-2', 'eu-west-1',
  'eu-west-2', 'eu-west-3', 'eu-south-1', 'eu-south-2', 'eu-north-1', 'il-central-1', 'me-south-1', 'me-central-1', 'mx-central-1',
  'sa-east-1', 'us-gov-east-1', 'us-gov-west-1', 'cn-north-1', 'cn-northwest-1', 'eusc-de-east-1',
];

/** Google Cloud regions, December 2026 (a GKE cluster's location may also be one of their zones, `<region>-<letter>`). */
export const GCP_REGIONS: readonly string[] = [
  'africa-south1', 'asia-east1', 'asia-east2', 'asia-northeast1', 'asia-northeast2', 'asia-northeast3', 'asia-south1', 'asia-south2',
  'asia-southeast1', 'asia-southeast2', 'asia-southeast3', 'australia-southeast1', 'australia-southeast2', 'europe-central2',
  'europe-north1', 'europe-north2', 'europe-southwest1', 'europe-west1', 'europe-west2', 'europe-west3', 'europe-west4', 'europe-west6',
  'europe-west8', 'europe-west9', 'europe-west10', 'europe-west12', 'me-central1', 'me-central2', 'me-west1', 'northamerica-northeast1',
  'northamerica-northeast2', 'northamerica-south1', 'southamerica-east1', 'southamerica-west1', 'us-central1', 'us-east1', 'us-east4',
  'us-east5', 'us-south1', 'us-west1', 'us-west2', 'us-west3', 'us-west4',
];

/** Azure regions (public, US Government and China clouds; the names `az` takes), December 2026. */
export const AZURE_REGIONS: readonly string[] = [
  'eastus', 'eastus2', 'westus', 'westus2', 'westus3', 'centralus', 'northcentralus', 'southcentralus', 'westcentralus', 'canadacentral',
  'canadaeast', 'brazilsouth', 'brazilsoutheast', 'mexicocentral', 'chilecentral', 'northeurope', 'westeurope', 'uksouth', 'ukwest',
  'francecentral', 'francesouth', 'germanywestcentral', 'germanynorth', 'switzerlandnorth', 'switzerlandwest', 'norwayeast', 'norwaywest',
  'swedencentral', 'swedensouth', 'polandcentral', 'italynorth', 'spaincentral', 'austriaeast', 'belgiumcentral', 'denmarkeast',
  'eastasia', 'southeastasia', 'japaneast', 'japanwest', 'koreacentral', 'koreasouth', 'centralindia', 'southindia', 'westindia',
  'jioindiacentral', 'jioindiawest', 'australiaeast', 'australiasoutheast', 'australiacentral', 'australiacentral2', 'newzealandnorth',
  'indonesiacentral', 'malaysiawest', 'uaenorth', 'uaecentral', 'qatarcentral', 'israelcentral', 'southafricanorth', 'southafricawest',
  'usgovvirginia', 'usgovarizona', 'usgovtexas', 'chinanorth', 'chinanorth2', 'chinanorth3', 'chinaeast', 'chinaeast2', 'chinaeast3',
];

const REGIONS: Readonly<Record<Exclude<Distro, 'generic'>, ReadonlySet<string>>> = {
  eks: new Set(AWS_REGIONS), gke: new Set(GCP_REGIONS), aks: new Set(AZURE_REGIONS),
};

/** The closest known name, when one is close enough to be a typo of `word`. */
export function didYouMean(word: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const k of known) {
    const d = distance(word, k);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * Why `region` is not a region of the platform's cloud, or undefined: the cloud's region list (a GKE
 * location may also be a zone of a region), with a did-you-mean, or for `generic` a DNS-label-like name.
 */
export function platformRegionProblem(region: string, distro: Distro): string | undefined {
  if (typeof region !== 'string') return 'must be a string';
  if (region.length === 0) return 'must not be empty';
  if (distro === 'generic') {
    if (region.length > 63 || !DNS_LABEL.test(region)) return 'must be a location name of lowercase letters, digits and "-" (e.g. "dc-frankfurt")';
    return undefined;
  }
  const known = REGIONS[distro];
  if (known.has(region)) return undefined;
  // Google Cloud's zones are lettered a to f (which letters a region has is not checked).
  if (distro === 'gke' && /-[a-f]$/.test(region) && known.has(region.slice(0, -2))) return undefined;
  const elsewhere = (Object.keys(REGIONS) as Array<keyof typeof REGIONS>).find((d) => d !== distro && REGIONS[d].has(region));
  const a = (d: Distro) => (d === 'eks' || d === 'aks' ? 'an' : 'a');
  if (elsewhere) return `is ${a(elsewhere)} ${CLOUD_OF[elsewhere]} region, but the cluster's distro is ${distro} (${CLOUD_OF[distro]}); set distro: ${elsewhere} or use ${a(distro)} ${CLOUD_OF[distro]} region`;
  if (distro === 'gke' && /-[a-z]$/.test(region) && known.has(region.slice(0, -2))) return `is not a Google Cloud zone (zones are ${region.slice(0, -2)}-a to -f)`;
  const guess = didYouMean(distro === 'gke' ? region.replace(/-[a-z]$/, '') : region, known);
  return `is not ${a(distro)} ${CLOUD_OF[distro]} region${guess ? `; did you mean "${guess}"?` : ` (e.g. "${[...known][0]}")`}`;
}

/** What people write for a platform, and the distro it is. */
const DISTRO_ALIASES: Readonly<Record<string, Distro>> = {
  aws: 'eks', amazon: 'eks', gcp: 'gke', google: 'gke', gce: 'gke', azure: 'aks', baremetal: 'generic', 'bare-metal': 'generic',
  metal: 'generic', onprem: 'generic', 'on-prem': 'generic', kubeadm: 'generic', k3s: 'generic', rke: 'generic', rke2: 'generic', openshift: 'generic',
};

/** Why `value` is not a distro, with the one meant when it can tell (`AKS`, `azure`, `baremetal`), or undefined. */
export function distroProblem(value: unknown): string | undefined {
  if (typeof value === 'string' && (DISTROS as readonly string[]).includes(value)) return undefined;
  const text = typeof value === 'string' ? value.toLowerCase() : '';
  const meant = (DISTROS as readonly string[]).includes(text) ? text : DISTRO_ALIASES[text];
  return `distro must be one of ${DISTROS.join(', ')} (got ${JSON.stringify(value)})${meant ? `; did you mean "${meant}"?` : ''}`;
}

/** How Cilium moves pod traffic and gets pod addresses on a platform. */
export interface Datapath {
  /** `routingMode`: native (the cloud routes pod addresses) or tunnel (VXLAN, the chart's default protocol). */
  readonly routing: 'native' | 'tunnel';
  /** Where pod addresses come from. */
  readonly ipam: 'aws-cni' | 'eni' | 'cluster-pool' | 'kubernetes';
  /** Whether the cluster must give `podCidr`. */
  readonly needsPodCidr: boolean;
  /** Whether cluster ids 128-255 and 384-511 fail (aws-cni chaining and ENI IPAM, cilium/cilium#21330). */
  readonly restrictedIds: boolean;
}

/**
 * The datapath of a platform: EKS per `cilium.cni` (aws-cni and ENI route natively, cluster-pool
 * tunnels), GKE native routing over the VPC's pod ranges (the chart refuses `gke.enabled` with tunnel),
 * AKS BYOCNI tunnel with cluster-pool (the chart refuses any other routing mode), generic tunnel with
 * cluster-pool.
 */
export function datapathOf(distro: Distro, cni: CniMode): Datapath {
  switch (distro) {
    case 'gke': return { routing: 'native', ipam: 'kubernetes', needsPodCidr: true, restrictedIds: false };
    case 'aks': return { routing: 'tunnel', ipam: 'cluster-pool', needsPodCidr: true, restrictedIds: false };
    case 'generic': return { routing: 'tunnel', ipam: 'cluster-pool', needsPodCidr: true, restrictedIds: false };
    default: return cni === 'cluster-pool'
      ? { routing: 'tunnel', ipam: 'cluster-pool', needsPodCidr: true, restrictedIds: false }
      : { routing: 'native', ipam: cni, needsPodCidr: false, restrictedIds: true };
  }
}

/** The default internal load balancer annotations of the clustermesh-apiserver per platform (LoadBalancer only). */
export const INTERNAL_LB_ANNOTATIONS: Readonly<Record<Distro, Readonly<Record<string, string>>>> = {
  // An internal NLB with IP targets (the seed walkthrough's setup; needs the AWS Load Balancer Controller).
  eks: { 'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip', 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal' },
  // GKE's internal passthrough Network Load Balancer (every GKE version; the l4-regional-internal class needs 1.33.1+),
  // reachable from the other regions of the VPC: an internal load balancer is regional, and a mesh spans regions.
  gke: { 'networking.gke.io/internal-load-balancer-allow-global-access': 'true', 'networking.gke.io/load-balancer-type': 'Internal' },
  aks: { 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true' },
  generic: {},
};

/** Annotation key prefixes and load balancer classes that belong to one cloud's load balancers. */
const CLOUD_KEYS: ReadonlyArray<{ distro: Distro; test: RegExp }> = [
  { distro: 'eks', test: /^service\.beta\.kubernetes\.io\/aws-|^service\.k8s\.aws\/|^alb\.ingress\.kubernetes\.io\/|^eks\.amazonaws\.com\// },
  { distro: 'gke', test: /^networking\.gke\.io\/|^cloud\.google\.com\// },
  { distro: 'aks', test: /^service\.beta\.kubernetes\.io\/(azure-|port_)|^service\.azure\.com\// },
];

/** The platform an annotation key or load balancer class belongs to, when it is one cloud's. */
export function cloudOfKey(key: string): Distro | undefined {
  return CLOUD_KEYS.find((k) => k.test.test(key))?.distro;
}

/**
 * The region a cluster's nodes are labelled with (`topology.kubernetes.io/region`): a GKE zone's region; on
 * generic, the location as given (label your nodes with it).
 */
export function nodeRegionOf(distro: Distro, region: string): string {
  return distro === 'gke' && /-[a-z]$/.test(region) ? region.slice(0, -2) : region;
}

/** The default Terraform module folder of each platform's cluster stacks (`plural up`'s layout); generic has none. */
export const DEFAULT_TERRAFORM_FOLDERS: Readonly<Record<Distro, string | undefined>> = {
  eks: 'terraform/modules/clusters/aws', gke: 'terraform/modules/clusters/gcp', aks: 'terraform/modules/clusters/azure', generic: undefined,
};
