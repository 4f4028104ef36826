import { loadFleet, parseFleet } from '../../src';
import { faults } from '../support';

const HEAD = 'name: orchid\ncilium:\n  version: 1.18.1\nclusters:\n';

describe('fleet.yaml loader', () => {
  test('GIVEN the example fleet.yaml WHEN loaded THEN it has the seed dev mesh and a prod mesh', () => {
    const fleet = loadFleet(`${__dirname}/../../fleet.yaml`);
    expect(fleet.mesh('dev').clusters.map((c) => c.name)).toEqual(['orchid-dev', 'orchid-dev-usw1', 'orchid-dev-usw2']);
    expect(fleet.mesh('prod').clusters.length).toBeGreaterThanOrEqual(2);
  });

  test('GIVEN a YAML syntax error WHEN loaded THEN it is reported with its line and column', () => {
    expect(faults('name: [orchid\n')).toEqual([
      'fleet.yaml:2:1: yaml syntax error: unexpected end of the stream within a flow collection',
    ]);
  });

  test('GIVEN a duplicate key WHEN loaded THEN it is a syntax error with a line number', () => {
    expect(faults('name: a\nname: b\n')).toEqual(['fleet.yaml:2:1: yaml syntax error: duplicated mapping key (a key appears twice in the same mapping: keep one)']);
  });

  test('GIVEN a misspelt key WHEN loaded THEN it is reported once, as unknown with a suggestion (not also as missing)', () => {
    expect(faults(`${HEAD}  - name: a\n    id: 1\n    tier: dev\n    region: us-east-2\n    dnszone: dev.example.com\n`)).toEqual([
      'fleet.yaml:9:5: cluster "a": unknown key "dnszone" in clusters[0] (did you mean "dnsZone"?)',
    ]);
  });

  test('GIVEN unknown top-level and nested keys WHEN loaded THEN each is reported where it is', () => {
    expect(faults('name: orchid\ncilium:\n  version: 1.18.1\n  maxConnectedCluster: 255\nclustrs: []\n')).toEqual([
      'fleet.yaml:4:3: fleet: unknown key "maxConnectedCluster" in cilium (did you mean "maxConnectedClusters"?)',
      'fleet.yaml:5:1: fleet: unknown key "clustrs" (did you mean "clusters"?)',
    ]);
  });

  test('GIVEN mistyped values WHEN loaded THEN each names the cluster, field and what was found', () => {
    expect(faults(`${HEAD}  - name: a\n    id: "7"\n    tier: dev\n    region: 1\n    dnsZone: dev.example.com\n    stack: maybe\n`)).toEqual([
      'fleet.yaml:6:9: cluster "a": id must be an integer (got "7")',
      'fleet.yaml:8:13: cluster "a": region must be a string (got the number 1; quote it: "1")',
      'fleet.yaml:10:12: cluster "a": stack must be true or false (got "maybe")',
    ]);
  });

  test('GIVEN a semantic fault WHEN loaded THEN it carries the location of the offending value', () => {
    expect(faults(`${HEAD}  - {name: a, id: 1, tier: dev, region: us-east-1, dnsZone: d.example.com}\n  - {name: b, id: 1, tier: dev, region: us-east-1, dnsZone: d.example.com}\n`)).toEqual([
      'fleet.yaml:6:19: cluster "b": id 1 is already used by cluster "a" in mesh "dev"',
    ]);
  });

  test('GIVEN a version written as a number WHEN loaded THEN it asks for quotes', () => {
    expect(faults('name: orchid\ncilium:\n  version: 1.18\nclusters: []\n')).toEqual([
      'fleet.yaml:3:12: fleet: cilium.version must be a string (got the number 1.18; quote it: "1.18")',
    ]);
  });

  test('GIVEN a file that is not a mapping WHEN loaded THEN that is said', () => {
    expect(faults('- a\n- b\n')).toEqual(['fleet.yaml:1:1: fleet: the file is a YAML list (of 2 items); a fleet description is a YAML mapping with at least name, cilium and clusters (see docs/fleet-yaml.md, shipped in the meshfleet package)']);
  });

  test('GIVEN a missing file WHEN loaded THEN the error names the file, without a stack trace', () => {
    expect(() => loadFleet('/nonexistent/fleet.yaml')).toThrow('cannot read fleet file /nonexistent/fleet.yaml: ENOENT');
  });

  test('GIVEN tiers with a shared mesh WHEN loaded THEN both tiers join one mesh', () => {
    const fleet = parseFleet('name: f\ncilium: {version: 1.19.6}\ntiers: [dev, {name: qa, mesh: dev}]\nclusters:\n  - {name: a, id: 1, tier: dev, region: us-east-1, dnsZone: d.example.com}\n  - {name: b, id: 2, tier: qa, region: us-east-1, dnsZone: d.example.com}\n');
    expect(fleet.meshes.map((m) => [m.name, m.tiers, m.clusters.length])).toEqual([['dev', ['dev', 'qa'], 2]]);
  });
});
