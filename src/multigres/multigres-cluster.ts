/**
 * `MultigresCluster` (`multigres.com/v1alpha1`, the operator's current user-facing kind): cells mapped to
 * the zones or regions of one Kubernetes cluster, the global topology server (managed etcd, or an
 * external etcd reachable through the Cilium mesh), the database/tablegroup/shard tree, and the
 * defaults the operator's mutating webhook would otherwise write into the stored object.
 *
 * Webhook defaults written here (so that Git and the cluster do not drift). Sources, all in
 * multigres/multigres-operator: `pkg/webhook/handlers/defaulter.go` (what is materialised and when),
 * `pkg/resolver/cluster.go` `PopulateClusterDefaults` / `ResolveGlobalTopo` / `ResolveMultiadmin[Web]`,
 * `pkg/resolver/cell.go` `ResolveCell` / `defaultGatewayBuffer`, `pkg/resolver/shard.go` `ResolveShard` /
 * `defaultPoolSpec` / `defaultBackupConfig`, `pkg/resolver/resolver.go` `defaultEtcdSpec` /
 * `defaultExternalTopoSpec` / `defaultStatelessSpec`, and the constants of `pkg/resolver/defaults.go`
 * (see {@link MultigresWebhookDefaults}). The webhook only fills fields that are empty, so every value
 * written explicitly here is kept as it is.
 */
import { isIP } from 'net';
import { Construct } from 'constructs';
import type * as L1 from '../../imports/multigres-multigresclusters-multigres.com';
import { ciliumServiceAnnotations, validateCiliumAnnotations } from '../cilium/annotations';
import { clone, compact, DNS_LABEL, DNS_SUBDOMAIN, SpecOf } from './multigres-cluster-checks';
import { MultigresWebhookDefaults } from './multigres-cluster-defaults';
import { MultigresClusterProps, MultigresImages } from './multigres-cluster-props';
import { SpecBuilder } from './multigres-cluster-spec';
import { checkQualifiedName, sortKeys } from './placement';

export { MultigresWebhookDefaults } from './multigres-cluster-defaults';
export * from './multigres-cluster-props';
export * from './multigres-cluster-topology';

/** Components whose pods the operator labels (`app.kubernetes.io/component`). */
/**
 * The labels the operator puts on the pods and Services of one component of a MultigresCluster
 * (`metadata.BuildStandardLabels`), keys sorted.
 */
export function multigresClusterLabels(clusterName: string, component: MultigresClusterComponent): { [key: string]: string } {
  return sortKeys({
    'app.kubernetes.io/name': 'multigres',
    'app.kubernetes.io/instance': clusterName,
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/part-of': 'multigres',
    'app.kubernetes.io/managed-by': 'multigres-operator',
  });
}

export type MultigresClusterComponent = 'toposerver' | 'multigateway' | 'multiorch' | 'shard-pool' | 'multiadmin' | 'multiadmin-web';

/**
 * A `MultigresCluster`: one Multigres deployment in one Kubernetes cluster, its cells mapped to that
 * cluster's zones or regions. Writes the operator webhook's defaults explicitly (see the module comment).
 */
export class MultigresCluster extends Construct {
  /** The generated L1 object. */
  public readonly resource: L1.MultigresCluster;
  /** The MultigresCluster's name. */
  public readonly name: string;
  /** The namespace, when set explicitly. */
  public readonly namespace?: string;
  /** Cell names in declaration order. */
  public readonly cellNames: string[];
  /** The global multigateway Service the operator creates (`<name>-multigateway`). */
  public readonly gatewayServiceName: string;
  /** The annotations written to `externalGateway.annotations` (empty when none). */
  public readonly gatewayAnnotations: { [key: string]: string };


  constructor(scope: Construct, id: string, props: MultigresClusterProps) {
    super(scope, id);
    const name = props.metadata?.name ?? this.node.id.toLowerCase().replace(/[^a-z0-9-]/g, '-');
    const w = `multigres cluster "${name}"`;
    const cellNames: string[] = [];
    const b = new SpecBuilder(w, cellNames);
    if (name.length > 25 || !DNS_LABEL.test(name)) {
      throw new Error(`${w}: name must be a dns label of at most 25 characters (the crd's limit)`);
    }
    const namespace = props.metadata?.namespace;
    if (namespace !== undefined && (namespace.length > 63 || !DNS_LABEL.test(namespace))) {
      throw new Error(`${w}: namespace "${namespace}" is not a valid namespace name`);
    }
    this.name = name;
    this.namespace = namespace;
    this.gatewayServiceName = `${name}-multigateway`;

    const pw = checkPasswordRef(props.postgresPasswordSecretRef, w);

    const td = props.templateDefaults ?? {};
    for (const [k, v] of Object.entries(td)) if (v !== undefined) b.checkTemplateName(v, `templateDefaults.${k}`);

    // --- cells
    const cells = props.cells ?? [];
    if (cells.length === 0) throw new Error(`${w}: cells must not be empty`);
    if (cells.length > 50) throw new Error(`${w}: at most 50 cells are allowed (got ${cells.length})`);
    cellNames.push(...checkCellNames(cells, w));
    this.cellNames = cellNames;

    // --- durability
    const durability = props.durabilityPolicy ?? MultigresWebhookDefaults.DURABILITY_POLICY;
    b.checkDurability(durability, 'durabilityPolicy');

    // --- backup (cluster level is always written: webhook PopulateClusterDefaults)
    const clusterBackup = props.backup ? b.backupSpec(props.backup, 'backup', true) : clone(MultigresWebhookDefaults.BACKUP);

    // --- external gateway
    const gateway = props.externalGateway ? externalGatewaySpec(props.externalGateway, w) : undefined;
    this.gatewayAnnotations = gateway?.annotations ?? {};
    const externalGateway = gateway?.spec;

    // --- core components
    const coreTemplated = td.coreTemplate !== undefined;
    const globalTopoServer = b.globalTopoSpec(props.globalTopoServer, coreTemplated);
    const multiadmin = b.coreComponentSpec(props.multiadmin, 'multiadmin', coreTemplated,
      MultigresWebhookDefaults.MULTIADMIN_REPLICAS, MultigresWebhookDefaults.RESOURCES.multiadmin);
    const multiadminWeb = b.coreComponentSpec(props.multiadminWeb, 'multiadminWeb', coreTemplated,
      MultigresWebhookDefaults.MULTIADMIN_WEB_REPLICAS, MultigresWebhookDefaults.RESOURCES.multiadminWeb);

    // --- cells
    const cellSpecs = cells.map(c => b.cellSpec(c, td.cellTemplate !== undefined));

    // --- databases
    const databases = b.databasesSpec(props.databases, durability, clusterBackup, td.shardTemplate !== undefined);

    // --- images
    const images = imagesSpec(props, b, w);
    const logLevels = logLevelsSpec(props, w);

    const superuser = props.postgresSuperuser ?? MultigresWebhookDefaults.POSTGRES_SUPERUSER;
    if (superuser.length === 0 || superuser.length > 63) throw new Error(`${w}: postgresSuperuser must be 1..63 characters`);
    if (props.certCommonName !== undefined && (props.certCommonName.length > 253 || !DNS_SUBDOMAIN.test(props.certCommonName))) {
      throw new Error(`${w}: certCommonName "${props.certCommonName}" must be a dns name`);
    }

    const spec: SpecOf['cluster'] = compact({
      backup: clusterBackup,
      cells: cellSpecs,
      certCommonName: props.certCommonName,
      databases,
      durabilityPolicy: durability,
      externalGateway,
      globalTopoServer,
      images,
      // The L1 names it internalTls and writes internalTLS (a raw internalTLS key would be dropped).
      internalTls: props.internalTls !== undefined ? { enabled: props.internalTls } : undefined,
      logLevels,
      multiadmin,
      multiadminWeb,
      postgresPasswordSecretRef: { key: pw.key, name: pw.name },
      postgresSuperuser: superuser,
      pvcDeletionPolicy: b.pvcSpec(props.pvcDeletionPolicy, 'pvcDeletionPolicy', MultigresWebhookDefaults.PVC_DELETION_POLICY),
      templateDefaults: Object.values(td).some(v => v !== undefined) ? compact({ ...td }) : undefined,
      topologyPruning: { enabled: props.topologyPruning ?? MultigresWebhookDefaults.TOPOLOGY_PRUNING },
    });

    this.resource = new (l1().MultigresCluster)(this, 'Resource', {
      metadata: { ...props.metadata, name },
      // The one cast: the builders' keys are the L1's (Loose), only its per-location enums are nominal.
      spec: spec as L1.MultigresClusterSpec,
    });
  }

  /**
   * The labels the operator puts on a component's pods and Services (`metadata.BuildStandardLabels`):
   * select a component of this cluster with them (add `multigres.com/cell` for one cell).
   */
  public componentLabels(component: MultigresClusterComponent): { [key: string]: string } {
    return multigresClusterLabels(this.name, component);
  }
}

/** The generated L1 module (multigres-multigresclusters-multigres.com), loaded when the first object of it is built: a fleet without Multigres never loads it. */
function l1(): typeof L1 {
  return require('../../imports/multigres-multigresclusters-multigres.com') as typeof L1;
}

/** The password Secret reference, checked. */
function checkPasswordRef(pw: MultigresClusterProps['postgresPasswordSecretRef'], w: string): { name: string; key: string } {
  if (!pw || !pw.name || pw.name.length > 253 || !DNS_SUBDOMAIN.test(pw.name)) {
    throw new Error(`${w}: postgresPasswordSecretRef.name "${pw?.name ?? ''}" is not a valid secret name`);
  }
  if (!pw.key || pw.key.length > 253 || !/^[-._a-zA-Z0-9]+$/.test(pw.key)) {
    throw new Error(`${w}: postgresPasswordSecretRef.key "${pw.key ?? ''}" is not a valid secret key`);
  }
  return pw;
}

/** The cells' names, checked (DNS labels of at most 30 characters, each once). */
function checkCellNames(cells: NonNullable<MultigresClusterProps['cells']>, w: string): string[] {
  const names: string[] = [];
  for (const c of cells) {
    if (!c.name || c.name.length > 30 || !DNS_LABEL.test(c.name)) {
      throw new Error(`${w}: cell name "${c.name ?? ''}" must be a dns label of at most 30 characters`);
    }
    if (names.includes(c.name)) throw new Error(`${w}: cell "${c.name}" is declared twice`);
    names.push(c.name);
  }
  return names;
}

/** `spec.externalGateway` with its annotations (given and from the Cilium options, which must agree). */
function externalGatewaySpec(g: NonNullable<MultigresClusterProps['externalGateway']>, w: string): { spec: SpecOf['cluster']['externalGateway']; annotations: { [key: string]: string } } {
  const enabled = g.enabled ?? true;
  const fromCilium = g.cilium ? ciliumServiceAnnotations(g.cilium, `${w}: externalGateway.cilium`) : {};
  const annotations = { ...(g.annotations ?? {}) };
  for (const [k, v] of Object.entries(fromCilium)) {
    if (annotations[k] !== undefined && annotations[k] !== v) {
      throw new Error(`${w}: externalGateway annotation "${k}" is set to "${annotations[k]}" but cilium options give "${v}"`);
    }
    annotations[k] = v;
  }
  const keys = Object.keys(annotations);
  if (keys.length > 20) throw new Error(`${w}: externalGateway takes at most 20 annotations (got ${keys.length})`);
  for (const k of keys) {
    checkQualifiedName(k, `${w}: externalGateway annotation key`);
    if (k.startsWith('multigres.com/')) throw new Error(`${w}: externalGateway annotation "${k}" uses the multigres.com/ prefix, which the operator reserves`);
  }
  validateCiliumAnnotations(annotations, `${w}: externalGateway.annotations`);
  if (!enabled && keys.length > 0) {
    throw new Error(`${w}: externalGateway annotations are only applied while enabled; set enabled: true or drop them`);
  }
  const ips = g.externalIPs ?? [];
  if (ips.length > 10) throw new Error(`${w}: externalGateway takes at most 10 externalIPs (got ${ips.length})`);
  for (const ip of ips) {
    if (isIP(ip) === 0) throw new Error(`${w}: externalGateway externalIPs entry "${ip}" is not an ip address`);
  }
  if (new Set(ips).size !== ips.length) throw new Error(`${w}: externalGateway externalIPs lists an address twice`);
  const sorted = sortKeys(annotations);
  return {
    annotations: sorted,
    spec: compact({ enabled, externalIPs: ips.length > 0 ? [...ips] : undefined, annotations: keys.length > 0 ? sorted : undefined }),
  };
}

/** `spec.images`: the pull policy, the images given and the pull secrets, checked. */
function imagesSpec(props: MultigresClusterProps, b: SpecBuilder, w: string): NonNullable<SpecOf['cluster']['images']> {
  const pullPolicy: string = props.imagePullPolicy ?? MultigresWebhookDefaults.IMAGE_PULL_POLICY;
  if (!['Always', 'Never', 'IfNotPresent'].includes(pullPolicy)) {
    throw new Error(`${w}: imagePullPolicy must be Always, Never or IfNotPresent (got "${pullPolicy}")`);
  }
  // Image keys are the L1's (MultigresImages mirrors them); imagePullSecrets is set below.
  const images: NonNullable<SpecOf['cluster']['images']> = { imagePullPolicy: pullPolicy };
  for (const k of Object.keys(props.images ?? {}) as Array<keyof MultigresImages>) {
    const v = props.images![k];
    if (v === undefined) continue;
    b.checkImage(v, `images.${k}`);
    images[k] = v;
  }
  if (props.imagePullSecrets?.length) {
    for (const s of props.imagePullSecrets) {
      if (s.length > 253 || !DNS_SUBDOMAIN.test(s)) throw new Error(`${w}: imagePullSecrets entry "${s}" is not a valid secret name`);
    }
    images.imagePullSecrets = props.imagePullSecrets.map(n => ({ name: n }));
  }
  return images;
}

/** `spec.logLevels`: every component's, the webhook's default where not given. */
function logLevelsSpec(props: MultigresClusterProps, w: string): Record<string, string> {
  const logLevels: Record<string, string> = {};
  for (const c of ['multiadmin', 'multigateway', 'multiorch', 'multipooler', 'pgctld'] as const) {
    const lvl = props.logLevels?.[c] ?? MultigresWebhookDefaults.LOG_LEVEL;
    if (!['debug', 'info', 'warn', 'error'].includes(lvl)) throw new Error(`${w}: logLevels.${c} must be debug, info, warn or error (got "${lvl}")`);
    logLevels[c] = lvl;
  }
  return logLevels;
}
