/**
 * Cilium Helm values for a Cluster Mesh, typed per chart version from the chart's values.schema.json,
 * in three layers: what every member shares, a cluster's identity (and the CA), and a mesh's peer list.
 */
import type * as V118 from '../../imports/cilium-1_18-cilium';
import type * as V119 from '../../imports/cilium-1_19-cilium';
import type * as V120 from '../../imports/cilium-1_20-cilium';

/** Cilium chart minor versions meshfleet knows the values of. */
export const SUPPORTED_CILIUM_MINORS = ['1.18', '1.19', '1.20'] as const;
/** A supported Cilium chart minor version. */
export type CiliumMinor = typeof SUPPORTED_CILIUM_MINORS[number];

/** Port a LoadBalancer clustermesh-apiserver listens on. */
export const APISERVER_LB_PORT = 2379;
/** The chart's default clustermesh-apiserver node port. */
export const APISERVER_DEFAULT_NODE_PORT = 32379;

/** The DNS name a cluster's clustermesh-apiserver is published at, from its name and DNS zone. */
export function apiserverHostname(name: string, dnsZone: string): string {
  return `${name}-cilium-apiserver.${dnsZone}`;
}

/** What every member of a mesh shares, for `ciliumMeshValues`. */
export interface CiliumMeshValuesOptions {
  /** Chart minor version, which decides the keys written. */
  readonly minor: CiliumMinor;
  /** `clustermesh.maxConnectedClusters`. */
  readonly maxConnectedClusters: number;
  /** MCS-API support. */
  readonly mcsApi: boolean;
  /** `clustermesh.enableEndpointSliceSynchronization`. */
  readonly endpointSliceSync: boolean;
  /** `clustermesh.policyDefaultLocalCluster`. */
  readonly policyDefaultLocalCluster: boolean;
  /**
   * The cert-manager ClusterIssuer that signs the clustermesh and Hubble certificates.
   * @default - none here: a mesh layer (`meshIssuerValues`) names its mesh's issuer
   */
  readonly issuer?: string;
}

/**
 * The values every member of a mesh shares, whatever its platform, typed for the chart version: the
 * Cluster Mesh settings and where the clustermesh and Hubble certificates come from.
 */
export function ciliumMeshValues(c: CiliumMeshValuesOptions): Record<string, unknown> {
  const issuerRef = c.issuer ? issuerRefOf(c.issuer) : undefined;
  const apiserver = {
    tls: { auto: { enabled: true, method: 'certmanager', certManagerIssuerRef: issuerRef } },
  };
  // Hubble's server, relay and UI certificates from the same issuer: the chart default (`helm`) makes
  // new keys on every render, so a re-render (Plural) or a `helm template` refresh (Argo CD) would
  // change hubble-server-certs each time.
  const hubble = { tls: { auto: { enabled: true, method: 'certmanager', certManagerIssuerRef: issuerRef } } };
  if (c.minor === '1.18') {
    const v: V118.CiliumValues = {
      hubble,
      clustermesh: {
        useApiServer: true,
        maxConnectedClusters: c.maxConnectedClusters,
        enableMcsapiSupport: c.mcsApi,
        enableEndpointSliceSynchronization: c.endpointSliceSync,
        policyDefaultLocalCluster: c.policyDefaultLocalCluster,
        config: { enabled: true },
        apiserver,
      },
    };
    return (require('../../imports/cilium-1_18-cilium') as typeof V118).toJson_CiliumValues(v) as Record<string, unknown>;
  }
  // 1.19 and 1.20 take the same keys here; the CoreDNS job (1.19+) makes MCS-API's clusterset DNS work.
  const clustermesh = {
    useApiServer: true,
    maxConnectedClusters: c.maxConnectedClusters,
    mcsapi: { enabled: c.mcsApi, corednsAutoConfigure: c.mcsApi ? { enabled: true } : undefined },
    enableEndpointSliceSynchronization: c.endpointSliceSync,
    policyDefaultLocalCluster: c.policyDefaultLocalCluster,
    config: { enabled: true },
    apiserver,
  };
  if (c.minor === '1.19') {
    const v: V119.CiliumValues = { hubble, clustermesh };
    return (require('../../imports/cilium-1_19-cilium') as typeof V119).toJson_CiliumValues(v) as Record<string, unknown>;
  }
  const v: V120.CiliumValues = { hubble, clustermesh };
  return (require('../../imports/cilium-1_20-cilium') as typeof V120).toJson_CiliumValues(v) as Record<string, unknown>;
}

function issuerRefOf(issuer: string) {
  return { group: 'cert-manager.io', kind: 'ClusterIssuer', name: issuer };
}

/**
 * The issuer layer of a mesh: the ClusterIssuer (backed by the mesh's CA) that signs its members'
 * clustermesh and Hubble certificates.
 */
export function meshIssuerValues(issuer: string): Record<string, unknown> {
  const auto = { auto: { certManagerIssuerRef: issuerRefOf(issuer) } };
  return { clustermesh: { apiserver: { tls: auto } }, hubble: { tls: auto } };
}

/** What a platform needs of Cilium, for `ciliumPlatformValues`. */
export interface CiliumPlatformOptions {
  /** The platform. */
  readonly distro: 'eks' | 'gke' | 'aks' | 'generic';
  /**
   * On eks, the CNI mode: `aws-cni` chaining, `eni` IPAM, or `cluster-pool`.
   * @default "aws-cni"
   */
  readonly cni?: 'aws-cni' | 'eni' | 'cluster-pool';
  /**
   * On gke, `ipv4NativeRoutingCIDR`: a range holding the pod ranges of every member of the mesh, so traffic
   * between their pods is routed, not masqueraded.
   * @default - none (required on gke)
   */
  readonly nativeRoutingCidr?: string;
  /** Service type of the clustermesh-apiserver. */
  readonly serviceType: 'LoadBalancer' | 'NodePort';
  /**
   * The node port, with NodePort.
   * @default - the chart's 32379
   */
  readonly nodePort?: number;
  /**
   * The load balancer class of a LoadBalancer apiserver Service (`service.k8s.aws/nlb` makes the AWS
   * Load Balancer Controller claim it).
   * @default - none: the cluster's default load balancer
   */
  readonly loadBalancerClass?: string;
  /**
   * The clustermesh-apiserver Service's annotations (besides the external-dns hostname, which is the identity's).
   * @default - none
   */
  readonly annotations?: Readonly<Record<string, string>>;
  /**
   * Cilium replaces kube-proxy: the agents reach the Kubernetes API at the host a ConfigMap of each
   * cluster holds (`k8sServiceHostRef`, key `host`) and this port.
   * @default - off (the chart's default; kube-proxy stays)
   */
  readonly kubeProxyReplacement?: { readonly hostConfigMap: string; readonly apiServerPort: number };
}

/**
 * What Cilium needs on a platform (Cilium's install guide and Cluster Mesh preparation guides, checked
 * against chart 1.18-1.20):
 * - eks: aws-cni chaining (native routing, endpoint routes, no masquerade), ENI IPAM, or cluster-pool (tunnel);
 * - gke: `gke.enabled`, `ipam.mode: kubernetes`, native routing over `ipv4NativeRoutingCIDR`, the node
 *   initializer and GKE's CNI binary folder (`nodeinit.reconfigureKubelet` and `removeCbrBridge` from older
 *   guides are not read by these charts: their node initializer always does both);
 * - aks (BYOCNI): `aksbyocni.enabled`, the node initializer, cluster-pool IPAM, tunnel (the chart refuses native);
 * - generic: cluster-pool IPAM, tunnel.
 * Plus how the clustermesh-apiserver Service is exposed there. The cluster's own pod CIDR is its identity's.
 */
export function ciliumPlatformValues(p: CiliumPlatformOptions): Record<string, unknown> {
  const service = {
    type: p.serviceType,
    ...(p.serviceType === 'NodePort' && p.nodePort !== undefined ? { nodePort: p.nodePort } : {}),
    ...(p.serviceType === 'LoadBalancer' && p.loadBalancerClass !== undefined ? { loadBalancerClass: p.loadBalancerClass } : {}),
    ...(p.annotations && Object.keys(p.annotations).length > 0 ? { annotations: { ...p.annotations } } : {}),
  };
  const kpr = p.kubeProxyReplacement;
  // 1.18's values schema has no kubeProxyReplacement key (its template reads it all the same); written as the chart documents it, "true".
  const apiserver = {
    ...(kpr ? { kubeProxyReplacement: 'true', k8sServiceHostRef: { name: kpr.hostConfigMap, key: 'host' }, k8sServicePort: kpr.apiServerPort } : {}),
    clustermesh: { apiserver: { service } },
  };
  switch (p.distro) {
    case 'gke':
      return {
        gke: { enabled: true },
        ipam: { mode: 'kubernetes' },
        routingMode: 'native',
        ...(p.nativeRoutingCidr !== undefined ? { ipv4NativeRoutingCIDR: p.nativeRoutingCidr } : {}),
        nodeinit: { enabled: true },
        cni: { binPath: '/home/kubernetes/bin' },
        ...apiserver,
      };
    case 'aks':
      return { aksbyocni: { enabled: true }, nodeinit: { enabled: true }, ipam: { mode: 'cluster-pool' }, routingMode: 'tunnel', ...apiserver };
    case 'generic':
      return { ipam: { mode: 'cluster-pool' }, routingMode: 'tunnel', ...apiserver };
    default: {
      const cni = p.cni ?? 'aws-cni';
      if (cni === 'cluster-pool') return { ipam: { mode: 'cluster-pool' }, ...apiserver };
      return {
        ...(cni === 'aws-cni' ? { cni: { chainingMode: 'aws-cni', exclusive: false } } : { eni: { enabled: true }, ipam: { mode: 'eni' } }),
        enableIPv4Masquerade: false,
        // Cilium's aws-cni chaining guide: the VPC CNI owns the routes, Cilium routes per endpoint.
        ...(cni === 'aws-cni' ? { endpointRoutes: { enabled: true } } : {}),
        routingMode: 'native',
        ...apiserver,
      };
    }
  }
}

/**
 * A cluster's identity in the mesh, and the CA. `V` is how a delivery target writes a value that
 * differs per cluster: a plain value, or an engine's template expression rendered per cluster.
 */
export interface CiliumIdentity<V> {
  /** Chart minor version, which decides where the server certificate's extra SANs go. */
  readonly minor: CiliumMinor;
  /** `cluster.name`. */
  readonly name: V;
  /** `cluster.id`. */
  readonly id: V;
  /** The DNS name peers dial: the external-dns hostname and a server certificate SAN. */
  readonly address: V;
  /**
   * The shared CA certificate and key, base64 PEM (`tls.ca`).
   * @default - no `tls.ca`: every certificate the chart uses comes from the cert-manager issuer
   */
  readonly ca?: { readonly cert: V; readonly key: V };
  /**
   * The clustermesh-apiserver Service's other annotations.
   * @default - none here (a platform layer, `ciliumPlatformValues`, carries them)
   */
  readonly annotations?: Readonly<Record<string, string>>;
  /**
   * With cluster-pool IPAM, the cluster's own pod CIDR (`ipam.operator.clusterPoolIPv4PodCIDRList`): meshed
   * clusters must not share the chart's default 10.0.0.0/8.
   * @default - none (the CNI is not cluster-pool)
   */
  readonly podCidr?: V;
  /**
   * The cluster's own clustermesh-apiserver node port (a NodePort Service; under kube-proxy replacement
   * every member of a mesh needs its own, cilium/cilium#24692).
   * @default - the platform layer's
   */
  readonly nodePort?: V;
}

/** The identity layer: cluster name and id, the published and certified address, the CA. */
export function ciliumIdentityValues<V>(i: CiliumIdentity<V>): Record<string, unknown> {
  return {
    cluster: { name: i.name, id: i.id },
    ...(i.ca ? { tls: { ca: { cert: i.ca.cert, key: i.ca.key } } } : {}),
    ...(i.podCidr !== undefined ? { ipam: { operator: { clusterPoolIPv4PodCIDRList: [i.podCidr] } } } : {}),
    clustermesh: {
      apiserver: {
        service: {
          annotations: { ...(i.annotations ?? {}), 'external-dns.alpha.kubernetes.io/hostname': i.address },
          ...(i.nodePort !== undefined ? { nodePort: i.nodePort } : {}),
        },
        // 1.20 reads them from tls.auto.server (tls.server is deprecated there); earlier charts from tls.server.
        tls: i.minor === '1.18' || i.minor === '1.19' ? { server: { extraDnsNames: [i.address] } } : { auto: { server: { extraDnsNames: [i.address] } } },
      },
    },
  };
}

/** The extra DNS names of a cluster's clustermesh-apiserver server certificate, where its chart version reads them. */
export function apiserverExtraDnsNames(values: Record<string, any>, minor: CiliumMinor): string[] {
  const tls = values.clustermesh?.apiserver?.tls ?? {};
  if (minor === '1.18' || minor === '1.19') return tls.server?.extraDnsNames ?? [];
  const current = tls.auto?.server?.extraDnsNames;
  return current?.length ? current : tls.server?.extraDnsNames ?? [];
}

/** A `clustermesh.config.clusters[]` entry. */
export interface MeshPeer {
  /** Cilium cluster name of the peer. */
  readonly name: string;
  /** DNS name of the peer's clustermesh-apiserver. */
  readonly address: string;
  /** Port of the peer's clustermesh-apiserver. */
  readonly port: number;
}

/** Values of a mesh's peer list: every member, which each member reads (the agent skips its own entry). */
export function meshPeerValues(peers: readonly MeshPeer[]): Record<string, unknown> {
  return { clustermesh: { config: { clusters: peers.map((p) => ({ name: p.name, address: p.address, port: p.port })) } } };
}
