/** The `meshfleet` command line: one small parser for every subcommand, and its usage errors. */

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

/** Parses `argv` by `spec`; throws `UsageError` on anything else. Values may not be empty. */
export function parseArgs(argv: readonly string[], spec: ArgSpec): ParsedArgs {
  const values: Record<string, string | undefined> = { ...(spec.values ?? {}) };
  const switches = new Set<string>();
  const positionals: string[] = [];
  const known = new Set(Object.keys(spec.values ?? {}));
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') return { values, switches, positionals, help: true };
    const eq = /^--([^=]+)=(.*)$/s.exec(a);
    const name = eq ? eq[1] : a.startsWith('--') ? a.slice(2) : undefined;
    if (name !== undefined && known.has(name)) {
      const v = eq ? eq[2] : argv[++i];
      if (v === undefined || (!eq && v.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
      if (v.trim().length === 0) throw Object.assign(new UsageError(`--${name} needs a non-empty value; nothing was written`), { brief: true });
      values[name] = v;
    } else if (name !== undefined && !eq && (spec.switches ?? []).includes(name)) {
      switches.add(name);
    } else if (name === undefined && positionals.length < (spec.positionals ?? 0)) {
      positionals.push(a);
    } else {
      throw new UsageError(`unknown argument "${a}"`);
    }
  }
  return { values, switches, positionals, help: false };
}
