/** IPv4 CIDR arithmetic: parsing (ipaddr.js), overlap, and finding every overlap in a set. */
import * as ipaddr from 'ipaddr.js';

/** A parsed IPv4 CIDR. */
export interface Cidr {
  /** The CIDR as written. */
  readonly text: string;
  /** First address as an unsigned 32-bit integer. */
  readonly first: number;
  /** Last address as an unsigned 32-bit integer. */
  readonly last: number;
}

/** Parses an IPv4 CIDR (`10.1.0.0/16`, with ipaddr.js); returns the reason when it is not one. */
export function parseCidr(text: string): Cidr | string {
  const shape = 'must be an IPv4 CIDR such as "10.1.0.0/16"';
  if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(text)) return shape;
  const plain = plainCidr(text);
  if (plain) return plain;
  if (!ipaddr.IPv4.isValidCIDR(text)) return shape;
  const [address, bits] = ipaddr.IPv4.parseCIDR(text);
  const network = ipaddr.IPv4.networkAddressFromCIDR(text);
  if (network.toString() !== address.toString()) return `has host bits set (the network address of a /${bits} here is ${network.toString()})`;
  const first = toInt(network);
  return { text, first, last: toInt(ipaddr.IPv4.broadcastAddressFromCIDR(text)) };
}

/**
 * The common case without ipaddr.js (which costs ~50 us a call, 50 ms at 1,000 clusters): decimal
 * octets without leading zeros (ipaddr.js reads `010` as octal, so those go through it), each at most
 * 255, a prefix of at most 32 and no host bits. Anything else is left to ipaddr.js, whose answer it is.
 */
function plainCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const parts = text.slice(0, slash).split('.');
  const bits = Number(text.slice(slash + 1));
  if (bits > 32 || parts.some((p) => p.length > 1 && p.startsWith('0')) || /^0\d/.test(text.slice(slash + 1))) return undefined;
  let first = 0;
  for (const p of parts) {
    const o = Number(p);
    if (o > 255) return undefined;
    first = first * 256 + o;
  }
  const size = 2 ** (32 - bits);
  if (first % size !== 0) return undefined;
  return { text, first, last: first + size - 1 };
}

function toInt(a: ipaddr.IPv4): number {
  return a.octets.reduce((n, o) => n * 256 + o, 0);
}

/** True when two CIDRs share an address. */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return a.first <= b.last && b.first <= a.last;
}

/**
 * Every item whose CIDR overlaps that of an item before it, with the first such item, in input
 * order. CIDR blocks either nest or are disjoint, so after sorting by start (larger first) the blocks containing the current one form a stack; the earliest cluster among a
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

/** The smallest IPv4 CIDR that holds every one of `cidrs` (e.g. 10.0.0.0/12 for 10.1.0.0/16 and 10.8.0.0/16). */
export function coveringCidr(cidrs: readonly Cidr[]): { text: string; prefix: number } {
  const first = Math.min(...cidrs.map((c) => c.first));
  const last = Math.max(...cidrs.map((c) => c.last));
  let prefix = 32;
  while (prefix > 0 && (first >>> (32 - prefix)) !== (last >>> (32 - prefix))) prefix--;
  const base = prefix === 0 ? 0 : (first >>> (32 - prefix)) * 2 ** (32 - prefix);
  const text = `${[24, 16, 8, 0].map((s) => Math.floor(base / 2 ** s) % 256).join('.')}/${prefix}`;
  return { text, prefix };
}
