/**
 * Property tests (`npm run test:load`, run by CI): the plain-data YAML writer writes the bytes `yaml` writes
 * for 2,000 random documents built from strings, numbers and shapes chosen to hit `yaml`'s quoting rules;
 * the fast IPv4 CIDR path gives ipaddr.js's answer for 50,000 random and edge-case texts.
 */
import * as ipaddr from 'ipaddr.js';
import { stringify } from 'yaml';
import { parseCidr } from '../../src/k8s/cidr';
import { isVerbatim, stringifyManifests, stringifyYaml } from '../../src/k8s/yaml';
import { mulberry32 } from '../support';

const CDK8S = { keepUndefined: true, lineWidth: 0, version: '1.1' } as const;

const rng = mulberry32;

const STRINGS = [
  'plain', 'cilium', 'kube-system', 'io.cilium/global-service', 'a.b/c-d_e', 'bench-t0-c0', 'Yes', 'yes', 'NO', 'n', 'y', 'On', 'off',
  'true', 'False', 'null', 'Null', '~', '', ' ', ' lead', 'trail ', 'a: b', 'a:b', 'a #b', 'a#b', '#c', '-', '- x', '-x', '?', '? x',
  ':x', 'x:', '[a]', '{a}', 'a,b', '*ref', '&anchor', '!tag', '|', '>', "'q'", '"dq"', '%x', '@x', '`x', '1', '0', '-1', '1.5', '1e3',
  '0x1F', '0o17', '017', '1_000', '.inf', '-.Inf', '.nan', '1:20', '2026-12-04', '2026-12-04T10:00:00Z', '10.0.0.0/24', '1.18.1',
  '---', '--- x', '...', '... x', 'a\nb', 'line\n', '\ttab', 'tab\t', 'ünïcödé', '日本', 'emoji 🎉', '\u0007bell', 'a\\b', 'x'.repeat(90),
  'y'.repeat(1200), '<<', '=', 'key=value', 'https://example.com/a?b=c#d', '{{ cluster.handle }}', "it's", 'say "hi"',
];
/** Strings the fast path writes itself (most documents then take it, not the fallback). */
const SIMPLE = ['plain', 'cilium', 'kube-system', 'io.cilium/global-service', 'bench-t0-c0', '10.0.0.0/24', '1.18.1', 'Yes', 'null', 'a b', "it's"];
const NUMBERS = [0, 1, -1, 42, 65535, 2 ** 31, Number.MAX_SAFE_INTEGER, 1.5, -0, 0.1, 1e21, NaN, Infinity, -Infinity];

function randomValue(next: () => number, depth: number, shared: object[]): unknown {
  const r = next();
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
  if (depth > 4 || r < 0.45) {
    const s = next();
    if (s < 0.35) return pick(SIMPLE);
    if (s < 0.6) return pick(next() < 0.8 ? SIMPLE : STRINGS);
    if (s < 0.8) return pick(NUMBERS);
    if (s < 0.9) return next() < 0.5;
    if (s < 0.95) return null;
    return undefined;
  }
  if (r < 0.48 && shared.length > 0) return pick(shared);
  if (r < 0.72) {
    const n = Math.floor(next() * 4);
    const xs = Array.from({ length: n }, () => randomValue(next, depth + 1, shared));
    if (next() < 0.1) shared.push(xs);
    return xs;
  }
  const n = Math.floor(next() * 5);
  const out: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) out[pick(next() < 0.8 ? SIMPLE : STRINGS)] = randomValue(next, depth + 1, shared);
  if (next() < 0.1) shared.push(out);
  return out;
}

function dropUndefined(value: unknown): unknown {
  if (isVerbatim(value)) return value;
  if (Array.isArray(value)) return value.filter((v) => v !== undefined).map(dropUndefined);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, dropUndefined(v)]));
  }
  return value;
}

describe('plain-data YAML writer', () => {
  test('2,000 random documents: the same bytes as yaml for manifests (undefined kept) and values (undefined dropped)', () => {
    const next = rng(20261204);
    const differ: Array<{ i: number; ours: string; yaml: string }> = [];
    for (let i = 0; i < 2000; i++) {
      const shared: object[] = [];
      const n = 1 + Math.floor(next() * 6);
      const doc: Record<string, unknown> = {};
      for (let k = 0; k < n; k++) doc[STRINGS[Math.floor(next() * STRINGS.length)]] = randomValue(next, 0, shared);
      const manifest = { ours: stringifyManifests([doc]), yaml: stringify(doc, CDK8S) };
      const values = { ours: stringifyYaml(doc), yaml: stringify(dropUndefined(doc), { lineWidth: 0, version: '1.1', aliasDuplicateObjects: false }) };
      for (const pair of [manifest, values]) if (pair.ours !== pair.yaml) differ.push({ i, ...pair });
    }
    expect(differ.slice(0, 3)).toEqual([]);
  });
});

describe('IPv4 CIDR parsing', () => {
  /** What ipaddr.js alone answers: the reference the fast path must agree with. */
  function reference(text: string): string {
    if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(text) || !ipaddr.IPv4.isValidCIDR(text)) return 'not a CIDR';
    const [address] = ipaddr.IPv4.parseCIDR(text);
    const network = ipaddr.IPv4.networkAddressFromCIDR(text);
    if (network.toString() !== address.toString()) return 'host bits';
    const toInt = (a: ipaddr.IPv4) => a.octets.reduce((n, o) => n * 256 + o, 0);
    return `${toInt(network)}-${toInt(ipaddr.IPv4.broadcastAddressFromCIDR(text))}`;
  }

  test('50,000 random and edge-case texts: the same verdict and range as ipaddr.js', () => {
    const differ: Array<{ text: string; verdict: string; ipaddr: string }> = [];
    const next = rng(7);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
    const octet = () => pick([String(Math.floor(next() * 300)), String(Math.floor(next() * 256)), '0', '00', '010', '08', '255', '256', '999']);
    const bits = () => pick([String(Math.floor(next() * 34)), '0', '00', '08', '32', '33', '16', '24']);
    for (let i = 0; i < 50_000; i++) {
      const text = `${octet()}.${octet()}.${octet()}.${octet()}/${bits()}`;
      const got = parseCidr(text);
      const verdict = typeof got === 'string' ? (got.startsWith('has host bits') ? 'host bits' : 'not a CIDR') : `${got.first}-${got.last}`;
      const expected = reference(text);
      if (verdict !== expected) differ.push({ text, verdict, ipaddr: expected });
    }
    expect(differ.slice(0, 3)).toEqual([]);
  });
});
