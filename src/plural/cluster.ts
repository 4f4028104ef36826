/** The Plural `Cluster` kind (a workload cluster's handle and tags) as an L2 construct. */
import { Construct } from 'constructs';
import { Cluster as L1Cluster } from '../../imports/plural-cluster-deployments.plural.sh';
import { dnsLabelProblem } from '../k8s/names';
import { checkNamespace, checkObjectName, DEFAULT_PLURAL_NAMESPACE } from './common';

/** Props of a `PluralCluster`. */
export interface PluralClusterProps {
  /** Name of the Cluster object. */
  readonly name: string;
  /**
   * Namespace of the Cluster object.
   * @default "infra"
   */
  readonly namespace?: string;
  /**
   * Plural handle of the cluster; an existing cluster with this handle is adopted.
   * @default - the name
   */
  readonly handle?: string;
  /**
   * Cluster tags (GlobalServices target clusters by tags).
   * @default - none
   */
  readonly tags?: Record<string, string>;
  /**
   * Whether Plural refuses to delete the cluster. The Cluster CRD marks this field deprecated.
   * @default - not written (Plural's default: unprotected)
   * @deprecated the Cluster CRD deprecates `spec.protect`
   */
  readonly protect?: boolean;
}

/**
 * A Plural Cluster object. With a handle it adopts the cluster registered under that handle
 * (e.g. by the cluster's Terraform stack), so services can target it.
 */
export class PluralCluster extends Construct {
  /** The generated L1 object. */
  public readonly resource: L1Cluster;
  /** The handle (what Liquid reads as `cluster.handle`). */
  public readonly handle: string;

  constructor(scope: Construct, id: string, props: PluralClusterProps) {
    super(scope, id);
    const what = `cluster "${props.name}"`;
    checkObjectName(what, props.name);
    this.handle = props.handle ?? props.name;
    if (props.namespace !== undefined) checkNamespace(what, 'namespace', props.namespace);
    if (typeof this.handle !== 'string' || dnsLabelProblem(this.handle) !== undefined) {
      throw new Error(`${what}: handle "${this.handle}" must be a DNS label (lowercase letters, digits and "-", at most 63 characters)`);
    }
    this.resource = new L1Cluster(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace ?? DEFAULT_PLURAL_NAMESPACE },
      spec: {
        handle: this.handle,
        protect: props.protect,
        tags: props.tags ? { ...props.tags } : undefined,
      },
    });
  }
}
