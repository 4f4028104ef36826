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

const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why `name` is not a DNS-1123 subdomain (Kubernetes object names), or undefined. */
export function dnsSubdomainProblem(name: string): string | undefined {
  if (name.length === 0) return 'must not be empty';
  if (name.length > 253) return `is ${name.length} characters long; at most 253 are allowed`;
  if (!DNS_SUBDOMAIN.test(name)) return 'must consist of lowercase letters, digits, "-" and ".", and start and end with a letter or digit';
  return undefined;
}

/**
 * Why `key` is not a Kubernetes label or annotation key (`[prefix/]name`: the prefix a DNS
 * subdomain, the name at most 63 characters of letters, digits, `-`, `_`, `.`), or undefined.
 */
export function qualifiedNameProblem(key: string): string | undefined {
  if (key.length === 0) return 'must not be empty';
  const slash = key.lastIndexOf('/');
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (slash >= 0) {
    const prefix = key.slice(0, slash);
    if (prefix.length === 0 || dnsSubdomainProblem(prefix)) return `has an invalid prefix "${prefix}" (a DNS subdomain such as "example.com")`;
  }
  if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME.test(name)) {
    return 'must be [prefix/]name, the name at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit';
  }
  return undefined;
}

/** Why `value` is not a Kubernetes label value (at most 63 characters, may be empty), or undefined. */
export function labelValueProblem(value: string): string | undefined {
  if (value.length > 63) return `is ${value.length} characters long; a label value has at most 63`;
  if (value.length > 0 && !QUALIFIED_NAME.test(value)) return 'must consist of letters, digits, "-", "_" and ".", and start and end with a letter or digit';
  return undefined;
}

/** Kubernetes' limit on the total size of an object's annotations (keys and values), in bytes. */
export const MAX_ANNOTATIONS_BYTES = 256 * 1024;

/** Why an annotation map is too large for Kubernetes, or undefined. */
export function annotationsSizeProblem(annotations: Readonly<Record<string, string>>): string | undefined {
  let size = 0;
  for (const [k, v] of Object.entries(annotations)) size += Buffer.byteLength(k) + Buffer.byteLength(v);
  return size > MAX_ANNOTATIONS_BYTES ? `total ${size} bytes; Kubernetes allows at most ${MAX_ANNOTATIONS_BYTES}` : undefined;
}

/** Longest Plural tag value meshfleet accepts (Plural documents no limit; tags are short labels). */
export const MAX_TAG_VALUE = 255;

/** Why `key` is not a usable Plural tag key (a label name: 1..63 letters, digits, `-`, `_`, `.`), or undefined. */
export function tagKeyProblem(key: string): string | undefined {
  if (key.length === 0) return 'must not be empty';
  if (key.length > 63 || !QUALIFIED_NAME.test(key)) return 'must be 1..63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit';
  return undefined;
}

/** Why `value` is not a usable Plural tag value (at most 255 printable characters, no line breaks), or undefined. */
export function tagValueProblem(value: string): string | undefined {
  if (value.length > MAX_TAG_VALUE) return `is ${value.length} characters long; at most ${MAX_TAG_VALUE} are allowed`;
  if (/[\r\n\t]/.test(value)) return 'must not contain line breaks or tabs';
  return undefined;
}

/** Why `ref` is not a Git branch, tag or commit name (`git check-ref-format` rules), or undefined. */
export function gitRefProblem(ref: string): string | undefined {
  if (ref.length === 0) return 'must not be empty';
  if (ref.length > 255) return `is ${ref.length} characters long; at most 255 are allowed`;
  if (/[\s~^:?*[\\]|\.\.|@\{|\/\/|^[-/.]|[/.]$|\.lock$|\/\./.test(ref) || ref === '@') {
    return 'is not a valid git ref (no spaces, "..", "~^:?*[\\", "@{", and no leading "-", "/" or ".")';
  }
  return undefined;
}

/** Why `p` is not a relative path inside a repository (no `..`, no leading `/`, plain characters), or undefined. */
export function repoPathProblem(p: string): string | undefined {
  if (p.length === 0) return 'must not be empty';
  if (p.startsWith('/') || p.split('/').some((s) => s === '..' || s === '.' || s === '')) return 'must be a path relative to the repository root, without "..", "." or empty segments';
  if (!/^[A-Za-z0-9._\-/]+$/.test(p)) return 'must consist of letters, digits, ".", "_", "-" and "/"';
  return undefined;
}

/**
 * Every item whose CIDR overlaps that of an item before it, with the first such item, in input order. CIDR blocks either nest or are disjoint, so after sorting by start
 * (larger first) the blocks containing the current one form a stack; the earliest cluster among a
 * block's containers and among its contents is tracked on it. O(n log n).
 */
export function cidrClashes<T extends { readonly cidr: Cidr }>(pool: readonly T[]): Array<T & { with: T }> {
  type Entry = { x: T; order: number; earliestAbove?: { x: T; order: number }; earliestBelow?: { x: T; order: number } };
  const sorted = pool.map((x, order) => ({ x, order }))
    .sort((a, b) => a.x.cidr.first - b.x.cidr.first || b.x.cidr.last - a.x.cidr.last || a.order - b.order);
  const found = new Map<number, T & { with: T }>();
  const report = (e: { x: T; order: number }, other: { x: T; order: number } | undefined) => {
    if (other && other.order < e.order && !found.has(e.order)) found.set(e.order, { ...e.x, with: other.x });
  };
  const earlier = <T extends { order: number }>(a: T | undefined, b: T | undefined) => (!a ? b : !b ? a : a.order < b.order ? a : b);
  const stack: Entry[] = [];
  const pop = () => {
    const e = stack.pop()!;
    report(e, e.earliestBelow);
    const parent = stack[stack.length - 1];
    if (parent) parent.earliestBelow = earlier(parent.earliestBelow, earlier(e, e.earliestBelow));
  };
  for (const cur of sorted) {
    while (stack.length > 0 && stack[stack.length - 1].x.cidr.last < cur.x.cidr.first) pop();
    const top = stack[stack.length - 1];
    const entry: Entry = { ...cur, earliestAbove: top ? earlier(top.earliestAbove, top) : undefined };
    report(entry, entry.earliestAbove);
    stack.push(entry);
  }
  while (stack.length > 0) pop();
  return [...found.entries()].sort(([a], [b]) => a - b).map(([, v]) => v);
}
