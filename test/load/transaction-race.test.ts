/**
 * Issue 16, defect 6, under load: two two-target runs of two fleets into one folder, at once, as separate
 * processes. The folder always holds both trees of one fleet. A load test: `npm run test:load` (CI runs it).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { cleanTmp, synthProcess, tmp, tree } from '../gitops/helpers';

afterAll(cleanTmp);

const ROOT = path.join(__dirname, '..', '..');
const EXAMPLE = fs.readFileSync(path.join(ROOT, 'fleet.yaml'), 'utf8');

describe('concurrent two-target runs of two fleets (defect 6)', () => {
  const APP = path.join(ROOT, 'scripts', 'run-app.js');
  beforeAll(() => {
    const r = spawnSync(process.execPath, [APP, '--help'], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`cannot build the app: ${r.stderr}`);
  });
  const synth = synthProcess;

  test('GIVEN two fleets synthesized at once, both targets each WHEN repeated THEN the folder always holds both trees of one fleet', async () => {
    const dir = tmp('meshfleet-tx-race-');
    const one = path.join(dir, 'one.yaml');
    const two = path.join(dir, 'two.yaml');
    fs.writeFileSync(one, EXAMPLE);
    fs.writeFileSync(two, EXAMPLE.replace('podCidr: 10.12.0.0/16\n', 'podCidr: 10.12.0.0/16\n  - {name: orchid-prod-euw1, id: 13, tier: prod, region: eu-west-1, dnsZone: prod.pocs.plural.sh, podCidr: 10.13.0.0/16, stack: false}\n'));
    const expected: Array<Record<string, string>> = [];
    for (const f of [one, two]) {
      const out = path.join(dir, `fresh-${path.basename(f)}`);
      expect((await synth(f, out)).code).toBe(0);
      expected.push(tree(out));
    }
    for (let round = 0; round < 2; round++) {
      const out = path.join(dir, `out-${round}`);
      const order = round % 2 === 0 ? [one, two] : [two, one];
      const results = await Promise.all(order.map((f) => synth(f, out)));
      for (const r of results) expect([r.code, r.err]).toEqual([0, '']);
      const got = JSON.stringify(Object.entries(tree(out)).sort());
      expect({ round, oneOfThem: expected.some((e) => JSON.stringify(Object.entries(e).sort()) === got) }).toEqual({ round, oneOfThem: true });
    }
  }, 120_000);

});
