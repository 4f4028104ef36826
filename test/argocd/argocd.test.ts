// The Argo CD target: what it writes, what Argo CD would render per cluster from it, and what it refuses.
import * as fs from 'fs';
import * as path from 'path';
import { ArgoCdLayout, diffTree, Fleet, FleetProps, FleetValidationError, loadFleet, synthArgoCdTree } from '../../src';
import { checkMesh, checkMultigres, simulateArgoCd } from '../../src/testing';
import { parse } from 'yaml';
import { UpstreamSchemas } from '../../src/schemas/upstream-schemas';
import { cleanTmp, tmp } from '../gitops/helpers';
import { faults, fleetProps, runCli } from '../support';

afterAll(cleanTmp);

const ROOT = path.resolve(__dirname, '..', '..');
const SHARED = path.resolve(ROOT, '..', 'shared');
const EXAMPLE = path.join(ROOT, 'fleet.yaml');
const ARGO = { repoURL: 'https://git.example.com/platform/fleet.git' };

function argoFleet(overrides: Partial<FleetProps> = {}, clusters?: FleetProps['clusters']): Fleet {
  return new Fleet(fleetProps({ targets: ['argocd'], argocd: ARGO, ...overrides }, clusters as any));
}

/** Simulates Argo CD on the fleet's tree and runs every shared check; returns the problems. */
function problemsOf(fleet: Fleet, files = synthArgoCdTree(fleet)): string[] {
  const sim = simulateArgoCd(files, new ArgoCdLayout(fleet.name).rootFile);
  return [...sim.problems, ...checkMesh(fleet, sim.delivered), ...checkMultigres(fleet, sim.delivered, files)];
}

/** Every `tls.auto.method` (and any other `method` under a `tls`) in a values tree, by path. */
function tlsMethods(v: unknown, at = ''): Array<[string, unknown]> {
  if (v === null || typeof v !== 'object') return [];
  return Object.entries(v as Record<string, unknown>).flatMap(([k, x]) => (k === 'method' && at.includes('tls')
    ? [[`${at}.${k}`, x] as [string, unknown]] : tlsMethods(x, at ? `${at}.${k}` : k)));
}

describe('the example fleet through Argo CD', () => {
  const fleet = loadFleet(EXAMPLE);
  const layout = new ArgoCdLayout(fleet.name);
  const files = synthArgoCdTree(fleet);
  const sim = simulateArgoCd(files, layout.rootFile);

  test('GIVEN fleet.yaml WHEN synthesized THEN every written file matches the snapshot', () => {
    expect([...files.keys()].sort()).toMatchSnapshot('paths');
    for (const [p, text] of [...files].sort()) expect(text).toMatchSnapshot(p);
  });

  test('GIVEN the committed dist/ WHEN compared with a fresh synth THEN the Argo CD tree is equal', () => {
    expect(diffTree(path.join(ROOT, 'dist'), files, layout.ownedFilesList)).toEqual([]);
  });

  test('GIVEN the tree WHEN Argo CD is simulated THEN nothing is refused and the mesh and Multigres invariants hold for every cluster', () => {
    expect(sim.problems).toEqual([]);
    expect(checkMesh(fleet, sim.delivered)).toEqual([]);
    expect(checkMultigres(fleet, sim.delivered, files)).toEqual([]);
    expect([...sim.delivered.keys()].sort()).toEqual(fleet.clusters.map((c) => c.name).sort());
  });

  test('GIVEN orchid-dev-usw1 THEN it gets its own identity inline, the shared values and the dev peer list, in waves issuer < Cilium < Multigres', () => {
    const services = sim.delivered.get('orchid-dev-usw1')!;
    expect(services.map((s) => `${s.source} -> ${s.namespace}/${s.name}`)).toEqual([
      'argocd/orchid-dev-usw1-issuer -> cert-manager/orchid-dev-usw1-issuer',
      'argocd/orchid-dev-usw1-cilium -> kube-system/cilium',
      'argocd/orchid-dev-usw1-multigres -> multigres/orchid-dev-usw1-multigres',
      'argocd/orchid-dev-usw1-probe -> meshfleet-probe/orchid-dev-usw1-probe',
    ]);
    const v = services[1].values as any;
    expect(v.cluster).toEqual({ name: 'orchid-dev-usw1', id: 2 });
    expect(v.clustermesh.apiserver.tls.server.extraDnsNames).toEqual(['orchid-dev-usw1-cilium-apiserver.dev.pocs.plural.sh']);
    expect(v.clustermesh.config.clusters.map((p: any) => p.name)).toEqual(['orchid-dev', 'orchid-dev-usw1', 'orchid-dev-usw2']);
    const waves = ['issuer', 'cilium', 'multigres', 'probe'].map((k) => sim.applications.get(`orchid-dev-usw1-${k}`)!.metadata.annotations['argocd.argoproj.io/sync-wave']);
    expect(waves).toEqual(['0', '1', '2', '3']);
  });

  test('GIVEN every cluster\'s resolved values THEN every TLS method is certmanager and no CA, key or certificate is in the tree', () => {
    for (const [, services] of sim.delivered) {
      const v = services.find((s) => s.helm)!.values!;
      const methods = tlsMethods(v);
      expect(methods.map(([p]) => p).sort()).toEqual(['clustermesh.apiserver.tls.auto.method', 'hubble.tls.auto.method']);
      for (const [, m] of methods) expect(m).toBe('certmanager');
      expect((v as any).tls).toBeUndefined();
    }
    for (const [p, text] of files) {
      expect({ p, pem: /BEGIN [A-Z ]*(KEY|CERTIFICATE)|LS0tLS1CRUdJ/.test(text) }).toEqual({ p, pem: false });
    }
  });

  (fs.existsSync(SHARED) ? test : test.skip)('GIVEN each cluster THEN its resolved Cilium values pass the chart schema and every object validates against its CRD', () => {
    const schemas = UpstreamSchemas.load(SHARED);
    for (const [p, text] of files) {
      // Values files are checked once merged, Jsonnet once Argo CD's evaluation is simulated (below).
      if (/\.ya?ml$/.test(p) && !p.includes('/cilium/')) expect(schemas.validateYaml(text, p)).toEqual([]);
    }
    for (const [cluster, services] of sim.delivered) {
      for (const s of services) {
        if (s.helm) expect({ cluster, problems: schemas.validateCiliumValues(s.helm.version, s.values) }).toEqual({ cluster, problems: [] });
        expect(schemas.validateManifests(s.manifests)).toEqual([]);
      }
    }
  });

  test('GIVEN the AppProject THEN it allows exactly the repositories and destinations used', () => {
    const project = parse(files.get(layout.projectFile)!);
    expect(project.spec.sourceRepos).toEqual(['https://github.com/orchid/infra.git', 'https://helm.cilium.io']);
    const used = new Set([...sim.applications.values()].map((a) => `${a.spec.destination.name}/${a.spec.destination.namespace}`));
    const listed = new Set(project.spec.destinations.map((d: any) => `${d.name}/${d.namespace}`));
    // Every destination used is listed; the only extra one per cluster is cilium-secrets, where the chart writes Roles.
    for (const u of used) expect(listed.has(u)).toBe(true);
    expect([...listed].filter((l) => !used.has(l as string)).every((l) => (l as string).endsWith('/cilium-secrets'))).toBe(true);
  });
});

describe('other fleet shapes keep the invariants through Argo CD', () => {
  const multiMesh = [
    { name: 'a', id: 1, tier: 'dev', region: 'us-east-2', dnsZone: 'dev.example.com' },
    { name: 'b', id: 2, tier: 'dev', region: 'us-west-1', dnsZone: 'dev.example.com' },
    { name: 'c', id: 3, tier: 'staging', region: 'us-west-2', dnsZone: 'stg.example.com' },
    { name: 'p1', id: 1, tier: 'prod', region: 'us-east-1', dnsZone: 'prod.example.com' },
    { name: 'p2', id: 2, tier: 'prod', region: 'eu-west-1', dnsZone: 'prod.example.com' },
  ];
  const dev3 = multiMesh.slice(0, 2).concat([{ name: 'c', id: 3, tier: 'dev', region: 'us-west-2', dnsZone: 'dev.example.com' }]);
  test.each([
    ['several meshes, a staging tier joining dev\'s mesh', argoFleet({ tiers: ['dev', { name: 'staging', mesh: 'dev' }, 'prod'] }, multiMesh)],
    ['chart 1.19 with MCS-API', argoFleet({ cilium: { version: '1.19.6' } })],
    ['NodePort apiservers', argoFleet({ cilium: { version: '1.18.1', apiserver: { serviceType: 'NodePort', nodePort: 31379 } } })],
    ['Multigres shared-etcd', argoFleet({ multigres: { api: 'components', networkPolicies: true, deployments: [{ name: 'orders', mesh: 'dev', topology: 'shared-etcd', etcdCluster: 'a' }] } }, dev3)],
    ['Multigres regional', argoFleet({ multigres: { api: 'components', networkPolicies: true, deployments: [{ name: 'geo', mesh: 'dev', topology: 'regional', gatewayCluster: 'a' }] } }, dev3)],
    ['Multigres api: cluster', argoFleet({ multigres: { api: 'cluster', deployments: [{ name: 'orders', mesh: 'dev', topology: 'shared-etcd', etcdCluster: 'a' }] } }, dev3)],
    ['custom Argo CD names', argoFleet({ argocd: { ...ARGO, namespace: 'gitops', project: 'mesh', targetRevision: 'release-1' } })],
  ])('GIVEN %s WHEN simulated THEN nothing is refused and every invariant holds', (_name, fleet) => {
    expect(problemsOf(fleet)).toEqual([]);
  });

  test('GIVEN a staging tier joining dev\'s mesh THEN staging and dev clusters read the same peer list, prod its own', () => {
    const fleet = argoFleet({ tiers: ['dev', { name: 'staging', mesh: 'dev' }, 'prod'] }, multiMesh);
    const sim = simulateArgoCd(synthArgoCdTree(fleet), 'argocd/orchid/root.yaml');
    const files = (c: string) => sim.applications.get(`${c}-cilium`)!.spec.sources[0].helm.valueFiles;
    expect(files('c')).toEqual(files('a'));
    expect(files('p1')[1]).toBe('$values/argocd/orchid/cilium/mesh-prod.yaml');
  });

  test('GIVEN a fleet with one cluster more WHEN synthesized THEN 4 files change: its Applications, its mesh\'s values, the project and the picture', () => {
    const clusters = Array.from({ length: 40 }, (_, i) => ({ name: `c${i}`, id: i + 1, tier: i % 2 ? 'dev' : 'prod', region: 'us-east-2', dnsZone: 'example.com' }));
    const before = synthArgoCdTree(argoFleet({}, clusters));
    const after = synthArgoCdTree(argoFleet({}, [...clusters, { name: 'c40', id: 41, tier: 'dev', region: 'us-east-2', dnsZone: 'example.com' }]));
    const changed = [...after].filter(([p, t]) => before.get(p) !== t).map(([p]) => p).sort();
    expect(changed).toEqual(['argocd/orchid/MESH.md', 'argocd/orchid/apps/clusters/c40.yaml', 'argocd/orchid/apps/project.yaml', 'argocd/orchid/cilium/mesh-dev.yaml']);
    expect([...before.keys()].filter((p) => !after.has(p))).toEqual([]);
  });
});

describe('the Argo CD simulator catches what Argo CD would refuse', () => {
  const fleet = argoFleet();
  const files = synthArgoCdTree(fleet);
  const edit = (p: string, from: string | RegExp, to: string) => new Map([...files, [p, files.get(p)!.replace(from, to)]]);

  test('GIVEN a destination the project does not list WHEN simulated THEN it is refused', () => {
    const broken = edit('argocd/orchid/apps/project.yaml', /    - name: orchid-dev\n      namespace: kube-system\n/, '');
    expect(problemsOf(fleet, broken)).toContain('Application "orchid-dev-cilium": project "orchid" does not allow destination orchid-dev/kube-system');
  });

  test('GIVEN a kind the project does not list WHEN simulated THEN it is refused', () => {
    const broken = edit('argocd/orchid/apps/project.yaml', /    - group: cert-manager.io\n      kind: ClusterIssuer\n/, '');
    expect(problemsOf(fleet, broken)).toContain('Application "orchid-dev-issuer": project "orchid" does not allow cluster-scoped cert-manager.io/ClusterIssuer');
  });

  test('GIVEN Cilium in the issuer\'s wave WHEN simulated THEN the order is refused', () => {
    const broken = edit('argocd/orchid/apps/clusters/orchid-dev.yaml', 'argocd.argoproj.io/sync-wave: "1"', 'argocd.argoproj.io/sync-wave: "0"');
    expect(problemsOf(fleet, broken)).toContain('cluster "orchid-dev": the CA issuer\'s sync wave is not before Cilium\'s');
  });

  test('GIVEN a cluster whose Cilium Application reads another mesh\'s peer list WHEN simulated THEN the missing peer is named', () => {
    const broken = edit('argocd/orchid/apps/clusters/orchid-dev.yaml', '$values/argocd/orchid/cilium/mesh-dev.yaml', '$values/argocd/orchid/cilium/mesh-prod.yaml');
    expect(problemsOf(fleet, broken)).toContain('cluster "orchid-dev": peer list misses "orchid-dev-usw1" of mesh "dev"');
  });

  test('GIVEN the identity dropped from valuesObject WHEN simulated THEN the missing cluster id is named', () => {
    const broken = edit('argocd/orchid/apps/clusters/orchid-dev.yaml', '            id: 1\n', '');
    expect(problemsOf(fleet, broken)).toContain('cluster "orchid-dev": cluster.id renders as undefined, fleet says 1');
  });

  test('GIVEN a value file that is not a $values ref WHEN simulated THEN it is refused', () => {
    const broken = edit('argocd/orchid/apps/clusters/orchid-dev.yaml', '$values/argocd/orchid/cilium/shared.yaml', 'values-shared.yaml');
    expect(problemsOf(fleet, broken)[0]).toBe('Application "orchid-dev-cilium": value file values-shared.yaml is not a $ref/path of this repository (a chart-relative file is not meshfleet\'s)');
  });
});

describe('Argo CD settings are refused with the field at fault', () => {
  const withArgo = (yaml: string) => fs.readFileSync(EXAMPLE, 'utf8').replace(/argocd:\n  repoURL: .*\n/, yaml);
  test.each([
    ['argocd:\n  repoURL: https://user:token@github.com/o/r.git\n', 'argocd.repoURL "https://user:token@github.com/o/r.git" must not carry credentials; register the repository (and its credentials) in Argo CD instead'],
    ['argocd:\n  repoURL: ftp://github.com/o/r\n', 'argocd.repoURL "ftp://github.com/o/r" must be a Git URL such as "https://github.com/org/repo.git" or "git@github.com:org/repo.git"'],
    ['argocd:\n  repoURL: https://github.com/o/../r.git\n', 'argocd.repoURL "https://github.com/o/../r.git" must not contain ".."'],
    ['argocd:\n  repoURL: https://github.com/o/r.git\n  targetRevision: "main branch"\n', 'argocd.targetRevision "main branch" is not a valid git ref (no spaces, "..", "~^:?*[\\", "@{", and no leading "-", "/" or ".")'],
    ['argocd:\n  repoURL: https://github.com/o/r.git\n  namespace: Argo\n', 'argocd.namespace "Argo" must consist of lowercase letters, digits and "-", and start and end with a letter or digit'],
    ['argocd:\n  repoURL: https://github.com/o/r.git\n  project: My_Project\n', 'argocd.project "My_Project"'],
    ['argocd:\n  repoURL: https://github.com/o/r.git\n  project: default\n', 'argocd.project "default" is Argo CD\'s built-in project, which the fleet\'s root Application would take over and narrow for every other Application'],
    ['argocd: {}\n', 'argocd.repoURL is required when targets lists argocd (the Git URL Argo CD clones this repository from)'],
  ])('GIVEN %j WHEN loaded THEN it is refused', (yaml, message) => {
    const found = faults(withArgo(yaml));
    expect(found.length).toBeGreaterThan(0);
    expect(found.join('\n')).toContain(`fleet: ${message}`);
  });

  test('GIVEN git@ and ssh:// URLs WHEN loaded THEN they are accepted', () => {
    for (const url of ['git@github.com:orchid/infra.git', 'ssh://git@github.com/orchid/infra.git', 'http://git.internal:3000/orchid/infra.git']) {
      expect(faults(withArgo(`argocd:\n  repoURL: ${url}\n`))).toEqual([]);
    }
  });

  test('GIVEN an unknown, a repeated or no target WHEN loaded THEN each is refused at its line', () => {
    const text = fs.readFileSync(EXAMPLE, 'utf8');
    expect(faults(text.replace('targets: [plural, argocd]', 'targets: [plural, argo]'))).toEqual([
      expect.stringMatching(/^fleet\.yaml:\d+:\d+: fleet: targets\[1\] "argo" is not a delivery target; use plural, argocd, flux or local \(did you mean "argocd"\?\)$/),
    ]);
    expect(faults(text.replace('targets: [plural, argocd]', 'targets: [plural, plural]'))[0]).toMatch(/fleet: targets lists "plural" twice$/);
    expect(faults(text.replace('targets: [plural, argocd]', 'targets: []'))[0]).toMatch(/fleet: targets must name at least one of plural, argocd/);
  });

  test('GIVEN a fleet named "default" without a project WHEN built THEN the project must be named', () => {
    expect(() => argoFleet({ name: 'default' })).toThrow(/argocd\.project must be set for a fleet named "default"/);
    expect(() => argoFleet({ name: 'default', argocd: { ...ARGO, project: 'mesh' } })).not.toThrow();
  });

  test('GIVEN the Argo CD target without argocd settings WHEN built in TypeScript THEN the fleet names the field', () => {
    expect(() => new Fleet(fleetProps({ targets: ['argocd'] }))).toThrow(FleetValidationError);
    expect(() => new Fleet(fleetProps({ targets: ['argocd'] }))).toThrow(/argocd\.repoURL is required/);
  });
});

describe('the CLI with targets', () => {
  test('GIVEN --target argocd WHEN run THEN only the Argo CD tree is written, and --check compares only it', () => {
    const dir = tmp('meshfleet-argocd-');
    const r = runCli(['--fleet', EXAMPLE, '--out', dir, '--target', 'argocd']);
    expect(r.code).toBe(0);
    expect(fs.readdirSync(dir).sort()).toEqual(['.meshfleet', 'argocd']);
    expect(fs.readdirSync(path.join(dir, '.meshfleet'))).toEqual(['orchid.argocd.files']);
    expect(runCli(['--fleet', EXAMPLE, '--out', dir, '--target', 'argocd', '--check']).code).toBe(0);
    const whole = runCli(['--fleet', EXAMPLE, '--out', dir, '--check']);
    expect(whole.code).toBe(1);
    expect(whole.err).toContain('bootstrap/orchid/');
  });

  test('GIVEN an unknown target WHEN run THEN it exits 2 and writes nothing', () => {
    const dir = tmp('meshfleet-argocd-');
    const r = runCli(['--fleet', EXAMPLE, '--out', dir, '--target', 'fluxcd']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('meshfleet: unknown target "fluxcd"; use plural, argocd, flux or local; nothing was written');
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('GIVEN --target argocd on a fleet without argocd settings WHEN run THEN it names the field and writes nothing', () => {
    const dir = tmp('meshfleet-argocd-');
    const fleetFile = path.join(dir, 'fleet.yaml');
    fs.writeFileSync(fleetFile, fs.readFileSync(EXAMPLE, 'utf8').replace(/targets: .*\nargocd:\n  repoURL: .*\n/, ''));
    const out = path.join(dir, 'out');
    const r = runCli(['--fleet', fleetFile, '--out', out, '--target', 'argocd']);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`meshfleet: ${fleetFile}: argocd.repoURL is required for the argocd target (the Git URL Argo CD clones this repository from)\nnothing was written.`);
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe('a Cilium namespace of its own (review of issue 19)', () => {
  test('GIVEN cilium.namespace "cilium" THEN each Cilium Application creates it; with kube-system it does not', () => {
    const appsOf = (fleet: Fleet) => parse(synthArgoCdTree(fleet).get(new ArgoCdLayout(fleet.name).clusterApps('orchid-dev'))!.split('\n---\n').find((d) => d.includes('name: orchid-dev-cilium'))!);
    const own = appsOf(argoFleet({ cilium: { version: '1.18.1', namespace: 'cilium' } }));
    expect(own.spec.syncPolicy.syncOptions).toEqual(['CreateNamespace=true']);
    expect(own.spec.destination.namespace).toBe('cilium');
    expect(appsOf(argoFleet()).spec.syncPolicy.syncOptions).toBeUndefined();
  });
});
