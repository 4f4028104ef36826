/**
 * Issue 18: a repository's own defaults. `meshfleet init` records in package.json where the fleet and the
 * tree are (`"meshfleet": {"fleet": ..., "out": ...}`); every command reads them, flags override them,
 * and they must stay inside the repository. `plan` reads the base's settings from the base, reports a
 * change of them (refused without --allow-source-change), and says every cluster is new when the base
 * has no fleet description yet.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parseRepoDefaults } from '../src/cli/defaults';
import { cleanTmp, tmp } from './gitops/helpers';
import { runCli as cli } from './support';

afterAll(cleanTmp);

const EXAMPLE = fs.readFileSync(path.join(__dirname, '..', 'fleet.yaml'), 'utf8');
/** The example without its running cluster orchid-prod-usw2 (a removal Plural would destroy). */
const REMOVED = EXAMPLE.replace(/  - name: orchid-prod-usw2\n(    .*\n)+/, '');

function pkg(settings: unknown): string {
  return `${JSON.stringify({ name: 'fleet-gitops', private: true, meshfleet: settings }, null, 2)}\n`;
}

function repo(settings: unknown = { fleet: 'fleet.yaml', out: '.' }): string {
  const dir = tmp('meshfleet-defaults-');
  fs.writeFileSync(path.join(dir, 'package.json'), pkg(settings));
  fs.writeFileSync(path.join(dir, 'fleet.yaml'), EXAMPLE);
  return dir;
}

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir, stdio: 'pipe', encoding: 'utf8' });
}

describe('the repository\'s defaults (issue 18)', () => {
  test('GIVEN package.json says out "." WHEN synth, check and validate run without flags THEN they act on the repository\'s root', () => {
    const dir = repo();
    expect(cli(['synth'], dir).code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'bootstrap'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'dist'))).toBe(false);
    expect(cli(['check'], dir)).toMatchObject({ code: 0 });
    const v = cli(['validate'], dir);
    expect(v.err).toBe('');
    expect(v.code).toBe(0);
  });

  test('GIVEN package.json names another fleet file WHEN graph and synth run THEN they read it; a flag overrides', () => {
    const dir = repo({ fleet: 'fleets/main.yaml', out: 'tree' });
    fs.mkdirSync(path.join(dir, 'fleets'));
    fs.renameSync(path.join(dir, 'fleet.yaml'), path.join(dir, 'fleets', 'main.yaml'));
    expect(cli(['graph'], dir).out).toContain('orchid-prod-usw2');
    expect(cli(['synth'], dir).code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'tree', 'bootstrap'))).toBe(true);
    expect(cli(['synth', '--out', 'other'], dir).code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'other', 'bootstrap'))).toBe(true);
  });

  test.each([
    [{ out: '../elsewhere' }, 'package.json: "meshfleet.out" "../elsewhere" has a ".." segment; it must be a path inside the repository'],
    [{ out: '/etc' }, 'package.json: "meshfleet.out" "/etc" is absolute; it must be a path inside the repository'],
    [{ fleet: '.git/config' }, 'package.json: "meshfleet.fleet" ".git/config" is inside a .git folder; it must be a path inside the repository'],
    [{ fleet: 7 }, 'package.json: "meshfleet.fleet" must be a string'],
    [{ outDir: 'x' }, 'package.json: "meshfleet.outDir" is not a setting (fleet, out)'],
    ['.', 'package.json: "meshfleet" must be an object such as {"fleet": "fleet.yaml", "out": "."}'],
  ])('GIVEN settings %j WHEN synth runs THEN it is refused, naming the field, and nothing is written', (settings, message) => {
    const dir = repo(settings);
    const r = cli(['synth'], dir);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`meshfleet: ${message}`);
    expect(fs.readdirSync(dir).sort()).toEqual(['fleet.yaml', 'package.json']);
  });

  test('GIVEN package.json without meshfleet settings THEN the built-in defaults hold (fleet.yaml, dist)', () => {
    expect(parseRepoDefaults('{"name": "x"}')).toBeUndefined();
    expect(parseRepoDefaults('{"meshfleet": {}}')).toEqual({ fleet: 'fleet.yaml', out: 'dist', source: 'package.json' });
  });
});

describe('plan against a base with or without a fleet (issue 18)', () => {
  function prRepo(baseFiles: Record<string, string>): string {
    const dir = tmp('meshfleet-defaults-plan-');
    git(dir, 'init', '-q', '-b', 'main');
    for (const [f, text] of Object.entries(baseFiles)) fs.writeFileSync(path.join(dir, f), text);
    fs.writeFileSync(path.join(dir, '.keep'), '');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'base');
    git(dir, 'update-ref', 'refs/remotes/origin/main', 'HEAD');
    git(dir, 'checkout', '-qb', 'pr');
    return dir;
  }

  test('GIVEN a base without fleet.yaml (the first pull request) WHEN planned THEN every cluster is new and it passes', () => {
    const dir = prRepo({});
    fs.writeFileSync(path.join(dir, 'package.json'), pkg({ fleet: 'fleet.yaml', out: '.' }));
    fs.writeFileSync(path.join(dir, 'fleet.yaml'), EXAMPLE);
    const r = cli(['plan', '--against', 'refs/remotes/origin/main'], dir);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('meshfleet plan: refs/remotes/origin/main:fleet.yaml -> fleet.yaml');
    expect(lines[1]).toMatch(/^ {2}refs\/remotes\/origin\/main:fleet\.yaml does not exist: every cluster is new \(\d+ in \d+ meshes\)$/);
    expect(r.out).toContain('orchid-prod-usw2');
    expect(r.out).toContain('stack created: cluster-orchid-prod-usw2');
  });

  test('GIVEN a pull request that points package.json at another fleet file WHEN planned THEN the base\'s own file is compared, the setting change refused, and a removal still refused when acknowledged', () => {
    const dir = prRepo({ 'package.json': pkg({ fleet: 'fleet.yaml', out: '.' }), 'fleet.yaml': EXAMPLE });
    fs.writeFileSync(path.join(dir, 'package.json'), pkg({ fleet: 'other.yaml', out: '.' }));
    fs.writeFileSync(path.join(dir, 'other.yaml'), REMOVED);
    const r = cli(['plan', '--against', 'refs/remotes/origin/main'], dir);
    expect(r.code).toBe(1);
    expect(r.out.split('\n')[0]).toBe('meshfleet plan: refs/remotes/origin/main:fleet.yaml -> other.yaml');
    expect(r.out).toContain('setting package.json meshfleet.fleet: fleet.yaml -> other.yaml (where the fleet description is read from)');
    expect(r.err).toContain('cluster "orchid-prod-usw2" removed');
    expect(r.err).toContain('setting package.json meshfleet.fleet: fleet.yaml -> other.yaml');
    const acknowledged = cli(['plan', '--against', 'refs/remotes/origin/main', '--allow-source-change'], dir);
    expect(acknowledged.code).toBe(1);
    expect(acknowledged.err).toContain('cluster "orchid-prod-usw2" removed');
    expect(acknowledged.err).not.toContain('meshfleet.fleet');
  });

  test.each(['deleted', 'a symlink'])('GIVEN a base whose fleet is in config/ and a pull request where config/ is %s WHEN planned THEN the base\'s fleet is still read from git, and the removal is refused', (how) => {
    const dir = prRepo({ 'package.json': pkg({ fleet: 'config/fleet.yaml', out: '.' }) });
    fs.mkdirSync(path.join(dir, 'config'));
    fs.writeFileSync(path.join(dir, 'config', 'fleet.yaml'), EXAMPLE);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'fleet in config');
    git(dir, 'update-ref', 'refs/remotes/origin/main', 'HEAD');
    fs.rmSync(path.join(dir, 'config'), { recursive: true });
    if (how === 'a symlink') {
      const elsewhere = tmp('meshfleet-defaults-elsewhere-');
      fs.writeFileSync(path.join(elsewhere, 'fleet.yaml'), REMOVED);
      fs.symlinkSync(elsewhere, path.join(dir, 'config'));
    }
    fs.writeFileSync(path.join(dir, 'package.json'), pkg({ fleet: 'other.yaml', out: '.' }));
    fs.writeFileSync(path.join(dir, 'other.yaml'), REMOVED);
    const r = cli(['plan', '--against', 'refs/remotes/origin/main', '--allow-source-change'], dir);
    expect(r.out.split('\n')[0]).toBe('meshfleet plan: refs/remotes/origin/main:config/fleet.yaml -> other.yaml');
    expect(r.code).toBe(1);
    expect(r.err).toContain('cluster "orchid-prod-usw2" removed');
  });

  test('GIVEN a pull request that moves the tree (meshfleet.out) WHEN planned THEN it is refused without --allow-source-change', () => {
    const dir = prRepo({ 'package.json': pkg({ fleet: 'fleet.yaml', out: '.' }), 'fleet.yaml': EXAMPLE });
    fs.writeFileSync(path.join(dir, 'package.json'), pkg({ fleet: 'fleet.yaml', out: 'elsewhere' }));
    const r = cli(['plan', '--against', 'refs/remotes/origin/main'], dir);
    expect(r.code).toBe(1);
    expect(r.err).toContain('setting package.json meshfleet.out: . -> elsewhere (where the tree is written and checked)');
    expect(cli(['plan', '--against', 'refs/remotes/origin/main', '--allow-source-change'], dir).code).toBe(0);
  });
});
