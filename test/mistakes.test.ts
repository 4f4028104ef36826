// What used to be accepted silently is now an error naming the field, or a printed warning.
import * as fs from 'fs';
import * as path from 'path';
import { Fleet, synthPluralTree } from '../src';
import { run } from '../src/cli/main';
import { parseCidr } from '../src/k8s/cidr';
import { POD_CIDR_REGEX } from '../src/targets/plural/form-regex';
import { cleanTmp, tmp } from './gitops/helpers';
import { faults, fleetProps } from './support';

afterAll(cleanTmp);

const EXAMPLE = fs.readFileSync(path.resolve(__dirname, '..', 'fleet.yaml'), 'utf8');

describe('mistakes that were accepted silently', () => {
  test('GIVEN a tier whose mesh no other tier names (a typo) WHEN loaded THEN it is refused, listing the meshes there are', () => {
    const text = EXAMPLE.replace('tiers:\n  - dev\n  - prod\n', 'tiers:\n  - dev\n  - prod\n  - { name: staging, mesh: deev }\n');
    expect(faults(text)).toEqual([expect.stringMatching(/: tier "staging": mesh "deev" is neither a tier nor shared with another tier; it would make a mesh of its own\. Name another tier \(dev, prod\) or leave mesh out$/)]);
  });

  test('GIVEN two tiers sharing a mesh named after neither WHEN loaded THEN it is accepted', () => {
    expect(() => new Fleet(fleetProps({ tiers: [{ name: 'dev', mesh: 'shared' }, { name: 'prod', mesh: 'shared' }] }, [
      { name: 'a', id: 1, tier: 'dev', region: 'us-east-1', dnsZone: 'dev.example.com' },
      { name: 'b', id: 2, tier: 'prod', region: 'us-east-1', dnsZone: 'prod.example.com' },
    ]))).not.toThrow();
  });

  test('GIVEN networkPolicies with api cluster WHEN loaded THEN it is refused (no policy would be written)', () => {
    expect(faults(EXAMPLE.replace('api: components', 'api: cluster'))).toEqual([
      expect.stringMatching(/fleet: multigres\.networkPolicies is not supported with multigres\.api cluster/),
    ]);
  });

  test('GIVEN a Multigres deployment without clusters: WHEN synthesized THEN the CLI warns that every joining cluster gets a cell', () => {
    const dir = tmp('meshfleet-warn-');
    const fleetFile = path.join(dir, 'fleet.yaml');
    fs.writeFileSync(fleetFile, EXAMPLE.replace('      clusters: [orchid-dev-usw1, orchid-dev-usw2]\n', ''));
    const err: string[] = [];
    expect(run(['--fleet', fleetFile, '--out', path.join(dir, 'out'), '--target', 'plural'], () => undefined, (s) => err.push(s))).toBe(0);
    expect(err).toEqual(['meshfleet: warning: multigres deployment "orders" lists no clusters, so every cluster that joins mesh "dev" gets a Multigres cell (now orchid-dev-usw1, orchid-dev-usw2); list them under clusters: to choose']);
    const quiet: string[] = [];
    expect(run(['--fleet', path.resolve(__dirname, '..', 'fleet.yaml'), '--out', path.join(dir, 'out2')], () => undefined, (s) => quiet.push(s))).toBe(0);
    expect(quiet).toEqual([]);
  });

  test('GIVEN cni cluster-pool WHEN the PR automations are written THEN their form asks for podCidr and writes it into the entry', () => {
    const fleet = new Fleet(fleetProps({ cilium: { version: '1.19.6', cni: 'cluster-pool' } }, [
      { name: 'a', id: 1, tier: 'dev', region: 'us-east-1', dnsZone: 'dev.example.com', podCidr: '10.1.0.0/16' },
    ]), undefined, 'fleet.yaml');
    const creator = synthPluralTree(fleet).get('bootstrap/orchid/pr-automations/cluster-creator.yaml')!;
    expect(creator).toContain('name: podCidr');
    expect(creator).toContain('podCidr: "{{ context.podCidr }}"');
    // With aws-cni, an EKS cluster needs none: the field is shown for the other platforms only.
    const awsCni = synthPluralTree(new Fleet(fleetProps(), undefined, 'fleet.yaml')).get('bootstrap/orchid/pr-automations/cluster-creator.yaml')!;
    expect(awsCni).toMatch(/condition:\n\s+field: distro\n\s+operation: NOT\n\s+value: eks\n(.*\n){0,3}\s+name: podCidr/);
  });

  test('GIVEN the podCidr form regex THEN it accepts what synthesis parses as a CIDR (prefix 8..30) and refuses the rest', () => {
    const re = new RegExp(POD_CIDR_REGEX);
    for (const ok of ['10.4.0.0/16', '10.0.0.0/8', '192.168.0.0/30', '172.16.0.0/12']) {
      expect([ok, re.test(ok), typeof parseCidr(ok)]).toEqual([ok, true, 'object']);
    }
    for (const bad of ['10.4.0.0/31', '256.1.1.1/8', '1.2.3/16', '10.01.0.0/16', ' 10.0.0.0/8', '10.0.0.0/8\n', 'fd00::/8']) {
      expect([bad, re.test(bad)]).toEqual([bad, false]);
    }
  });

  test('GIVEN a Multigres section without api WHEN built THEN it writes what released operators serve (MultigresCluster)', () => {
    const fleet = new Fleet(fleetProps({ multigres: { deployments: [{ name: 'orders', mesh: 'dev', topology: 'shared-etcd', etcdCluster: 'orchid-dev' }] } }));
    expect(fleet.multigres!.api).toBe('cluster');
    expect(synthPluralTree(fleet).get('services/orchid/multigres/orchid-dev/orders.yaml')).toContain('kind: MultigresCluster');
  });

  test('GIVEN a pinned operator release WHEN api components THEN it is refused, naming why; a malformed version is refused too', () => {
    expect(faults(EXAMPLE.replace(/  api: components.*\n/, '  api: components\n  operatorVersion: 0.11.1\n'))).toEqual([
      expect.stringMatching(/fleet: multigres\.api components cannot be applied by operator v0\.11\.1: no operator release serves Etcd, MultiGateway, MultiOrch or MultiPooler \(they were removed before v0\.1\.0\); use api cluster$/),
    ]);
    expect(faults(EXAMPLE.replace(/  api: components.*\n/, '  api: cluster\n  networkPolicies: false\n  operatorVersion: latest\n').replace('  networkPolicies: true\n', ''))).toEqual([
      expect.stringMatching(/fleet: multigres\.operatorVersion "latest" is not a release version such as "0\.11\.1"$/),
    ]);
  });
});

describe('errors say what was found, once', () => {
  test.each([
    ['', 'fleet.yaml:1:1: fleet: the file is empty; a fleet description is a YAML mapping with at least name, cilium and clusters (see docs/fleet-yaml.md, shipped in the meshfleet package)'],
    ['# only a comment\n', 'fleet.yaml:2:1: fleet: the file holds only comments; a fleet description is a YAML mapping with at least name, cilium and clusters (see docs/fleet-yaml.md, shipped in the meshfleet package)'],
    ['- a\n- b\n', 'fleet.yaml:1:1: fleet: the file is a YAML list (of 2 items); a fleet description is a YAML mapping with at least name, cilium and clusters (see docs/fleet-yaml.md, shipped in the meshfleet package)'],
  ])('GIVEN %j WHEN loaded THEN one fault says what the file holds', (text, fault) => {
    expect(faults(text)).toEqual([fault]);
  });

  test('GIVEN a tab in the indentation WHEN loaded THEN one fault at its line says to indent with spaces', () => {
    expect(faults(EXAMPLE.replace('\n  version: 1.18.1', '\n\tversion: 1.18.1'))).toEqual([
      'fleet.yaml:7:1: yaml syntax error: tab characters must not be used in indentation (indent with spaces only)']);
  });

  test('GIVEN a key indented one space too far WHEN loaded THEN one fault in plain words at its line', () => {
    expect(faults(EXAMPLE.replace('  - name: orchid-dev\n    id: 1\n', '  - name: orchid-dev\n     id: 1\n'))).toEqual([
      'fleet.yaml:19:8: yaml syntax error: bad indentation of a mapping entry (this line is indented differently from the keys of the same entry: align it with them, using spaces)']);
  });

  test('GIVEN a misspelt required key WHEN loaded THEN only the did-you-mean fault is reported (no "missing" cascade)', () => {
    expect(faults(EXAMPLE.replace('    region: us-east-2\n', '    regoin: us-east-2\n'))).toEqual([
      'fleet.yaml:21:5: cluster "orchid-dev": unknown key "regoin" in clusters[0] (did you mean "region"?)']);
    expect(faults(EXAMPLE.replace('name: orchid\n', 'nmae: orchid\n'))).toEqual(['fleet.yaml:5:1: fleet: unknown key "nmae" (did you mean "name"?)']);
  });
});
