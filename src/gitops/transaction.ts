/// <reference types="node" preserve="true" />
/** Moving a staged tree into place all or nothing, with a journal the next run undoes after a kill. */
import * as crypto from 'crypto';
import * as path from 'path';
import { ConfinedFolder, contentHash, errno, MAX_STATE_BYTES, relPathProblem } from './confined';

/**
 * One step of a write: a file created, replaced or removed. Replaced and removed files are moved
 * into the staging folder first, so every step can be undone by renames.
 */
export interface Step {
  /** Path in the output folder. */
  readonly path: string;
  /** What happens to it. */
  readonly kind: 'create' | 'replace' | 'remove';
  /** sha256 of the new content (create and replace). */
  readonly hash?: string;
}

const JOURNAL = 'journal.json';

/** A failed move whose undo failed too: the staging folder must stay, for the next run to restore from. */
export class UndoFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UndoFailedError';
  }
}
const COMMITTED = 'committed';

/**
 * Moves a staged tree into place, all or nothing. The staging folder (inside the output folder, so
 * every rename stays on one file system; see `beginStaging`) holds the journal and `new/<i>`, the
 * content of step i, and receives `old/<i>`, what step i displaced. The journal lets the next run undo
 * a run that was killed half-way (`recoverInterrupted`); a `committed` marker, written after the last
 * rename, tells it the run finished.
 *
 * @param staging path of the staging folder relative to the output folder
 * @throws the first failure, after every step already made was undone
 */
export function applySteps(folder: ConfinedFolder, staging: string, steps: readonly Step[]): void {
  const io = folder.io;
  const at = (name: string) => folder.abs(`${staging}/${name}`);
  io.mkdirSync(at('old'));
  const createdDirs: string[] = [];
  // done[i]: 1 = old moved out, 2 = new moved in
  const done: number[] = [];
  try {
    steps.forEach((step, i) => {
      const target = folder.abs(step.path);
      if (step.kind !== 'create') {
        io.renameSync(target, at(`old/${i}`));
        done[i] = 1;
      } else {
        makeParents(folder, step.path, createdDirs);
      }
      if (step.kind !== 'remove') {
        io.renameSync(at(`new/${i}`), target);
        done[i] = 2;
      }
    });
    io.writeFileSync(at(COMMITTED), '', { flag: 'wx' });
  } catch (failure) {
    const problems = undo(folder, staging, steps, done, createdDirs);
    if (problems.length > 0) {
      throw new UndoFailedError(`${(failure as Error).message}; undoing it failed too (${problems.join('; ')}): the next run restores the folder from ${staging}`);
    }
    throw failure;
  }
}

/**
 * Creates the staging folder with its journal, before anything else goes into it: every staging folder
 * a run leaves behind then carries a journal this machine can verify (an empty one can only be a run
 * killed in between, and is simply removed).
 */
export function beginStaging(folder: ConfinedFolder, staging: string, steps: readonly Step[]): void {
  const io = folder.io;
  const at = (name: string) => folder.abs(`${staging}/${name}`);
  const key = journalKey(folder, path.posix.dirname(staging), true)!;
  io.mkdirSync(folder.abs(staging));
  io.writeFileSync(at(`${JOURNAL}.tmp`), JSON.stringify({ steps, mac: journalMac(key, folder.root, steps) }), { flag: 'wx' });
  io.renameSync(at(`${JOURNAL}.tmp`), at(JOURNAL));
  io.mkdirSync(at('new'));
}

function makeParents(folder: ConfinedFolder, rel: string, created: string[]): void {
  const segments = rel.split('/');
  for (let i = 1; i < segments.length; i++) {
    const dir = segments.slice(0, i).join('/');
    const e = folder.folderEntry(dir);
    if (e.kind === 'dir') continue;
    if (e.kind !== 'absent') throw new Error(`${dir} is not a folder`);
    folder.io.mkdirSync(folder.abs(dir));
    created.push(dir);
    folder.forgetAt(dir);
  }
}

/** Reverses the steps made, newest first; returns what could not be undone. */
function undo(folder: ConfinedFolder, staging: string, steps: readonly Step[], done: readonly number[], createdDirs: readonly string[]): string[] {
  const io = folder.io;
  const problems: string[] = [];
  for (let i = steps.length - 1; i >= 0; i--) {
    if (!done[i]) continue;
    const step = steps[i];
    try {
      const target = folder.abs(step.path);
      if (step.kind === 'create') io.unlinkSync(target);
      else io.renameSync(folder.abs(`${staging}/old/${i}`), target);
    } catch (e) {
      problems.push(`${step.path}: ${errno(e) ?? (e as Error).message}`);
    }
  }
  for (const dir of [...createdDirs].reverse()) {
    try {
      io.rmdirSync(folder.abs(dir));
    } catch {
      // not empty or gone: leave it
    }
  }
  folder.forget();
  return problems;
}

/** Staging folders of earlier runs in the state folder (`.staging-*`). */
export function stagingFolders(folder: ConfinedFolder, stateDir: string): string[] {
  if (folder.entry(stateDir).kind !== 'dir') return [];
  return folder.io.readdirSync(folder.abs(stateDir)).filter((n) => n.startsWith('.staging-') && relPathProblem(n) === undefined).sort()
    .map((n) => `${stateDir}/${n}`);
}

/**
 * Finishes what a killed run left in `.staging-*` folders: a committed run's staging folder is
 * removed; an uncommitted one is undone from its journal (files it displaced are moved back, files
 * it created are removed, but only where the file is still exactly what that run wrote), then removed.
 *
 * @returns one line per folder handled, saying what was done
 */
export function recoverInterrupted(folder: ConfinedFolder, stateDir: string, prefixes?: readonly string[]): string[] {
  const io = folder.io;
  const report: string[] = [];
  emptyTrash(folder, stateDir);
  const key = journalKey(folder, stateDir, false);
  for (const staging of stagingFolders(folder, stateDir)) {
    if (folder.entry(staging).kind !== 'dir') {
      report.push(`left ${staging} alone: it is not a folder meshfleet made; delete it`);
      continue;
    }
    if (io.readdirSync(folder.abs(staging)).length === 0) {
      io.rmdirSync(folder.abs(staging));
      report.push(`removed ${staging}, left empty by a run killed as it started`);
      continue;
    }
    // A run killed while writing its journal left it under its temporary name; nothing was moved then.
    const journal = readJournal(folder, `${staging}/${JOURNAL}`) ?? readJournal(folder, `${staging}/${JOURNAL}.tmp`);
    const steps = journal === undefined || key === undefined ? undefined : parseJournal(journal, key, folder.root, stateDir, prefixes);
    if (!steps) {
      report.push(`left ${staging} alone: its journal was not written by a meshfleet run on this machine (it does not verify with the key `
        + `only meshfleet's runs as this user can read, or it names files outside this tree's folders), so nothing in it is acted on; `
        + 'compare the folder with `--check`, then delete it');
      continue;
    }
    if (folder.entry(`${staging}/${COMMITTED}`).kind === 'file') {
      discardStaging(folder, staging);
      report.push(`removed ${staging}, left by a run that was killed after it finished`);
      continue;
    }
    let restored = 0;
    const kept: string[] = [];
    for (let i = steps.length - 1; i >= 0; i--) {
      const step = steps[i];
      const target = folder.entry(step.path);
      if (target.kind !== 'absent' && target.kind !== 'file') {
        kept.push(step.path);
        continue;
      }
      // The file at the target may only be replaced or removed when it is what the killed run wrote.
      const current = target.kind === 'file' ? contentHash(io.readFileSync(folder.abs(step.path))) : undefined;
      const ours = current === undefined || current === step.hash;
      const old = `${staging}/old/${i}`;
      if (step.kind !== 'create' && folder.entry(old).kind === 'file') {
        if (!ours || folder.blockedAt(step.path)) {
          kept.push(step.path);
          continue;
        }
        makeParentsQuiet(folder, step.path);
        io.renameSync(folder.abs(old), folder.abs(step.path));
        restored++;
      } else if (step.kind !== 'remove' && folder.entry(`${staging}/new/${i}`).kind === 'absent' && current !== undefined && current === step.hash) {
        io.unlinkSync(folder.abs(step.path));
        pruneEmptyDirs(folder, path.posix.dirname(step.path));
        restored++;
      }
    }
    if (kept.length === 0) discardStaging(folder, staging);
    report.push(`undid a run that was killed half-way (${staging}): ${restored} ${restored === 1 ? 'file' : 'files'} restored`
      + `${kept.length > 0 ? `; left alone because they changed since: ${kept.join(', ')} (their earlier content stays in ${staging}/old; delete the folder when done)` : ''}`);
  }
  folder.forget();
  return report;
}

/** A journal's text; undefined when absent, not a regular file, or larger than any journal meshfleet writes. */
function readJournal(folder: ConfinedFolder, rel: string): string | undefined {
  if (folder.entry(rel).kind !== 'file') return undefined;
  if (folder.io.lstatSync(folder.abs(rel)).size > MAX_STATE_BYTES) return undefined;
  return folder.io.readFileSync(folder.abs(rel)).toString('utf8');
}

/**
 * The steps of a journal a meshfleet run wrote for this folder; undefined when it cannot be trusted: its
 * MAC does not verify with this folder's journal key, or a step names a path outside the tree's folders
 * (`prefixes`) and the owned-files lists of the state folder.
 */
function parseJournal(text: string, key: Buffer, root: string, stateDir: string, prefixes: readonly string[] | undefined): Step[] | undefined {
  let parsed: { steps?: unknown; mac?: unknown };
  try {
    parsed = JSON.parse(text) as { steps?: unknown; mac?: unknown };
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed.steps) || typeof parsed.mac !== 'string') return undefined;
  const steps = parsed.steps as Step[];
  const expected = Buffer.from(journalMac(key, root, steps), 'hex');
  const given = Buffer.from(parsed.mac, 'hex');
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return undefined;
  const inside = (p: string) => (path.posix.dirname(p) === stateDir && p.endsWith('.files'))
    || (!p.startsWith(`${stateDir}/`) && (prefixes === undefined || prefixes.some((x) => p.startsWith(x))));
  const wellFormed = steps.every((s) => s !== null && typeof s === 'object' && typeof s.path === 'string'
    && relPathProblem(s.path) === undefined && inside(s.path) && ['create', 'replace', 'remove'].includes(s.kind)
    && (s.hash === undefined || typeof s.hash === 'string'));
  return wellFormed ? steps : undefined;
}

/** The MAC of a journal: an HMAC keyed by the folder's journal key, over the folder and the steps. */
export function journalMac(key: Buffer, root: string, steps: readonly Step[]): string {
  return crypto.createHmac('sha256', key).update(`${root}\0${JSON.stringify(steps)}`).digest('hex');
}

/** The journal key's file in the state folder; it exists only while a run is under way, or after one was killed. */
const KEY = 'journal.key';
const KEY_BYTES = 32;

/**
 * The folder's journal key: 32 random bytes in `<state>/journal.key`, readable by this user alone
 * (mode 0600, owned by this uid, one link), bound to that very file: the key used is the bytes together
 * with the file's inode number and change time, which a run reads from the file it made. A key file
 * that is anything else (written by another user; a symlink or hard link) is not trusted, and one that
 * came from elsewhere (committed to Git and checked out, even with umask 077, or copied) has another
 * inode and change time than any it was made with, so no journal verifies with it. Another local user
 * cannot read the key, and a pull request cannot supply one, so neither can forge a journal a run acts on.
 *
 * @param create make a key when there is no trusted one
 */
export function journalKey(folder: ConfinedFolder, stateDir: string, create: boolean): Buffer | undefined {
  const rel = `${stateDir}/${KEY}`;
  const io = folder.io;
  const bound = (key: Buffer): Buffer => {
    const st = io.lstatSync(folder.abs(rel));
    return Buffer.concat([key, Buffer.from(`\0${st.dev}\0${st.ino}\0${st.ctimeMs}`)]);
  };
  const e = folder.entry(rel);
  if (e.kind === 'file') {
    const st = io.lstatSync(folder.abs(rel));
    const uid = typeof process.getuid === 'function' ? process.getuid() : st.uid;
    if ((st.mode & 0o077) === 0 && st.uid === uid && st.nlink === 1 && st.size === KEY_BYTES * 2) {
      const hex = io.readFileSync(folder.abs(rel)).toString('utf8');
      if (/^[0-9a-f]+$/.test(hex)) return bound(Buffer.from(hex, 'hex'));
    }
  }
  if (!create) return undefined;
  if (e.kind === 'file' || e.kind === 'symlink') io.unlinkSync(folder.abs(rel));
  else if (e.kind !== 'absent') throw new Error(`${rel} is not a regular file; delete it`);
  folder.forget();
  const key = crypto.randomBytes(KEY_BYTES);
  io.writeFileSync(folder.abs(rel), key.toString('hex'), { flag: 'wx', mode: 0o600 });
  folder.forget();
  return bound(key);
}

/**
 * Removes the journal key at the end of a run that left no staging folder of its own: a key exists only
 * while a run is under way, or after it was killed (for the next run to verify its journal). A staging
 * folder left alone (untrusted, or with files changed since) is not acted on again, so it needs no key.
 */
export function dropJournalKey(folder: ConfinedFolder, stateDir: string): void {
  const rel = `${stateDir}/${KEY}`;
  const kind = folder.entry(rel).kind;
  if (kind !== 'file' && kind !== 'symlink') return;
  try {
    folder.io.unlinkSync(folder.abs(rel));
  } catch {
    // the next run removes it
  }
  folder.forget();
}

/** Prefix of a staging folder being removed: renamed first, so a kill during removal leaves only trash. */
const TRASH = '.trash-';

/**
 * Removes a finished staging folder in an order a kill at any point recovers from: one rename takes it
 * out of the `.staging-*` names at once (journal, new/ and old/ together), then the trash is deleted.
 * Trash left by a kill is deleted by the next run.
 */
export function discardStaging(folder: ConfinedFolder, staging: string): void {
  const trash = `${path.posix.dirname(staging)}/${TRASH}${crypto.randomBytes(6).toString('hex')}`;
  try {
    folder.io.renameSync(folder.abs(staging), folder.abs(trash));
  } catch {
    return; // left as it was, for the next run
  }
  folder.forget();
  try {
    folder.io.rmSync(folder.abs(trash), { recursive: true, force: true });
  } catch {
    // the next run removes it
  }
  folder.forget();
}

/** Deletes the trash of earlier runs (`.trash-*` folders in the state folder; a symlink is only unlinked). */
function emptyTrash(folder: ConfinedFolder, stateDir: string): void {
  if (folder.entry(stateDir).kind !== 'dir') return;
  for (const name of folder.io.readdirSync(folder.abs(stateDir))) {
    if (!name.startsWith(TRASH) || relPathProblem(name)) continue;
    const rel = `${stateDir}/${name}`;
    const kind = folder.entry(rel).kind;
    try {
      if (kind === 'dir') folder.io.rmSync(folder.abs(rel), { recursive: true, force: true });
      else folder.io.unlinkSync(folder.abs(rel));
    } catch {
      // tried again next run
    }
    folder.forget();
  }
}

function makeParentsQuiet(folder: ConfinedFolder, rel: string): void {
  makeParents(folder, rel, []);
}

/** Removes `dir` and its parents while they are empty, never the output folder itself. */
export function pruneEmptyDirs(folder: ConfinedFolder, dir: string): void {
  for (let d = dir; d !== '.' && d !== ''; d = path.posix.dirname(d)) {
    if (folder.entry(d).kind !== 'dir') return;
    try {
      if (folder.io.readdirSync(folder.abs(d)).length > 0) return;
      folder.io.rmdirSync(folder.abs(d));
    } catch {
      return;
    }
    folder.forget();
  }
}
