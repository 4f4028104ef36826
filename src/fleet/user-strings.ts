/** What no string of an (untrusted) fleet description may hold: Liquid, reserved names, key material, oversize values. */
import { FaultCollector } from './errors';
import { FleetProps } from './props';

/**
 * Rules every free-form string of a fleet description follows, whatever its field: fleet.yaml is
 * untrusted input (a pull request can change it), and its strings end up in files Plural renders
 * as Liquid and in objects anyone with read access to the cluster can see.
 */

/** Longest string accepted in any field (annotation values, tags, paths...). */
export const MAX_USER_STRING = 4096;

/** What a user string may not contain, with why. Checked on every key and value of the description. */
const FORBIDDEN: ReadonlyArray<{ readonly pattern: RegExp; readonly why: string }> = [
  { pattern: /\{\{|\{%/, why: 'must not contain "{{" or "{%": Plural renders these files as Liquid, and only meshfleet writes Liquid' },
  { pattern: /__meshfleet_liquid_/, why: 'must not contain "__meshfleet_liquid_", a name meshfleet reserves' },
  { pattern: /[\u0000-\u0008\u000b-\u001f\u007f]/, why: 'must not contain control characters' },
];

/**
 * Key material and tokens: a PEM block, base64-encoded PEM (at each of the three byte alignments),
 * and the prefixes of common access tokens. Such a value would be committed to Git and copied into
 * objects that many can read.
 */
const SECRET_SHAPES: ReadonlyArray<{ readonly pattern: RegExp; readonly what: string }> = [
  // Every PEM type (RSA, EC, DSA, OPENSSH, ENCRYPTED, PGP ... PRIVATE KEY [BLOCK], CERTIFICATE), however many dashes survived.
  { pattern: /-----BEGIN [A-Z0-9 ]*-----|PRIVATE KEY-----|BEGIN [A-Z0-9 ]*PRIVATE KEY|PuTTY-User-Key-File-/i, what: 'a PEM block (key or certificate)' },
  // A PEM body without its BEGIN line: DER of a key or certificate (a SEQUENCE with a long length) in base64.
  { pattern: /(^|[^A-Za-z0-9+/])MII[A-Za-z0-9+/]{60,}/, what: 'a PEM body (base64 DER of a key or certificate)' },
  { pattern: /LS0tLS1CRUdJT|tLS0tQkVHSU|tLS0tLUJFR0lO/, what: 'base64-encoded PEM' },
  { pattern: /(^|[^A-Za-z0-9])(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}/, what: 'a GitHub token' },
  { pattern: /(^|[^A-Za-z0-9])(glpat|gldt|glptt|glrt|glcbt|glimt|glsoat|glffct|glft|glagent|gloas|glwt)-[A-Za-z0-9_-]{20,}|(^|[^A-Za-z0-9])GR1348941[A-Za-z0-9_-]{20,}/, what: 'a GitLab token' },
  { pattern: /(^|[^A-Za-z0-9])npm_[A-Za-z0-9]{36}([^A-Za-z0-9]|$)/, what: 'an npm token' },
  { pattern: /(^|[^A-Za-z0-9])xox[abposre]-[A-Za-z0-9-]{10,}|(^|[^A-Za-z0-9])xapp-[0-9]-[A-Za-z0-9-]{10,}/, what: 'a Slack token' },
  {
    pattern: /hooks\.slack\.com\/(services|workflows|triggers)\/|discord(app)?\.com\/api\/webhooks\/[0-9]+\/|\.webhook\.office\.com\/webhookb2\/|outlook\.office(365)?\.com\/webhook\/|chat\.googleapis\.com\/v1\/spaces\/[^/]+\/messages\?[^ ]*key=|\.logic\.azure\.com[:/][^ ]*[?&]sig=|api\.telegram\.org\/bot[0-9]+:|hooks\.zapier\.com\/hooks\/catch\//i,
    what: 'a webhook URL (the URL itself is the credential)',
  },
  { pattern: /(^|[^A-Z0-9])(AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[A-Z0-9]{16}([^A-Z0-9]|$)/, what: 'an AWS access key id' },
  { pattern: /(^|[^A-Za-z0-9])AIza[0-9A-Za-z_-]{35}|(^|[^A-Za-z0-9])GOCSPX-[A-Za-z0-9_-]{20,}|(^|[^A-Za-z0-9.])ya29\.[A-Za-z0-9_-]{20,}/, what: 'a Google API key or OAuth secret' },
  { pattern: /(^|[^A-Za-z0-9])(sk|rk|pk)_(live|test)_[A-Za-z0-9]{16,}|(^|[^A-Za-z0-9])sk-[A-Za-z0-9_-]{32,}/, what: 'an API secret key' },
  { pattern: /(^|[^A-Za-z0-9])SG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/, what: 'a SendGrid API key' },
  { pattern: /(^|[^A-Za-z0-9])hf_[A-Za-z0-9]{30,}/, what: 'a Hugging Face token' },
  { pattern: /(AccountKey|SharedAccessKey)=[A-Za-z0-9+/]{20,}/, what: 'an Azure storage or Service Bus key' },
  { pattern: /(^|[^A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/, what: 'a JSON Web Token' },
];

/**
 * An AWS secret access key: 40 characters of base64 (letters, digits, `/`, `+`) standing alone, drawn at
 * random: upper and lower case letters and a digit, two capitals in a row somewhere and a capital right
 * after a small letter somewhere (camel-case words and paths of capitalised words have only one of these),
 * and no word-like run of eight small letters.
 */
function looksLikeAwsSecretKey(value: string): boolean {
  const runs = value.match(/(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g);
  return runs !== null && runs.some((r) => /[0-9]/.test(r) && /[A-Z]{2}/.test(r) && /[a-z][A-Z]/.test(r) && !/[a-z]{8}/.test(r));
}

/** Names JavaScript objects carry already (`constructor`, `__proto__`, ...): as keys they would be lost or misread. */
const RESERVED_KEYS = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/** Why a mapping key is refused, or undefined when it is fine. */
export function userKeyProblem(key: string): string | undefined {
  return RESERVED_KEYS.has(key) ? `is a name JavaScript objects already carry; use another key` : userStringProblem(key);
}

/** Why a user string is refused, or undefined when it is fine. */
export function userStringProblem(value: string): string | undefined {
  if (value.length > MAX_USER_STRING) return `is ${value.length} characters long; at most ${MAX_USER_STRING} are allowed`;
  for (const f of FORBIDDEN) if (f.pattern.test(value)) return f.why;
  const secret = SECRET_SHAPES.find((s) => s.pattern.test(value))?.what ?? (looksLikeAwsSecretKey(value) ? 'an AWS secret access key' : undefined);
  if (secret) return `looks like ${secret}; secrets never go into fleet.yaml, which is committed to Git; keep them in a Secret or your CI's secret store`;
  return undefined;
}

/**
 * Visits every string in a description, keys of mappings included, with its path
 * (`clusters[2].tags.owner`, and for a key `clusters[2].tags.owner (key)`). Iterative, so any depth
 * is fine; linear in the size of the description.
 */
export function forEachUserString(root: unknown, visit: (path: string, value: string, isKey: boolean) => void): void {
  const stack: Array<[string, unknown]> = [['', root]];
  while (stack.length > 0) {
    const [path, value] = stack.pop()!;
    if (typeof value === 'string') {
      visit(path, value, false);
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push([`${path}[${i}]`, value[i]]);
    } else if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, v] = entries[i];
        const child = path ? `${path}.${k}` : k;
        visit(child, k, true);
        stack.push([child, v]);
      }
    }
  }
}

/**
 * Refuses, in every string of the description (keys included), what may never pass: Liquid
 * delimiters, meshfleet's reserved names, control characters, over-long values, and anything shaped
 * like key material or a token. Each fault names the field.
 */
export function checkUserStrings(props: FleetProps, faults: FaultCollector): void {
  forEachUserString(props, (path, value, isKey) => {
    const problem = isKey ? userKeyProblem(value) : userStringProblem(value);
    if (!problem) return;
    const m = /^clusters\[(\d+)\]\.?(.*)$/.exec(path);
    const name = m ? props.clusters?.[Number(m[1])]?.name : undefined;
    const who = m ? (typeof name === 'string' && name && !userStringProblem(name) ? `cluster "${name}"` : `clusters[${m[1]}]`) : 'fleet';
    const field = m ? m[2] : path;
    faults.add(path, `${who}: ${field}${isKey ? ' (the key)' : ''} ${problem}`);
  });
}
