/** The Multigres `Etcd` kind (topology server) as an L2 construct. */
import { Construct } from 'constructs';
import type * as L1 from '../../imports/multigres-etcds-multigres.com';
import {
  compact, ComponentPort, ComponentService, MultigresComponentBase, MultigresComponentProps,
  PersistentVolumeClaimTemplate, quantities, ResourceRequirements,
} from './common';

/**
 * Props of {@link Etcd}.
 *
 * Quorum policy: an etcd cluster of n members survives the loss of (n-1)/2 of them, so an even
 * count buys nothing over one member fewer and 2 members are *less* available than 1. Replicas must
 * therefore be odd and at least 3; 1 (a single-member development etcd) and 0 (every member stopped)
 * are refused unless `allowNoQuorum` is set, and more than 7 is refused (etcd's own upper
 * recommendation: every write waits for a majority). An even count is refused always.
 */
export interface EtcdProps extends MultigresComponentProps {
  /**
   * Number of etcd members: odd, 3..7 (see the quorum policy above).
   * @default - 3 members (the operator's default)
   */
  readonly replicas?: number;
  /**
   * Permit 0 or 1 members: a single-member etcd for development, or a deliberate scale to zero
   * that takes the topology store offline. Even counts stay refused.
   * @default false
   */
  readonly allowNoQuorum?: boolean;
  /**
   * Container image.
   * @default - gcr.io/etcd-development/etcd:v3.5.9 (the CRD default)
   */
  readonly image?: string;
  /**
   * StorageClass of the data volumes (ignored by the operator when `volumeClaimTemplate` is set,
   * so the two are refused together).
   * @default - the cluster's default StorageClass
   */
  readonly storageClassName?: string;
  /**
   * Size of each member's data volume, a Kubernetes quantity.
   * @default - 10Gi (the CRD default)
   */
  readonly storageSize?: string;
  /**
   * Full PVC template of the data volumes; takes precedence over `storageClassName`/`storageSize`
   * in the operator, so those two are refused together with it.
   * @default - a PVC built from storageClassName and storageSize
   */
  readonly volumeClaimTemplate?: PersistentVolumeClaimTemplate;
  /**
   * Compute resources of the etcd container.
   * @default - no requests or limits
   */
  readonly resources?: ResourceRequirements;
}

/**
 * An etcd cluster for the Multigres topology (`Etcd.multigres.com/v1alpha1`).
 *
 * The operator's controller runs it as a StatefulSet `<name>` with a client Service `<name>`
 * (2379) and a headless Service `<name>-headless` (2379 client, 2380 peer), plain http, peer URLs in
 * `cluster.local` only: an etcd cluster cannot span clusters of a mesh.
 */
export class Etcd extends MultigresComponentBase {
  /** The etcd client port. */
  public static readonly CLIENT_PORT = 2379;
  /** The etcd peer (raft) port. */
  public static readonly PEER_PORT = 2380;
  /** The member count the operator uses when `replicas` is not set. */
  public static readonly DEFAULT_REPLICAS = 3;

  public readonly component = 'etcd' as const;
  /** The generated L1 object. */
  public readonly resource: L1.Etcd;
  /** The effective member count. */
  public readonly replicas: number;
  /** The client Service the operator creates (`<name>`, port 2379). */
  public readonly clientServiceName: string;
  /** The headless Service the operator creates (`<name>-headless`, ports 2379 and 2380). */
  public readonly headlessServiceName: string;
  public readonly ports: ComponentPort[];
  public readonly services: ComponentService[];

  public constructor(scope: Construct, id: string, props: EtcdProps = {}) {
    super(scope, id);
    this.resource = new (l1().Etcd)(this, 'Resource', { metadata: props.metadata, spec: this.lazySpec() });
    const common = this.initialize(this.resource.name, props, 52,
      'statefulset pods get a controller-revision-hash label of <name>-<hash> that must fit in 63 characters');
    const where = this.where;

    if (props.replicas !== undefined) {
      const n = props.replicas;
      this.checkReplicas(n, 0);
      if (n > 0 && n % 2 === 0) {
        throw new Error(`${where}: replicas must be odd and at least 3 for quorum (got ${n})`);
      }
      if (n < 3 && !props.allowNoQuorum) {
        throw new Error(`${where}: replicas must be odd and at least 3 for quorum (got ${n}); set allowNoQuorum: true for a single-member development etcd or a deliberate scale to zero`);
      }
      if (n > 7) {
        throw new Error(`${where}: replicas must be at most 7 (got ${n}); every write waits for a majority, so more members slow etcd without a useful gain in fault tolerance`);
      }
    }
    this.replicas = props.replicas ?? Etcd.DEFAULT_REPLICAS;

    this.checkImage(props.image, 'image');
    this.checkStorageSize(props.storageSize, 'storageSize');
    this.checkStorageClassName(props.storageClassName);
    this.checkResources(props.resources, 'resources');
    this.checkVolumeClaimTemplate(props.volumeClaimTemplate);
    if (props.volumeClaimTemplate && (props.storageClassName !== undefined || props.storageSize !== undefined)) {
      throw new Error(`${where}: volumeClaimTemplate takes precedence over storageClassName and storageSize, which the operator would ignore; set class and size inside volumeClaimTemplate`);
    }

    const client: ComponentPort = { name: 'client', port: Etcd.CLIENT_PORT, protocol: 'TCP' };
    const peer: ComponentPort = { name: 'peer', port: Etcd.PEER_PORT, protocol: 'TCP' };
    this.ports = [client, peer];
    this.clientServiceName = this.name;
    this.headlessServiceName = `${this.name}-headless`;
    this.services = [
      { name: this.clientServiceName, headless: false, ports: [client] },
      { name: this.headlessServiceName, headless: true, ports: [client, peer] },
    ];

    const spec: L1.EtcdSpec = compact({
      ...common,
      image: props.image,
      replicas: props.replicas,
      resources: toL1Resources(props.resources),
      storageClassName: props.storageClassName,
      storageSize: props.storageSize,
      volumeClaimTemplate: toL1Pvc(props.volumeClaimTemplate),
    });
    this.spec = spec;
  }
}

function toL1Resources(r: ResourceRequirements | undefined): L1.EtcdSpecResources | undefined {
  if (!r) return undefined;
  return compact({
    claims: r.claims,
    limits: quantities(r.limits, l1().EtcdSpecResourcesLimits.fromString),
    requests: quantities(r.requests, l1().EtcdSpecResourcesRequests.fromString),
  });
}

function toL1Pvc(t: PersistentVolumeClaimTemplate | undefined): L1.EtcdSpecVolumeClaimTemplate | undefined {
  if (!t) return undefined;
  return compact({
    ...t,
    resources: t.resources ? compact({
      limits: quantities(t.resources.limits, l1().EtcdSpecVolumeClaimTemplateResourcesLimits.fromString),
      requests: quantities(t.resources.requests, l1().EtcdSpecVolumeClaimTemplateResourcesRequests.fromString),
    }) : undefined,
  });
}

/** The generated L1 module (multigres-etcds-multigres.com), loaded when the first object of it is built: a fleet without Multigres never loads it. */
function l1(): typeof L1 {
  return require('../../imports/multigres-etcds-multigres.com') as typeof L1;
}
