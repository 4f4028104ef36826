import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { diffTree, writeTree } from '../../src';
import { contentHash, WriterFs } from '../../src/gitops/confined';
import { recoverTree } from '../../src/gitops/writer';
import { cleanTmp, deadPid, faultyFs, tmp, tree } from './helpers';

const LIST = '.meshfleet/f.files';
const HEADER = '# Files written by meshfleet into this folder; it replaces or removes only these.\n'
  + '# Each line: the sha256 of the content meshfleet wrote, two spaces, the path (as `sha256sum` prints it).\n'
  + '# A file whose content no longer matches was edited by hand: meshfleet reports it and never overwrites or deletes it.\n';
const line = (rel: string, content: string) => `${contentHash(content)}  ${rel}\n`;
const files = (o: Record<string, string>) => new Map(Object.entries(o));

afterAll(cleanTmp);

describe('writeTree', () => {
  test('GIVEN an empty folder WHEN a tree is written THEN every file and the owned list with hashes are there', () => {
    const dir = tmp();
    const result = writeTree(dir, files({ 'a/x.yaml': 'x: 1\n', 'b.yaml': 'b: 2\n' }), { ownedList: LIST });
    expect(result).toEqual({ written: ['a/x.yaml', 'b.yaml'], unchanged: [], removed: [], notices: [] });
    expect(tree(dir)).toEqual({
      'a/x.yaml': 'x: 1\n',
      'b.yaml': 'b: 2\n',
      [LIST]: HEADER + line('a/x.yaml', 'x: 1\n') + line('b.yaml', 'b: 2\n'),
    });
  });

  test('GIVEN hand-written files WHEN a tree is written and rewritten THEN they survive', () => {
    const dir = tmp();
    fs.mkdirSync(path.join(dir, 'terraform'));
    fs.writeFileSync(path.join(dir, 'terraform/main.tf'), 'terraform {}\n');
    writeTree(dir, files({ 'a.yaml': '1\n' }), { ownedList: LIST });
    writeTree(dir, files({ 'b.yaml': '2\n' }), { ownedList: LIST });
    expect(tree(dir)['terraform/main.tf']).toBe('terraform {}\n');
  });

  test('GIVEN a file written earlier WHEN it is no longer produced THEN it is removed with its empty folder', () => {
    const dir = tmp();
    writeTree(dir, files({ 'old/gone.yaml': '1\n', 'keep.yaml': '2\n' }), { ownedList: LIST });
    const result = writeTree(dir, files({ 'keep.yaml': '2\n' }), { ownedList: LIST });
    expect(result).toEqual({ written: [], unchanged: ['keep.yaml'], removed: ['old/gone.yaml'], notices: [] });
    expect(fs.existsSync(path.join(dir, 'old'))).toBe(false);
  });

  test('GIVEN an unchanged file WHEN rewritten THEN it is not touched (mtime kept)', () => {
    const dir = tmp();
    writeTree(dir, files({ 'a.yaml': '1\n' }), { ownedList: LIST });
    const past = new Date('2020-01-01T00:00:00Z');
    fs.utimesSync(path.join(dir, 'a.yaml'), past, past);
    expect(writeTree(dir, files({ 'a.yaml': '1\n' }), { ownedList: LIST }).written).toEqual([]);
    expect(fs.statSync(path.join(dir, 'a.yaml')).mtime.toISOString()).toBe(past.toISOString());
  });

  test('GIVEN a hand-written file at a generated path WHEN written THEN it refuses and changes nothing', () => {
    const dir = tmp();
    writeTree(dir, files({ 'a.yaml': '1\n' }), { ownedList: LIST });
    fs.writeFileSync(path.join(dir, 'mine.yaml'), 'hand: written\n');
    fs.writeFileSync(path.join(dir, 'blocker'), 'a file\n');
    const before = tree(dir);
    expect(() => writeTree(dir, files({ 'a.yaml': '2\n', 'mine.yaml': 'gen\n', 'blocker/x.yaml': 'x\n' }), { ownedList: LIST }))
      .toThrow(`refusing to write to ${dir}; nothing was changed:\n`
        + '  blocker/x.yaml: blocker is a file, not a folder\n'
        + '  mine.yaml: exists and was not written by meshfleet (move it away, or delete it to let meshfleet own it)');
    expect(tree(dir)).toEqual(before);
  });

  test('GIVEN a hand-written file identical to the generated one WHEN written THEN it is adopted', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'same.yaml'), 'x\n');
    expect(writeTree(dir, files({ 'same.yaml': 'x\n' }), { ownedList: LIST }).unchanged).toEqual(['same.yaml']);
  });

  test('GIVEN a list in the older form (paths only) WHEN written THEN it is upgraded with hashes, and a hashless file no longer produced is kept', () => {
    const dir = tmp();
    fs.mkdirSync(path.join(dir, '.meshfleet'));
    fs.writeFileSync(path.join(dir, 'a.yaml'), 'old\n');
    fs.writeFileSync(path.join(dir, 'gone.yaml'), 'old\n');
    fs.writeFileSync(path.join(dir, LIST), '# Files written by meshfleet\na.yaml\ngone.yaml\n');
    const result = writeTree(dir, files({ 'a.yaml': 'new\n' }), { ownedList: LIST });
    expect(result).toMatchObject({ written: ['a.yaml'], removed: [] });
    expect(result.notices).toEqual([expect.stringMatching(/^gone\.yaml: no longer produced, and listed without a hash/)]);
    expect(tree(dir)).toEqual({ 'a.yaml': 'new\n', 'gone.yaml': 'old\n', [LIST]: HEADER + line('a.yaml', 'new\n') });
  });

  test('GIVEN a written tree WHEN compared with diffTree THEN only real differences are listed', () => {
    const dir = tmp();
    const both = files({ 'a.yaml': '1\n', 'b.yaml': '2\n' });
    writeTree(dir, both, { ownedList: LIST });
    expect(diffTree(dir, both, LIST)).toEqual([]);
    fs.writeFileSync(path.join(dir, 'a.yaml'), 'changed\n');
    expect(diffTree(dir, files({ 'a.yaml': '1\n', 'c.yaml': '3\n' }), LIST)).toEqual([
      'differs, edited by hand (synth will refuse to overwrite it: move the change into the fleet description, or delete the file): a.yaml',
      'missing: c.yaml', 'no longer produced: b.yaml', `differs: ${LIST}`,
    ]);
  });
});

describe('writeTree confinement (issue 6, defects 1 and 3)', () => {
  test.each([
    ['../../outside.txt'],
    ['bootstrap/orchid/../../../victim/f'],
    ['/etc/passwd'],
    ['a//b'],
    ['./a'],
  ])('GIVEN the owned list names %s WHEN written THEN it is a malformed list, nothing outside or inside changes', (entry) => {
    const parent = tmp();
    const dir = path.join(parent, 'repo', 'out');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(parent, 'outside.txt'), 'precious\n');
    writeTree(dir, files({ 'a.yaml': '1\n' }), { ownedList: LIST });
    fs.appendFileSync(path.join(dir, LIST), `${entry}\n`);
    const before = tree(parent);
    expect(() => writeTree(dir, files({ 'b.yaml': '2\n' }), { ownedList: LIST }))
      .toThrow(/the owned-files list \.meshfleet\/f\.files is malformed.*\n.*line 5: .*(absolute|"\.\." segment|empty or "\." segment)[\s\S]*restore it from Git/);
    expect(tree(parent)).toEqual(before);
  });

  test('GIVEN a hand-edited generated file WHEN it would be overwritten THEN it is refused, naming it', () => {
    const dir = tmp();
    writeTree(dir, files({ 'a.yaml': '1\n' }), { ownedList: LIST });
    fs.writeFileSync(path.join(dir, 'a.yaml'), 'my edit\n');
    expect(() => writeTree(dir, files({ 'a.yaml': '2\n' }), { ownedList: LIST })).toThrow('a.yaml: was edited by hand since meshfleet wrote it');
    expect(fs.readFileSync(path.join(dir, 'a.yaml'), 'utf8')).toBe('my edit\n');
  });

  test('GIVEN a hand-edited generated file WHEN it is no longer produced THEN it is kept, reported and dropped from the list', () => {
    const dir = tmp();
    writeTree(dir, files({ 'a.yaml': '1\n', 'b.yaml': '2\n' }), { ownedList: LIST });
    fs.writeFileSync(path.join(dir, 'b.yaml'), 'my edit\n');
    const result = writeTree(dir, files({ 'a.yaml': '1\n' }), { ownedList: LIST });
    expect(result.removed).toEqual([]);
    expect(result.notices).toEqual(['b.yaml: no longer produced, but edited by hand since meshfleet wrote it; kept, and no longer owned by meshfleet']);
    expect(tree(dir)['b.yaml']).toBe('my edit\n');
    expect(tree(dir)[LIST]).toBe(HEADER + line('a.yaml', '1\n'));
  });

  test('GIVEN an in-folder hand-written file added to the list with a wrong hash WHEN synthesized THEN it is neither deleted nor overwritten', () => {
    const dir = tmp();
    writeTree(dir, files({ 'a.yaml': '1\n' }), { ownedList: LIST });
    fs.writeFileSync(path.join(dir, 'notes.md'), 'mine\n');
    fs.appendFileSync(path.join(dir, LIST), line('notes.md', 'something else'));
    expect(() => writeTree(dir, files({ 'notes.md': 'gen\n' }), { ownedList: LIST })).toThrow('notes.md: was edited by hand');
    expect(writeTree(dir, files({ 'a.yaml': '1\n' }), { ownedList: LIST }).notices).toEqual([expect.stringMatching(/^notes.md: no longer produced, but edited by hand/)]);
    expect(tree(dir)['notes.md']).toBe('mine\n');
  });

  test('GIVEN bootstrap is a symlink out of the folder WHEN written THEN nothing is written through it', () => {
    const dir = tmp();
    const elsewhere = tmp();
    fs.symlinkSync(elsewhere, path.join(dir, 'bootstrap'));
    expect(() => writeTree(dir, files({ 'bootstrap/a.yaml': '1\n', 'b.yaml': '2\n' }), { ownedList: LIST }))
      .toThrow('bootstrap/a.yaml: bootstrap is a symlink (meshfleet never writes through one)');
    expect(tree(elsewhere)).toEqual({});
    expect(fs.existsSync(path.join(dir, 'b.yaml'))).toBe(false);
  });

  test('GIVEN .meshfleet is a symlink WHEN written THEN the foreign list there is untouched', () => {
    const dir = tmp();
    const elsewhere = tmp();
    fs.writeFileSync(path.join(elsewhere, 'f.files'), 'foreign\n');
    fs.symlinkSync(elsewhere, path.join(dir, '.meshfleet'));
    expect(() => writeTree(dir, files({ 'a.yaml': '1\n' }), { ownedList: LIST })).toThrow('.meshfleet: is a symlink, not a folder');
    expect(tree(elsewhere)).toEqual({ 'f.files': 'foreign\n' });
  });

  test('GIVEN a generated file is a symlink WHEN written THEN it is refused and the link target is untouched', () => {
    const dir = tmp();
    const elsewhere = tmp();
    fs.writeFileSync(path.join(elsewhere, 'victim'), 'v\n');
    writeTree(dir, files({ 'a.yaml': '1\n' }), { ownedList: LIST });
    fs.rmSync(path.join(dir, 'a.yaml'));
    fs.symlinkSync(path.join(elsewhere, 'victim'), path.join(dir, 'a.yaml'));
    expect(() => writeTree(dir, files({ 'a.yaml': '2\n' }), { ownedList: LIST })).toThrow('a.yaml: exists and is a symlink');
    writeTree(dir, files({ 'b.yaml': '2\n' }), { ownedList: LIST });
    expect(tree(elsewhere)).toEqual({ victim: 'v\n' });
    expect(fs.lstatSync(path.join(dir, 'a.yaml')).isSymbolicLink()).toBe(true);
  });

  test('GIVEN the output folder itself is a symlink WHEN written THEN it is refused', () => {
    const parent = tmp();
    const elsewhere = tmp();
    fs.symlinkSync(elsewhere, path.join(parent, 'dist'));
    expect(() => writeTree(path.join(parent, 'dist'), files({ 'a.yaml': '1\n' }), { ownedList: LIST })).toThrow('is a symlink; meshfleet never writes through one');
    expect(tree(elsewhere)).toEqual({});
  });
});

describe('writeTree is all or nothing (issue 6, defects 4, 6, 7)', () => {
  test('GIVEN an owned-list entry that names a folder WHEN synthesized twice THEN both runs succeed and the folder is kept', () => {
    const dir = tmp();
    writeTree(dir, files({ 'a.yaml': '1\n' }), { ownedList: LIST });
    fs.mkdirSync(path.join(dir, 'somedir'));
    fs.writeFileSync(path.join(dir, 'somedir/x'), 'x\n');
    fs.appendFileSync(path.join(dir, LIST), 'somedir\n');
    const first = writeTree(dir, files({ 'a.yaml': '2\n' }), { ownedList: LIST });
    expect(first.notices).toEqual(["somedir: listed as meshfleet's but it is not a regular file; left alone and dropped from the list"]);
    expect(writeTree(dir, files({ 'a.yaml': '3\n' }), { ownedList: LIST }).notices).toEqual([]);
    expect(tree(dir)['somedir/x']).toBe('x\n');
  });

  test('GIVEN a folder that is not writable WHEN written THEN the run is refused before any change', () => {
    const dir = tmp();
    writeTree(dir, files({ 'a.yaml': '1\n', 'sub/b.yaml': '1\n', 'sub/c.yaml': '1\n' }), { ownedList: LIST });
    const before = tree(dir);
    const io: WriterFs = { ...fsCalls(), accessSync: (p: string, mode: number) => {
      if (p.endsWith(`${path.sep}sub`)) throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
      fs.accessSync(p, mode);
    } };
    expect(() => writeTree(dir, files({ 'a.yaml': '2\n', 'sub/b.yaml': '2\n', 'sub/c.yaml': '2\n' }), { ownedList: LIST, fs: io }))
      .toThrow('sub: is not writable (EACCES)');
    expect(tree(dir)).toEqual(before);
  });

  test('GIVEN a subfolder on another file system WHEN written THEN the run is refused before any change', () => {
    const dir = tmp();
    writeTree(dir, files({ 'a.yaml': '1\n', 'mnt/b.yaml': '1\n' }), { ownedList: LIST });
    const before = tree(dir);
    const io: WriterFs = { ...fsCalls(), lstatSync: (p: string) => {
      const st = fs.lstatSync(p);
      return p.endsWith(`${path.sep}mnt`) ? Object.assign(Object.create(Object.getPrototypeOf(st)), st, { dev: st.dev + 1 }) : st;
    } };
    expect(() => writeTree(dir, files({ 'a.yaml': '2\n', 'mnt/b.yaml': '2\n' }), { ownedList: LIST, fs: io }))
      .toThrow('mnt: is on another file system than .meshfleet');
    expect(tree(dir)).toEqual(before);
  });

  test('GIVEN a rename that fails half-way (EXDEV) WHEN written THEN what was replaced is restored', () => {
    const dir = tmp();
    const old = files({ 'a.yaml': '1\n', 'b.yaml': '1\n', 'c.yaml': '1\n', 'd.yaml': '1\n' });
    writeTree(dir, old, { ownedList: LIST });
    const before = tree(dir);
    let renames = 0;
    const io: WriterFs = { ...fsCalls(), renameSync: (a: string, b: string) => {
      if (++renames === 6) throw Object.assign(new Error('EXDEV: cross-device link not permitted'), { code: 'EXDEV', path: a });
      fs.renameSync(a, b);
    } };
    expect(() => writeTree(dir, files({ 'a.yaml': '2\n', 'b.yaml': '2\n', 'c.yaml': '2\n', 'd.yaml': '2\n' }), { ownedList: LIST, fs: io }))
      .toThrow(/writing to .* failed: EXDEV on .*; the folder was left as it was/);
    expect(tree(dir)).toEqual(before);
  });

  test('GIVEN another live run holds the lock WHEN written THEN it waits briefly, then fails naming the lock', () => {
    const dir = tmp();
    writeTree(dir, files({ 'a.yaml': '1\n' }), { ownedList: LIST });
    fs.writeFileSync(path.join(dir, '.meshfleet/lock'), `${process.ppid} ${os.hostname()}\n`);
    expect(() => writeTree(dir, files({ 'a.yaml': '2\n' }), { ownedList: LIST, lockTimeoutMs: 200 }))
      .toThrow(`another meshfleet run (pid ${process.ppid} on ${os.hostname()}) is writing to this folder; waited 200 ms`);
    expect(tree(dir)['a.yaml']).toBe('1\n');
  });

  test('GIVEN a lock left by a killed run WHEN written THEN it is taken over and released after', () => {
    const dir = tmp();
    writeTree(dir, files({ 'a.yaml': '1\n' }), { ownedList: LIST });
    fs.writeFileSync(path.join(dir, '.meshfleet/lock'), `${deadPid()} ${os.hostname()}\n`);
    expect(writeTree(dir, files({ 'a.yaml': '2\n' }), { ownedList: LIST }).written).toEqual(['a.yaml']);
    expect(fs.existsSync(path.join(dir, '.meshfleet/lock'))).toBe(false);
  });

  test('GIVEN a run killed half-way WHEN the folder is checked and synthesized again THEN check reports it and the next run restores the old tree first', () => {
    const dir = tmp();
    const old = files({ 'a.yaml': '1\n', 'b/b.yaml': '1\n', 'c.yaml': '1\n' });
    writeTree(dir, old, { ownedList: LIST });
    const before = tree(dir);
    const next = files({ 'a.yaml': '2\n', 'b/b.yaml': '2\n', 'd/d.yaml': '2\n' });
    // Find a kill point between the first and the last rename of the move.
    const probe = faultyFs(Number.MAX_SAFE_INTEGER, 'throw');
    writeTree(tmpCopy(dir), next, { ownedList: LIST, fs: probe });
    let mixed = false;
    for (let k = 1; k <= probe.calls && !mixed; k++) {
      const d = tmpCopy(dir);
      expect(() => writeTree(d, next, { ownedList: LIST, fs: faultyFs(k, 'kill') })).toThrow('killed');
      const t = tree(d);
      const withoutState = Object.fromEntries(Object.entries(t).filter(([p]) => !p.startsWith('.meshfleet/')));
      const beforeFiles = Object.fromEntries(Object.entries(before).filter(([p]) => !p.startsWith('.meshfleet/')));
      if (JSON.stringify(withoutState) === JSON.stringify(beforeFiles)) continue;
      mixed = true;
      expect(diffTree(d, next, LIST).some((x) => /^interrupted run: \.meshfleet\/\.staging-/.test(x))).toBe(true);
      fs.writeFileSync(path.join(d, '.meshfleet/lock'), `${deadPid()} ${os.hostname()}\n`);
      const notices = recoverTree(d, { ownedList: LIST });
      expect(notices[0]).toMatch(/^undid a run that was killed half-way \(\.meshfleet\/\.staging-[0-9a-f]+\): \d+ files? restored$/);
      expect(tree(d)).toEqual(before);
    }
    expect(mixed).toBe(true);
  });
});

/** Node's fs calls as a plain object, to override one of them. */
function fsCalls(): WriterFs {
  const names: Array<keyof WriterFs> = ['lstatSync', 'statSync', 'realpathSync', 'readFileSync', 'writeFileSync', 'renameSync', 'unlinkSync',
    'mkdirSync', 'rmdirSync', 'readdirSync', 'accessSync', 'rmSync', 'linkSync', 'openSync', 'readSync', 'closeSync'];
  return Object.fromEntries(names.map((n) => [n, (fs as unknown as Record<string, (...a: unknown[]) => unknown>)[n].bind(fs)])) as unknown as WriterFs;
}

function tmpCopy(dir: string): string {
  const d = tmp();
  fs.cpSync(dir, d, { recursive: true });
  return d;
}

describe('hostile state in the output folder (issue 6, attacks on the writer)', () => {
  test('GIVEN .meshfleet/lock is a symlink to a file outside WHEN written THEN it fails at once without reading or printing the target', () => {
    const dir = tmp();
    const secret = path.join(tmp(), 'secret');
    fs.writeFileSync(secret, 'AWS_SECRET_ACCESS_KEY=abc def\n');
    writeTree(dir, files({ 'a.yaml': '1\n' }), { ownedList: LIST });
    fs.symlinkSync(secret, path.join(dir, '.meshfleet/lock'));
    let message = '';
    try {
      writeTree(dir, files({ 'a.yaml': '2\n' }), { ownedList: LIST, lockTimeoutMs: 100 });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/the lock .*lock is not a regular file; meshfleet never follows a symlink there/);
    expect(message).not.toContain('AWS');
  });

  test('GIVEN a dangling lock symlink WHEN written THEN it fails at once instead of spinning', () => {
    const dir = tmp();
    writeTree(dir, files({ 'a.yaml': '1\n' }), { ownedList: LIST });
    fs.symlinkSync('/nonexistent/x', path.join(dir, '.meshfleet/lock'));
    expect(() => writeTree(dir, files({ 'a.yaml': '2\n' }), { ownedList: LIST, lockTimeoutMs: 60_000 })).toThrow('is not a regular file');
  });

  test('GIVEN an empty lock file left by a run killed while taking it WHEN written after two seconds THEN it is taken over', () => {
    const dir = tmp();
    writeTree(dir, files({ 'a.yaml': '1\n' }), { ownedList: LIST });
    fs.writeFileSync(path.join(dir, '.meshfleet/lock'), '');
    const past = new Date(Date.now() - 60_000);
    fs.utimesSync(path.join(dir, '.meshfleet/lock'), past, past);
    expect(writeTree(dir, files({ 'a.yaml': '2\n' }), { ownedList: LIST, lockTimeoutMs: 100 }).written).toEqual(['a.yaml']);
  });

  test('GIVEN a stale lock that another run takes over meanwhile WHEN this run goes to remove it THEN the other run\'s lock is left alone', () => {
    const dir = tmp();
    writeTree(dir, files({ 'a.yaml': '1\n' }), { ownedList: LIST });
    const lock = path.join(dir, '.meshfleet/lock');
    fs.writeFileSync(lock, `${deadPid()} ${os.hostname()}\n`);
    let reads = 0;
    const io: WriterFs = { ...fsCalls(), readSync: (fd: number, buf: Buffer, off: number, len: number, pos: number | null) => {
      const n = fs.readSync(fd, buf, off, len, pos);
      // After this run saw the stale lock, another (live) run replaces it.
      if (++reads === 1) fs.writeFileSync(lock, `${process.ppid} ${os.hostname()}\n`);
      return n;
    } };
    expect(() => writeTree(dir, files({ 'a.yaml': '2\n' }), { ownedList: LIST, fs: io, lockTimeoutMs: 150 })).toThrow(`pid ${process.ppid}`);
    expect(fs.readFileSync(lock, 'utf8')).toBe(`${process.ppid} ${os.hostname()}\n`);
  });

  test('GIVEN a committed staging folder whose journal plants a git hook and deletes a hand-edited file WHEN synthesized THEN nothing in it is acted on', () => {
    const dir = tmp();
    writeTree(dir, files({ 'a.yaml': '1\n' }), { ownedList: LIST });
    fs.mkdirSync(path.join(dir, '.git/hooks'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'a.yaml'), 'hotfix\n');
    const staging = path.join(dir, '.meshfleet/.staging-aaaa');
    fs.mkdirSync(path.join(staging, 'old'), { recursive: true });
    fs.writeFileSync(path.join(staging, 'old/0'), '#!/bin/sh\necho pwned\n');
    const steps = [
      { path: '.git/hooks/post-commit', kind: 'replace' },
      { path: 'b.yaml', kind: 'replace' },
      { path: 'a.yaml', kind: 'create', hash: contentHash('hotfix\n') },
    ];
    fs.writeFileSync(path.join(staging, 'journal.json'), JSON.stringify({ steps, mac: '00'.repeat(32) }));
    const result = writeTree(dir, files({ 'c.yaml': '3\n' }), { ownedList: LIST });
    expect(result.notices[0]).toMatch(/^left \.meshfleet\/\.staging-aaaa alone: its journal was not written by a meshfleet run on this machine/);
    expect(fs.existsSync(path.join(dir, '.git/hooks/post-commit'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'b.yaml'))).toBe(false);
    expect(fs.readFileSync(path.join(dir, 'a.yaml'), 'utf8')).toBe('hotfix\n');
    expect(diffTree(dir, files({ 'c.yaml': '3\n' }), LIST)).toContain('interrupted run: .meshfleet/.staging-aaaa (the next synth undoes or finishes it)');
  });

  test('GIVEN paths inside .git WHEN written or listed as owned THEN they are refused', () => {
    const dir = tmp();
    expect(() => writeTree(dir, files({ '.git/config': 'x\n' }), { ownedList: LIST })).toThrow('output path ".git/config" is inside a .git folder');
    writeTree(dir, files({ 'a.yaml': '1\n' }), { ownedList: LIST });
    fs.appendFileSync(path.join(dir, LIST), `${contentHash('x')}  sub/.GIT/hooks/pre-commit\n`);
    expect(() => writeTree(dir, files({ 'a.yaml': '1\n' }), { ownedList: LIST })).toThrow('is inside a .git folder');
  });
});

describe('the output folder path', () => {
  const cwd = process.cwd();
  afterEach(() => process.chdir(cwd));

  test.each([['gitops/dist'], ['./gitops/dist/'], ['gitops/dist/.'], ['../repo/gitops/dist']])('GIVEN a symlinked folder in the repository WHEN --out is %s THEN it is refused', (out) => {
    const root = tmp();
    const outside = tmp();
    fs.mkdirSync(path.join(root, 'repo'));
    fs.symlinkSync(outside, path.join(root, 'repo', 'gitops'));
    process.chdir(path.join(root, 'repo'));
    expect(() => writeTree(out, files({ 'a.yaml': '1\n' }), { ownedList: LIST })).toThrow('gitops is a symlink; meshfleet never writes through one');
    expect(() => writeTree(path.join(root, 'repo', out), files({ 'a.yaml': '1\n' }), { ownedList: LIST })).toThrow('is a symlink');
    expect(tree(outside)).toEqual({});
  });

  test('GIVEN an output folder that is a symlink, written with a trailing slash WHEN written THEN it is refused', () => {
    const root = tmp();
    const outside = tmp();
    fs.symlinkSync(outside, path.join(root, 'dist'));
    expect(() => writeTree(`${path.join(root, 'dist')}/`, files({ 'a.yaml': '1\n' }), { ownedList: LIST })).toThrow('is a symlink');
    expect(() => writeTree(`${path.join(root, 'dist')}/.`, files({ 'a.yaml': '1\n' }), { ownedList: LIST })).toThrow('is a symlink');
    expect(tree(outside)).toEqual({});
  });
});

describe('hostile state, second round (issue 6)', () => {
  const PREFIXES = ['gen/'];

  test('GIVEN list entries outside the tree\'s folders WHEN written THEN the list is malformed and nothing is deleted', () => {
    const dir = tmp();
    writeTree(dir, files({ 'gen/a.yaml': '1\n' }), { ownedList: LIST, ownedPrefixes: PREFIXES });
    fs.mkdirSync(path.join(dir, 'node_modules/left-pad'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'node_modules/left-pad/index.js'), 'x\n');
    fs.writeFileSync(path.join(dir, '.env'), 'SECRET=1\n');
    fs.appendFileSync(path.join(dir, LIST), `node_modules/left-pad/index.js\n${line('.env', 'SECRET=1\n')}`);
    expect(() => writeTree(dir, files({ 'gen/a.yaml': '1\n' }), { ownedList: LIST, ownedPrefixes: PREFIXES }))
      .toThrow(/"node_modules\/left-pad\/index\.js" is outside this tree's folders \(gen\/\)/);
    expect(fs.existsSync(path.join(dir, '.env'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'node_modules/left-pad/index.js'))).toBe(true);
  });

  test('GIVEN an output path beginning with ".." that is a symlinked folder WHEN written THEN it is refused', () => {
    const cwd = process.cwd();
    const root = tmp();
    const outside = tmp();
    fs.symlinkSync(outside, path.join(root, '..foo'));
    process.chdir(root);
    try {
      expect(() => writeTree('..foo/dist', files({ 'a.yaml': '1\n' }), { ownedList: LIST })).toThrow('..foo is a symlink');
    } finally {
      process.chdir(cwd);
    }
    expect(tree(outside)).toEqual({});
  });

  test('GIVEN committed staging folders (with a committed marker, or no journal) WHEN synthesized THEN they are reported and left alone', () => {
    const dir = tmp();
    writeTree(dir, files({ 'a.yaml': '1\n' }), { ownedList: LIST });
    fs.mkdirSync(path.join(dir, '.meshfleet/.staging-aaaa/precious'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.meshfleet/.staging-aaaa/precious/data'), 'keep\n');
    fs.writeFileSync(path.join(dir, '.meshfleet/.staging-aaaa/committed'), '');
    fs.mkdirSync(path.join(dir, '.meshfleet/.staging-bbbb/x'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.meshfleet/.staging-bbbb/x/y'), 'keep\n');
    const result = writeTree(dir, files({ 'a.yaml': '2\n' }), { ownedList: LIST });
    expect(result.notices.filter((n) => /^left \.meshfleet\/\.staging-(aaaa|bbbb) alone/.test(n))).toHaveLength(2);
    expect(tree(dir)['.meshfleet/.staging-aaaa/precious/data']).toBe('keep\n');
    expect(tree(dir)['.meshfleet/.staging-bbbb/x/y']).toBe('keep\n');
  });

  test('GIVEN a lock left in the folder WHEN checked THEN --check reports it', () => {
    const dir = tmp();
    const f = files({ 'a.yaml': '1\n' });
    writeTree(dir, f, { ownedList: LIST });
    fs.writeFileSync(path.join(dir, '.meshfleet/lock'), '4242 ci-runner-7\n');
    expect(diffTree(dir, f, LIST)).toEqual(['leftover lock: .meshfleet/lock (a lock is never committed; it blocks synth until it is deleted or its run ends)']);
  });

  test('GIVEN a lock naming an impossible pid WHEN written after two seconds THEN it is taken over', () => {
    const dir = tmp();
    writeTree(dir, files({ 'a.yaml': '1\n' }), { ownedList: LIST });
    fs.writeFileSync(path.join(dir, '.meshfleet/lock'), `99999999999 ${os.hostname()}\n`);
    const past = new Date(Date.now() - 60_000);
    fs.utimesSync(path.join(dir, '.meshfleet/lock'), past, past);
    expect(writeTree(dir, files({ 'a.yaml': '2\n' }), { ownedList: LIST, lockTimeoutMs: 100 }).written).toEqual(['a.yaml']);
  });

  test('GIVEN an owned list over 16 MiB WHEN written THEN it is refused without reading it', () => {
    const dir = tmp();
    writeTree(dir, files({ 'a.yaml': '1\n' }), { ownedList: LIST });
    fs.writeFileSync(path.join(dir, LIST), `#${'x'.repeat(17 * 1024 * 1024)}\n`);
    expect(() => writeTree(dir, files({ 'a.yaml': '1\n' }), { ownedList: LIST })).toThrow(/is \d+ bytes; meshfleet never writes one over/);
  });

  test('GIVEN another list that claims this tree\'s own file WHEN written THEN it is no conflict', () => {
    const dir = tmp();
    const f = files({ 'gen/c.yaml': '1\n' });
    writeTree(dir, f, { ownedList: LIST });
    fs.writeFileSync(path.join(dir, '.meshfleet/zz.files'), `${line('gen/c.yaml', '1\n')}`);
    const seen: string[][] = [];
    writeTree(dir, f, { ownedList: LIST, checkOtherTree: (_, paths) => { seen.push([...paths]); return paths.length ? 'conflict' : undefined; } });
    expect(seen).toEqual([[]]);
  });

  test('GIVEN a path segment ".git." (Windows drops trailing dots) WHEN listed THEN the list is malformed', () => {
    const dir = tmp();
    writeTree(dir, files({ 'a.yaml': '1\n' }), { ownedList: LIST });
    fs.appendFileSync(path.join(dir, LIST), '.git./config\n');
    expect(() => writeTree(dir, files({ 'a.yaml': '1\n' }), { ownedList: LIST })).toThrow('is inside a .git folder');
  });
});

test('GIVEN a rename that fails and an undo that fails too WHEN written THEN the staging folder stays and the next run restores the old tree', () => {
  const dir = tmp();
  writeTree(dir, files({ 'a.yaml': '1\n', 'b.yaml': '1\n', 'c.yaml': '1\n' }), { ownedList: LIST });
  const before = tree(dir);
  let renames = 0;
  const io: WriterFs = { ...fsCalls(), renameSync: (a: string, b: string) => {
    renames++;
    // the 4th rename (into place) fails, and so does the first rename of the undo
    if (renames === 4 || renames === 5) throw Object.assign(new Error('EIO'), { code: 'EIO', path: a });
    fs.renameSync(a, b);
  } };
  expect(() => writeTree(dir, files({ 'a.yaml': '2\n', 'b.yaml': '2\n', 'c.yaml': '2\n' }), { ownedList: LIST, fs: io }))
    .toThrow(/undoing it failed too .*: the next run restores the folder from \.meshfleet\/\.staging-/);
  expect(Object.keys(tree(dir)).some((p) => p.startsWith('.meshfleet/.staging-'))).toBe(true);
  expect(recoverTree(dir, { ownedList: LIST })[0]).toMatch(/^undid a run that was killed half-way/);
  expect(tree(dir)).toEqual(before);
});
