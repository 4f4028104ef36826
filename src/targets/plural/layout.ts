/**
 * Where each file of a fleet goes in a `plural up` GitOps repository. The only place that knows paths.
 * Everything of one fleet lives under its own name, so several fleets can share one repository.
 */
export class PluralLayout {
  constructor(
    /** The fleet name. */
    public readonly fleet: string,
  ) {}

  /** Folder of the Cilium values files (a GlobalService's `git.folder`). */
  public get ciliumValuesFolder(): string {
    return `helm/${this.fleet}/cilium`;
  }

  /** The values every cluster shares, relative to `ciliumValuesFolder`. */
  public readonly ciliumBaseValues = 'base.yaml';

  /** A mesh's values file (its members' identity table, issuer and peer list), relative to `ciliumValuesFolder`. */
  public meshValues(mesh: string): string {
    return `mesh-${mesh}.yaml.liquid`;
  }

  /** The values of a mesh's members on one platform (`ciliumPlatformValues`), relative to `ciliumValuesFolder`. */
  public platformValues(mesh: string, distro: string): string {
    return `platform-${mesh}.${distro}.yaml`;
  }

  /** Folder of a mesh's CA issuer manifests (a raw GlobalService's `git.folder`). */
  public issuerFolder(mesh: string): string {
    return `services/${this.fleet}/cilium-issuer/${mesh}`;
  }

  /** The fleet's picture (Mermaid and tables), beside its services. */
  public get meshPicture(): string {
    return `services/${this.fleet}/MESH.md`;
  }

  /** Folder of a mesh's connectivity probe (a raw GlobalService's `git.folder`). */
  public probeFolder(mesh: string): string {
    return `services/${this.fleet}/probe/${mesh}`;
  }

  /** Folder of the Multigres objects delivered to one cluster (a ServiceDeployment's `git.folder`). */
  public multigresFolder(cluster: string): string {
    return `services/${this.fleet}/multigres/${cluster}`;
  }

  /** A file synced by the root `apps` service (everything under `bootstrap/` is applied). */
  public bootstrap(group: string, name: string): string {
    return `bootstrap/${this.fleet}/${group}/${name}.yaml`;
  }

  /**
   * The cluster whose Cluster and InfrastructureStack objects a path of any fleet's tree declares
   * (`bootstrap/<fleet>/clusters/<cluster>.yaml`), or undefined. Two trees that declare one cluster
   * would fight over the same Plural objects.
   */
  public static clusterOfPath(path: string): string | undefined {
    return /^bootstrap\/[^/]+\/clusters\/([^/]+)\.yaml$/.exec(path)?.[1];
  }

  /** The folders every file of this fleet's tree lives in (the writer owns nothing elsewhere). */
  public get ownedPrefixes(): string[] {
    return [`bootstrap/${this.fleet}/`, `helm/${this.fleet}/`, `services/${this.fleet}/`];
  }

  /** The list of files the writer owns for this fleet. */
  public get ownedFilesList(): string {
    return `.meshfleet/${this.fleet}.files`;
  }
}
