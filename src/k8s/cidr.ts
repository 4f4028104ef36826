/** IPv4 CIDR arithmetic: parsing, overlap, and finding every overlap in a set. */

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
