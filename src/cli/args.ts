/** The `meshfleet` command line: one parser for every subcommand (over Node's `util.parseArgs`), and its usage errors. */
import { parseArgs as nodeParseArgs } from 'node:util';

/** A command-line mistake: printed with the command's usage (or alone, when `brief`), exit 2. */
export class UsageError extends Error {
  /** When set, the message alone is printed (no usage text). */
  public brief = false;
}

/** The options a subcommand takes: flags with a value, boolean switches, and how many positionals. */
export interface ArgSpec {
  /** `--name VALUE` (also `--name=VALUE`), with defaults. */
  readonly values?: Readonly<Record<string, string | undefined>>;
  /** `--name` switches. */
  readonly switches?: readonly string[];
  /** At most this many positional arguments. @default 0 */
  readonly positionals?: number;
}

/** Parsed arguments. */
export interface ParsedArgs {
  /** Every `--name VALUE` option, defaults filled in. */
  readonly values: Record<string, string | undefined>;
  /** The switches given. */
  readonly switches: Set<string>;
  /** The positional arguments, in order. */
  readonly positionals: string[];
  /** Whether `--help` (or `-h`) was given. */
  readonly help: boolean;
}

/**
 * Parses `argv` by `spec` with Node's own `util.parseArgs` (its tokens), then applies meshfleet's rules:
 * a value option needs a value that is not another option and not empty, a switch takes no value, at most
 * `spec.positionals` positionals, and anything else is a usage error naming the argument.
 */
export function parseArgs(argv: readonly string[], spec: ArgSpec): ParsedArgs {
  const values: Record<string, string | undefined> = { ...(spec.values ?? {}) };
  const switches = new Set<string>();
  const positionals: string[] = [];
  const known = new Set(Object.keys(spec.values ?? {}));
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const k of known) options[k] = { type: 'string' };
  for (const k of spec.switches ?? []) options[k] = { type: 'boolean' };
  const { tokens } = nodeParseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  for (const t of tokens) {
    const raw = argv[t.index];
    if (t.kind === 'positional') {
      if (positionals.length >= (spec.positionals ?? 0)) throw new UsageError(`unknown argument "${raw}"`);
      positionals.push(t.value);
    } else if (t.kind === 'option-terminator') {
      throw new UsageError(`unknown argument "${raw}"`);
    } else if (t.name === 'help' && !t.inlineValue) {
      return { values, switches, positionals, help: true };
    } else if (known.has(t.name) && t.rawName.startsWith('--')) {
      const v = t.value;
      if (v === undefined || (!t.inlineValue && v.startsWith('--'))) throw new UsageError(`--${t.name} needs a value`);
      if (v.trim().length === 0) throw Object.assign(new UsageError(`--${t.name} needs a non-empty value; nothing was written`), { brief: true });
      values[t.name] = v;
    } else if ((spec.switches ?? []).includes(t.name) && t.rawName.startsWith('--') && !t.inlineValue) {
      switches.add(t.name);
    } else {
      throw new UsageError(`unknown argument "${raw}"`);
    }
  }
  return { values, switches, positionals, help: false };
}
