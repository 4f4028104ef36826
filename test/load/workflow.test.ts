/**
 * Issue 18: the workflow `meshfleet init` writes, played step by step (scripts/workflow-player.js) in a
 * clone of a repository, for the events a GitOps repository sees: its first pull request (the base has
 * no fleet yet), a push to it (the plan's comment updated in place), a cluster added from a fork (no
 * comment: the job summary), a stale tree (the check fails with the diff, the plan is still posted), a
 * removal without decommission (the plan's refusal), and --on-drift commit with and without a token.
 * `npx meshfleet` runs this repository's CLI; scripts/pack-test.js plays the same with the installed package.
 * It starts some hundred git and node processes: a load test (`npm run test:load`, run by CI).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { PLAN_COMMENT_MARKER, scaffold } from '../../src/cli/init';
import { cleanTmp, tmp } from '../gitops/helpers';
import { runCli as cli } from '../support';

const { playWorkflow } = require('../../scripts/workflow-player') as {
  playWorkflow: (o: Record<string, unknown>) => { steps: Array<{ job: string; name: string; ran: boolean; status?: number; out?: string }>; summary: string; gh: { comments: Array<{ id: number; body: string }>; calls: string[] } };
};

afterAll(cleanTmp);

const ROOT = path.join(__dirname, '..', '..');
const NPX = `#!/usr/bin/env bash\n# npx, as the workflow calls it: this repository's meshfleet.\nif [ "$1" != meshfleet ]; then echo "npx stub: only meshfleet" >&2; exit 2; fi\nshift\nexec node ${JSON.stringify(path.join(ROOT, 'scripts', 'run-app.js'))} "$@"\n`;

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir, stdio: 'pipe', encoding: 'utf8' });
}

/** The example fleet's first two clusters of tier dev, as a new repository would start. */
function smallFleet(extra = ''): string {
  const files = scaffold('acme', 'plural', 'fail');
  return files.get('fleet.yaml')! + extra;
}

const ADDED = '  - name: acme-dev-3\n    id: 3\n    tier: dev\n    region: eu-west-1\n    dnsZone: dev.example.com\n';

/**
 * An origin repository (at `<server>/acme/fleet-gitops.git`, as GITHUB_SERVER_URL and GITHUB_REPOSITORY name
 * it) whose main holds only a README, and a clone of it with a pull request branch.
 */
function repository(onDrift: 'fail' | 'commit' = 'fail'): { origin: string; work: string; workflow: string; serverUrl: string } {
  const server = tmp('meshfleet-wf-server-');
  const origin = path.join(server, 'acme', 'fleet-gitops.git');
  fs.mkdirSync(origin, { recursive: true });
  git(origin, 'init', '-q', '-b', 'main');
  fs.writeFileSync(path.join(origin, 'README.md'), '# fleet\n');
  git(origin, 'add', '-A');
  git(origin, 'commit', '-qm', 'start');
  git(origin, 'config', 'receive.denyCurrentBranch', 'ignore');
  const work = tmp('meshfleet-wf-work-');
  git(work, 'clone', '-q', origin, '.');
  git(work, 'checkout', '-qb', 'pr');
  const files = scaffold('acme', 'plural', onDrift);
  for (const [rel, text] of files) {
    if (rel === 'README.md' || rel === 'package.json') continue;
    fs.mkdirSync(path.dirname(path.join(work, rel)), { recursive: true });
    fs.writeFileSync(path.join(work, rel), text);
  }
  // Without dependencies: npx is the stub (the pack test installs for real).
  const pkg = JSON.parse(files.get('package.json')!);
  delete pkg.devDependencies;
  fs.writeFileSync(path.join(work, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  return { origin, work, workflow: files.get('.github/workflows/meshfleet.yml')!, serverUrl: `file://${server}` };
}

function synthAndCommit(work: string, message: string): void {
  expect(cli(['synth'], work).code).toBe(0);
  git(work, 'add', '-A');
  git(work, 'commit', '-qm', message);
}

const PR = { name: 'pull_request', action: 'synchronize', pr: 7, base: 'main', headRef: 'pr', sameRepo: true, labels: [] as string[] };

function play(workflow: string, cwd: string, event: Record<string, unknown>, ghState?: string) {
  return playWorkflow({ workflow, cwd, event, skip: ['install'], stubs: { npx: NPX }, ghState });
}

function step(r: ReturnType<typeof play>, prefix: string) {
  const s = r.steps.find((x) => x.name.startsWith(prefix));
  if (!s) throw new Error(`no step ${prefix}: ${r.steps.map((x) => x.name).join(', ')}`);
  return s;
}

describe('the workflow, played (issue 18)', () => {
  test('GIVEN the first pull request (no fleet on the base) and then a push adding a cluster THEN both pass, and the plan is one comment, updated in place', () => {
    const { work, workflow } = repository();
    synthAndCommit(work, 'the fleet');
    const gh = path.join(tmp('meshfleet-wf-gh-'), 'gh.json');
    const first = play(workflow, work, PR, gh);
    expect(step(first, 'the committed tree').status).toBe(0);
    expect(step(first, 'plan').status).toBe(0);
    expect(first.gh.comments).toHaveLength(1);
    expect(first.gh.comments[0].body.startsWith(PLAN_COMMENT_MARKER)).toBe(true);
    expect(first.gh.comments[0].body).toContain('does not exist: every cluster is new (2 in 2 meshes)');
    expect(first.summary).toContain('every cluster is new');

    fs.appendFileSync(path.join(work, 'fleet.yaml'), ADDED);
    synthAndCommit(work, 'a third cluster');
    const push = play(workflow, work, PR, gh);
    expect(push.steps.filter((s) => s.ran).map((s) => [s.job, s.name, s.status])).toEqual([['tree', 'the committed tree equals a fresh synth', 0], ['plan', 'plan against the base branch', 0]]);
    expect(push.gh.comments).toHaveLength(1);
    expect(push.gh.comments[0].id).toBe(first.gh.comments[0].id);
    // The base still has no fleet: the updated plan lists the three clusters as new.
    expect(push.gh.comments[0].body).toContain('every cluster is new (3 in 2 meshes)');
    expect(push.gh.comments[0].body).toContain('acme-dev-3');
    expect(push.gh.calls.filter((c) => c.includes('--method PATCH'))).toHaveLength(1);
  });

  test('GIVEN a fork\'s pull request adding a cluster THEN it passes on its checks, nothing is commented, and the plan is in the job summary', () => {
    const { work, workflow } = repository();
    synthAndCommit(work, 'the fleet');
    git(work, 'push', '-q', 'origin', 'pr:main');
    git(work, 'fetch', '-q', 'origin');
    fs.appendFileSync(path.join(work, 'fleet.yaml'), ADDED);
    synthAndCommit(work, 'a third cluster');
    const r = play(workflow, work, { ...PR, sameRepo: false });
    expect(step(r, 'the committed tree').status).toBe(0);
    const plan = step(r, 'plan');
    expect(plan.status).toBe(0);
    expect(plan.out).toContain("::notice::a fork's pull request");
    expect(r.gh.calls).toEqual([]);
    expect(r.summary).toContain('clusters added: acme-dev-3');
  });

  test('GIVEN a stale tree THEN the check fails with the diff, and the plan still runs and is posted', () => {
    const { work, workflow } = repository();
    synthAndCommit(work, 'the fleet');
    git(work, 'push', '-q', 'origin', 'pr:main');
    git(work, 'fetch', '-q', 'origin');
    fs.appendFileSync(path.join(work, 'fleet.yaml'), ADDED);
    git(work, 'commit', '-qam', 'a cluster, tree not synthesized');
    const r = play(workflow, work, PR);
    const check = step(r, 'the committed tree');
    expect(check.status).toBe(1);
    expect(check.out).toContain('+++ b/bootstrap/acme/clusters/acme-dev-3.yaml');
    expect(step(r, 'plan').status).toBe(0);
    expect(r.gh.comments[0].body).toContain('clusters added: acme-dev-3');
  });

  test('GIVEN a running cluster removed without decommission THEN the plan fails with its refusal, posted on the pull request', () => {
    const { work, workflow } = repository();
    synthAndCommit(work, 'the fleet');
    git(work, 'push', '-q', 'origin', 'pr:main');
    git(work, 'fetch', '-q', 'origin');
    const text = fs.readFileSync(path.join(work, 'fleet.yaml'), 'utf8');
    fs.writeFileSync(path.join(work, 'fleet.yaml'), text.replace(/  - name: acme-dev-2\n(    .*\n)+/, ''));
    git(work, 'commit', '-qam', 'drop acme-dev-2');
    const r = play(workflow, work, PR);
    const plan = step(r, 'plan');
    expect(plan.status).toBe(1);
    expect(r.gh.comments[0].body).toContain('cluster "acme-dev-2" removed');
    expect(r.gh.comments[0].body).toContain('refused');
  });

  test('GIVEN --on-drift commit and a stale tree THEN without the token it fails with the diff; with it, a fresh tree is pushed to the branch and this run fails', () => {
    const { origin, work, workflow, serverUrl } = repository('commit');
    synthAndCommit(work, 'the fleet');
    git(work, 'push', '-q', 'origin', 'pr:main');
    git(work, 'push', '-q', '-u', 'origin', 'pr');
    fs.appendFileSync(path.join(work, 'fleet.yaml'), ADDED);
    git(work, 'commit', '-qam', 'a cluster, tree not synthesized');
    git(work, 'push', '-q');
    const without = play(workflow, work, { ...PR, serverUrl });
    const commitStep = step(without, 'commit a fresh tree');
    expect(commitStep.status).toBe(1);
    expect(commitStep.out).toContain('needs a MESHFLEET_PUSH_TOKEN secret');
    const withToken = play(workflow, work, { ...PR, pushToken: 'pat', serverUrl });
    expect(step(withToken, 'commit a fresh tree').status).toBe(1);
    expect(git(origin, 'log', '-1', '--format=%s', 'pr').trim()).toBe('meshfleet: synthesize the tree from fleet.yaml');
    expect(git(origin, 'show', '--stat', '--format=', 'pr')).toContain('bootstrap/acme/clusters/acme-dev-3.yaml');
    // A fork's pull request is never committed to: the commit step does not run.
    const fork = play(workflow, work, { ...PR, sameRepo: false, pushToken: 'pat', serverUrl });
    expect(fork.steps.find((s) => s.name.startsWith('commit a fresh tree'))!.ran).toBe(false);
  });

  test('GIVEN a change of package.json\'s settings THEN the run the maintainer\'s label starts allows it, and a later push with the label still on does not', () => {
    const { work, workflow } = repository();
    synthAndCommit(work, 'the fleet');
    git(work, 'push', '-q', 'origin', 'pr:main');
    git(work, 'fetch', '-q', 'origin');
    const pkg = JSON.parse(fs.readFileSync(path.join(work, 'package.json'), 'utf8'));
    pkg.meshfleet.out = 'tree';
    fs.writeFileSync(path.join(work, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
    synthAndCommit(work, 'the tree moves');
    const labeled = play(workflow, work, { ...PR, action: 'labeled', label: 'meshfleet-source-change', labels: ['meshfleet-source-change'] });
    expect(step(labeled, 'plan').status).toBe(0);
    expect(labeled.summary).toContain('setting package.json meshfleet.out: . -> tree (where the tree is written and checked), acknowledged with --allow-source-change');
    const pushed = play(workflow, work, { ...PR, action: 'synchronize', labels: ['meshfleet-source-change'] });
    expect(step(pushed, 'plan').status).toBe(1);
  });

  test('GIVEN a push to main with a stale tree THEN the check fails and no plan runs', () => {
    const { work, workflow } = repository();
    synthAndCommit(work, 'the fleet');
    fs.appendFileSync(path.join(work, 'fleet.yaml'), ADDED);
    const r = play(workflow, work, { name: 'push', sameRepo: true });
    expect(step(r, 'the committed tree').status).toBe(1);
    expect(step(r, 'plan').ran).toBe(false);
  });

  test('GIVEN the small fleet the scaffold writes THEN it is valid (the cases above start from it)', () => {
    const dir = tmp('meshfleet-wf-fleet-');
    fs.writeFileSync(path.join(dir, 'fleet.yaml'), smallFleet(ADDED));
    expect(cli(['graph', '--fleet', path.join(dir, 'fleet.yaml')]).code).toBe(0);
  });
});
