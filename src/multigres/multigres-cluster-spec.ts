/** Builds the MultigresCluster spec piece by piece (topology servers, core components, cells, databases, shards, pools), with the webhook's defaults. @internal */
import { checkInteger, checkLabelValue, sortKeys, validateScheduling } from './placement';
import { ResourceRequirements } from './common';
import { MultigresWebhookDefaults } from './multigres-cluster-defaults';
import { MultigresCellProps, MultigresCoreComponentProps, MultigresDatabaseProps, MultigresPoolContainer, MultigresPoolProps, MultigresShardProps } from './multigres-cluster-props';
import { MultigresEtcdProps, MultigresExternalTopoProps, MultigresGatewayBuffer, MultigresStatelessProps, MultigresTopoServer } from './multigres-cluster-topology';
import { compact, defaultBackup, SpecOf, DURATION, durationMs, ENDPOINT, DNS_LABEL, DNS_SUBDOMAIN, mergeBackup, SpecChecks } from './multigres-cluster-checks';

/** The spec builder of one MultigresCluster. @internal */
export class SpecBuilder extends SpecChecks {

  public globalTopoSpec(t: MultigresTopoServer | undefined, coreTemplated: boolean): SpecOf['topoServer'] | undefined {
    if (!t) {
      // Webhook: with a core template the topo server is resolved dynamically, nothing is written.
      return coreTemplated ? undefined : { etcd: this.etcdSpec({}, 'globalTopoServer.etcd', MultigresWebhookDefaults.GLOBAL_ROOT_PATH, true) };
    }
    if (t.kind === 'template') {
      this.checkTemplateName(t.templateName!, 'globalTopoServer template');
      return { templateRef: t.templateName };
    }
    if (t.kind === 'external') {
      return { external: this.externalSpec(t.externalProps!, 'globalTopoServer.external', MultigresWebhookDefaults.GLOBAL_ROOT_PATH, !coreTemplated) };
    }
    return { etcd: this.etcdSpec(t.etcd!, 'globalTopoServer.etcd', MultigresWebhookDefaults.GLOBAL_ROOT_PATH, !coreTemplated) };
  }

  public etcdSpec(e: MultigresEtcdProps, at: string, rootPath: string, withDefaults: boolean): SpecOf['etcd'] {
    const w = this.where;
    if (e.replicas !== undefined) {
      checkInteger(e.replicas, 1, undefined, `${w}: ${at}.replicas`);
      if (e.replicas % 2 === 0) throw new Error(`${w}: ${at}.replicas must be odd (1, 3, 5); got ${e.replicas}`);
    }
    if (e.image !== undefined) this.checkImage(e.image, `${at}.image`);
    if (e.rootPath !== undefined) this.checkRootPath(e.rootPath, `${at}.rootPath`);
    const d = withDefaults;
    return compact({
      image: e.image ?? (d ? MultigresWebhookDefaults.ETCD_IMAGE : undefined),
      pvcDeletionPolicy: e.pvcDeletionPolicy ? this.pvcSpec(e.pvcDeletionPolicy, `${at}.pvcDeletionPolicy`) : undefined,
      replicas: e.replicas ?? (d ? MultigresWebhookDefaults.ETCD_REPLICAS : undefined),
      resources: this.resources(e.resources ?? (d ? MultigresWebhookDefaults.RESOURCES.etcd : undefined), `${at}.resources`),
      rootPath: e.rootPath ?? (d ? rootPath : undefined),
      storage: this.storage(e.storage, `${at}.storage`, d),
    });
  }

  public externalSpec(x: MultigresExternalTopoProps, at: string, rootPath: string, withDefaults: boolean): SpecOf['external'] {
    const w = this.where;
    const eps = x.endpoints ?? [];
    if (eps.length === 0 || eps.length > 20) throw new Error(`${w}: ${at}.endpoints must list 1..20 urls (got ${eps.length})`);
    for (const ep of eps) {
      const m = ENDPOINT.exec(ep);
      const port = m ? Number(m[4]) : 0;
      if (!m || ep.length > 2048 || port < 1 || port > 65535) {
        throw new Error(`${w}: ${at}.endpoints entry "${ep}" must be a url http(s)://host:port`);
      }
    }
    if (new Set(eps).size !== eps.length) throw new Error(`${w}: ${at}.endpoints lists an url twice`);
    const https = eps.filter(e => e.startsWith('https://')).length;
    if (https > 0 && https < eps.length) throw new Error(`${w}: ${at}.endpoints mixes http and https`);
    if ((x.caSecret || x.clientCertSecret) && https === 0) {
      throw new Error(`${w}: ${at}: caSecret and clientCertSecret need https endpoints`);
    }
    for (const [k, v] of [['caSecret', x.caSecret], ['clientCertSecret', x.clientCertSecret]] as const) {
      if (v !== undefined && (v.length > 253 || !DNS_SUBDOMAIN.test(v))) throw new Error(`${w}: ${at}.${k} "${v}" is not a valid secret name`);
    }
    if (x.rootPath !== undefined) this.checkRootPath(x.rootPath, `${at}.rootPath`);
    return compact({
      caSecret: x.caSecret,
      clientCertSecret: x.clientCertSecret,
      endpoints: [...eps],
      implementation: x.implementation ?? (withDefaults ? MultigresWebhookDefaults.TOPO_IMPLEMENTATION : undefined),
      rootPath: x.rootPath ?? (withDefaults ? rootPath : undefined),
    });
  }

  public coreComponentSpec(c: MultigresCoreComponentProps | undefined, at: string, coreTemplated: boolean,
    replicas: number, resources: ResourceRequirements): SpecOf['core'] | undefined {
    if (c?.templateRef !== undefined) {
      this.checkTemplateName(c.templateRef, `${at}.templateRef`);
      const inline = ['replicas', 'resources', 'podLabels', 'podAnnotations', 'affinity'].filter(k => (c as Record<string, unknown>)[k] !== undefined);
      if (inline.length > 0) throw new Error(`${this.where}: ${at} takes either templateRef or inline fields (${inline.join(', ')}), not both`);
      return { templateRef: c.templateRef };
    }
    const spec = this.stateless(c ?? {}, at, coreTemplated ? undefined : { replicas, resources });
    return Object.keys(spec).length > 0 ? { spec } : undefined;
  }

  public stateless(s: MultigresStatelessProps, at: string, defaults: { replicas: number; resources: ResourceRequirements } | undefined): SpecOf['stateless'] {
    const w = this.where;
    if (s.replicas !== undefined) checkInteger(s.replicas, 0, 128, `${w}: ${at}.replicas`);
    this.checkPodMeta(s.podLabels, s.podAnnotations, at);
    if (s.affinity) validateScheduling({ affinity: s.affinity }, `${w}: ${at}`);
    return compact({
      affinity: s.affinity,
      podAnnotations: s.podAnnotations ? sortKeys(s.podAnnotations) : undefined,
      podLabels: s.podLabels ? sortKeys(s.podLabels) : undefined,
      replicas: s.replicas ?? defaults?.replicas,
      resources: this.resources(s.resources ?? defaults?.resources, `${at}.resources`),
    });
  }

  public cellSpec(c: MultigresCellProps, cellTemplateDefault: boolean): SpecOf['cell'] {
    const w = this.where;
    const at = `cell "${c.name}"`;
    if ((c.zoneId === undefined) === (c.region === undefined)) {
      throw new Error(`${w}: ${at} needs exactly one of zoneId and region`);
    }
    for (const [k, v] of [['zoneId', c.zoneId], ['region', c.region]] as const) {
      if (v !== undefined && (v.length === 0 || v.length > 63)) throw new Error(`${w}: ${at}: ${k} must be 1..63 characters`);
      if (v !== undefined) checkLabelValue(v, `${w}: ${at}: ${k}`);
    }
    if (c.cellTemplate !== undefined) this.checkTemplateName(c.cellTemplate, `${at}: cellTemplate`);
    const templated = c.cellTemplate !== undefined || cellTemplateDefault;
    const g = c.multigateway ?? {};
    const gateway: NonNullable<NonNullable<SpecOf['cell']['spec']>['multigateway']> = this.stateless(g, `${at}: multigateway`, templated ? undefined : {
      replicas: MultigresWebhookDefaults.MULTIGATEWAY_REPLICAS, resources: MultigresWebhookDefaults.RESOURCES.multigateway,
    });
    const buffer = this.buffer(g.buffer, `${at}: multigateway.buffer`, !templated);
    if (buffer) gateway.buffer = buffer;
    const placement = g.tolerations?.length ? { tolerations: g.tolerations } : undefined;
    if (placement) validateScheduling({ tolerations: g.tolerations }, `${w}: ${at}: multigateway`);
    let localTopoServer: NonNullable<SpecOf['cell']['spec']>['localTopoServer'];
    if (c.localTopoServer) {
      if (c.cellTemplate !== undefined) throw new Error(`${w}: ${at}: localTopoServer cannot be combined with cellTemplate (the crd has no override for it)`);
      const root = `/multigres/${c.name}`;
      const t = c.localTopoServer;
      if (t.kind === 'template') throw new Error(`${w}: ${at}: localTopoServer cannot come from a core template`);
      localTopoServer = t.kind === 'external'
        ? { external: this.externalSpec(t.externalProps!, `${at}: localTopoServer.external`, root, !templated) }
        : { etcd: this.etcdSpec(t.etcd!, `${at}: localTopoServer.etcd`, root, !templated) };
    }
    const body: NonNullable<SpecOf['cell']['spec']> = compact({
      localTopoServer,
      multigateway: Object.keys(gateway).length > 0 ? sortKeys(gateway) : undefined,
      multigatewayPlacement: placement,
    });
    const hasBody = Object.keys(body).length > 0;
    return compact({
      cellTemplate: c.cellTemplate,
      name: c.name,
      overrides: c.cellTemplate !== undefined && hasBody ? body : undefined,
      region: c.region,
      spec: c.cellTemplate === undefined && hasBody ? body : undefined,
      zoneId: c.zoneId,
    });
  }

  public buffer(b: MultigresGatewayBuffer | undefined, at: string, withDefaults: boolean): SpecOf['buffer'] | undefined {
    const w = this.where;
    if (!b) return withDefaults ? { enabled: MultigresWebhookDefaults.GATEWAY_BUFFER_ENABLED } : undefined;
    for (const k of ['window', 'maxFailoverDuration', 'minTimeBetweenFailovers'] as const) {
      if (b[k] !== undefined && !DURATION.test(b[k]!)) throw new Error(`${w}: ${at}.${k} "${b[k]}" is not a duration such as 20s`);
    }
    if (b.size !== undefined) checkInteger(b.size, 1, 2147483647, `${w}: ${at}.size`);
    if (b.drainConcurrency !== undefined) checkInteger(b.drainConcurrency, 1, 2147483647, `${w}: ${at}.drainConcurrency`);
    if (b.window !== undefined && b.maxFailoverDuration !== undefined && durationMs(b.maxFailoverDuration) < durationMs(b.window)) {
      throw new Error(`${w}: ${at}.maxFailoverDuration (${b.maxFailoverDuration}) must be at least window (${b.window})`);
    }
    return compact({
      drainConcurrency: b.drainConcurrency,
      enabled: b.enabled ?? (withDefaults ? MultigresWebhookDefaults.GATEWAY_BUFFER_ENABLED : undefined),
      maxFailoverDuration: b.maxFailoverDuration,
      minTimeBetweenFailovers: b.minTimeBetweenFailovers,
      size: b.size,
      window: b.window,
    });
  }

  public databasesSpec(dbs: MultigresDatabaseProps[] | undefined, clusterDurability: string, clusterBackup: SpecOf['backup'], shardTemplateDefault: boolean): Array<SpecOf['database']> {
    const w = this.where;
    const list = dbs ?? [{}];
    if (list.length !== 1) throw new Error(`${w}: databases must hold exactly one database in v1alpha1 (got ${list.length})`);
    return list.map(db => {
      const name = db.name ?? MultigresWebhookDefaults.DATABASE;
      const at = `database "${name}"`;
      if (name !== MultigresWebhookDefaults.DATABASE) throw new Error(`${w}: ${at}: only the system database "postgres" is supported in v1alpha1`);
      if (db.durabilityPolicy !== undefined) this.checkDurability(db.durabilityPolicy, `${at}: durabilityPolicy`);
      const durability = db.durabilityPolicy ?? clusterDurability;
      const dbBackupProp = db.backup ? this.backupSpec(db.backup, `${at}: backup`) : undefined;
      const dbBackup = mergeBackup(dbBackupProp, clusterBackup);
      const tgs = db.tablegroups ?? [{ name: MultigresWebhookDefaults.TABLEGROUP }];
      if (tgs.length === 0 || tgs.length > 20) throw new Error(`${w}: ${at}: tablegroups must hold 1..20 entries (got ${tgs.length})`);
      const seen = new Set<string>();
      let defaults = 0;
      const tablegroups = tgs.map(tg => {
        const tat = `${at}: tablegroup "${tg.name}"`;
        if (!tg.name || tg.name.length > 25 || !DNS_LABEL.test(tg.name)) throw new Error(`${w}: ${at}: tablegroup name "${tg.name ?? ''}" must be a dns label of at most 25 characters`);
        if (seen.has(tg.name)) throw new Error(`${w}: ${at}: tablegroup "${tg.name}" is declared twice`);
        seen.add(tg.name);
        const isDefault = tg.default ?? tg.name === MultigresWebhookDefaults.TABLEGROUP;
        if (isDefault && tg.name !== MultigresWebhookDefaults.TABLEGROUP) throw new Error(`${w}: ${tat}: the default tablegroup must be named "default"`);
        if (isDefault) defaults++;
        const tgBackupProp = tg.backup ? this.backupSpec(tg.backup, `${tat}: backup`) : undefined;
        const tgBackup = mergeBackup(tgBackupProp, dbBackup);
        const shards = tg.shards ?? [{}];
        if (shards.length === 0 || shards.length > 32) throw new Error(`${w}: ${tat}: shards must hold 1..32 entries (got ${shards.length})`);
        const shardNames = new Set<string>();
        const shardSpecs = shards.map(s => {
          const sn = s.name ?? MultigresWebhookDefaults.SHARD;
          if (shardNames.has(sn)) throw new Error(`${w}: ${tat}: shard "${sn}" is declared twice`);
          shardNames.add(sn);
          return this.shardSpec(s, `${tat}: shard "${sn}"`, durability, tgBackup, shardTemplateDefault);
        });
        return compact({
          backup: tgBackupProp,
          default: isDefault ? true : undefined,
          name: tg.name,
          pvcDeletionPolicy: tg.pvcDeletionPolicy ? this.pvcSpec(tg.pvcDeletionPolicy, `${tat}: pvcDeletionPolicy`) : undefined,
          shards: shardSpecs,
        });
      });
      if (defaults !== 1) throw new Error(`${w}: ${at}: exactly one tablegroup must be the default (got ${defaults})`);
      return compact({ backup: dbBackupProp, default: true, durabilityPolicy: db.durabilityPolicy, name, tablegroups });
    });
  }

  public shardSpec(s: MultigresShardProps, at: string, durability: string, inheritedBackup: SpecOf['backup'] | undefined, shardTemplateDefault: boolean): SpecOf['shard'] {
    const w = this.where;
    const name = s.name ?? MultigresWebhookDefaults.SHARD;
    if (name !== MultigresWebhookDefaults.SHARD) throw new Error(`${w}: ${at}: the shard name must be "0-inf" in v1alpha1`);
    if (s.shardTemplate !== undefined) this.checkTemplateName(s.shardTemplate, `${at}: shardTemplate`);
    const templated = s.shardTemplate !== undefined || shardTemplateDefault;
    const withDefaults = !templated;

    const orchProps = s.multiorch ?? {};
    const orch: NonNullable<NonNullable<SpecOf['shard']['spec']>['multiorch']> = this.stateless(orchProps, `${at}: multiorch`, withDefaults ? {
      replicas: MultigresWebhookDefaults.MULTIORCH_REPLICAS, resources: MultigresWebhookDefaults.RESOURCES.multiorch,
    } : undefined);
    const orchCells = orchProps.cells ?? (withDefaults ? this.cellNames : undefined);
    if (orchCells) orch.cells = this.checkCellRefs(orchCells, `${at}: multiorch.cells`, 50);

    const poolProps = s.pools ?? (withDefaults ? { [MultigresWebhookDefaults.POOL]: {} } : {});
    const poolNames = Object.keys(poolProps).sort();
    if (poolNames.length > 8) throw new Error(`${w}: ${at}: at most 8 pools are allowed (got ${poolNames.length})`);
    const pools: Record<string, SpecOf['pool']> = {};
    for (const pn of poolNames) {
      if (pn.length > 25 || !DNS_LABEL.test(pn)) throw new Error(`${w}: ${at}: pool name "${pn}" must be a dns label of at most 25 characters`);
      pools[pn] = this.poolSpec(poolProps[pn], `${at}: pool "${pn}"`, durability, withDefaults);
    }

    if (s.initdbArgs !== undefined && s.initdbArgs.length > 512) throw new Error(`${w}: ${at}: initdbArgs is longer than 512 characters`);
    const pgKeys = Object.keys(s.postgresConfig ?? {});
    if (pgKeys.length > 200) throw new Error(`${w}: ${at}: postgresConfig takes at most 200 parameters (got ${pgKeys.length})`);
    for (const k of pgKeys) if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(k)) throw new Error(`${w}: ${at}: postgresConfig key "${k}" is not a postgres parameter name`);

    const shardBackupProp = s.backup ? this.backupSpec(s.backup, `${at}: backup`) : undefined;
    const body: NonNullable<SpecOf['shard']['spec']> = compact({
      initdbArgs: s.initdbArgs,
      multiorch: Object.keys(orch).length > 0 ? sortKeys(orch) : undefined,
      pools: Object.keys(pools).length > 0 ? pools : undefined,
      postgresConfig: s.postgresConfig ? sortKeys(s.postgresConfig) : undefined,
      pvcDeletionPolicy: s.pvcDeletionPolicy ? this.pvcSpec(s.pvcDeletionPolicy, `${at}: pvcDeletionPolicy`) : undefined,
    });
    if (s.shardTemplate !== undefined && body.pvcDeletionPolicy) {
      throw new Error(`${w}: ${at}: pvcDeletionPolicy cannot be combined with shardTemplate (the crd has no override for it)`);
    }
    const hasBody = Object.keys(body).length > 0;
    return compact({
      // Webhook ResolveShard: the resolved backup (shard over tablegroup over database over cluster) is written on the shard.
      backup: withDefaults ? defaultBackup(mergeBackup(shardBackupProp, inheritedBackup)) : shardBackupProp,
      name,
      overrides: s.shardTemplate !== undefined && hasBody ? body : undefined,
      shardTemplate: s.shardTemplate,
      spec: s.shardTemplate === undefined && hasBody ? body : undefined,
    });
  }

  public poolSpec(p: MultigresPoolProps, at: string, durability: string, withDefaults: boolean): SpecOf['pool'] {
    const w = this.where;
    const cells = p.cells ?? (withDefaults ? this.cellNames : undefined);
    const checkedCells = cells ? this.checkCellRefs(cells, `${at}.cells`, 10) : undefined;
    if (p.replicasPerCell !== undefined) checkInteger(p.replicasPerCell, 1, 32, `${w}: ${at}.replicasPerCell`);
    const replicas = p.replicasPerCell ?? (withDefaults ? (checkedCells!.length === 1 ? 2 : 1) : undefined);
    if (checkedCells && replicas !== undefined) {
      if (durability === 'MULTI_CELL_AT_LEAST_2' && checkedCells.length < 2) {
        throw new Error(`${w}: ${at} spans ${checkedCells.length} cell; durability policy MULTI_CELL_AT_LEAST_2 needs at least 2 cells`);
      }
      if (durability === 'AT_LEAST_2' && replicas * checkedCells.length < 2) {
        throw new Error(`${w}: ${at} has ${replicas * checkedCells.length} pooler in all; durability policy AT_LEAST_2 needs at least 2`);
      }
    }
    if (p.fsGroup !== undefined) checkInteger(p.fsGroup, 1, undefined, `${w}: ${at}.fsGroup`);
    if (p.affinity || p.tolerations) validateScheduling({ affinity: p.affinity, tolerations: p.tolerations }, `${w}: ${at}`);
    const container = (c: MultigresPoolContainer | undefined, name: 'postgres' | 'multipooler') => {
      if (c?.runAsUser !== undefined) checkInteger(c.runAsUser, 1, undefined, `${w}: ${at}.${name}.runAsUser`);
      if (c?.runAsGroup !== undefined) checkInteger(c.runAsGroup, 0, undefined, `${w}: ${at}.${name}.runAsGroup`);
      const out = compact({
        resources: this.resources(c?.resources ?? (withDefaults ? MultigresWebhookDefaults.RESOURCES[name] : undefined), `${at}.${name}.resources`),
        runAsGroup: c?.runAsGroup,
        runAsUser: c?.runAsUser,
      });
      return Object.keys(out).length > 0 ? out : undefined;
    };
    return compact({
      affinity: p.affinity,
      cells: checkedCells,
      fsGroup: p.fsGroup,
      multipooler: container(p.multipooler, 'multipooler'),
      postgres: container(p.postgres, 'postgres'),
      pvcDeletionPolicy: p.pvcDeletionPolicy ? this.pvcSpec(p.pvcDeletionPolicy, `${at}.pvcDeletionPolicy`) : undefined,
      replicasPerCell: replicas,
      storage: this.storage(p.storage, `${at}.storage`, withDefaults),
      tolerations: p.tolerations?.length ? p.tolerations : undefined,
      type: 'readWrite',
    });
  }
}
