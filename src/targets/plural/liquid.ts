/** Plural Liquid expressions, written verbatim into values files and manifests that Plural renders per cluster. */
import { IVerbatimScalar } from '../../k8s/yaml';

/**
 * A Plural Liquid expression placed in a values file or manifest, rendered by the Plural agent at
 * deploy time (`{{ cluster.handle }}`). It lets one file in Git serve every cluster, and keeps
 * secrets (the CA) out of Git.
 */
export class Liquid implements IVerbatimScalar {
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

  /** The text written into the file, as a verbatim YAML scalar. */
  public get verbatimYaml(): string {
    return this.toString();
  }
}
