/** The Plural `PrAutomation` kind (a form that opens a pull request editing files) as an L2 construct. */
import { Construct } from 'constructs';
import {
  PrAutomation as L1PrAutomation,
  PrAutomationSpecConfigurationType,
  PrAutomationSpecUpdatesYamlOverlaysListMerge,
} from '../../imports/plural-prautomation-deployments.plural.sh';
import { checkObjectName, checkRefName, checkRepoPath } from './common';

/** One field of a PR automation's form; its answer is `context.<name>` in the templates. */
export interface PrAutomationField {
  /** Field name (`context.<name>`). */
  readonly name: string;
  /** Field type. */
  readonly type: PrAutomationSpecConfigurationType;
  /** Help text shown in the form. */
  readonly documentation: string;
  /**
   * An anchored regular expression (`^...$`) the answer must match. The final `$` must not be
   * escaped and the body must have no top-level `|` (write `^(?:a|b)$`, not `^a|b$`).
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
  /**
   * Shows the field only when another field's answer meets the condition (Plural's `condition`:
   * `EQ`, `NOT`, `GT`, `LT`, `GTE`, `LTE`, `PREFIX`, `SUFFIX`).
   * @default - always shown
   */
  readonly condition?: { readonly field: string; readonly operation: 'EQ' | 'NOT' | 'GT' | 'LT' | 'GTE' | 'LTE' | 'PREFIX' | 'SUFFIX'; readonly value?: string };
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
  /** Template source path in the repository (or in the automation's `repository` when external). */
  readonly source: string;
  /** Destination path in the repository; `{{ context.x }}` is rendered. */
  readonly destination: string;
  /**
   * Whether the source comes from the PR automation's `repository` (which is then required).
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
  /**
   * Name of the (cluster-scoped) GitRepository holding the sources of external templates
   * (`creates[].external`); written as `spec.repositoryRef`. Required when a template is external.
   * @default - none
   */
  readonly repository?: string;
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

/** Whether a regex anchors every answer: `ok`, `unanchored` (no `^`, or no unescaped final `$`) or `alternation` (a top-level `|`). */
type Anchoring = 'ok' | 'unanchored' | 'alternation';

/**
 * Scans `regex` for its anchoring. Escapes, character classes and groups are respected; a `]`
 * right after `[` or `[^` closes the class in JavaScript but is a literal in RE2/PCRE, so
 * `literalLeadingBracket` picks the reading.
 */
function scanAnchoring(regex: string, literalLeadingBracket: boolean): Anchoring {
  if (!regex.startsWith('^')) return 'unanchored';
  let depth = 0;
  let inClass = false;
  let classBody = -1;
  let alternation = false;
  let endAnchor = false;
  for (let i = 1; i < regex.length; i++) {
    const c = regex[i];
    endAnchor = false;
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']' && !(literalLeadingBracket && i === classBody)) inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      classBody = regex[i + 1] === '^' ? i + 2 : i + 1;
    } else if (c === '(') {
      depth++;
    } else if (c === ')') {
      depth--;
    } else if (c === '|' && depth === 0) {
      alternation = true;
    } else if (c === '$' && depth === 0 && i === regex.length - 1) {
      endAnchor = true;
    }
  }
  if (!endAnchor) return 'unanchored';
  return alternation ? 'alternation' : 'ok';
}

/** The anchoring of `regex` under both the JavaScript and the RE2 reading of character classes (the worse one). */
function anchoring(regex: string): Anchoring {
  const js = scanAnchoring(regex, false);
  const re2 = scanAnchoring(regex, true);
  if (js === 'unanchored' || re2 === 'unanchored') return 'unanchored';
  if (js === 'alternation' || re2 === 'alternation') return 'alternation';
  return 'ok';
}

/** Whether a Liquid text contains an output (`{{`) or a tag (`{%`), so Plural must render it. */
function isTemplated(text: string): boolean {
  return text.includes('{{') || text.includes('{%');
}

/**
 * A Plural PrAutomation (cluster-scoped): a form in the Plural UI that opens a pull request.
 * Every regex must be anchored so it accepts exactly the valid answers; every `context.x` used
 * in a `{{ ... }}` output or a `{% ... %}` tag must be a field of the form.
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
    checkRefName(what, 'scmConnection', props.scmConnection);
    if (props.catalog !== undefined) checkRefName(what, 'catalog', props.catalog);
    if (props.repository !== undefined) checkRefName(what, 'repository', props.repository);
    if (props.branch !== undefined && props.branch.trim().length === 0) throw new Error(`${what}: branch must not be empty`);
    if ((props.yamlOverlays ?? []).length === 0 && (props.creates ?? []).length === 0) {
      throw new Error(`${what}: it changes nothing; give yamlOverlays or creates`);
    }
    const fields = checkFields(what, props.configuration);
    checkContextUses(what, fields, [props.title, props.message, ...(props.yamlOverlays ?? []).flatMap((o) => [o.file, o.yaml]),
      ...(props.creates ?? []).map((c) => c.destination)]);
    for (const o of props.yamlOverlays ?? []) checkRepoPath(what, 'yamlOverlays.file', o.file);
    for (const c of props.creates ?? []) {
      checkRepoPath(what, 'creates.source', c.source);
      checkRepoPath(what, 'creates.destination', c.destination);
      if (c.external && props.repository === undefined) {
        throw new Error(`${what}: creates.source "${c.source}" is external, which needs repository (the GitRepository holding it)`);
      }
    }
    this.name = props.name;
    this.resource = new L1PrAutomation(this, 'Resource', {
      metadata: { name: props.name },
      spec: {
        name: props.name,
        documentation: props.documentation,
        identifier: props.identifier,
        branch: props.branch,
        catalogRef: props.catalog ? { name: props.catalog } : undefined,
        repositoryRef: props.repository ? { name: props.repository } : undefined,
        scmConnectionRef: { name: props.scmConnection },
        title: props.title,
        message: props.message,
        updates: props.yamlOverlays ? {
          yamlOverlays: props.yamlOverlays.map((o) => ({
            file: o.file,
            yaml: o.yaml,
            listMerge: o.listMerge,
            templated: isTemplated(o.yaml) || isTemplated(o.file) ? true : undefined,
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
          condition: f.condition ? { field: f.condition.field, operation: f.condition.operation as never, value: f.condition.value } : undefined,
        })),
      },
    });
  }
}

/** The form's field names, each checked (an identifier, declared once, an anchored regex, an ENUM with values). */
function checkFields(what: string, configuration: PrAutomationProps['configuration']): Set<string> {
  const fields = new Set<string>();
  for (const f of configuration) {
    if (!/^[a-zA-Z][a-zA-Z0-9_]*$/.test(f.name)) throw new Error(`${what}: field name "${f.name}" must be an identifier`);
    if (fields.has(f.name)) throw new Error(`${what}: field "${f.name}" is declared twice`);
    fields.add(f.name);
    if (f.regex !== undefined) checkFieldRegex(what, f.name, f.regex);
    if (f.type === PrAutomationSpecConfigurationType.ENUM && (f.values ?? []).length === 0) {
      throw new Error(`${what}: field "${f.name}" is an ENUM without values`);
    }
  }
  for (const f of configuration) {
    if (f.condition && !fields.has(f.condition.field)) throw new Error(`${what}: field "${f.name}" is shown on a condition of "${f.condition.field}", which is not a field of the form`);
  }
  return fields;
}

/** A field's regex compiles and is anchored at both ends for every alternative. */
function checkFieldRegex(what: string, field: string, regex: string): void {
  try {
    new RegExp(regex);
  } catch (e) {
    throw new Error(`${what}: field "${field}": regex "${regex}" does not compile: ${(e as Error).message}`);
  }
  const a = anchoring(regex);
  if (a === 'unanchored') throw new Error(`${what}: field "${field}": regex "${regex}" must be anchored with ^ and $`);
  if (a === 'alternation') {
    throw new Error(`${what}: field "${field}": regex "${regex}" has a top-level "|", so ^ and $ do not bind every alternative; `
      + 'group them as ^(?:...|...)$');
  }
}

/** Every `context.<field>` the templated texts read (in `{{ }}` and in `{% %}` tags) is a field of the form. */
function checkContextUses(what: string, fields: ReadonlySet<string>, texts: readonly string[]): void {
  for (const text of texts) {
    for (const m of text.matchAll(/\{\{\s*context\.([a-zA-Z0-9_]+)/g)) {
      if (!fields.has(m[1])) throw new Error(`${what}: "{{ context.${m[1]} }}" is used but "${m[1]}" is not a field of the form`);
    }
    for (const tag of text.matchAll(/\{%([\s\S]*?)%\}/g)) {
      for (const m of tag[1].matchAll(/(?<![\w.])context\.([a-zA-Z0-9_]+)/g)) {
        if (!fields.has(m[1])) throw new Error(`${what}: "context.${m[1]}" is used in a {% %} tag but "${m[1]}" is not a field of the form`);
      }
    }
  }
}
