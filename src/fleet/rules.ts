/** The Cilium, DNS, Git and Plural rules a fleet's names, ids, ranges and paths follow. */
import { DNS_LABEL, dnsLabelProblem, QUALIFIED_NAME } from '../k8s/names';

/**
 * The naming and numbering rules of Cilium, DNS and Plural that a fleet must follow.
 * Each returns `undefined` when the value is fine, or the reason it is not.
 */

/** Cilium's cluster name pattern (`pkg/clustermesh/types`, chart `validate.yaml`). */
export const CILIUM_CLUSTER_NAME = DNS_LABEL;
/** Longest Cilium cluster name. */
export const CILIUM_CLUSTER_NAME_MAX = 32;

const REGION = DNS_LABEL;

/** Why `name` is not a valid Cilium cluster name. */
export function clusterNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'must not be empty';
  if (name.length > CILIUM_CLUSTER_NAME_MAX) return `is ${name.length} characters long; Cilium allows at most ${CILIUM_CLUSTER_NAME_MAX}`;
  if (!CILIUM_CLUSTER_NAME.test(name)) return 'must consist of lowercase letters, digits and "-", and start and end with a letter or digit';
  if (name === 'default') return 'must not be "default" (Cilium rejects it for a cluster with a non-zero id)';
  return undefined;
}

/** Why `zone` is not a valid DNS zone name (lowercase, at least two labels, <= 253 characters). */
export function dnsZoneProblem(zone: string): string | undefined {
  if (zone.length === 0) return 'must not be empty';
  if (zone.endsWith('.')) return 'must not end with "."';
  if (zone.length > 253) return `is ${zone.length} characters long; a DNS name has at most 253`;
  const labels = zone.split('.');
  if (labels.length < 2) return 'must have at least two labels (e.g. "dev.example.com")';
  for (const label of labels) {
    if (dnsLabelProblem(label) !== undefined) {
      return `has an invalid label "${label}" (lowercase letters, digits and "-", 1..63 characters, not starting or ending with "-")`;
    }
  }
  return undefined;
}

/** Why `region` is not a plausible cloud region name (`us-west-2`, `europe-west1`, `eastus`). */
export function regionProblem(region: string): string | undefined {
  if (region.length === 0) return 'must not be empty';
  if (region.length > 63 || !REGION.test(region)) return 'must consist of lowercase letters, digits and "-" (e.g. "us-west-2")';
  return undefined;
}

/** An inclusive range of usable cluster ids. */
export interface IdRange {
  /** First usable id. */
  readonly min: number;
  /** Last usable id. */
  readonly max: number;
}

/**
 * The cluster ids usable with a given `maxConnectedClusters` and IPAM/CNI mode.
 * With ENI IPAM or aws-cni chaining ids 128-255 (and 384-511) fail (cilium/cilium#21330).
 */
export function usableIdRanges(maxConnectedClusters: number, restrictedIds: boolean): IdRange[] {
  if (!restrictedIds) return [{ min: 1, max: maxConnectedClusters }];
  return maxConnectedClusters === 511 ? [{ min: 1, max: 127 }, { min: 256, max: 383 }] : [{ min: 1, max: 127 }];
}

/** Formats id ranges as `1..127` or `1..127 or 256..383`. */
export function formatRanges(ranges: readonly IdRange[]): string {
  return ranges.map((r) => `${r.min}..${r.max}`).join(' or ');
}


/** Longest Plural tag value meshfleet accepts (Plural documents no limit; tags are short labels). */
export const MAX_TAG_VALUE = 255;

/** Why `key` is not a usable Plural tag key (a label name: 1..63 letters, digits, `-`, `_`, `.`), or undefined. */
export function tagKeyProblem(key: string): string | undefined {
  if (key.length === 0) return 'must not be empty';
  if (key.length > 63 || !QUALIFIED_NAME.test(key)) return 'must be 1..63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit';
  return undefined;
}

/** Why `value` is not a usable Plural tag value (at most 255 printable characters, no line breaks), or undefined. */
export function tagValueProblem(value: string): string | undefined {
  if (value.length > MAX_TAG_VALUE) return `is ${value.length} characters long; at most ${MAX_TAG_VALUE} are allowed`;
  if (/[\r\n\t]/.test(value)) return 'must not contain line breaks or tabs';
  return undefined;
}

/** Why `ref` is not a Git branch, tag or commit name (`git check-ref-format` rules), or undefined. */
export function gitRefProblem(ref: string): string | undefined {
  if (ref.length === 0) return 'must not be empty';
  if (ref.length > 255) return `is ${ref.length} characters long; at most 255 are allowed`;
  if (/[\s~^:?*[\\]|\.\.|@\{|\/\/|^[-/.]|[/.]$|\.lock$|\/\./.test(ref) || ref === '@') {
    return 'is not a valid git ref (no spaces, "..", "~^:?*[\\", "@{", and no leading "-", "/" or ".")';
  }
  // A pull or merge request's head is whatever its author pushes next, from a fork: never a source to deploy.
  if (/^(refs\/)?(pull|merge-requests|pull-requests)\//.test(ref)) return 'names a pull or merge request\'s head, which its author (or a fork) can move; deploy a branch or tag of this repository';
  return undefined;
}

/** Why `p` is not a relative path inside a repository (no `..`, no leading `/`, plain characters), or undefined. */
export function repoPathProblem(p: string): string | undefined {
  if (p.length === 0) return 'must not be empty';
  if (p.startsWith('/') || p.split('/').some((s) => s === '..' || s === '.' || s === '')) return 'must be a path relative to the repository root, without "..", "." or empty segments';
  if (!/^[A-Za-z0-9._\-/]+$/.test(p)) return 'must consist of letters, digits, ".", "_", "-" and "/"';
  return undefined;
}


/**
 * Why `url` is not a chart repository URL meshfleet passes on (to Plural, Argo CD and the printed
 * `helm repo add`), or undefined: `http(s)://` or `oci://`, a host name or IP address with an optional
 * port, and a path of URL path characters only. No credentials, query, fragment, spaces or shell
 * characters (`;`, `$`, `(`, backquotes, quotes...), which a shell would read as commands.
 */
export function chartUrlProblem(url: string): string | undefined {
  if (url.length > 2048) return `is ${url.length} characters long; at most 2048 are allowed`;
  const m = /^(https?|oci):\/\/([^/?#]*)(\/[^?#]*)?([?#].*)?$/.exec(url);
  if (!m) return 'must be an http(s):// or oci:// URL';
  const [, , authority, urlPath = '', rest] = m;
  if (authority.includes('@')) return 'must not carry credentials (user:password@); give Plural or Argo CD the repository credentials instead';
  const host = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*)(:[0-9]{1,5})?$/.exec(authority);
  if (!host) return 'must name a host (letters, digits, "-" and "." only, with an optional :port)';
  if (rest !== undefined) return 'must not have a query or fragment (? or #)';
  const hostname = authority.replace(/:[0-9]{1,5}$/, '').replace(/^\[|\]$/g, '').toLowerCase();
  if (/^169\.254\.|^fe[89ab][0-9a-f]:|^fd00:ec2:|^metadata(\.google\.internal)?$|^instance-data(\.ec2\.internal)?$/.test(hostname)) {
    return 'names a link-local or cloud metadata address, which the delivery engine would fetch from inside the cluster; name the chart repository';
  }
  if (!/^[A-Za-z0-9._~%/-]*$/.test(urlPath)) return 'has a path with characters other than letters, digits and . _ ~ % / -';
  if (urlPath.split('/').includes('..')) return 'must not contain ".."';
  return undefined;
}
