/** Checks and references shared by the Plural L2 constructs. */
import { dnsLabelProblem, DNS_SUBDOMAIN } from '../k8s/names';

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

/** Throws unless `namespace` is a valid namespace name (DNS label). */
export function checkNamespace(what: string, field: string, namespace: string): void {
  if (typeof namespace !== 'string' || namespace.length === 0) throw new Error(`${what}: ${field} must not be empty`);
  const p = dnsLabelProblem(namespace);
  if (p) throw new Error(`${what}: ${field} "${namespace}" ${p}`);
}

/** Throws unless `name`, the name of a referenced object, is a non-empty DNS-1123 subdomain. */
export function checkRefName(what: string, field: string, name: string): void {
  if (typeof name !== 'string' || name.length === 0) throw new Error(`${what}: ${field} must not be empty`);
  if (name.length > 253 || !DNS_SUBDOMAIN.test(name)) {
    throw new Error(`${what}: ${field} "${name}" must be a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", at most 253 characters)`);
  }
}

/**
 * Throws unless `r` names an object validly: a non-empty DNS-1123 subdomain name and, when
 * given, a DNS-label namespace. `field` names the ref in messages (`repository`, `cluster`).
 */
export function checkRef(what: string, field: string, r: NamespacedRef): void {
  if (r === undefined || r === null || typeof r !== 'object') throw new Error(`${what}: ${field} is required`);
  checkRefName(what, `${field}.name`, r.name);
  if (r.namespace !== undefined) checkNamespace(what, `${field}.namespace`, r.namespace);
}

/** Throws unless `gitRef` (a branch, tag or commit) is non-empty when given. */
export function checkGitRef(what: string, gitRef: string | undefined): void {
  if (gitRef !== undefined && (typeof gitRef !== 'string' || gitRef.trim().length === 0)) {
    throw new Error(`${what}: git ref must not be empty`);
  }
}

/** Returns the ref with the default namespace applied. */
export function ref(r: NamespacedRef): { name: string; namespace: string } {
  return { name: r.name, namespace: r.namespace ?? DEFAULT_PLURAL_NAMESPACE };
}
