/**
 * The local profile (`--target local`): the clusters of one mesh as kind clusters on a laptop. Writes the
 * kind configurations (default CNI off, pod and service subnets that do not overlap), Cilium values per
 * cluster (NodePort clustermesh-apiserver, peers by node IP at run time), the mesh's CA issuer (its CA is
 * created at run time, never written to Git), an echo Service for the connectivity check, and a script
 * that prints the kind, helm and kubectl commands in order. Nothing here runs anything.
 */
import { ClusterSelection } from '../target';
import { ApiObject, ApiObjectProps } from 'cdk8s';
import { Construct } from 'constructs';
import { kube } from '../../k8s/kube';
import { ClusterIssuer } from '../../../imports/cert-manager-clusterissuer-cert-manager.io';
import { APISERVER_DEFAULT_NODE_PORT, ciliumMeshValues, meshIssuerValues } from '../../cilium/values';
import { MeshCa } from '../../fleet/cilium';
import { Fleet, MeshCluster } from '../../fleet/fleet';
import { PROBE_IMAGE } from '../../fleet/probe';
import { ManifestFile, renderFiles, TextFile, YamlFile } from '../../gitops/files';
import { TreeApp } from '../../gitops/tree-app';
import { Cidr, cidrsOverlap, parseCidr } from '../../k8s/cidr';
import { mergeValues } from '../../k8s/yaml';
import { LocalLayout } from './layout';

/** The image of the echo server and the curl pod: the probe's pinned busybox. */
const ECHO_IMAGE = PROBE_IMAGE;
/** The cert-manager release the printed steps install. */
export const CERT_MANAGER_VERSION = 'v1.16.2';

/** Which clusters the local profile brings up: a mesh, or clusters of one mesh (at least two); the Target interface's selection. */
export type LocalSelection = ClusterSelection;

/** The clusters chosen, all of one mesh; throws naming what is wrong. */
export function localClusters(fleet: Fleet, sel: LocalSelection = {}): MeshCluster[] {
  if (sel.clusters && sel.clusters.length > 0) {
    const chosen = sel.clusters.map((n) => fleet.cluster(n));
    const meshes = [...new Set(chosen.map((c) => c.mesh))];
    if (meshes.length > 1) throw new Error(`--clusters names clusters of ${meshes.length} meshes (${meshes.join(', ')}); a local mesh is one mesh`);
    if (chosen.length < 2) throw new Error('--clusters must name two or more clusters of one mesh');
    return chosen;
  }
  const mesh = sel.mesh !== undefined ? fleet.mesh(sel.mesh) : fleet.meshes.find((m) => m.clusters.length > 1);
  if (!mesh) throw new Error(`fleet "${fleet.name}": no mesh of two or more clusters to bring up locally`);
  if (mesh.clusters.length < 2) throw new Error(`mesh "${mesh.name}" has one cluster; a local mesh needs two or more (give another --mesh, or --clusters)`);
  return [...mesh.clusters];
}

/** Pod and service subnets per cluster: the fleet's pod CIDR when given, otherwise free /16s of 10.0.0.0/8; none overlaps another. */
export function localSubnets(clusters: readonly MeshCluster[]): Map<string, { pod: string; service: string }> {
  const used: Cidr[] = clusters.map((c) => (c.podCidr ? parseCidr(c.podCidr) : undefined)).filter((x): x is Cidr => typeof x === 'object');
  let next = 100;
  const free = (): string => {
    for (; next < 256; next++) {
      const text = `10.${next}.0.0/16`;
      const cidr = parseCidr(text) as Cidr;
      if (!used.some((u) => cidrsOverlap(u, cidr))) {
        used.push(cidr);
        next++;
        return text;
      }
    }
    throw new Error('no free /16 left in 10.0.0.0/8 for the local clusters');
  };
  const out = new Map<string, { pod: string; service: string }>();
  for (const c of clusters) out.set(c.name, { pod: c.podCidr ?? free(), service: '' });
  for (const c of clusters) out.get(c.name)!.service = free();
  return out;
}

/** The Cilium values of one local cluster: its identity, the mesh's shared values for kind, the mesh's issuer. */
export function localCiliumValues(fleet: Fleet, cluster: MeshCluster, ca: MeshCa): Record<string, unknown> {
  // Whatever the clusters' platforms, kind is bare metal on a laptop: tunnel routing, the apiserver on a node port.
  const shared = mergeValues(ciliumMeshValues({
    minor: fleet.cilium.minor,
    maxConnectedClusters: fleet.cilium.maxConnectedClusters,
    // MCS-API's CoreDNS job needs CoreDNS 1.12.2, which kind's images may not have: off locally.
    mcsApi: false,
    endpointSliceSync: fleet.cilium.endpointSliceSync,
    policyDefaultLocalCluster: fleet.cilium.policyDefaultLocalCluster,
  }), { clustermesh: { apiserver: { service: { nodePort: APISERVER_DEFAULT_NODE_PORT, type: 'NodePort' } } } });
  // Pods get addresses from each node's PodCIDR (kind's podSubnet), so clusters never overlap.
  const identity = { cluster: { name: cluster.name, id: cluster.id } };
  const kind = { ipam: { mode: 'kubernetes' } };
  return mergeValues(mergeValues(mergeValues(identity, kind), mergeValues(shared, kind)), meshIssuerValues(ca.issuer)) as Record<string, unknown>;
}

/** The peer list of a local mesh, by node IP (`ips`); the printed steps fill the IPs in at run time. */
export function localPeerValues(clusters: readonly MeshCluster[], ipOf: (cluster: string) => string): Record<string, unknown> {
  return { clustermesh: { config: { clusters: clusters.map((c) => ({ name: c.name, port: APISERVER_DEFAULT_NODE_PORT, ips: [ipOf(c.name)] })) } } };
}

function shellVar(cluster: string): string {
  return `IP_${cluster.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/**
 * A word for a POSIX shell: as it is when it holds only characters no shell treats specially, else in
 * single quotes (a quote inside becomes '\''). Every value the printed steps interpolate goes through this.
 */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9@%+=:,./_-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

function steps(fleet: Fleet, clusters: readonly MeshCluster[], ca: MeshCa, layout: LocalLayout): string {
  const q = shellQuote;
  const mesh = clusters[0].mesh;
  const names = clusters.map((c) => c.name);
  const ctx = (c: string) => `--context ${q(`kind-${c}`)}`;
  const peers = localPeerValues(clusters, (c) => `$${shellVar(c)}`);
  const entries = (peers.clustermesh as { config: { clusters: Array<{ name: string; port: number; ips: string[] }> } }).config.clusters;
  // YAML inside an unquoted here-document: names are DNS labels (no "$", "`" or "\"), JSON-quoted all the same.
  const peerYaml = entries.map((p) => `      - name: ${JSON.stringify(p.name)}\n        port: ${p.port}\n        ips: [${p.ips[0]}]`).join('\n');
  const rel = (p: string) => q(p.slice(layout.root.length + 1));
  // An oci:// chart location is installed from directly (`helm repo add` takes only http(s) repositories).
  const oci = fleet.cilium.chartUrl.startsWith('oci://');
  const chart = oci ? q(`${fleet.cilium.chartUrl.replace(/\/$/, '')}/cilium`) : 'cilium/cilium';
  return `#!/usr/bin/env bash
# Generated by meshfleet; do not edit. Change the fleet description and run \`meshfleet synth --target local\`.
# Prints, and does not run, the commands that bring mesh "${mesh}" of fleet "${fleet.name}" up as kind clusters
# (Docker, kind, kubectl, helm and openssl needed). Run them yourself, in order, from this folder:
#   bash ${rel(layout.steps)} | less
cat <<'STEPS'
# 1. The kind clusters: default CNI off, pod and service subnets that do not overlap.
${names.map((c) => `kind create cluster --config ${rel(layout.kindConfig(c))}`).join('\n')}

# 2. cert-manager's CRDs (Cilium's Certificates need the kind to exist); its pods come once Cilium gives them a network.
${names.map((c) => `kubectl ${ctx(c)} apply -f https://github.com/cert-manager/cert-manager/releases/download/${CERT_MANAGER_VERSION}/cert-manager.crds.yaml`).join('\n')}

# 3. The mesh's CA, created here and never committed: one CA for every cluster of the mesh.
CA_DIR=$(mktemp -d)
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj ${q(`/CN=meshfleet local ${mesh} CA`)} -keyout "$CA_DIR/ca.key" -out "$CA_DIR/ca.crt"

# 4. Each cluster's node IP, which its peers dial (the clustermesh-apiserver is a NodePort, ${APISERVER_DEFAULT_NODE_PORT}).
${names.map((c) => `${shellVar(c)}=$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' ${q(`${c}-control-plane`)})`).join('\n')}
cat > "$CA_DIR/peers.yaml" <<EOF
clustermesh:
  config:
    clusters:
${peerYaml}
EOF

# 5. Cilium ${fleet.cilium.version} in every cluster, with its own values and the mesh's peer list.
${oci ? '# (an OCI registry: helm installs from it directly, no repository to add)' : `helm repo add cilium ${q(fleet.cilium.chartUrl)} && helm repo update cilium`}
${names.map((c) => `helm install cilium ${chart} --version ${q(fleet.cilium.version)} --kube-context ${q(`kind-${c}`)} -n kube-system -f ${rel(layout.ciliumValues(c))} -f "$CA_DIR/peers.yaml"`).join('\n')}

# 6. cert-manager, then the mesh's CA Secret and issuer (Cilium's certificates are issued from then on).
helm repo add jetstack https://charts.jetstack.io && helm repo update jetstack
${names.map((c) => `helm install cert-manager jetstack/cert-manager --version ${CERT_MANAGER_VERSION} --kube-context ${q(`kind-${c}`)} -n cert-manager --create-namespace --wait`).join('\n')}
${names.map((c) => `kubectl ${ctx(c)} -n ${q(ca.namespace)} create secret tls ${q(ca.issuerSecret)} --cert "$CA_DIR/ca.crt" --key "$CA_DIR/ca.key"\nkubectl ${ctx(c)} apply -f ${rel(layout.issuer)}`).join('\n')}
${names.map((c) => `kubectl ${ctx(c)} -n kube-system rollout status deployment/clustermesh-apiserver --timeout=5m`).join('\n')}

# 7. Connectivity check: a global echo Service in ${names[0]} (with its backend) and in ${names[1] ?? names[0]} (the same name, no
#    backend: a cluster reaches a global Service only through a Service of its own), then a request from ${names[1] ?? names[0]}.
kubectl ${ctx(names[0])} apply -f ${rel(layout.echoServer)}
${names.slice(1).map((c) => `kubectl ${ctx(c)} apply -f ${rel(layout.echoService)}`).join('\n')}
kubectl ${ctx(names[0])} rollout status deployment/echo --timeout=2m
#    The mesh connects within a minute or two of the last install: the request is retried until then.
for try in $(seq 1 30); do kubectl ${ctx(names[1] ?? names[0])} run curl --rm -i --restart=Never --image=${q(ECHO_IMAGE)} -- wget -qO- -T 5 http://echo.default.svc.cluster.local:8080/ && break; sleep 10; done
#    prints "${names[0]}": the answer came through the mesh.

# Clean up: rm -rf "$CA_DIR"; ${names.map((c) => `kind delete cluster --name ${q(c)}`).join('; ')}
STEPS
`;
}

/** Props of a `LocalMesh`. */
export interface LocalMeshProps {
  /** The fleet. */
  readonly fleet: Fleet;
  /** Which clusters come up. @default - every member of the first mesh of two or more clusters */
  readonly selection?: LocalSelection;
  /** Where files go. @default - `local/<fleet>/` */
  readonly layout?: LocalLayout;
}

/** Everything of the local profile of one mesh: kind configs, Cilium values, the issuer, the echo check and the printed steps. */
export class LocalMesh extends Construct {
  constructor(scope: Construct, id: string, props: LocalMeshProps) {
    super(scope, id);
    const { fleet } = props;
    const layout = props.layout ?? new LocalLayout(fleet.name);
    const clusters = localClusters(fleet, props.selection);
    const ca = fleet.meshCa(clusters[0].mesh);
    const subnets = localSubnets(clusters);
    for (const c of clusters) {
      const net = subnets.get(c.name)!;
      new YamlFile(this, `Kind-${c.name}`, {
        path: layout.kindConfig(c.name),
        comment: `kind cluster "${c.name}": no default CNI (Cilium is installed next), subnets apart from every other cluster of the mesh.`,
        values: {
          kind: 'Cluster',
          apiVersion: 'kind.x-k8s.io/v1alpha4',
          name: c.name,
          networking: { disableDefaultCNI: true, podSubnet: net.pod, serviceSubnet: net.service },
          nodes: [{ role: 'control-plane' }, { role: 'worker' }],
        },
      });
      new YamlFile(this, `Cilium-${c.name}`, {
        path: layout.ciliumValues(c.name),
        comment: `Cilium ${fleet.cilium.version} values of "${c.name}" on kind; the peer list (node IPs) is added at run time (steps.sh).`,
        values: localCiliumValues(fleet, c, ca),
      });
    }
    new ClusterIssuer(new ManifestFile(this, 'Issuer', { path: layout.issuer }), 'Issuer', {
      metadata: { name: ca.issuer },
      spec: { ca: { secretName: ca.issuerSecret } },
    });
    const labels = { app: 'echo' };
    const server = new ManifestFile(this, 'EchoServer', { path: layout.echoServer });
    new (kube().KubeConfigMap)(server, 'Page', { metadata: { name: 'echo-page', namespace: 'default' }, data: { 'index.html': `${clusters[0].name}\n` } });
    new (kube().KubeDeployment)(server, 'Echo', {
      metadata: { name: 'echo', namespace: 'default', labels },
      spec: {
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            containers: [{
              name: 'echo', image: ECHO_IMAGE, command: ['httpd', '-f', '-p', '8080', '-h', '/www'],
              ports: [{ containerPort: 8080 }],
              securityContext: { runAsNonRoot: true, runAsUser: 65534, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false },
              resources: { limits: { cpu: kube().Quantity.fromString('100m'), memory: kube().Quantity.fromString('32Mi') } },
              volumeMounts: [{ name: 'www', mountPath: '/www' }],
            }],
            volumes: [{ name: 'www', configMap: { name: 'echo-page' } }],
          },
        },
      },
    });
    const echoService = (file: Construct) => new ApiObject(file, 'Service', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'echo', namespace: 'default', annotations: { 'service.cilium.io/global': 'true' } },
      spec: { selector: labels, ports: [{ name: 'http', port: 8080, targetPort: 8080, protocol: 'TCP' }] },
    } as ApiObjectProps);
    echoService(server);
    echoService(new ManifestFile(this, 'EchoService', { path: layout.echoService }));
    new TextFile(this, 'Steps', { path: layout.steps, header: '', text: steps(fleet, clusters, ca, layout) });
  }
}

/** Synthesizes the local profile of a fleet's mesh in memory: path -> file content. */
export function synthLocalTree(fleet: Fleet, selection: LocalSelection = {}, layout: LocalLayout = new LocalLayout(fleet.name)): Map<string, string> {
  const app = new TreeApp();
  new LocalMesh(app, fleet.name, { fleet, selection, layout });
  return renderFiles(app);
}
