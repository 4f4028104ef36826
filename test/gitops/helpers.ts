import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { WriterFs } from '../../src/gitops/confined';

const made: string[] = [];

/** A fresh temporary folder, removed after the test file by `cleanTmp`. */
export function tmp(prefix = 'meshfleet-writer-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Removes every folder `tmp` made. */
export function cleanTmp(): void {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

/** Every file below `dir` (symlinks as `-> target`), keyed by relative path with `/`. */
export function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      const rel = path.relative(dir, p).split(path.sep).join('/');
      if (e.isSymbolicLink()) out[rel] = `-> ${fs.readlinkSync(p)}`;
      else if (e.isDirectory()) walk(p);
      else out[rel] = fs.readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

/** The pid of a process that has exited (for a lock left by a killed run). */
export function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

/** Thrown by `FaultyFs` in kill mode: the process is gone, nothing more happens. */
export class Killed extends Error {}

const CALLS: Array<keyof WriterFs> = [
  'lstatSync', 'statSync', 'realpathSync', 'readFileSync', 'writeFileSync', 'renameSync', 'unlinkSync',
  'mkdirSync', 'rmdirSync', 'readdirSync', 'accessSync', 'rmSync', 'linkSync', 'openSync', 'readSync', 'closeSync',
];

/**
 * Node's fs with a fault at the n-th call (counting every call): `throw` fails that one call with
 * EIO; `kill` fails it and every later call, as if the process died there.
 */
export function faultyFs(failAt: number, mode: 'throw' | 'kill'): WriterFs & { calls: number } {
  const state = { calls: 0, dead: false };
  const wrapped: Record<string, unknown> = {};
  for (const name of CALLS) {
    const real = (fs as unknown as Record<string, (...a: unknown[]) => unknown>)[name];
    wrapped[name] = (...args: unknown[]) => {
      if (state.dead) throw new Killed('killed');
      state.calls++;
      if (state.calls === failAt) {
        if (mode === 'kill') {
          state.dead = true;
          throw new Killed('killed');
        }
        throw Object.assign(new Error(`EIO: injected at ${name}`), { code: 'EIO', path: String(args[0]) });
      }
      return real.apply(fs, args);
    };
  }
  Object.defineProperty(wrapped, 'calls', { get: () => state.calls });
  return wrapped as unknown as WriterFs & { calls: number };
}

const APP = path.join(__dirname, '..', '..', 'scripts', 'run-app.js');

/** Runs `meshfleet synth --fleet F --out O` as its own process (the compiled app); resolves with its exit code and stderr. */
export function synthProcess(fleetFile: string, out: string): Promise<{ code: number | null; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [APP, '--fleet', fleetFile, '--out', out], { cwd: path.join(__dirname, '..', '..') });
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) => resolve({ code, err }));
  });
}

/**
 * Makes what this process left in `dir`'s state folder (a lock, a lock's temporary file) look like a dead
 * process's, as it would after a kill: this process stands for the killed run.
 */
export function markLocksDead(dir: string, deadPidValue: number): void {
  const state = path.join(dir, '.meshfleet');
  for (const name of fs.existsSync(state) ? fs.readdirSync(state) : []) {
    const p = path.join(state, name);
    if (name === 'lock' || name === 'lock.guard') fs.writeFileSync(p, `${deadPidValue} ${os.hostname()}\n`);
    const m = new RegExp(`^\\.lock-([0-9a-f]{8})-${process.pid}-(.*)$`).exec(name);
    if (m) fs.renameSync(p, path.join(state, `.lock-${m[1]}-${deadPidValue}-${m[2]}`));
  }
}
