// Plays the jobs of the workflow `meshfleet init` writes, as GitHub Actions would run them for one event,
// in a checked-out repository: the jobs in order (a job's `needs` and `if:` decide whether it runs; each
// starts from the checkout as it was, with its own runner temp folder), each `run:` script under bash
// -eo pipefail with the step's env (its `${{ }}` expressions given by the event), each `if:` evaluated the
// way Actions does for the conditions the workflow uses (an unknown expression is an error, not a guess).
// Of the `uses:` steps, checkout and setup-node are the caller's (done once), upload-artifact and
// download-artifact copy files through a folder. `gh` is a stub that keeps the pull request's comments
// in a JSON file, so updating one comment in place can be seen. Used by test/workflow.test.ts (with
// `npx meshfleet` run from this repository) and scripts/pack-test.js (with the installed package).
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const YAML = require('yaml');

const GH_STUB = `#!/usr/bin/env node
// gh, as the workflow calls it: the comments of one pull request, kept in $GH_STATE.
const fs = require('fs');
const args = process.argv.slice(2);
const state = fs.existsSync(process.env.GH_STATE) ? JSON.parse(fs.readFileSync(process.env.GH_STATE, 'utf8')) : { comments: [], calls: [] };
state.calls.push(args.join(' '));
const save = () => fs.writeFileSync(process.env.GH_STATE, JSON.stringify(state, null, 2));
if (process.env.GH_READ_ONLY === '1') { save(); console.error('HTTP 403: Resource not accessible by integration'); process.exit(1); }
if (args[0] !== 'api') { save(); console.error('gh stub: only "gh api" is played'); process.exit(2); }
const method = args.includes('--method') ? args[args.indexOf('--method') + 1] : (args.includes('-F') ? 'POST' : 'GET');
const route = args.find((a, i) => i > 0 && !a.startsWith('-') && args[i - 1] !== '--method' && args[i - 1] !== '--jq' && args[i - 1] !== '-F');
const body = args.includes('-F') ? fs.readFileSync(args[args.indexOf('-F') + 1].replace(/^body=@/, ''), 'utf8') : undefined;
if (method === 'GET' && /\\/issues\\/\\d+\\/comments$/.test(route)) {
  const jq = args[args.indexOf('--jq') + 1] || '';
  const marker = (/startswith\\("([^"]*)"\\)/.exec(jq) || [])[1];
  for (const c of state.comments) if (marker === undefined || c.body.startsWith(marker)) console.log(c.id);
} else if (method === 'POST' && /\\/issues\\/\\d+\\/comments$/.test(route)) {
  const id = 100 + state.comments.length + 1;
  state.comments.push({ id, body });
  console.log(JSON.stringify({ id }));
} else if (method === 'PATCH' && /\\/issues\\/comments\\/\\d+$/.test(route)) {
  const id = Number(route.split('/').pop());
  const c = state.comments.find((x) => x.id === id);
  if (!c) { save(); console.error('HTTP 404'); process.exit(1); }
  c.body = body;
  console.log(JSON.stringify({ id }));
} else { save(); console.error('gh stub: unexpected call ' + args.join(' ')); process.exit(2); }
save();
`;

/**
 * The value of a `${{ }}` expression for an event.
 * @param {string} expr the expression, trimmed
 * @param {object} ev the event: { name, pr, base, sameRepo, labels, pushToken }
 */
function expression(expr, ev) {
  const known = {
    'github.token': 'gh-token',
    'github.base_ref': ev.base,
    'github.event.pull_request.number': String(ev.pr),
    'github.event.pull_request.head.repo.full_name == github.repository': String(ev.sameRepo),
    "contains(github.event.pull_request.labels.*.name, 'meshfleet-source-change') && 'yes' || ''": (ev.labels || []).includes('meshfleet-source-change') ? 'yes' : '',
    'secrets.MESHFLEET_PUSH_TOKEN': ev.pushToken || '',
    'github.head_ref': ev.headRef || '',
    "github.event.action == 'labeled' && github.event.label.name == 'meshfleet-source-change' && 'yes' || ''": ev.action === 'labeled' && ev.label === 'meshfleet-source-change' ? 'yes' : '',
    'runner.temp': ev.runnerTemp,
  };
  if (!(expr in known)) throw new Error(`workflow player: unknown expression \${{ ${expr} }}`);
  return known[expr];
}

/** A value with its `${{ }}` expressions replaced by the event's values. */
function interpolate(v, ev) {
  return String(v).replace(/\$\{\{\s*([\s\S]*?)\s*\}\}/g, (_, e) => expression(e, ev));
}

/** Whether a step runs: its `if:` (Actions' default is success()), for the conditions the workflow uses. */
function condition(expr, ev, outcomes) {
  const anyFailed = Object.values(outcomes).includes('failure');
  if (expr === undefined) return !anyFailed;
  const atoms = expr.split(' && ').map((a) => a.trim());
  const hasStatus = atoms.some((a) => a === 'always()' || a === 'failure()' || a === 'success()');
  const value = (a) => {
    if (a === 'always()') return true;
    if (a === 'failure()') return anyFailed;
    if (a === 'success()') return !anyFailed;
    if (a === "github.event_name == 'pull_request'") return ev.name === 'pull_request';
    if (a === "github.event_name == 'push'") return ev.name === 'push';
    if (a === 'github.event.pull_request.head.repo.full_name == github.repository') return ev.sameRepo === true;
    if (a === 'github.event.pull_request.head.repo.full_name != github.repository') return ev.sameRepo !== true;
    const need = /^needs\.([\w-]+)\.result == '(\w+)'$/.exec(a);
    if (need) return (ev.needs || {})[need[1]] === need[2];
    const m = /^steps\.([\w-]+)\.outcome == '(\w+)'$/.exec(a);
    if (m) return outcomes[m[1]] === m[2];
    throw new Error(`workflow player: unknown condition ${a}`);
  };
  return (hasStatus || !anyFailed) && atoms.every(value);
}

/**
 * Plays the workflow's jobs for one event in `cwd` (a checkout of the pull request, or of the pushed commit).
 * @param {{ workflow: string, cwd: string, event: object, skip?: string[], env?: object, ghState?: string, stubs?: object }} o
 * @returns {{ steps: Array<{ job: string, name: string, ran: boolean, status?: number, out?: string }>, jobs: object, summary: string, gh: { comments: any[], calls: string[] } }}
 */
function playWorkflow(o) {
  const wf = YAML.parse(o.workflow);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'meshfleet-wf-'));
  const bin = path.join(work, 'bin');
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, 'gh'), GH_STUB, { mode: 0o755 });
  for (const [name, text] of Object.entries(o.stubs || {})) fs.writeFileSync(path.join(bin, name), text, { mode: 0o755 });
  const ghState = o.ghState || path.join(work, 'gh.json');
  const summary = path.join(work, 'summary.md');
  fs.writeFileSync(summary, '');
  const artifacts = path.join(work, 'artifacts');
  fs.mkdirSync(artifacts);
  const head = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: o.cwd, encoding: 'utf8' }).stdout.trim();
  const results = {};
  const steps = [];
  Object.entries(wf.jobs).forEach(([jobName, job], j) => {
    const needs = [].concat(job.needs || []);
    const needsOk = needs.every((n) => results[n] === 'success');
    const jev = { ...o.event, needs: results };
    if (!(job.if === undefined ? needsOk : condition(job.if, jev, needs.some((n) => results[n] === 'failure') ? { needs: 'failure' } : {}))) {
      results[jobName] = 'skipped';
      for (const step of job.steps) if (!step.uses) steps.push({ job: jobName, name: step.name, ran: false });
      return;
    }
    // Each job starts from the checkout as it was (a fresh runner), with its own runner temp folder.
    if (j > 0) {
      spawnSync('git', ['reset', '-q', '--hard', head], { cwd: o.cwd });
      spawnSync('git', ['clean', '-qfd'], { cwd: o.cwd });
    }
    const runnerTemp = path.join(work, `runner-temp-${jobName}`);
    fs.mkdirSync(runnerTemp);
    const ev = { ...jev, runnerTemp };
    const outcomes = {};
    job.steps.forEach((step, i) => {
      const name = step.name || step.uses || `step ${i}`;
      const id = step.id || `step${i}`;
      if (!condition(step.if, ev, outcomes)) {
        outcomes[id] = 'skipped';
        steps.push({ job: jobName, name, ran: false });
        return;
      }
      if (step.uses) {
        if (!/^actions\/(upload|download)-artifact@/.test(step.uses)) {
          outcomes[id] = 'success';
          return;
        }
        const w = Object.fromEntries(Object.entries(step.with || {}).map(([k, v]) => [k, interpolate(v, ev)]));
        if (step.uses.startsWith('actions/upload-artifact')) {
          fs.mkdirSync(path.join(artifacts, w.name), { recursive: true });
          fs.copyFileSync(w.path, path.join(artifacts, w.name, path.basename(w.path)));
        } else if (step.uses.startsWith('actions/download-artifact')) {
          if (!fs.existsSync(path.join(artifacts, w.name))) {
            outcomes[id] = 'failure';
            steps.push({ job: jobName, name, ran: true, status: 1, out: `no artifact ${w.name}` });
            return;
          }
          fs.cpSync(path.join(artifacts, w.name), w.path, { recursive: true });
        }
        outcomes[id] = 'success';
        return;
      }
      if ((o.skip || []).includes(name) || (o.skip || []).includes(id)) {
        outcomes[id] = 'success';
        steps.push({ job: jobName, name, ran: false, status: 0 });
        return;
      }
      const env = {
        ...process.env,
        ...(o.env || {}),
        PATH: `${bin}${path.delimiter}${(o.env && o.env.PATH) || process.env.PATH}`,
        GH_STATE: ghState,
        GH_READ_ONLY: o.event.sameRepo ? '0' : '1',
        GITHUB_STEP_SUMMARY: summary,
        GITHUB_REPOSITORY: 'acme/fleet-gitops',
        GITHUB_SERVER_URL: o.event.serverUrl || 'https://github.com',
        GITHUB_EVENT_NAME: o.event.name,
        RUNNER_TEMP: runnerTemp,
        CI: 'true',
      };
      for (const [k, v] of Object.entries(step.env || {})) {
        env[k] = interpolate(v, ev);
      }
      if (/\$\{\{/.test(step.run)) throw new Error(`workflow player: step "${name}" has an expression in its script; give it through env`);
      const script = path.join(work, `step-${jobName}-${i}.sh`);
      fs.writeFileSync(script, step.run);
      const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd: o.cwd, env, encoding: 'utf8', maxBuffer: 1 << 28 });
      outcomes[id] = r.status === 0 ? 'success' : 'failure';
      steps.push({ job: jobName, name, ran: true, status: r.status, out: `${r.stdout}${r.stderr}` });
    });
    results[jobName] = Object.values(outcomes).includes('failure') ? 'failure' : 'success';
  });
  // The checkout as the caller gave it.
  spawnSync('git', ['reset', '-q', '--hard', head], { cwd: o.cwd });
  spawnSync('git', ['clean', '-qfd'], { cwd: o.cwd });
  const gh = fs.existsSync(ghState) ? JSON.parse(fs.readFileSync(ghState, 'utf8')) : { comments: [], calls: [] };
  const result = { steps, jobs: results, summary: fs.readFileSync(summary, 'utf8'), gh };
  fs.rmSync(work, { recursive: true, force: true });
  return result;
}

module.exports = { playWorkflow };
