/**
 * The naming and numbering rules of Cilium, Kubernetes and DNS that a fleet must follow.
 * Each returns `undefined` when the value is fine, or the reason it is not.
 */

/** Cilium's cluster name pattern (`pkg/clustermesh/types`, chart `validate.yaml`). */
export const CILIUM_CLUSTER_NAME = /^([a-z0-9][-a-z0-9]*)?[a-z0-9]$/;
/** Longest Cilium cluster name. */
export const CILIUM_CLUSTER_NAME_MAX = 32;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const REGION = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Why `name` is not a valid Cilium cluster name. */
export function clusterNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'must not be empty';
  if (name.length > CILIUM_CLUSTER_NAME_MAX) return `is ${name.length} characters long; Cilium allows at most ${CILIUM_CLUSTER_NAME_MAX}`;
  if (!CILIUM_CLUSTER_NAME.test(name)) return 'must consist of lowercase letters, digits and "-", and start and end with a letter or digit';
  if (name === 'default') return 'must not be "default" (Cilium rejects it for a cluster with a non-zero id)';
  return undefined;
}

/** Why `name` is not a DNS-1123 label (fleet and tier names end up in object names and tags). */
export function dnsLabelProblem(name: string): string | undefined {
  if (name.length === 0) return 'must not be empty';
  if (name.length > 63) return `is ${name.length} characters long; at most 63 are allowed`;
  if (!DNS_LABEL.test(name)) return 'must consist of lowercase letters, digits and "-", and start and end with a letter or digit';
  return undefined;
}

/** Why `zone` is not a valid DNS zone name (lowercase, at least two labels, <= 253 characters). */
export function dnsZoneProblem(zone: string): string | undefined {
  if (zone.length === 0) return 'must not be empty';
  if (zone.endsWith('.')) return 'must not end with "."';
  if (zone.length > 253) return `is ${zone.length} characters long; a DNS name has at most 253`;
  const labels = zone.split('.');
  if (labels.length < 2) return 'must have at least two labels (e.g. "dev.example.com")';
  for (const label of labels) {
    if (dnsLabelProblem(label) !== undefined) {
      return `has an invalid label "${label}" (lowercase letters, digits and "-", 1..63 characters, not starting or ending with "-")`;
    }
  }
  return undefined;
}

/** Why `region` is not a plausible cloud region name (`us-west-2`, `europe-west1`, `eastus`). */
export function regionProblem(region: string): string | undefined {
  if (region.length === 0) return 'must not be empty';
  if (region.length > 63 || !REGION.test(region)) return 'must consist of lowercase letters, digits and "-" (e.g. "us-west-2")';
  return undefined;
}

/** An inclusive range of usable cluster ids. */
export interface IdRange {
  /** First usable id. */
  readonly min: number;
  /** Last usable id. */
  readonly max: number;
}

/**
 * The cluster ids usable with a given `maxConnectedClusters` and IPAM/CNI mode.
 * With ENI IPAM or aws-cni chaining ids 128-255 (and 384-511) fail (cilium/cilium#21330).
 */
export function usableIdRanges(maxConnectedClusters: number, restrictedIds: boolean): IdRange[] {
  if (!restrictedIds) return [{ min: 1, max: maxConnectedClusters }];
  return maxConnectedClusters === 511 ? [{ min: 1, max: 127 }, { min: 256, max: 383 }] : [{ min: 1, max: 127 }];
}

/** Formats id ranges as `1..127` or `1..127 or 256..383`. */
export function formatRanges(ranges: readonly IdRange[]): string {
  return ranges.map((r) => `${r.min}..${r.max}`).join(' or ');
}

/** A parsed IPv4 CIDR. */
export interface Cidr {
  /** The CIDR as written. */
  readonly text: string;
  /** First address as an unsigned 32-bit integer. */
  readonly first: number;
  /** Last address as an unsigned 32-bit integer. */
  readonly last: number;
}

/** Parses an IPv4 CIDR (`10.1.0.0/16`); returns the reason when it is not one. */
export function parseCidr(text: string): Cidr | string {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
  if (!m) return 'must be an IPv4 CIDR such as "10.1.0.0/16"';
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  if (octets.some((o) => o > 255) || bits > 32) return 'must be an IPv4 CIDR such as "10.1.0.0/16"';
  const addr = ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
  const size = 2 ** (32 - bits);
  if (addr % size !== 0) return `has host bits set (the network address of a /${bits} here is ${intToIp(addr - (addr % size))})`;
  return { text, first: addr, last: addr + size - 1 };
}

function intToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
}

/** True when two CIDRs share an address. */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return a.first <= b.last && b.first <= a.last;
}
