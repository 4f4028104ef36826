/** Compares an output folder with a fresh tree without writing (`--check`). */
import * as fs from 'fs';
import * as path from 'path';
import { ConfinedFolder, contentHash, relPathProblem } from './confined';
import { OwnedEntry, ownedListContent, parseOwnedList } from './owned-list';
import { stagingFolders } from './transaction';

/**
 * Compares an output folder with a freshly synthesized tree, without writing anything and without
 * following a symlink. Returns one line per difference (missing, different, not a regular file, stale
 * owned file, leftover of an interrupted run); empty when equal. A missing folder differs in every file.
 */
export function diffTree(outDir: string, files: ReadonlyMap<string, string>, ownedList: string): string[] {
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
