/**
 * The Argo CD delivery target: turns the plan into an app of apps under `argocd/<fleet>/` (a root
 * Application the user applies once, an AppProject, per cluster the Applications of its CA issuer,
 * Cilium and Multigres), values files shared per fleet and per mesh, and the Multigres manifests.
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Application, ApplicationSpecSources, ApplicationSpecSyncPolicy } from '../../../imports/argocd-application-argoproj.io';
import { AppProject } from '../../../imports/argocd-appproject-argoproj.io';
import { ClusterIssuer } from '../../../imports/cert-manager-clusterissuer-cert-manager.io';
import { Fleet, MeshCluster } from '../../fleet/fleet';
import { GENERATED_MARKDOWN_HEADER, ManifestFile, renderFiles, TextFile, YamlFile } from '../../gitops/files';
import { fleetPicture, meshMarkdown } from '../../picture/picture';
import { OUTSIDE_TREE_APP, TreeApp } from '../../gitops/tree-app';
import { clusterIdentityValues, FleetPlan, MeshPlan, planFleet } from '../../plan/plan';
import { addMeshProbe, probeClusterManifests } from '../../plan/probe-objects';
import { CILIUM_CLUSTER_KINDS, CILIUM_EXTRA_NAMESPACES, CILIUM_MCSAPI_COREDNS_KINDS, CILIUM_NAMESPACED_KINDS, GroupKind } from './cilium-kinds';
import { ArgoCdLayout } from './layout';
import { PROBE_CLUSTER_VAR, PROBE_JSONNET, probeJsonnet } from './probe';
import { argoCdSettings, ResolvedArgoCd } from './settings';

/** The address of the cluster Argo CD runs in, where the Applications themselves live. */
export const IN_CLUSTER = 'https://kubernetes.default.svc';

/**
 * The sync waves, in which the root Application creates the fleet's objects: the project, then each
 * cluster's CA issuer, Cilium, Multigres. They order creation only; each Application then converges on
 * its own, retrying until what it needs exists.
 */
export const SYNC_WAVES = { project: -1, issuer: 0, cilium: 1, multigres: 2, probe: 3 } as const;

/** Props of an `ArgoCdMeshFleet`. */
export interface ArgoCdMeshFleetProps {
  /** The validated fleet (its `argocd.repoURL` set). */
  readonly fleet: Fleet;
  /**
   * The plan of that fleet.
   * @default - computed from `fleet`
   */
  readonly plan?: FleetPlan;
  /**
   * Where files go.
   * @default - `argocd/<fleet>/`
   */
  readonly layout?: ArgoCdLayout;
}

/**
 * Everything an Argo CD instance needs to run one Cilium Cluster Mesh per mesh of a fleet, and its
 * Multigres deployments, on clusters registered in Argo CD under their fleet names:
 * - `root.yaml`, applied once: a project allowed only to manage the fleet's Applications, and the root
 *   Application that syncs `apps/`;
 * - `apps/project.yaml`: the AppProject allowing exactly the repositories, destinations and kinds used;
 * - `apps/clusters/<cluster>.yaml`: the cluster's Applications (`<cluster>-issuer`, `<cluster>-cilium`,
 *   `<cluster>-multigres`; Argo CD's cluster names are unique, so these are too), ordered
 *   by sync waves; Cilium is one multi-source Application reading the shared values and its mesh's
 *   values from this repository (`$values`: the mesh's issuer and peer list), with the cluster's identity inline;
 * - per mesh its own CA issuer (one CA per mesh unless the fleet shares one);
 * - no key material: the CA reaches each cluster out of band (see docs/argocd.md), every certificate the
 *   chart uses comes from cert-manager, so two renders of the same Application are identical.
 */
export class ArgoCdMeshFleet extends Construct {
  /** The fleet. */
  public readonly fleet: Fleet;
  /** The layout used. */
  public readonly layout: ArgoCdLayout;
  /** The Argo CD settings used. */
  public readonly settings: ResolvedArgoCd;
  private readonly meshes: ReadonlyMap<string, MeshPlan>;

  constructor(scope: Construct, id: string, props: ArgoCdMeshFleetProps) {
    super(scope, id);
    this.node.addValidation({ validate: () => (TreeApp.isTreeApp(this) ? [] : [`ArgoCdMeshFleet ${OUTSIDE_TREE_APP}`]) });
    const fleet = props.fleet;
    const plan = props.plan ?? planFleet(fleet);
    const layout = props.layout ?? new ArgoCdLayout(fleet.name);
    const argo = argoCdSettings(fleet);
    this.fleet = fleet;
    this.layout = layout;
    this.settings = argo;
    const cilium = plan.cilium;

    new YamlFile(this, 'CiliumShared', {
      path: layout.ciliumShared,
      comment: `Cilium ${cilium.version} values every cluster of fleet "${fleet.name}" shares; each cluster's Application adds its identity\n`
        + '(valuesObject) and its mesh\'s peer list. Every certificate comes from cert-manager: no key material here or rendered.',
      values: cilium.sharedValues as Record<string, unknown>,
    });
    for (const mesh of plan.meshes) {
      new YamlFile(this, `Mesh-${mesh.name}`, {
        path: layout.meshValues(mesh.name),
        comment: `Mesh "${mesh.name}": its own CA issuer, and every member, which each cluster dials (the agent skips its own entry).`,
        values: mesh.values,
      });
      const issuerFile = new ManifestFile(this, `Issuer-${mesh.name}`, { path: `${layout.issuerFolder(mesh.name)}/cluster-issuer.yaml` });
      new ClusterIssuer(issuerFile, 'ClusterIssuer', {
        metadata: { name: mesh.ca.issuer },
        spec: { ca: { secretName: mesh.ca.issuerSecret } },
      });
    }
    this.meshes = new Map(plan.meshes.map((m) => [m.name, m]));

    // The kinds the tree delivers besides Cilium's, for the project's whitelist.
    const delivered = new Map<string, GroupKind>();
    const note = (apiVersion: string, kind: string) => {
      const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
      delivered.set(`${group}/${kind}`, { group, kind });
    };
    const noteFile = (file: Construct) => {
      for (const o of file.node.findAll()) if (o instanceof ApiObject) note(o.apiVersion, o.kind);
    };
    if (plan.multigres.length > 0) {
      // Loaded only when used, like the Plural target's Multigres delivery.
      const { addMultigresObjects } = require('../../plan/multigres-objects') as typeof import('../../plan/multigres-objects');
      for (const work of plan.multigres) {
        const file = new ManifestFile(this, `Multigres-${work.deployment.name}.${work.cluster}`, {
          path: `${layout.multigresFolder(work.cluster)}/${work.deployment.name}.yaml`,
        });
        addMultigresObjects(file, fleet, work);
        noteFile(file);
      }
    }
    if (fleet.probe) {
      for (const mesh of plan.meshes) {
        const file = new ManifestFile(this, `Probe-${mesh.name}`, { path: `${layout.probeMeshFolder(mesh.name)}/mesh.yaml` });
        addMeshProbe(file, fleet, mesh);
        noteFile(file);
        // Each cluster's own part (its responder and its name) is one Jsonnet file per mesh, evaluated by Argo CD with the
        // cluster's name as an external variable: no per-cluster copy.
        new TextFile(this, `ProbeResponder-${mesh.name}`, { path: `${layout.probeMeshFolder(mesh.name)}/${PROBE_JSONNET}`, text: probeJsonnet(fleet.probe) });
      }
      for (const m of probeClusterManifests(fleet.probe, 'x')) note(String(m.apiVersion), String(m.kind));
    }

    for (const { cluster, multigres } of plan.clusters) {
      const file = new ManifestFile(this, `Apps-${cluster.name}`, { path: layout.clusterApps(cluster.name) });
      this.issuerApp(file, cluster, plan, layout, argo);
      this.ciliumApp(file, cluster, plan, layout, argo);
      if (multigres.length > 0) this.multigresApp(file, cluster, layout, argo);
      if (fleet.probe) this.probeApp(file, cluster, layout, argo);
    }

    this.project(plan, argo, layout, [...delivered.values()]);
    new TextFile(this, 'Picture', { path: layout.meshPicture, header: GENERATED_MARKDOWN_HEADER, text: meshMarkdown(fleetPicture(plan)) });
    this.root(argo, layout);
  }

  private application(file: Construct, name: string, wave: number, spec: {
    destination: { name: string; namespace: string };
    sources: ApplicationSpecSources[];
    syncOptions?: string[];
    /** The repository folders whose changes can change this Application (Argo CD's webhook skips the others). */
    paths: string[];
  }, argo: ResolvedArgoCd): Application {
    const sync: ApplicationSpecSyncPolicy = {
      automated: { prune: true, selfHeal: true },
      // Waves only order creation (Application health is not gated: one unready cluster must not hold back
      // the fleet), so an Application may sync before what it needs exists (the issuer, CRDs, the cluster's
      // registration). Argo CD never re-syncs a failed revision on its own: retry without limit instead.
      retry: { limit: -1, backoff: { duration: '30s', factor: 2, maxDuration: '5m' } },
      syncOptions: spec.syncOptions,
    };
    return new Application(file, name, {
      metadata: {
        name,
        namespace: argo.namespace,
        annotations: {
          'argocd.argoproj.io/manifest-generate-paths': spec.paths.map((p) => `/${p}`).join(';'),
          'argocd.argoproj.io/sync-wave': String(wave),
        },
        labels: { 'meshfleet.io/fleet': this.fleet.name },
      },
      spec: {
        project: argo.project,
        destination: spec.destination,
        ...(spec.sources.length === 1 ? { source: spec.sources[0] } : { sources: spec.sources }),
        syncPolicy: sync,
      },
    });
  }

  private issuerApp(file: Construct, cluster: MeshCluster, plan: FleetPlan, layout: ArgoCdLayout, argo: ResolvedArgoCd): void {
    const ca = this.meshes.get(cluster.mesh)!.ca;
    this.application(file, `${cluster.name}-issuer`, SYNC_WAVES.issuer, {
      destination: { name: cluster.name, namespace: ca.namespace },
      sources: [{ repoUrl: argo.repoURL, targetRevision: argo.targetRevision, path: layout.issuerFolder(cluster.mesh) }],
      paths: [layout.issuerFolder(cluster.mesh)],
    }, argo);
  }

  private ciliumApp(file: Construct, cluster: MeshCluster, plan: FleetPlan, layout: ArgoCdLayout, argo: ResolvedArgoCd): void {
    const cilium = plan.cilium;
    const identity = clusterIdentityValues(this.fleet, cluster);
    this.application(file, `${cluster.name}-cilium`, SYNC_WAVES.cilium, {
      destination: { name: cluster.name, namespace: cilium.namespace },
      sources: [
        {
          repoUrl: cilium.repository,
          chart: cilium.chart,
          targetRevision: cilium.version,
          helm: {
            releaseName: 'cilium',
            valueFiles: [`$values/${layout.ciliumShared}`, `$values/${layout.meshValues(cluster.mesh)}`],
            valuesObject: identity,
          },
        },
        { repoUrl: argo.repoURL, targetRevision: argo.targetRevision, ref: 'values' },
      ],
      // kube-system exists everywhere; another Cilium namespace is created on the first sync.
      syncOptions: cilium.namespace === 'kube-system' ? undefined : ['CreateNamespace=true'],
      paths: [layout.ciliumShared, layout.meshValues(cluster.mesh)],
    }, argo);
  }

  private multigresApp(file: Construct, cluster: MeshCluster, layout: ArgoCdLayout, argo: ResolvedArgoCd): void {
    this.application(file, `${cluster.name}-multigres`, SYNC_WAVES.multigres, {
      destination: { name: cluster.name, namespace: this.fleet.multigres!.namespace },
      sources: [{ repoUrl: argo.repoURL, targetRevision: argo.targetRevision, path: layout.multigresFolder(cluster.name) }],
      syncOptions: ['CreateNamespace=true'],
      paths: [layout.multigresFolder(cluster.name)],
    }, argo);
  }

  private probeApp(file: Construct, cluster: MeshCluster, layout: ArgoCdLayout, argo: ResolvedArgoCd): void {
    const shared = layout.probeMeshFolder(cluster.mesh);
    this.application(file, `${cluster.name}-probe`, SYNC_WAVES.probe, {
      destination: { name: cluster.name, namespace: this.fleet.probe!.namespace },
      sources: [{
        repoUrl: argo.repoURL,
        targetRevision: argo.targetRevision,
        path: shared,
        directory: { jsonnet: { extVars: [{ name: PROBE_CLUSTER_VAR, value: cluster.name }] } },
      }],
      syncOptions: ['CreateNamespace=true'],
      paths: [shared],
    }, argo);
  }

  /** The fleet's AppProject: exactly the repositories, destinations and kinds its Applications use. */
  private project(plan: FleetPlan, argo: ResolvedArgoCd, layout: ArgoCdLayout, deliveredKinds: GroupKind[]): void {
    const file = new ManifestFile(this, 'Project', { path: layout.projectFile });
    const destinations: Array<{ name: string; namespace: string }> = [];
    for (const { cluster, multigres } of plan.clusters) {
      const namespaces = [plan.cilium.namespace, ...CILIUM_EXTRA_NAMESPACES, this.meshes.get(cluster.mesh)!.ca.namespace];
      if (multigres.length > 0) namespaces.push(this.fleet.multigres!.namespace);
      if (this.fleet.probe) namespaces.push(this.fleet.probe.namespace);
      for (const ns of [...new Set(namespaces)]) destinations.push({ name: cluster.name, namespace: ns });
    }
    const byKey = (a: GroupKind, b: GroupKind) => `${a.group}/${a.kind}`.localeCompare(`${b.group}/${b.kind}`);
    const namespaced = new Map<string, GroupKind>();
    const coredns = this.fleet.cilium.mcsApi && this.fleet.cilium.minor !== '1.18' ? CILIUM_MCSAPI_COREDNS_KINDS : [];
    for (const k of [...CILIUM_NAMESPACED_KINDS, ...coredns, ...deliveredKinds]) namespaced.set(`${k.group}/${k.kind}`, k);
    new AppProject(file, 'Project', {
      metadata: {
        name: argo.project,
        namespace: argo.namespace,
        annotations: { 'argocd.argoproj.io/sync-wave': String(SYNC_WAVES.project) },
        labels: { 'meshfleet.io/fleet': this.fleet.name },
      },
      spec: {
        description: `Cilium Cluster Mesh${plan.multigres.length > 0 ? ' and Multigres' : ''} of fleet ${this.fleet.name} (generated by meshfleet)`,
        sourceRepos: [...new Set([argo.repoURL, plan.cilium.repository])].sort(),
        destinations,
        clusterResourceWhitelist: [...CILIUM_CLUSTER_KINDS, { group: 'cert-manager.io', kind: 'ClusterIssuer' }].sort(byKey),
        namespaceResourceWhitelist: [...namespaced.values()].sort(byKey),
      },
    });
  }

  /** `root.yaml`: the root project (it may only manage the fleet's Applications and project) and the root Application. */
  private root(argo: ResolvedArgoCd, layout: ArgoCdLayout): void {
    const file = new ManifestFile(this, 'Root', { path: layout.rootFile });
    const labels = { 'meshfleet.io/fleet': this.fleet.name };
    new AppProject(file, 'RootProject', {
      metadata: { name: argo.rootProject, namespace: argo.namespace, labels },
      spec: {
        description: `Root of fleet ${this.fleet.name}: syncs ${layout.appsFolder} (generated by meshfleet; apply this file once)`,
        sourceRepos: [argo.repoURL],
        destinations: [{ server: IN_CLUSTER, namespace: argo.namespace }],
        clusterResourceWhitelist: [],
        namespaceResourceWhitelist: [{ group: 'argoproj.io', kind: 'AppProject' }, { group: 'argoproj.io', kind: 'Application' }],
      },
    });
    new Application(file, 'RootApp', {
      metadata: { name: `${this.fleet.name}-root`, namespace: argo.namespace, labels },
      spec: {
        project: argo.rootProject,
        destination: { server: IN_CLUSTER, namespace: argo.namespace },
        source: { repoUrl: argo.repoURL, targetRevision: argo.targetRevision, path: layout.appsFolder, directory: { recurse: true } },
        syncPolicy: { automated: { prune: true, selfHeal: true } },
      },
    });
  }
}

/**
 * Synthesizes a fleet's Argo CD GitOps tree in memory: path -> file content, deterministic.
 * Nothing is written to disk (that is the writer's job).
 */
export function synthArgoCdTree(fleet: Fleet, layout: ArgoCdLayout = new ArgoCdLayout(fleet.name)): Map<string, string> {
  const app = new TreeApp();
  new ArgoCdMeshFleet(app, fleet.name, { fleet, plan: planFleet(fleet), layout });
  return renderFiles(app);
}
