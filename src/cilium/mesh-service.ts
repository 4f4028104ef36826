/** A Service global across the Cilium Cluster Mesh (`service.cilium.io/global`), the same name and namespace on every side. */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
// The typed core v1 objects of cdk8s-plus-30 (only its generated k8s module: its L2s are not needed here).
import { kube } from '../k8s/kube';
import { CiliumServiceAnnotationOptions, ciliumServiceAnnotations, validateCiliumAnnotations } from './annotations';

/** A port of a `MeshService`. */
export interface MeshServicePort {
  /** Port name (DNS label). */
  readonly name: string;
  /** Port number, 1..65535. */
  readonly port: number;
  /**
   * Pod port the traffic goes to.
   * @default - the same as `port`
   */
  readonly targetPort?: number;
}

/** Props of a `MeshService`. */
export interface MeshServiceProps {
  /** Service name; the same in every cluster, since Cilium matches global Services by name and namespace. */
  readonly name: string;
  /** Namespace; the same in every cluster. */
  readonly namespace: string;
  /** Pods it selects. In a cluster that only consumes the service no local pod matches: that is intended. */
  readonly selector: Record<string, string>;
  /** Ports. */
  readonly ports: readonly MeshServicePort[];
  /**
   * Further Cilium options (shared, affinity, EndpointSlice sync); `global` is always true.
   * @default - global and shared (Cilium's default), no affinity
   */
  readonly cilium?: Omit<CiliumServiceAnnotationOptions, 'global'>;
  /**
   * Extra labels.
   * @default - none
   */
  readonly labels?: Record<string, string>;
}

const DNS_1035 = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * A Cilium global Service (`service.cilium.io/global: "true"`): emit it with the same name and
 * namespace into every cluster that serves or consumes it. Cilium merges the endpoints of all
 * clusters; a cluster without a Service of that name cannot reach the remote endpoints at all.
 */
export class MeshService extends Construct {
  /** The Service object. */
  public readonly resource: ApiObject;
  /** The in-cluster DNS name clients use (`<name>.<namespace>.svc.cluster.local`). */
  public readonly dnsName: string;

  constructor(scope: Construct, id: string, props: MeshServiceProps) {
    super(scope, id);
    const what = `mesh service "${props.namespace}/${props.name}"`;
    if (!DNS_1035.test(props.name)) throw new Error(`${what}: name must be a DNS-1035 label (lowercase, starts with a letter, at most 63 characters)`);
    if (props.ports.length === 0) throw new Error(`${what}: needs at least one port`);
    if (Object.keys(props.selector).length === 0) throw new Error(`${what}: an empty selector would select every pod of the namespace`);
    const names = new Set<string>();
    for (const p of props.ports) {
      if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535) throw new Error(`${what}: port ${p.port} is outside 1..65535`);
      if (names.has(p.name)) throw new Error(`${what}: port name "${p.name}" is used twice`);
      names.add(p.name);
    }
    const annotations = ciliumServiceAnnotations({ ...(props.cilium ?? {}), global: true }, what);
    validateCiliumAnnotations(annotations, what);
    this.dnsName = `${props.name}.${props.namespace}.svc.cluster.local`;
    this.resource = new (kube().KubeService)(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace, labels: props.labels, annotations },
      spec: {
        type: 'ClusterIP',
        selector: { ...props.selector },
        ports: props.ports.map((p) => ({ name: p.name, port: p.port, targetPort: kube().IntOrString.fromNumber(p.targetPort ?? p.port), protocol: 'TCP' })),
      },
    });
  }
}
