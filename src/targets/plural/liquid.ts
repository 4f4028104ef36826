/** Plural Liquid expressions, written verbatim into values files and manifests that Plural renders per cluster. */
import { IVerbatimScalar } from '../../k8s/yaml';
import { PLURAL_CONTEXT } from './context';

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

/** One cluster's row of a mesh's identity table. */
export interface IdentityRow {
  /** The cluster's handle (its fleet name). */
  readonly name: string;
  /** Its Cilium cluster id. */
  readonly id: number;
  /** The DNS name its clustermesh-apiserver is published at. */
  readonly address: string;
  /** Its pod CIDR, with cluster-pool IPAM. */
  readonly podCidr?: string;
  /** Its clustermesh-apiserver's node port, when the mesh's members have their own. */
  readonly nodePort?: number;
}

/** The Liquid variables an identity table assigns. */
export const IDENTITY_VARIABLES = {
  id: 'meshfleet_cluster_id', address: 'meshfleet_apiserver_address', podCidr: 'meshfleet_pod_cidr', nodePort: 'meshfleet_apiserver_node_port',
} as const;

/**
 * Liquid statements (one per line, printing nothing) that look the rendering cluster up by its handle
 * in a mesh's member table and assign its id and apiserver address. A cluster that is not a member
 * gets an id that is a sentence, which the chart's values schema refuses (cluster.id is an integer),
 * so the install fails loudly instead of rendering without an id.
 */
export function identityTable(mesh: string, rows: readonly IdentityRow[]): string[] {
  const safe = (v: string, what: string) => {
    if (!/^[a-z0-9.-]+$/.test(v)) throw new Error(`identity table of mesh "${mesh}": ${what} "${v}" is not a plain DNS name`);
    return v;
  };
  const cidr = (v: string | undefined) => {
    if (v !== undefined && !/^[0-9a-f.:]+\/[0-9]{1,3}$/.test(v)) throw new Error(`identity table of mesh "${mesh}": pod CIDR "${v}" is not a CIDR`);
    return v === undefined ? '' : `{% assign ${IDENTITY_VARIABLES.podCidr} = "${v}" %}`;
  };
  const assign = (id: string, address: string) =>
    `{% assign ${IDENTITY_VARIABLES.id} = ${id} %}{% assign ${IDENTITY_VARIABLES.address} = "${address}" %}`;
  const port = (v: number | undefined) => {
    if (v !== undefined && !Number.isInteger(v)) throw new Error(`identity table of mesh "${mesh}": node port "${v}" is not an integer`);
    return v === undefined ? '' : `{% assign ${IDENTITY_VARIABLES.nodePort} = ${v} %}`;
  };
  const pools = rows.some((r) => r.podCidr !== undefined);
  const ports = rows.some((r) => r.nodePort !== undefined);
  return [
    `{% case ${PLURAL_CONTEXT.clusterName} %}`,
    ...rows.map((r) => `{% when "${safe(r.name, 'cluster')}" %}${assign(String(r.id), safe(r.address, 'address'))}${cidr(r.podCidr)}${port(r.nodePort)}`),
    `{% else %}${assign(`'"not a member of mesh ${safe(mesh, 'mesh')}"'`, 'not-a-member.invalid')}${pools ? cidr('0.0.0.0/32') : ''}${ports ? port(0) : ''}`,
    '{% endcase %}',
  ];
}
