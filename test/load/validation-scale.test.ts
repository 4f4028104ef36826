/**
 * Validation at scale (issue 8, defect 8 and issue 16, defect 11): 20,000 faulty clusters are checked in
 * linear time and reported up to a cap. A load test: `npm run test:load` (CI runs it); `npm run bench`
 * has the timings.
 */
import { parseFleet } from '../../src';
import { FleetValidationError } from '../../src/fleet/errors';

describe('validation is linear (defect 8)', () => {
  test('GIVEN 20,000 clusters sharing one id and one pod CIDR WHEN loaded THEN the first thousand entry faults are reported in file order, the rest counted, and the mesh fault kept', () => {
    const lines = ['name: big', 'cilium:', '  version: 1.18.1', '  cni: cluster-pool', 'tiers: [dev]', 'clusters:'];
    for (let i = 0; i < 20000; i++) lines.push(`  - {name: c${i}, id: 7, tier: dev, region: us-west-2, dnsZone: dev.example.com, podCidr: 10.0.0.0/16}`);
    let error: FleetValidationError | undefined;
    try {
      parseFleet(lines.join('\n'), 'fleet.yaml');
    } catch (e) {
      error = e as FleetValidationError;
    }
    expect(error).toBeInstanceOf(FleetValidationError);
    const found = error!.faults.map((f) => `${f.location}: ${f.message}`);
    // Issue 16, defect 11: bounded reporting (1,000 entry faults kept; the mesh's own fault always).
    expect(found.length).toBe(1001);
    expect(error!.faults.length + error!.omitted).toBe(2 * 19999 + 1);
    expect(error!.message.split('\n')[0]).toBe(`invalid fleet (${2 * 19999 + 1} faults):`);
    expect(error!.message).toContain(`  ... and ${2 * 19999 + 1 - 1001} more (1001 are shown; fix them and run again)`);
    expect(found).toContainEqual(expect.stringMatching(/^fleet\.yaml:262:\d+: mesh "dev": 20000 clusters exceed maxConnectedClusters 255$/));
    expect(found[0]).toBe('fleet.yaml:8:20: cluster "c1": id 7 is already used by cluster "c0" in mesh "dev"');
  });

});
