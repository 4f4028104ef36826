/**
 * Issue 18: `meshfleet validate --schemas` works from the installed package, with the schemas it ships
 * (schemas/upstream.json, generated from ../shared by `npm run schemas:bundle`; CI checks it is fresh).
 * The bundle judges every manifest and values file as the folder it was generated from does.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { UpstreamSchemas } from '../../src/schemas/upstream-schemas';
import { cleanTmp, tmp } from '../gitops/helpers';
import { runCli as cli } from '../support';

afterAll(cleanTmp);

const ROOT = path.join(__dirname, '..', '..');
const SHARED = path.join(ROOT, '..', 'shared');

function manifests(): unknown[] {
  const out: unknown[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.yaml') && !e.name.endsWith('.liquid')) {
        for (const d of parseAllDocuments(fs.readFileSync(p, 'utf8'))) {
          const js = d.toJS();
          if (js && typeof js === 'object' && 'kind' in js) out.push(js);
        }
      }
    }
  };
  walk(path.join(ROOT, 'dist'));
  return out;
}

describe('the schemas meshfleet ships (issue 18)', () => {
  test('GIVEN a folder without ../shared WHEN validated with --schemas alone THEN the shipped schemas are used and the example tree passes', () => {
    const dir = tmp('meshfleet-bundle-');
    fs.copyFileSync(path.join(ROOT, 'fleet.yaml'), path.join(dir, 'fleet.yaml'));
    expect(cli(['synth', '--out', 'out'], dir).code).toBe(0);
    const r = cli(['validate', 'out', '--schemas'], dir);
    expect(r.err).toBe('');
    expect(r.out).toContain('valid against the upstream schemas meshfleet ships');
    // The same tree counts the same manifests with or without the schema checks (a new user asked why not).
    const count = (out: string) => /: (\d+) manifests and (\d+) Cilium values files/.exec(out)?.slice(1);
    expect(count(cli(['validate', 'out'], dir).out)).toEqual(count(r.out));
    const bad = path.join(dir, 'out', 'bootstrap', 'orchid', 'cilium', 'cilium-dev.yaml');
    fs.writeFileSync(bad, fs.readFileSync(bad, 'utf8').replace('  template:\n', '  templat:\n'));
    const broken = cli(['validate', 'out', '--schemas'], dir);
    expect(broken.code).toBe(1);
    expect(broken.err).toMatch(/GlobalService infra\/orchid-cilium-dev: .*templat/);
  });

  (fs.existsSync(SHARED) ? test : test.skip)('GIVEN every manifest of dist/, and each one broken WHEN judged by the bundle and by ../shared THEN the answers are the same', () => {
    const bundled = UpstreamSchemas.bundled();
    const folder = UpstreamSchemas.load(SHARED);
    const objs = manifests();
    expect(objs.length).toBeGreaterThan(100);
    for (const o of objs) {
      const broken = { ...(o as Record<string, unknown>), spec: { unexpected: 1 } };
      expect(bundled.validateManifest(o)).toEqual(folder.validateManifest(o));
      expect(bundled.validateManifest(broken)).toEqual(folder.validateManifest(broken));
    }
    expect(bundled.chartVersions()).toEqual(folder.chartVersions());
    for (const v of folder.chartVersions()) {
      expect(bundled.validateCiliumValues(v, { cluster: { id: 'x' } })).toEqual(folder.validateCiliumValues(v, { cluster: { id: 'x' } }));
    }
  });
});
