import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { diffTree, writeTree } from '../../src/gitops';

const LIST = '.meshfleet/f.files';

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'meshfleet-writer-'));
}

function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = fs.readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

describe('writeTree', () => {
  test('GIVEN an empty folder WHEN a tree is written THEN every file and the owned list are there', () => {
    const dir = tmp();
    const result = writeTree(dir, new Map([['a/x.yaml', 'x: 1\n'], ['b.yaml', 'b: 2\n']]), { ownedList: LIST });
    expect(result).toEqual({ written: ['a/x.yaml', 'b.yaml'], unchanged: [], removed: [] });
    expect(tree(dir)).toEqual({
      'a/x.yaml': 'x: 1\n',
      'b.yaml': 'b: 2\n',
      [LIST]: '# Files written by meshfleet into this folder; it replaces or removes only these.\na/x.yaml\nb.yaml\n',
    });
  });

  test('GIVEN hand-written files WHEN a tree is written and rewritten THEN they survive', () => {
    const dir = tmp();
    fs.mkdirSync(path.join(dir, 'terraform'));
    fs.writeFileSync(path.join(dir, 'terraform/main.tf'), 'terraform {}\n');
    writeTree(dir, new Map([['a.yaml', '1\n']]), { ownedList: LIST });
    writeTree(dir, new Map([['b.yaml', '2\n']]), { ownedList: LIST });
    expect(tree(dir)['terraform/main.tf']).toBe('terraform {}\n');
  });

  test('GIVEN a file written earlier WHEN it is no longer produced THEN it is removed with its empty folder', () => {
    const dir = tmp();
    writeTree(dir, new Map([['old/gone.yaml', '1\n'], ['keep.yaml', '2\n']]), { ownedList: LIST });
    const result = writeTree(dir, new Map([['keep.yaml', '2\n']]), { ownedList: LIST });
    expect(result).toEqual({ written: [], unchanged: ['keep.yaml'], removed: ['old/gone.yaml'] });
    expect(fs.existsSync(path.join(dir, 'old'))).toBe(false);
  });

  test('GIVEN an unchanged file WHEN rewritten THEN it is not touched (mtime kept)', () => {
    const dir = tmp();
    writeTree(dir, new Map([['a.yaml', '1\n']]), { ownedList: LIST });
    const past = new Date('2020-01-01T00:00:00Z');
    fs.utimesSync(path.join(dir, 'a.yaml'), past, past);
    expect(writeTree(dir, new Map([['a.yaml', '1\n']]), { ownedList: LIST }).written).toEqual([]);
    expect(fs.statSync(path.join(dir, 'a.yaml')).mtime.toISOString()).toBe(past.toISOString());
  });

  test('GIVEN a hand-written file at a generated path WHEN written THEN it refuses and changes nothing', () => {
    const dir = tmp();
    writeTree(dir, new Map([['a.yaml', '1\n']]), { ownedList: LIST });
    fs.writeFileSync(path.join(dir, 'mine.yaml'), 'hand: written\n');
    fs.writeFileSync(path.join(dir, 'blocker'), 'a file\n');
    const before = tree(dir);
    expect(() => writeTree(dir, new Map([['a.yaml', '2\n'], ['mine.yaml', 'gen\n'], ['blocker/x.yaml', 'x\n']]), { ownedList: LIST }))
      .toThrow(`refusing to write to ${dir}; nothing was changed:\n`
        + '  blocker/x.yaml: a parent folder of it is a file\n'
        + '  mine.yaml: exists and was not written by meshfleet (move it away, or delete it to let meshfleet own it)');
    expect(tree(dir)).toEqual(before);
  });

  test('GIVEN a hand-written file identical to the generated one WHEN written THEN it is adopted', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'same.yaml'), 'x\n');
    expect(writeTree(dir, new Map([['same.yaml', 'x\n']]), { ownedList: LIST }).unchanged).toEqual(['same.yaml']);
  });

  test('GIVEN a written tree WHEN compared with diffTree THEN only real differences are listed', () => {
    const dir = tmp();
    const files = new Map([['a.yaml', '1\n'], ['b.yaml', '2\n']]);
    writeTree(dir, files, { ownedList: LIST });
    expect(diffTree(dir, files, LIST)).toEqual([]);
    fs.writeFileSync(path.join(dir, 'a.yaml'), 'changed\n');
    expect(diffTree(dir, new Map([['a.yaml', '1\n'], ['c.yaml', '3\n']]), LIST)).toEqual([
      'differs: a.yaml', 'missing: c.yaml', 'no longer produced: b.yaml', `differs: ${LIST}`,
    ]);
  });
});
