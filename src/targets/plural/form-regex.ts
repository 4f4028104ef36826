/**
 * Anchored regular expressions for PR automation form fields that accept exactly the valid
 * answers. They use no look-around, so they work in RE2, PCRE and JavaScript alike.
 */
import { CILIUM_CLUSTER_NAME_MAX } from '../../fleet/rules';
import { IdRange } from '../../fleet/rules';

/** A regex (unanchored body) matching exactly the decimal integers in `min..max`, without leading zeros. */
export function integerRangePattern(min: number, max: number): string {
  if (!Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max < min) {
    throw new Error(`integer range ${min}..${max} is not a valid range`);
  }
  const parts: string[] = [];
  for (let len = String(min).length; len <= String(max).length; len++) {
    const lo = Math.max(min, len === 1 ? 0 : 10 ** (len - 1));
    const hi = Math.min(max, 10 ** len - 1);
    if (lo <= hi) parts.push(...sameLength(String(lo), String(hi)));
  }
  return parts.length === 1 ? parts[0] : `(?:${parts.join('|')})`;
}

function digitClass(lo: number, hi: number): string {
  return lo === hi ? String(lo) : `[${lo}-${hi}]`;
}

/** Patterns for a..b, both of the same number of digits. */
function sameLength(a: string, b: string): string[] {
  const n = a.length;
  if (n === 1) return [digitClass(Number(a), Number(b))];
  if (a[0] === b[0]) return sameLength(a.slice(1), b.slice(1)).map((p) => a[0] + p);
  const zeros = '0'.repeat(n - 1);
  const nines = '9'.repeat(n - 1);
  const out: string[] = [];
  let lo = Number(a[0]);
  let hi = Number(b[0]);
  if (a.slice(1) !== zeros) {
    out.push(...sameLength(a.slice(1), nines).map((p) => a[0] + p));
    lo++;
  }
  const tail: string[] = [];
  if (b.slice(1) !== nines) {
    tail.push(...sameLength(zeros, b.slice(1)).map((p) => b[0] + p));
    hi--;
  }
  if (lo <= hi) out.push(digitClass(lo, hi) + '[0-9]'.repeat(n - 1));
  return [...out, ...tail];
}

/**
 * Anchored regex accepting exactly the cluster ids in the given ranges.
 * @throws when `ranges` is empty (the regex would accept only the empty answer)
 */
export function clusterIdRegex(ranges: readonly IdRange[]): string {
  if (ranges.length === 0) throw new Error('cluster id ranges must not be empty');
  const parts = ranges.map((r) => integerRangePattern(r.min, r.max));
  return `^${parts.length === 1 ? parts[0] : `(?:${parts.join('|')})`}$`;
}

/**
 * Anchored regex accepting exactly the valid Cilium cluster names: 1..32 characters of `[-a-z0-9]`,
 * starting and ending with a letter or digit, and not `default`.
 */
export function clusterNameRegex(): string {
  const word = 'default';
  const n = word.length;
  const max = CILIUM_CLUSTER_NAME_MAX;
  const end = '[a-z0-9]';
  const mid = '[-a-z0-9]';
  // Every name of length 7 other than "default" differs from it first at some position i.
  const sevens: string[] = [];
  for (let i = 0; i < n; i++) {
    const rest = n - i - 1;
    const restPattern = rest === 0 ? '' : rest === 1 ? end : `${mid}{${rest - 1}}${end}`;
    sevens.push(`${word.slice(0, i)}${classExcept(word[i], i > 0 && i < n - 1)}${restPattern}`);
  }
  return `^(?:${end}|${end}${mid}{0,${n - 3}}${end}|${sevens.join('|')}|${end}${mid}{${n - 1},${max - 2}}${end})$`;
}

/** `[a-z0-9]` (with `-` when `dash`) without one lowercase letter. */
function classExcept(letter: string, dash: boolean): string {
  const code = letter.charCodeAt(0);
  const range = (from: number, to: number) => (from > to ? '' : from === to ? String.fromCharCode(from) : `${String.fromCharCode(from)}-${String.fromCharCode(to)}`);
  return `[${dash ? '-' : ''}${range(97, code - 1)}${range(code + 1, 122)}0-9]`;
}

/**
 * Anchored regex accepting DNS zone names: lowercase labels of 1..63 characters, at least two.
 *
 * It does not bound the overall length: a zone of more than 253 characters (e.g. four labels of
 * 63) matches, and synthesis refuses it (`dnsZoneProblem`). Without look-ahead the bound cannot be
 * expressed by limiting the number or length of labels, because 4 labels of 62 characters and
 * 127 labels of 1 character are both valid; an exact regex would have to count characters across
 * labels and would be far too large for a form field.
 */
export const DNS_ZONE_REGEX = '^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?)+$';

/** Anchored regex accepting cloud region names (`us-west-2`). */
export const REGION_REGEX = '^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$';

/** An IPv4 CIDR with an octet-exact address and a prefix of 8..30 (synthesis then refuses host bits and overlaps). */
export const POD_CIDR_REGEX = '^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])/(?:[89]|[12][0-9]|30)$';
