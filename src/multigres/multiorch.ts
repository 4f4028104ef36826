/** The Multigres `MultiOrch` kind (failover orchestrator) as an L2 construct. */
import { Construct } from 'constructs';
import type * as L1 from '../../imports/multigres-multiorches-multigres.com';
import {
  compact, ComponentPort, ComponentService, MultigresComponentBase, MultigresComponentProps, quantities,
  ResourceRequirements, ServiceType, sortKeys,
} from './common';

/** Props of {@link MultiOrch}. */
export interface MultiOrchProps extends MultigresComponentProps {
  /**
   * Number of orchestrator pods (the CRD minimum is 1).
   * @default - 1 pod (the CRD default)
   */
  readonly replicas?: number;
  /**
   * Container image. Pin a version for reproducible GitOps output.
   * @default - multigres/multiorch:latest (the CRD default)
   */
  readonly image?: string;
  /**
   * HTTP port (status, metrics), 1..65535.
   * @default 15300 (the CRD default)
   */
  readonly httpPort?: number;
  /**
   * gRPC port, 1..65535.
   * @default 15370 (the CRD default)
   */
  readonly grpcPort?: number;
  /**
   * Type of the orchestrator Service. Note: no MultiOrch controller was ever merged into the
   * operator, so nothing acts on this field; create your own Service if you need one.
   * @default - ClusterIP (the CRD default)
   */
  readonly serviceType?: ServiceType;
  /**
   * Annotations of the orchestrator Service (Cilium names are checked; LB-IPAM only with
   * LoadBalancer). Note: no MultiOrch controller was ever merged, so nothing acts on this field.
   * @default - none
   */
  readonly serviceAnnotations?: { [key: string]: string };
  /**
   * Compute resources of the orchestrator container.
   * @default - no requests or limits
   */
  readonly resources?: ResourceRequirements;
}

/**
 * The Multigres orchestrator of a cell (`MultiOrch.multigres.com/v1alpha1`): watches the poolers
 * of its cell and drives failover.
 *
 * No controller for this kind was ever merged into the operator, so it creates no Service:
 * {@link MultiOrch.services} is empty; select the pods with {@link MultiOrch.selectorLabels}
 * (the labels follow the operator's convention for every component).
 */
export class MultiOrch extends MultigresComponentBase {
  /** Default HTTP port. */
  public static readonly DEFAULT_HTTP_PORT = 15300;
  /** Default gRPC port. */
  public static readonly DEFAULT_GRPC_PORT = 15370;

  public readonly component = 'multiorch' as const;
  /** The generated L1 object. */
  public readonly resource: L1.MultiOrch;
  /** The effective pod count. */
  public readonly replicas: number;
  /** The effective HTTP port. */
  public readonly httpPort: number;
  /** The effective gRPC port. */
  public readonly grpcPort: number;
  public readonly ports: ComponentPort[];
  public readonly services: ComponentService[] = [];

  public constructor(scope: Construct, id: string, props: MultiOrchProps = {}) {
    super(scope, id);
    this.resource = new (l1().MultiOrch)(this, 'Resource', { metadata: props.metadata, spec: this.lazySpec() });
    const common = this.initialize(this.resource.name, props, 63, 'it names the pods\' workload and Service');

    this.checkReplicas(props.replicas, 1);
    this.checkImage(props.image, 'image');
    this.checkPort(props.httpPort, 'httpPort');
    this.checkPort(props.grpcPort, 'grpcPort');
    this.checkServiceType(props.serviceType);
    this.checkServiceAnnotations(props.serviceAnnotations, props.serviceType);
    this.checkResources(props.resources, 'resources');

    this.replicas = props.replicas ?? 1;
    this.httpPort = props.httpPort ?? MultiOrch.DEFAULT_HTTP_PORT;
    this.grpcPort = props.grpcPort ?? MultiOrch.DEFAULT_GRPC_PORT;
    this.ports = [
      { name: 'http', port: this.httpPort, protocol: 'TCP' },
      { name: 'grpc', port: this.grpcPort, protocol: 'TCP' },
    ];
    this.checkDistinctPorts();

    const spec: L1.MultiOrchSpec = compact({
      ...common,
      grpcPort: props.grpcPort,
      httpPort: props.httpPort,
      image: props.image,
      replicas: props.replicas,
      resources: props.resources ? compact({
        claims: props.resources.claims,
        limits: quantities(props.resources.limits, l1().MultiOrchSpecResourcesLimits.fromString),
        requests: quantities(props.resources.requests, l1().MultiOrchSpecResourcesRequests.fromString),
      }) : undefined,
      serviceAnnotations: props.serviceAnnotations ? sortKeys(props.serviceAnnotations) : undefined,
      serviceType: props.serviceType as L1.MultiOrchSpecServiceType | undefined,
    });
    this.spec = spec;
  }
}

/** The generated L1 module (multigres-multiorches-multigres.com), loaded when the first object of it is built: a fleet without Multigres never loads it. */
function l1(): typeof L1 {
  return require('../../imports/multigres-multiorches-multigres.com') as typeof L1;
}
