/**
 * The connectivity probe's objects, the same whatever the target: per mesh (shared by its members) a
 * global Service per member, the peer list, the prober Job and the network policies; per cluster its
 * responder and its own name. The Job calls every other member through that member's Service, which
 * only the member itself backs, and fails naming the peers that did not answer.
 */
import { createHash } from 'crypto';
import { Construct } from 'constructs';
import type * as k8s from 'cdk8s-plus-30/lib/imports/k8s';
import { kube } from '../k8s/kube';
import { MeshService } from '../cilium/mesh-service';
import { CiliumNetworkPolicy } from '../cilium/network-policy';
import { peerSelector } from '../cilium/peer-selector';
import { Fleet } from '../fleet/fleet';
import { ResolvedProbe } from '../fleet/probe';
import { MeshPlan } from './plan';

/** The port the responder listens on. */
export const PROBE_PORT = 8080;
/** Labels of the probe's pods; `component` is `responder` or `prober`. */
export const PROBE_LABELS = { name: 'app.kubernetes.io/name', component: 'app.kubernetes.io/component', cluster: 'meshfleet.io/probe-cluster' } as const;
const NAME = 'meshfleet-probe';

/** The Service through which a member is probed: global, and backed only in that member. */
export function probeServiceName(cluster: string): string {
  return `probe-${cluster}`;
}

/** How long the prober keeps trying peers that do not answer yet (a new cluster, a rollout) before it fails. */
export const PROBE_PATIENCE_SECONDS = 1200;

/**
 * The prober's script: every peer but itself, in rounds every 15 s until each has answered once or the
 * patience is spent; then it logs a line per unreachable peer and exits 1 when any.
 */
function script(timeout: number): string {
  return [
    'self=$(cat /etc/probe/self/cluster)',
    'pending=""',
    'for peer in $(cat /etc/probe/peers/peers); do [ "$peer" = "$self" ] || pending="$pending $peer"; done',
    `deadline=$(( $(date +%s) + ${PROBE_PATIENCE_SECONDS} ))`,
    'while :; do',
    '  left=""',
    '  for peer in $pending; do',
    `    if wget -q -T ${timeout} -O /dev/null "http://probe-$peer:${PROBE_PORT}/"; then echo "reached $peer"; else left="$left $peer"; fi`,
    '  done',
    '  pending="$left"',
    '  [ -z "$pending" ] && break',
    '  [ "$(date +%s)" -ge "$deadline" ] && break',
    '  sleep 15',
    'done',
    'for peer in $pending; do echo "UNREACHABLE $peer"; done',
    'if [ -n "$pending" ]; then echo "cluster $self cannot reach:$pending"; exit 1; fi',
    'echo "cluster $self reaches every peer of its mesh"',
  ].join('\n');
}

const SECURITY: k8s.SecurityContext = {
  runAsNonRoot: true,
  runAsUser: 65534,
  runAsGroup: 65534,
  readOnlyRootFilesystem: true,
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};
function resources(): k8s.ResourceRequirements {
  const { Quantity } = kube();
  return {
    requests: { cpu: Quantity.fromString('10m'), memory: Quantity.fromString('16Mi') },
    limits: { cpu: Quantity.fromString('100m'), memory: Quantity.fromString('32Mi') },
  };
}

/** The name of a mesh's prober Job: it changes with the peer list (and image, and script), so a changed mesh is probed again. */
export function probeJobName(probe: ResolvedProbe, mesh: MeshPlan): string {
  const hash = createHash('sha256').update(JSON.stringify([mesh.clusters.map((c) => c.name), probe.image, script(probe.timeoutSeconds)])).digest('hex');
  return `mesh-probe-${hash.slice(0, 10)}`;
}

/** Adds what every member of `mesh` gets: a Service per member, the peer list, the responder's page, the Job and (opt-in) the policies. */
export function addMeshProbe(scope: Construct, fleet: Fleet, mesh: MeshPlan): void {
  const probe = fleet.probe!;
  const ns = probe.namespace;
  const members = mesh.clusters.map((c) => c.name);
  for (const m of members) {
    new MeshService(scope, `Service-${m}`, {
      name: probeServiceName(m),
      namespace: ns,
      selector: { [PROBE_LABELS.name]: NAME, [PROBE_LABELS.component]: 'responder', [PROBE_LABELS.cluster]: m },
      ports: [{ name: 'http', port: PROBE_PORT }],
      labels: { [PROBE_LABELS.name]: NAME },
    });
  }
  new (kube().KubeConfigMap)(scope, 'Peers', {
    metadata: { name: 'probe-peers', namespace: ns, labels: { [PROBE_LABELS.name]: NAME } },
    data: { peers: members.join(' ') },
  });
  new (kube().KubeConfigMap)(scope, 'Page', {
    metadata: { name: 'probe-www', namespace: ns, labels: { [PROBE_LABELS.name]: NAME } },
    data: { 'index.html': 'meshfleet probe\n' },
  });
  const prober = { [PROBE_LABELS.name]: NAME, [PROBE_LABELS.component]: 'prober' };
  new (kube().KubeJob)(scope, 'Job', {
    metadata: { name: probeJobName(probe, mesh), namespace: ns, labels: prober },
    spec: {
      backoffLimit: 0,
      // The script gives up after its patience; the deadline only bounds a hung pod.
      activeDeadlineSeconds: PROBE_PATIENCE_SECONDS + 120 + members.length * (probe.timeoutSeconds + 1) * 2,
      template: {
        metadata: { labels: prober },
        spec: {
          restartPolicy: 'Never',
          automountServiceAccountToken: false,
          containers: [{
            name: 'prober',
            image: probe.image,
            command: ['sh', '-c', script(probe.timeoutSeconds)],
            resources: resources(),
            securityContext: SECURITY,
            volumeMounts: [{ name: 'peers', mountPath: '/etc/probe/peers' }, { name: 'self', mountPath: '/etc/probe/self' }],
          }],
          volumes: [{ name: 'peers', configMap: { name: 'probe-peers' } }, { name: 'self', configMap: { name: 'probe-self' } }],
        },
      },
    },
  });
  if (!probe.networkPolicies) return;
  const responder = { [PROBE_LABELS.name]: NAME, [PROBE_LABELS.component]: 'responder' };
  new CiliumNetworkPolicy(scope, 'ResponderPolicy', {
    metadata: { name: 'probe-responder', namespace: ns },
    description: `meshfleet probe: the responder admits only the probers of mesh ${mesh.name}`,
    endpointSelector: { matchLabels: responder },
    ingress: [{ fromEndpoints: [peerSelector({ labels: prober, clusters: members, namespace: ns })], toPorts: [{ ports: [{ port: String(PROBE_PORT), protocol: 'TCP' }] }] }],
  });
  new CiliumNetworkPolicy(scope, 'ProberPolicy', {
    metadata: { name: 'probe-prober', namespace: ns },
    description: `meshfleet probe: the prober reaches only the responders of mesh ${mesh.name}, and DNS`,
    endpointSelector: { matchLabels: prober },
    egress: [
      { toEndpoints: [peerSelector({ labels: responder, clusters: members, namespace: ns })], toPorts: [{ ports: [{ port: String(PROBE_PORT), protocol: 'TCP' }] }] },
      {
        // kube-dns is never a global Service, so its traffic stays in the cluster whichever cluster the selector names.
        toEndpoints: [peerSelector({ labels: { 'k8s-app': 'kube-dns' }, clusters: 'all', namespace: 'kube-system' })],
        toPorts: [{ ports: [{ port: '53', protocol: 'UDP' }, { port: '53', protocol: 'TCP' }] }],
      },
    ],
  });
}

/**
 * What one cluster gets of its own: its responder (labelled with its name, so only its own Service
 * selects it) and a ConfigMap naming it (the prober skips itself). `V` is how a target writes the
 * cluster's name: the name itself, or an engine's template expression rendered per cluster.
 */
export function probeClusterManifests<V>(probe: ResolvedProbe, cluster: V): Array<Record<string, unknown>> {
  const labels = { [PROBE_LABELS.name]: NAME, [PROBE_LABELS.component]: 'responder', [PROBE_LABELS.cluster]: cluster };
  return [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'probe-self', namespace: probe.namespace, labels: { [PROBE_LABELS.name]: NAME } },
      data: { cluster },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'probe-responder', namespace: probe.namespace, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            containers: [{
              name: 'responder',
              image: probe.image,
              command: ['httpd', '-f', '-p', String(PROBE_PORT), '-h', '/www'],
              ports: [{ name: 'http', containerPort: PROBE_PORT, protocol: 'TCP' }],
              readinessProbe: { httpGet: { path: '/', port: PROBE_PORT }, periodSeconds: 10 },
              resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '32Mi' } },
              securityContext: { ...SECURITY },
              volumeMounts: [{ name: 'www', mountPath: '/www', readOnly: true }],
            }],
            volumes: [{ name: 'www', configMap: { name: 'probe-www' } }],
          },
        },
      },
    },
  ];
}
