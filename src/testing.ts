/// <reference types="node" preserve="true" />
/**
 * meshfleet's testing API (`meshfleet/testing`): what each delivery engine would give every cluster of a
 * tree (the simulators), the shared invariants on that (Cluster Mesh, Multigres, probe), the audit of a
 * whole tree, the review of a change, and the registry of targets. For your own tests and CI checks of a
 * tree; the package entry (`meshfleet`) holds the constructs, the model, the plan, the app and the writer.
 */

export type { Delivered, DeliveredService } from './check/delivered';
export { checkMesh } from './check/mesh';
export { checkMultigres } from './check/multigres';
export { checkProbe } from './check/probe';
export { changedKeys, compareFleets } from './check/change';
export type { FleetChange } from './check/change';
export { compareSources } from './check/sources';
export type { SourceChange } from './check/sources';

export { checkMeshInvariants, checkMultigresInvariants } from './targets/plural/checks';
export { pluralContextOf } from './targets/plural/context';
export type { PluralClusterContext } from './targets/plural/context';
export { simulateFleet, simulatePlural } from './targets/plural/simulator';
export { simulateArgoCd } from './targets/argocd/simulator';
export type { ArgoCdSimulation } from './targets/argocd/simulator';
export { simulateFlux } from './targets/flux/simulator';
export type { FluxSimulation } from './targets/flux/simulator';
export { checkLocalTree } from './targets/local/checks';

export { TARGETS, targetNamed } from './targets/registry';
export type { ClusterSelection, Delivery, Target, TargetLayout } from './targets/target';
export { validateTree } from './app/validate';
export type { SchemaValidators, TreeAudit } from './app/validate';
export { reviewChange } from './app/review';
export type { ChangeReview } from './app/review';
export { recoverTree } from './gitops/writer';
