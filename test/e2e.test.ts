import * as fs from 'fs';
import * as path from 'path';
import { diffTree, Fleet, loadFleet, PluralLayout, synthPluralTree, writeTree } from '../src';
import { checkMeshInvariants, simulateFleet } from '../src/testing';
import { cleanTmp, tmp } from './gitops/helpers';
import { fleetProps, runCli } from './support';

afterAll(cleanTmp);

const ROOT = path.resolve(__dirname, '..');
const EXAMPLE = path.join(ROOT, 'fleet.yaml');

function readTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(path.relative(dir, p), fs.readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

describe('the example fleet, end to end', () => {
  const fleet = loadFleet(EXAMPLE);
  const files = synthPluralTree(fleet);

  test('GIVEN fleet.yaml WHEN synthesized and written THEN the written files match the snapshot (layout and key order)', () => {
    const dir = tmp('meshfleet-e2e-');
    writeTree(dir, files, { ownedList: new PluralLayout(fleet.name).ownedFilesList });
    for (const [rel, text] of readTree(dir)) {
      expect(text).toMatchSnapshot(rel);
    }
  });

  test('GIVEN the committed dist/ WHEN compared with a fresh synth THEN they are equal', () => {
    expect(diffTree(path.join(ROOT, 'dist'), files, new PluralLayout(fleet.name).ownedFilesList)).toEqual([]);
  });

  test('GIVEN the tree WHEN synthesized twice THEN it is byte-for-byte identical', () => {
    expect([...synthPluralTree(loadFleet(EXAMPLE))]).toEqual([...files]);
  });

  test('GIVEN the tree WHEN every cluster renders its Liquid as the Plural agent would THEN the mesh invariants hold', () => {
    expect(checkMeshInvariants(fleet, files)).toEqual([]);
  });

  test('GIVEN the rendered values of orchid-dev-usw1 THEN it has its own identity and dials both other dev clusters', () => {
    const services = simulateFleet(fleet, files).get('orchid-dev-usw1')!;
    expect(services.map((s) => `${s.source} -> ${s.namespace}/${s.name}`)).toEqual([
      'infra/orchid-cilium-issuer-dev -> cert-manager/cilium-issuer',
      'infra/orchid-cilium-dev -> kube-system/cilium',
      'infra/orchid-probe-dev -> meshfleet-probe/meshfleet-probe',
      'infra/orchid-multigres-orchid-dev-usw1 -> multigres/orchid-multigres-orchid-dev-usw1',
    ]);
    const v = services[1].values as any;
    expect(v.cluster).toEqual({ name: 'orchid-dev-usw1', id: 2 });
    expect(v.clustermesh.apiserver.tls.server.extraDnsNames).toEqual(['orchid-dev-usw1-cilium-apiserver.dev.pocs.plural.sh']);
    expect(v.clustermesh.config.clusters.map((c: any) => `${c.name}@${c.address}:${c.port}`)).toEqual([
      'orchid-dev@orchid-dev-cilium-apiserver.dev.pocs.plural.sh:2379',
      'orchid-dev-usw1@orchid-dev-usw1-cilium-apiserver.dev.pocs.plural.sh:2379',
      'orchid-dev-usw2@orchid-dev-usw2-cilium-apiserver.dev.pocs.plural.sh:2379',
    ]);
    expect(v.clustermesh.apiserver.tls.auto).toEqual({
      certManagerIssuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: 'cilium-dev' }, enabled: true, method: 'certmanager',
    });
    expect(v.tls).toBeUndefined(); // no CA in Cilium's values: only the issuer's Secret holds it
  });

  test('GIVEN both meshes THEN each has its own CA: issuer, issuer Secret and configuration Secret', () => {
    const sim = simulateFleet(fleet, files);
    const caOf = (cluster: string) => {
      const issuer = sim.get(cluster)!.find((s) => s.name === 'cilium-issuer')!;
      const secret = issuer.manifests.find((m: any) => m.kind === 'Secret') as any;
      return `${issuer.source} ${(issuer.manifests.find((m: any) => m.kind === 'ClusterIssuer') as any).metadata.name} ${secret.metadata.name} ${Buffer.from(secret.data['tls.crt'], 'base64')}`;
    };
    expect(caOf('orchid-dev')).toBe('infra/orchid-cilium-issuer-dev cilium-dev cilium-ca-dev meshfleet-test-ca-cert infra/cilium-ca-cert-dev');
    expect(caOf('orchid-dev-usw2')).toBe(caOf('orchid-dev'));
    expect(caOf('orchid-prod-use1')).toBe('infra/orchid-cilium-issuer-prod cilium-prod cilium-ca-prod meshfleet-test-ca-cert infra/cilium-ca-cert-prod');
  });

  test('GIVEN a cluster the tree does not know WHEN the values of its tier render THEN its id is a sentence the chart refuses, never empty', () => {
    const { simulatePlural } = require('../src/targets/plural/simulator');
    const { standInConfiguration } = require('../src/targets/plural/context');
    const services = simulatePlural(files, { handle: 'stranger', name: 'stranger', tags: { fleet: 'orchid', tier: 'dev' }, metadata: {}, distro: 'EKS' }, standInConfiguration);
    const v = services.find((s: any) => s.helm).values;
    expect(v.cluster).toEqual({ name: 'stranger', id: 'not a member of mesh dev' });
  });

  test('GIVEN the tree THEN no private key, token or certificate body is in it', () => {
    for (const [rel, text] of files) {
      expect([rel, /-----BEGIN|LS0tLS1CRUdJTi|PRIVATE KEY/.test(text)]).toEqual([rel, false]);
    }
    expect(files.get('services/orchid/cilium-issuer/dev/ca-secret.yaml.liquid')).toContain(`tls.key: '{{ configuration["ca.key.b64"] }}'`);
    expect([...files].filter(([, t]) => t.includes('ca.key.b64')).map(([p]) => p)).toEqual([
      'services/orchid/cilium-issuer/dev/ca-secret.yaml.liquid', 'services/orchid/cilium-issuer/prod/ca-secret.yaml.liquid']);
  });

  test('GIVEN the tree THEN cluster-scoped kinds carry no namespace and namespaced Plural kinds do', () => {
    const { bootstrapObjects } = require('../src/targets/plural/simulator');
    for (const obj of bootstrapObjects(files)) {
      const clusterScoped = ['PrAutomation', 'Catalog', 'GitRepository', 'ScmConnection', 'ClusterIssuer'].includes(obj.kind);
      expect([obj.kind, obj.metadata.name, obj.metadata.namespace !== undefined]).toEqual([obj.kind, obj.metadata.name, !clusterScoped]);
    }
  });
});

describe('mesh invariants catch broken trees', () => {
  const fleet = loadFleet(EXAMPLE);
  const files = synthPluralTree(fleet);

  test('GIVEN a peer list missing a member WHEN checked THEN every cluster that misses it is named', () => {
    const broken = new Map(files);
    broken.set('helm/orchid/cilium/mesh-dev.yaml.liquid', files.get('helm/orchid/cilium/mesh-dev.yaml.liquid')!
      .replace(/ {6}- name: orchid-dev-usw2\n.*\n.*\n/, ''));
    expect(checkMeshInvariants(fleet, broken)).toEqual([
      'cluster "orchid-dev": peer list misses "orchid-dev-usw2" of mesh "dev"',
      'cluster "orchid-dev-usw1": peer list misses "orchid-dev-usw2" of mesh "dev"',
    ]);
  });

  test('GIVEN SANs that miss the dialled name WHEN checked THEN the TLS failure is predicted', () => {
    const broken = new Map(files);
    broken.set('helm/orchid/cilium/mesh-dev.yaml.liquid', files.get('helm/orchid/cilium/mesh-dev.yaml.liquid')!
      .replace(/(\{% when "orchid-dev-usw1" %\}.*meshfleet_apiserver_address = )"orchid-dev-usw1-cilium-apiserver\./, '$1"orchid-dev-usw1.')
      .replace("- '{{ meshfleet_apiserver_address }}'", "- '{{ meshfleet_apiserver_address }}'"));
    const problems = checkMeshInvariants(fleet, broken);
    expect(problems).toContain('cluster "orchid-dev": dials "orchid-dev-usw1" at orchid-dev-usw1-cilium-apiserver.dev.pocs.plural.sh, which is not in its certificate SANs (orchid-dev-usw1.dev.pocs.plural.sh)');
    expect(problems).toContain('cluster "orchid-dev-usw2": dials "orchid-dev-usw1" at orchid-dev-usw1-cilium-apiserver.dev.pocs.plural.sh, but external-dns publishes it as "orchid-dev-usw1.dev.pocs.plural.sh"');
    expect(problems).toHaveLength(4); // both peers of orchid-dev-usw1, SANs and published name
  });

  test('GIVEN the helm TLS method WHEN checked THEN it is refused (a new random CA per render)', () => {
    const broken = new Map(files);
    broken.set('helm/orchid/cilium/base.yaml', files.get('helm/orchid/cilium/base.yaml')!.replace('method: certmanager', 'method: helm'));
    expect(checkMeshInvariants(fleet, broken)[0]).toBe('cluster "orchid-dev": clustermesh-apiserver TLS must come from cert-manager (tls.auto.method "helm")');
  });

  test('GIVEN Hubble left on its chart default WHEN checked THEN it is refused (new Hubble keys on every render)', () => {
    const broken = new Map(files);
    const base = files.get('helm/orchid/cilium/base.yaml')!;
    broken.set('helm/orchid/cilium/base.yaml', base.replace(/^hubble:\n(  .*\n)*/m, ''));
    const mesh = files.get('helm/orchid/cilium/mesh-dev.yaml.liquid')!;
    broken.set('helm/orchid/cilium/mesh-dev.yaml.liquid', mesh.replace(/^hubble:\n(  .*\n)*/m, ''));
    expect(checkMeshInvariants(fleet, broken)).toContain('cluster "orchid-dev": Hubble TLS must come from cert-manager (hubble.tls.auto.method undefined; the chart default makes new keys on every render)');
  });
});

describe('other fleet shapes keep the invariants', () => {
  test.each([
    ['chart 1.19 with MCS-API', { cilium: { version: '1.19.6' } }],
    ['a NodePort apiserver', { cilium: { version: '1.18.1', apiserver: { serviceType: 'NodePort' as const, nodePort: 31379 } } }],
    ['ENI IPAM with 511 clusters', { cilium: { version: '1.18.1', cni: 'eni' as const, maxConnectedClusters: 511 as const } }],
    ['chart 1.20', { cilium: { version: '1.20.0' } }],
    ['chart 1.20 with a NodePort apiserver', { cilium: { version: '1.20.0', apiserver: { serviceType: 'NodePort' as const } } }],
  ])('GIVEN %s WHEN synthesized THEN the invariants hold', (_name, change) => {
    const fleet = new Fleet(fleetProps(change));
    expect(checkMeshInvariants(fleet, synthPluralTree(fleet))).toEqual([]);
  });

  test('GIVEN chart 1.19 WHEN synthesized THEN MCS-API uses mcsapi.enabled and policyDefaultLocalCluster is explicit', () => {
    const fleet = new Fleet(fleetProps({ cilium: { version: '1.19.6' } }));
    const base = synthPluralTree(fleet).get('helm/orchid/cilium/base.yaml')!;
    expect(base).toContain('  mcsapi:\n    corednsAutoConfigure:\n      enabled: true\n    enabled: true\n');
    expect(base).not.toContain('enableMCSAPISupport');
    expect(base).toContain('policyDefaultLocalCluster: true');
  });

  test('GIVEN chart 1.20 WHEN synthesized THEN the SANs go to tls.auto.server (tls.server is deprecated there) and MCS-API configures CoreDNS', () => {
    const files = synthPluralTree(new Fleet(fleetProps({ cilium: { version: '1.20.0' } })));
    const mesh = files.get('helm/orchid/cilium/mesh-dev.yaml.liquid')!;
    expect(mesh).toContain("      auto:\n        server:\n          extraDnsNames:\n            - '{{ meshfleet_apiserver_address }}'");
    expect(mesh).not.toMatch(/^ {6}server:/m);
    expect(files.get('helm/orchid/cilium/base.yaml')!).toContain('corednsAutoConfigure:\n      enabled: true');
  });

  test('GIVEN chart 1.18 WHEN synthesized THEN MCS-API is off by default (the chart cannot configure CoreDNS), and uses enableMCSAPISupport when asked', () => {
    const base = synthPluralTree(new Fleet(fleetProps())).get('helm/orchid/cilium/base.yaml')!;
    expect(base).toContain('enableMCSAPISupport: false');
    expect(base).not.toContain('mcsapi');
    const on = synthPluralTree(new Fleet(fleetProps({ cilium: { version: '1.18.1', mcsApi: true } }))).get('helm/orchid/cilium/base.yaml')!;
    expect(on).toContain('enableMCSAPISupport: true');
  });

  test('GIVEN aws-cni with a LoadBalancer WHEN synthesized THEN endpoint routes are on and the AWS Load Balancer Controller claims the Service; NodePort gets no NLB annotations', () => {
    const base = synthPluralTree(new Fleet(fleetProps())).get('helm/orchid/cilium/platform-dev.eks.yaml')!;
    expect(base).toContain('endpointRoutes:\n  enabled: true');
    expect(base).toContain('loadBalancerClass: service.k8s.aws/nlb');
    const np = synthPluralTree(new Fleet(fleetProps({ cilium: { version: '1.18.1', apiserver: { serviceType: 'NodePort' } } }))).get('helm/orchid/cilium/platform-dev.eks.yaml')!;
    expect(np).not.toContain('aws-load-balancer');
    expect(np).not.toContain('loadBalancerClass');
    const pool = synthPluralTree(new Fleet(fleetProps({ cilium: { version: '1.18.1', cni: 'cluster-pool' } }, [
      { name: 'a', id: 1, tier: 'dev', region: 'us-east-1', dnsZone: 'dev.example.com', podCidr: '10.1.0.0/16' }]))).get('helm/orchid/cilium/platform-dev.eks.yaml')!;
    expect(pool).not.toContain('endpointRoutes');
    expect(pool).not.toContain('aws-load-balancer');
  });

  test('GIVEN a cluster with stack: false WHEN synthesized THEN it gets a Cluster object and peer entry but no stack', () => {
    const fleet = new Fleet(fleetProps({}, [
      { name: 'a', id: 1, tier: 'dev', region: 'us-east-1', dnsZone: 'd.example.com' },
      { name: 'b', id: 2, tier: 'dev', region: 'us-east-1', dnsZone: 'd.example.com', stack: false },
    ]));
    const files = synthPluralTree(fleet);
    expect(files.get('bootstrap/orchid/clusters/b.yaml')).not.toContain('InfrastructureStack');
    expect(files.get('bootstrap/orchid/clusters/a.yaml')).toContain('InfrastructureStack');
    const mesh = files.get('helm/orchid/cilium/mesh-dev.yaml.liquid')!;
    expect(mesh).toContain('- name: b\n');
    expect(mesh).toContain('{% when "b" %}{% assign meshfleet_cluster_id = 2 %}{% assign meshfleet_apiserver_address = "b-cilium-apiserver.d.example.com" %}');
    const { simulatePlural } = require('../src/targets/plural/simulator');
    const { standInConfiguration } = require('../src/targets/plural/context');
    // No stack ran, so no metadata: the identity comes from the tree all the same.
    const v = simulatePlural(files, { handle: 'b', name: 'b', tags: { fleet: 'orchid', tier: 'dev' }, metadata: {}, distro: 'EKS' }, standInConfiguration).find((x: any) => x.helm).values;
    expect(v.cluster).toEqual({ name: 'b', id: 2 });
    expect(v.clustermesh.apiserver.tls.server.extraDnsNames).toEqual(['b-cilium-apiserver.d.example.com']);
  });
});

describe('the CLI', () => {
  test('GIVEN --fleet and --out WHEN run twice THEN it writes, then finds everything unchanged', () => {
    const dir = tmp('meshfleet-cli-');
    const first = runCli(['--fleet', EXAMPLE, '--out', dir]);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/^meshfleet: fleet "orchid" \(5 clusters, 2 meshes\) -> .* \[plural\]: 36 written, 0 unchanged, 0 removed in \d+ ms\n.* \[argocd\]: 20 written, 0 unchanged, 0 removed in \d+ ms$/);
    const again = runCli(['--fleet', EXAMPLE, '--out', dir]).out;
    expect(again).toContain('[plural]: 0 written, 36 unchanged, 0 removed');
    expect(again).toContain('[argocd]: 0 written, 20 unchanged, 0 removed');
    expect(runCli(['--fleet', EXAMPLE, '--out', dir, '--check']).code).toBe(0);
  });

  test('GIVEN an invalid fleet WHEN run THEN it exits 1, names the faults, and leaves the output folder as it was', () => {
    const dir = tmp('meshfleet-cli-');
    runCli(['--fleet', EXAMPLE, '--out', dir]);
    fs.mkdirSync(path.join(dir, 'terraform'));
    fs.writeFileSync(path.join(dir, 'terraform/main.tf'), 'module "x" {}\n');
    const before = readTree(dir);
    const bad = path.join(tmp('meshfleet-cli-'), 'bad.yaml');
    fs.writeFileSync(bad, fs.readFileSync(EXAMPLE, 'utf8').replace('id: 3', 'id: 2').replace('name: orchid-prod-use1', 'name: default'));
    const r = runCli(['--fleet', bad, '--out', dir]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`meshfleet: ${bad}: invalid fleet (2 faults):\n`
      + `  ${bad}:31:9: cluster "orchid-dev-usw2": id 2 is already used by cluster "orchid-dev-usw1" in mesh "dev"\n`
      + `  ${bad}:36:11: cluster "default": name must not be "default" (Cilium rejects it for a cluster with a non-zero id)\n`
      + 'nothing was written.');
    expect(readTree(dir)).toEqual(before);
  });

  test('GIVEN a bad argument WHEN run THEN it exits 2 with the usage', () => {
    const r = runCli(['--flet', 'x']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('meshfleet: unknown argument "--flet"\nusage: meshfleet');
  });

  test('GIVEN a drifted output WHEN run with --check THEN it exits 1 and lists the drift', () => {
    const dir = tmp('meshfleet-cli-');
    runCli(['--fleet', EXAMPLE, '--out', dir]);
    fs.appendFileSync(path.join(dir, 'helm/orchid/cilium/mesh-dev.yaml.liquid'), '# edited\n');
    const r = runCli(['--fleet', EXAMPLE, '--out', dir, '--check']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('differs, edited by hand (synth will refuse to overwrite it: move the change into the fleet description, or delete the file): helm/orchid/cilium/mesh-dev.yaml.liquid');
    expect(r.err).toContain(`a generated file was edited by hand, and synth will not overwrite it: put the change into ${EXAMPLE} (or delete the file), then run \`npm run synth -- --fleet ${EXAMPLE} --out ${dir}\` and commit the result`);
    expect(r.err).not.toContain('the tree is stale');
  });

  test('GIVEN a stale output (the fleet changed, the tree not) WHEN checked THEN the hint says to synth and commit', () => {
    const dir = tmp('meshfleet-cli-');
    const fleet = path.join(dir, 'fleet.yaml');
    fs.copyFileSync(EXAMPLE, fleet);
    runCli(['--fleet', fleet, '--out', path.join(dir, 'out')]);
    fs.writeFileSync(fleet, fs.readFileSync(fleet, 'utf8').replace('    region: us-west-1\n', '    region: us-west-1\n    tags: {team: a}\n'));
    const r = runCli(['check', '--fleet', fleet, '--out', path.join(dir, 'out')]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`the tree is stale: run \``);
    expect(r.err).not.toContain('edited by hand');
  });
});
