/** The Plural `ServiceDeployment` kind (one Git folder or chart delivered to one cluster) as an L2 construct. */
import { Construct } from 'constructs';
import { ServiceDeployment as L1ServiceDeployment } from '../../imports/plural-servicedeployment-deployments.plural.sh';
import { checkObjectName, checkRepoPath, DEFAULT_PLURAL_NAMESPACE, NamespacedRef, ref } from './common';

/** A Helm chart a ServiceDeployment installs. */
export interface ServiceDeploymentHelm {
  /** Chart name, e.g. `cilium`. */
  readonly chart: string;
  /** Helm repository URL (`https://...` or `oci://...`), e.g. `https://helm.cilium.io`. */
  readonly url: string;
  /** Exact chart version (`1.18.1`); ranges are refused so the cluster runs what Git says. */
  readonly version: string;
  /**
   * Values files, relative to `folder`, merged in order (`.liquid` ones rendered by Plural first).
   * @default - the chart's defaults (plus `values.yaml.liquid` / `values.yaml.static` in `folder`, if present)
   */
  readonly valuesFiles?: string[];
  /**
   * Helm release name.
   * @default - Plural uses the service name
   */
  readonly release?: string;
}

/** Props of a {@link ServiceDeployment}. */
export interface ServiceDeploymentProps {
  /** Name of the ServiceDeployment object (also the service's name in Plural). */
  readonly name: string;
  /**
   * Namespace of the ServiceDeployment object.
   * @default "infra", where `plural up` puts its objects
   */
  readonly namespace?: string;
  /**
   * The Plural Cluster object (namespaced, in the management cluster) the service is delivered to.
   * A ServiceDeployment targets exactly one cluster; use a GlobalService to target many by tag.
   */
  readonly cluster: NamespacedRef;
  /**
   * Namespace on the target cluster the manifests (or the Helm release) go to (`spec.namespace`).
   * @default - the ServiceDeployment's own namespace (Plural's behaviour when `spec.namespace` is empty); written explicitly
   */
  readonly serviceNamespace?: string;
  /** The GitRepository holding `folder`. */
  readonly repository: NamespacedRef;
  /**
   * Folder of the repository the service reads: raw manifests (`*.liquid` rendered per cluster)
   * or, with `helm`, the values files.
   */
  readonly folder: string;
  /**
   * Git ref to track.
   * @default "main"
   */
  readonly ref?: string;
  /**
   * Helm chart to install; without it the folder's manifests are applied as they are.
   * @default - a raw-manifest service
   */
  readonly helm?: ServiceDeploymentHelm;
  /**
   * Secret whose keys become the Liquid `configuration` map at deploy time.
   * @default - no configuration
   */
  readonly configurationRef?: NamespacedRef;
  /**
   * Whether Plural refuses to delete the service.
   * @default false
   */
  readonly protect?: boolean;
  /**
   * Names of services on the same cluster this one waits for (they must be healthy first).
   * @default - none
   */
  readonly dependencies?: string[];
  /**
   * Create the target namespace if it does not exist (`syncConfig.createNamespace`).
   * @default - not written; Plural's default applies
   */
  readonly createNamespace?: boolean;
}

const EXACT_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

/**
 * A Plural ServiceDeployment (`deployments.plural.sh/v1alpha1`): one Git folder (raw manifests,
 * `.liquid` files rendered with the cluster's context) or one Helm chart, delivered to exactly one
 * cluster.
 */
export class ServiceDeployment extends Construct {
  /** The generated L1 object. */
  public readonly resource: L1ServiceDeployment;
  /** Name of the ServiceDeployment object. */
  public readonly name: string;
  /** Namespace of the ServiceDeployment object. */
  public readonly namespace: string;
  /** Namespace on the target cluster the service deploys into. */
  public readonly serviceNamespace: string;
  /** The target cluster (namespace defaulted). */
  public readonly cluster: { readonly name: string; readonly namespace: string };

  constructor(scope: Construct, id: string, props: ServiceDeploymentProps) {
    super(scope, id);
    const what = `service deployment "${props.name}"`;
    checkObjectName(what, props.name);
    const namespace = props.namespace ?? DEFAULT_PLURAL_NAMESPACE;
    checkObjectName(`${what}: namespace`, namespace, true);
    if (!props.cluster) throw new Error(`${what}: cluster is required (a service deployment targets exactly one cluster)`);
    checkObjectName(`${what}: cluster`, props.cluster.name);
    if (props.cluster.namespace !== undefined) checkObjectName(`${what}: cluster namespace`, props.cluster.namespace, true);
    checkObjectName(`${what}: repository`, props.repository.name);
    if (props.repository.namespace !== undefined) checkObjectName(`${what}: repository namespace`, props.repository.namespace, true);
    const serviceNamespace = props.serviceNamespace ?? namespace;
    checkObjectName(`${what}: serviceNamespace`, serviceNamespace, true);
    checkRepoPath(what, 'folder', props.folder);
    const gitRef = props.ref ?? 'main';
    if (gitRef.trim() === '' || /\s/.test(gitRef)) throw new Error(`${what}: ref "${gitRef}" must be a branch, tag or commit without whitespace`);
    if (props.configurationRef) {
      checkObjectName(`${what}: configurationRef`, props.configurationRef.name);
      if (props.configurationRef.namespace !== undefined) checkObjectName(`${what}: configurationRef namespace`, props.configurationRef.namespace, true);
    }
    const deps = props.dependencies ?? [];
    const seen = new Set<string>();
    for (const dep of deps) {
      checkObjectName(`${what}: dependency`, dep);
      if (dep === props.name) throw new Error(`${what}: depends on itself`);
      if (seen.has(dep)) throw new Error(`${what}: dependency "${dep}" is listed twice`);
      seen.add(dep);
    }
    if (props.helm) {
      if (!props.helm.chart || props.helm.chart.trim() === '') throw new Error(`${what}: helm.chart must not be empty`);
      if (!EXACT_VERSION.test(props.helm.version)) {
        throw new Error(`${what}: helm.version "${props.helm.version}" must be an exact chart version such as 1.18.1`);
      }
      if (!/^(https?|oci):\/\/\S+$/.test(props.helm.url)) {
        throw new Error(`${what}: helm.url "${props.helm.url}" must be an http(s) or oci:// repository URL`);
      }
      for (const f of props.helm.valuesFiles ?? []) checkRepoPath(what, 'helm.valuesFiles', f);
      if (props.helm.release !== undefined) checkObjectName(`${what}: helm.release`, props.helm.release, true);
    }

    this.name = props.name;
    this.namespace = namespace;
    this.serviceNamespace = serviceNamespace;
    this.cluster = ref(props.cluster);
    this.resource = new L1ServiceDeployment(this, 'Resource', {
      metadata: { name: props.name, namespace },
      spec: {
        namespace: serviceNamespace,
        clusterRef: { kind: 'Cluster', ...ref(props.cluster) },
        repositoryRef: { kind: 'GitRepository', ...ref(props.repository) },
        git: { folder: props.folder, ref: gitRef },
        helm: props.helm ? {
          chart: props.helm.chart,
          url: props.helm.url,
          version: props.helm.version,
          release: props.helm.release,
          valuesFiles: props.helm.valuesFiles ? [...props.helm.valuesFiles] : undefined,
        } : undefined,
        configurationRef: props.configurationRef ? ref(props.configurationRef) : undefined,
        protect: props.protect ?? false,
        dependencies: deps.length > 0 ? deps.map((name) => ({ name })) : undefined,
        syncConfig: props.createNamespace !== undefined ? { createNamespace: props.createNamespace } : undefined,
      },
    });
  }
}
