/**
 * Plural delivery of the plan's Multigres objects: one folder per cluster, delivered to that cluster
 * alone by a ServiceDeployment.
 */
import { Construct } from 'constructs';
import { ManifestFile } from '../../gitops/files';
import { addMultigresObjects } from '../../plan/multigres-objects';
import { FleetPlan } from '../../plan/plan';
import { ServiceDeployment } from '../../plural/service-deployment';
import { PluralLayout } from './layout';

/** Props of a `PluralMultigres`. */
export interface PluralMultigresProps {
  /** The plan. */
  readonly plan: FleetPlan;
  /** Where files go. */
  readonly layout: PluralLayout;
}

/**
 * The Multigres deployments of a fleet, one folder per cluster, each delivered to its cluster only by a
 * Plural ServiceDeployment. Per cluster and deployment: the Multigres custom resources the plan places
 * there, the global Services it serves or consumes (same name and namespace on both sides, selecting
 * the operator's pods by the labels it sets), and, when enabled, a CiliumNetworkPolicy per component
 * admitting exactly its Multigres peers.
 */
export class PluralMultigres extends Construct {
  constructor(scope: Construct, id: string, props: PluralMultigresProps) {
    super(scope, id);
    const { plan, layout } = props;
    const fleet = plan.fleet;
    const mg = fleet.multigres;
    if (!mg) return;
    for (const work of plan.multigres) {
      const file = new ManifestFile(this, `${work.deployment.name}.${work.cluster}`, { path: `${layout.multigresFolder(work.cluster)}/${work.deployment.name}.yaml` });
      addMultigresObjects(file, fleet, work);
    }
    const plural = fleet.plural;
    for (const { cluster } of plan.clusters.filter((c) => c.multigres.length > 0)) {
      const file = new ManifestFile(this, `Delivery-${cluster.name}`, { path: layout.bootstrap('multigres', cluster.name) });
      new ServiceDeployment(file, 'Service', {
        name: `${fleet.name}-multigres-${cluster.name}`,
        namespace: plural.namespace,
        cluster: { name: cluster.name, namespace: plural.namespace },
        serviceNamespace: mg.namespace,
        repository: { name: plural.repository, namespace: plural.namespace },
        folder: layout.multigresFolder(cluster.name),
        ref: plural.gitRef,
      });
    }
  }
}
