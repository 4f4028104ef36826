/**
 * Issue 16, defect 7: `validate DIR` is bounded: Liquid loops and output are bounded, the simulations
 * have a time and object budget, and what is read is capped. A hostile tree gets findings, never a hang
 * or an exhausted heap. Load tests: `npm run test:load` (CI runs it). That it reads nothing outside DIR
 * is in test/security/validate.test.ts.
 */
import * as fs from 'fs';
import * as path from 'path';
import { cleanTmp, tmp } from '../gitops/helpers';
import { runCli as cli } from '../support';

afterAll(cleanTmp);

const ROOT = path.join(__dirname, '..', '..');

function synthesized(): string {
  const dir = tmp('meshfleet-validate-sec-');
  fs.copyFileSync(path.join(ROOT, 'fleet.yaml'), path.join(dir, 'fleet.yaml'));
  expect(cli(['synth', '--out', 'out'], dir).code).toBe(0);
  return dir;
}

const MESH = 'out/helm/orchid/cilium/mesh-dev.yaml.liquid';

describe('validate is bounded (issue 16, defect 7)', () => {
  test('GIVEN a nested loop of 1e5 x 1e5 WHEN validated THEN it ends within seconds with a finding', () => {
    const dir = synthesized();
    fs.writeFileSync(path.join(dir, MESH), '{% for i in (1..100000) %}{% for j in (1..100000) %}x{% endfor %}{% endfor %}\n');
    const started = Date.now();
    const r = cli(['validate', 'out'], dir);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/liquid: (template render limit exceeded|memory alloc limit exceeded)/);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  test('GIVEN a string doubled 30 times WHEN validated THEN the memory limit stops it', () => {
    const dir = synthesized();
    fs.writeFileSync(path.join(dir, MESH), '{% assign s = "xxxxxxxxxx" %}{% for i in (1..30) %}{% assign s = s | append: s %}{% endfor %}{{ s }}\n');
    const r = cli(['validate', 'out'], dir);
    expect(r.code).toBe(1);
    expect(r.err).toContain('liquid: memory alloc limit exceeded');
  });

  test('GIVEN 100 sparse files of 4 MB WHEN validated THEN at most 64 MiB are read and the rest is one finding', () => {
    const dir = synthesized();
    fs.mkdirSync(path.join(dir, 'out', 'junk'));
    for (let i = 0; i < 100; i++) {
      const f = path.join(dir, 'out', 'junk', `f${String(i).padStart(3, '0')}.yaml`);
      fs.writeFileSync(f, '');
      fs.truncateSync(f, 4 * 1024 * 1024 - 1);
    }
    const r = cli(['validate', 'out'], dir);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/out: \d+ more files not read: a tree is read up to 100000 files and 64 MiB/);
  });
});

describe('the simulation has a budget in all, not only per template (red-team finding)', () => {
  test('GIVEN 30 services whose values template is slow on purpose WHEN simulated with a 1.5 s budget THEN it stops with one problem', () => {
    const { loadFleet } = jest.requireActual('../../src/fleet/loader') as typeof import('../../src/fleet/loader');
    const { simulateFleet } = jest.requireActual('../../src/targets/plural/simulator') as typeof import('../../src/targets/plural/simulator');
    const { synthPluralTree } = jest.requireActual('../../src/targets/plural/tree') as typeof import('../../src/targets/plural/tree');
    const fleet = loadFleet(path.join(ROOT, 'fleet.yaml'));
    const files = new Map(synthPluralTree(fleet));
    files.set('helm/evil/slow.yaml.liquid', '{% for i in (1..3000) %}{% for j in (1..3000) %}{% endfor %}{% endfor %}a: 1\n');
    for (let i = 0; i < 30; i++) {
      files.set(`bootstrap/evil/s${i}.yaml`, `apiVersion: deployments.plural.sh/v1alpha1\nkind: GlobalService\nmetadata: {name: s${i}, namespace: infra}\n`
        + 'spec:\n  tags: {}\n  template:\n    name: s\n    namespace: s\n    git: {folder: helm/evil, ref: main}\n    helm: {chart: x, version: 1.0.0, url: https://x.example.com, valuesFiles: [slow.yaml.liquid]}\n');
    }
    const problems: string[] = [];
    const delivered = simulateFleet(fleet, files, problems, 1500);
    expect(problems.filter((p) => p.includes('ran past its time budget'))).toHaveLength(1);
    expect(delivered.size).toBeLessThan(fleet.clusters.length);
  });
});

describe('the Argo CD simulation has a budget (second red-team round)', () => {
  test('GIVEN 3,000 Applications over one folder of 2,000 ConfigMaps WHEN simulated THEN it stops at its object budget with one finding', () => {
    const { simulateArgoCd } = jest.requireActual('../../src/targets/argocd/simulator') as typeof import('../../src/targets/argocd/simulator');
    const files = new Map<string, string>();
    files.set('argocd/evil/root.yaml', 'apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata: {name: p, namespace: argocd}\nspec: {sourceRepos: ["*"], destinations: [{server: "*", namespace: "*"}], clusterResourceWhitelist: [{group: "*", kind: "*"}]}\n---\n'
      + 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: root, namespace: argocd}\nspec: {project: p, source: {repoURL: "https://x.example.com/r.git", path: argocd/evil/apps, directory: {recurse: true}}, destination: {name: in-cluster, namespace: argocd}}\n');
    const apps: string[] = [];
    for (let i = 0; i < 3000; i++) {
      apps.push(`apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: a${i}, namespace: argocd}\nspec: {project: p, source: {repoURL: "https://x.example.com/r.git", path: junk, directory: {recurse: true}}, destination: {name: c1, namespace: x}}\n`);
    }
    files.set('argocd/evil/apps/apps.yaml', apps.join('---\n'));
    for (let i = 0; i < 2000; i++) files.set(`junk/cm${i}.yaml`, `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm${i}}\ndata: {a: b}\n`);
    const sim = simulateArgoCd(files, 'argocd/evil/root.yaml', { objects: 20_000 });
    expect(sim.problems.filter((p) => p.includes('ran past its budget (20000 delivered objects)'))).toHaveLength(1);
    expect([...sim.delivered.values()].flat().length).toBeLessThan(20);
  });
});
