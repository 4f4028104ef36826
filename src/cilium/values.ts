import type * as V118 from '../../imports/cilium-1_18-cilium';
import type * as V119 from '../../imports/cilium-1_19-cilium';
import { Fleet, Mesh } from '../fleet/fleet';
import { mergeValues } from '../k8s/yaml';
import { Liquid } from '../targets/plural/liquid';

/**
 * The Plural Liquid context every cluster's values are rendered with. These are the names the
 * Plural context contract fixes: the handle, and the metadata the cluster's Terraform stack sets.
 */
export const PLURAL_CONTEXT = {
  /** The cluster handle, used as Cilium `cluster.name`. */
  clusterName: 'cluster.handle',
  /** The Cilium cluster id, set by the cluster's Terraform stack from its `cluster_id` variable. */
  clusterId: 'cluster.metadata.cilium_cluster_id',
  /** The DNS zone, set by the cluster's Terraform stack from its `dns_zone` variable. */
  dnsZone: 'cluster.metadata.dns_zone',
  /** The shared CA certificate (base64 PEM), from the configuration Secret. */
  caCert: 'configuration["ca.cert.b64"]',
  /** The shared CA key (base64 PEM), from the configuration Secret; never written to Git. */
  caKey: 'configuration["ca.key.b64"]',
} as const;

/** The Liquid template of the address a cluster's clustermesh-apiserver is published at. */
export const APISERVER_ADDRESS_TEMPLATE = `{{ ${PLURAL_CONTEXT.clusterName} }}-cilium-apiserver.{{ ${PLURAL_CONTEXT.dnsZone} }}`;

/** A `clustermesh.config.clusters[]` entry. */
export interface MeshPeer {
  /** Cilium cluster name of the peer. */
  readonly name: string;
  /** DNS name of the peer's clustermesh-apiserver. */
  readonly address: string;
  /** Port of the peer's clustermesh-apiserver. */
  readonly port: number;
}

/** The peer list of a mesh: every member, which each member reads (the agent skips its own entry). */
export function meshPeers(mesh: Mesh): MeshPeer[] {
  return mesh.clusters.map((c) => ({ name: c.name, address: c.apiserverAddress, port: c.apiserverPort }));
}

/** Values of the per-mesh peer file (`<mesh>-clusters.yaml`). */
export function meshPeerValues(mesh: Mesh): Record<string, unknown> {
  return { clustermesh: { config: { clusters: meshPeers(mesh) } } };
}

/**
 * The base Cilium values shared by every cluster of the fleet, holding Liquid for what differs per
 * cluster (name, id, DNS name) and for the CA. Keys are emitted for the fleet's chart version.
 */
export function ciliumBaseValues(fleet: Fleet): Record<string, unknown> {
  const c = fleet.cilium;
  const issuerRef = { group: 'cert-manager.io', kind: 'ClusterIssuer', name: c.tls.issuer };
  const cniValues = {
    cni: c.cni === 'aws-cni' ? { chainingMode: 'aws-cni', exclusive: false } : undefined,
    eni: c.cni === 'eni' ? { enabled: true } : undefined,
    ipam: c.cni === 'eni' ? { mode: 'eni' } : undefined,
    enableIPv4Masquerade: c.cni === 'cluster-pool' ? undefined : false,
    routingMode: c.cni === 'cluster-pool' ? undefined : 'native',
  };
  const apiserver = {
    service: {
      type: c.apiserver.serviceType,
      nodePort: c.apiserver.serviceType === 'NodePort' ? c.apiserver.port : undefined,
    },
    tls: { auto: { enabled: true, method: 'certmanager', certManagerIssuerRef: issuerRef } },
  };
  let typed: Record<string, unknown> | undefined;
  if (c.minor === '1.18') {
    const v: V118.CiliumValues = {
      ...cniValues,
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
    typed = (require('../../imports/cilium-1_18-cilium') as typeof V118).toJson_CiliumValues(v);
  } else {
    const v: V119.CiliumValues = {
      ...cniValues,
      clustermesh: {
        useApiServer: true,
        maxConnectedClusters: c.maxConnectedClusters,
        mcsapi: { enabled: c.mcsApi },
        enableEndpointSliceSynchronization: c.endpointSliceSync,
        policyDefaultLocalCluster: c.policyDefaultLocalCluster,
        config: { enabled: true },
        apiserver,
      },
    };
    typed = (require('../../imports/cilium-1_19-cilium') as typeof V119).toJson_CiliumValues(v);
  }
  // What differs per cluster, and the CA, is Liquid rendered by the Plural agent at deploy time.
  const perCluster = {
    cluster: {
      name: Liquid.string(PLURAL_CONTEXT.clusterName),
      id: Liquid.scalar(PLURAL_CONTEXT.clusterId),
    },
    tls: {
      ca: { cert: Liquid.string(PLURAL_CONTEXT.caCert), key: Liquid.string(PLURAL_CONTEXT.caKey) },
    },
    clustermesh: {
      apiserver: {
        service: {
          annotations: {
            ...c.apiserver.annotations,
            'external-dns.alpha.kubernetes.io/hostname': Liquid.template(APISERVER_ADDRESS_TEMPLATE),
          },
        },
        tls: { server: { extraDnsNames: [Liquid.template(APISERVER_ADDRESS_TEMPLATE)] } },
      },
    },
  };
  return mergeValues(perCluster, typed) as Record<string, unknown>;
}
