/**
 * The `meshfleet` command: `synth` (the default), `check`, `plan`, `validate` and `init`, each with
 * `--help`. In this repository `npm run synth` runs it; in a GitOps repository `npx meshfleet`.
 */
import * as fs from 'fs';
import { FleetValidationError } from '../fleet/errors';
import { OutputFolderError } from '../gitops/confined';
import { OwnedListError } from '../gitops/owned-list';
import { parseArgs, UsageError } from './args';
import { BUILT_IN_DEFAULTS, repoDefaults, RepoDefaults } from './defaults';
import { check, FLEET_OPTIONS, Io, localSelection, parseTargets, synth } from './synth';

const TARGETS_HELP = `  --target T     the delivery target(s): plural, argocd, flux, local, comma-separated
                 (default: the fleet's \`targets\`, or plural); each writes its own folders
  --mesh M       local: the mesh to bring up as kind clusters (default: the first)
  --clusters C   local: some clusters of one mesh, comma-separated (default: all of the mesh)`;

const USAGE: Record<string, string> = {
  '': `usage: meshfleet <command> [options]     (no command: synth)
commands:
  synth      write the fleet's GitOps tree(s) into a folder
  check      exit 1, with a unified diff, when a folder differs from a fresh synth
  plan       what a change to the fleet description does, before it is merged
  validate   audit a tree (written by meshfleet or by hand) against the upstream schemas and the mesh invariants
  init       scaffold a GitOps repository that uses meshfleet
  graph      the fleet as a picture (Mermaid, Graphviz DOT, SVG)
  values     one cluster's Cilium values, for a first install by hand
\`meshfleet <command> --help\` describes each.`,
  synth: `usage: meshfleet synth [--fleet FILE] [--out DIR] [--target T[,T]] [--mesh M | --clusters C] [--check]
  --fleet FILE   fleet description to read (default: package.json's meshfleet.fleet, else fleet.yaml)
  --out DIR      folder to write the GitOps tree(s) into (default: package.json's meshfleet.out, which
                 \`meshfleet init\` sets to . in a GitOps repository; else dist)
${TARGETS_HELP}
  --check        the same as \`meshfleet check\``,
  check: `usage: meshfleet check [--fleet FILE] [--out DIR] [--target T[,T]] [--mesh M | --clusters C]
  Writes nothing. Exit 0 when DIR equals a fresh synth; 1 with the differing paths and a unified diff
  (a/ = the folder, b/ = the fresh synth).
  --fleet FILE   fleet description to read (default: package.json's meshfleet.fleet, else fleet.yaml)
  --out DIR      the folder to compare (default: package.json's meshfleet.out, else dist)
${TARGETS_HELP}`,
};

function inMeshfleetRepo(): boolean {
  try {
    return JSON.parse(fs.readFileSync('package.json', 'utf8')).name === 'meshfleet';
  } catch {
    return false;
  }
}

/** The usage text of the commands that live in their own modules. */
function usageOf(command: string): string | undefined {
  switch (command) {
    case 'plan': return (require('./plan') as typeof import('./plan')).PLAN_USAGE;
    case 'validate': return (require('./validate') as typeof import('./validate')).VALIDATE_USAGE;
    case 'init': return (require('./init') as typeof import('./init')).INIT_USAGE;
    case 'graph': return (require('./graph') as typeof import('./graph')).GRAPH_USAGE;
    case 'values': return (require('./values') as typeof import('./values')).VALUES_USAGE;
    default: return undefined;
  }
}

/** True when the arguments ask for the usage text (which needs no settings read). */
function helpOnly(args: readonly string[]): boolean {
  return args.includes('--help') || args.includes('-h');
}

/** Runs the command line; returns the exit code. Writes progress to `log`, problems to `err`. */
export function run(argv: readonly string[], log: (s: string) => void = console.log, err: (s: string) => void = console.error): number {
  const io: Io = { log, err };
  const [first, ...rest] = argv;
  const command = first !== undefined && !first.startsWith('-') ? first : '';
  const args = command ? rest : argv;
  // For messages: the fleet file any command reads.
  const at = args.findIndex((x) => x === '--fleet' || x.startsWith('--fleet='));
  let fleetFile = at < 0 ? 'fleet.yaml' : args[at].startsWith('--fleet=') ? args[at].slice(8) : args[at + 1] ?? 'fleet.yaml';
  // The repository's own defaults (package.json's "meshfleet"), read once, only by a command that needs them.
  let defaults: RepoDefaults | undefined;
  const repo = (): RepoDefaults => (defaults ??= repoDefaults());
  try {
    if (at < 0 && command !== 'init' && !helpOnly(args)) fleetFile = repo().fleet;
    switch (command) {
      case '':
      case 'synth':
      case 'check': {
        if (command === '' && args.length === 1 && (args[0] === '--help' || args[0] === '-h')) {
          log(`${USAGE['']}\n\n${USAGE.synth}`);
          return 0;
        }
        if (helpOnly(args)) {
          log(USAGE[command || 'synth']);
          return 0;
        }
        const d = repo();
        const a = parseArgs(args, { values: { ...FLEET_OPTIONS, fleet: d.fleet, out: d.out }, switches: command === 'check' ? [] : ['check'] });
        fleetFile = a.values.fleet!;
        const targets = parseTargets(a.values.target);
        if (command === 'check' || a.switches.has('check')) {
          const flags = `${fleetFile === d.fleet ? '' : ` --fleet ${fleetFile}`}${a.values.out === d.out ? '' : ` --out ${a.values.out}`}${targets ? ` --target ${targets.join(',')}` : ''}`;
          // In meshfleet's own repository its npm script; in a GitOps repository the installed command.
          const again = inMeshfleetRepo() ? `npm run synth${flags ? ` --${flags}` : ''}` : `npx meshfleet synth${flags}`;
          return check(fleetFile, a.values.out!, targets, io, again, localSelection(a.values));
        }
        return synth(fleetFile, a.values.out!, targets, io, localSelection(a.values));
      }
      case 'plan':
        return (require('./plan') as typeof import('./plan')).planCommand(args, io, helpOnly(args) ? BUILT_IN_DEFAULTS : repo());
      case 'validate':
        return (require('./validate') as typeof import('./validate')).validateCommand(args, io, helpOnly(args) ? BUILT_IN_DEFAULTS : repo());
      case 'init':
        return (require('./init') as typeof import('./init')).initCommand(args, io);
      case 'graph':
        return (require('./graph') as typeof import('./graph')).graphCommand(args, io, helpOnly(args) ? BUILT_IN_DEFAULTS : repo());
      case 'values':
        return (require('./values') as typeof import('./values')).valuesCommand(args, io, helpOnly(args) ? BUILT_IN_DEFAULTS : repo());
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      err(`meshfleet: ${e.message}${e.brief ? '' : `\n${USAGE[command] ?? usageOf(command) ?? USAGE['']}`}`);
      return 2;
    }
    if (e instanceof FleetValidationError) {
      err(`meshfleet: ${fleetFile}: ${e.message}${command === '' || command === 'synth' ? '\nnothing was written.' : ''}`);
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
