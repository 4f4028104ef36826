/** YAML parsing with the source span of every value (js-yaml node events), for faults with file:line:column. */
import { CORE_SCHEMA, load, YAMLException } from 'js-yaml';

/** Where a value of a YAML document was written. */
export interface Span {
  /** Offset of the first character of the value (its key's, for `keys`). */
  readonly start: number;
  /** Offset just after the value. */
  readonly end: number;
}

/** A parsed YAML document with the source span of every value, by path (`clusters[2].id`). */
export interface YamlSource {
  /** The document as plain JavaScript values (YAML 1.2 core schema: no dates, no merge keys). */
  readonly value: unknown;
  /** Span of each value. */
  readonly values: ReadonlyMap<string, Span>;
  /** Span of each mapping key. */
  readonly keys: ReadonlyMap<string, Span>;
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

interface Frame {
  readonly start: number;
  end: number;
  kind: string | null;
  result: unknown;
  readonly children: Frame[];
}

/**
 * Parses one YAML document with js-yaml (an order of magnitude faster than a full CST parser on large
 * files) and records where each value was written, from js-yaml's node open/close events.
 * @throws YamlSyntaxError
 */
export function parseYamlSource(text: string, joinPath: (path: string, key: string) => string): YamlSource {
  const root: Frame = { start: 0, end: 0, kind: null, result: undefined, children: [] };
  const stack: Frame[] = [root];
  let aliases = 0;
  let value: unknown;
  try {
    value = load(text, {
      schema: CORE_SCHEMA,
      json: false,
      listener(event, state) {
        if (event === 'open') {
          const frame: Frame = { start: state.position, end: state.position, kind: null, result: undefined, children: [] };
          stack[stack.length - 1].children.push(frame);
          stack.push(frame);
        } else {
          const frame = stack.pop()!;
          frame.end = state.position;
          frame.kind = state.kind;
          frame.result = state.result;
          if (text.charCodeAt(skipBlank(text, frame.start)) === 42 /* * */ && ++aliases > MAX_ALIASES) {
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
  const values = new Map<string, Span>();
  const keys = new Map<string, Span>();
  const top = root.children.length > 0 ? unwrap(root.children[0]) : undefined;
  if (top) index(text, top, '', values, keys, joinPath);
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  return {
    value,
    values,
    keys,
    position(offset) {
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

/** js-yaml nests a frame in another for some nodes; the inner one is the node. */
function unwrap(frame: Frame): Frame {
  let f = frame;
  while (f.children.length === 1 && f.children[0].result === f.result && f.children[0].kind === f.kind) f = f.children[0];
  return f;
}

/** Records spans, iteratively (any depth), for mappings whose frames pair up with their keys. */
function index(text: string, top: Frame, topPath: string, values: Map<string, Span>, keys: Map<string, Span>, joinPath: (p: string, k: string) => string): void {
  const work: Array<[Frame, string]> = [[top, topPath]];
  while (work.length > 0) {
    const [frame, path] = work.pop()!;
    values.set(path, { start: skipBlank(text, frame.start), end: frame.end });
    const kids = frame.children.map(unwrap);
    if (frame.kind === 'mapping' && frame.result !== null && typeof frame.result === 'object') {
      if (kids.length !== 2 * Object.keys(frame.result).length) continue;
      for (let i = 0; i + 1 < kids.length; i += 2) {
        const child = joinPath(path, String(kids[i].result));
        keys.set(child, { start: skipBlank(text, kids[i].start), end: kids[i].end });
        work.push([kids[i + 1], child]);
      }
    } else if (frame.kind === 'sequence' && Array.isArray(frame.result)) {
      if (kids.length !== frame.result.length) continue;
      kids.forEach((k, i) => work.push([k, `${path}[${i}]`]));
    }
  }
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
