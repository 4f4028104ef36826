// The house rules of src/: imports point down (library -> model -> plan -> targets -> writer/CLI),
// targets never import each other, and the schema validators stay out of the package entry.
import * as fs from 'fs';
import * as path from 'path';

const SRC = path.join(__dirname, '..', 'src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

/** Every relative import of every file, as the src-relative folder it lands in. */
const IMPORTS = sourceFiles(SRC).map(file => {
  const text = fs.readFileSync(file, 'utf8');
  const targets = [...text.matchAll(/(?:from|import\(?|require\()\s*'(\.[^']+)'/g)].map(m => path.relative(SRC, path.resolve(path.dirname(file), m[1])));
  return { file: path.relative(SRC, file), targets };
});

function folderOf(rel: string): string {
  const parts = rel.split(path.sep);
  if (parts[0] === 'targets') return parts.slice(0, 2).join('/').replace(/\.ts$/, '');
  return parts.length > 1 ? parts[0] : '.';
}

const LIBRARY = ['plural', 'cilium', 'multigres', 'k8s'];
const APP = ['fleet', 'plan', 'check', 'picture', 'targets', 'gitops', 'app', 'cli', 'schemas'];

function offenders(from: (folder: string) => boolean, to: (folder: string) => boolean): string[] {
  return IMPORTS.filter(i => from(folderOf(i.file)))
    .flatMap(i => i.targets.filter(t => to(folderOf(t)) && folderOf(t) !== folderOf(i.file)).map(t => `${i.file} -> ${t}`));
}

describe('architecture', () => {
  test('every source file is under 500 lines and opens with what it owns', () => {
    for (const f of sourceFiles(SRC)) {
      const text = fs.readFileSync(f, 'utf8');
      expect({ f, lines: text.split('\n').length <= 500 }).toEqual({ f, lines: true });
      expect({ f, opens: /^(\/\*\*|\/\/)/.test(text) }).toEqual({ f, opens: true });
    }
  });

  test('reusable L2 folders never import the app', () => {
    expect(offenders(f => LIBRARY.includes(f), f => APP.some(a => f === a || f.startsWith(`${a}/`)))).toEqual([]);
  });

  test('the model and the plan know no target, writer or CLI', () => {
    const delivery = (f: string) => f.startsWith('targets/') || ['gitops', 'app', 'cli', 'schemas'].includes(f);
    expect(offenders(f => ['fleet', 'plan', 'check'].includes(f), delivery)).toEqual([]);
  });

  test('targets never import each other (only the interface, targets/target.ts), nor the registry, the app or CLI above them', () => {
    const engine = (f: string) => f.startsWith('targets/') && f !== 'targets/target' && f !== 'targets/registry';
    expect(offenders(engine, f => (f.startsWith('targets/') && f !== 'targets/target') || f === 'app' || f === 'cli')).toEqual([]);
    expect(offenders(f => f === 'targets/target', f => f.startsWith('targets/') || f === 'app' || f === 'cli')).toEqual([]);
  });

  test('the registry lists every target the model names, once, and only the app reaches targets through it', () => {
    const { TARGETS } = jest.requireActual('../src/targets/registry') as typeof import('../src/targets/registry');
    const { DELIVERY_TARGETS } = jest.requireActual('../src/fleet/delivery') as typeof import('../src/fleet/delivery');
    expect(TARGETS.map((t) => t.name)).toEqual([...DELIVERY_TARGETS]);
    // The app and the CLI know the targets through the registry and the interface only, never an engine's folder.
    const engineFolder = (f: string) => f.startsWith('targets/') && f !== 'targets/target' && f !== 'targets/registry';
    expect(offenders(f => f === 'app', engineFolder)).toEqual([]);
  });

  test('the libraries do not import each other in a loop: multigres/ may use cilium/, never the other way', () => {
    expect(offenders(f => f === 'cilium', f => f === 'multigres')).toEqual([]);
  });

  test('the CLI parses arguments and calls the app: never a target, the plan, the checks or the picture directly', () => {
    expect(offenders(f => f === 'cli', f => f.startsWith('targets/') || ['plan', 'check', 'picture'].includes(f))).toEqual([]);
  });

  test('the schema validators are loaded only by the tests and by validate --schemas, lazily', () => {
    expect(offenders(f => f !== 'cli' && f !== 'schemas', f => f === 'schemas')).toEqual([]);
    const cli = IMPORTS.filter(i => i.file.startsWith(`cli${path.sep}`) && i.targets.some(t => folderOf(t) === 'schemas'));
    expect(cli.map(i => i.file)).toEqual([path.join('cli', 'validate.ts')]);
    expect(fs.readFileSync(path.join(SRC, 'cli', 'validate.ts'), 'utf8')).not.toMatch(/^import .* from '\.\.\/schemas\//m);
  });

  test('the package entry names its exports one by one and exports no schema validator', () => {
    const index = fs.readFileSync(path.join(SRC, 'index.ts'), 'utf8');
    expect(index).not.toMatch(/export \*/);
    expect(IMPORTS.find(i => i.file === 'index.ts')!.targets.filter(t => folderOf(t) === 'schemas')).toEqual([]);
  });
});
