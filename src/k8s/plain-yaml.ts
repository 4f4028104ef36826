/**
 * YAML text for plain data without building a `yaml` document tree per object: the block layout
 * (`key: value`, `- item`, two-space indent, sequences indented under their key) is written here, and
 * every scalar and key is written by the `yaml` library itself, once per distinct value. Anything this
 * path does not cover returns `undefined`, and the caller falls back to `yaml`'s own `stringify`, so the
 * text is byte-identical either way (the tests compare both on every synthesized object).
 */
import { stringify, ToStringOptions, CreateNodeOptions, DocumentOptions, SchemaOptions } from 'yaml';

/** The options of one `yaml.stringify` call this module stands in for. */
export type YamlOptions = DocumentOptions & SchemaOptions & CreateNodeOptions & ToStringOptions;

/** What a value that is not plain data (a custom tag's object) is written as, or `undefined` when unknown. */
export type ScalarHook = (value: object) => string | undefined;

/** A key or scalar longer than this goes through `yaml` (a long key becomes an explicit `? ` key). */
const MAX_SCALAR = 1000;
const NOT_PLAIN = Symbol('not plain');
const DOCUMENT_MARKER = /^(---|\.\.\.)/;

/** Emits YAML for one options set, caching the text of each scalar and key it has seen. */
export class PlainYamlWriter {
  private readonly scalars = new Map<unknown, string | null>();
  private readonly keys = new Map<string, string | null>();

  /**
   * @param options the options `yaml.stringify` would be called with (they decide the scalars' text)
   * @param dropUndefined leave out `undefined` map values and sequence items (otherwise such a value falls back)
   * @param hook writes a non-plain object (a verbatim scalar), or `undefined` to fall back
   */
  constructor(private readonly options: YamlOptions, private readonly dropUndefined: boolean, private readonly hook?: ScalarHook) {}

  /** The document's text as `yaml.stringify(value, options)` writes it, or `undefined` when this path does not cover it. */
  public write(value: unknown): string | undefined {
    if (!isMap(value)) return undefined;
    const lines: string[] = [];
    const seen = new Set<object>();
    try {
      this.enter(value, seen);
      if (!this.map(value, '', lines, seen)) return '{}\n';
    } catch (e) {
      if (e === NOT_PLAIN) return undefined;
      throw e;
    }
    return lines.join('\n') + '\n';
  }

  /** Appends a non-empty map's lines; false when it has no entries (it is then written `{}` by the caller). */
  private map(value: Record<string, unknown>, indent: string, lines: string[], seen: Set<object>): boolean {
    let any = false;
    for (const key of Object.keys(value)) {
      const v = value[key];
      if (v === undefined) {
        if (this.dropUndefined) continue;
        throw NOT_PLAIN;
      }
      any = true;
      const head = `${indent}${this.key(key)}:`;
      this.entry(v, head, ' ', indent + '  ', lines, seen, false);
    }
    return any;
  }

  /** Appends a non-empty sequence's lines; false when it has no items. */
  private seq(value: readonly unknown[], indent: string, lines: string[], seen: Set<object>): boolean {
    let any = false;
    for (const v of value) {
      if (v === undefined) {
        if (this.dropUndefined) continue;
        throw NOT_PLAIN;
      }
      any = true;
      this.entry(v, `${indent}-`, ' ', indent + '  ', lines, seen, true);
    }
    return any;
  }

  /** One map entry or sequence item: `head` is `key:` or `-`. */
  private entry(v: unknown, head: string, sep: string, inner: string, lines: string[], seen: Set<object>, inSeq: boolean): void {
    const custom = v !== null && typeof v === 'object' && this.hook ? this.hook(v) : undefined;
    if (custom !== undefined) {
      if (custom.includes('\n')) throw NOT_PLAIN;
      lines.push(`${head}${sep}${custom}`);
      return;
    }
    if (Array.isArray(v) || isMap(v)) this.enter(v, seen);
    if (Array.isArray(v)) {
      if (v.length === 0) {
        lines.push(`${head}${sep}[]`);
        return;
      }
      // A sequence directly in a sequence (`- - a`) is left to `yaml`.
      if (inSeq) throw NOT_PLAIN;
      lines.push(head);
      if (!this.seq(v, inner, lines, seen)) lines[lines.length - 1] = `${head}${sep}[]`;
      return;
    }
    if (isMap(v)) {
      const at = lines.length;
      if (inSeq) {
        // `- key: value`: the map's first line shares the dash's line.
        if (!this.map(v, inner, lines, seen)) {
          lines.push(`${head}${sep}{}`);
          return;
        }
        lines[at] = `${head}${sep}${lines[at].slice(inner.length)}`;
        return;
      }
      lines.push(head);
      if (!this.map(v, inner, lines, seen)) lines[at] = `${head}${sep}{}`;
      return;
    }
    lines.push(`${head}${sep}${this.scalar(v)}`);
  }

  /** `yaml` writes an object seen twice in one document as an anchor and alias: left to it. */
  private enter(value: object, seen: Set<object>): void {
    if (this.options.aliasDuplicateObjects !== false) {
      if (seen.has(value)) throw NOT_PLAIN;
      seen.add(value);
    }
  }

  private scalar(v: unknown): string {
    // A Map's keys compare -0 equal to 0: yaml writes them differently.
    if ((v !== null && typeof v === 'object') || Object.is(v, -0)) throw NOT_PLAIN;
    let text = this.scalars.get(v);
    if (text === undefined) {
      text = scalarText(v, this.options);
      this.scalars.set(v, text);
    }
    if (text === null) throw NOT_PLAIN;
    return text;
  }

  private key(k: string): string {
    if (k.length <= MAX_SCALAR && PLAIN_WORD.test(k) && !MAYBE_TYPED.test(k)) return k;
    let text = this.keys.get(k);
    if (text === undefined) {
      text = null;
      // A key starting with a document marker is quoted at some depths only: left to yaml.
      if (k.length <= MAX_SCALAR && !k.includes('\n') && !k.includes('\r') && !DOCUMENT_MARKER.test(k)) {
        const doc = stringify({ [k]: null }, this.options);
        if (doc.endsWith(': null\n') && !doc.startsWith('?') && !doc.slice(0, -1).includes('\n')) text = doc.slice(0, -': null\n'.length);
      }
      this.keys.set(k, text);
    }
    if (text === null) throw NOT_PLAIN;
    return text;
  }
}

/**
 * A scalar's text as `yaml` writes it as a map value, or null when it may depend on where it stands
 * (a line break, a document marker, a long string, a non-finite or non-integer number).
 */
function scalarText(v: unknown, options: YamlOptions): string | null {
  if (typeof v === 'string') {
    if (PLAIN_WORD.test(v) && !MAYBE_TYPED.test(v)) return v;
    if (v.length > MAX_SCALAR || v.includes('\n') || v.includes('\r') || DOCUMENT_MARKER.test(v)) return null;
  } else if (typeof v === 'number') {
    if (!Number.isSafeInteger(v) || Object.is(v, -0)) return null;
  } else if (typeof v !== 'boolean' && v !== null) {
    return null;
  }
  const doc = stringify(v, options);
  return doc.endsWith('\n') && !doc.slice(0, -1).includes('\n') ? doc.slice(0, -1) : null;
}

/**
 * A string `yaml` writes as it is in both schema versions: it starts with a letter (no indicator, number,
 * timestamp or `.inf`) and holds no space, colon or `#`. The words a schema reads as a boolean or null
 * (in any case, a superset of both versions' lists) go through `yaml` instead.
 */
const PLAIN_WORD = /^[A-Za-z][A-Za-z0-9._/-]*$/;
const MAYBE_TYPED = /^(?:y|n|yes|no|true|false|on|off|null)$/i;

function isMap(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}
