import * as fs from 'fs';
import * as path from 'path';
import { writeTree } from '../../src';
import { recoverTree } from '../../src/gitops/writer';
import { cleanTmp, deadPid, faultyFs, Killed, markLocksDead, tmp, tree } from './helpers';

const LIST = '.meshfleet/f.files';
const POOL = ['a.yaml', 'b/one.yaml', 'b/two.yaml', 'b/c/deep.yaml', 'd/e.yaml', 'f.yaml'];

afterAll(cleanTmp);

/** A small deterministic PRNG (mulberry32), so a failing sequence can be replayed from its seed. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomTree(next: () => number): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of POOL) if (next() < 0.6) out.set(p, `v: ${Math.floor(next() * 3)}\n`);
  return out;
}

/** The folder with its (dead) lock and interrupted runs handled, as the next run would find it. */
function settle(dir: string): void {
  markLocksDead(dir, deadPidValue);
  recoverTree(dir, { ownedList: LIST });
}
const deadPidValue = deadPid();

describe('writeTree under random synths, injected failures and kills', () => {
  test.each([1, 2, 3, 4, 5, 6])('GIVEN seed %i WHEN 25 random steps run THEN the folder is always the old or the new tree and nothing unowned changes', (seed) => {
    const next = rng(seed);
    const parent = tmp('meshfleet-property-');
    const dir = path.join(parent, 'out');
    fs.mkdirSync(path.join(dir, 'b'), { recursive: true });
    fs.writeFileSync(path.join(parent, 'outside.txt'), 'outside\n');
    fs.writeFileSync(path.join(dir, 'hand.md'), 'hand-written\n');
    fs.writeFileSync(path.join(dir, 'b/hand.tf'), 'terraform {}\n');
    const unowned = { '../outside.txt': 'outside\n', 'hand.md': 'hand-written\n', 'b/hand.tf': 'terraform {}\n' };
    let current = tree(dir);
    for (let step = 0; step < 25; step++) {
      const files = randomTree(next);
      const mode = next() < 0.2 ? 'none' : next() < 0.5 ? 'throw' : 'kill';
      const io = faultyFs(mode === 'none' ? Number.MAX_SAFE_INTEGER : 1 + Math.floor(next() * 70), mode === 'kill' ? 'kill' : 'throw');
      let ok = false;
      try {
        writeTree(dir, files, { ownedList: LIST, fs: io, lockTimeoutMs: 0 });
        ok = true;
      } catch (e) {
        if (!(e instanceof Killed) && !/EIO|killed/.test((e as Error).message)) throw e;
      }
      settle(dir);
      const now = tree(dir);
      const wanted = expectedTree(current, files);
      const where = `seed ${seed}, step ${step} (${mode} at call ${ok ? '-' : io.calls})`;
      if (ok) expect({ where, now }).toEqual({ where, now: wanted });
      else expect({ where, same: equal(now, current) || equal(now, wanted) }).toEqual({ where, same: true });
      for (const [rel, content] of Object.entries(unowned)) {
        expect({ where, rel, content: fs.readFileSync(path.join(dir, rel), 'utf8') }).toEqual({ where, rel, content });
      }
      current = now;
    }
  });
});

/** What the folder must hold after `files` was written over `before`. */
function expectedTree(before: Record<string, string>, files: Map<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [rel, content] of Object.entries(before)) if (!POOL.includes(rel) && !rel.startsWith('.meshfleet/')) out[rel] = content;
  for (const [rel, content] of files) out[rel] = content;
  const { ownedListContent } = jest.requireActual('../../src/gitops/owned-list') as typeof import('../../src/gitops/owned-list');
  out[LIST] = ownedListContent(files);
  return out;
}

function equal(a: Record<string, string>, b: Record<string, string>): boolean {
  return JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
}
