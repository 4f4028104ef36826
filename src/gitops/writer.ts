import * as fs from 'fs';
import * as path from 'path';

/** What a write changed. */
export interface WriteResult {
  /** Files created or whose content changed. */
  readonly written: readonly string[];
  /** Files already up to date (left untouched, mtime kept). */
  readonly unchanged: readonly string[];
  /** Files written by an earlier run that are no longer produced, now removed. */
  readonly removed: readonly string[];
}

/** Options of `writeTree`. */
export interface WriteTreeOptions {
  /**
   * Path, relative to the output folder, of the list of files this writer owns. Only files on
   * that list are ever replaced without question or removed.
   */
  readonly ownedList: string;
}

const LIST_HEADER = '# Files written by meshfleet into this folder; it replaces or removes only these.\n';

/**
 * Writes a generated tree into `outDir`, safely:
 * - only files it owns are touched: a file it did not write before is never overwritten (unless its
 *   content is already identical) and every other file in the folder is kept;
 * - files it wrote earlier that are no longer produced are removed (and folders left empty by that);
 * - everything is first staged next to the target and moved into place only once all of it was
 *   written, so a failed run leaves the folder as it was;
 * - unchanged files are not rewritten.
 *
 * @throws Error listing every conflicting path, before anything is written
 */
export function writeTree(outDir: string, files: ReadonlyMap<string, string>, options: WriteTreeOptions): WriteResult {
  const listPath = path.join(outDir, options.ownedList);
  const previous = readOwned(listPath);
  const conflicts: string[] = [];
  const changed: string[] = [];
  const unchanged: string[] = [];
  for (const [rel, content] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const target = path.join(outDir, rel);
    const existing = readIfFile(target);
    if (existing === content) {
      unchanged.push(rel);
      continue;
    }
    if (existing === null && blockedByFile(outDir, rel)) {
      conflicts.push(`${rel}: a parent folder of it is a file`);
      continue;
    }
    if (existing !== null && !previous.has(rel)) {
      conflicts.push(`${rel}: exists and was not written by meshfleet (move it away, or delete it to let meshfleet own it)`);
      continue;
    }
    if (existing === undefined) {
      conflicts.push(`${rel}: exists and is not a regular file`);
      continue;
    }
    changed.push(rel);
  }
  if (conflicts.length > 0) {
    throw new Error(`refusing to write to ${outDir}; nothing was changed:\n  ${conflicts.join('\n  ')}`);
  }
  const stale = [...previous].filter((rel) => !files.has(rel)).sort();
  const listContent = ownedListContent(files);
  const listChanged = readIfFile(listPath) !== listContent;

  if (changed.length === 0 && stale.length === 0 && !listChanged) {
    return { written: [], unchanged, removed: [] };
  }
  // Stage everything first; a failure here leaves the output folder untouched.
  fs.mkdirSync(path.dirname(listPath), { recursive: true });
  const staging = fs.mkdtempSync(path.join(path.dirname(listPath), '.staging-'));
  try {
    changed.forEach((rel, i) => fs.writeFileSync(path.join(staging, String(i)), files.get(rel)!));
    fs.writeFileSync(path.join(staging, 'list'), listContent);
    // Move into place: renames within one file system, each atomic.
    changed.forEach((rel, i) => {
      const target = path.join(outDir, rel);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.renameSync(path.join(staging, String(i)), target);
    });
    const removed: string[] = [];
    for (const rel of stale) {
      const target = path.join(outDir, rel);
      if (readIfFile(target) !== null) {
        fs.rmSync(target, { force: true });
        removed.push(rel);
        pruneEmptyDirs(outDir, path.dirname(target));
      }
    }
    fs.renameSync(path.join(staging, 'list'), listPath);
    return { written: changed, unchanged, removed };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** The content of the owned-files list for a tree. */
export function ownedListContent(files: ReadonlyMap<string, string>): string {
  return LIST_HEADER + [...files.keys()].sort().map((p) => `${p}\n`).join('');
}

/** The paths listed in an owned-files list; empty when there is none. */
export function readOwned(listPath: string): Set<string> {
  const text = readIfFile(listPath);
  if (typeof text !== 'string') return new Set();
  return new Set(text.split('\n').filter((l) => l && !l.startsWith('#')));
}

/** File content; null when absent; undefined when something other than a file is there. */
export function readIfFile(p: string): string | null | undefined {
  try {
    const st = fs.statSync(p);
    return st.isFile() ? fs.readFileSync(p, 'utf8') : undefined;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return null;
    throw e;
  }
}

function blockedByFile(outDir: string, rel: string): boolean {
  let dir = path.dirname(path.join(outDir, rel));
  while (dir.length > outDir.length) {
    try {
      if (!fs.statSync(dir).isDirectory()) return true;
    } catch {
      // absent: fine
    }
    dir = path.dirname(dir);
  }
  return false;
}

function pruneEmptyDirs(outDir: string, dir: string): void {
  const root = path.resolve(outDir);
  let d = path.resolve(dir);
  while (d.startsWith(root + path.sep)) {
    try {
      if (fs.readdirSync(d).length > 0) return;
      fs.rmdirSync(d);
    } catch {
      return;
    }
    d = path.dirname(d);
  }
}
