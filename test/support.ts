import { run } from '../src/cli/main';
import { FleetValidationError } from '../src/fleet/errors';
import { parseFleet } from '../src/fleet/loader';
import { ClusterProps, FleetProps } from '../src/fleet/props';

/** A small valid fleet, changed per test. */
export function fleetProps(overrides: Partial<FleetProps> = {}, clusters?: ClusterProps[]): FleetProps {
  return {
    name: 'orchid',
    cilium: { version: '1.18.1' },
    clusters: clusters ?? [
      { name: 'orchid-dev', id: 1, tier: 'dev', region: 'us-east-2', dnsZone: 'dev.example.com' },
      { name: 'orchid-dev-usw1', id: 2, tier: 'dev', region: 'us-west-1', dnsZone: 'dev.example.com' },
      { name: 'orchid-prod', id: 1, tier: 'prod', region: 'us-east-1', dnsZone: 'prod.example.com' },
    ],
    ...overrides,
  };
}

/** A cluster entry, changed per test. */
export function cluster(overrides: Partial<ClusterProps> = {}): ClusterProps {
  return { name: 'c1', id: 1, tier: 'dev', region: 'us-east-2', dnsZone: 'dev.example.com', ...overrides };
}

/** The faults of a fleet.yaml text, each as `file:line:col: message` (empty when it is valid). */
export function faults(text: string): string[] {
  try {
    parseFleet(text, 'fleet.yaml');
    return [];
  } catch (e) {
    if (!(e instanceof FleetValidationError)) throw e;
    return e.faults.map((f) => `${f.location ?? '-'}: ${f.message}`);
  }
}

/** Runs the `meshfleet` command in-process (optionally in another working folder); returns its exit code and output. */
export function runCli(args: readonly string[], cwd?: string): { code: number; out: string; err: string } {
  const out: string[] = [];
  const err: string[] = [];
  const before = process.cwd();
  if (cwd) process.chdir(cwd);
  try {
    const code = run(args, (s) => out.push(s), (s) => err.push(s));
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    process.chdir(before);
  }
}

/** A deterministic PRNG (mulberry32): the same sequence from a seed on every run, so a failing case can be replayed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
