/** Where the local (kind) profile of a fleet goes: `local/<fleet>/`. The only place that knows its paths. */
export class LocalLayout {
  constructor(
    /** The fleet name. */
    public readonly fleet: string,
  ) {}

  /** The folder of the profile. */
  public get root(): string {
    return `local/${this.fleet}`;
  }

  /** A cluster's kind configuration. */
  public kindConfig(cluster: string): string {
    return `${this.root}/kind/${cluster}.yaml`;
  }

  /** A cluster's Cilium values (identity, NodePort apiserver, issuer); the peers come at run time. */
  public ciliumValues(cluster: string): string {
    return `${this.root}/cilium/${cluster}.yaml`;
  }

  /** The mesh's CA issuer (its CA Secret is created at run time). */
  public get issuer(): string {
    return `${this.root}/issuer.yaml`;
  }

  /** The echo server (a global Service with a backend) for the connectivity check. */
  public get echoServer(): string {
    return `${this.root}/echo/server.yaml`;
  }

  /** The echo Service without a backend, for the consuming clusters. */
  public get echoService(): string {
    return `${this.root}/echo/service.yaml`;
  }

  /** The script that prints the commands, in order. */
  public get steps(): string {
    return `${this.root}/steps.sh`;
  }

  /** The folders the profile lives in. */
  public get ownedPrefixes(): string[] {
    return [`${this.root}/`];
  }

  /** The list of files the writer owns for the profile. */
  public get ownedFilesList(): string {
    return `.meshfleet/${this.fleet}.local.files`;
  }
}
