/**
 * The fleet description: what a user writes, in `fleet.yaml` or in TypeScript.
 * Field names are the `fleet.yaml` keys.
 */

import type { MultigresProps } from './multigres-props';

export type { DedicatedNodesProps, MultigresApi, MultigresDeploymentProps, MultigresProps, MultigresTopology } from './multigres-props';

/**
 * How Cilium gets pod IPs, which decides the usable cluster ids and some chart values.
 * - `aws-cni`: chained behind the AWS VPC CNI on EKS (the seed walkthrough's setup); ids 1..127.
 * - `eni`: Cilium's own AWS ENI IPAM; ids 1..127.
 * - `cluster-pool`: Cilium's default cluster-pool IPAM; every cluster must then give `podCidr`
 *   (the chart's default pool is the same in every cluster, which breaks a mesh).
 */
export type CniMode = 'aws-cni' | 'eni' | 'cluster-pool';

/**
 * The platform a cluster runs on, which decides what Cilium needs there (see docs/platforms.md):
 * - `eks`: Amazon EKS; `cilium.cni` (aws-cni chaining, ENI IPAM or cluster-pool) applies.
 * - `gke`: Google Kubernetes Engine, VPC-native, Cilium installed by you (not Dataplane V2): native
 *   routing over the cluster's pod range (`podCidr` required).
 * - `aks`: Azure Kubernetes Service in BYOCNI mode (`--network-plugin none`): cluster-pool IPAM over the
 *   cluster's `podCidr` (required), tunnel routing.
 * - `generic`: bare metal or on-premises: cluster-pool IPAM over `podCidr` (required), tunnel routing,
 *   the clustermesh-apiserver on a NodePort unless `cilium.apiserver` says otherwise.
 */
export type Distro = 'eks' | 'gke' | 'aks' | 'generic';

/** The Terraform module folder of each platform's cluster stacks (Plural). */
export interface TerraformFolders {
  /** EKS clusters' module. @default "terraform/modules/clusters/aws" */
  readonly eks?: string;
  /** GKE clusters' module. @default "terraform/modules/clusters/gcp" */
  readonly gke?: string;
  /** AKS clusters' module. @default "terraform/modules/clusters/azure" */
  readonly aks?: string;
  /** Generic clusters' module; without one, generic clusters have no stack. @default - none (no stack) */
  readonly generic?: string;
}

/** Service type of the clustermesh-apiserver, which decides the port peers dial. */
export type ApiserverServiceType = 'LoadBalancer' | 'NodePort';

/** How the clustermesh-apiserver is exposed on the clusters of one platform (`cilium.apiserver.platforms.<distro>`). */
export interface PlatformApiserverOptions {
  /**
   * Service type of the platform's clustermesh-apiservers.
   * @default - `cilium.apiserver.serviceType`, else the platform's (LoadBalancer on the clouds, NodePort on generic)
   */
  readonly serviceType?: ApiserverServiceType;
  /**
   * The node port with NodePort.
   * @default - `cilium.apiserver.nodePort` (32379)
   * @asType integer
   * @minimum 30000
   * @maximum 32767
   */
  readonly nodePort?: number;
  /**
   * Annotations added, on this platform, to the platform's defaults and `cilium.apiserver.annotations`.
   * @default - none
   */
  readonly annotations?: Record<string, string>;
  /**
   * `loadBalancerClass` on this platform (a bare-metal implementation on generic: `metallb.io/metallb`).
   * @default - `cilium.apiserver.loadBalancerClass`, else the platform's
   */
  readonly loadBalancerClass?: string;
}

/** How the clustermesh-apiserver is exposed to the other clusters of its mesh. */
export interface ApiserverOptions {
  /**
   * Service type of the clustermesh-apiserver on every cluster.
   * @default - per platform: LoadBalancer on eks, gke and aks (peers dial port 2379); NodePort on generic
   */
  readonly serviceType?: ApiserverServiceType;
  /**
   * The node port when `serviceType` is NodePort (peers then dial this port).
   * @default - 32379, the chart's default
   * @asType integer
   * @minimum 30000
   * @maximum 32767
   */
  readonly nodePort?: number;
  /**
   * Extra annotations on the clustermesh-apiserver Service of every cluster, added to its platform's
   * defaults (a key given replaces the default's value: `service.beta.kubernetes.io/aws-load-balancer-scheme:
   * internet-facing`). A cloud's own annotations (AWS, Google Cloud, Azure) are refused when a cluster of the
   * fleet runs on another platform. The external-dns hostname annotation is always added by meshfleet and
   * cannot be overridden here.
   * @default - with LoadBalancer, per platform: eks (aws-cni or eni) an internal NLB with IP targets; gke `networking.gke.io/load-balancer-type: Internal`; aks `service.beta.kubernetes.io/azure-load-balancer-internal: "true"`; otherwise none
   */
  readonly annotations?: Record<string, string>;
  /**
   * `loadBalancerClass` of a LoadBalancer apiserver Service on every cluster (MetalLB and similar on
   * generic clusters). A cloud's class is refused when a cluster of the fleet runs on another platform, and
   * any other class when one runs on a cloud (nothing there would claim the Service).
   * @default - on eks with aws-cni or eni: "service.k8s.aws/nlb" (the AWS Load Balancer Controller, a prerequisite); otherwise none
   */
  readonly loadBalancerClass?: string;
  /**
   * Per platform (`eks`, `gke`, `aks`, `generic`), settings that win over the ones above on that platform's
   * clusters: MetalLB for the bare-metal clusters of a fleet that also runs on clouds
   * (`platforms: { generic: { serviceType: LoadBalancer, loadBalancerClass: metallb.io/metallb } }`).
   * @default - none
   */
  readonly platforms?: { readonly eks?: PlatformApiserverOptions; readonly gke?: PlatformApiserverOptions; readonly aks?: PlatformApiserverOptions; readonly generic?: PlatformApiserverOptions };
}

/**
 * The certificate authorities of the meshes and their cert-manager issuers. Each mesh has its own CA by
 * default, so a certificate from one mesh never authenticates to another's clustermesh-apiserver; the
 * names below then get `-<mesh>` appended (`cilium-dev`, `cilium-ca-dev`, `cilium-ca-cert-dev`).
 */
export interface MeshTlsOptions {
  /**
   * One CA for every mesh of the fleet, with the names below as they are. Meshes are then kept apart by
   * their peer lists only: a client certificate of one mesh is accepted by every other.
   * @default false (one CA per mesh)
   */
  readonly sharedCa?: boolean;
  /**
   * Name of the cert-manager ClusterIssuer that signs the clustermesh and Hubble certificates, delivered
   * to every cluster of its mesh and backed by the mesh's CA.
   * @default "cilium" (plus `-<mesh>`)
   */
  readonly issuer?: string;
  /**
   * Plural: name of the Secret (on the management cluster, in the Plural namespace) holding `ca.cert.b64`
   * and `ca.key.b64`; it is the `configurationRef` of the issuer services, and its values are templated in
   * at deploy time. Nothing of it is written to Git.
   * @default "cilium-ca-cert" (plus `-<mesh>`)
   */
  readonly caSecret?: string;
  /**
   * Name of the Secret, in the cert-manager namespace of each workload cluster, that backs the CA issuer
   * (Plural writes it from the configuration Secret; with Argo CD you create it).
   * @default "cilium-ca" (plus `-<mesh>`)
   */
  readonly issuerSecret?: string;
  /**
   * Namespace where cert-manager runs on the workload clusters (the ClusterIssuer reads its CA Secret there).
   * @default "cert-manager"
   */
  readonly certManagerNamespace?: string;
}

/** Cilium's kube-proxy replacement on every cluster of the fleet. */
export interface KubeProxyReplacementOptions {
  /**
   * Port of every cluster's Kubernetes API server as its nodes reach it (`k8sServicePort`).
   * @default - per platform: 443 on eks, gke and aks; 6443 on generic (kubeadm's)
   * @asType integer
   * @minimum 1
   * @maximum 65535
   */
  readonly apiServerPort?: number;
  /**
   * ConfigMap, in the Cilium namespace of each cluster, whose key `host` holds that cluster's Kubernetes API
   * server host (`k8sServiceHostRef`): each cluster has its own, which no fleet file knows before the cluster
   * exists. You create it (the cluster's Terraform can).
   * @default "meshfleet-kube-apiserver"
   */
  readonly hostConfigMap?: string;
}

/** Fleet-wide Cilium settings. */
export interface CiliumOptions {
  /** Cilium chart version, e.g. `1.19.6`. 1.18.x, 1.19.x and 1.20.x are supported; keys are emitted per version. */
  readonly version: string;
  /**
   * `clustermesh.maxConnectedClusters`: 255 or 511; identical in every cluster and fixed for a cluster's life.
   * @default 255
   */
  readonly maxConnectedClusters?: 255 | 511;
  /**
   * CNI mode of the EKS clusters (other platforms' IPAM is fixed by the platform: see `Distro`). Refused in
   * a fleet without EKS clusters.
   * @default "aws-cni" (chained behind the AWS VPC CNI, as in the seed walkthrough)
   */
  readonly cni?: CniMode;
  /**
   * Enable Kubernetes MCS-API support (`clustermesh.enableMCSAPISupport` on 1.18, `clustermesh.mcsapi.enabled`
   * with CoreDNS configured by the chart on 1.19+, which needs CoreDNS 1.12.2 or later). On 1.18 configure CoreDNS
   * for the clusterset domain yourself.
   * @default - true on 1.19 and later, false on 1.18
   */
  readonly mcsApi?: boolean;
  /**
   * `clustermesh.enableEndpointSliceSynchronization`, needed by `service.cilium.io/global-sync-endpoint-slices`.
   * @default false
   */
  readonly endpointSliceSync?: boolean;
  /**
   * `clustermesh.policyDefaultLocalCluster`. Written explicitly so a chart upgrade cannot flip it silently.
   * @default - the chart's default for the version: false on 1.18, true on 1.19
   */
  readonly policyDefaultLocalCluster?: boolean;
  /** How the clustermesh-apiserver is exposed. @default - an internal LoadBalancer on port 2379 */
  readonly apiserver?: ApiserverOptions;
  /**
   * Cilium replaces kube-proxy on every cluster (`kubeProxyReplacement: "true"`). Members of a mesh whose
   * clustermesh-apiserver is on a NodePort then need node ports of their own (`clusters[].apiserverNodePort`;
   * cilium/cilium#24692): the same port in two members is refused.
   * @default - off (the chart's default: kube-proxy stays)
   */
  readonly kubeProxyReplacement?: KubeProxyReplacementOptions;
  /** The meshes' CAs and their cert-manager issuers. @default - one CA per mesh, ClusterIssuer "cilium-<mesh>" */
  readonly tls?: MeshTlsOptions;
  /**
   * Helm repository URL of the Cilium chart.
   * @default "https://helm.cilium.io"
   */
  readonly chartUrl?: string;
  /**
   * Namespace Cilium is installed into.
   * @default "kube-system"
   */
  readonly namespace?: string;
}

/** Where things live in the Plural management plane (the names `plural up` uses by default). */
export interface PluralOptions {
  /** Namespace of the namespaced Plural objects. @default "infra" */
  readonly namespace?: string;
  /** GitRepository that holds this GitOps tree. @default "infra" */
  readonly repository?: string;
  /** Git ref the services and stacks track. @default "main" */
  readonly gitRef?: string;
  /** ScmConnection the PR automations open pull requests with. @default "plural" */
  readonly scmConnection?: string;
  /** Repository slug the PR automations open pull requests against (`org/repo`). @default - omitted (Plural's default repository) */
  readonly identifier?: string;
  /** The management cluster's Cluster object, where stacks run. @default "mgmt" */
  readonly mgmtCluster?: string;
  /** Path of fleet.yaml inside the Git repository, which the PR automations edit. @default "fleet.yaml" */
  readonly fleetFile?: string;
  /**
   * Folder of the Terraform module that provisions one cluster: one folder (for a fleet whose stacks all
   * run on one platform), or one per platform (`eks`, `gke`, `aks`, `generic`).
   * @default - per platform: "terraform/modules/clusters/aws", "terraform/modules/clusters/gcp", "terraform/modules/clusters/azure"; generic clusters get no stack
   */
  readonly terraformFolder?: string | TerraformFolders;
  /** Terraform version of the stacks. @default "1.8" */
  readonly terraformVersion?: string;
  /** User the stacks run as. @default "console@plural.sh" */
  readonly actor?: string;
}

/**
 * A delivery engine meshfleet writes a GitOps tree for.
 * - `plural`: GlobalServices, stacks and PR automations under `bootstrap/`, `helm/` and `services/`.
 * - `argocd`: an app of apps with one Application per cluster and service under `argocd/<fleet>/`.
 * - `local`: one mesh as kind clusters on a laptop, under `local/<fleet>/` (kind configs, values, printed steps).
 */
export type DeliveryTarget = 'plural' | 'argocd' | 'flux' | 'local';

/** Where Argo CD finds the tree, and where its objects live. */
export interface ArgoCdOptions {
  /**
   * URL of the Git repository that holds the tree, as Argo CD clones it (`https://...` or
   * `git@host:org/repo.git`); never with credentials in it (register the repository in Argo CD instead).
   */
  readonly repoURL: string;
  /** Git revision the Applications track. @default "HEAD" */
  readonly targetRevision?: string;
  /** Namespace Argo CD runs in, where its Applications and AppProjects live. @default "argocd" */
  readonly namespace?: string;
  /** AppProject of the fleet's Applications (the root app gets `<project>-root`). @default - the fleet name */
  readonly project?: string;
}

/** Where each cluster's Flux reads the fleet's tree (the `flux` target). */
export interface FluxOptions {
  /**
   * URL of the Git repository that holds the tree, as each cluster's Flux clones it (`https://...` or
   * `ssh://git@host/org/repo.git`); never with credentials in it (give Flux a secret instead: `secretRef`).
   */
  readonly repoURL: string;
  /** Branch Flux tracks. @default "main" */
  readonly branch?: string;
  /** Namespace Flux runs in (where `flux bootstrap` installs it), which holds the fleet's Flux objects. @default "flux-system" */
  readonly namespace?: string;
  /** How often Flux fetches the repository and reconciles. @default "10m" */
  readonly interval?: string;
  /**
   * Secret (in Flux's namespace) with the credentials to clone the repository.
   * @default - none (a public repository, or the credentials `flux bootstrap` made: "flux-system")
   */
  readonly secretRef?: string;
}

/** A tier: a class of clusters (dev, prod) targeted together. */
export interface TierProps {
  /** Tier name; it is the `tier` tag of its clusters. */
  readonly name: string;
  /**
   * The mesh its clusters join. Several tiers may share one mesh.
   * @default - a mesh of its own, named after the tier
   */
  readonly mesh?: string;
  /**
   * The platform of the tier's clusters (each cluster may override it).
   * @default "eks"
   */
  readonly distro?: Distro;
}

/** One cluster of the fleet. */
export interface ClusterProps {
  /** Cluster name: the Plural handle and the Cilium `cluster.name` (<= 32 chars, not "default"). */
  readonly name: string;
  /**
   * Cilium cluster id, unique in its mesh, within 1..maxConnectedClusters (1..127 with aws-cni or ENI).
   * @asType integer
   * @minimum 1
   * @maximum 511
   */
  readonly id: number;
  /** Tier of the cluster; must be one of the fleet's tiers. */
  readonly tier: string;
  /**
   * The cluster's region on its platform's cloud: an AWS region (`us-west-2`), a Google Cloud region or
   * zone (`europe-west1`, `europe-west1-b`) or an Azure region (`westeurope`); on `generic`, any
   * DNS-label-like location name.
   */
  readonly region: string;
  /**
   * The platform the cluster runs on.
   * @default - its tier's distro ("eks" unless the tier says otherwise)
   */
  readonly distro?: Distro;
  /** DNS zone external-dns manages in this cluster; peers dial `<name>-cilium-apiserver.<dnsZone>`. */
  readonly dnsZone: string;
  /**
   * Pod address range: the cluster's pod range (GKE: its pod secondary range; AKS, generic and EKS with
   * `cluster-pool`: the IPAM pool Cilium allocates from). Checked for overlaps within the mesh; required on
   * gke, aks and generic, and on eks with `cilium.cni: cluster-pool`.
   * @default - not checked (eks with aws-cni or eni only)
   */
  readonly podCidr?: string;
  /**
   * The node port of this cluster's clustermesh-apiserver, when it is on a NodePort (peers dial it). Only in
   * a mesh whose members are all on NodePort; under kube-proxy replacement each member needs its own.
   * @default - `cilium.apiserver.nodePort` (32379)
   * @asType integer
   * @minimum 30000
   * @maximum 32767
   */
  readonly apiserverNodePort?: number;
  /**
   * Extra Plural tags of the cluster (besides `fleet` and `tier`).
   * @default - none
   */
  readonly tags?: Record<string, string>;
  /**
   * Whether meshfleet emits the InfrastructureStack that provisions the cluster. Set false for a
   * cluster created elsewhere that only joins the mesh (what the mesh registrar appends).
   * @default - true on eks, gke and aks; on generic, true only when `plural.terraformFolder` names a generic module
   */
  readonly stack?: boolean;
  /**
   * Takes the cluster out of the fleet: out of its mesh (no peer entry, no Cilium or Multigres from
   * meshfleet), and says what happens to the infrastructure its stack created:
   * - `destroy`: its InfrastructureStack and Cluster are removed; Plural destroys the infrastructure.
   * - `detach`: its InfrastructureStack is kept with `detach: true` (apply that first); removing the entry
   *   afterwards deletes the stack but leaves the infrastructure in place.
   * Removing a cluster's entry without this is refused while its stack would destroy it.
   * @default - the cluster is a member of the fleet
   */
  readonly decommission?: Decommission;
}

/** What happens to a decommissioned cluster's infrastructure. */
export type Decommission = 'destroy' | 'detach';

/** A whole fleet. */
export interface FleetProps {
  /** Fleet name; the `fleet` tag of its clusters and the prefix of the objects meshfleet writes. */
  readonly name: string;
  /** Cilium settings. */
  readonly cilium: CiliumOptions;
  /**
   * The delivery engines to write trees for; each writes its own folders of the output, so one
   * repository can hold several side by side.
   * @default ["plural"]
   */
  readonly targets?: readonly DeliveryTarget[];
  /** Plural management-plane names. @default - the names `plural up` creates */
  readonly plural?: PluralOptions;
  /**
   * Argo CD settings; `repoURL` is required when `targets` lists `argocd`.
   * @default - no Argo CD tree
   */
  readonly argocd?: ArgoCdOptions;
  /**
   * Flux settings: the repository each cluster's Flux reads the tree from. Required when `targets` lists flux.
   * @default - none (no Flux tree)
   */
  readonly flux?: FluxOptions;
  /**
   * The known tiers, each its own mesh unless it names another.
   * @default - "dev" and "prod"
   */
  readonly tiers?: ReadonlyArray<string | TierProps>;
  /** The clusters. @default - none */
  readonly clusters?: readonly ClusterProps[];
  /**
   * Multigres (sharded Postgres) across the meshes.
   * @default - no Multigres
   */
  readonly multigres?: MultigresProps;
  /**
   * A connectivity probe delivered with the fleet: in every cluster, a responder behind a global
   * Service of its own, and a Job that calls every other member of its mesh through those Services.
   * The Job's result is the delivery engine's health (Argo CD: Degraded; Plural: a failed component).
   * @default - no probe
   */
  readonly probe?: ProbeOptions;
}

/** The connectivity probe's settings. */
export interface ProbeOptions {
  /** Whether the probe is delivered. @default true (when the section is present) */
  readonly enabled?: boolean;
  /**
   * The image of the responder (busybox `httpd`) and the prober (busybox `wget`), pinned by an exact tag
   * or a digest; never `latest`.
   * @default "docker.io/library/busybox:1.36.1"
   */
  readonly image?: string;
  /** Namespace of the probe, the same in every cluster. @default "meshfleet-probe" */
  readonly namespace?: string;
  /**
   * Seconds the prober waits for each peer's answer, per try (it tries every 15 s for up to 20 minutes).
   * @default 5
   * @asType integer
   * @minimum 1
   * @maximum 60
   */
  readonly timeoutSeconds?: number;
  /** CiliumNetworkPolicies admitting exactly the probe's traffic (by cluster, never by CIDR). @default true */
  readonly networkPolicies?: boolean;
}
