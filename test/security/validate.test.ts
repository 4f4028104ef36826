/**
 * Issue 16, defect 7: `validate DIR` reads nothing outside DIR: Liquid renders with the tree as its only
 * root, so an include of a file elsewhere is a finding, never the file's content. (The bounds on loops,
 * memory, time and reading are load tests: test/load/validate-bounds.test.ts.)
 */
import * as fs from 'fs';
import * as path from 'path';
import { cleanTmp, tmp } from '../gitops/helpers';
import { runCli as cli } from '../support';

afterAll(cleanTmp);

const ROOT = path.join(__dirname, '..', '..');
const MESH = 'out/helm/orchid/cilium/mesh-dev.yaml.liquid';

/** The example fleet synthesized once; each test gets a copy. */
let fixture: string | undefined;
function synthesized(): string {
  if (!fixture) {
    fixture = tmp('meshfleet-validate-sec-');
    fs.copyFileSync(path.join(ROOT, 'fleet.yaml'), path.join(fixture, 'fleet.yaml'));
    expect(cli(['synth', '--out', 'out'], fixture).code).toBe(0);
  }
  const dir = tmp('meshfleet-validate-sec-');
  fs.cpSync(fixture, dir, { recursive: true });
  return dir;
}

describe('validate stays in its folder (issue 16, defect 7)', () => {
  test.each([
    ["{% include 'secret.txt' %}", /liquid: ENOENT: Failed to lookup "secret\.txt"/],
    ["{% render 'secret.txt' %}", /liquid: ENOENT: Failed to lookup "secret\.txt"/],
    ["{% include '../secret.txt' %}", /liquid: ENOENT/],
    ["{% include '/etc/hostname' %}", /liquid: ENOENT/],
  ])('GIVEN a values file with %s WHEN validated THEN no file outside the tree is read, and the include is a finding', (liquid, finding) => {
    const dir = synthesized();
    fs.writeFileSync(path.join(dir, 'secret.txt'), 'TOPSECRET-4711\n');
    fs.writeFileSync(path.join(dir, 'out', 'secret.txt'), 'TOPSECRET-4711\n');
    fs.writeFileSync(path.join(dir, MESH), `x: "${liquid}"\n`);
    const r = cli(['validate', 'out'], dir);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(finding);
    expect(`${r.out}${r.err}`).not.toContain('TOPSECRET');
  });
});
