/**
 * The meshfleet app: `fleet.yaml` -> the GitOps tree in `dist/`.
 *
 *   npm run synth                                  # fleet.yaml -> dist/
 *   npm run synth -- --fleet FILE --out DIR
 *   npx cdk8s synth                                # same as npm run synth
 */
import * as path from 'path';
import { FleetValidationError } from '../fleet/errors';
import { loadFleet } from '../fleet/loader';
import { PluralLayout } from '../targets/plural/layout';
import { OutputFolderError } from '../gitops/confined';
import { OwnedListError } from '../gitops/owned-list';
import { writeTree } from '../gitops/writer';
import { synthPluralTree } from '../targets/plural/tree';

const USAGE = `usage: meshfleet [--fleet FILE] [--out DIR] [--check]
  --fleet FILE   fleet description to read (default: fleet.yaml)
  --out DIR      folder to write the GitOps tree into (default: dist)
  --check        write nothing; exit 1 when DIR differs from a fresh synth`;

/** Parsed command line. */
export interface CliOptions {
  readonly fleet: string;
  readonly out: string;
  readonly check: boolean;
}

/** Parses the command line; throws a usage error. */
export function parseArgs(argv: readonly string[]): CliOptions | 'help' {
  let fleet = 'fleet.yaml';
  let out = 'dist';
  let check = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '--help' || a === '-h') return 'help';
    else if (a === '--fleet') fleet = nonEmpty(a, value());
    else if (a.startsWith('--fleet=')) fleet = nonEmpty('--fleet', a.slice(8));
    else if (a === '--out') out = nonEmpty(a, value());
    else if (a.startsWith('--out=')) out = nonEmpty('--out', a.slice(6));
    else if (a === '--check') check = true;
    else throw new UsageError(`unknown argument "${a}"`);
  }
  return { fleet, out, check };
}

class UsageError extends Error {
  /** When set, the message alone is printed (no usage text). */
  public brief = false;
}

function nonEmpty(flag: string, v: string): string {
  if (v.trim().length === 0) throw Object.assign(new UsageError(`${flag} needs a non-empty value; nothing was written`), { brief: true });
  return v;
}

/** Runs the app; returns the exit code. Writes progress to `log`, problems to `err`. */
export function run(argv: readonly string[], log: (s: string) => void = console.log, err: (s: string) => void = console.error): number {
  const started = process.hrtime.bigint();
  let options: CliOptions | 'help';
  try {
    options = parseArgs(argv);
  } catch (e) {
    err(`meshfleet: ${(e as Error).message}${(e as UsageError).brief ? '' : `\n${USAGE}`}`);
    return 2;
  }
  if (options === 'help') {
    log(USAGE);
    return 0;
  }
  try {
    const fleet = loadFleet(options.fleet);
    const layout = new PluralLayout(fleet.name);
    const files = synthPluralTree(fleet, layout);
    if (options.check) {
      const { diffTree } = require('../gitops/check') as typeof import('../gitops/check');
      const diffs = diffTree(options.out, files, layout.ownedFilesList);
      if (diffs.length > 0) {
        const args = `${options.fleet === 'fleet.yaml' ? '' : ` --fleet ${options.fleet}`}${options.out === 'dist' ? '' : ` --out ${options.out}`}`;
        err(`meshfleet: ${options.out} differs from a fresh synth of ${options.fleet}:\n  ${diffs.join('\n  ')}\nrun \`npm run synth${args ? ` --${args}` : ''}\` and commit the result`);
        return 1;
      }
      log(`${options.out} is up to date with ${options.fleet} (${files.size} files)`);
      return 0;
    }
    const clusters = new Set(fleet.clusters.map((c) => c.name));
    const result = writeTree(options.out, files, {
      ownedList: layout.ownedFilesList,
      ownedPrefixes: layout.ownedPrefixes,
      checkOtherTree: (list, paths) => {
        const shared = paths.map(PluralLayout.clusterOfPath).filter((c): c is string => c !== undefined && clusters.has(c)).sort();
        if (shared.length === 0) return undefined;
        return `another tree in this folder already declares cluster${shared.length > 1 ? 's' : ''} ${shared.slice(0, 5).map((c) => `"${c}"`).join(', ')}`
          + `${shared.length > 5 ? ` and ${shared.length - 5} more` : ''}, so Plural would get two Cluster and InfrastructureStack objects for each. `
          + `If you renamed the fleet, delete the old tree first (the files listed in ${list}, then the list itself; git rm them), then synth again`;
      },
    });
    for (const notice of result.notices) err(`meshfleet: note: ${notice}`);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    log(`meshfleet: fleet "${fleet.name}" (${fleet.clusters.length} clusters, ${fleet.meshes.filter((m) => m.clusters.length > 0).length} meshes) -> ${path.join(options.out, '')}: `
      + `${result.written.length} written, ${result.unchanged.length} unchanged, ${result.removed.length} removed in ${ms.toFixed(0)} ms`);
    return 0;
  } catch (e) {
    if (e instanceof FleetValidationError) {
      err(`meshfleet: ${options.fleet}: ${e.message}\nnothing was written.`);
    } else if (e instanceof OutputFolderError) {
      err(`meshfleet: ${e.message}; nothing was written`);
      return 2;
    } else if (e instanceof OwnedListError) {
      err(`meshfleet: ${e.message}`);
    } else {
      err(`meshfleet: ${(e as Error).message}`);
    }
    if (process.env.MESHFLEET_DEBUG) err((e as Error).stack ?? '');
    return 1;
  }
}

if (require.main === module) {
  process.exitCode = run(process.argv.slice(2));
}
