/**
 * YAML parsing with the source span of every value (js-yaml node events), for faults with file:line:column.
 * js-yaml, not `yaml` (which meshfleet uses to write): on a 10 MB fleet, `yaml`'s parseDocument took 8.6 s
 * and 255 MB here against 1.0 s and 79 MB for this, and fleet.yaml is untrusted input whose cost must stay low.
 * At 1,000 clusters (136 KB): parseDocument 226 ms, `yaml`'s CST parser alone 152 ms, js-yaml 41 ms, of a
 * whole synth of about 0.8 s.
 */
import { CORE_SCHEMA, load, YAMLException } from 'js-yaml';

/** Where a value of a YAML document was written. */
export interface Span {
  /** Offset of the first character of the value (its key's, for `keys`). */
  readonly start: number;
  /** Offset just after the value. */
  readonly end: number;
}

/** A lookup of spans by path, computed on demand. */
export interface SpanIndex {
  /** The span at this path, or undefined when the document has no value there. */
  get(path: string): Span | undefined;
}

/** A parsed YAML document with the source span of every value, by path (`clusters[2].id`). */
export interface YamlSource {
  /** The document as plain JavaScript values (YAML 1.2 core schema: no dates, no merge keys). */
  readonly value: unknown;
  /** Span of each value. */
  readonly values: SpanIndex;
  /** Span of each mapping key. */
  readonly keys: SpanIndex;
  /** `line:column` (1-based) of an offset. */
  position(offset: number): { line: number; col: number };
}

/** Thrown for a YAML syntax error, with where it is. */
export class YamlSyntaxError extends Error {
  constructor(message: string, public readonly line: number, public readonly col: number) {
    super(message);
    this.name = 'YamlSyntaxError';
  }
}

/** At most this many aliases (`*name`) in one document: each may stand for a large subtree. */
export const MAX_ALIASES = 100;

const KIND_CODES: Record<string, number> = { scalar: 1, mapping: 2, sequence: 3 };

/**
 * The nodes js-yaml reported, in flat typed arrays (about 25 bytes a node, instead of an object with a
 * children array): start and end offsets, kind, the parsed value, and the tree as parent / first child /
 * next sibling links. A fleet of 100,000 clusters is some 1.5 million nodes.
 */
class Nodes {
  public size = 0;
  public start = new Int32Array(1024);
  public end = new Int32Array(1024);
  public first = new Int32Array(1024);
  public last = new Int32Array(1024);
  public next = new Int32Array(1024);
  public count = new Int32Array(1024);
  public kind = new Uint8Array(1024);
  public readonly result: unknown[] = [];

  /** A new node under `parent` (-1 for the root), starting at `start`. */
  public add(start: number, parent: number): number {
    if (this.size === this.start.length) this.grow();
    const id = this.size++;
    this.start[id] = start;
    this.end[id] = start;
    this.first[id] = -1;
    this.last[id] = -1;
    this.next[id] = -1;
    this.count[id] = 0;
    if (parent >= 0) {
      if (this.last[parent] < 0) this.first[parent] = id;
      else this.next[this.last[parent]] = id;
      this.last[parent] = id;
      this.count[parent]++;
    }
    return id;
  }

  private grow(): void {
    const n = this.start.length * 2;
    const bigger = <T extends Int32Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      b.set(a);
      return b;
    };
    this.start = bigger(this.start);
    this.end = bigger(this.end);
    this.first = bigger(this.first);
    this.last = bigger(this.last);
    this.next = bigger(this.next);
    this.count = bigger(this.count);
    this.kind = bigger(this.kind);
  }

  /** js-yaml nests a node in another for some values; the innermost is the value's node. */
  public unwrap(id: number): number {
    let f = id;
    while (this.count[f] === 1 && this.result[this.first[f]] === this.result[f] && this.kind[this.first[f]] === this.kind[f]) f = this.first[f];
    return f;
  }

  private readonly index = new Map<number, Int32Array>();

  /** The i-th child of a node (not unwrapped), through an index built on the first look into a long list. */
  public nth(id: number, i: number): number {
    if (this.count[id] <= 16) {
      let c = this.first[id];
      for (let k = i; k > 0; k--) c = this.next[c];
      return c;
    }
    let idx = this.index.get(id);
    if (!idx) {
      idx = new Int32Array(this.count[id]);
      let k = 0;
      for (let c = this.first[id]; c >= 0; c = this.next[c]) idx[k++] = c;
      this.index.set(id, idx);
    }
    return idx[i];
  }

  /** The (unwrapped) children of a node. */
  public children(id: number): number[] {
    const out: number[] = [];
    for (let c = this.first[id]; c >= 0; c = this.next[c]) out.push(this.unwrap(c));
    return out;
  }
}

/**
 * Parses one YAML document with js-yaml (an order of magnitude faster than a full CST parser on large
 * files) and records where each node was written, from js-yaml's node open/close events. Spans are
 * looked up by path on demand (`values.get`, `keys.get`): only the paths a fault names are ever built,
 * so memory stays a small multiple of the text's size.
 * @throws YamlSyntaxError
 */
export function parseYamlSource(text: string, joinPath: (path: string, key: string) => string): YamlSource {
  const nodes = new Nodes();
  const root = nodes.add(0, -1);
  const stack: number[] = [root];
  let aliases = 0;
  let value: unknown;
  try {
    value = load(text, {
      schema: CORE_SCHEMA,
      json: false,
      listener(event, state) {
        if (event === 'open') {
          stack.push(nodes.add(state.position, stack[stack.length - 1]));
        } else {
          const id = stack.pop()!;
          nodes.end[id] = state.position;
          nodes.kind[id] = KIND_CODES[state.kind as string] ?? 0;
          nodes.result[id] = state.result;
          if (text.charCodeAt(skipBlank(text, nodes.start[id])) === 42 /* * */ && ++aliases > MAX_ALIASES) {
            throw new YAMLException(`more than ${MAX_ALIASES} aliases; write the values out`, { line: state.line, column: state.position - state.lineStart } as never);
          }
        }
      },
    });
  } catch (e) {
    if (e instanceof YAMLException) {
      const mark = e.mark as { line?: number; column?: number } | undefined;
      throw new YamlSyntaxError(e.reason ?? e.message, (mark?.line ?? 0) + 1, (mark?.column ?? 0) + 1);
    }
    throw e;
  }
  const top = nodes.first[root] >= 0 ? nodes.unwrap(nodes.first[root]) : -1;
  const span = (id: number): Span => ({ start: skipBlank(text, nodes.start[id]), end: nodes.end[id] });
  const index = new Map<number, Map<string, [number, number]> | null>();
  const lookup = (target: string): { value: number; key: number } | undefined => (top < 0 ? undefined : find(nodes, top, target, joinPath, index));
  let lineStarts: number[] | undefined;
  return {
    value,
    values: { get: (p) => { const f = lookup(p); return f ? span(f.value) : undefined; } },
    keys: { get: (p) => { const f = lookup(p); return f && f.key >= 0 ? span(f.key) : undefined; } },
    position(offset) {
      if (!lineStarts) {
        lineStarts = [0];
        for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
      }
      let lo = 0;
      let hi = lineStarts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (lineStarts[mid] <= offset) lo = mid;
        else hi = mid - 1;
      }
      return { line: lo + 1, col: offset - lineStarts[lo] + 1 };
    },
  };
}

/**
 * The node at `target` (and its key's node, or -1), walking down from `top`: through mappings whose
 * nodes pair up with their keys (a key whose joined path is `target`, or a prefix of it ending at a "."
 * or "[", is followed; keys may hold dots, so every such prefix is tried) and sequences whose nodes
 * match their items. Each mapping's keys are indexed by joined path on the first look into it, so a
 * lookup costs the depth of the path, not the size of the mappings on the way.
 */
function find(nodes: Nodes, top: number, target: string, joinPath: (p: string, k: string) => string,
  index: Map<number, Map<string, [number, number]> | null>): { value: number; key: number } | undefined {
  const work: Array<[number, string, number]> = [[top, '', -1]];
  while (work.length > 0) {
    const [id, path, key] = work.pop()!;
    if (path === target) return { value: id, key };
    const result = nodes.result[id];
    if (nodes.kind[id] === 2 && result !== null && typeof result === 'object') {
      let keys = index.get(id);
      if (keys === undefined) {
        keys = null;
        if (nodes.count[id] === 2 * Object.keys(result).length) {
          keys = new Map();
          const kids = nodes.children(id);
          for (let i = 0; i + 1 < kids.length; i += 2) keys.set(joinPath(path, String(nodes.result[kids[i]])), [kids[i], kids[i + 1]]);
        }
        index.set(id, keys);
      }
      if (keys === null) continue;
      // Every prefix of the target that ends where a key's path could (before a "." or "[", or at its end).
      for (let end = path.length + 1; end <= target.length; end++) {
        const c = target.charCodeAt(end);
        if (end !== target.length && c !== 46 /* . */ && c !== 91 /* [ */) continue;
        const hit = keys.get(target.slice(0, end));
        if (hit) work.push([hit[1], target.slice(0, end), hit[0]]);
      }
    } else if (nodes.kind[id] === 3 && Array.isArray(result)) {
      if (nodes.count[id] !== result.length) continue;
      const m = /^\[(\d+)\]/.exec(target.slice(path.length));
      if (!m || Number(m[1]) >= result.length) continue;
      work.push([nodes.unwrap(nodes.nth(id, Number(m[1]))), `${path}[${m[1]}]`, -1]);
    }
  }
  return undefined;
}

/** The offset of the first character at or after `i` that is not a space, a line break, a comment, `:` or `-`-indicator. */
function skipBlank(text: string, i: number): number {
  let p = i;
  for (;;) {
    const c = text.charCodeAt(p);
    if (c === 32 || c === 9 || c === 10 || c === 13) p++;
    else if (c === 35 /* # */) {
      const nl = text.indexOf('\n', p);
      if (nl < 0) return text.length;
      p = nl + 1;
    } else return p;
  }
}
