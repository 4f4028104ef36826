/**
 * The meshfleet app: `fleet.yaml` -> the GitOps tree in `dist/`.
 *
 *   npm run synth                                  # fleet.yaml -> dist/
 *   npm run synth -- --fleet FILE --out DIR
 *   npm run synth -- --target argocd               # only that target's tree
 *   npx cdk8s synth                                # same as npm run synth
 */
import * as path from 'path';
import { DELIVERY_TARGETS } from '../fleet/delivery';
import { FleetValidationError } from '../fleet/errors';
import { loadFleet } from '../fleet/loader';
import { DeliveryTarget } from '../fleet/props';
import { OutputFolderError } from '../gitops/confined';
import { OwnedListError } from '../gitops/owned-list';
import { writeTree } from '../gitops/writer';
import { synthTarget, TargetTree } from './targets';

const USAGE = `usage: meshfleet [--fleet FILE] [--out DIR] [--target T[,T]] [--check]
  --fleet FILE   fleet description to read (default: fleet.yaml)
  --out DIR      folder to write the GitOps tree(s) into (default: dist)
  --target T     the delivery target(s) to write: ${DELIVERY_TARGETS.join(', ')}
                 (default: the fleet's \`targets\`, or plural); each writes its own folders
  --check        write nothing; exit 1 when DIR differs from a fresh synth`;

/** Parsed command line. */
export interface CliOptions {
  readonly fleet: string;
  readonly out: string;
  readonly check: boolean;
  /** The targets asked for on the command line, or undefined for the fleet's own. */
  readonly targets?: readonly DeliveryTarget[];
}

/** Parses the command line; throws a usage error. */
export function parseArgs(argv: readonly string[]): CliOptions | 'help' {
  let fleet = 'fleet.yaml';
  let out = 'dist';
  let check = false;
  let targets: DeliveryTarget[] | undefined;
  const addTargets = (v: string) => {
    for (const t of v.split(',')) {
      if (!(DELIVERY_TARGETS as readonly string[]).includes(t)) {
        throw Object.assign(new UsageError(`unknown target "${t}"; use ${DELIVERY_TARGETS.join(' or ')}; nothing was written`), { brief: true });
      }
      targets = [...(targets ?? []).filter((x) => x !== t), t as DeliveryTarget];
    }
  };
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
    else if (a === '--target') addTargets(value());
    else if (a.startsWith('--target=')) addTargets(a.slice(9));
    else if (a === '--check') check = true;
    else throw new UsageError(`unknown argument "${a}"`);
  }
  return { fleet, out, check, targets };
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
    for (const w of fleet.warnings) err(`meshfleet: warning: ${w}`);
    const targets = options.targets ?? fleet.targets;
    if (targets.includes('argocd') && !fleet.props.argocd?.repoURL) {
      err(`meshfleet: ${options.fleet}: argocd.repoURL is required for the argocd target (the Git URL Argo CD clones this repository from)\nnothing was written.`);
      return 1;
    }
    // Every tree is synthesized (and so validated) before anything is written.
    const trees: TargetTree[] = targets.map((t) => synthTarget(t, fleet));
    if (options.check) {
      const { diffTree } = require('../gitops/check') as typeof import('../gitops/check');
      const diffs = trees.flatMap((t) => diffTree(options.out, t.files, t.ownedList));
      if (diffs.length > 0) {
        const args = `${options.fleet === 'fleet.yaml' ? '' : ` --fleet ${options.fleet}`}${options.out === 'dist' ? '' : ` --out ${options.out}`}`
          + `${options.targets ? ` --target ${options.targets.join(',')}` : ''}`;
        err(`meshfleet: ${options.out} differs from a fresh synth of ${options.fleet}:\n  ${diffs.join('\n  ')}\nrun \`npm run synth${args ? ` --${args}` : ''}\` and commit the result`);
        return 1;
      }
      log(`${options.out} is up to date with ${options.fleet} (${trees.map((t) => `${t.target}: ${t.files.size} files`).join(', ')})`);
      return 0;
    }
    for (const tree of trees) {
      const result = writeTree(options.out, tree.files, {
        ownedList: tree.ownedList,
        ownedPrefixes: tree.ownedPrefixes,
        checkOtherTree: tree.checkOtherTree,
        checkRemoval: tree.checkRemoval,
      });
      for (const notice of result.notices) err(`meshfleet: note: ${notice}`);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      log(`meshfleet: fleet "${fleet.name}" (${fleet.clusters.length} clusters, ${fleet.meshes.filter((m) => m.clusters.length > 0).length} meshes) -> ${path.join(options.out, '')} [${tree.target}]: `
        + `${result.written.length} written, ${result.unchanged.length} unchanged, ${result.removed.length} removed in ${ms.toFixed(0)} ms`);
    }
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
