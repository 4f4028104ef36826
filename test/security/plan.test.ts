/**
 * Issue 16, defects 1 and 4: `plan --against` reads a git ref with git alone (a planted file or folder
 * named like the ref is never read), refuses a short name that names two refs, and reports (refusing
 * without --allow-source-change) every change of where what the clusters run comes from.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { cleanTmp, tmp } from '../gitops/helpers';
import { faults, runCli as cli } from '../support';

afterAll(cleanTmp);

const EXAMPLE = path.join(__dirname, '..', '..', 'fleet.yaml');
const base = fs.readFileSync(EXAMPLE, 'utf8');
/** The example without its running cluster orchid-prod-usw2 (a removal Plural would destroy). */
const removed = base.replace(/  - name: orchid-prod-usw2\n(    .*\n)+/, '');

function repo(): { dir: string; git: (...a: string[]) => string } {
  const dir = tmp('meshfleet-plan-sec-');
  const git = (...a: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...a], { cwd: dir, stdio: 'pipe', encoding: 'utf8' });
  git('init', '-q', '-b', 'main');
  fs.writeFileSync(path.join(dir, 'fleet.yaml'), base);
  git('add', '-A');
  git('commit', '-qm', 'base');
  // What CI has: the base branch as a remote-tracking ref.
  git('update-ref', 'refs/remotes/origin/main', 'HEAD');
  git('checkout', '-qb', 'pr');
  return { dir, git };
}

describe('plan --against reads git, never the working tree (issue 16, defect 1)', () => {
  test('GIVEN a removal WHEN planned against origin/main THEN it is refused', () => {
    const { dir } = repo();
    fs.writeFileSync(path.join(dir, 'fleet.yaml'), removed);
    const r = cli(['plan', '--against', 'origin/main'], dir);
    expect(r.code).toBe(1);
    expect(r.err).toContain('cluster "orchid-prod-usw2" removed: Plural would delete its InfrastructureStack');
  });

  test.each(['file', 'folder'])('GIVEN a planted %s named origin/main holding the new fleet WHEN planned THEN git\'s origin/main is read and the removal is still refused', (kind) => {
    const { dir, git } = repo();
    fs.writeFileSync(path.join(dir, 'fleet.yaml'), removed);
    fs.mkdirSync(path.join(dir, 'origin'));
    if (kind === 'file') fs.writeFileSync(path.join(dir, 'origin', 'main'), removed);
    else {
      fs.mkdirSync(path.join(dir, 'origin', 'main'));
      fs.writeFileSync(path.join(dir, 'origin', 'main', 'fleet.yaml'), removed);
    }
    git('add', '-A');
    git('commit', '-qm', 'planted');
    const r = cli(['plan', '--against', 'origin/main'], dir);
    expect(r.out.split('\n')[0]).toBe('meshfleet plan: origin/main:fleet.yaml -> fleet.yaml');
    expect(r.code).toBe(1);
    expect(r.err).toContain('cluster "orchid-prod-usw2" removed');
  });

  test('GIVEN a local branch named origin/main beside the remote\'s WHEN planned THEN the ambiguous name is refused, the full name works', () => {
    const { dir, git } = repo();
    fs.writeFileSync(path.join(dir, 'fleet.yaml'), removed);
    git('commit', '-qam', 'remove');
    git('branch', 'origin/main');
    const r = cli(['plan', '--against', 'origin/main'], dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--against "origin/main" names 2 refs (refs/heads/origin/main, refs/remotes/origin/main)');
    const full = cli(['plan', '--against', 'refs/remotes/origin/main'], dir);
    expect(full.code).toBe(1);
    expect(full.err).toContain('cluster "orchid-prod-usw2" removed');
  });

  test.each(['--upload-pack=touch x', '-x', 'a..b', 'main@{1}', 'a b', '../fleet.yaml'])('GIVEN --against %j THEN it is refused as not a git ref', (ref) => {
    const { dir } = repo();
    const r = cli(['plan', `--against=${ref}`], dir);
    expect(r.code).toBe(2);
  });

  test('GIVEN --against-file WHEN planned THEN that file is read, by explicit request', () => {
    const { dir } = repo();
    fs.writeFileSync(path.join(dir, 'before.yaml'), base);
    fs.writeFileSync(path.join(dir, 'fleet.yaml'), removed);
    const r = cli(['plan', '--against-file', 'before.yaml'], dir);
    expect(r.code).toBe(1);
    expect(cli(['plan', '--against', 'origin/main', '--against-file', 'before.yaml'], dir).code).toBe(2);
  });
});

describe('plan reports every change of source (issue 16, defect 4)', () => {
  function plan(after: string, ...flags: string[]): { code: number; out: string; err: string } {
    const dir = tmp('meshfleet-plan-src-');
    fs.writeFileSync(path.join(dir, 'before.yaml'), base);
    fs.writeFileSync(path.join(dir, 'fleet.yaml'), after);
    return cli(['plan', '--against-file', 'before.yaml', ...flags], dir);
  }

  test.each([
    ['cilium.chartUrl', base.replace('  version: 1.18.1\n', '  version: 1.18.1\n  chartUrl: https://charts.attacker.example\n'), 'https://helm.cilium.io -> https://charts.attacker.example'],
    ['probe.image', base.replace('  enabled: true\n', '  enabled: true\n  image: attacker.example/tools:1.0\n'), 'docker.io/library/busybox:1.36.1 -> attacker.example/tools:1.0'],
    ['argocd.repoURL', base.replace('https://github.com/orchid/infra.git', 'https://github.com/attacker/infra.git'), 'https://github.com/orchid/infra.git -> https://github.com/attacker/infra.git'],
    ['plural.identifier', base.replace('identifier: orchid/infra', 'identifier: attacker/infra'), 'orchid/infra -> attacker/infra'],
    ['argocd.targetRevision', base.replace('  repoURL: https://github.com/orchid/infra.git\n', '  repoURL: https://github.com/orchid/infra.git\n  targetRevision: release\n'), 'HEAD -> release'],
    ['plural.gitRef', base.replace('plural:\n', 'plural:\n  gitRef: attacker-branch\n'), 'main -> attacker-branch'],
    ['cilium.namespace', base.replace('  version: 1.18.1\n', '  version: 1.18.1\n  namespace: cilium\n'), 'kube-system -> cilium'],
    ['plural.fleetFile', base.replace('plural:\n', 'plural:\n  fleetFile: other.yaml\n'), 'fleet.yaml -> other.yaml'],
  ])('GIVEN %s moved WHEN planned THEN it is named and refused; with --allow-source-change it passes with a warning', (field, after, change) => {
    const r = plan(after);
    expect(r.out).toContain(`  source ${field}: ${change}`);
    expect(r.out).not.toContain('no change to what any cluster runs');
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${field} changes from ${change.replace(' -> ', ' to ')}`);
    const ok = plan(after, '--allow-source-change');
    expect(ok.code).toBe(0);
    expect(ok.out).toContain(`warning: ${field} moves to`);
  });

  test.each([
    ['argocd.project', base.replace('  repoURL: https://github.com/orchid/infra.git\n', '  repoURL: https://github.com/orchid/infra.git\n  project: other\n'), 'orchid -> other'],
    ['argocd.namespace', base.replace('  repoURL: https://github.com/orchid/infra.git\n', '  repoURL: https://github.com/orchid/infra.git\n  namespace: gitops\n'), 'argocd -> gitops'],
    ['multigres.namespace', base.replace('  namespace: multigres\n', '  namespace: pg\n'), 'multigres -> pg'],
    ['probe.namespace', base.replace('  enabled: true\n', '  enabled: true\n  namespace: probe\n'), 'meshfleet-probe -> probe'],
    ['cilium.apiserver.annotations', base.replace('    serviceType: LoadBalancer\n', '    serviceType: LoadBalancer\n    annotations: {service.beta.kubernetes.io/aws-load-balancer-scheme: internet-facing}\n'),
      '(default) -> {"service.beta.kubernetes.io/aws-load-balancer-scheme":"internet-facing"}'],
    ['probe.networkPolicies', base.replace('  enabled: true\n', '  enabled: true\n  networkPolicies: false\n'), 'true -> false'],
    ['probe.image', base.replace('  enabled: true\n', '  enabled: true\n  image: docker.io/library/busybox:1.37.0\n'), 'docker.io/library/busybox:1.36.1 -> docker.io/library/busybox:1.37.0'],
  ])('GIVEN %s changed WHEN planned THEN it is reported, not refused', (field, after, change) => {
    const r = plan(after);
    expect(r.out).toContain(`  setting ${field}: ${change}`);
    expect(r.code).toBe(0);
  });
});

describe('a source set where there was none is a move too (red-team finding)', () => {
  const noProbe = base.replace(/# A connectivity probe[\s\S]*$/, '');
  function plan(before: string, after: string): { code: number; out: string; err: string } {
    const dir = tmp('meshfleet-plan-new-');
    fs.writeFileSync(path.join(dir, 'before.yaml'), before);
    fs.writeFileSync(path.join(dir, 'fleet.yaml'), after);
    return cli(['plan', '--against-file', 'before.yaml'], dir);
  }

  test('GIVEN no probe WHEN a pull request enables it with another image THEN plan refuses it', () => {
    const r = plan(noProbe, `${noProbe}probe:\n  enabled: true\n  image: evil.example.com/pwn/busybox:1.36.1\n`);
    expect(r.code).toBe(1);
    expect(r.out).toContain('  source probe.image: (default) -> evil.example.com/pwn/busybox:1.36.1');
  });

  test('GIVEN no probe WHEN a pull request enables it with the default image THEN it passes', () => {
    const r = plan(noProbe, `${noProbe}probe:\n  enabled: true\n`);
    expect(r.code).toBe(0);
    expect(r.out).toContain('  setting probe.image: (default) -> docker.io/library/busybox:1.36.1');
  });

  test('GIVEN Plural only WHEN a pull request adds the Argo CD target with a repository THEN plan refuses it until acknowledged', () => {
    const pluralOnly = base.replace('targets: [plural, argocd]\nargocd:\n  repoURL: https://github.com/orchid/infra.git\n', 'targets: [plural]\n');
    const r = plan(pluralOnly, base.replace('https://github.com/orchid/infra.git', 'https://github.com/evil/infra.git'));
    expect(r.code).toBe(1);
    expect(r.out).toContain('  source argocd.repoURL: (default) -> https://github.com/evil/infra.git');
  });

  test.each(['refs/pull/1234/head', 'pull/7/merge', 'refs/merge-requests/3/head'])('GIVEN a revision %s THEN the loader refuses it', (ref) => {
    expect(faults(base.replace('plural:\n', `plural:\n  gitRef: ${ref}\n`))).toEqual([expect.stringContaining(`plural.gitRef "${ref}" names a pull or merge request's head`)]);
    expect(faults(base.replace('  repoURL: https://github.com/orchid/infra.git\n', `  repoURL: https://github.com/orchid/infra.git\n  targetRevision: ${ref}\n`)))
      .toEqual([expect.stringContaining(`argocd.targetRevision "${ref}" names a pull or merge request's head`)]);
  });
});

describe('the generated workflow (issue 16, defect 5)', () => {
  const { scaffold } = jest.requireActual('../../src/cli/init') as typeof import('../../src/cli/init');
  const { parse } = jest.requireActual('yaml') as typeof import('yaml');

  test('GIVEN commit mode THEN a fork\'s branch is never checked out by name, no job that runs the pull request\'s code holds a credential, and the push is a job of its own', () => {
    const wf = parse(scaffold('acme', 'plural', 'commit').get('.github/workflows/meshfleet.yml')!);
    expect(wf.permissions).toEqual({});
    const tree = wf.jobs.tree;
    expect(tree.permissions).toEqual({ contents: 'read' });
    const checkout = (tree.steps as Array<Record<string, any>>).find((s) => String(s.uses).startsWith('actions/checkout'))!;
    expect(checkout.with.ref).toBe("${{ github.event.pull_request.head.repo.full_name == github.repository && github.head_ref || '' }}");
    expect(checkout.with['persist-credentials']).toBe(false);
    expect(checkout.with.token).toBeUndefined();
    expect(JSON.stringify(tree)).not.toContain('secrets.');
    const check = (tree.steps as Array<Record<string, any>>).find((s) => s.name === 'the committed tree equals a fresh synth')!;
    expect(check.if).toBeUndefined();
    expect(check.run).toBe('npx meshfleet check');
    const commit = wf.jobs.commit;
    expect(commit.needs).toBe('tree');
    expect(commit.if).toContain('github.event.pull_request.head.repo.full_name == github.repository');
    expect(commit.permissions).toEqual({ contents: 'read' });
    // The commit job runs nothing of the pull request's: it downloads the patch and applies it with git.
    const push = (commit.steps as Array<Record<string, any>>).find((s) => s.name === "commit a fresh tree to the pull request's branch")!;
    expect(push.env.PUSH_TOKEN).toBe('${{ secrets.MESHFLEET_PUSH_TOKEN }}');
    expect(push.run).not.toMatch(/^\s*(npx|npm|node)\b/m);
  });

  test.each(['commit', 'fail'] as const)('GIVEN on-drift %s THEN plan is a job that runs the base\'s meshfleet on the pull request\'s files, by the base\'s full ref, and passes --allow-source-change only in the run the label starts', (mode) => {
    const wf = parse(scaffold('acme', 'argocd', mode).get('.github/workflows/meshfleet.yml')!);
    const job = wf.jobs.plan;
    expect(job.if).toBe("github.event_name == 'pull_request'");
    expect(job.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
    expect(job.needs).toBeUndefined();
    const steps = job.steps as Array<Record<string, any>>;
    expect(steps.find((s) => String(s.uses).startsWith('actions/checkout'))!.with['persist-credentials']).toBe(false);
    // Nothing runs before the plan step but the runner's own actions.
    expect(steps.filter((s) => s.run).map((s) => s.name)).toEqual(['plan against the base branch']);
    const plan = steps.find((s) => s.name === 'plan against the base branch')!;
    expect(plan.run).toContain('base="refs/remotes/origin/$BASE"');
    expect(plan.run).toContain('"${bin[@]}" plan --against "$base" ${ALLOW:+--allow-source-change}');
    expect(plan.run).toContain('git worktree add --detach "$RUNNER_TEMP/meshfleet-base" "$base"');
    expect(plan.env.BASE).toBe('${{ github.base_ref }}');
    expect(plan.env.ALLOW).toBe("${{ github.event.action == 'labeled' && github.event.label.name == 'meshfleet-source-change' && 'yes' || '' }}");
    expect(wf.on.pull_request.types).toContain('labeled');
  });
});

describe('check sees files planted in the generated folders (second red-team round)', () => {
  test('GIVEN an Application and AppProject planted under argocd/<fleet>/apps/ and a file under bootstrap/<fleet>/ WHEN checked THEN check fails naming them', () => {
    const dir = tmp('meshfleet-planted-');
    fs.writeFileSync(path.join(dir, 'fleet.yaml'), base);
    expect(cli(['synth', '--out', '.'], dir).code).toBe(0);
    expect(cli(['check', '--out', '.'], dir).code).toBe(0);
    fs.writeFileSync(path.join(dir, 'argocd/orchid/apps/evil.yaml'), 'apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata: {name: evil}\n');
    fs.mkdirSync(path.join(dir, 'bootstrap/orchid/extra'));
    fs.writeFileSync(path.join(dir, 'bootstrap/orchid/extra/x.json'), '{}');
    const r = cli(['check', '--out', '.'], dir);
    expect(r.code).toBe(1);
    expect(r.err).toContain('not generated, in a generated folder (the engine would apply it; move it out of the tree\'s folders or delete it): argocd/orchid/apps/evil.yaml');
    expect(r.err).toContain('not generated, in a generated folder (the engine would apply it; move it out of the tree\'s folders or delete it): bootstrap/orchid/extra/x.json');
  });
});

describe('the command line, over node:util parseArgs (house issue)', () => {
  const { parseArgs } = jest.requireActual('../../src/cli/args') as typeof import('../../src/cli/args');
  const spec = { values: { fleet: 'fleet.yaml', against: undefined }, switches: ['allow-source-change'], positionals: 1 };

  test.each([
    [['--fleet', 'f.yaml', 'dir'], { fleet: 'f.yaml', against: undefined }, ['dir'], []],
    [['--against=-x', '--allow-source-change'], { fleet: 'fleet.yaml', against: '-x' }, [], ['allow-source-change']],
  ])('GIVEN %j THEN values, positionals and switches are read', (argv, values, positionals, switches) => {
    const r = parseArgs(argv, spec);
    expect([r.values, r.positionals, [...r.switches], r.help]).toEqual([values, positionals, switches, false]);
  });

  test.each([
    [['--fleet'], '--fleet needs a value'],
    [['--fleet', '--against', 'x'], '--fleet needs a value'],
    [['--fleet='], '--fleet needs a non-empty value; nothing was written'],
    [['-x'], 'unknown argument "-x"'],
    [['a', 'b'], 'unknown argument "b"'],
    [['--allow-source-change=yes'], 'unknown argument "--allow-source-change=yes"'],
    [['--', 'a'], 'unknown argument "--"'],
  ])('GIVEN %j THEN it is a usage error: %s', (argv, message) => {
    expect(() => parseArgs(argv, spec)).toThrow(message);
  });

  test('GIVEN -h or --help anywhere THEN help', () => {
    expect(parseArgs(['a', '-h'], spec).help).toBe(true);
    expect(parseArgs(['--help'], spec).help).toBe(true);
  });
});

describe('messages after the new-user trial', () => {
  test('GIVEN a region changed in place WHEN planned THEN plan does not also say "no change"', () => {
    const dir = tmp('meshfleet-region-');
    fs.writeFileSync(path.join(dir, 'before.yaml'), base);
    fs.writeFileSync(path.join(dir, 'fleet.yaml'), base.replace('    region: us-west-1\n', '    region: us-west-2\n'));
    const r = cli(['plan', '--against-file', 'before.yaml'], dir);
    expect(r.code).toBe(1);
    expect(r.out).not.toContain('no change to what any cluster runs');
  });

  test('GIVEN only a planted file WHEN checked THEN the hint says to delete or move it, not to synth', () => {
    const dir = tmp('meshfleet-hint-');
    fs.writeFileSync(path.join(dir, 'fleet.yaml'), base);
    expect(cli(['synth', '--out', '.'], dir).code).toBe(0);
    fs.writeFileSync(path.join(dir, 'bootstrap/orchid/extra.yaml'), 'x: 1\n');
    const r = cli(['check', '--out', '.'], dir);
    expect(r.code).toBe(1);
    expect(r.err).toContain('delete or move the files that are not generated (meshfleet never deletes a file it did not write)');
    expect(r.err).not.toContain('and commit the result');
  });
});
