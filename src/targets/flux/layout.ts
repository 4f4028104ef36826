/**
 * Where each file of a fleet goes in a Flux GitOps repository: everything under `flux/<fleet>/`, beside a
 * Plural or Argo CD tree if there is one. Each cluster's Flux is bootstrapped at its own folder
 * (`flux bootstrap ... --path=flux/<fleet>/clusters/<cluster>`); what it applies from there (Kustomizations)
 * pulls in the shared folders. A Kustomization applies its folder recursively, so no folder a Kustomization
 * reads holds another's. The only place that knows the Flux target's paths.
 */
export class FluxLayout {
  constructor(
    /** The fleet name. */
    public readonly fleet: string,
  ) {}

  /** The folder of the whole tree. */
  public get root(): string {
    return `flux/${this.fleet}`;
  }

  /** The fleet's picture (Mermaid and tables). */
  public get meshPicture(): string {
    return `${this.root}/MESH.md`;
  }

  /** A cluster's bootstrap folder: `flux bootstrap --path` of that cluster's Flux. */
  public clusterFolder(cluster: string): string {
    return `${this.root}/clusters/${cluster}`;
  }

  /** The file of a cluster's bootstrap folder that meshfleet writes (its sources and Kustomizations). */
  public clusterFile(cluster: string): string {
    return `${this.clusterFolder(cluster)}/meshfleet.yaml`;
  }

  /** Folder of the Cilium values every cluster shares (a ConfigMap). */
  public get sharedValuesFolder(): string {
    return `${this.root}/values/fleet`;
  }

  /** Folder of a mesh's Cilium values (its issuer and peer list, a ConfigMap). */
  public meshValuesFolder(mesh: string): string {
    return `${this.root}/values/meshes/${mesh}`;
  }

  /** Folder of a cluster's Cilium HelmRelease. */
  public ciliumFolder(cluster: string): string {
    return `${this.root}/cilium/${cluster}`;
  }

  /** Folder of a mesh's CA issuer manifests. */
  public issuerFolder(mesh: string): string {
    return `${this.root}/issuer/${mesh}`;
  }

  /** Folder of a mesh's connectivity probe (its Services, peer list, Job and policies), shared by its members. */
  public probeMeshFolder(mesh: string): string {
    return `${this.root}/probe/meshes/${mesh}`;
  }

  /** Folder of a cluster's own part of the probe (its responder). */
  public probeClusterFolder(cluster: string): string {
    return `${this.root}/probe/clusters/${cluster}`;
  }

  /** Folder of the Multigres objects of one cluster. */
  public multigresFolder(cluster: string): string {
    return `${this.root}/multigres/${cluster}`;
  }

  /** The cluster whose bootstrap a path of any fleet's Flux tree is (`flux/<fleet>/clusters/<cluster>/meshfleet.yaml`), or undefined. */
  public static clusterOfPath(path: string): string | undefined {
    return /^flux\/[^/]+\/clusters\/([^/]+)\/meshfleet\.yaml$/.exec(path)?.[1];
  }

  /** The folders every file of this tree lives in (the writer owns nothing elsewhere). */
  public get ownedPrefixes(): string[] {
    return [`${this.root}/`];
  }

  /** What `flux bootstrap --path=<a cluster's folder>` commits there (`flux-system/`): Flux's, not meshfleet's. */
  public get foreignPaths(): RegExp {
    return /^flux\/[^/]+\/clusters\/[^/]+\/flux-system\//;
  }

  /** The list of files the writer owns for this tree. */
  public get ownedFilesList(): string {
    return `.meshfleet/${this.fleet}.flux.files`;
  }
}
