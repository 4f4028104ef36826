/**
 * Where each file of a fleet goes in an Argo CD GitOps repository: everything under `argocd/<fleet>/`,
 * beside a Plural tree if there is one. The only place that knows the Argo CD target's paths.
 */
export class ArgoCdLayout {
  constructor(
    /** The fleet name. */
    public readonly fleet: string,
  ) {}

  /** The folder of the whole tree. */
  public get root(): string {
    return `argocd/${this.fleet}`;
  }

  /** The fleet's picture (Mermaid and tables). */
  public get meshPicture(): string {
    return `${this.root}/MESH.md`;
  }

  /** The file the user applies once: the root project and the root Application (app of apps). */
  public get rootFile(): string {
    return `${this.root}/root.yaml`;
  }

  /** Folder the root Application syncs (recursively): the fleet's project and every cluster's Applications. */
  public get appsFolder(): string {
    return `${this.root}/apps`;
  }

  /** The fleet's AppProject. */
  public get projectFile(): string {
    return `${this.appsFolder}/project.yaml`;
  }

  /** The Applications that deliver to one cluster. */
  public clusterApps(cluster: string): string {
    return `${this.appsFolder}/clusters/${cluster}.yaml`;
  }

  /** The Cilium values every cluster shares. */
  public get ciliumShared(): string {
    return `${this.root}/cilium/shared.yaml`;
  }

  /** A mesh's values (its issuer and peer list), read by each member. */
  public meshValues(mesh: string): string {
    return `${this.root}/cilium/mesh-${mesh}.yaml`;
  }

  /** Folder of a mesh's CA issuer manifests (a directory source of each member's issuer Application). */
  public issuerFolder(mesh: string): string {
    return `${this.root}/issuer/${mesh}`;
  }

  /** Folder of a mesh's connectivity probe (its Services, peer list, Job and policies, and the Jsonnet of each member's own part), shared by its members. */
  public probeMeshFolder(mesh: string): string {
    return `${this.root}/probe/mesh-${mesh}`;
  }

  /** Folder of the Multigres objects of one cluster. */
  public multigresFolder(cluster: string): string {
    return `${this.root}/multigres/${cluster}`;
  }

  /**
   * The cluster whose Applications a path of any fleet's Argo CD tree declares
   * (`argocd/<fleet>/apps/clusters/<cluster>.yaml`), or undefined.
   */
  public static clusterOfPath(path: string): string | undefined {
    return /^argocd\/[^/]+\/apps\/clusters\/([^/]+)\.yaml$/.exec(path)?.[1];
  }

  /** The folders every file of this tree lives in (the writer owns nothing elsewhere). */
  public get ownedPrefixes(): string[] {
    return [`${this.root}/`];
  }

  /** The list of files the writer owns for this tree. */
  public get ownedFilesList(): string {
    return `.meshfleet/${this.fleet}.argocd.files`;
  }
}
