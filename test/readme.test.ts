import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { parseFleet } from '../src';

const ROOT = path.resolve(__dirname, '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

function blocks(lang: string): string[] {
  return [...README.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]);
}

describe('README', () => {
  test('GIVEN the first screen THEN it gives the synth and test commands', () => {
    const first = README.split('\n').slice(0, 25).join('\n');
    expect(first).toContain('npm install && npm run synth');
    expect(first).toContain('npm test');
  });

  test('GIVEN the fleet.yaml reference WHEN loaded THEN every key it documents is accepted', () => {
    const [reference] = blocks('yaml');
    const fleet = parseFleet(reference, 'README.md');
    expect(fleet.clusters.map((c) => c.name)).toEqual(['orchid-dev']);
  });

  const examples = blocks('ts');
  test('GIVEN the TypeScript examples WHEN compiled against src/ THEN they type-check and run', () => {
    expect(examples.length).toBeGreaterThanOrEqual(3);
    // Inside the project, so the examples resolve cdk8s and friends from node_modules.
    const dir = path.join(ROOT, 'test', '.readme-examples');
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const index = path.join(ROOT, 'src', 'index');
    const files = examples.map((code, i) => {
      const f = path.join(dir, `example-${i}.ts`);
      fs.writeFileSync(f, code.replace(/from 'meshfleet'/g, `from ${JSON.stringify(index)}`));
      return f;
    });
    const config = ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), ts.sys.readFile).config;
    const { options } = ts.parseJsonConfigFileContent(config, ts.sys, ROOT);
    const program = ts.createProgram(files, { ...options, noEmit: true, incremental: false, rootDir: undefined, tsBuildInfoFile: undefined });
    const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => !d.file || files.includes(d.file.fileName));
    expect(diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);

    // Run them (ts-jest compiles the imports of src/ on the fly).
    const logs: unknown[] = [];
    const spy = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => { logs.push(args); });
    try {
      for (const f of files) jest.isolateModules(() => require(f));
    } finally {
      spy.mockRestore();
    }
    expect(logs).toContainEqual([[]]); // checkMeshInvariants found nothing
    expect(logs).toContainEqual([['cluster "orchid-dev": id 200 is not usable with aws-cni chaining (ids 128-255 and 384-511 fail, cilium/cilium#21330); use 1..127']]);
  }, 60000);
});
