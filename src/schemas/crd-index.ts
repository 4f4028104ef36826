/** Finding kinds in the shared folder: CRD headers (group, kind, scope, versions), JSON schemas converted from CRDs, Kubernetes version order. */
import * as fs from 'fs';
import * as path from 'path';
import * as semver from 'semver';
import { isPlainObject } from './k8s-schema';

/** A CRD document's group, kind, scope and versions. */
export interface CrdHeader {
  readonly group: string;
  readonly kind: string;
  readonly scope?: string;
  readonly versions: ReadonlyArray<{ readonly name: string; readonly served: boolean }>;
}

/**
 * Scopes of cilium.io kinds. The JSON schemas in `schemas/` are converted from live CRDs and
 * lose `spec.scope`, so the scope is taken from this table (Cilium's `pkg/k8s/apis/cilium.io`).
 */
export const CILIUM_SCOPES: Record<string, boolean> = {
  CiliumNetworkPolicy: false,
  CiliumClusterwideNetworkPolicy: true,
  CiliumLoadBalancerIPPool: true,
  CiliumEndpoint: false,
  CiliumEndpointSlice: true,
  CiliumNode: true,
  CiliumIdentity: true,
  CiliumExternalWorkload: true,
  CiliumLocalRedirectPolicy: false,
  CiliumEgressGatewayPolicy: true,
  CiliumEnvoyConfig: false,
  CiliumClusterwideEnvoyConfig: true,
  CiliumCIDRGroup: true,
  CiliumL2AnnouncementPolicy: true,
  CiliumPodIPPool: true,
  CiliumNodeConfig: false,
  CiliumBGPClusterConfig: true,
  CiliumBGPPeerConfig: true,
  CiliumBGPAdvertisement: true,
  CiliumBGPNodeConfig: true,
  CiliumBGPNodeConfigOverride: true,
};

/** Directory-name prefixes of `schemas/<prefix>-<version>/` mapped to API groups. */
const SCHEMA_DIR_GROUPS: Record<string, string> = { cilium: 'cilium.io' };

export function listFiles(dir: string, filter: (f: string) => boolean): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const ent of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, ent.name);
    if (ent.isDirectory()) out.push(...listFiles(full, filter));
    else if (filter(ent.name)) out.push(full);
  }
  return out;
}

export function crdHeader(js: unknown): CrdHeader | undefined {
  if (!isPlainObject(js) || js.kind !== 'CustomResourceDefinition' || !isPlainObject(js.spec)) return undefined;
  const spec = js.spec;
  const names = isPlainObject(spec.names) ? spec.names : {};
  if (typeof spec.group !== 'string' || typeof names.kind !== 'string') return undefined;
  const versions = Array.isArray(spec.versions)
    ? spec.versions.filter(isPlainObject).map((v) => ({ name: String(v.name), served: v.served !== false }))
    : typeof spec.version === 'string' ? [{ name: spec.version, served: true }] : [];
  if (versions.length === 0) return undefined;
  return { group: spec.group, kind: names.kind, scope: typeof spec.scope === 'string' ? spec.scope : undefined, versions };
}

/** Finds group, version and kind of a JSON schema converted from a CRD. */
export function gvkOfJsonSchema(schema: Record<string, unknown>, file: string): { group: string; version: string; kind: string } | undefined {
  const gvkExt = schema['x-kubernetes-group-version-kind'];
  const g0 = Array.isArray(gvkExt) ? gvkExt[0] : gvkExt;
  if (isPlainObject(g0) && typeof g0.kind === 'string' && typeof g0.version === 'string') {
    return { group: String(g0.group ?? ''), version: g0.version, kind: g0.kind };
  }
  const props = isPlainObject(schema.properties) ? schema.properties : {};
  const fixed = (p: unknown): string | undefined => {
    if (!isPlainObject(p)) return undefined;
    if (typeof p.const === 'string') return p.const;
    if (Array.isArray(p.enum) && p.enum.length === 1 && typeof p.enum[0] === 'string') return p.enum[0];
    return undefined;
  };
  const base = path.basename(file, '.json');
  const m = /^([a-z0-9]+)_(v[0-9a-z]+)$/.exec(base);
  const av = fixed(props.apiVersion);
  let kind = fixed(props.kind);
  let group: string | undefined;
  let version: string | undefined;
  if (av) {
    const i = av.lastIndexOf('/');
    group = i < 0 ? '' : av.slice(0, i);
    version = i < 0 ? av : av.slice(i + 1);
  }
  if (!kind && m && typeof schema.description === 'string') {
    // "CiliumNetworkPolicy is a ..." names the kind in its own spelling
    const first = /^\s*([A-Za-z0-9]+)/.exec(schema.description)?.[1];
    if (first && first.toLowerCase() === m[1]) kind = first;
  }
  if (version === undefined && m) version = m[2];
  if (group === undefined) {
    const dir = path.basename(path.dirname(file));
    const prefix = dir.replace(/-v?\d+(\.\d+)*$/, '');
    group = prefix.includes('.') ? prefix : SCHEMA_DIR_GROUPS[prefix];
  }
  if (!kind || !version || group === undefined) return undefined;
  return { group, version, kind };
}

/** Orders chart versions (`1.18.1` before `1.19.6`) with semver; anything else after them, by name. */
export function compareVersions(a: string, b: string): number {
  const va = semver.valid(a);
  const vb = semver.valid(b);
  if (va && vb) return semver.compare(va, vb);
  if (va || vb) return va ? -1 : 1;
  return a.localeCompare(b);
}
