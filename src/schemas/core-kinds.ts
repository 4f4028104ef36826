/** The built-in Kubernetes kinds that get structural checks (no schema here): names, metadata, Secret and ConfigMap data, Service ports (a Job's restart policy). */
import { dnsLabelProblem, dnsSubdomainProblem, labelValueProblem, qualifiedNameProblem } from '../k8s/names';
import { fmtValue, isPlainObject, ptr } from './k8s-schema';

/** A built-in Kubernetes kind (no schema, structural checks only). */
export interface CoreKind {
  readonly clusterScoped: boolean;
  readonly name: NameRule;
}

export type NameRule = 'subdomain' | 'label' | 'dns1035' | 'path-segment';

export const CORE_KINDS: Record<string, Record<string, CoreKind>> = {
  'v1': {
    Namespace: { clusterScoped: true, name: 'label' },
    Secret: { clusterScoped: false, name: 'subdomain' },
    ConfigMap: { clusterScoped: false, name: 'subdomain' },
    Service: { clusterScoped: false, name: 'dns1035' },
    ServiceAccount: { clusterScoped: false, name: 'subdomain' },
    Pod: { clusterScoped: false, name: 'subdomain' },
    PersistentVolumeClaim: { clusterScoped: false, name: 'subdomain' },
    PersistentVolume: { clusterScoped: true, name: 'subdomain' },
    Endpoints: { clusterScoped: false, name: 'subdomain' },
    LimitRange: { clusterScoped: false, name: 'subdomain' },
    ResourceQuota: { clusterScoped: false, name: 'subdomain' },
  },
  'apps/v1': {
    Deployment: { clusterScoped: false, name: 'subdomain' },
    StatefulSet: { clusterScoped: false, name: 'subdomain' },
    DaemonSet: { clusterScoped: false, name: 'subdomain' },
    ReplicaSet: { clusterScoped: false, name: 'subdomain' },
  },
  'batch/v1': {
    // A Job's name becomes its pods' job-name label value: a DNS label.
    Job: { clusterScoped: false, name: 'label' },
    CronJob: { clusterScoped: false, name: 'label' },
  },
  'rbac.authorization.k8s.io/v1': {
    Role: { clusterScoped: false, name: 'path-segment' },
    RoleBinding: { clusterScoped: false, name: 'path-segment' },
    ClusterRole: { clusterScoped: true, name: 'path-segment' },
    ClusterRoleBinding: { clusterScoped: true, name: 'path-segment' },
  },
  'networking.k8s.io/v1': {
    NetworkPolicy: { clusterScoped: false, name: 'subdomain' },
    Ingress: { clusterScoped: false, name: 'subdomain' },
    IngressClass: { clusterScoped: true, name: 'subdomain' },
  },
};

const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const IANA_SVC_NAME = /^(?=.*[a-z])[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

function checkName(value: string, rule: NameRule): string | undefined {
  switch (rule) {
    case 'label':
      return dnsLabelProblem(value) === undefined ? undefined
        : 'is not a valid DNS-1123 label (lowercase alphanumerics and \'-\', starting and ending alphanumeric, at most 63 characters)';
    case 'dns1035':
      return value.length <= 63 && DNS1035_LABEL.test(value) ? undefined
        : 'is not a valid DNS-1035 label (lowercase alphanumerics and \'-\', starting with a letter, ending alphanumeric, at most 63 characters)';
    case 'path-segment':
      return value !== '.' && value !== '..' && !/[/%]/.test(value) ? undefined
        : 'is not a valid path segment name (must not be "." or ".." or contain "/" or "%")';
    default:
      return dnsSubdomainProblem(value) === undefined ? undefined
        : 'is not a valid DNS-1123 subdomain (lowercase alphanumerics, \'-\' and \'.\', starting and ending alphanumeric, at most 253 characters)';
  }
}

export function checkMetadata(md: unknown, rule: NameRule): string[] {
  if (md === undefined) return ['/metadata is required'];
  if (!isPlainObject(md)) return ['/metadata must be object'];
  const errors: string[] = [];
  if (md.name === undefined || md.name === '') {
    errors.push('/metadata/name is required' + (md.generateName ? ' (generateName cannot be applied by GitOps tools)' : ''));
  } else if (typeof md.name !== 'string') {
    errors.push('/metadata/name must be string');
  } else {
    const bad = checkName(md.name, rule);
    if (bad) errors.push(`/metadata/name ${fmtValue(md.name)} ${bad}`);
  }
  if (md.namespace !== undefined) {
    if (typeof md.namespace !== 'string') errors.push('/metadata/namespace must be string');
    else if (md.namespace !== '') {
      const bad = checkName(md.namespace, 'label');
      if (bad) errors.push(`/metadata/namespace ${fmtValue(md.namespace)} ${bad}`);
    }
  }
  for (const field of ['labels', 'annotations'] as const) {
    const m = md[field];
    if (m === undefined || m === null) continue;
    if (!isPlainObject(m)) { errors.push(`/metadata/${field} must be object`); continue; }
    for (const [k, v] of Object.entries(m)) {
      const at = `/metadata/${field}${ptr(k)}`;
      if (qualifiedNameProblem(k)) errors.push(`${at}: key ${fmtValue(k)} is not a valid qualified name ([prefix/]name, name at most 63 characters)`);
      if (typeof v !== 'string') errors.push(`${at} must be string (got ${fmtValue(v)}; quote it in YAML)`);
      else if (field === 'labels' && labelValueProblem(v)) {
        errors.push(`${at} ${fmtValue(v)} is not a valid label value (alphanumerics, '-', '_' and '.', starting and ending alphanumeric, at most 63 characters)`);
      }
    }
  }
  return errors;
}

function checkStringMap(obj: Record<string, unknown>, field: string, base64: boolean): string[] {
  const m = obj[field];
  if (m === undefined || m === null) return [];
  if (!isPlainObject(m)) return [`/${field} must be object`];
  const errors: string[] = [];
  for (const [k, v] of Object.entries(m)) {
    const at = `/${field}${ptr(k)}`;
    if (k.length > 253 || !CONFIG_KEY.test(k)) errors.push(`${at}: key ${fmtValue(k)} is not a valid config key (alphanumerics, '-', '_' and '.')`);
    if (typeof v !== 'string') errors.push(`${at} must be string (got ${fmtValue(v)})`);
    else if (base64 && !BASE64.test(v.replace(/[\r\n]/g, ''))) errors.push(`${at} must be base64-encoded`);
  }
  return errors;
}

function checkPort(v: unknown, at: string, allowName: boolean): string[] {
  if (typeof v === 'number') {
    return Number.isInteger(v) && v >= 1 && v <= 65535 ? [] : [`${at} must be an integer in 1..65535 (got ${fmtValue(v)})`];
  }
  if (allowName && typeof v === 'string') {
    return v.length <= 15 && IANA_SVC_NAME.test(v) ? [] : [`${at} must be a port number or an IANA service name (got ${fmtValue(v)})`];
  }
  return [`${at} must be ${allowName ? 'integer or string' : 'integer'} (got ${fmtValue(v)})`];
}

export function checkCoreKind(apiVersion: string, kind: string, obj: Record<string, unknown>): string[] {
  const errors: string[] = [];
  if (apiVersion === 'batch/v1' && kind === 'Job') {
    const policy = ((obj.spec as Record<string, any> | undefined)?.template?.spec?.restartPolicy);
    if (policy !== 'Never' && policy !== 'OnFailure') errors.push(`/spec/template/spec/restartPolicy must be "Never" or "OnFailure" (got ${fmtValue(policy)})`);
    return errors;
  }
  if (apiVersion !== 'v1') return errors;
  if (kind === 'Secret') {
    errors.push(...checkStringMap(obj, 'data', true), ...checkStringMap(obj, 'stringData', false));
    if (obj.type !== undefined && typeof obj.type !== 'string') errors.push('/type must be string');
  } else if (kind === 'ConfigMap') {
    errors.push(...checkStringMap(obj, 'data', false), ...checkStringMap(obj, 'binaryData', true));
  } else if (kind === 'Service') {
    const spec = obj.spec;
    if (spec === undefined) return errors;
    if (!isPlainObject(spec)) return ['/spec must be object'];
    if (spec.type !== undefined && !['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'].includes(spec.type as string)) {
      errors.push(`/spec/type must be one of "ClusterIP", "NodePort", "LoadBalancer", "ExternalName" (got ${fmtValue(spec.type)})`);
    }
    if (spec.ports === undefined) return errors;
    const ports: unknown = spec.ports;
    if (!Array.isArray(ports)) return [...errors, '/spec/ports must be array'];
    const names = new Set<string>();
    ports.forEach((p, i) => {
      const at = `/spec/ports/${i}`;
      if (!isPlainObject(p)) { errors.push(`${at} must be object`); return; }
      if (p.port === undefined) errors.push(`${at} must have required property 'port'`);
      else errors.push(...checkPort(p.port, `${at}/port`, false));
      if (p.targetPort !== undefined) errors.push(...checkPort(p.targetPort, `${at}/targetPort`, true));
      if (p.nodePort !== undefined) errors.push(...checkPort(p.nodePort, `${at}/nodePort`, false));
      if (p.protocol !== undefined && !['TCP', 'UDP', 'SCTP'].includes(p.protocol as string)) {
        errors.push(`${at}/protocol must be one of "TCP", "UDP", "SCTP" (got ${fmtValue(p.protocol)})`);
      }
      if (p.name === undefined || p.name === '') {
        if (ports.length > 1) errors.push(`${at}/name is required when a Service has more than one port`);
      } else if (typeof p.name !== 'string' || dnsLabelProblem(p.name)) {
        errors.push(`${at}/name ${fmtValue(p.name)} is not a valid DNS-1123 label`);
      } else if (names.has(p.name)) {
        errors.push(`${at}/name ${fmtValue(p.name)} is a duplicate`);
      } else {
        names.add(p.name);
      }
    });
  }
  return errors;
}
