/**
 * The Flux delivery target: turns the plan into the tree each cluster's own Flux applies, under
 * `flux/<fleet>/`. Per cluster, at its bootstrap folder (`flux bootstrap --path=flux/<fleet>/clusters/<cluster>`),
 * one file: the fleet's GitRepository, the Cilium HelmRepository and the Kustomizations that pull in, in
 * order (`dependsOn`), its mesh's CA issuer, the Cilium values (ConfigMaps shared by the fleet and by the
 * mesh), its Cilium HelmRelease, its Multigres objects and the probe. Each cluster's identity is in its
 * HelmRelease's `values`, on top of the shared `valuesFrom`, so its values merge to exactly what Plural
 * and Argo CD give it. No key material: the mesh CA reaches each cluster out of band (docs/flux.md).
 */
import { Construct } from 'constructs';
import { ClusterIssuer } from '../../../imports/cert-manager-clusterissuer-cert-manager.io';
import { GitRepository } from '../../../imports/flux-gitrepository-source.toolkit.fluxcd.io';
import { HelmRelease, HelmReleaseSpecChartSpecSourceRefKind, HelmReleaseSpecValuesFromKind } from '../../../imports/flux-helmrelease-helm.toolkit.fluxcd.io';
import { HelmRepository, HelmRepositorySpecType } from '../../../imports/flux-helmrepository-source.toolkit.fluxcd.io';
import { Kustomization, KustomizationSpecSourceRefKind } from '../../../imports/flux-kustomization-kustomize.toolkit.fluxcd.io';
import { Fleet, MeshCluster } from '../../fleet/fleet';
import { ResolvedFlux } from '../../fleet/delivery';
import { GENERATED_MARKDOWN_HEADER, ManifestFile, renderFiles, TextFile } from '../../gitops/files';
import { OUTSIDE_TREE_APP, TreeApp } from '../../gitops/tree-app';
import { kube } from '../../k8s/kube';
import { stringifyManifests, stringifyYaml } from '../../k8s/yaml';
import { fleetPicture, meshMarkdown } from '../../picture/picture';
import { clusterIdentityValues, FleetPlan, planFleet } from '../../plan/plan';
import { addMeshProbe, probeClusterManifests } from '../../plan/probe-objects';
import { FluxLayout } from './layout';

/** The key of the values in each values ConfigMap (Flux's default `valuesKey`). */
export const VALUES_KEY = 'values.yaml';

/** The ConfigMap of Cilium values every cluster of a fleet reads. */
function fleetValuesConfigMap(fleet: string): string {
  return `${fleet}-cilium-fleet`;
}

/** The ConfigMap of a mesh's Cilium values (its issuer and peers), which its members read. */
function meshValuesConfigMap(fleet: string, mesh: string): string {
  return `${fleet}-cilium-mesh-${mesh}`;
}

/** Props of a `FluxMeshFleet`. */
export interface FluxMeshFleetProps {
  /** The validated fleet (its `flux.repoURL` set). */
  readonly fleet: Fleet;
  /**
   * The plan of that fleet.
   * @default - computed from `fleet`
   */
  readonly plan?: FleetPlan;
  /**
   * Where files go.
   * @default - `flux/<fleet>/`
   */
  readonly layout?: FluxLayout;
}

/** The names of a fleet's Flux objects in each cluster (all in Flux's namespace). */
export function fluxNames(fleet: string): Record<'source' | 'chartRepository' | 'issuer' | 'fleetValues' | 'meshValues' | 'cilium' | 'multigres' | 'probeMesh' | 'probe', string> {
  return {
    source: fleet,
    chartRepository: `${fleet}-cilium`,
    issuer: `${fleet}-issuer`,
    fleetValues: `${fleet}-values-fleet`,
    meshValues: `${fleet}-values-mesh`,
    cilium: `${fleet}-cilium`,
    multigres: `${fleet}-multigres`,
    probeMesh: `${fleet}-probe-mesh`,
    probe: `${fleet}-probe`,
  };
}

/**
 * Everything each cluster's Flux needs to join its Cilium Cluster Mesh (and run the fleet's Multigres and
 * probe), written so that adding a cluster adds its two files and changes only its mesh's shared ones.
 */
export class FluxMeshFleet extends Construct {
  /** The fleet. */
  public readonly fleet: Fleet;
  /** The layout used. */
  public readonly layout: FluxLayout;
  /** The Flux settings used. */
  public readonly settings: ResolvedFlux;

  constructor(scope: Construct, id: string, props: FluxMeshFleetProps) {
    super(scope, id);
    this.node.addValidation({ validate: () => (TreeApp.isTreeApp(this) ? [] : [`FluxMeshFleet ${OUTSIDE_TREE_APP}`]) });
    const fleet = props.fleet;
    if (!fleet.flux) throw new Error(`fleet "${fleet.name}": flux.repoURL is required for the Flux target`);
    const plan = props.plan ?? planFleet(fleet);
    const layout = props.layout ?? new FluxLayout(fleet.name);
    this.fleet = fleet;
    this.layout = layout;
    this.settings = fleet.flux;
    this.sharedFiles(plan);
    for (const { cluster, multigres } of plan.clusters) {
      this.clusterFile(plan, cluster, multigres.length > 0);
      this.helmRelease(plan, cluster);
      if (fleet.probe) {
        new TextFile(this, `ProbeResponder-${cluster.name}`, {
          path: `${layout.probeClusterFolder(cluster.name)}/responder.yaml`,
          text: stringifyManifests(probeClusterManifests(fleet.probe, cluster.name)),
        });
      }
    }
    if (plan.multigres.length > 0) {
      const { addMultigresObjects } = require('../../plan/multigres-objects') as typeof import('../../plan/multigres-objects');
      const withMultigres = new Set<string>();
      for (const work of plan.multigres) {
        const file = new ManifestFile(this, `Multigres-${work.deployment.name}.${work.cluster}`, { path: `${layout.multigresFolder(work.cluster)}/${work.deployment.name}.yaml` });
        addMultigresObjects(file, fleet, work);
        withMultigres.add(work.cluster);
      }
      for (const cluster of [...withMultigres].sort()) this.namespace(`${layout.multigresFolder(cluster)}/namespace.yaml`, fleet.multigres!.namespace);
    }
    new TextFile(this, 'Picture', { path: layout.meshPicture, header: GENERATED_MARKDOWN_HEADER, text: meshMarkdown(fleetPicture(plan)) });
  }

  /** The label every object of the fleet carries. */
  private get labels(): Record<string, string> {
    return { 'meshfleet.io/fleet': this.fleet.name };
  }

  /** What the members of a mesh or the whole fleet share: values ConfigMaps, the CA issuer, the probe's shared part. */
  private sharedFiles(plan: FleetPlan): void {
    const { fleet, layout } = this;
    const cilium = plan.cilium;
    this.valuesConfigMap('FleetValues', `${layout.sharedValuesFolder}/cilium-values.yaml`, fleetValuesConfigMap(fleet.name), cilium.sharedValues);
    for (const mesh of plan.meshes) {
      this.valuesConfigMap(`MeshValues-${mesh.name}`, `${layout.meshValuesFolder(mesh.name)}/cilium-values.yaml`, meshValuesConfigMap(fleet.name, mesh.name), mesh.values);
      const issuerFile = new ManifestFile(this, `Issuer-${mesh.name}`, { path: `${layout.issuerFolder(mesh.name)}/cluster-issuer.yaml` });
      new ClusterIssuer(issuerFile, 'ClusterIssuer', { metadata: { name: mesh.ca.issuer }, spec: { ca: { secretName: mesh.ca.issuerSecret } } });
      if (fleet.probe) {
        const file = new ManifestFile(this, `Probe-${mesh.name}`, { path: `${layout.probeMeshFolder(mesh.name)}/mesh.yaml` });
        addMeshProbe(file, fleet, mesh);
        this.namespace(`${layout.probeMeshFolder(mesh.name)}/namespace.yaml`, fleet.probe.namespace);
      }
    }
  }

  /** A ConfigMap of Helm values in Flux's namespace, read by each HelmRelease's `valuesFrom`. */
  private valuesConfigMap(id: string, path: string, name: string, values: Record<string, unknown>): void {
    const file = new ManifestFile(this, id, { path });
    new (kube().KubeConfigMap)(file, 'ConfigMap', {
      metadata: { name, namespace: this.settings.namespace, labels: this.labels },
      data: { [VALUES_KEY]: stringifyYaml(values) },
    });
  }

  /** A Namespace object (Flux creates none on its own, unlike Argo CD's CreateNamespace). */
  private namespace(path: string, name: string): void {
    const file = new ManifestFile(this, `Namespace-${path}`, { path });
    // Never pruned: dropping a Kustomization (Multigres leaving a cluster) must not delete the namespace
    // and the data the operator keeps in it.
    new (kube().KubeNamespace)(file, 'Namespace', {
      metadata: { name, labels: this.labels, annotations: { 'kustomize.toolkit.fluxcd.io/prune': 'disabled' } },
    });
  }

  /** A cluster's bootstrap file: the sources and the Kustomizations, in dependency order. */
  private clusterFile(plan: FleetPlan, cluster: MeshCluster, multigres: boolean): void {
    const { fleet, layout, settings } = this;
    const n = fluxNames(fleet.name);
    const file = new ManifestFile(this, `Cluster-${cluster.name}`, { path: layout.clusterFile(cluster.name) });
    const labels = this.labels;
    const meta = (name: string) => ({ name, namespace: settings.namespace, labels });
    new GitRepository(file, 'Source', {
      metadata: meta(n.source),
      spec: { url: settings.repoURL, ref: { branch: settings.branch }, interval: settings.interval, secretRef: settings.secretRef ? { name: settings.secretRef } : undefined },
    });
    const chartUrl = plan.cilium.repository;
    new HelmRepository(file, 'Charts', {
      metadata: meta(n.chartRepository),
      spec: { url: chartUrl, interval: settings.interval, type: chartUrl.startsWith('oci://') ? HelmRepositorySpecType.OCI : undefined },
    });
    const kustomization = (id: string, name: string, path: string, dependsOn: string[], extra: { targetNamespace?: string; wait?: boolean } = {}) => new Kustomization(file, id, {
      metadata: meta(name),
      spec: {
        interval: settings.interval,
        path: `./${path}`,
        prune: true,
        sourceRef: { kind: KustomizationSpecSourceRefKind.GIT_REPOSITORY, name: n.source },
        dependsOn: dependsOn.length ? dependsOn.map((d) => ({ name: d })) : undefined,
        targetNamespace: extra.targetNamespace,
        wait: extra.wait,
        timeout: extra.wait ? '10m' : undefined,
      },
    });
    kustomization('Issuer', n.issuer, layout.issuerFolder(cluster.mesh), [], { wait: true });
    kustomization('FleetValues', n.fleetValues, layout.sharedValuesFolder, []);
    kustomization('MeshValues', n.meshValues, layout.meshValuesFolder(cluster.mesh), []);
    kustomization('Cilium', n.cilium, layout.ciliumFolder(cluster.name), [n.issuer, n.fleetValues, n.meshValues], { wait: true });
    if (multigres) kustomization('Multigres', n.multigres, layout.multigresFolder(cluster.name), [n.cilium]);
    if (fleet.probe) {
      kustomization('ProbeMesh', n.probeMesh, layout.probeMeshFolder(cluster.mesh), [n.cilium]);
      kustomization('Probe', n.probe, layout.probeClusterFolder(cluster.name), [n.probeMesh]);
    }
  }

  /** A cluster's Cilium HelmRelease: the fleet's and its mesh's values (ConfigMaps), then its identity. */
  private helmRelease(plan: FleetPlan, cluster: MeshCluster): void {
    const { fleet, layout, settings } = this;
    const n = fluxNames(fleet.name);
    const identity = clusterIdentityValues(this.fleet, cluster);
    const file = new ManifestFile(this, `Cilium-${cluster.name}`, { path: `${layout.ciliumFolder(cluster.name)}/helmrelease.yaml` });
    new HelmRelease(file, 'Release', {
      metadata: { name: n.cilium, namespace: settings.namespace, labels: this.labels },
      spec: {
        interval: settings.interval,
        releaseName: 'cilium',
        targetNamespace: plan.cilium.namespace,
        // Helm's record of the release where Cilium runs (as `helm install -n <namespace>` keeps it), so
        // helm and cilium-cli see it there; Flux's default would be its own namespace.
        storageNamespace: plan.cilium.namespace,
        install: plan.cilium.namespace === 'kube-system' ? undefined : { createNamespace: true },
        chart: { spec: { chart: plan.cilium.chart, version: plan.cilium.version, sourceRef: { kind: HelmReleaseSpecChartSpecSourceRefKind.HELM_REPOSITORY, name: n.chartRepository } } },
        valuesFrom: [
          { kind: HelmReleaseSpecValuesFromKind.CONFIG_MAP, name: fleetValuesConfigMap(fleet.name), valuesKey: VALUES_KEY },
          { kind: HelmReleaseSpecValuesFromKind.CONFIG_MAP, name: meshValuesConfigMap(fleet.name, cluster.mesh), valuesKey: VALUES_KEY },
        ],
        values: identity,
      },
    });
  }
}

/**
 * Synthesizes a fleet's Flux GitOps tree in memory: path -> file content, deterministic.
 * Nothing is written to disk (that is the writer's job).
 */
export function synthFluxTree(fleet: Fleet, layout: FluxLayout = new FluxLayout(fleet.name)): Map<string, string> {
  const app = new TreeApp();
  new FluxMeshFleet(app, fleet.name, { fleet, plan: planFleet(fleet), layout });
  return renderFiles(app);
}
