/**
 * Issue 6, defect 6: two synths at once into one folder. Runs the real CLI as separate processes (the
 * compiled app in lib/, rebuilt first by scripts/run-app.js when a source changed).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { writeTree } from '../../src';
import { WriterFs } from '../../src/gitops/confined';
import { cleanTmp, synthProcess, tmp, tree } from '../gitops/helpers';

const ROOT = path.join(__dirname, '..', '..');
const APP = path.join(ROOT, 'scripts', 'run-app.js');

afterAll(cleanTmp);

/** A fleet of n stack-less clusters (so a smaller fleet may remove the others' files: no stack would be destroyed). */
function fleet(n: number): string {
  const lines = ['name: race', 'cilium:', '  version: 1.18.1', '  cni: eni', 'tiers: [t0, t1]', 'clusters:'];
  for (let i = 0; i < n; i++) {
    lines.push(`  - {name: race-${i}, id: ${(i % 100) + 1}, tier: t${Math.floor(i / 100)}, region: us-west-2, dnsZone: race.example.com, stack: false}`);
  }
  return `${lines.join('\n')}\n`;
}

const synth = synthProcess;

describe('two synths at once into one folder', () => {
  beforeAll(() => {
    const r = spawnSync(process.execPath, [APP, '--help'], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`cannot build the app: ${r.stderr}`);
  });

  test('GIVEN a run in the middle of its move WHEN a second run starts THEN the second is kept out by the lock and the folder ends as the first run\'s tree', () => {
    const dir = tmp('meshfleet-race-');
    const LIST = '.meshfleet/f.files';
    writeTree(dir, new Map([['a.yaml', 'old\n'], ['b.yaml', 'old\n']]), { ownedList: LIST });
    let second: unknown;
    let renames = 0;
    const io = { ...fs } as unknown as WriterFs;
    (io as { renameSync: WriterFs['renameSync'] }).renameSync = (from: string, to: string) => {
      fs.renameSync(from, to);
      if (++renames === 2) {
        // What another process would do now, halfway through the first run's renames.
        try {
          writeTree(dir, new Map([['a.yaml', 'second\n'], ['c.yaml', 'second\n']]), { ownedList: LIST, lockTimeoutMs: 0 });
        } catch (e) {
          second = e;
        }
      }
    };
    writeTree(dir, new Map([['a.yaml', 'first\n'], ['b.yaml', 'first\n']]), { ownedList: LIST, fs: io });
    expect(String(second)).toMatch(/another meshfleet run \(pid \d+ on .*\) is writing to this folder; waited 0 ms/);
    expect(Object.fromEntries(Object.entries(tree(dir)).filter(([p]) => !p.startsWith('.meshfleet/')))).toEqual({ 'a.yaml': 'first\n', 'b.yaml': 'first\n' });
  });

  test('GIVEN an 80- and a 120-cluster fleet WHEN synthesized at once by two processes THEN both finish and the folder holds exactly one of the two trees', async () => {
    const dir = tmp('meshfleet-race-');
    const small = path.join(dir, 'small.yaml');
    const big = path.join(dir, 'big.yaml');
    fs.writeFileSync(small, fleet(80));
    fs.writeFileSync(big, fleet(120));
    const expected: Record<string, Record<string, string>> = {};
    for (const [name, file] of [['small', small], ['big', big]]) {
      const out = path.join(dir, `fresh-${name}`);
      expect((await synth(file, out)).code).toBe(0);
      expected[name] = tree(out);
    }
    for (let round = 0; round < 2; round++) {
      const out = path.join(dir, `out-${round}`);
      const [a, b] = await Promise.all([synth(small, out), synth(big, out)]);
      for (const r of [a, b]) expect([r.code, r.err]).toEqual([0, '']);
      const got = tree(out);
      const which = JSON.stringify(got) === JSON.stringify(expected.small) ? 'small' : JSON.stringify(got) === JSON.stringify(expected.big) ? 'big' : 'mixed';
      expect({ round, which }).not.toEqual({ round, which: 'mixed' });
    }
  }, 60_000);
});
