import { dnsLabelProblem } from '../fleet/rules';

/** A reference to a namespaced Plural object by name. */
export interface NamespacedRef {
  /** Name of the object. */
  readonly name: string;
  /**
   * Namespace of the object.
   * @default "infra", where `plural up` puts its objects
   */
  readonly namespace?: string;
}

/** Namespace `plural up` puts Plural's namespaced objects in. */
export const DEFAULT_PLURAL_NAMESPACE = 'infra';

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Throws unless `name` is a valid object name (DNS-1123 subdomain, or label when `label`). */
export function checkObjectName(what: string, name: string, label = false): void {
  if (typeof name !== 'string' || name.length === 0) throw new Error(`${what}: metadata name is missing`);
  if (label) {
    const p = dnsLabelProblem(name);
    if (p) throw new Error(`${what}: name "${name}" ${p}`);
  } else if (name.length > 253 || !DNS_SUBDOMAIN.test(name)) {
    throw new Error(`${what}: name "${name}" must be a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", at most 253 characters)`);
  }
}

/** Throws unless `path` is a relative path inside the repository. */
export function checkRepoPath(what: string, field: string, path: string): void {
  if (typeof path !== 'string' || path.length === 0) throw new Error(`${what}: ${field} must not be empty`);
  if (path.startsWith('/') || path.split('/').includes('..')) {
    throw new Error(`${what}: ${field} "${path}" must be a path relative to the repository root, without ".."`);
  }
}

/** Returns the ref with the default namespace applied. */
export function ref(r: NamespacedRef): { name: string; namespace: string } {
  return { name: r.name, namespace: r.namespace ?? DEFAULT_PLURAL_NAMESPACE };
}
