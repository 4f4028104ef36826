/** Compares an output folder with a fresh tree without writing (`--check`). */
import * as fs from 'fs';
import * as path from 'path';
import { ConfinedFolder, contentHash, relPathProblem } from './confined';
import { OwnedEntry, ownedListContent, parseOwnedList } from './owned-list';
import { stagingFolders } from './transaction';

/** Most entries the extra-file scan lists below a tree's folders (past it, one line says so). */
const MAX_SCANNED = 200_000;

/** Every regular file or other non-folder entry below the given folders (no symlink followed; a symlink is listed). */
function filesBelow(folder: ConfinedFolder, prefixes: readonly string[]): string[] {
  const out: string[] = [];
  const work = prefixes.map((p) => p.replace(/\/$/, '')).filter((p) => folder.entry(p).kind === 'dir');
  while (work.length > 0 && out.length < MAX_SCANNED) {
    const d = work.pop()!;
    for (const n of folder.io.readdirSync(folder.abs(d))) {
      const p = `${d}/${n}`;
      if (relPathProblem(p)) continue;
      if (folder.entry(p).kind === 'dir') work.push(p);
      else out.push(p);
    }
  }
  return out.sort();
}

/**
 * Compares an output folder with a freshly synthesized tree, without writing anything and without
 * following a symlink. Returns one line per difference (missing, different, not a regular file, stale
 * owned file, a file in the tree's folders it does not generate, leftover of an interrupted run); empty
 * when equal. A missing folder differs in every file.
 *
 * @param ownedPrefixes the tree's folders, searched for files it does not generate @default - none searched
 * @param foreign paths in those folders that another tool writes (Flux's bootstrap), not searched @default - none
 */
export function diffTree(outDir: string, files: ReadonlyMap<string, string>, ownedList: string, ownedPrefixes: readonly string[] = [], foreign?: RegExp): string[] {
  let exists = true;
  try {
    fs.lstatSync(outDir);
  } catch {
    exists = false;
  }
  if (!exists) return [...files.keys()].sort().map((rel) => `missing: ${rel}`).concat([`missing: ${ownedList}`]);
  const folder = new ConfinedFolder(outDir);
  const diffs: string[] = [];
  const listText = folder.read(ownedList);
  let previous = new Map<string, OwnedEntry>();
  try {
    if (typeof listText === 'string') previous = parseOwnedList(listText, ownedList);
  } catch (e) {
    diffs.push(`malformed: ${ownedList} (${(e as Error).message.split('\n')[1]?.trim() ?? ''})`);
  }
  for (const [rel, content] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const existing = relPathProblem(rel) ? undefined : folder.read(rel);
    if (existing === null) diffs.push(`missing: ${rel}`);
    else if (existing === undefined) diffs.push(`not a regular file (a folder or a symlink, or behind one): ${rel}`);
    else if (existing !== content) {
      const hash = previous.get(rel)?.hash;
      diffs.push(hash !== undefined && hash !== contentHash(existing)
        ? `differs, edited by hand (synth will refuse to overwrite it: move the change into the fleet description, or delete the file): ${rel}`
        : `differs: ${rel}`);
    }
  }
  for (const rel of [...previous.keys()].sort()) {
    if (!files.has(rel) && folder.read(rel) !== null) diffs.push(`no longer produced: ${rel}`);
  }
  // Every other file in the tree's own folders: the engine applies what it finds there (Argo CD's root
  // Application recurses, Plural syncs bootstrap/), so a file planted in a pull request is a difference.
  for (const rel of filesBelow(folder, ownedPrefixes)) {
    if (foreign?.test(rel)) continue;
    if (!files.has(rel) && !previous.has(rel)) diffs.push(`not generated, in a generated folder (the engine would apply it; move it out of the tree's folders or delete it): ${rel}`);
  }
  if (listText !== ownedListContent(files)) diffs.push(`differs: ${ownedList}`);
  const stateDir = path.posix.dirname(ownedList);
  for (const staging of stagingFolders(folder, stateDir)) {
    diffs.push(`interrupted run: ${staging} (the next synth undoes or finishes it)`);
  }
  if (folder.entry(stateDir).kind === 'dir') {
    for (const name of folder.io.readdirSync(folder.abs(stateDir)).sort()) {
      if (name === 'lock' || name === 'lock.guard' || name.startsWith('.lock-')) {
        diffs.push(`leftover lock: ${stateDir}/${name} (a lock is never committed; it blocks synth until it is deleted or its run ends)`);
      }
    }
  }
  return diffs;
}
