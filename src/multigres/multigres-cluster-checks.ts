/** The checks and small converters of the MultigresCluster spec builder: names, cells, quantities, storage, PVC and backup settings. @internal */
import type * as L1 from '../../imports/multigres-multigresclusters-multigres.com';
import { validateCiliumAnnotations } from '../cilium/annotations';
import { DNS_LABEL, DNS_SUBDOMAIN } from '../k8s/names';
import { ResourceRequirements } from './common';
import { MultigresWebhookDefaults } from './multigres-cluster-defaults';
import { MultigresBackup } from './multigres-cluster-props';
import { MultigresPvcDeletionPolicy, MultigresStorage } from './multigres-cluster-topology';
import { checkLabelValue, checkQualifiedName, sortKeys } from './placement';

export { DNS_LABEL, DNS_SUBDOMAIN };

/**
 * An L1 sub-spec as the builders write it: every key name is the generated type's (a misspelt or
 * CRD-cased key is a compile error), and the generated enums are loosened to the strings the CRD
 * takes (json2jsii makes one nominal enum per location, so one builder could not serve two places).
 */
export type Loose<T> = T extends string ? string
  : T extends number | boolean ? T
    : T extends ReadonlyArray<infer U> ? Array<Loose<U>>
      : T extends object ? { -readonly [K in keyof T]?: Loose<T[K]> }
        : T;

/** The L1 sub-specs the builders return. */
export type SpecOf = {
  cluster: Loose<L1.MultigresClusterSpec>;
  topoServer: Loose<L1.MultigresClusterSpecGlobalTopoServer>;
  etcd: Loose<L1.MultigresClusterSpecGlobalTopoServerEtcd>;
  external: Loose<L1.MultigresClusterSpecGlobalTopoServerExternal>;
  core: Loose<L1.MultigresClusterSpecMultiadmin>;
  stateless: Loose<L1.MultigresClusterSpecMultiadminSpec>;
  cell: Loose<L1.MultigresClusterSpecCells>;
  buffer: Loose<L1.MultigresClusterSpecCellsSpecMultigatewayBuffer>;
  database: Loose<L1.MultigresClusterSpecDatabases>;
  shard: Loose<L1.MultigresClusterSpecDatabasesTablegroupsShards>;
  pool: Loose<L1.MultigresClusterSpecDatabasesTablegroupsShardsSpecPools>;
  resources: Loose<L1.MultigresClusterSpecMultiadminSpecResources>;
  storage: Loose<L1.MultigresClusterSpecGlobalTopoServerEtcdStorage>;
  pvc: Loose<L1.MultigresClusterSpecPvcDeletionPolicy>;
  backup: Loose<L1.MultigresClusterSpecBackup>;
};

export const QUANTITY = /^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$/;
export const DURATION = /^([0-9]+(\.[0-9]+)?(ns|us|µs|μs|ms|s|m|h))+$/;
export const ENDPOINT = /^https?:\/\/(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*):([0-9]{1,5})\/?$/;

/** Checks and converters shared by the spec builder, naming the cluster in every message. @internal */
export class SpecChecks {
  constructor(
    /** How messages name the cluster (`multigres cluster "x"`). */
    public readonly where: string,
    /** The declared cell names. */
    public readonly cellNames: string[],
  ) {}


  public checkCellRefs(cells: string[], at: string, max: number): string[] {
    const w = this.where;
    if (cells.length === 0 || cells.length > max) throw new Error(`${w}: ${at} must list 1..${max} cells (got ${cells.length})`);
    for (const c of cells) {
      if (!this.cellNames.includes(c)) throw new Error(`${w}: ${at} names cell "${c}", which is not declared`);
    }
    if (new Set(cells).size !== cells.length) throw new Error(`${w}: ${at} lists a cell twice`);
    return [...cells];
  }

  public checkDurability(p: string, at: string): void {
    if (p !== 'AT_LEAST_2' && p !== 'MULTI_CELL_AT_LEAST_2') {
      throw new Error(`${this.where}: ${at} must be AT_LEAST_2 or MULTI_CELL_AT_LEAST_2 (got "${p}")`);
    }
  }

  public checkTemplateName(n: string, at: string): void {
    if (!n || n.length > 63 || !DNS_SUBDOMAIN.test(n)) throw new Error(`${this.where}: ${at} "${n ?? ''}" must be an object name of at most 63 characters`);
  }

  public checkImage(v: string, at: string): void {
    if (v.length === 0 || v.length > 512 || /\s/.test(v)) throw new Error(`${this.where}: ${at} "${v}" must be an image reference of 1..512 characters without whitespace`);
  }

  public checkRootPath(v: string, at: string): void {
    if (!v.startsWith('/') || v.length > 512 || /\s/.test(v)) throw new Error(`${this.where}: ${at} "${v}" must be an absolute key prefix such as /multigres/global`);
  }

  public checkPodMeta(labels: { [k: string]: string } | undefined, annotations: { [k: string]: string } | undefined, at: string): void {
    const w = this.where;
    const lk = Object.keys(labels ?? {});
    if (lk.length > 20) throw new Error(`${w}: ${at}.podLabels takes at most 20 labels (got ${lk.length})`);
    for (const k of lk) {
      checkQualifiedName(k, `${w}: ${at}.podLabels key`);
      if (k.length >= 64) throw new Error(`${w}: ${at}.podLabels key "${k}" must be shorter than 64 characters`);
      checkLabelValue(labels![k], `${w}: ${at}.podLabels "${k}" value`);
    }
    const ak = Object.keys(annotations ?? {});
    if (ak.length > 20) throw new Error(`${w}: ${at}.podAnnotations takes at most 20 annotations (got ${ak.length})`);
    for (const k of ak) {
      checkQualifiedName(k, `${w}: ${at}.podAnnotations key`);
      if (k.length >= 64 || annotations![k].length >= 256) throw new Error(`${w}: ${at}.podAnnotations "${k}": keys must be shorter than 64 and values than 256 characters`);
    }
    validateCiliumAnnotations(annotations, `${w}: ${at}.podAnnotations`);
  }

  public resources(r: ResourceRequirements | undefined, at: string): SpecOf['resources'] | undefined {
    if (!r) return undefined;
    const conv = (m: { [k: string]: string } | undefined, kind: string) => {
      if (!m) return undefined;
      const out: Record<string, L1.MultigresClusterSpecMultiadminSpecResourcesLimits> = {};
      for (const k of Object.keys(m).sort()) {
        if (!QUANTITY.test(String(m[k]))) throw new Error(`${this.where}: ${at}.${kind}.${k} "${m[k]}" is not a kubernetes quantity`);
        out[k] = l1().MultigresClusterSpecMultiadminSpecResourcesLimits.fromString(String(m[k]));
      }
      return out;
    };
    return compact({ claims: r.claims, limits: conv(r.limits, 'limits'), requests: conv(r.requests, 'requests') });
  }

  public storage(s: MultigresStorage | undefined, at: string, withDefaults: boolean): SpecOf['storage'] | undefined {
    const w = this.where;
    if (s?.size !== undefined && (!QUANTITY.test(s.size) || !/^[0-9]+/.test(s.size) || parseFloat(s.size) <= 0 || s.size.length > 63)) {
      throw new Error(`${w}: ${at}.size "${s.size}" is not a positive kubernetes quantity (e.g. 10Gi)`);
    }
    if (s?.class !== undefined && (s.class.length === 0 || s.class.length > 63 || !DNS_SUBDOMAIN.test(s.class))) {
      throw new Error(`${w}: ${at}.class "${s.class}" is not a valid storage class name`);
    }
    const out = compact({
      accessModes: s?.accessModes?.length ? [...s.accessModes] : undefined,
      class: s?.class,
      size: s?.size ?? (withDefaults ? MultigresWebhookDefaults.STORAGE_SIZE : undefined),
    });
    return Object.keys(out).length > 0 ? out : undefined;
  }

  public pvcSpec(p: MultigresPvcDeletionPolicy | undefined, at: string, defaults?: MultigresPvcDeletionPolicy): SpecOf['pvc'] {
    const v = { whenDeleted: p?.whenDeleted ?? defaults?.whenDeleted, whenScaled: p?.whenScaled ?? defaults?.whenScaled };
    for (const [k, x] of Object.entries(v)) {
      if (x !== undefined && x !== 'Retain' && x !== 'Delete') throw new Error(`${this.where}: ${at}.${k} must be Retain or Delete (got "${x}")`);
    }
    return compact(v);
  }

  public backupSpec(b: MultigresBackup, at: string, fill = false): SpecOf['backup'] {
    const w = this.where;
    if (b.type !== 'filesystem' && b.type !== 's3') throw new Error(`${w}: ${at}.type must be filesystem or s3 (got "${b.type}")`);
    if (b.type === 's3') {
      if (!b.s3) throw new Error(`${w}: ${at}: type s3 needs s3 settings`);
      if (!b.s3.bucket) throw new Error(`${w}: ${at}.s3.bucket must not be empty`);
      if (!b.s3.region) throw new Error(`${w}: ${at}.s3.region must not be empty`);
      if (b.s3.serviceAccountName && b.s3.credentialsSecret) throw new Error(`${w}: ${at}.s3: serviceAccountName and credentialsSecret are mutually exclusive`);
      if (b.s3.serviceAccountName && b.s3.useEnvCredentials) throw new Error(`${w}: ${at}.s3: serviceAccountName and useEnvCredentials are mutually exclusive`);
    }
    if (b.type === 'filesystem' && b.s3) throw new Error(`${w}: ${at}: s3 settings given with type filesystem`);
    if (b.filesystem?.path !== undefined && !b.filesystem.path.startsWith('/')) throw new Error(`${w}: ${at}.filesystem.path "${b.filesystem.path}" must be absolute`);
    const fsStorage = b.filesystem ? this.storage(b.filesystem.storage, `${at}.filesystem.storage`, false) : undefined;
    return compact({
      encryption: b.encryptionSecretName ? { secretName: b.encryptionSecretName } : undefined,
      filesystem: b.type === 'filesystem' ? fillBackup(compact({ path: b.filesystem?.path, storage: fsStorage }), fill) : undefined,
      pgbackrestTls: b.pgbackrestTlsSecretName ? { secretName: b.pgbackrestTlsSecretName } : undefined,
      s3: b.s3 ? compact({ ...b.s3 }) : undefined,
      type: b.type,
    });
  }
}

/**
 * `MergeBackupConfig` of the operator (api/v1alpha1): the child wins field by field; a child of
 * another type replaces the parent. Both arguments are already in CRD shape.
 */
export function mergeBackup(child: SpecOf['backup'] | undefined, parent: SpecOf['backup'] | undefined): SpecOf['backup'] | undefined {
  if (!child) return parent ? clone(parent) : undefined;
  if (!parent || child.type !== parent.type) return clone(child);
  const out = clone(parent);
  if (child.filesystem) {
    out.filesystem = { ...(out.filesystem ?? {}), ...child.filesystem, storage: { ...(out.filesystem?.storage ?? {}), ...(child.filesystem.storage ?? {}) } };
  }
  if (child.s3) out.s3 = { ...(out.s3 ?? {}), ...child.s3 };
  if (child.encryption) out.encryption = child.encryption;
  if (child.pgbackrestTls) out.pgbackrestTls = child.pgbackrestTls;
  return sortKeys(out);
}

/** `defaultBackupConfig` of the operator's resolver: a filesystem backup gets path /backups and a 10Gi volume. */
export function defaultBackup(b: SpecOf['backup'] | undefined): SpecOf['backup'] {
  const out = b ? clone(b) : { type: 'filesystem' };
  if (out.type === 'filesystem') out.filesystem = fillBackup(out.filesystem ?? {}, true);
  return sortKeys(out);
}

function fillBackup(fs: NonNullable<SpecOf['backup']['filesystem']>, fill: boolean): SpecOf['backup']['filesystem'] {
  if (!fill) return Object.keys(fs).length > 0 ? fs : undefined;
  return {
    path: fs.path ?? MultigresWebhookDefaults.BACKUP.filesystem.path,
    storage: sortKeys({ ...(fs.storage ?? {}), size: fs.storage?.size ?? MultigresWebhookDefaults.BACKUP.filesystem.storage.size }),
  };
}

export function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v));
}

export function compact<T extends object>(obj: NoInfer<T>): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) out[k] = v;
  return out as T;
}

export function durationMs(d: string): number {
  const unit: { [u: string]: number } = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000 };
  let total = 0;
  for (const m of d.matchAll(/([0-9]+(?:\.[0-9]+)?)(ns|us|µs|μs|ms|s|m|h)/g)) total += parseFloat(m[1]) * unit[m[2]];
  return total;
}

/** The generated L1 module (multigres-multigresclusters-multigres.com), loaded when the first object of it is built: a fleet without Multigres never loads it. */
function l1(): typeof L1 {
  return require('../../imports/multigres-multigresclusters-multigres.com') as typeof L1;
}
