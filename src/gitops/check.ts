/** Compares an output folder with a fresh tree without writing (`--check`). */
import * as fs from 'fs';
import * as path from 'path';
import { ConfinedFolder, relPathProblem } from './confined';
import { OwnedEntry, ownedListContent, parseOwnedList } from './owned-list';
import { stagingFolders } from './transaction';

/**
 * Compares an output folder with a freshly synthesized tree, without writing anything and without
 * following a symlink. Returns one line per difference (missing, different, not a regular file, stale
 * owned file, leftover of an interrupted run); empty when equal. A missing folder differs in every file.
 */
export function diffTree(outDir: string, files: ReadonlyMap<string, string>, ownedList: string): string[] {
  if (!fs.existsSync(outDir)) return [...files.keys()].sort().map((rel) => `missing: ${rel}`).concat([`missing: ${ownedList}`]);
  const folder = new ConfinedFolder(outDir);
  const diffs: string[] = [];
  for (const [rel, content] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const existing = relPathProblem(rel) ? undefined : folder.read(rel);
    if (existing === null) diffs.push(`missing: ${rel}`);
    else if (existing === undefined) diffs.push(`not a regular file (a folder or a symlink, or behind one): ${rel}`);
    else if (existing !== content) diffs.push(`differs: ${rel}`);
  }
  const listText = folder.read(ownedList);
  let previous = new Map<string, OwnedEntry>();
  try {
    if (typeof listText === 'string') previous = parseOwnedList(listText, ownedList);
  } catch (e) {
    diffs.push(`malformed: ${ownedList} (${(e as Error).message.split('\n')[1]?.trim() ?? ''})`);
  }
  for (const rel of [...previous.keys()].sort()) {
    if (!files.has(rel) && folder.read(rel) !== null) diffs.push(`no longer produced: ${rel}`);
  }
  if (listText !== ownedListContent(files)) diffs.push(`differs: ${ownedList}`);
  for (const staging of stagingFolders(folder, path.posix.dirname(ownedList))) {
    diffs.push(`interrupted run: ${staging} (the next synth undoes or finishes it)`);
  }
  return diffs;
}
