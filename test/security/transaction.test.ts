/**
 * Issue 16, defects 6, 8, 9 and 10: one run is one transaction across targets; a journal is acted on
 * only when it verifies with a key only this user's runs can read and names nothing outside the tree's
 * folders; a kill at any point of a run, cleanup included, is recovered by the next run; the rename guard
 * holds without the owned list.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ConfinedFolder, contentHash } from '../../src/gitops/confined';
import { journalKey, journalMac } from '../../src/gitops/transaction';
import { recoverTree, writeTrees } from '../../src/gitops/writer';
import { cleanTmp, deadPid, faultyFs, Killed, markLocksDead, tmp, tree } from '../gitops/helpers';
import { runCli as cli } from '../support';

afterAll(cleanTmp);

const ROOT = path.join(__dirname, '..', '..');
const EXAMPLE = fs.readFileSync(path.join(ROOT, 'fleet.yaml'), 'utf8');

/** The folder's files outside meshfleet's state folder. */
function files(dir: string): Record<string, string> {
  return Object.fromEntries(Object.entries(tree(dir)).filter(([p]) => !p.startsWith('.meshfleet/')));
}

describe('one run, one transaction across targets (defect 6)', () => {
  function setup(): { dir: string; fleet: string; before: Record<string, string> } {
    const dir = tmp('meshfleet-tx-');
    const fleet = path.join(dir, 'fleet.yaml');
    fs.writeFileSync(fleet, EXAMPLE);
    expect(cli(['synth', '--fleet', fleet, '--out', path.join(dir, 'out')]).code).toBe(0);
    fs.writeFileSync(fleet, EXAMPLE.replace('    podCidr: 10.12.0.0/16\n', '    podCidr: 10.12.0.0/16\n  - {name: orchid-prod-euw1, id: 13, tier: prod, region: eu-west-1, dnsZone: prod.pocs.plural.sh, podCidr: 10.13.0.0/16}\n'));
    return { dir, fleet, before: tree(path.join(dir, 'out')) };
  }

  test('GIVEN an Argo CD file edited by hand WHEN both targets are synthesized THEN the Plural tree is not written either, and the message says so truly', () => {
    const { dir, fleet, before } = setup();
    const out = path.join(dir, 'out');
    const edited = path.join(out, 'argocd/orchid/cilium/mesh-prod.yaml');
    fs.appendFileSync(edited, '# hand edit\n');
    const r = cli(['synth', '--fleet', fleet, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('nothing was changed');
    expect(r.err).toContain('argocd/orchid/cilium/mesh-prod.yaml: was edited by hand');
    expect(r.out).toBe('');
    expect(tree(out)).toEqual({ ...before, 'argocd/orchid/cilium/mesh-prod.yaml': `${before['argocd/orchid/cilium/mesh-prod.yaml']}# hand edit\n` });
  });

  test('GIVEN a malformed Argo CD owned list WHEN both targets are synthesized THEN nothing is written', () => {
    const { dir, fleet, before } = setup();
    const out = path.join(dir, 'out');
    fs.appendFileSync(path.join(out, '.meshfleet/orchid.argocd.files'), 'not a line\n');
    const r = cli(['synth', '--fleet', fleet, '--out', out]);
    expect(r.code).not.toBe(0);
    const { ['.meshfleet/orchid.argocd.files']: list, ...rest } = tree(out);
    const { ['.meshfleet/orchid.argocd.files']: was, ...restBefore } = before;
    expect(list).toBe(`${was}not a line\n`);
    expect(rest).toEqual(restBefore);
  });

  (process.getuid?.() === 0 ? test.skip : test)('GIVEN a read-only Argo CD folder WHEN both targets are synthesized THEN nothing is written', () => {
    const { dir, fleet, before } = setup();
    const out = path.join(dir, 'out');
    fs.chmodSync(path.join(out, 'argocd/orchid/apps/clusters'), 0o555);
    try {
      expect(cli(['synth', '--fleet', fleet, '--out', out]).code).toBe(1);
      expect(tree(out)).toEqual(before);
    } finally {
      fs.chmodSync(path.join(out, 'argocd/orchid/apps/clusters'), 0o755);
    }
  });

  test('GIVEN a failure while moving the second tree\'s files WHEN written THEN the first tree\'s moves are undone too', () => {
    const dir = tmp('meshfleet-tx-');
    const a = { files: new Map([['p/a.yaml', '1\n']]), options: { ownedList: '.meshfleet/x.files', ownedPrefixes: ['p/'] } };
    const b = { files: new Map([['q/b.yaml', '1\n']]), options: { ownedList: '.meshfleet/x.q.files', ownedPrefixes: ['q/'] } };
    writeTrees(dir, [a, b]);
    // Count the calls of a good run, then fail at each rename of a run of both trees.
    const a2 = { ...a, files: new Map([['p/a.yaml', '2\n']]) };
    const b2 = { ...b, files: new Map([['q/b.yaml', '2\n']]) };
    for (let at = 1; at < 200; at++) {
      const io = faultyFs(at, 'throw');
      let ok = true;
      try {
        writeTrees(dir, [a2, b2], { fs: io });
      } catch {
        ok = false;
      }
      const now = files(dir);
      if (ok) {
        expect(now).toEqual({ 'p/a.yaml': '2\n', 'q/b.yaml': '2\n' });
        break;
      }
      expect({ at, same: JSON.stringify(now) === JSON.stringify({ 'p/a.yaml': '1\n', 'q/b.yaml': '1\n' }) }).toEqual({ at, same: true });
    }
  });

  test('GIVEN two trees that would write one path WHEN written THEN it is refused before anything is written', () => {
    const dir = tmp('meshfleet-tx-');
    expect(() => writeTrees(dir, [
      { files: new Map([['p/a.yaml', '1\n']]), options: { ownedList: '.meshfleet/x.files' } },
      { files: new Map([['p/a.yaml', '2\n']]), options: { ownedList: '.meshfleet/y.files' } },
    ])).toThrow('p/a.yaml: is written by two trees of this run');
    expect(files(dir)).toEqual({});
  });
});

describe('journals (defect 8)', () => {
  const LIST = '.meshfleet/f.files';
  function staged(dir: string, steps: unknown[], mac: string): void {
    const staging = path.join(dir, '.meshfleet/.staging-aaaa');
    fs.mkdirSync(path.join(staging, 'old'), { recursive: true });
    fs.writeFileSync(path.join(staging, 'old/0'), 'name: pwn\non: push\n');
    fs.writeFileSync(path.join(staging, 'journal.json'), JSON.stringify({ steps, mac }));
  }
  const STEPS = [
    { path: '.github/workflows/pwn.yml', kind: 'replace' },
    { path: 'terraform/main.tf', kind: 'create', hash: contentHash('terraform {}\n') },
  ];

  function folder(): string {
    const dir = tmp('meshfleet-journal-');
    writeTrees(dir, [{ files: new Map([['gen/a.yaml', '1\n']]), options: { ownedList: LIST, ownedPrefixes: ['gen/'] } }]);
    fs.mkdirSync(path.join(dir, 'terraform'));
    fs.writeFileSync(path.join(dir, 'terraform/main.tf'), 'terraform {}\n');
    return dir;
  }

  function expectUntouched(dir: string, notices: readonly string[]): void {
    expect(notices[0]).toMatch(/^left \.meshfleet\/\.staging-aaaa alone: its journal was not written by a meshfleet run/);
    expect(fs.existsSync(path.join(dir, '.github/workflows/pwn.yml'))).toBe(false);
    expect(fs.readFileSync(path.join(dir, 'terraform/main.tf'), 'utf8')).toBe('terraform {}\n');
  }

  test('GIVEN a journal whose MAC is made from what any local user can read (boot id, host, uid, path) WHEN synthesized THEN it is not acted on', () => {
    const dir = folder();
    const crypto = require('crypto') as typeof import('crypto');
    let boot = '';
    try {
      boot = fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    } catch {
      boot = 'x';
    }
    const key = `${boot}\0${os.hostname()}\0${process.getuid?.() ?? ''}`;
    const root = fs.realpathSync(dir);
    staged(dir, STEPS, crypto.createHmac('sha256', key).update(`${root}\0${JSON.stringify(STEPS)}`).digest('hex'));
    const [r] = writeTrees(dir, [{ files: new Map([['gen/a.yaml', '2\n']]), options: { ownedList: LIST, ownedPrefixes: ['gen/'] } }]);
    expectUntouched(dir, r.notices);
  });

  test('GIVEN a key file committed to Git (mode 0644) and a journal made with it WHEN synthesized THEN it is not acted on, and the key is replaced', () => {
    const dir = folder();
    const key = Buffer.alloc(32, 7);
    fs.writeFileSync(path.join(dir, '.meshfleet/journal.key'), key.toString('hex'), { mode: 0o644 });
    fs.chmodSync(path.join(dir, '.meshfleet/journal.key'), 0o644);
    staged(dir, STEPS, journalMac(key, fs.realpathSync(dir), STEPS as never));
    const [r] = writeTrees(dir, [{ files: new Map([['gen/a.yaml', '2\n']]), options: { ownedList: LIST, ownedPrefixes: ['gen/'] } }]);
    expectUntouched(dir, r.notices);
    expect(fs.readFileSync(path.join(dir, 'gen/a.yaml'), 'utf8')).toBe('2\n');
  });

  test('GIVEN a key file checked out with mode 0600 (umask 077) and a journal made with its bytes WHEN synthesized THEN it is not acted on', () => {
    const dir = folder();
    const key = Buffer.alloc(32, 9);
    fs.writeFileSync(path.join(dir, '.meshfleet/journal.key'), key.toString('hex'), { mode: 0o600 });
    const steps = [{ path: 'gen/a.yaml', kind: 'replace' }];
    staged(dir, steps, journalMac(key, fs.realpathSync(dir), steps as never));
    const [r] = writeTrees(dir, [{ files: new Map([['gen/a.yaml', '2\n']]), options: { ownedList: LIST, ownedPrefixes: ['gen/'] } }]);
    expect(r.notices[0]).toMatch(/^left \.meshfleet\/\.staging-aaaa alone: its journal was not written by a meshfleet run/);
    expect(fs.readFileSync(path.join(dir, 'gen/a.yaml'), 'utf8')).toBe('2\n');
  });

  test('GIVEN the genuine key, bound to its file, and a journal made with it that names files outside the tree\'s folders WHEN synthesized THEN it is not acted on', () => {
    const dir = folder();
    const confined = new ConfinedFolder(dir);
    const key = journalKey(confined, '.meshfleet', true)!;
    staged(dir, STEPS, journalMac(key, fs.realpathSync(dir), STEPS as never));
    const [r] = writeTrees(dir, [{ files: new Map([['gen/a.yaml', '2\n']]), options: { ownedList: LIST, ownedPrefixes: ['gen/'] } }]);
    expectUntouched(dir, r.notices);
  });

  test('GIVEN the genuine key and a journal inside the tree\'s folders WHEN synthesized THEN it is acted on (the control case)', () => {
    const dir = folder();
    const key = journalKey(new ConfinedFolder(dir), '.meshfleet', true)!;
    const steps = [{ path: 'gen/a.yaml', kind: 'replace' }];
    fs.writeFileSync(path.join(dir, 'gen/a.yaml'), '');
    fs.rmSync(path.join(dir, 'gen/a.yaml'));
    staged(dir, steps, journalMac(key, fs.realpathSync(dir), steps as never));
    // The journal's old copy goes back in place (and this run then finds that file is not what it wrote).
    expect(() => writeTrees(dir, [{ files: new Map([['gen/a.yaml', '1\n']]), options: { ownedList: LIST, ownedPrefixes: ['gen/'] } }]))
      .toThrow('(before that, undid a run that was killed half-way (.meshfleet/.staging-aaaa): 1 file restored)');
    expect(fs.readFileSync(path.join(dir, 'gen/a.yaml'), 'utf8')).toBe('name: pwn\non: push\n');
  });

  test('GIVEN a committed staging folder that is never acted on WHEN synthesized THEN no key is left behind to be committed', () => {
    const dir = folder();
    fs.mkdirSync(path.join(dir, '.meshfleet/.staging-zzz'));
    fs.writeFileSync(path.join(dir, '.meshfleet/.staging-zzz/x'), 'junk\n');
    writeTrees(dir, [{ files: new Map([['gen/a.yaml', '4\n']]), options: { ownedList: LIST, ownedPrefixes: ['gen/'] } }]);
    expect(fs.existsSync(path.join(dir, '.meshfleet/journal.key'))).toBe(false);
  });

  test('GIVEN a finished run THEN no key, staging folder or trash is left in the state folder', () => {
    const dir = folder();
    writeTrees(dir, [{ files: new Map([['gen/a.yaml', '3\n']]), options: { ownedList: LIST, ownedPrefixes: ['gen/'] } }]);
    expect(fs.readdirSync(path.join(dir, '.meshfleet'))).toEqual(['f.files']);
  });
});

describe('a kill at every point of a run, cleanup included (defect 9)', () => {
  const deadPidValue = deadPid();
  const A = '.meshfleet/f.files';
  const B = '.meshfleet/f.b.files';
  /** What a killed process left looks like a dead process's; then the next run recovers. */
  function settle(dir: string): string[] {
    markLocksDead(dir, deadPidValue);
    return recoverTree(dir, { ownedList: A, ownedPrefixes: ['p/', 'q/'] });
  }

  test('GIVEN a two-tree run killed at each of its file-system calls WHEN the next run comes THEN the folder is the old or the new trees, and nothing is left behind', () => {
    const trees = (v: string) => [
      { files: new Map([['p/a.yaml', v], ['p/x/b.yaml', v]]), options: { ownedList: A, ownedPrefixes: ['p/'] } },
      { files: new Map([['q/c.yaml', v]]), options: { ownedList: B, ownedPrefixes: ['q/'] } },
    ];
    const old = { 'p/a.yaml': '1\n', 'p/x/b.yaml': '1\n', 'q/c.yaml': '1\n' };
    const neu = { 'p/a.yaml': '2\n', 'p/x/b.yaml': '2\n', 'q/c.yaml': '2\n' };
    let finished = false;
    for (let at = 1; !finished; at++) {
      const dir = tmp('meshfleet-kill-');
      writeTrees(dir, trees('1\n'));
      const io = faultyFs(at, 'kill');
      try {
        writeTrees(dir, trees('2\n'), { fs: io, lockTimeoutMs: 0 });
        finished = true;
      } catch (e) {
        if (!(e instanceof Killed) && !/killed/.test((e as Error).message)) throw e;
      }
      const report = settle(dir);
      const now = JSON.stringify(files(dir));
      expect({ at, report: report.filter((l) => l.includes('alone')) }).toEqual({ at, report: [] });
      expect({ at, oldOrNew: now === JSON.stringify(old) || now === JSON.stringify(neu) }).toEqual({ at, oldOrNew: true });
      expect({ at, state: fs.readdirSync(path.join(dir, '.meshfleet')).filter((n) => !n.endsWith('.files')) }).toEqual({ at, state: [] });
      // And the next synth succeeds and gives the new trees.
      writeTrees(dir, trees('2\n'));
      expect(files(dir)).toEqual(neu);
      expect(at).toBeLessThan(400);
    }
  });
});

describe('the rename guard without the owned list (defect 10)', () => {
  test('GIVEN a fleet renamed and the old owned list deleted WHEN synthesized THEN it is still refused (the old tree\'s cluster files are read)', () => {
    const dir = tmp('meshfleet-rename-');
    const fleet = path.join(dir, 'fleet.yaml');
    const out = path.join(dir, 'out');
    fs.writeFileSync(fleet, EXAMPLE);
    expect(cli(['synth', '--fleet', fleet, '--out', out]).code).toBe(0);
    fs.rmSync(path.join(out, '.meshfleet/orchid.files'));
    fs.rmSync(path.join(out, '.meshfleet/orchid.argocd.files'));
    fs.writeFileSync(fleet, EXAMPLE.replace('name: orchid\n', 'name: orchid2\n').replace('identifier: orchid/infra', 'identifier: orchid/infra2'));
    const before = tree(out);
    const r = cli(['synth', '--fleet', fleet, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('bootstrap/orchid/: another tree in this folder already declares clusters "orchid-dev", "orchid-dev-usw1"');
    expect(r.err).toContain('argocd/orchid/: another tree in this folder already declares clusters');
    expect(tree(out)).toEqual(before);
  });

  test('GIVEN the old tree\'s cluster files renamed as well (old-a1.yaml, a2.yml, moved to another folder) WHEN the renamed fleet is synthesized THEN the objects in them are read and it is refused', () => {
    const dir = tmp('meshfleet-rename-');
    const fleet = path.join(dir, 'fleet.yaml');
    const out = path.join(dir, 'out');
    fs.writeFileSync(fleet, EXAMPLE);
    expect(cli(['synth', '--fleet', fleet, '--out', out]).code).toBe(0);
    for (const list of ['orchid.files', 'orchid.argocd.files']) fs.rmSync(path.join(out, '.meshfleet', list));
    const clusters = path.join(out, 'bootstrap/orchid/clusters');
    fs.renameSync(path.join(clusters, 'orchid-dev.yaml'), path.join(clusters, 'old-orchid-dev.yaml'));
    fs.renameSync(path.join(clusters, 'orchid-dev-usw1.yaml'), path.join(clusters, 'orchid-dev-usw1.yml'));
    fs.mkdirSync(path.join(out, 'bootstrap/orchid/elsewhere'));
    fs.renameSync(path.join(clusters, 'orchid-prod-use1.yaml'), path.join(out, 'bootstrap/orchid/elsewhere/x.yaml'));
    for (const f of fs.readdirSync(path.join(out, 'argocd/orchid/apps/clusters'))) {
      fs.renameSync(path.join(out, 'argocd/orchid/apps/clusters', f), path.join(out, 'argocd/orchid/apps/clusters', `renamed-${f}`));
    }
    fs.writeFileSync(fleet, EXAMPLE.replace('name: orchid\n', 'name: orchid2\n'));
    const before = tree(out);
    const r = cli(['synth', '--fleet', fleet, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('bootstrap/orchid/: another tree in this folder already declares clusters "orchid-dev", "orchid-dev-usw1", "orchid-dev-usw2", "orchid-prod-use1", "orchid-prod-usw2"');
    expect(r.err).toContain('argocd/orchid/: another tree in this folder already declares clusters "orchid-dev"');
    expect(tree(out)).toEqual(before);
  });

  describe('bypasses of the object reading (second red-team round)', () => {
    function renamedOut(): { out: string; fleet: string } {
      const dir = tmp('meshfleet-rename2-');
      const fleet = path.join(dir, 'fleet.yaml');
      const out = path.join(dir, 'out');
      fs.writeFileSync(fleet, EXAMPLE.replace('targets: [plural, argocd]', 'targets: [plural]'));
      expect(cli(['synth', '--fleet', fleet, '--out', out]).code).toBe(0);
      fs.rmSync(path.join(out, '.meshfleet/orchid.files'));
      fs.writeFileSync(fleet, EXAMPLE.replace('targets: [plural, argocd]', 'targets: [plural]').replace('name: orchid\n', 'name: orchid2\n'));
      return { out, fleet };
    }
    const clusterFile = 'apiVersion: deployments.plural.sh/v1alpha1\nkind: Cluster\nmetadata: {name: orchid-dev, namespace: infra}\nspec: {handle: orchid-dev}\n';

    test.each([
      ['kind: "Cluster"', (o: string) => fs.writeFileSync(path.join(o, 'bootstrap/orchid/x/c.yaml'), clusterFile.replace('kind: Cluster', 'kind: "Cluster"'))],
      ["kind:  'Cluster' (two spaces)", (o: string) => fs.writeFileSync(path.join(o, 'bootstrap/orchid/x/c.yaml'), clusterFile.replace('kind: Cluster', "kind:  'Cluster'"))],
      ['JSON', (o: string) => fs.writeFileSync(path.join(o, 'bootstrap/orchid/x/c.json'), JSON.stringify({ apiVersion: 'deployments.plural.sh/v1alpha1', kind: 'Cluster', metadata: { name: 'orchid-dev' }, spec: { handle: 'orchid-dev' } }))],
      ['.yaml.liquid', (o: string) => fs.writeFileSync(path.join(o, 'bootstrap/orchid/x/c.yaml.liquid'), clusterFile)],
      ['.YAML', (o: string) => fs.writeFileSync(path.join(o, 'bootstrap/orchid/x/c.YAML'), clusterFile)],
      ['padded over 1 MiB', (o: string) => fs.writeFileSync(path.join(o, 'bootstrap/orchid/x/c.yaml'), `${clusterFile}# ${'x'.repeat(1_100_000)}\n`)],
    ])('GIVEN the old fleet\'s clusters only in a file written as %s WHEN the renamed fleet is synthesized THEN it is refused', (_, plant) => {
      const { out, fleet } = renamedOut();
      fs.rmSync(path.join(out, 'bootstrap/orchid/clusters'), { recursive: true });
      fs.mkdirSync(path.join(out, 'bootstrap/orchid/x'));
      plant(out);
      const r = cli(['synth', '--fleet', fleet, '--out', out]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/another tree in this folder already declares cluster "orchid-dev"|cannot check which clusters it declares/);
    });

    test('GIVEN more files than can be checked in the old fleet\'s folder WHEN synthesized THEN it is refused, not skipped', () => {
      const { out, fleet } = renamedOut();
      const junk = path.join(out, 'bootstrap/orchid/z');
      fs.mkdirSync(junk);
      for (let i = 0; i <= 20_000; i++) fs.writeFileSync(path.join(junk, `f${i}.yaml`), '');
      const r = cli(['synth', '--fleet', fleet, '--out', out]);
      expect(r.code).toBe(1);
      expect(r.err).toContain('bootstrap/orchid/: holds more than 20000 files another tree may declare clusters in');
    });

    test('GIVEN two legitimate fleets side by side WHEN both are synthesized THEN neither is refused', () => {
      const dir = tmp('meshfleet-side-');
      const out = path.join(dir, 'out');
      const a = path.join(dir, 'a.yaml');
      const b = path.join(dir, 'b.yaml');
      fs.writeFileSync(a, EXAMPLE);
      fs.writeFileSync(b, EXAMPLE.replace('name: orchid\n', 'name: lotus\n').replace(/orchid-/g, 'lotus-').replace('identifier: orchid/infra', 'identifier: lotus/infra'));
      expect(cli(['synth', '--fleet', a, '--out', out]).code).toBe(0);
      expect(cli(['synth', '--fleet', b, '--out', out]).code).toBe(0);
      expect(cli(['synth', '--fleet', a, '--out', out]).code).toBe(0);
    });
  });
});

describe('two runs into a folder that does not exist yet (new-user trial)', () => {
  test('GIVEN the state folder made by another run between the look and the mkdir WHEN written THEN the run goes on', () => {
    const dir = tmp('meshfleet-mkdir-race-');
    const io = { ...fs } as unknown as import('../../src/gitops/confined').WriterFs;
    let raced = false;
    (io as { mkdirSync: (p: string) => void }).mkdirSync = (p: string) => {
      if (!raced && p.endsWith('.meshfleet')) {
        raced = true;
        fs.mkdirSync(p); // the other run
      }
      fs.mkdirSync(p);
    };
    const [r] = writeTrees(dir, [{ files: new Map([['gen/a.yaml', '1\n']]), options: { ownedList: '.meshfleet/f.files' } }], { fs: io });
    expect(raced).toBe(true);
    expect(r.written).toEqual(['gen/a.yaml']);
  });
});
