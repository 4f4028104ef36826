/** The owned-files list: which files meshfleet wrote into a folder, with the hash of each. */
import { contentHash, relPathProblem } from './confined';

const HEADER = '# Files written by meshfleet into this folder; it replaces or removes only these.\n'
  + '# Each line: the sha256 of the content meshfleet wrote, two spaces, the path (as `sha256sum` prints it).\n'
  + '# A file whose content no longer matches was edited by hand: meshfleet reports it and never overwrites or deletes it.\n';

/** One entry of an owned-files list: the path and the hash of what meshfleet wrote there. */
export interface OwnedEntry {
  /** Path relative to the output folder. */
  readonly path: string;
  /**
   * sha256 of the content meshfleet wrote.
   * @default - none: a list written before hashes were recorded; the file is trusted as meshfleet's
   */
  readonly hash?: string;
}

/** Thrown when an owned-files list cannot be trusted; the message says how to repair it. */
export class OwnedListError extends Error {
  constructor(listPath: string, problems: readonly string[]) {
    super(`the owned-files list ${listPath} is malformed, so meshfleet will not act on it; nothing was changed:\n  `
      + `${problems.join('\n  ')}\n`
      + `repair it: restore it from Git (git checkout -- ${listPath}; in a merge with conflicts in generated files, take one side of `
      + `each, git checkout --theirs -- ${listPath} and the other generated files, then synth writes the merged fleet's tree), or delete it; `
      + 'meshfleet then owns only files whose content already equals what it would write, and names every other file in its way');
    this.name = 'OwnedListError';
  }
}

/** The content of the owned-files list for a tree: one `sha256  path` line per file, sorted by path. */
export function ownedListContent(files: ReadonlyMap<string, string>): string {
  return HEADER + [...files.keys()].sort().map((p) => `${contentHash(files.get(p)!)}  ${p}\n`).join('');
}

/**
 * Parses an owned-files list. Accepts the older form (a path per line, no hash). Every path must be
 * relative, with no `..` or empty segment, and (when given) under one of `prefixes`; anything else
 * makes the list malformed.
 * @throws OwnedListError naming every bad line
 */
export function parseOwnedList(text: string, listPath: string, prefixes?: readonly string[]): Map<string, OwnedEntry> {
  const out = new Map<string, OwnedEntry>();
  const problems: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (line === '' || line.startsWith('#')) return;
    const m = /^([0-9a-f]{64}) {2}(.*)$/.exec(line);
    const rel = m ? m[2] : line;
    const problem = relPathProblem(rel)
      ?? (prefixes && !prefixes.some((p) => rel.startsWith(p)) ? `is outside this tree's folders (${prefixes.join(', ')})` : undefined);
    if (problem) {
      problems.push(`line ${i + 1}: ${JSON.stringify(rel.length > 200 ? `${rel.slice(0, 200)}...` : rel)} ${problem}`);
      return;
    }
    if (out.has(rel)) {
      problems.push(`line ${i + 1}: "${rel}" is listed twice`);
      return;
    }
    out.set(rel, m ? { path: rel, hash: m[1] } : { path: rel });
  });
  if (problems.length > 0) throw new OwnedListError(listPath, problems.slice(0, 20).concat(problems.length > 20 ? [`... and ${problems.length - 20} more`] : []));
  return out;
}
