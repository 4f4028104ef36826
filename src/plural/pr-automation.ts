import { Construct } from 'constructs';
import {
  PrAutomation as L1PrAutomation,
  PrAutomationSpecConfigurationType,
  PrAutomationSpecUpdatesYamlOverlaysListMerge,
} from '../../imports/plural-prautomation-deployments.plural.sh';
import { checkObjectName, checkRepoPath } from './common';

/** One field of a PR automation's form; its answer is `context.<name>` in the templates. */
export interface PrAutomationField {
  /** Field name (`context.<name>`). */
  readonly name: string;
  /** Field type. */
  readonly type: PrAutomationSpecConfigurationType;
  /** Help text shown in the form. */
  readonly documentation: string;
  /**
   * An anchored regular expression (`^...$`) the answer must match.
   * @default - any answer
   */
  readonly regex?: string;
  /**
   * Allowed answers of an ENUM field.
   * @default - none (required for ENUM)
   */
  readonly values?: string[];
  /**
   * Whether the field may be left empty.
   * @default false
   */
  readonly optional?: boolean;
  /**
   * Default answer.
   * @default - none
   */
  readonly default?: string;
}

/** A YAML overlay a PR automation applies to an existing file. */
export interface YamlOverlay {
  /** File to change (must exist; it is rewritten, so comments and key order are lost). */
  readonly file: string;
  /** The YAML to merge in, as text; `{{ context.x }}` is rendered from the form. */
  readonly yaml: string;
  /**
   * How lists merge.
   * @default - OVERWRITE, Plural's default
   */
  readonly listMerge?: PrAutomationSpecUpdatesYamlOverlaysListMerge;
}

/** A template a PR automation renders into a new file. */
export interface CreatedFile {
  /** Template source path in the repository (or in `repositoryRef` when external). */
  readonly source: string;
  /** Destination path; `{{ context.x }}` is rendered. */
  readonly destination: string;
  /**
   * Whether the source comes from the PR automation's own `repositoryRef`.
   * @default false
   */
  readonly external?: boolean;
}

/** Props of a `PrAutomation`. */
export interface PrAutomationProps {
  /** Name of the (cluster-scoped) PrAutomation object and of the automation in the UI. */
  readonly name: string;
  /** ScmConnection used to open the pull request. */
  readonly scmConnection: string;
  /** Title of the pull request; may use `{{ context.x }}`. */
  readonly title: string;
  /** Body of the pull request; may use `{{ context.x }}`. */
  readonly message: string;
  /** What the automation does, shown in the UI. */
  readonly documentation: string;
  /**
   * Repository slug the pull request is opened against.
   * @default - the ScmConnection's default
   */
  readonly identifier?: string;
  /**
   * Branch the pull request targets.
   * @default - the repository's default branch
   */
  readonly branch?: string;
  /**
   * Catalog listing the automation.
   * @default - none
   */
  readonly catalog?: string;
  /** The form. */
  readonly configuration: PrAutomationField[];
  /**
   * Overlays applied to existing files.
   * @default - none
   */
  readonly yamlOverlays?: YamlOverlay[];
  /**
   * Files created from templates.
   * @default - none
   */
  readonly creates?: CreatedFile[];
}

/**
 * A Plural PrAutomation (cluster-scoped): a form in the Plural UI that opens a pull request.
 * Every regex must be anchored so it accepts exactly the valid answers; every `{{ context.x }}`
 * used must be a field of the form.
 */
export class PrAutomation extends Construct {
  /** The generated L1 object. */
  public readonly resource: L1PrAutomation;
  /** Name of the automation. */
  public readonly name: string;

  constructor(scope: Construct, id: string, props: PrAutomationProps) {
    super(scope, id);
    const what = `pr automation "${props.name}"`;
    checkObjectName(what, props.name);
    if (!props.scmConnection) throw new Error(`${what}: scmConnection is required`);
    if ((props.yamlOverlays ?? []).length === 0 && (props.creates ?? []).length === 0) {
      throw new Error(`${what}: it changes nothing; give yamlOverlays or creates`);
    }
    const fields = new Set<string>();
    for (const f of props.configuration) {
      if (!/^[a-zA-Z][a-zA-Z0-9_]*$/.test(f.name)) throw new Error(`${what}: field name "${f.name}" must be an identifier`);
      if (fields.has(f.name)) throw new Error(`${what}: field "${f.name}" is declared twice`);
      fields.add(f.name);
      if (f.regex !== undefined) {
        if (!f.regex.startsWith('^') || !f.regex.endsWith('$')) {
          throw new Error(`${what}: field "${f.name}": regex "${f.regex}" must be anchored with ^ and $`);
        }
        try {
          new RegExp(f.regex);
        } catch (e) {
          throw new Error(`${what}: field "${f.name}": regex "${f.regex}" does not compile: ${(e as Error).message}`);
        }
      }
      if (f.type === PrAutomationSpecConfigurationType.ENUM && (f.values ?? []).length === 0) {
        throw new Error(`${what}: field "${f.name}" is an ENUM without values`);
      }
    }
    const texts = [props.title, props.message, ...(props.yamlOverlays ?? []).flatMap((o) => [o.file, o.yaml]),
      ...(props.creates ?? []).map((c) => c.destination)];
    for (const text of texts) {
      for (const m of text.matchAll(/\{\{\s*context\.([a-zA-Z0-9_]+)/g)) {
        if (!fields.has(m[1])) throw new Error(`${what}: "{{ context.${m[1]} }}" is used but "${m[1]}" is not a field of the form`);
      }
    }
    for (const o of props.yamlOverlays ?? []) checkRepoPath(what, 'yamlOverlays.file', o.file);
    this.name = props.name;
    this.resource = new L1PrAutomation(this, 'Resource', {
      metadata: { name: props.name },
      spec: {
        name: props.name,
        documentation: props.documentation,
        identifier: props.identifier,
        branch: props.branch,
        catalogRef: props.catalog ? { name: props.catalog } : undefined,
        scmConnectionRef: { name: props.scmConnection },
        title: props.title,
        message: props.message,
        updates: props.yamlOverlays ? {
          yamlOverlays: props.yamlOverlays.map((o) => ({
            file: o.file,
            yaml: o.yaml,
            listMerge: o.listMerge,
            templated: o.yaml.includes('{{') || o.file.includes('{{') ? true : undefined,
          })),
        } : undefined,
        creates: props.creates ? {
          templates: props.creates.map((c) => ({ source: c.source, destination: c.destination, external: c.external ?? false })),
        } : undefined,
        configuration: props.configuration.map((f) => ({
          name: f.name,
          type: f.type,
          documentation: f.documentation,
          optional: f.optional,
          default: f.default,
          values: f.values ? [...f.values] : undefined,
          validation: f.regex ? { regex: f.regex } : undefined,
        })),
      },
    });
  }
}
