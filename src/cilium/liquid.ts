import { stringify, Tags } from 'yaml';

/**
 * A Plural Liquid expression placed in a values file or manifest, rendered by the Plural agent at
 * deploy time (`{{ cluster.handle }}`). It lets one file in Git serve every cluster, and keeps
 * secrets (the CA) out of Git.
 */
export class Liquid {
  /**
   * An expression whose result is a YAML string; written single-quoted: `'{{ cluster.handle }}'`.
   * @param expression the Liquid expression without braces, e.g. `cluster.handle`
   */
  public static string(expression: string): Liquid {
    return new Liquid(`{{ ${expression} }}`, true);
  }

  /**
   * An expression whose result is a YAML number or boolean; written bare: `{{ cluster.metadata.cilium_cluster_id }}`.
   * @param expression the Liquid expression without braces
   */
  public static scalar(expression: string): Liquid {
    return new Liquid(`{{ ${expression} }}`, false);
  }

  /**
   * A string made of text and `{{ }}` expressions, written single-quoted:
   * `Liquid.template('{{ cluster.handle }}-cilium-apiserver.{{ cluster.metadata.dns_zone }}')`.
   */
  public static template(text: string): Liquid {
    if (!text.includes('{{')) throw new Error(`liquid template "${text}" has no {{ }} expression`);
    return new Liquid(text, true);
  }

  /** True when `x` is a Liquid value. */
  public static isLiquid(x: unknown): x is Liquid {
    return x instanceof Liquid;
  }

  private constructor(
    /** The Liquid source. */
    public readonly source: string,
    /** Whether the rendered result is a quoted YAML string. */
    public readonly quoted: boolean,
  ) {
    if (quoted && source.includes("'")) {
      throw new Error(`liquid template "${source}" must not contain a single quote`);
    }
  }

  /** The text written into the file. */
  public toString(): string {
    return this.quoted ? `'${this.source}'` : this.source;
  }
}

/**
 * A YAML tag for `Liquid` values: the serializer writes a Liquid value's source in place of the
 * node, on the YAML tree, so no user string (whatever it holds) can ever be turned into Liquid.
 */
const LIQUID_TAG: Tags[number] = {
  tag: 'tag:meshfleet,2026:liquid',
  default: true,
  identify: (value: unknown) => value instanceof Liquid,
  resolve: (source: string) => source,
  stringify: (node) => String((node as { value: Liquid }).value),
};

/**
 * Writes a values object (which may hold `Liquid` values) as YAML text, the way `cdk8s`'s
 * `Yaml.stringify` does. `undefined` values are dropped (never written as `null`, which would delete
 * a chart default); key order is kept.
 */
export function stringifyValues(values: unknown): string {
  return stringify(dropUndefined(values), { lineWidth: 0, version: '1.1', customTags: [LIQUID_TAG] });
}

function dropUndefined(value: unknown): unknown {
  if (Liquid.isLiquid(value)) return value;
  if (Array.isArray(value)) return value.filter((v) => v !== undefined).map(dropUndefined);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) out[k] = dropUndefined(v);
    }
    return out;
  }
  return value;
}

/**
 * Deep-merges Helm values the way Helm merges several values files: maps merge key by key,
 * anything else (lists included) is replaced by the later value. Neither input is changed.
 */
export function mergeValues(base: unknown, override: unknown): unknown {
  if (isPlainObject(base) && isPlainObject(override)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(override)) {
      out[k] = k in out ? mergeValues(out[k], v) : v;
    }
    return out;
  }
  return override === undefined ? base : override;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x) && !Liquid.isLiquid(x);
}
