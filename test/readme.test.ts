import * as fs from 'fs';
import * as path from 'path';
import { parseFleet } from '../src';

const ROOT = path.resolve(__dirname, '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

function blocksOf(text: string, lang: string): string[] {
  return [...text.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]);
}

describe('README', () => {
  test('GIVEN the first screen THEN it gives the contributor the synth and test commands, and the adopting team the setup block', () => {
    const first = README.split('\n').slice(0, 40).join('\n');
    expect(first).toContain('npm install && npm run synth');
    expect(first).toContain('npm test');
    expect(first).toContain('<!-- setup: gitops repository -->\n```sh\n');
    expect(first).toContain('git add -A && git commit');
  });

  test('GIVEN the README and docs THEN the README stays under 15 KB and every relative link resolves', () => {
    expect(Buffer.byteLength(README)).toBeLessThan(15 * 1024);
    for (const file of ['README.md', 'CONTRIBUTING.md', ...fs.readdirSync(path.join(ROOT, 'docs')).map((f) => `docs/${f}`)]) {
      const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
      for (const m of text.matchAll(/\]\(([^)#:\s]+)(#[^)\s]*)?\)/g)) {
        expect({ file, link: m[1], exists: fs.existsSync(path.join(ROOT, path.dirname(file), m[1])) }).toEqual({ file, link: m[1], exists: true });
      }
    }
  });

  test('GIVEN the fleet.yaml reference WHEN loaded THEN every key it documents is accepted', () => {
    const [reference] = blocksOf(fs.readFileSync(path.join(ROOT, 'docs', 'fleet-yaml.md'), 'utf8'), 'yaml');
    const fleet = parseFleet(reference, 'docs/fleet-yaml.md');
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
