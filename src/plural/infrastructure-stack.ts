/** The Plural `InfrastructureStack` kind (a Terraform stack run by Plural) as an L2 construct. */
import { Construct } from 'constructs';
import { InfrastructureStack as L1InfrastructureStack, InfrastructureStackSpecType } from '../../imports/plural-infrastructurestack-deployments.plural.sh';
import { checkGitRef, checkNamespace, checkObjectName, checkRef, checkRepoPath, DEFAULT_PLURAL_NAMESPACE, NamespacedRef, ref } from './common';

/** Props of an `InfrastructureStack`. */
export interface InfrastructureStackProps {
  /** Name of the stack object and of the stack in Plural. */
  readonly name: string;
  /**
   * Namespace of the stack object.
   * @default "infra"
   */
  readonly namespace?: string;
  /**
   * Stack type.
   * @default TERRAFORM
   */
  readonly type?: InfrastructureStackSpecType;
  /** GitRepository holding the IaC code. */
  readonly repository: NamespacedRef;
  /** Folder of the IaC code in the repository. */
  readonly folder: string;
  /**
   * Git ref to track.
   * @default "main"
   */
  readonly ref?: string;
  /** Cluster the stack's jobs run on (usually the management cluster). */
  readonly cluster: NamespacedRef;
  /**
   * Tool version, e.g. Terraform `1.8` (written as a string).
   * @default - Plural's default image
   */
  readonly version?: string;
  /**
   * Input variables (Terraform variables).
   * @default - none
   */
  readonly variables?: Record<string, string | number | boolean>;
  /**
   * Whether runs wait for approval in the UI.
   * @default true
   */
  readonly approval?: boolean;
  /**
   * Whether Plural manages the Terraform state.
   * @default true
   */
  readonly manageState?: boolean;
  /**
   * Whether deleting the object leaves the infrastructure in place (true) or destroys it (false).
   * @default false
   */
  readonly detach?: boolean;
  /**
   * User the runs act as.
   * @default - the stack's creator
   */
  readonly actor?: string;
}

/**
 * A Plural InfrastructureStack: IaC (Terraform by default) run by Plural from a Git folder.
 */
export class InfrastructureStack extends Construct {
  /** The generated L1 object. */
  public readonly resource: L1InfrastructureStack;
  /** Name of the stack. */
  public readonly name: string;

  constructor(scope: Construct, id: string, props: InfrastructureStackProps) {
    super(scope, id);
    const what = `infrastructure stack "${props.name}"`;
    checkObjectName(what, props.name);
    if (props.namespace !== undefined) checkNamespace(what, 'namespace', props.namespace);
    checkRef(what, 'repository', props.repository);
    checkRef(what, 'cluster', props.cluster);
    checkRepoPath(what, 'folder', props.folder);
    checkGitRef(what, props.ref);
    if (props.version !== undefined && !/^\d+\.\d+(\.\d+)?$/.test(props.version)) {
      throw new Error(`${what}: version "${props.version}" must look like 1.8 or 1.8.5`);
    }
    for (const [k, v] of Object.entries(props.variables ?? {})) {
      if (v === undefined || v === null) throw new Error(`${what}: variable "${k}" has no value`);
    }
    this.name = props.name;
    this.resource = new L1InfrastructureStack(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace ?? DEFAULT_PLURAL_NAMESPACE },
      spec: {
        name: props.name,
        type: props.type ?? InfrastructureStackSpecType.TERRAFORM,
        detach: props.detach ?? false,
        approval: props.approval ?? true,
        manageState: props.manageState ?? true,
        actor: props.actor,
        configuration: props.version ? { version: props.version } : undefined,
        repositoryRef: ref(props.repository),
        clusterRef: ref(props.cluster),
        git: { ref: props.ref ?? 'main', folder: props.folder },
        variables: props.variables ? { ...props.variables } : undefined,
      },
    });
  }
}
