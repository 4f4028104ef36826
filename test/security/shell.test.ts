/**
 * Issue 16, defect 3: no fleet string reaches a shell unquoted. The local profile's steps.sh prints
 * commands a user runs; every value it interpolates is quoted, and URLs are checked as URLs. Each hostile
 * value is either refused at its line, or the printed commands, run with every tool stubbed, do nothing
 * but call the stubs.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { FleetValidationError } from '../../src/fleet/errors';
import { Fleet } from '../../src/fleet/fleet';
import { FleetProps } from '../../src/fleet/props';
import { chartUrlProblem } from '../../src/fleet/rules';
import { shellQuote, synthLocalTree } from '../../src/targets/local/tree';
import { cleanTmp, tmp } from '../gitops/helpers';
import { fleetProps } from '../support';

afterAll(cleanTmp);

/** Payloads that run a command when a shell reads them unquoted; `MARK` is replaced with a file to create. */
const PAYLOADS = [
  ';touch$IFS"MARK";#', '$(touch "MARK")', '`touch "MARK"`', '|touch "MARK"', '&&touch "MARK"', '\ntouch "MARK"\n',
  "'; touch \"MARK\"; '", '"; touch "MARK"; "', '${IFS}$(touch${IFS}"MARK")', '\nSTEPS\ntouch "MARK"\n', '\nEOF\ntouch "MARK"\n',
];

/** Where a hostile string goes in the description, by field. */
const FIELDS: Record<string, (p: FleetProps, v: string) => FleetProps> = {
  'cilium.chartUrl': (p, v) => ({ ...p, cilium: { ...p.cilium, chartUrl: `https://helm.cilium.io/${v}` } }),
  'cilium.chartUrl (host)': (p, v) => ({ ...p, cilium: { ...p.cilium, chartUrl: `https://h${v}.example.com` } }),
  'cilium.version': (p, v) => ({ ...p, cilium: { ...p.cilium, version: `1.18.1${v}` } }),
  name: (p, v) => ({ ...p, name: `orchid${v}` }),
  'clusters[0].name': (p, v) => ({ ...p, clusters: p.clusters!.map((c, i) => (i === 0 ? { ...c, name: `orchid-dev${v}` } : c)) }),
  'tiers[0]': (p, v) => ({ ...p, tiers: [`dev${v}`, 'prod'], clusters: p.clusters!.map((c) => (c.tier === 'dev' ? { ...c, tier: `dev${v}` } : c)) }),
  'cilium.tls.certManagerNamespace': (p, v) => ({ ...p, cilium: { ...p.cilium, tls: { certManagerNamespace: `cm${v}` } } }),
  'cilium.tls.issuerSecret': (p, v) => ({ ...p, cilium: { ...p.cilium, tls: { issuerSecret: `ca${v}` } } }),
  'cilium.tls.issuer': (p, v) => ({ ...p, cilium: { ...p.cilium, tls: { issuer: `ca${v}` } } }),
};

const STUBS = `
kind() { :; }; kubectl() { :; }; helm() { :; }; openssl() { :; }; sleep() { :; }
docker() { echo 172.18.0.2; }
`;

/** Runs steps.sh (which prints the commands), then runs what it printed with every tool stubbed, in `dir`. */
function runPrinted(script: string, dir: string): void {
  fs.writeFileSync(path.join(dir, 'steps.sh'), script);
  execFileSync('bash', ['-n', 'steps.sh'], { cwd: dir });
  const printed = execFileSync('bash', ['steps.sh'], { cwd: dir, encoding: 'utf8' });
  fs.writeFileSync(path.join(dir, 'printed.sh'), `${STUBS}\n${printed}`);
  execFileSync('bash', ['-n', 'printed.sh'], { cwd: dir });
  execFileSync('bash', ['printed.sh'], { cwd: dir, stdio: 'pipe', env: { PATH: process.env.PATH, TMPDIR: dir } });
}

describe('the printed steps quote every value (issue 16, defect 3)', () => {
  test('GIVEN the quoting THEN plain words stay as they are and anything else is single-quoted', () => {
    expect(shellQuote('kind-orchid-dev')).toBe('kind-orchid-dev');
    expect(shellQuote('https://helm.cilium.io')).toBe('https://helm.cilium.io');
    expect(shellQuote("a'b; c")).toBe("'a'\\''b; c'");
    expect(shellQuote('$(x)')).toBe("'$(x)'");
    expect(execFileSync('bash', ['-c', `printf %s ${shellQuote("it's $(x) `y` \"z\"\n")}`], { encoding: 'utf8' })).toBe("it's $(x) `y` \"z\"\n");
  });

  test.each([
    'https://helm.cilium.io/;touch$IFS/tmp/x;#', 'https://helm.cilium.io/$(touch /tmp/x)', 'https://helm.cilium.io/`id`',
    'https://helm.cilium.io/ x', "https://helm.cilium.io/'", 'https://helm.cilium.io/a|b', 'https://helm.cilium.io/?a=1&b=2',
    'https://helm.cilium.io/#frag', 'https://u:p@helm.cilium.io/', 'https://h;x.example.com/', 'ftp://helm.cilium.io/', 'https://helm.cilium.io/../x',
  ])('GIVEN cilium.chartUrl %j THEN it is refused as a URL', (url) => {
    expect(chartUrlProblem(url)).toBeDefined();
  });

  test.each(['https://helm.cilium.io', 'https://helm.cilium.io/', 'oci://quay.io/cilium/charts', 'https://charts.example.com:8443/cilium%20x', 'http://[::1]:8080/c'])(
    'GIVEN cilium.chartUrl %j THEN it is accepted', (url) => {
      expect(chartUrlProblem(url)).toBeUndefined();
    },
  );

  const cases = Object.keys(FIELDS).flatMap((field) => PAYLOADS.map((payload) => [field, payload] as const));
  test.each(cases)('GIVEN %s with payload %j THEN it is refused, or the printed commands run nothing but the tools', (field, payload) => {
    const dir = tmp();
    const mark = path.join(dir, 'pwned');
    const props = FIELDS[field](fleetProps(), payload.replace(/MARK/g, mark));
    let fleet: Fleet;
    try {
      fleet = new Fleet(props);
    } catch (e) {
      expect(e).toBeInstanceOf(FleetValidationError);
      return;
    }
    const files = synthLocalTree(fleet);
    const script = [...files].find(([p]) => p.endsWith('/steps.sh'))![1];
    runPrinted(script, dir);
    expect(fs.existsSync(mark)).toBe(false);
  });

  test('GIVEN a valid fleet THEN its printed steps parse, quote the words with spaces, and run against the stubbed tools', () => {
    const dir = tmp();
    const fleet = new Fleet(fleetProps({ cilium: { version: '1.18.1', chartUrl: 'https://charts.example.com:8443/cilium%20charts' } }));
    const script = [...synthLocalTree(fleet)].find(([p]) => p.endsWith('/steps.sh'))![1];
    expect(script).toContain('helm repo add cilium https://charts.example.com:8443/cilium%20charts && helm repo update cilium');
    expect(script).toContain("-subj '/CN=meshfleet local dev CA'");
    runPrinted(script, dir);
  });
});

describe('the chart location in the printed steps (red-team findings)', () => {
  test('GIVEN an oci:// chart location THEN the steps install from it directly, with no helm repo add', () => {
    const fleet = new Fleet(fleetProps({ cilium: { version: '1.18.1', chartUrl: 'oci://quay.io/cilium/charts/' } }));
    const script = [...synthLocalTree(fleet)].find(([p]) => p.endsWith('/steps.sh'))![1];
    expect(script).not.toContain('helm repo add cilium');
    expect(script).toContain('helm install cilium oci://quay.io/cilium/charts/cilium --version 1.18.1 --kube-context kind-orchid-dev');
    runPrinted(script, tmp());
  });

  test.each(['http://169.254.169.254/latest/meta-data', 'http://metadata.google.internal/computeMetadata/v1', 'http://[fe80::1]/x', 'http://[fd00:ec2::254]/x'])(
    'GIVEN cilium.chartUrl %s (a metadata or link-local address) THEN it is refused', (url) => {
      expect(chartUrlProblem(url)).toMatch(/link-local or cloud metadata address/);
    },
  );
});
