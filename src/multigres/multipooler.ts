/** The Multigres `MultiPooler` kind (Postgres with its pooler) as an L2 construct. */
import { Construct } from 'constructs';
import type * as L1 from '../../imports/multigres-multipoolers-multigres.com';
import {
  compact, ComponentPort, ComponentService, MultigresComponentBase, MultigresComponentProps,
  PersistentVolumeClaimTemplate, quantities, ResourceRequirements,
} from './common';

/** Image and resources of one container of the MultiPooler pod. */
export interface PoolerContainerSettings {
  /**
   * Container image. Pin a version for reproducible GitOps output.
   * @default - chosen by the operator (the CRD has no default)
   */
  readonly image?: string;
  /**
   * Compute resources of the container.
   * @default - no requests or limits
   */
  readonly resources?: ResourceRequirements;
}

/** Props of {@link MultiPooler}. */
export interface MultiPoolerProps extends MultigresComponentProps {
  /**
   * Number of pooler pods, each with its own PostgreSQL instance and data volume (CRD minimum 1).
   * @default - 1 pod (the CRD default)
   */
  readonly replicas?: number;
  /**
   * The `multipooler` container.
   * @default - operator defaults for image and resources
   */
  readonly multiPooler?: PoolerContainerSettings;
  /**
   * The `pgctld` container (manages the PostgreSQL process).
   * @default - operator defaults for image and resources
   */
  readonly pgctld?: PoolerContainerSettings;
  /**
   * The `postgres` container.
   * @default - operator defaults for image and resources
   */
  readonly postgres?: PoolerContainerSettings;
  /**
   * HTTP port (status, metrics), 1..65535.
   * @default 15200 (the CRD default)
   */
  readonly httpPort?: number;
  /**
   * gRPC port (the gateway and orchestrator call it), 1..65535.
   * @default 15270 (the CRD default)
   */
  readonly grpcPort?: number;
  /**
   * PostgreSQL port, 1..65535.
   * @default 5432 (the CRD default)
   */
  readonly postgresPort?: number;
  /**
   * StorageClass of the PostgreSQL data volumes (ignored by the operator when `volumeClaimTemplate`
   * is set, so the two are refused together).
   * @default - the cluster's default StorageClass
   */
  readonly storageClassName?: string;
  /**
   * Size of each pod's PostgreSQL data volume, a Kubernetes quantity.
   * @default - 10Gi (the CRD default)
   */
  readonly storageSize?: string;
  /**
   * Full PVC template of the data volumes; takes precedence over `storageClassName`/`storageSize`
   * in the operator, so those two are refused together with it.
   * @default - a PVC built from storageClassName and storageSize
   */
  readonly volumeClaimTemplate?: PersistentVolumeClaimTemplate;
}

/**
 * A Multigres pooler with its PostgreSQL instance (`MultiPooler.multigres.com/v1alpha1`): pods of
 * three containers (`multipooler`, `pgctld`, `postgres`) with a data volume each.
 *
 * The kind has no `serviceType`/`serviceAnnotations`, and no controller for it was ever merged into
 * the operator, so it creates no Service: {@link MultiPooler.services} is empty; select the pods
 * with {@link MultiPooler.selectorLabels}.
 */
export class MultiPooler extends MultigresComponentBase {
  /** Default HTTP port. */
  public static readonly DEFAULT_HTTP_PORT = 15200;
  /** Default gRPC port. */
  public static readonly DEFAULT_GRPC_PORT = 15270;
  /** Default PostgreSQL port. */
  public static readonly DEFAULT_POSTGRES_PORT = 5432;

  public readonly component = 'multipooler' as const;
  /** The generated L1 object. */
  public readonly resource: L1.MultiPooler;
  /** The effective pod count. */
  public readonly replicas: number;
  /** The effective HTTP port. */
  public readonly httpPort: number;
  /** The effective gRPC port. */
  public readonly grpcPort: number;
  /** The effective PostgreSQL port. */
  public readonly postgresPort: number;
  public readonly ports: ComponentPort[];
  public readonly services: ComponentService[] = [];

  public constructor(scope: Construct, id: string, props: MultiPoolerProps = {}) {
    super(scope, id);
    this.resource = new (l1().MultiPooler)(this, 'Resource', { metadata: props.metadata, spec: this.lazySpec() });
    const common = this.initialize(this.resource.name, props, 52,
      'statefulset pods get a controller-revision-hash label of <name>-<hash> that must fit in 63 characters');
    const where = this.where;

    this.checkReplicas(props.replicas, 1);
    for (const c of ['multiPooler', 'pgctld', 'postgres'] as const) {
      this.checkImage(props[c]?.image, `${c}.image`);
      this.checkResources(props[c]?.resources, `${c}.resources`);
    }
    this.checkPort(props.httpPort, 'httpPort');
    this.checkPort(props.grpcPort, 'grpcPort');
    this.checkPort(props.postgresPort, 'postgresPort');
    this.checkStorageSize(props.storageSize, 'storageSize');
    this.checkStorageClassName(props.storageClassName);
    this.checkVolumeClaimTemplate(props.volumeClaimTemplate);
    if (props.volumeClaimTemplate && (props.storageClassName !== undefined || props.storageSize !== undefined)) {
      throw new Error(`${where}: volumeClaimTemplate takes precedence over storageClassName and storageSize, which the operator would ignore; set class and size inside volumeClaimTemplate`);
    }

    this.replicas = props.replicas ?? 1;
    this.httpPort = props.httpPort ?? MultiPooler.DEFAULT_HTTP_PORT;
    this.grpcPort = props.grpcPort ?? MultiPooler.DEFAULT_GRPC_PORT;
    this.postgresPort = props.postgresPort ?? MultiPooler.DEFAULT_POSTGRES_PORT;
    this.ports = [
      { name: 'http', port: this.httpPort, protocol: 'TCP' },
      { name: 'grpc', port: this.grpcPort, protocol: 'TCP' },
      { name: 'postgres', port: this.postgresPort, protocol: 'TCP' },
    ];
    this.checkDistinctPorts();

    const t = props.volumeClaimTemplate;
    const spec: L1.MultiPoolerSpec = compact({
      ...common,
      grpcPort: props.grpcPort,
      httpPort: props.httpPort,
      multiPooler: container(props.multiPooler, l1().MultiPoolerSpecMultiPoolerResourcesLimits.fromString, l1().MultiPoolerSpecMultiPoolerResourcesRequests.fromString),
      pgctld: container(props.pgctld, l1().MultiPoolerSpecPgctldResourcesLimits.fromString, l1().MultiPoolerSpecPgctldResourcesRequests.fromString),
      postgres: container(props.postgres, l1().MultiPoolerSpecPostgresResourcesLimits.fromString, l1().MultiPoolerSpecPostgresResourcesRequests.fromString),
      postgresPort: props.postgresPort,
      replicas: props.replicas,
      storageClassName: props.storageClassName,
      storageSize: props.storageSize,
      volumeClaimTemplate: t ? compact({
        ...t,
        resources: t.resources ? compact({
          limits: quantities(t.resources.limits, l1().MultiPoolerSpecVolumeClaimTemplateResourcesLimits.fromString),
          requests: quantities(t.resources.requests, l1().MultiPoolerSpecVolumeClaimTemplateResourcesRequests.fromString),
        }) : undefined,
      }) : undefined,
    });
    this.spec = spec;
  }
}

function container<L, R>(c: PoolerContainerSettings | undefined, limit: (v: string) => L, request: (v: string) => R) {
  if (!c || (c.image === undefined && c.resources === undefined)) return undefined;
  return compact({
    image: c.image,
    resources: c.resources ? compact({
      claims: c.resources.claims,
      limits: quantities(c.resources.limits, limit),
      requests: quantities(c.resources.requests, request),
    }) : undefined,
  });
}

/** The generated L1 module (multigres-multipoolers-multigres.com), loaded when the first object of it is built: a fleet without Multigres never loads it. */
function l1(): typeof L1 {
  return require('../../imports/multigres-multipoolers-multigres.com') as typeof L1;
}
