/**
 * What the four per-component Multigres kinds (Etcd, MultiGateway, MultiOrch, MultiPooler;
 * `multigres.com/v1alpha1`) have in common: pod labels set by the operator, the shared pod props,
 * and their validation.
 */
import { ApiObjectMetadata, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { validateCiliumAnnotations } from '../cilium/annotations';
import { DNS_LABEL, DNS_SUBDOMAIN } from '../k8s/names';
import {
  Affinity, checkInteger, checkLabelValue, checkQualifiedName, compact, LabelSelector, mergeScheduling,
  Placement, Scheduling, sortKeys, Toleration, TopologySpreadConstraint, validateScheduling,
} from './placement';

/** The API group and version of the Multigres component kinds. */
export const MULTIGRES_API_VERSION = 'multigres.com/v1alpha1';

/** The component kinds, as the operator writes them into `app.kubernetes.io/component`. */
export type MultigresComponentKind = 'etcd' | 'multigateway' | 'multiorch' | 'multipooler';

/** Label keys the operator puts on every pod and Service it creates for a component. */
export const MultigresLabel = {
  NAME: 'app.kubernetes.io/name',
  INSTANCE: 'app.kubernetes.io/instance',
  COMPONENT: 'app.kubernetes.io/component',
  PART_OF: 'app.kubernetes.io/part-of',
  MANAGED_BY: 'app.kubernetes.io/managed-by',
  CELL: 'multigres.com/cell',
} as const;

/** The cell label value the operator writes when `cellName` is not set. */
export const MULTIGRES_DEFAULT_CELL = 'multigres-global-topo';

/**
 * The labels the operator's controller puts on a component's pods and Services, which are also the
 * selector of its StatefulSet/Deployment and Services (operator `metadata.BuildStandardLabels`).
 * Keys in sorted order.
 */
export function multigresOperatorLabels(name: string, component: MultigresComponentKind, cellName?: string): { [key: string]: string } {
  return sortKeys({
    [MultigresLabel.NAME]: 'multigres',
    [MultigresLabel.INSTANCE]: name,
    [MultigresLabel.COMPONENT]: component,
    [MultigresLabel.PART_OF]: 'multigres',
    [MultigresLabel.MANAGED_BY]: 'multigres-operator',
    [MultigresLabel.CELL]: cellName ?? MULTIGRES_DEFAULT_CELL,
  });
}

/** A port a component's pods listen on. */
export interface ComponentPort {
  /** Port name as the operator writes it on the container and Service (`client`, `peer`, `http`, `grpc`, `postgres`). */
  readonly name: string;
  /** Port number. */
  readonly port: number;
  /** Protocol (Multigres speaks TCP only). */
  readonly protocol: 'TCP';
}

/** A Service the operator's controller creates for a component. */
export interface ComponentService {
  /** Service name (in the component's namespace). */
  readonly name: string;
  /** Whether the Service is headless (`clusterIP: None`). */
  readonly headless: boolean;
  /** Service ports (targetPort is the container port of the same name). */
  readonly ports: ComponentPort[];
}

/**
 * What later code (Services, network policies, fleet topology) needs to know about a Multigres
 * component: who its pods are and where they listen.
 */
export interface IMultigresComponent {
  /** The custom resource's name (`app.kubernetes.io/instance` of its pods). */
  readonly name: string;
  /** The custom resource's namespace, when set explicitly. */
  readonly namespace?: string;
  /** The component kind (`app.kubernetes.io/component` of its pods). */
  readonly component: MultigresComponentKind;
  /** The effective cell (`multigres.com/cell` of its pods). */
  readonly cellName: string;
  /** The operator's labels; select exactly this component's pods with them. */
  readonly selectorLabels: { [key: string]: string };
  /** All labels the pods carry: `podLabels` overlaid by the operator's labels. */
  readonly podLabels: { [key: string]: string };
  /** The ports the pods listen on, as configured. */
  readonly ports: ComponentPort[];
  /** The Services the operator's controller creates (empty when the kind never had a controller). */
  readonly services: ComponentService[];
}

/** Compute resources of a container (core/v1 `ResourceRequirements`, quantities as strings). */
export interface ResourceRequirements {
  /**
   * Limits, e.g. `{ cpu: '2', memory: '4Gi' }`.
   * @default - no limits
   */
  readonly limits?: { [resource: string]: string };
  /**
   * Requests, e.g. `{ cpu: '500m', memory: '1Gi' }`.
   * @default - the limits if set, else none
   */
  readonly requests?: { [resource: string]: string };
  /**
   * Dynamic resource claims used by the container.
   * @default - none
   */
  readonly claims?: Array<{ readonly name: string; readonly request?: string }>;
}

/** A PersistentVolumeClaim spec used as the data volume template (core/v1 `PersistentVolumeClaimSpec`). */
export interface PersistentVolumeClaimTemplate {
  /**
   * Access modes.
   * @default - the operator's choice (ReadWriteOnce)
   */
  readonly accessModes?: Array<'ReadWriteOnce' | 'ReadOnlyMany' | 'ReadWriteMany' | 'ReadWriteOncePod'>;
  /**
   * Storage class.
   * @default - the cluster's default StorageClass
   */
  readonly storageClassName?: string;
  /**
   * Requests and limits, e.g. `{ requests: { storage: '20Gi' } }`.
   * @default - the component's storageSize
   */
  readonly resources?: { readonly requests?: { [r: string]: string }; readonly limits?: { [r: string]: string } };
  /**
   * Volume mode.
   * @default - Filesystem
   */
  readonly volumeMode?: 'Filesystem' | 'Block';
  /**
   * Label query over existing volumes to bind to.
   * @default - none
   */
  readonly selector?: LabelSelector;
  /**
   * Populate the volume from this object (snapshot or PVC).
   * @default - an empty volume
   */
  readonly dataSource?: { readonly apiGroup?: string; readonly kind: string; readonly name: string };
  /**
   * Populate the volume from this object (any populator; may name another namespace).
   * @default - an empty volume
   */
  readonly dataSourceRef?: { readonly apiGroup?: string; readonly kind: string; readonly name: string; readonly namespace?: string };
  /**
   * VolumeAttributesClass.
   * @default - none
   */
  readonly volumeAttributesClassName?: string;
  /**
   * Bind to this existing PersistentVolume.
   * @default - dynamic provisioning
   */
  readonly volumeName?: string;
}

/** How a component's Service is exposed (MultiGateway, MultiOrch). */
export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer';

/** Props every Multigres component accepts. */
export interface MultigresComponentProps {
  /**
   * Object metadata of the custom resource (name, namespace, labels, annotations).
   * The name becomes the pods' `app.kubernetes.io/instance` and the name of the Services the operator
   * creates; across a mesh, give it explicitly so it is the same in every cluster.
   * @default - a name generated from the construct path, in the chart's namespace
   */
  readonly metadata?: ApiObjectMetadata;
  /**
   * The Multigres cell this component belongs to (becomes the pods' `multigres.com/cell`).
   * @default - no cell; the operator labels the pods `multigres.com/cell: multigres-global-topo`
   */
  readonly cellName?: string;
  /**
   * Extra pod labels. The operator's own labels win on conflict, so setting one of them to another
   * value is refused.
   * @default - only the operator's labels
   */
  readonly podLabels?: { [key: string]: string };
  /**
   * Pod annotations (Cilium annotations are checked for legacy and removed names).
   * @default - none
   */
  readonly podAnnotations?: { [key: string]: string };
  /**
   * Affinity, merged with `placement`.
   * @default - none (beyond what `placement` adds)
   */
  readonly affinity?: Affinity;
  /**
   * Node labels a node must carry, merged with `placement`.
   * @default - any node (beyond what `placement` adds)
   */
  readonly nodeSelector?: { [key: string]: string };
  /**
   * Tolerations, merged with `placement`.
   * @default - none (beyond what `placement` adds)
   */
  readonly tolerations?: Toleration[];
  /**
   * Topology spread constraints, merged with `placement`.
   * @default - none (beyond what `placement` adds)
   */
  readonly topologySpreadConstraints?: TopologySpreadConstraint[];
  /**
   * A placement recipe rendered against this component's selector labels and merged with the
   * explicit scheduling props above.
   * @default - no placement constraints
   */
  readonly placement?: Placement;
  /**
   * Names of Secrets (same namespace) used to pull the images.
   * @default - none; the ServiceAccount's pull secrets apply
   */
  readonly imagePullSecrets?: string[];
  /**
   * ServiceAccount of the pods.
   * @default - the namespace's `default` ServiceAccount
   */
  readonly serviceAccountName?: string;
}

const DNS1123_LABEL = DNS_LABEL;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = DNS_SUBDOMAIN;
/** Kubernetes quantity (the pattern the CRDs use for resource quantities). */
const QUANTITY = /^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$/;

/** The fields shared by the four component specs, validated, in the shape the L1 classes take. */
export interface CommonSpec {
  readonly affinity?: Affinity;
  readonly cellName?: string;
  readonly imagePullSecrets?: Array<{ name: string }>;
  readonly nodeSelector?: { [key: string]: string };
  readonly podAnnotations?: { [key: string]: string };
  readonly podLabels?: { [key: string]: string };
  readonly serviceAccountName?: string;
  readonly tolerations?: Toleration[];
  readonly topologySpreadConstraints?: TopologySpreadConstraint[];
}

/**
 * Base of the four component constructs: owns the naming, labels and the common validation.
 * Subclasses create the L1 as child `Resource` with a lazily produced spec, then call
 * {@link MultigresComponentBase.initialize}.
 */
export abstract class MultigresComponentBase extends Construct implements IMultigresComponent {
  public abstract readonly component: MultigresComponentKind;
  private _name?: string;
  private _namespace?: string;
  private _cellName?: string;
  private _selectorLabels?: { [key: string]: string };
  private _podLabels?: { [key: string]: string };

  /** The custom resource's name. */
  public get name(): string { return this._name!; }
  /** The custom resource's namespace, when set explicitly. */
  public get namespace(): string | undefined { return this._namespace; }
  /** The effective cell (`multigres.com/cell`). */
  public get cellName(): string { return this._cellName!; }
  /** The operator's labels on this component's pods and Services; select its pods with these. */
  public get selectorLabels(): { [key: string]: string } { return { ...this._selectorLabels! }; }
  /** All labels the pods carry (`podLabels` overlaid by the operator's labels). */
  public get podLabels(): { [key: string]: string } { return { ...this._podLabels! }; }
  /** The ports the pods listen on. */
  public abstract readonly ports: ComponentPort[];
  /** The Services the operator's controller creates. */
  public abstract readonly services: ComponentService[];

  /** The spec, produced lazily for the L1 (set by the subclass before synthesis). */
  protected spec: any;

  /** How error messages name this object, e.g. `etcd "topo"`. */
  protected where!: string;

  /** A lazy value for the L1's `spec` that yields {@link spec}. */
  protected lazySpec(): any {
    return Lazy.any({ produce: () => this.spec });
  }

  /**
   * Record the resolved name and namespace, compute the labels, validate the common props and return
   * the common part of the spec.
   * @param maxNameLength the longest name whose derived objects stay valid
   */
  protected initialize(resourceName: string, props: MultigresComponentProps, maxNameLength: number, why: string): CommonSpec {
    this._name = resourceName;
    this._namespace = props.metadata?.namespace;
    this.where = `${this.component} "${resourceName}"`;
    const where = this.where;

    if (resourceName.length > maxNameLength || !DNS1035_LABEL.test(resourceName)) {
      throw new Error(`${where}: name must be a dns-1035 label of at most ${maxNameLength} characters (${why}): lowercase letters, digits and '-', starting with a letter`);
    }
    if (this.namespace !== undefined && (this.namespace.length > 63 || !DNS1123_LABEL.test(this.namespace))) {
      throw new Error(`${where}: namespace "${this.namespace}" is not a valid namespace name`);
    }
    if (props.cellName !== undefined) {
      if (props.cellName.length === 0) throw new Error(`${where}: cellName must not be empty`);
      checkLabelValue(props.cellName, `${where}: cellName`);
    }
    this._cellName = props.cellName ?? MULTIGRES_DEFAULT_CELL;
    this._selectorLabels = multigresOperatorLabels(resourceName, this.component, props.cellName);

    for (const [key, value] of Object.entries(props.podLabels ?? {})) {
      checkQualifiedName(key, `${where}: podLabels key`);
      checkLabelValue(value, `${where}: podLabels "${key}" value`);
      const own = this._selectorLabels[key];
      if (own !== undefined && own !== value) {
        throw new Error(`${where}: podLabels "${key}" is set by the operator to "${own}" and would be ignored (got "${value}")`);
      }
    }
    this._podLabels = sortKeys({ ...(props.podLabels ?? {}), ...this._selectorLabels });

    for (const key of Object.keys(props.podAnnotations ?? {})) {
      checkQualifiedName(key, `${where}: podAnnotations key`);
    }
    validateCiliumAnnotations(props.podAnnotations, `${where}: podAnnotations`);

    for (const secret of props.imagePullSecrets ?? []) {
      if (!DNS1123_SUBDOMAIN.test(secret) || secret.length > 253) {
        throw new Error(`${where}: imagePullSecrets entry "${secret}" is not a valid secret name`);
      }
    }
    if (props.serviceAccountName !== undefined && (!DNS1123_SUBDOMAIN.test(props.serviceAccountName) || props.serviceAccountName.length > 253)) {
      throw new Error(`${where}: serviceAccountName "${props.serviceAccountName}" is not a valid service account name`);
    }

    const explicit: Scheduling = compact({
      affinity: props.affinity,
      nodeSelector: props.nodeSelector,
      tolerations: props.tolerations,
      topologySpreadConstraints: props.topologySpreadConstraints,
    });
    validateScheduling(explicit, where);
    const placed = props.placement ? props.placement.render(this._selectorLabels, where) : {};
    const scheduling = mergeScheduling(explicit, placed, where);
    validateScheduling(scheduling, where);

    return compact({
      affinity: scheduling.affinity,
      cellName: props.cellName,
      imagePullSecrets: props.imagePullSecrets?.map(name => ({ name })),
      nodeSelector: scheduling.nodeSelector ? sortKeys(scheduling.nodeSelector) : undefined,
      podAnnotations: props.podAnnotations ? sortKeys(props.podAnnotations) : undefined,
      podLabels: props.podLabels ? sortKeys(props.podLabels) : undefined,
      serviceAccountName: props.serviceAccountName,
      tolerations: scheduling.tolerations,
      topologySpreadConstraints: scheduling.topologySpreadConstraints,
    });
  }

  /** Check a container port against the CRD bounds (1..65535). */
  protected checkPort(value: number | undefined, field: string): void {
    if (value !== undefined) checkInteger(value, 1, 65535, `${this.where}: ${field}`);
  }

  /** Refuse two ports of this component with the same number. */
  protected checkDistinctPorts(): void {
    const seen = new Map<number, string>();
    for (const p of this.ports) {
      const other = seen.get(p.port);
      if (other) throw new Error(`${this.where}: ${other} and ${p.name} ports must differ (both ${p.port})`);
      seen.set(p.port, p.name);
    }
  }

  /** Check a container image reference (CRD: minLength 1). */
  protected checkImage(value: string | undefined, field: string): void {
    if (value === undefined) return;
    if (value.length === 0) throw new Error(`${this.where}: ${field} must not be empty`);
    if (/\s/.test(value)) throw new Error(`${this.where}: ${field} "${value}" must not contain whitespace`);
  }

  /** Check a storage size quantity (must be a positive Kubernetes quantity). */
  protected checkStorageSize(value: string | undefined, field: string): void {
    if (value === undefined) return;
    if (!QUANTITY.test(value) || value.startsWith('-') || parseFloat(value.replace(/^\+/, '')) <= 0) {
      throw new Error(`${this.where}: ${field} "${value}" is not a positive kubernetes quantity (e.g. 10Gi)`);
    }
  }

  /** Check the quantities of a resource requirements block. */
  protected checkResources(r: ResourceRequirements | undefined, field: string): void {
    if (!r) return;
    for (const kind of ['limits', 'requests'] as const) {
      for (const [name, q] of Object.entries(r[kind] ?? {})) {
        if (!QUANTITY.test(String(q))) {
          throw new Error(`${this.where}: ${field}.${kind}.${name} "${q}" is not a kubernetes quantity`);
        }
      }
    }
  }

  /** Check a volume claim template. */
  protected checkVolumeClaimTemplate(t: PersistentVolumeClaimTemplate | undefined): void {
    if (!t) return;
    this.checkResources(t.resources, 'volumeClaimTemplate.resources');
  }

  /**
   * Check `serviceAnnotations` of a kind that has them: valid keys, current Cilium names, and
   * LB-IPAM annotations only with a LoadBalancer Service.
   */
  protected checkServiceAnnotations(annotations: { [key: string]: string } | undefined, serviceType: ServiceType | undefined): void {
    if (!annotations) return;
    for (const key of Object.keys(annotations)) {
      checkQualifiedName(key, `${this.where}: serviceAnnotations key`);
    }
    validateCiliumAnnotations(annotations, `${this.where}: serviceAnnotations`);
    for (const key of Object.keys(annotations).sort()) {
      if (key.startsWith('lbipam.cilium.io/') && serviceType !== 'LoadBalancer') {
        throw new Error(`${this.where}: serviceAnnotations "${key}" only applies to serviceType LoadBalancer (got ${serviceType ?? 'ClusterIP'})`);
      }
    }
  }

  /** Check `serviceType` against the CRD enum. */
  protected checkServiceType(value: string | undefined): void {
    if (value !== undefined && !['ClusterIP', 'NodePort', 'LoadBalancer'].includes(value)) {
      throw new Error(`${this.where}: serviceType must be ClusterIP, NodePort or LoadBalancer (got "${value}")`);
    }
  }

  /** Check a replica count against the CRD minimum. */
  protected checkReplicas(value: number | undefined, min: number): void {
    if (value === undefined) return;
    checkInteger(value, min, undefined, `${this.where}: replicas`);
    if (value > 2147483647) throw new Error(`${this.where}: replicas must fit in int32 (got ${value})`);
  }

  /** Check the storage class name. */
  protected checkStorageClassName(value: string | undefined): void {
    if (value !== undefined && (!DNS1123_SUBDOMAIN.test(value) || value.length > 253)) {
      throw new Error(`${this.where}: storageClassName "${value}" is not a valid storage class name`);
    }
  }
}

/** Convert a map of quantity strings with an L1 quantity class's `fromString`. @internal */
export function quantities<Q>(map: { [k: string]: string } | undefined, from: (v: string) => Q): { [k: string]: Q } | undefined {
  if (!map) return undefined;
  const out: { [k: string]: Q } = {};
  for (const k of Object.keys(map).sort()) out[k] = from(map[k]);
  return out;
}

/** Drop undefined members, keeping key order. @internal */
export { compact, sortKeys };
