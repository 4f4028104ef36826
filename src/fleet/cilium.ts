/** The fleet's Cilium settings: chart version, CNI, MCS-API, how the clustermesh-apiserver is exposed, the CA and its issuer, with defaults applied. */
import { FaultCollector } from './errors';
import { cloudOfKey, DISTROS, INTERNAL_LB_ANNOTATIONS } from './platform';
import { ApiserverServiceType, CniMode, Distro, FleetProps, PlatformApiserverOptions } from './props';
import { chartUrlProblem } from './rules';
import {
  APISERVER_DEFAULT_NODE_PORT, APISERVER_LB_PORT, CiliumMinor, SUPPORTED_CILIUM_MINORS,
} from '../cilium/values';
import { annotationsSizeProblem, dnsLabelProblem, dnsSubdomainProblem, qualifiedNameProblem } from '../k8s/names';

/** The default clustermesh-apiserver Service annotations on EKS (aws-cni or eni, LoadBalancer): an internal NLB with IP targets. */
export const DEFAULT_APISERVER_ANNOTATIONS: Readonly<Record<string, string>> = INTERNAL_LB_ANNOTATIONS.eks;

/** Fleet-wide Cilium settings with every default applied. */
export interface ResolvedCilium {
  /** Chart version, e.g. `1.18.1`. */
  readonly version: string;
  /** Chart minor version, which decides the keys written. */
  readonly minor: CiliumMinor;
  /** `clustermesh.maxConnectedClusters`. */
  readonly maxConnectedClusters: 255 | 511;
  /** CNI mode. */
  readonly cni: CniMode;
  /** Whether MCS-API support is on. */
  readonly mcsApi: boolean;
  /** Whether EndpointSlice synchronization is on. */
  readonly endpointSliceSync: boolean;
  /** `clustermesh.policyDefaultLocalCluster`, always written. */
  readonly policyDefaultLocalCluster: boolean;
  /** How the clustermesh-apiserver is exposed, as `cilium.apiserver` gives it; each cluster's platform fills in the rest (`apiserverOf`). */
  readonly apiserver: {
    /** Service type, when given (else per platform). */
    readonly serviceType?: ApiserverServiceType;
    /** The node port with NodePort (given, or the chart's 32379). */
    readonly nodePort: number;
    /** Service annotations besides the external-dns hostname, when given (else per platform). */
    readonly annotations?: Readonly<Record<string, string>>;
    /** Load balancer class of a LoadBalancer Service, when given (else per platform). */
    readonly loadBalancerClass?: string;
    /** Per platform, what `cilium.apiserver.platforms.<distro>` gives (it wins over the settings above for that platform). */
    readonly platforms: Readonly<Partial<Record<Distro, GivenApiserver>>>;
  };
  /** The meshes' CAs and their issuers (base names; see `meshCa` for a mesh's). */
  readonly tls: {
    /** One CA for all meshes (the names are used as they are). */
    readonly sharedCa: boolean;
    /** ClusterIssuer name. */
    readonly issuer: string;
    /** Configuration Secret (management cluster) holding ca.cert.b64 / ca.key.b64. */
    readonly caSecret: string;
    /** Secret backing the issuer on each workload cluster. */
    readonly issuerSecret: string;
    /** Namespace cert-manager runs in. */
    readonly certManagerNamespace: string;
  };
  /** Kube-proxy replacement, when on: the API server port and the ConfigMap holding each cluster's API server host. */
  readonly kubeProxyReplacement?: {
    /** The API server port, when given (else per platform: 443 on the clouds, 6443 on generic). */
    readonly apiServerPort?: number;
    /** The ConfigMap holding each cluster's API server host. */
    readonly hostConfigMap: string;
  };
  /** Helm repository of the chart. */
  readonly chartUrl: string;
  /** Namespace Cilium is installed into. */
  readonly namespace: string;
}

/** The CA of one mesh: its ClusterIssuer, the Secret backing it on each cluster, and (Plural) the configuration Secret it comes from. */
export interface MeshCa {
  /** ClusterIssuer name on every member. */
  readonly issuer: string;
  /** The Secret backing the issuer, in the cert-manager namespace of every member. */
  readonly issuerSecret: string;
  /** The configuration Secret on Plural's management cluster holding `ca.cert.b64` / `ca.key.b64`. */
  readonly caSecret: string;
  /** The cert-manager namespace. */
  readonly namespace: string;
}

/** The CA names of a mesh: the configured names, plus `-<mesh>` unless one CA is shared by every mesh. */
export function meshCa(tls: ResolvedCilium['tls'], mesh: string): MeshCa {
  const name = (base: string) => (tls.sharedCa ? base : `${base}-${mesh}`);
  return { issuer: name(tls.issuer), issuerSecret: name(tls.issuerSecret), caSecret: name(tls.caSecret), namespace: tls.certManagerNamespace };
}

/** The AWS Load Balancer Controller's class for NLBs: without a class, EKS makes a classic ELB that ignores the NLB annotations. */
export const AWS_NLB_CLASS = 'service.k8s.aws/nlb';

/** The chart's minor version (which decides the keys written), checked: a version of a supported minor. */
function resolveMinor(c: NonNullable<FleetProps['cilium']>, faults: FaultCollector): CiliumMinor {
  let minor: CiliumMinor = '1.18';
  if (typeof c.version !== 'string') {
    faults.add('cilium.version', 'fleet: cilium.version is missing (the Cilium chart version, e.g. "1.18.1")');
  } else {
    const m = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/.exec(c.version);
    const mm = m ? `${m[1]}.${m[2]}` : undefined;
    if (!m) {
      faults.add('cilium.version', `fleet: cilium.version "${c.version}" is not a chart version such as "1.18.1"`);
    } else if (!(SUPPORTED_CILIUM_MINORS as readonly string[]).includes(mm!)) {
      faults.add('cilium.version', `fleet: cilium.version "${c.version}" is not supported (supported: ${SUPPORTED_CILIUM_MINORS.map((v) => `${v}.x`).join(', ')})`);
    } else {
      minor = mm as CiliumMinor;
    }
  }
  return minor;
}

/** The apiserver settings as given, checked: for every cluster (`cilium.apiserver`) or one platform's (`cilium.apiserver.platforms.<distro>`). */
function checkApiserverSettings(given: PlatformApiserverOptions, at: string, faults: FaultCollector): GivenApiserver {
  const serviceType = given.serviceType;
  if (serviceType !== undefined && serviceType !== 'LoadBalancer' && serviceType !== 'NodePort') {
    faults.add(`${at}.serviceType`, `fleet: ${at}.serviceType must be LoadBalancer or NodePort (got ${JSON.stringify(serviceType)})`);
  }
  if (given.nodePort !== undefined) {
    if (serviceType === 'LoadBalancer') {
      faults.add(`${at}.nodePort`, `fleet: ${at}.nodePort is only used with serviceType NodePort`);
    } else if (!Number.isInteger(given.nodePort) || given.nodePort < 30000 || given.nodePort > 32767) {
      faults.add(`${at}.nodePort`, `fleet: ${at}.nodePort ${given.nodePort} is outside the node port range 30000..32767`);
    }
  }
  const annotations = given.annotations;
  if (serviceType === 'NodePort' && annotations) {
    const lb = Object.keys(annotations).filter((k) => cloudOfKey(k) !== undefined);
    if (lb.length > 0) faults.add(`${at}.annotations`, `fleet: ${at}.annotations ${lb.join(', ')} only apply to a LoadBalancer Service (serviceType is NodePort)`);
  }
  if (given.loadBalancerClass !== undefined) {
    if (serviceType === 'NodePort') {
      faults.add(`${at}.loadBalancerClass`, `fleet: ${at}.loadBalancerClass is only used with serviceType LoadBalancer`);
    } else {
      const p = qualifiedNameProblem(given.loadBalancerClass);
      if (p || !given.loadBalancerClass.includes('/')) {
        faults.add(`${at}.loadBalancerClass`, `fleet: ${at}.loadBalancerClass "${given.loadBalancerClass}" must be a prefixed name such as "${AWS_NLB_CLASS}"`);
      }
    }
  }
  for (const key of Object.keys(annotations ?? {})) {
    const p = qualifiedNameProblem(key);
    if (p) faults.add(`${at}.annotations.${key}`, `fleet: ${at}.annotations key "${key}" ${p}`);
  }
  const size = annotationsSizeProblem(annotations ?? {});
  if (size) faults.add(`${at}.annotations`, `fleet: ${at}.annotations are too large (${size})`);
  if ('external-dns.alpha.kubernetes.io/hostname' in (annotations ?? {})) {
    faults.add(`${at}.annotations`, `fleet: ${at}.annotations must not set external-dns.alpha.kubernetes.io/hostname; meshfleet sets it to the address peers dial`);
  }
  return { serviceType, nodePort: given.nodePort, annotations, loadBalancerClass: given.loadBalancerClass };
}

/** How the clustermesh-apiserver is exposed, as given for every cluster and per platform, checked. */
function resolveApiserver(c: NonNullable<FleetProps['cilium']>, faults: FaultCollector): ResolvedCilium['apiserver'] {
  const given = c.apiserver ?? {};
  const all = checkApiserverSettings(given, 'cilium.apiserver', faults);
  const platforms: Partial<Record<Distro, GivenApiserver>> = {};
  for (const [d, p] of Object.entries(given.platforms ?? {})) {
    const at = `cilium.apiserver.platforms.${d}`;
    if (!(DISTROS as readonly string[]).includes(d)) faults.add(at, `fleet: ${at}: unknown platform "${d}" (${DISTROS.join(', ')})`);
    else if (p !== null && typeof p === 'object') platforms[d as Distro] = checkApiserverSettings(p, at, faults);
  }
  return { ...all, nodePort: all.nodePort ?? APISERVER_DEFAULT_NODE_PORT, platforms };
}

/** Apiserver settings as given (every one optional). */
export interface GivenApiserver {
  /** Service type, when given. */
  readonly serviceType?: ApiserverServiceType;
  /** Node port, when given. */
  readonly nodePort?: number;
  /** Annotations, when given. */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Load balancer class, when given. */
  readonly loadBalancerClass?: string;
}

/** How one cluster's clustermesh-apiserver is exposed: the fleet's settings, its platform's defaults for the rest. */
export interface ClusterApiserver {
  /** Service type. */
  readonly serviceType: ApiserverServiceType;
  /** The port peers dial (2379, or the node port). */
  readonly port: number;
  /** Service annotations besides the external-dns hostname. */
  readonly annotations: Readonly<Record<string, string>>;
  /** Load balancer class of a LoadBalancer Service, when there is one. */
  readonly loadBalancerClass?: string;
  /** Whether the node port is the cluster's own (`apiserverNodePort`) rather than the fleet's. */
  readonly ownNodePort?: boolean;
}

/**
 * How a cluster's clustermesh-apiserver is exposed on its platform: LoadBalancer on the clouds (internal:
 * an AWS NLB through the AWS Load Balancer Controller on eks with aws-cni or eni; GKE's and Azure's
 * internal load balancers), NodePort on generic; `cilium.apiserver` overrides each default.
 */
export function apiserverOf(cilium: ResolvedCilium, distro: Distro, nodePort?: number): ClusterApiserver {
  const all = cilium.apiserver;
  const mine = all.platforms[distro] ?? {};
  // A platform's own settings win; its annotations add to the fleet's.
  const given = {
    serviceType: mine.serviceType ?? all.serviceType,
    nodePort: mine.nodePort ?? all.nodePort,
    annotations: all.annotations || mine.annotations ? { ...(all.annotations ?? {}), ...(mine.annotations ?? {}) } : undefined,
    loadBalancerClass: mine.loadBalancerClass ?? (mine.serviceType === 'NodePort' ? undefined : all.loadBalancerClass),
  };
  const serviceType = given.serviceType ?? (distro === 'generic' ? 'NodePort' : 'LoadBalancer');
  if (serviceType === 'NodePort') return { serviceType, port: nodePort ?? given.nodePort, annotations: given.annotations ?? {}, ownNodePort: nodePort !== undefined };
  const awsNlb = distro === 'eks' && cilium.cni !== 'cluster-pool';
  return {
    serviceType,
    port: APISERVER_LB_PORT,
    // Given annotations are added to the platform's internal load balancer defaults (a key given replaces the default's value).
    annotations: { ...(distro === 'eks' && !awsNlb ? {} : INTERNAL_LB_ANNOTATIONS[distro]), ...(given.annotations ?? {}) },
    loadBalancerClass: given.loadBalancerClass ?? (awsNlb ? AWS_NLB_CLASS : undefined),
  };
}

/** Resolves and checks the `cilium:` section. */
export function resolveCilium(props: FleetProps, faults: FaultCollector): ResolvedCilium {
  const c = props.cilium ?? ({} as FleetProps['cilium']);
  const minor = resolveMinor(c, faults);
  const max = c.maxConnectedClusters ?? 255;
  if (max !== 255 && max !== 511) {
    faults.add('cilium.maxConnectedClusters', `fleet: cilium.maxConnectedClusters must be 255 or 511 (got ${JSON.stringify(max)})`);
  }
  const cni = c.cni ?? 'aws-cni';
  if (!['aws-cni', 'eni', 'cluster-pool'].includes(cni)) {
    faults.add('cilium.cni', `fleet: cilium.cni must be one of aws-cni, eni, cluster-pool (got ${JSON.stringify(cni)})`);
  }
  const apiserver = resolveApiserver(c, faults);
  if (c.chartUrl !== undefined) {
    const p = chartUrlProblem(c.chartUrl);
    // A URL with credentials is not echoed: the fault goes to CI logs.
    if (p) faults.add('cilium.chartUrl', `fleet: cilium.chartUrl${p.includes('credentials') ? '' : ` ${JSON.stringify(c.chartUrl)}`} ${p}`);
  }
  if (c.namespace !== undefined) {
    const p = dnsLabelProblem(c.namespace);
    if (p) faults.add('cilium.namespace', `fleet: cilium.namespace "${c.namespace}" ${p}`);
  }
  const tls = c.tls ?? {};
  for (const key of ['issuer', 'caSecret', 'issuerSecret', 'certManagerNamespace'] as const) {
    const v = tls[key];
    if (v !== undefined) {
      const p = dnsLabelProblem(v);
      if (p) faults.add(`cilium.tls.${key}`, `fleet: cilium.tls.${key} "${v}" ${p}`);
    }
  }
  const kpr = c.kubeProxyReplacement;
  if (kpr !== undefined) {
    if (kpr === null || typeof kpr !== 'object') faults.add('cilium.kubeProxyReplacement', 'fleet: cilium.kubeProxyReplacement must be a mapping (apiServerPort, hostConfigMap; {} for the defaults)');
    else {
      if (kpr.apiServerPort !== undefined && (!Number.isInteger(kpr.apiServerPort) || kpr.apiServerPort < 1 || kpr.apiServerPort > 65535)) {
        faults.add('cilium.kubeProxyReplacement.apiServerPort', `fleet: cilium.kubeProxyReplacement.apiServerPort ${JSON.stringify(kpr.apiServerPort)} is not a port (1..65535)`);
      }
      if (kpr.hostConfigMap !== undefined && dnsSubdomainProblem(kpr.hostConfigMap)) {
        faults.add('cilium.kubeProxyReplacement.hostConfigMap', `fleet: cilium.kubeProxyReplacement.hostConfigMap "${kpr.hostConfigMap}" ${dnsSubdomainProblem(kpr.hostConfigMap)}`);
      }
    }
  }
  return {
    version: c.version,
    minor,
    kubeProxyReplacement: kpr && typeof kpr === 'object' ? { apiServerPort: kpr.apiServerPort, hostConfigMap: kpr.hostConfigMap ?? 'meshfleet-kube-apiserver' } : undefined,
    maxConnectedClusters: max,
    cni,
    // 1.19+ configures CoreDNS for MCS-API's clusterset names itself; 1.18 cannot, so it is off there unless asked.
    mcsApi: c.mcsApi ?? minor !== '1.18',
    endpointSliceSync: c.endpointSliceSync ?? false,
    policyDefaultLocalCluster: c.policyDefaultLocalCluster ?? minor !== '1.18',
    apiserver,
    tls: {
      sharedCa: tls.sharedCa ?? false,
      issuer: tls.issuer ?? 'cilium',
      caSecret: tls.caSecret ?? 'cilium-ca-cert',
      issuerSecret: tls.issuerSecret ?? 'cilium-ca',
      certManagerNamespace: tls.certManagerNamespace ?? 'cert-manager',
    },
    chartUrl: c.chartUrl ?? 'https://helm.cilium.io',
    namespace: c.namespace ?? 'kube-system',
  };
}
