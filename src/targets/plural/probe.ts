/**
 * Plural delivery of the connectivity probe: per mesh one folder (its Services, peer list, Job and
 * policies, and the responder and self-name with the cluster's handle as Liquid), delivered to each tier
 * of the mesh by a GlobalService.
 */
import { Construct } from 'constructs';
import { Fleet } from '../../fleet/fleet';
import { ManifestFile, YamlFile } from '../../gitops/files';
import { FleetPlan } from '../../plan/plan';
import { addMeshProbe, probeClusterManifests } from '../../plan/probe-objects';
import { GlobalService } from '../../plural/global-service';
import { PLURAL_CONTEXT } from './context';
import { PluralLayout } from './layout';
import { Liquid } from './liquid';

/** Adds the probe of every mesh, and its GlobalService per tier. */
export function addPluralProbe(scope: Construct, fleet: Fleet, plan: FleetPlan, layout: PluralLayout): void {
  const probe = fleet.probe;
  if (!probe) return;
  const plural = fleet.plural;
  for (const mesh of plan.meshes) {
    const folder = layout.probeFolder(mesh.name);
    addMeshProbe(new ManifestFile(scope, `Probe-${mesh.name}`, { path: `${folder}/mesh.yaml` }), fleet, mesh);
    const [self, responder] = probeClusterManifests(probe, Liquid.string(PLURAL_CONTEXT.clusterName));
    const comment = 'Rendered per cluster by Plural: the cluster\'s handle names its responder (only its own probe Service selects it) and itself.';
    new YamlFile(scope, `ProbeSelf-${mesh.name}`, { path: `${folder}/self.yaml.liquid`, comment, values: self });
    new YamlFile(scope, `ProbeResponder-${mesh.name}`, { path: `${folder}/responder.yaml.liquid`, comment, values: responder });
  }
  const populated = new Set(fleet.clusters.map((c) => c.tier));
  for (const tier of fleet.tiers.filter((t) => populated.has(t.name))) {
    const file = new ManifestFile(scope, `ProbeService-${tier.name}`, { path: layout.bootstrap('probe', tier.name) });
    new GlobalService(file, 'Service', {
      name: `${fleet.name}-probe-${tier.name}`,
      namespace: plural.namespace,
      tags: { fleet: fleet.name, tier: tier.name },
      serviceName: 'meshfleet-probe',
      serviceNamespace: probe.namespace,
      repository: { name: plural.repository, namespace: plural.namespace },
      folder: layout.probeFolder(tier.mesh),
      ref: plural.gitRef,
    });
  }
}
