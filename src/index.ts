/// <reference types="node" preserve="true" />
/**
 * meshfleet's public API, named one by one: the L2 constructs and their props, the fleet model, the
 * plan, each delivery target's entry points, the app and the writer. The simulators, the shared checks
 * and the audit are in `meshfleet/testing` (src/testing.ts); internals and the upstream schema validator
 * are not exported.
 */

// L2 constructs: Plural
export { Catalog } from './plural/catalog';
export type { CatalogProps } from './plural/catalog';
export { PluralCluster } from './plural/cluster';
export type { PluralClusterProps } from './plural/cluster';
export type { NamespacedRef } from './plural/common';
export { GlobalService } from './plural/global-service';
export type { GlobalServiceHelm, GlobalServiceProps } from './plural/global-service';
export { InfrastructureStack } from './plural/infrastructure-stack';
export type { InfrastructureStackProps } from './plural/infrastructure-stack';
export { PrAutomation } from './plural/pr-automation';
export type { CreatedFile, PrAutomationField, PrAutomationProps, YamlOverlay } from './plural/pr-automation';
export { ServiceDeployment } from './plural/service-deployment';
export type { ServiceDeploymentHelm, ServiceDeploymentProps } from './plural/service-deployment';

// L2 constructs: Cilium
export { CiliumAnnotation, ciliumAnnotationProblems, ciliumServiceAnnotations, validateCiliumAnnotations } from './cilium/annotations';
export type { CiliumServiceAnnotationOptions, ServiceAffinity } from './cilium/annotations';
export { MeshService } from './cilium/mesh-service';
export type { MeshServicePort, MeshServiceProps } from './cilium/mesh-service';
export { CILIUM_CLUSTER_LABEL, CILIUM_NAMESPACE_LABEL, CiliumNetworkPolicy } from './cilium/network-policy';
export type {
  CidrRule, CiliumEntity, CiliumNetworkPolicyProps, DnsRule, EgressRule, EndpointSelector, HttpRule, IngressRule, L7Rules, PortProtocol,
  PortRule,
} from './cilium/network-policy';
export { peerSelector } from './cilium/peer-selector';
export type { PeerSelectorOptions } from './cilium/peer-selector';
export { MULTIGRES_DEFAULT_TRAFFIC, MultigresNetworkPolicy, multigresIngressRules } from './multigres/network-policy';
export type { MultigresNetworkPolicyProps, MultigresPolicyOptions, MultigresTrafficRule } from './multigres/network-policy';
export {
  APISERVER_DEFAULT_NODE_PORT, APISERVER_LB_PORT, apiserverExtraDnsNames, apiserverHostname, ciliumIdentityValues, ciliumMeshValues,
  meshIssuerValues, meshPeerValues, SUPPORTED_CILIUM_MINORS,
} from './cilium/values';
export type { CiliumIdentity, CiliumMeshValuesOptions, CiliumMinor, MeshPeer } from './cilium/values';

// L2 constructs: Multigres
export { MULTIGRES_API_VERSION, multigresOperatorLabels } from './multigres/common';
export type { IMultigresComponent, MultigresComponentKind, MultigresComponentProps } from './multigres/common';
export { Etcd } from './multigres/etcd';
export type { EtcdProps } from './multigres/etcd';
export { MultiGateway } from './multigres/multigateway';
export type { MultiGatewayProps } from './multigres/multigateway';
export { MultigresCluster, multigresClusterLabels, MultigresTopoServer } from './multigres/multigres-cluster';
export type { MultigresClusterComponent, MultigresClusterProps } from './multigres/multigres-cluster';
export { MultiOrch } from './multigres/multiorch';
export type { MultiOrchProps } from './multigres/multiorch';
export { MultiPooler } from './multigres/multipooler';
export type { MultiPoolerProps } from './multigres/multipooler';
export { Placement } from './multigres/placement';
export type { DedicatedNodesOptions, DistinctNodesOptions, Scheduling, SpreadOptions } from './multigres/placement';

// The fleet model
export { FleetValidationError } from './fleet/errors';
export type { Fault } from './fleet/errors';
export { Fleet } from './fleet/fleet';
export type { Mesh, MeshCluster, Tier } from './fleet/fleet';
export { AWS_NLB_CLASS, meshCa } from './fleet/cilium';
export type { MeshCa, ResolvedCilium } from './fleet/cilium';
export { loadFleet, parseFleet } from './fleet/loader';
export { DELIVERY_TARGETS } from './fleet/delivery';
export type { ResolvedArgoCd, ResolvedFlux, ResolvedPlural } from './fleet/delivery';
export type { ResolvedMultigres, ResolvedMultigresDeployment } from './fleet/multigres';
export { PROBE_IMAGE } from './fleet/probe';
export type { ResolvedProbe } from './fleet/probe';
export type {
  ApiserverOptions, ApiserverServiceType, ArgoCdOptions, CiliumOptions, ClusterProps, CniMode, DedicatedNodesProps, DeliveryTarget, FleetProps, FluxOptions, MeshTlsOptions,
  MultigresApi, MultigresDeploymentProps, MultigresProps, MultigresTopology, PluralOptions, ProbeOptions, TierProps, Decommission,
} from './fleet/props';

// The plan
export { clusterCiliumValues, planFleet } from './plan/plan';
export type { CiliumRelease, ClusterPlan, FleetPlan, MeshPlan } from './plan/plan';
export { planMultigres } from './plan/multigres';
export type { MultigresClusterPlan, MultigresMeshService, MultigresWork } from './plan/multigres';

// Shared checks, on what a target's simulator says each cluster receives

// Target: Plural
export { PluralLayout } from './targets/plural/layout';
export { pluralSettings } from './targets/plural/settings';
export { PluralMultigres } from './targets/plural/multigres';
export type { PluralMultigresProps } from './targets/plural/multigres';
export { Liquid } from './targets/plural/liquid';
export { PluralMeshFleet, synthPluralTree } from './targets/plural/tree';
export type { PluralMeshFleetProps } from './targets/plural/tree';

// Target: Argo CD
export { ArgoCdLayout } from './targets/argocd/layout';
export { argoCdSettings } from './targets/argocd/settings';
export { ArgoCdMeshFleet, IN_CLUSTER, SYNC_WAVES, synthArgoCdTree } from './targets/argocd/tree';
export type { ArgoCdMeshFleetProps } from './targets/argocd/tree';
export { FluxLayout } from './targets/flux/layout';
export { FluxMeshFleet, fluxNames, synthFluxTree, VALUES_KEY } from './targets/flux/tree';
export type { FluxMeshFleetProps } from './targets/flux/tree';

// Target: local (kind)
export { LocalLayout } from './targets/local/layout';
export { LocalMesh, localClusters, synthLocalTree } from './targets/local/tree';
export type { LocalMeshProps, LocalSelection } from './targets/local/tree';

// The fleet as a picture
export { fleetPicture, meshMarkdown, toDot, toMermaid } from './picture/picture';
export type { FleetPicture, PictureCluster, PictureLink, PictureMesh } from './picture/picture';

// A consumer's cdk8s app
export { MeshfleetApp } from './app/meshfleet-app';
export type { MeshfleetAppProps } from './app/meshfleet-app';
export { synthTarget, writeOptions } from './app/trees';
export type { TargetTree } from './app/trees';

// Files and the writer
export { TreeApp } from './gitops/tree-app';
export { GENERATED_HEADER, GENERATED_MARKDOWN_HEADER, ManifestFile, renderFiles, TextFile, YamlFile } from './gitops/files';
export type { IOutputFile, ManifestFileProps, TextFileProps, YamlFileProps } from './gitops/files';
export { diffTree } from './gitops/check';
export { OutputFolderError } from './gitops/confined';
export { OwnedListError } from './gitops/owned-list';
export { WriteConflictError, writeTree, writeTrees } from './gitops/writer';
export type { TreeToWrite, WriteResult, WriteTreeOptions, WriteTreesOptions } from './gitops/writer';
export { mergeValues, stringifyYaml } from './k8s/yaml';
export type { IVerbatimScalar } from './k8s/yaml';
