/** The Plural `GlobalService` kind (one service template for every cluster matching tags) as an L2 construct. */
import { Construct } from 'constructs';
import { GlobalService as L1GlobalService, GlobalServiceSpecDistro } from '../../imports/plural-globalservice-deployments.plural.sh';
import { checkGitRef, checkNamespace, checkObjectName, checkRef, checkRepoPath, DEFAULT_PLURAL_NAMESPACE, NamespacedRef, ref } from './common';

/** A Helm chart a GlobalService installs. */
export interface GlobalServiceHelm {
  /** Chart name, e.g. `cilium`. */
  readonly chart: string;
  /** Helm repository URL, e.g. `https://helm.cilium.io`. */
  readonly url: string;
  /** Exact chart version (`1.18.1`); ranges are refused so every cluster runs what Git says. */
  readonly version: string;
  /**
   * Values files, relative to `git.folder`, merged in order (`.liquid` ones rendered by Plural first).
   * @default - the chart's defaults only
   */
  readonly valuesFiles?: string[];
}

/** Props of a `GlobalService`. */
export interface GlobalServiceProps {
  /** Name of the GlobalService object. */
  readonly name: string;
  /**
   * Namespace of the GlobalService object.
   * @default "infra"
   */
  readonly namespace?: string;
  /**
   * Cluster tags a cluster must all carry to receive the service. Required: an untagged
   * GlobalService would target every cluster; pass `allClusters: true` if that is meant.
   * @default - none (only allowed with allClusters)
   */
  readonly tags?: Record<string, string>;
  /**
   * Set true to target every cluster (no tags).
   * @default false
   */
  readonly allClusters?: boolean;
  /**
   * Restrict to clusters of this Kubernetes distribution.
   * @default - any distribution
   */
  readonly distro?: GlobalServiceSpecDistro;
  /**
   * Whether the management cluster also receives it.
   * @default false
   */
  readonly mgmt?: boolean;
  /** Name of the service created on each cluster (`template.name`). */
  readonly serviceName: string;
  /** Namespace the service deploys into on each cluster (`template.namespace`). */
  readonly serviceNamespace: string;
  /** The GitRepository holding `folder`. */
  readonly repository: NamespacedRef;
  /** Folder of the repository the service reads (values files or manifests). */
  readonly folder: string;
  /**
   * Git ref to track.
   * @default "main"
   */
  readonly ref?: string;
  /**
   * Helm chart to install; without it the folder's manifests are applied as they are (`.liquid` ones rendered).
   * @default - a raw-manifest service
   */
  readonly helm?: GlobalServiceHelm;
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
   * Names of services on the same cluster this one waits for.
   * @default - none
   */
  readonly dependencies?: string[];
}

const EXACT_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

/**
 * A Plural GlobalService (`deployments.plural.sh/v1alpha1`): one service template replicated to
 * every cluster whose tags match.
 */
export class GlobalService extends Construct {
  /** The generated L1 object. */
  public readonly resource: L1GlobalService;
  /** Name of the GlobalService object. */
  public readonly name: string;
  /** Tags targeted. */
  public readonly tags: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: GlobalServiceProps) {
    super(scope, id);
    const what = `global service "${props.name}"`;
    checkObjectName(what, props.name);
    if (props.namespace !== undefined) checkNamespace(what, 'namespace', props.namespace);
    const tags = props.tags ?? {};
    if (Object.keys(tags).length === 0 && !props.allClusters) {
      throw new Error(`${what}: tags are empty, which targets every cluster; give tags or set allClusters: true`);
    }
    if (Object.keys(tags).length > 0 && props.allClusters) {
      throw new Error(`${what}: allClusters and tags are mutually exclusive`);
    }
    checkObjectName(`${what}: serviceName`, props.serviceName, true);
    checkObjectName(`${what}: serviceNamespace`, props.serviceNamespace, true);
    checkRef(what, 'repository', props.repository);
    if (props.configurationRef !== undefined) checkRef(what, 'configurationRef', props.configurationRef);
    checkRepoPath(what, 'folder', props.folder);
    checkGitRef(what, props.ref);
    if (props.helm) {
      if (!EXACT_VERSION.test(props.helm.version)) {
        throw new Error(`${what}: helm.version "${props.helm.version}" must be an exact chart version such as 1.18.1`);
      }
      if (!/^(https?|oci):\/\//.test(props.helm.url)) {
        throw new Error(`${what}: helm.url "${props.helm.url}" must be an http(s) or oci:// repository URL`);
      }
      for (const f of props.helm.valuesFiles ?? []) checkRepoPath(what, 'helm.valuesFiles', f);
    }
    this.name = props.name;
    this.tags = tags;
    this.resource = new L1GlobalService(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace ?? DEFAULT_PLURAL_NAMESPACE },
      spec: {
        mgmt: props.mgmt ?? false,
        distro: props.distro,
        tags: props.allClusters ? undefined : { ...tags },
        template: {
          name: props.serviceName,
          namespace: props.serviceNamespace,
          protect: props.protect ?? false,
          configurationRef: props.configurationRef ? ref(props.configurationRef) : undefined,
          dependencies: props.dependencies?.map((name) => ({ name })),
          repositoryRef: { kind: 'GitRepository', ...ref(props.repository) },
          git: { folder: props.folder, ref: props.ref ?? 'main' },
          helm: props.helm ? {
            chart: props.helm.chart,
            url: props.helm.url,
            version: props.helm.version,
            valuesFiles: props.helm.valuesFiles ? [...props.helm.valuesFiles] : undefined,
          } : undefined,
        },
      },
    });
  }
}
