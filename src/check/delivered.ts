/** What a delivery engine gives each cluster, as its simulator renders it: the input of the shared checks. */

/** One service a delivery engine deploys to a cluster, rendered as the engine would render it. */
export interface DeliveredService {
  /** The object it comes from (a GlobalService, ServiceDeployment or Application, `namespace/name`). */
  readonly source: string;
  /** Service name on the cluster. */
  readonly name: string;
  /** Namespace it deploys into. */
  readonly namespace: string;
  /** The chart, when it is a Helm service. */
  readonly helm?: { readonly chart: string; readonly version: string; readonly url: string };
  /** Merged Helm values (values files in order), for a Helm service. */
  readonly values?: Record<string, unknown>;
  /** The manifests applied, for a raw service. */
  readonly manifests: ReadonlyArray<Record<string, unknown>>;
}

/** What each cluster receives, by cluster name. */
export type Delivered = ReadonlyMap<string, readonly DeliveredService[]>;
