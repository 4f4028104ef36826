/**
 * Issue 16, defect 11 (and the red-team round after it): the loader is bounded. A fleet description is
 * at most 16 MiB (refused before it is read); faults are reported up to a cap and counted beyond; a
 * fault's line is found through an index, not by scanning its mapping (20,000 bad keys in one mapping
 * took 257 s before; `npm run bench` has the figures).
 */
import * as fs from 'fs';
import * as path from 'path';
import { FleetValidationError } from '../../src/fleet/errors';
import { loadFleet, MAX_FLEET_CHARS, parseFleet } from '../../src/fleet/loader';
import { cleanTmp, tmp } from '../gitops/helpers';

afterAll(cleanTmp);

function error(text: string): FleetValidationError {
  try {
    parseFleet(text, 'fleet.yaml');
  } catch (e) {
    if (e instanceof FleetValidationError) return e;
    throw e;
  }
  throw new Error('the fleet was valid');
}

describe('the loader is bounded (issue 16, defect 11)', () => {
  test('GIVEN 20,000 misspelt annotation keys in one mapping WHEN loaded THEN 2,000 are shown with their lines and the rest counted', () => {
    const lines = ['name: big', 'cilium:', '  version: 1.18.1', '  apiserver:', '    annotations:'];
    for (let i = 0; i < 20000; i++) lines.push(`      "bad key ${i}": x`);
    lines.push('clusters: []');
    const e = error(lines.join('\n'));
    expect(e.faults.length).toBe(2000);
    expect(e.faults.length + e.omitted).toBe(20001);
    expect(`${e.faults[0].location}: ${e.faults[0].message}`).toMatch(/^fleet\.yaml:6:\d+: fleet: cilium\.apiserver\.annotations key "bad key 0" must be \[prefix\/\]name/);
    expect(e.faults[1999].location).toMatch(/^fleet\.yaml:2005:\d+$/);
  });

  test('GIVEN 100,000 bad tag keys on one cluster WHEN loaded THEN the first 1,000 are shown at their lines', () => {
    const lines = ['name: big', 'cilium:', '  version: 1.18.1', 'clusters:', '  - {name: a, id: 1, tier: dev, region: us-west-2, dnsZone: x.example.com, tags: {'];
    lines.push(Array.from({ length: 100000 }, (_, i) => `"bad key ${i}": x`).join(', ') + '}}');
    const e = error(lines.join('\n'));
    expect(e.faults.length).toBe(1000);
    expect(e.omitted).toBeGreaterThan(99000);
    expect(e.faults[0].message).toBe('cluster "a": tags has 100000 entries; at most 64 are allowed');
    expect(e.faults.slice(1).every((f) => /^fleet\.yaml:6:\d+$/.test(f.location!))).toBe(true);
  });

  test('GIVEN a description over 16 MiB WHEN parsed or loaded THEN it is refused at once, the file unread', () => {
    const big = `name: x\n# ${'x'.repeat(MAX_FLEET_CHARS)}\n`;
    expect(error(big).message).toContain(`fleet: the file is ${big.length} characters long; a fleet description is at most ${MAX_FLEET_CHARS}`);
    const dir = tmp();
    const file = path.join(dir, 'fleet.yaml');
    fs.writeFileSync(file, '');
    fs.truncateSync(file, MAX_FLEET_CHARS + 1);
    expect(() => loadFleet(file)).toThrow(`fleet: the file is ${MAX_FLEET_CHARS + 1} bytes long`);
  });
});
