/** The Plural management-plane names of a fleet, with the defaults `plural up` creates. */
import { Fleet } from '../../fleet/fleet';

/** Plural management-plane names with every default applied. */
export interface ResolvedPlural {
  /** Namespace of namespaced Plural objects. */
  readonly namespace: string;
  /** GitRepository holding the tree. */
  readonly repository: string;
  /** Git ref tracked. */
  readonly gitRef: string;
  /** ScmConnection of the PR automations. */
  readonly scmConnection: string;
  /** Repository slug of the PR automations, when set. */
  readonly identifier?: string;
  /** Management Cluster object. */
  readonly mgmtCluster: string;
  /** Path of fleet.yaml in the repository. */
  readonly fleetFile: string;
  /** Terraform module folder of a cluster. */
  readonly terraformFolder: string;
  /** Terraform version. */
  readonly terraformVersion: string;
  /** User the stacks run as. */
  readonly actor: string;
}

/** The fleet's `plural:` settings with every default applied. */
export function pluralSettings(fleet: Fleet): ResolvedPlural {
  const p = fleet.props.plural ?? {};
  return {
    namespace: p.namespace ?? 'infra',
    repository: p.repository ?? 'infra',
    gitRef: p.gitRef ?? 'main',
    scmConnection: p.scmConnection ?? 'plural',
    identifier: p.identifier,
    mgmtCluster: p.mgmtCluster ?? 'mgmt',
    fleetFile: p.fleetFile ?? 'fleet.yaml',
    terraformFolder: p.terraformFolder ?? 'terraform/modules/clusters/aws',
    terraformVersion: p.terraformVersion ?? '1.8',
    actor: p.actor ?? 'console@plural.sh',
  };
}
