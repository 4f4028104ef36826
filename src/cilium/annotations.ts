/**
 * Cilium Service annotations (names as of Cilium 1.18, `pkg/annotation/k8s.go`).
 *
 * {@link ciliumServiceAnnotations} writes the current names from typed options;
 * {@link validateCiliumAnnotations} refuses legacy, removed and invented names in any annotation map
 * (Service annotations, pod annotations, `serviceAnnotations` of a Multigres component).
 */
import { isIP } from 'net';

/** Current Cilium annotation names. */
export const CiliumAnnotation = {
  /** `"true"`: the Service is a global (Cluster Mesh) service, matched by name and namespace in every cluster. */
  GLOBAL: 'service.cilium.io/global',
  /** `"true"` (Cilium's default) / `"false"`: whether this cluster's backends are shared with the other clusters. */
  SHARED: 'service.cilium.io/shared',
  /** `local` / `remote`: which cluster's backends a global service prefers. */
  AFFINITY: 'service.cilium.io/affinity',
  /** `"true"` / `"false"`: synchronize EndpointSlices of a global service (needs `clustermesh.enableEndpointSliceSynchronization`). */
  GLOBAL_SYNC_ENDPOINT_SLICES: 'service.cilium.io/global-sync-endpoint-slices',
  /** Comma-separated IPs LB-IPAM should assign to a LoadBalancer Service. */
  LBIPAM_IPS: 'lbipam.cilium.io/ips',
  /** Services with the same sharing key may share one LB-IPAM address. */
  LBIPAM_SHARING_KEY: 'lbipam.cilium.io/sharing-key',
} as const;

/** Legacy names (still read by Cilium in part, but not by every feature) and their current names. */
const LEGACY: Record<string, string> = {
  'io.cilium/global-service': CiliumAnnotation.GLOBAL,
  'io.cilium/shared-service': CiliumAnnotation.SHARED,
  'io.cilium/service-affinity': CiliumAnnotation.AFFINITY,
  'io.cilium/lb-ipam-ips': CiliumAnnotation.LBIPAM_IPS,
  'io.cilium/lb-ipam-sharing-key': CiliumAnnotation.LBIPAM_SHARING_KEY,
};

/** Which cluster's backends a global service prefers. */
export type ServiceAffinity = 'local' | 'remote' | 'none';

/** Options of {@link ciliumServiceAnnotations}. */
export interface CiliumServiceAnnotationOptions {
  /**
   * Make the Service global across the Cluster Mesh. Every cluster that consumes it needs a Service of
   * the same name and namespace with this annotation (it may select no local pods).
   * @default false - a cluster-local Service (no annotation written)
   */
  readonly global?: boolean;
  /**
   * Share this cluster's backends with the other clusters (only on a global service).
   * `false` makes this cluster consume the remote backends without exporting its own.
   * @default - not written; Cilium treats a global service as shared
   */
  readonly shared?: boolean;
  /**
   * Backend preference of a global service. `none` writes nothing: Cilium v1.18.10+ drops the remote
   * backends when `none` is written (cilium/cilium#46623).
   * @default - not written; backends of all clusters are used alike
   */
  readonly affinity?: ServiceAffinity;
  /**
   * Synchronize EndpointSlices of this global service to the other clusters (needs the Helm value
   * `clustermesh.enableEndpointSliceSynchronization=true`; only valid on a global service).
   * @default - not written; Cilium's default applies (headless services only)
   */
  readonly syncEndpointSlices?: boolean;
  /**
   * IP addresses LB-IPAM assigns to this LoadBalancer Service.
   * @default - not written; LB-IPAM picks from the matching pool
   */
  readonly lbIpamIps?: string[];
  /**
   * LB-IPAM sharing key: Services with the same key (and compatible ports) may share an address.
   * @default - not written; the Service gets its own address
   */
  readonly lbIpamSharingKey?: string;
}

/**
 * Cilium annotations for a Service, with current names and in a fixed key order.
 * @param where names the Service in error messages, e.g. `service "multigres/etcd"`
 */
export function ciliumServiceAnnotations(options: CiliumServiceAnnotationOptions, where: string = 'service'): { [key: string]: string } {
  const out: { [key: string]: string } = {};
  const global = options.global === true;
  const needGlobal = (field: string) => {
    if (!global) throw new Error(`${where}: ${field} only takes effect on a global service; set global: true`);
  };
  if (global) out[CiliumAnnotation.GLOBAL] = 'true';
  if (options.shared !== undefined) {
    needGlobal('shared');
    out[CiliumAnnotation.SHARED] = String(options.shared);
  }
  if (options.affinity !== undefined) {
    if (!['local', 'remote', 'none'].includes(options.affinity)) {
      throw new Error(`${where}: affinity must be local, remote or none (got "${options.affinity}")`);
    }
    if (options.affinity !== 'none') {
      needGlobal('affinity');
      out[CiliumAnnotation.AFFINITY] = options.affinity;
    }
  }
  if (options.syncEndpointSlices !== undefined) {
    needGlobal('syncEndpointSlices');
    out[CiliumAnnotation.GLOBAL_SYNC_ENDPOINT_SLICES] = String(options.syncEndpointSlices);
  }
  if (options.lbIpamIps !== undefined) {
    if (options.lbIpamIps.length === 0) throw new Error(`${where}: lbIpamIps must not be empty`);
    for (const ip of options.lbIpamIps) {
      if (isIP(ip) === 0) throw new Error(`${where}: lbIpamIps entry "${ip}" is not an ip address`);
    }
    out[CiliumAnnotation.LBIPAM_IPS] = options.lbIpamIps.join(',');
  }
  if (options.lbIpamSharingKey !== undefined) {
    if (options.lbIpamSharingKey.trim() === '') throw new Error(`${where}: lbIpamSharingKey must not be empty`);
    out[CiliumAnnotation.LBIPAM_SHARING_KEY] = options.lbIpamSharingKey;
  }
  validateCiliumAnnotations(out, where);
  return out;
}

/**
 * Every problem with the Cilium annotations in `annotations`, in key order (empty when fine).
 * @param where names the object in messages, e.g. `multigateway "gw": serviceAnnotations`
 */
export function ciliumAnnotationProblems(annotations: { [key: string]: string } | undefined, where: string): string[] {
  if (!annotations) return [];
  const problems: string[] = [];
  const isGlobal = annotations[CiliumAnnotation.GLOBAL] === 'true';
  for (const key of Object.keys(annotations).sort()) {
    const value = annotations[key];
    if (key === 'policy.cilium.io/proxy-visibility' || key === 'io.cilium.proxy-visibility') {
      problems.push(`${where}: annotation "${key}" was removed in cilium 1.17; for l7 visibility write an l7 CiliumNetworkPolicy (toPorts[].rules) instead`);
    } else if (key === 'hubble.cilium.io/visibility') {
      problems.push(`${where}: annotation "${key}" does not exist in cilium; for l7 visibility write an l7 CiliumNetworkPolicy (toPorts[].rules) instead`);
    } else if (key in LEGACY) {
      problems.push(`${where}: annotation "${key}" is a legacy name; use "${LEGACY[key]}"`);
    } else if (key.startsWith('io.cilium/')) {
      problems.push(`${where}: annotation "${key}" uses the legacy io.cilium/ prefix; use the current service.cilium.io/, lbipam.cilium.io/ or policy.cilium.io/ name`);
    } else if (key === CiliumAnnotation.GLOBAL || key === CiliumAnnotation.SHARED || key === CiliumAnnotation.GLOBAL_SYNC_ENDPOINT_SLICES) {
      if (value !== 'true' && value !== 'false') {
        problems.push(`${where}: annotation "${key}" must be "true" or "false" (got "${value}")`);
      } else if (key !== CiliumAnnotation.GLOBAL && !isGlobal) {
        problems.push(needsGlobal(where, key));
      }
    } else if (key === CiliumAnnotation.AFFINITY) {
      if (value === 'none') {
        problems.push(`${where}: annotation "${key}: none" must not be written (cilium v1.18.10+ then drops remote backends, cilium/cilium#46623); omit the annotation instead`);
      } else if (value !== 'local' && value !== 'remote') {
        problems.push(`${where}: annotation "${key}" must be local or remote (got "${value}")`);
      } else if (!isGlobal) {
        problems.push(needsGlobal(where, key));
      }
    } else if (key === CiliumAnnotation.LBIPAM_IPS) {
      const bad = value.split(',').map(s => s.trim()).filter(ip => isIP(ip) === 0);
      if (bad.length > 0) problems.push(`${where}: annotation "${key}" holds "${bad[0]}", which is not an ip address`);
    }
  }
  return problems;
}

/**
 * Refuse legacy `io.cilium/*` names (naming the current one), `hubble.cilium.io/visibility` (does not
 * exist), `policy.cilium.io/proxy-visibility` and `io.cilium.proxy-visibility` (removed in Cilium
 * 1.17; use an L7 CiliumNetworkPolicy), `service.cilium.io/affinity: none`, malformed values, and
 * shared/affinity/endpoint-slice sync on a Service that is not global. Throws one `Error` listing
 * every problem, separated by `; `.
 */
export function validateCiliumAnnotations(annotations: { [key: string]: string } | undefined, where: string): void {
  const problems = ciliumAnnotationProblems(annotations, where);
  if (problems.length > 0) throw new Error(problems.join('; '));
}

function needsGlobal(where: string, key: string): string {
  return `${where}: annotation "${key}" only takes effect on a global service; add "${CiliumAnnotation.GLOBAL}": "true"`;
}
