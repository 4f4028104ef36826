import * as fs from 'fs';
import * as path from 'path';
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

  test('GIVEN the TypeScript examples WHEN run THEN they work (npm run typecheck type-checks them in CI)', () => {
    const { extractExamples } = require('../scripts/readme-examples') as { extractExamples: () => string[] };
    const files = extractExamples();
    expect(files.length).toBeGreaterThanOrEqual(3);
    // ts-jest compiles the examples and the imports of src/ on the fly.
    const logs: unknown[] = [];
    const spy = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => { logs.push(args); });
    try {
      for (const f of files) jest.isolateModules(() => require(f));
    } finally {
      spy.mockRestore();
      fs.rmSync(path.join(require('os').tmpdir(), 'meshfleet-readme-example'), { recursive: true, force: true });
    }
    expect(logs).toContainEqual([[]]); // checkMeshInvariants found nothing
    expect(logs).toContainEqual([['cluster "orchid-dev": id 200 is not usable with aws-cni chaining (ids 128-255 and 384-511 fail, cilium/cilium#21330); use 1..127']]);
  });
});
