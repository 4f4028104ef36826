/** Kubernetes' naming rules (DNS labels and subdomains, label and annotation keys and values). Each returns the reason a value breaks the rule, or undefined. */

/** A DNS-1123 label (without its 63-character limit). */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Why `name` is not a DNS-1123 label (fleet and tier names end up in object names and tags). */
export function dnsLabelProblem(name: string): string | undefined {
  if (name.length === 0) return 'must not be empty';
  if (name.length > 63) return `is ${name.length} characters long; at most 63 are allowed`;
  if (!DNS_LABEL.test(name)) return 'must consist of lowercase letters, digits and "-", and start and end with a letter or digit';
  return undefined;
}

/** A label name or value, or the name part of an annotation key. */
export const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
/** A DNS-1123 subdomain (without its 253-character limit). */
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why `name` is not a DNS-1123 subdomain (Kubernetes object names), or undefined. */
export function dnsSubdomainProblem(name: string): string | undefined {
  if (name.length === 0) return 'must not be empty';
  if (name.length > 253) return `is ${name.length} characters long; at most 253 are allowed`;
  if (!DNS_SUBDOMAIN.test(name)) return 'must consist of lowercase letters, digits, "-" and ".", and start and end with a letter or digit';
  return undefined;
}

/**
 * Why `key` is not a Kubernetes label or annotation key (`[prefix/]name`: the prefix a DNS
 * subdomain, the name at most 63 characters of letters, digits, `-`, `_`, `.`), or undefined.
 */
export function qualifiedNameProblem(key: string): string | undefined {
  if (key.length === 0) return 'must not be empty';
  const slash = key.lastIndexOf('/');
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (slash >= 0) {
    const prefix = key.slice(0, slash);
    if (prefix.length === 0 || dnsSubdomainProblem(prefix)) return `has an invalid prefix "${prefix}" (a DNS subdomain such as "example.com")`;
  }
  if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME.test(name)) {
    return 'must be [prefix/]name, the name at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit';
  }
  return undefined;
}

/** Why `value` is not a Kubernetes label value (at most 63 characters, may be empty), or undefined. */
export function labelValueProblem(value: string): string | undefined {
  if (value.length > 63) return `is ${value.length} characters long; a label value has at most 63`;
  if (value.length > 0 && !QUALIFIED_NAME.test(value)) return 'must consist of letters, digits, "-", "_" and ".", and start and end with a letter or digit';
  return undefined;
}

/** Kubernetes' limit on the total size of an object's annotations (keys and values), in bytes. */
export const MAX_ANNOTATIONS_BYTES = 256 * 1024;

/** Why an annotation map is too large for Kubernetes, or undefined. */
export function annotationsSizeProblem(annotations: Readonly<Record<string, string>>): string | undefined {
  let size = 0;
  for (const [k, v] of Object.entries(annotations)) size += Buffer.byteLength(k) + Buffer.byteLength(v);
  return size > MAX_ANNOTATIONS_BYTES ? `total ${size} bytes; Kubernetes allows at most ${MAX_ANNOTATIONS_BYTES}` : undefined;
}
