import * as path from 'path';
import { ownedListContent, readIfFile, readOwned } from './writer';

/**
 * Compares an output folder with a freshly synthesized tree, without writing anything.
 * Returns one line per difference (missing, different, or stale owned file); empty when equal.
 */
export function diffTree(outDir: string, files: ReadonlyMap<string, string>, ownedList: string): string[] {
  const diffs: string[] = [];
  for (const [rel, content] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const existing = readIfFile(path.join(outDir, rel));
    if (existing === null) diffs.push(`missing: ${rel}`);
    else if (existing !== content) diffs.push(`differs: ${rel}`);
  }
  const listPath = path.join(outDir, ownedList);
  for (const rel of [...readOwned(listPath)].sort()) {
    if (!files.has(rel) && readIfFile(path.join(outDir, rel)) !== null) diffs.push(`no longer produced: ${rel}`);
  }
  if (readIfFile(listPath) !== ownedListContent(files)) diffs.push(`differs: ${ownedList}`);
  return diffs;
}
