/** Writes a tree into an output folder: confined, owned files only, all or nothing, locked. */
import * as crypto from 'crypto';
import * as path from 'path';
import { ConfinedFolder, contentHash, errno, MAX_STATE_BYTES, relPathProblem, WriterFs } from './confined';
import { acquireLock } from './lock';
import { OwnedEntry, ownedListContent, OwnedListError, parseOwnedList } from './owned-list';
import { applySteps, beginStaging, discardStaging, dropJournalKey, pruneEmptyDirs, recoverInterrupted, Step, UndoFailedError } from './transaction';

export { ownedListContent } from './owned-list';

/** What a write changed. */
export interface WriteResult {
  /** Files created or whose content changed. */
  readonly written: readonly string[];
  /** Files already up to date (left untouched, mtime kept). */
  readonly unchanged: readonly string[];
  /** Files written by an earlier run that are no longer produced, now removed. */
  readonly removed: readonly string[];
  /**
   * Things the writer noticed and left alone, one line each: an interrupted earlier run it undid, a
   * file no longer produced that was edited by hand (kept, and no longer owned), a list entry that
   * names a folder or a symlink (ignored).
   */
  readonly notices: readonly string[];
}

/** Options of `writeTree`. */
export interface WriteTreeOptions {
  /**
   * Path, relative to the output folder, of the list of files this writer owns (with the hash of
   * what it wrote in each). Only files on that list, unchanged since, are ever replaced or removed.
   * Its folder also holds the lock and the staging folders.
   */
  readonly ownedList: string;
  /**
   * Folders (relative, ending in `/`) the tree lives in. An owned-list entry outside them makes the list
   * malformed: a list edited in a pull request can then name nothing but this tree's own folders.
   * @default - anywhere in the output folder
   */
  readonly ownedPrefixes?: readonly string[];
  /**
   * Called, under the lock and before anything is written, with each other owned-files list in the
   * same folder (another tree written there, e.g. by the fleet under its old name) and its paths;
   * returns why this tree cannot be written beside it, or undefined when it can.
   * @default - other trees are left alone
   */
  readonly checkOtherTree?: (list: string, paths: readonly string[], read?: (path: string) => string | undefined) => string | undefined;
  /**
   * Where other trees of the same kind live, as folder patterns with one `*` segment for a tree's name
   * (e.g. `bootstrap/*\/`). Under the lock, every YAML file found below them (to any depth, up to
   * `MAX_SIBLING_FILES`) that this tree does not produce is passed to `checkOtherTree` with a reader,
   * grouped by folder, as well as the files other owned-files lists name: the guard holds when a list was
   * deleted or a file renamed.
   * @default - only other owned-files lists are read
   */
  readonly siblingTrees?: readonly string[];
  /**
   * Called, under the lock and before anything is written, for each owned file this run would remove,
   * with its current content; returns why it must not be removed (the run then stops, writing nothing),
   * or undefined.
   * @default - every owned file no longer produced is removed
   */
  readonly checkRemoval?: (path: string, content: string) => string | undefined;
  /**
   * Called, under the lock and before anything is written, for each owned file this run would replace,
   * with its current and its new content; returns why it must not be replaced (the run then stops,
   * writing nothing), or undefined.
   * @default - every owned file is replaced by its new content
   */
  readonly checkReplace?: (path: string, current: string, next: string) => string | undefined;
  /**
   * How long to wait for another run writing to the same folder.
   * @default 5000 ms
   */
  readonly lockTimeoutMs?: number;
  /**
   * The file-system calls to use (tests inject failures here).
   * @default - Node's fs
   */
  readonly fs?: WriterFs;
}

/** Thrown when the tree cannot be written; nothing was changed. The message lists every path at fault. */
export class WriteConflictError extends Error {
  constructor(outDir: string, public readonly conflicts: readonly string[]) {
    super(`refusing to write to ${outDir}; nothing was changed:\n  ${conflicts.join('\n  ')}`);
    this.name = 'WriteConflictError';
  }
}

interface Plan {
  readonly steps: Step[];
  readonly written: string[];
  readonly unchanged: string[];
  readonly removed: string[];
  readonly notices: string[];
  readonly conflicts: string[];
}

/** One tree of a run: its files and how the writer handles them. */
export interface TreeToWrite {
  /** Path -> content. */
  readonly files: ReadonlyMap<string, string>;
  /** Its owned-files list, folders and checks (`lockTimeoutMs` and `fs` are the run's, see `WriteTreesOptions`). */
  readonly options: WriteTreeOptions;
}

/** Options of a whole run (`writeTrees`). */
export interface WriteTreesOptions {
  /** How long to wait for another run writing to the same folder. @default 5000 ms */
  readonly lockTimeoutMs?: number;
  /** The file-system calls to use. @default - Node's fs */
  readonly fs?: WriterFs;
  /**
   * The folders a killed run's journal may touch (it is not acted on when a step lies elsewhere).
   * @default - the trees' own folders (anywhere, when a tree sets none)
   */
  readonly recoveryPrefixes?: readonly string[];
}

/**
 * Writes a generated tree into `outDir`, confined to it and all or nothing (one tree of `writeTrees`):
 * - every path is checked (relative, no `..`) and resolved below the folder's real path; nothing is
 *   read, written or removed through a symlink;
 * - only files it owns are replaced or removed: those in its owned-files list whose content still
 *   has the hash it wrote. A file it did not write is never overwritten (unless its content is
 *   already identical); a generated file edited by hand is reported, never destroyed;
 * - everything that can fail (types, permissions, file systems) is checked before the first rename;
 *   the new files are staged inside the folder and renamed into place, and a failure half-way undoes
 *   what was done, so the folder holds the old tree or the new one, never a mix. A run killed
 *   half-way is undone by the next one (from its journal);
 * - an exclusive lock keeps two runs apart; unchanged files are not rewritten.
 *
 * @throws WriteConflictError listing every path at fault, before anything is written;
 *   OutputFolderError when the folder itself cannot be used; OwnedListError when the list is malformed
 */
export function writeTree(outDir: string, files: ReadonlyMap<string, string>, options: WriteTreeOptions): WriteResult {
  return writeTrees(outDir, [{ files, options }], { lockTimeoutMs: options.lockTimeoutMs, fs: options.fs })[0];
}

/**
 * Writes several trees (one per delivery target) into `outDir` as one transaction: under one lock,
 * every tree is planned and checked (hand edits, permissions, owned lists, other trees) before anything
 * is renamed; then all their steps go through one staging folder and one journal, so the folder ends
 * with every tree replaced or with none (a failure half-way, or a kill, undoes all of them). Two runs
 * never interleave: a run's trees are never mixed with another run's.
 *
 * @returns what changed, per tree, in the order given
 * @throws WriteConflictError listing every path at fault in every tree, before anything is written
 */
export function writeTrees(outDir: string, trees: readonly TreeToWrite[], run: WriteTreesOptions = {}): WriteResult[] {
  if (trees.length === 0) return [];
  const folder = new ConfinedFolder(outDir, run.fs);
  folder.requireWritable(outDir);
  const stateDir = path.posix.dirname(trees[0].options.ownedList);
  const lists = new Set<string>();
  for (const { files, options } of trees) {
    if (path.posix.dirname(options.ownedList) !== stateDir) {
      throw new Error(`the trees of one run keep their owned-files lists in one folder (${options.ownedList} is not in ${stateDir})`);
    }
    if (lists.has(options.ownedList)) throw new Error(`two trees of one run share the owned-files list ${options.ownedList}`);
    lists.add(options.ownedList);
    for (const rel of [...files.keys(), options.ownedList]) {
      const problem = relPathProblem(rel);
      if (problem) throw new Error(`output path "${rel}" ${problem}`);
    }
  }
  ensureStateDir(folder, stateDir, outDir);
  const lock = acquireLock(folder.io, folder.abs(`${stateDir}/lock`), path.join(outDir, stateDir, 'lock'), { timeoutMs: run.lockTimeoutMs });
  try {
    const prefixes = run.recoveryPrefixes ?? (trees.every((t) => t.options.ownedPrefixes) ? trees.flatMap((t) => t.options.ownedPrefixes!) : undefined);
    const notices = recoverInterrupted(folder, stateDir, prefixes);
    const plans = trees.map((t) => planWrite(folder, t.files, t.options, stateDir));
    const conflicts = plans.flatMap((p) => p.conflicts);
    // Two trees of one run may not write, or remove, the same path.
    const by = new Map<string, number>();
    trees.forEach((t, i) => {
      for (const rel of [...t.files.keys(), ...plans[i].steps.map((st) => st.path)]) {
        const other = by.get(rel);
        if (other !== undefined && other !== i) conflicts.push(`${rel}: is written by two trees of this run (${trees[other].options.ownedList}, ${t.options.ownedList})`);
        by.set(rel, i);
      }
    });
    if (conflicts.length > 0) {
      // What recovery did already is said too: "nothing was changed" must stay true of this run's own writes.
      throw new WriteConflictError(outDir, [...new Set(conflicts), ...notices.map((n) => `(before that, ${n})`)]);
    }
    plans[0].notices.unshift(...notices);
    const results = plans.map((p) => ({ written: p.written, unchanged: p.unchanged, removed: p.removed, notices: p.notices }));
    const steps = plans.flatMap((p) => p.steps);
    if (steps.length === 0) {
      dropJournalKey(folder, stateDir);
      return results;
    }
    const content = (rel: string): string => {
      for (const t of trees) {
        if (rel === t.options.ownedList) return ownedListContent(t.files);
        const c = t.files.get(rel);
        if (c !== undefined) return c;
      }
      throw new Error(`no content for ${rel}`);
    };
    const staging = `${stateDir}/.staging-${crypto.randomBytes(6).toString('hex')}`;
    try {
      beginStaging(folder, staging, steps);
      steps.forEach((step, i) => {
        if (step.kind !== 'remove') folder.io.writeFileSync(folder.abs(`${staging}/new/${i}`), content(step.path), { flag: 'wx' });
      });
      applySteps(folder, staging, steps);
    } catch (e) {
      if (e instanceof UndoFailedError) throw new Error(`writing to ${outDir} failed: ${e.message}`);
      discardStaging(folder, staging);
      dropJournalKey(folder, stateDir);
      throw new Error(`writing to ${outDir} failed: ${describeError(e)}; the folder was left as it was`);
    }
    discardStaging(folder, staging);
    for (const p of plans) for (const rel of p.removed) pruneEmptyDirs(folder, path.posix.dirname(rel));
    dropJournalKey(folder, stateDir);
    return results;
  } finally {
    lock.release();
  }
}

/**
 * Undoes or finishes what a killed run left in the output folder (see `writeTree`), under the lock,
 * without writing anything new. Returns one line per interrupted run handled.
 */
export function recoverTree(outDir: string, options: Pick<WriteTreeOptions, 'ownedList' | 'ownedPrefixes' | 'lockTimeoutMs' | 'fs'>): string[] {
  const folder = new ConfinedFolder(outDir, options.fs);
  const stateDir = path.posix.dirname(options.ownedList);
  if (folder.entry(stateDir).kind !== 'dir') return [];
  const lock = acquireLock(folder.io, folder.abs(`${stateDir}/lock`), path.join(outDir, stateDir, 'lock'), { timeoutMs: options.lockTimeoutMs });
  try {
    const report = recoverInterrupted(folder, stateDir, options.ownedPrefixes);
    dropJournalKey(folder, stateDir);
    return report;
  } finally {
    lock.release();
  }
}

function ensureStateDir(folder: ConfinedFolder, stateDir: string, outDir: string): void {
  const segments = stateDir.split('/');
  for (let i = 1; i <= segments.length; i++) {
    const rel = segments.slice(0, i).join('/');
    let e = folder.entry(rel);
    if (e.kind === 'absent') {
      try {
        folder.io.mkdirSync(folder.abs(rel));
      } catch (err) {
        // Another run made it between the look and the mkdir (this happens before the lock): fine if it is a folder.
        if (errno(err) !== 'EEXIST') throw err;
      }
      folder.forget();
      e = folder.entry(rel);
    }
    if (e.kind !== 'dir') {
      throw new WriteConflictError(outDir, [`${rel}: is a ${e.kind === 'symlink' ? 'symlink' : 'file'}, not a folder; meshfleet keeps its owned-files list and lock there and never writes through a symlink`]);
    }
  }
}

function describeError(e: unknown): string {
  const code = errno(e);
  const p = (e as NodeJS.ErrnoException).path;
  return code && p ? `${code} on ${p}` : (e as Error).message;
}

/** Decides every step and finds every conflict, reading only. */
function planWrite(folder: ConfinedFolder, files: ReadonlyMap<string, string>, options: WriteTreeOptions, stateDir: string): Plan {
  const plan: Plan = { steps: [], written: [], unchanged: [], removed: [], notices: [], conflicts: [] };
  const listText = readState(folder, options.ownedList);
  if (listText === undefined) plan.conflicts.push(`${options.ownedList}: is not a regular file`);
  const previous = typeof listText === 'string' ? parseOwnedList(listText, options.ownedList, options.ownedPrefixes) : new Map<string, OwnedEntry>();
  checkOtherTrees(folder, files, options, stateDir, plan, previous);

  for (const rel of [...files.keys()].sort()) {
    const content = files.get(rel)!;
    if (rel === options.ownedList || rel.startsWith(`${stateDir}/`)) {
      plan.conflicts.push(`${rel}: is meshfleet's own state folder`);
      continue;
    }
    const blocked = folder.blockedAt(rel);
    if (blocked) {
      plan.conflicts.push(`${rel}: ${blocked.at} is ${blocked.entry.kind === 'symlink' ? 'a symlink (meshfleet never writes through one)' : 'a file, not a folder'}`);
      continue;
    }
    const e = folder.entry(rel);
    if (e.kind === 'absent') {
      plan.steps.push({ path: rel, kind: 'create', hash: contentHash(content) });
      plan.written.push(rel);
      continue;
    }
    if (e.kind !== 'file') {
      plan.conflicts.push(`${rel}: exists and is ${e.kind === 'symlink' ? 'a symlink' : e.kind === 'dir' ? 'a folder' : 'not a regular file'}`);
      continue;
    }
    const existing = folder.io.readFileSync(folder.abs(rel));
    if (existing.toString('utf8') === content) {
      plan.unchanged.push(rel);
      continue;
    }
    const owned = previous.get(rel);
    if (!owned) {
      plan.conflicts.push(`${rel}: exists and was not written by meshfleet (move it away, or delete it to let meshfleet own it)`);
    } else if (owned.hash !== undefined && owned.hash !== contentHash(existing)) {
      plan.conflicts.push(`${rel}: was edited by hand since meshfleet wrote it (move the change into the fleet description, or delete the file to let meshfleet write it again)`);
    } else {
      const refused = options.checkReplace?.(rel, existing.toString('utf8'), content);
      if (refused) {
        plan.conflicts.push(`${rel}: ${refused}`);
        continue;
      }
      plan.steps.push({ path: rel, kind: 'replace', hash: contentHash(content) });
      plan.written.push(rel);
    }
  }

  planRemovals(folder, files, options, stateDir, previous, plan);

  const listContent = ownedListContent(files);
  if (listText !== listContent && listText !== undefined) {
    plan.steps.push({ path: options.ownedList, kind: listText === null ? 'create' : 'replace', hash: contentHash(listContent) });
  }
  if (plan.conflicts.length === 0) preflight(folder, plan.steps, stateDir, plan.conflicts);
  return plan;
}

/** The owned files no longer produced: removed when still what meshfleet wrote, else kept and reported. */
function planRemovals(folder: ConfinedFolder, files: ReadonlyMap<string, string>, options: WriteTreeOptions, stateDir: string,
  previous: ReadonlyMap<string, OwnedEntry>, plan: Plan): void {
  for (const [rel, owned] of [...previous].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (files.has(rel)) continue;
    const e = folder.entry(rel);
    if (e.kind === 'absent') continue;
    if (e.kind !== 'file' || rel.startsWith(`${stateDir}/`)) {
      plan.notices.push(`${rel}: listed as meshfleet's but it is ${e.kind === 'file' ? 'in its state folder' : e.kind === 'symlink' ? 'a symlink, or behind one' : 'not a regular file'}; left alone and dropped from the list`);
      continue;
    }
    if (owned.hash === undefined) {
      plan.notices.push(`${rel}: no longer produced, and listed without a hash (an older list), so meshfleet cannot tell it wrote it; kept, and no longer owned`);
      continue;
    }
    const current = folder.io.readFileSync(folder.abs(rel));
    if (owned.hash !== contentHash(current)) {
      plan.notices.push(`${rel}: no longer produced, but edited by hand since meshfleet wrote it; kept, and no longer owned by meshfleet`);
      continue;
    }
    const refused = options.checkRemoval?.(rel, current.toString('utf8'));
    if (refused) {
      plan.conflicts.push(`${rel}: ${refused}`);
      continue;
    }
    plan.steps.push({ path: rel, kind: 'remove' });
    plan.removed.push(rel);
  }
}

function checkOtherTrees(folder: ConfinedFolder, files: ReadonlyMap<string, string>, options: WriteTreeOptions, stateDir: string, plan: Plan,
  own: ReadonlyMap<string, OwnedEntry>): void {
  if (!options.checkOtherTree) return;
  const listed = new Set<string>();
  for (const name of folder.io.readdirSync(folder.abs(stateDir)).sort()) {
    const rel = `${stateDir}/${name}`;
    if (!name.endsWith('.files') || rel === options.ownedList || relPathProblem(name)) continue;
    const text = readState(folder, rel);
    if (typeof text !== 'string') continue;
    let entries: Map<string, OwnedEntry>;
    try {
      entries = parseOwnedList(text, rel);
    } catch {
      plan.notices.push(`${rel}: another owned-files list, malformed; ignored`);
      continue;
    }
    for (const p of entries.keys()) listed.add(p);
    // Only what that tree really holds: files it wrote (hash matching) that are not this tree's own paths.
    const real = [...entries.values()].filter((e) => !files.has(e.path) && e.hash !== undefined
      && folder.entry(e.path).kind === 'file' && contentHash(folder.io.readFileSync(folder.abs(e.path))) === e.hash).map((e) => e.path);
    const problem = options.checkOtherTree(rel, real);
    if (problem) plan.conflicts.push(`${rel}: ${problem}`);
  }
  // The trees' own files, whether or not a list names them (a list can be deleted, a file renamed, in a pull request).
  const read = (p: string): string | undefined => {
    if (folder.entry(p).kind !== 'file' || folder.io.lstatSync(folder.abs(p)).size > MAX_SIBLING_FILE_BYTES) return undefined;
    return folder.io.readFileSync(folder.abs(p)).toString('utf8');
  };
  for (const pattern of options.siblingTrees ?? []) {
    const [pre, post = ''] = pattern.split('*');
    const parent = pre.replace(/\/$/, '');
    if (parent === '' || folder.entry(parent).kind !== 'dir') continue;
    for (const name of folder.io.readdirSync(folder.abs(parent)).sort()) {
      if (relPathProblem(name) || name.startsWith('.')) continue;
      const dir = `${pre}${name}${post}`.replace(/\/$/, '');
      if (folder.entry(dir).kind !== 'dir') continue;
      const below = manifestFilesBelow(folder, dir);
      if (below.length > MAX_SIBLING_FILES) {
        plan.conflicts.push(`${pre}${name}/: holds more than ${MAX_SIBLING_FILES} files another tree may declare clusters in; meshfleet cannot check them all (move what is not a tree out of it)`);
        continue;
      }
      const found = below.filter((p) => !files.has(p) && !own.has(p) && !listed.has(p));
      const large = found.filter((p) => folder.io.lstatSync(folder.abs(p)).size > MAX_SIBLING_FILE_BYTES);
      if (large.length > 0) {
        plan.conflicts.push(`${large[0]}: is over ${MAX_SIBLING_FILE_BYTES / 1024 / 1024} MiB, in another tree's folder; meshfleet cannot check which clusters it declares (move it out)`);
        continue;
      }
      if (found.length === 0) continue;
      const problem = options.checkOtherTree(`${pre}${name}/`, found, read);
      if (problem) plan.conflicts.push(`${pre}${name}/: ${problem}`);
    }
  }
}

/** Most files the sibling-tree scan reads below one folder, and the largest it reads. */
const MAX_SIBLING_FILES = 20_000;
const MAX_SIBLING_FILE_BYTES = 1024 * 1024;

/**
 * The files below a folder an engine may apply (YAML, JSON, Jsonnet, and Liquid templates of them; any
 * case), regular files only, no symlink followed; up to one more than MAX_SIBLING_FILES (to say there are more).
 */
function manifestFilesBelow(folder: ConfinedFolder, dir: string): string[] {
  const out: string[] = [];
  const work = [dir];
  while (work.length > 0 && out.length <= MAX_SIBLING_FILES) {
    const d = work.pop()!;
    for (const n of folder.io.readdirSync(folder.abs(d)).sort()) {
      const p = `${d}/${n}`;
      if (relPathProblem(p)) continue;
      const kind = folder.entry(p).kind;
      if (kind === 'dir') work.push(p);
      else if (kind === 'file' && /\.(ya?ml|json|jsonnet|libsonnet)(\.liquid)?$/i.test(n)) out.push(p);
      if (out.length > MAX_SIBLING_FILES) break;
    }
  }
  return out;
}

/** A state file's text (null when absent, undefined when not a regular file), refusing oversize ones. */
export function readState(folder: ConfinedFolder, rel: string): string | null | undefined {
  const e = folder.entry(rel);
  if (e.kind === 'absent') return null;
  if (e.kind !== 'file') return undefined;
  const size = folder.io.lstatSync(folder.abs(rel)).size;
  if (size > MAX_STATE_BYTES) {
    throw new OwnedListError(rel, [`it is ${size} bytes; meshfleet never writes one over ${MAX_STATE_BYTES}`]);
  }
  return folder.io.readFileSync(folder.abs(rel)).toString('utf8');
}

/**
 * Checks, before the first rename, what would make one fail: every folder a file lands in (or is
 * removed from) must be writable and on the file system of the staging folder.
 */
function preflight(folder: ConfinedFolder, steps: readonly Step[], stateDir: string, conflicts: string[]): void {
  const stagingDev = folder.devOf(stateDir);
  const checked = new Set<string>();
  for (const step of steps) {
    const dir = folder.deepestExisting(step.path);
    if (checked.has(dir)) continue;
    checked.add(dir);
    const shown = dir === '' ? '.' : dir;
    if (folder.devOf(dir) !== stagingDev) {
      conflicts.push(`${shown}: is on another file system than ${stateDir}; meshfleet moves files into place by renames, which cannot cross file systems`);
      continue;
    }
    try {
      folder.io.accessSync(dir === '' ? folder.root : folder.abs(dir), 2 /* W_OK */ | 1 /* X_OK */);
    } catch (e) {
      conflicts.push(`${shown}: is not writable (${errno(e) ?? (e as Error).message})`);
    }
  }
}
