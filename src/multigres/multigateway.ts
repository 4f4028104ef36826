/** The Multigres `MultiGateway` kind (Postgres protocol entry point) as an L2 construct. */
import { Construct } from 'constructs';
import type * as L1 from '../../imports/multigres-multigateways-multigres.com';
import {
  compact, ComponentPort, ComponentService, MultigresComponentBase, MultigresComponentProps, quantities,
  ResourceRequirements, ServiceType, sortKeys,
} from './common';

/** Props of {@link MultiGateway}. */
export interface MultiGatewayProps extends MultigresComponentProps {
  /**
   * Number of gateway pods (the CRD minimum is 1).
   * @default - 1 pod (the CRD default)
   */
  readonly replicas?: number;
  /**
   * Container image. Pin a version for reproducible GitOps output.
   * @default - multigres/multigateway:latest (the CRD default)
   */
  readonly image?: string;
  /**
   * HTTP port (status, metrics), 1..65535.
   * @default 15100 (the CRD default)
   */
  readonly httpPort?: number;
  /**
   * gRPC port, 1..65535.
   * @default 15170 (the CRD default)
   */
  readonly grpcPort?: number;
  /**
   * PostgreSQL protocol port the applications connect to, 1..65535.
   * @default 15432 (the CRD default)
   */
  readonly postgresPort?: number;
  /**
   * Type of the gateway Service. Note: the operator's MultiGateway controller ignored this field
   * and always created a ClusterIP Service; create your own Service to expose the gateway.
   * @default - ClusterIP (the CRD default)
   */
  readonly serviceType?: ServiceType;
  /**
   * Annotations of the gateway Service (Cilium names are checked; LB-IPAM only with LoadBalancer).
   * Note: the operator's controller ignored this field; to make the gateway a Cilium global service,
   * annotate a Service of your own that selects `selectorLabels`.
   * @default - none
   */
  readonly serviceAnnotations?: { [key: string]: string };
  /**
   * Compute resources of the gateway container.
   * @default - no requests or limits
   */
  readonly resources?: ResourceRequirements;
}

/**
 * The Multigres query gateway of a cell (`MultiGateway.multigres.com/v1alpha1`): speaks the
 * PostgreSQL protocol to applications and routes queries to the poolers.
 *
 * The operator's controller runs it as a Deployment `<name>` with a ClusterIP Service `<name>`
 * (ports http, grpc, postgres).
 */
export class MultiGateway extends MultigresComponentBase {
  /** Default HTTP port. */
  public static readonly DEFAULT_HTTP_PORT = 15100;
  /** Default gRPC port. */
  public static readonly DEFAULT_GRPC_PORT = 15170;
  /** Default PostgreSQL protocol port. */
  public static readonly DEFAULT_POSTGRES_PORT = 15432;

  public readonly component = 'multigateway' as const;
  /** The generated L1 object. */
  public readonly resource: L1.MultiGateway;
  /** The effective pod count. */
  public readonly replicas: number;
  /** The Service the operator creates (`<name>`). */
  public readonly serviceName: string;
  /** The effective HTTP port. */
  public readonly httpPort: number;
  /** The effective gRPC port. */
  public readonly grpcPort: number;
  /** The effective PostgreSQL protocol port. */
  public readonly postgresPort: number;
  public readonly ports: ComponentPort[];
  public readonly services: ComponentService[];

  public constructor(scope: Construct, id: string, props: MultiGatewayProps = {}) {
    super(scope, id);
    this.resource = new (l1().MultiGateway)(this, 'Resource', { metadata: props.metadata, spec: this.lazySpec() });
    const common = this.initialize(this.resource.name, props, 63, 'it names the Deployment and Service');

    this.checkReplicas(props.replicas, 1);
    this.checkImage(props.image, 'image');
    this.checkPort(props.httpPort, 'httpPort');
    this.checkPort(props.grpcPort, 'grpcPort');
    this.checkPort(props.postgresPort, 'postgresPort');
    this.checkServiceType(props.serviceType);
    this.checkServiceAnnotations(props.serviceAnnotations, props.serviceType);
    this.checkResources(props.resources, 'resources');

    this.replicas = props.replicas ?? 1;
    this.httpPort = props.httpPort ?? MultiGateway.DEFAULT_HTTP_PORT;
    this.grpcPort = props.grpcPort ?? MultiGateway.DEFAULT_GRPC_PORT;
    this.postgresPort = props.postgresPort ?? MultiGateway.DEFAULT_POSTGRES_PORT;
    this.ports = [
      { name: 'http', port: this.httpPort, protocol: 'TCP' },
      { name: 'grpc', port: this.grpcPort, protocol: 'TCP' },
      { name: 'postgres', port: this.postgresPort, protocol: 'TCP' },
    ];
    this.checkDistinctPorts();
    this.serviceName = this.name;
    this.services = [{ name: this.serviceName, headless: false, ports: this.ports }];

    const spec: L1.MultiGatewaySpec = compact({
      ...common,
      grpcPort: props.grpcPort,
      httpPort: props.httpPort,
      image: props.image,
      postgresPort: props.postgresPort,
      replicas: props.replicas,
      resources: props.resources ? compact({
        claims: props.resources.claims,
        limits: quantities(props.resources.limits, l1().MultiGatewaySpecResourcesLimits.fromString),
        requests: quantities(props.resources.requests, l1().MultiGatewaySpecResourcesRequests.fromString),
      }) : undefined,
      serviceAnnotations: props.serviceAnnotations ? sortKeys(props.serviceAnnotations) : undefined,
      serviceType: props.serviceType as L1.MultiGatewaySpecServiceType | undefined,
    });
    this.spec = spec;
  }
}

/** The generated L1 module (multigres-multigateways-multigres.com), loaded when the first object of it is built: a fleet without Multigres never loads it. */
function l1(): typeof L1 {
  return require('../../imports/multigres-multigateways-multigres.com') as typeof L1;
}
