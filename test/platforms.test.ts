/**
 * Issue 20: clusters on GKE, AKS and bare metal beside EKS. For fleets on GKE only, AKS only, bare metal
 * only and one mixing EKS, GKE and AKS meshes, every target (Plural, Argo CD, Flux) delivers every cluster
 * the same Cilium values, with what its platform needs and no other cloud's settings; every values file, as
 * each engine resolves it, validates against the chart's values.schema.json and the mesh invariants hold.
 * And what cannot work is refused at its fleet.yaml line.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Fleet } from '../src';
import { reviewChange } from '../src/app/review';
import { platformProblems } from '../src/check/mesh';
import { FleetProps } from '../src/fleet/props';
import { platformRegionProblem } from '../src/fleet/platform';
import { coveringCidr, parseCidr, Cidr } from '../src/k8s/cidr';
import { clusterCiliumValues, planFleet } from '../src/plan/plan';
import { UpstreamSchemas } from '../src/schemas/upstream-schemas';
import { targetNamed } from '../src/targets/registry';
import { synthPluralTree, pluralReplaceProblem } from '../src/targets/plural/tree';
import { validateTree } from '../src/testing';
import { faults, runCli } from './support';

const SHARED = path.resolve(__dirname, '..', '..', 'shared');
const schemas = fs.existsSync(SHARED) ? UpstreamSchemas.load(SHARED) : UpstreamSchemas.bundled();
const REPO = 'https://git.example.com/platform/fleet.git';
const all = (p: Omit<FleetProps, 'targets'>): FleetProps => ({ ...p, targets: ['plural', 'argocd', 'flux'], argocd: { repoURL: REPO }, flux: { repoURL: REPO } });

const SHAPES: Array<[string, FleetProps]> = [
  ['GKE only, chart 1.18', all({
    name: 'g', cilium: { version: '1.18.1' }, tiers: [{ name: 'dev', distro: 'gke' }],
    clusters: [
      { name: 'g1', id: 1, tier: 'dev', region: 'europe-west1', dnsZone: 'dev.example.com', podCidr: '10.8.0.0/14' },
      { name: 'g2', id: 2, tier: 'dev', region: 'us-central1-a', dnsZone: 'dev.example.com', podCidr: '10.12.0.0/14' },
    ],
  })],
  ['AKS only, chart 1.19', all({
    name: 'a', cilium: { version: '1.19.6' }, tiers: [{ name: 'prod', distro: 'aks' }],
    clusters: [
      { name: 'a1', id: 1, tier: 'prod', region: 'westeurope', dnsZone: 'prod.example.com', podCidr: '10.20.0.0/16' },
      { name: 'a2', id: 200, tier: 'prod', region: 'eastus2', dnsZone: 'prod.example.com', podCidr: '10.21.0.0/16' },
    ],
  })],
  ['bare metal only, chart 1.20, a MetalLB pool for one, NodePort by default', all({
    name: 'b', cilium: { version: '1.20.0' }, tiers: [{ name: 'dc', distro: 'generic' }],
    clusters: [
      { name: 'fra', id: 1, tier: 'dc', region: 'dc-fra', dnsZone: 'dc.example.com', podCidr: '10.30.0.0/16' },
      { name: 'ams', id: 2, tier: 'dc', region: 'dc-ams', dnsZone: 'dc.example.com', podCidr: '10.31.0.0/16' },
    ],
  })],
  ['bare metal with kube-proxy replacement, each member on its own node port, chart 1.19', all({
    name: 'k', cilium: { version: '1.19.6', kubeProxyReplacement: { apiServerPort: 6443 } }, tiers: [{ name: 'dc', distro: 'generic' }],
    clusters: [
      { name: 'fra', id: 1, tier: 'dc', region: 'dc-fra', dnsZone: 'dc.example.com', podCidr: '10.30.0.0/16' },
      { name: 'ams', id: 2, tier: 'dc', region: 'dc-ams', dnsZone: 'dc.example.com', podCidr: '10.31.0.0/16', apiserverNodePort: 32380 },
    ],
  })],
  ['GKE beside bare metal on MetalLB (a platform\'s own apiserver settings), chart 1.20', all({
    name: 'l', cilium: { version: '1.20.0', apiserver: { platforms: { generic: { serviceType: 'LoadBalancer', loadBalancerClass: 'metallb.io/metallb' } } } },
    tiers: [{ name: 'gcp', distro: 'gke' }, { name: 'dc', distro: 'generic' }],
    clusters: [
      { name: 'g1', id: 1, tier: 'gcp', region: 'europe-west1', dnsZone: 'gcp.example.com', podCidr: '10.8.0.0/14' },
      { name: 'fra', id: 1, tier: 'dc', region: 'dc-fra', dnsZone: 'dc.example.com', podCidr: '10.30.0.0/16' },
      { name: 'ams', id: 2, tier: 'dc', region: 'dc-ams', dnsZone: 'dc.example.com', podCidr: '10.31.0.0/16' },
    ],
  })],
  ['EKS, GKE and AKS meshes, an EKS tier with a GKE cluster (both native), chart 1.19', all({
    name: 'm', cilium: { version: '1.19.6' },
    tiers: [{ name: 'aws', distro: 'eks' }, { name: 'gcp', distro: 'gke' }, { name: 'azure', distro: 'aks' }],
    clusters: [
      { name: 'e1', id: 1, tier: 'aws', region: 'us-east-1', dnsZone: 'aws.example.com', podCidr: '10.40.0.0/16' },
      { name: 'e2', id: 2, tier: 'aws', region: 'eu-west-1', dnsZone: 'aws.example.com', podCidr: '10.41.0.0/16' },
      { name: 'eg', id: 3, tier: 'aws', distro: 'gke', region: 'europe-west4', dnsZone: 'aws.example.com', podCidr: '10.44.0.0/14' },
      { name: 'g1', id: 1, tier: 'gcp', region: 'asia-northeast1', dnsZone: 'gcp.example.com', podCidr: '10.60.0.0/14' },
      { name: 'z1', id: 1, tier: 'azure', region: 'swedencentral', dnsZone: 'az.example.com', podCidr: '10.80.0.0/16' },
      { name: 'z2', id: 2, tier: 'azure', region: 'japaneast', dnsZone: 'az.example.com', podCidr: '10.81.0.0/16', stack: false },
    ],
  })],
];

type Obj = Record<string, any>;

/** Each cluster's Cilium values as an engine delivers them. */
function delivered(name: 'plural' | 'argocd' | 'flux', fleet: Fleet): Map<string, Obj> {
  const t = targetNamed(name);
  const result = t.deliver(fleet, t.synth(fleet));
  expect(result.problems).toEqual([]);
  return new Map([...result.delivered].map(([c, services]) => {
    const cilium = services.filter((s) => s.helm?.chart === 'cilium');
    expect(cilium).toHaveLength(1);
    return [c, cilium[0].values as Obj];
  }));
}

describe('clusters beyond EKS (issue 20)', () => {
  test.each(SHAPES)('GIVEN %s WHEN synthesized for Plural, Argo CD and Flux THEN every engine gives each cluster the same values, its platform\'s and no other cloud\'s, valid for the chart', (_, props) => {
    const fleet = new Fleet(props);
    const plural = delivered('plural', fleet);
    const argocd = delivered('argocd', fleet);
    const flux = delivered('flux', fleet);
    const plan = planFleet(fleet);
    for (const c of fleet.clusters) {
      const v = plural.get(c.name)!;
      expect(argocd.get(c.name)).toEqual(v);
      expect(flux.get(c.name)).toEqual(v);
      expect(clusterCiliumValues(plan, c)).toEqual(v);
      expect(platformProblems(c, v)).toEqual([]);
      expect(schemas.validateCiliumValues(fleet.cilium.version, v)).toEqual([]);
      const text = JSON.stringify(v);
      const service = v.clustermesh.apiserver.service;
      if (c.distro === 'gke') {
        expect(v).toMatchObject({ gke: { enabled: true }, ipam: { mode: 'kubernetes' }, routingMode: 'native', nodeinit: { enabled: true }, cni: { binPath: '/home/kubernetes/bin' } });
        expect(service).toMatchObject({ type: 'LoadBalancer', annotations: { 'networking.gke.io/load-balancer-type': 'Internal' } });
        // ipv4NativeRoutingCIDR holds every member's pod range, so pods of the mesh reach each other unmasqueraded.
        const native = parseCidr(v.ipv4NativeRoutingCIDR) as Cidr;
        for (const m of fleet.mesh(c.mesh).clusters) {
          const pod = parseCidr(m.podCidr!) as Cidr;
          expect(native.first <= pod.first && pod.last <= native.last).toBe(true);
        }
      } else {
        expect(v.gke).toBeUndefined();
        expect(text).not.toContain('networking.gke.io');
        expect(text).not.toContain('/home/kubernetes/bin');
      }
      if (c.distro === 'aks') {
        expect(v).toMatchObject({ aksbyocni: { enabled: true }, nodeinit: { enabled: true }, ipam: { mode: 'cluster-pool', operator: { clusterPoolIPv4PodCIDRList: [c.podCidr] } }, routingMode: 'tunnel' });
        expect(service).toMatchObject({ type: 'LoadBalancer', annotations: { 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true' } });
      } else {
        expect(v.aksbyocni).toBeUndefined();
        expect(text).not.toContain('azure-');
      }
      if (c.distro === 'generic') {
        expect(v).toMatchObject({ ipam: { mode: 'cluster-pool', operator: { clusterPoolIPv4PodCIDRList: [c.podCidr] } }, routingMode: 'tunnel' });
        if (fleet.cilium.apiserver.platforms.generic) {
          expect(service).toMatchObject({ type: 'LoadBalancer', loadBalancerClass: 'metallb.io/metallb' });
        } else {
          expect(service.type).toBe('NodePort');
          expect(service.nodePort ?? 32379).toBe(c.apiserverPort);
          expect(service.loadBalancerClass).toBeUndefined();
        }
        expect(Object.keys(service.annotations)).toEqual(['external-dns.alpha.kubernetes.io/hostname']);
      } else {
        expect(text).not.toContain('metallb');
      }
      if (c.distro !== 'eks') {
        expect(text).not.toMatch(/aws-|service\.k8s\.aws|"eni"/);
        expect(v.cni?.chainingMode).toBeUndefined();
      } else {
        expect(v).toMatchObject({ cni: { chainingMode: 'aws-cni' }, routingMode: 'native' });
        expect(service.loadBalancerClass).toBe('service.k8s.aws/nlb');
      }
    }
    // Every manifest of every tree against its CRD, every values file as each engine resolves it, the mesh invariants.
    for (const target of ['plural', 'argocd', 'flux'] as const) {
      const audit = validateTree(fleet, targetNamed(target).synth(fleet), [target], schemas);
      expect(audit.findings).toEqual([]);
      expect(audit.values).toBe(fleet.clusters.length);
    }
  });

  test('GIVEN the mixed fleet WHEN written for Plural THEN each tier has one Cilium service per platform (a mixed tier\'s selected by the distro tag), and stacks run each platform\'s module', () => {
    const fleet = new Fleet(SHAPES[5][1]);
    const files = synthPluralTree(fleet);
    // Tier aws mixes eks and gke: both its services select by the Cluster's distro tag too; a one-platform tier by fleet and tier only.
    const aws = files.get('bootstrap/m/cilium/cilium-aws.yaml')!;
    expect(aws).toMatch(/tags:\n {4}distro: eks\n {4}fleet: m\n {4}tier: aws\n/);
    expect(aws).toContain('- platform-aws.eks.yaml');
    const awsGke = files.get('bootstrap/m/cilium/cilium-aws-gke.yaml')!;
    expect(awsGke).toContain('name: m-cilium-aws-gke');
    expect(awsGke).toMatch(/tags:\n {4}distro: gke\n {4}fleet: m\n {4}tier: aws\n/);
    expect(awsGke).toContain('- platform-aws.gke.yaml');
    const azure = files.get('bootstrap/m/cilium/cilium-azure.yaml')!;
    expect(azure).toMatch(/tags:\n {4}fleet: m\n {4}tier: azure\n/);
    // Plural's detected distro is never a selector: a cluster it detects otherwise would lose its CNI.
    for (const [p, text] of files) if (p.startsWith('bootstrap/m/cilium/')) expect([p, /\bdistro: [A-Z]/.test(text)]).toEqual([p, false]);
    expect(files.get('bootstrap/m/clusters/eg.yaml')).toContain('pod_cidr: 10.44.0.0/14');
    expect(files.get('bootstrap/m/clusters/e1.yaml')).not.toContain('pod_cidr');
    expect(files.get('bootstrap/m/clusters/e1.yaml')).toContain('folder: terraform/modules/clusters/aws');
    expect(files.get('bootstrap/m/clusters/eg.yaml')).toContain('folder: terraform/modules/clusters/gcp');
    expect(files.get('bootstrap/m/clusters/z1.yaml')).toContain('folder: terraform/modules/clusters/azure');
    expect(files.get('bootstrap/m/clusters/z2.yaml')).not.toContain('InfrastructureStack');
    expect(files.get('bootstrap/m/clusters/eg.yaml')).toMatch(/tags:\n {4}distro: gke\n/);
    // MESH.md shows each cluster's platform.
    expect(files.get('services/m/MESH.md')).toContain('| eg | aws | 3 | gke | europe-west4 | eg-cilium-apiserver.aws.example.com:2379 |');
    expect(files.get('services/m/MESH.md')).toContain('[eg, id 3, gke europe-west4]');
    const generic = synthPluralTree(new Fleet(SHAPES[2][1]));
    const dc = generic.get('bootstrap/b/cilium/cilium-dc.yaml')!;
    expect(dc).toMatch(/tags:\n {4}fleet: b\n {4}tier: dc\n/);
    // Generic clusters get no stack unless a module is named.
    expect(generic.get('bootstrap/b/clusters/fra.yaml')).not.toContain('InfrastructureStack');
    const withModule = synthPluralTree(new Fleet({ ...SHAPES[2][1], plural: { terraformFolder: { generic: 'terraform/metal' } } }));
    expect(withModule.get('bootstrap/b/clusters/fra.yaml')).toContain('folder: terraform/metal');
  });

  test('GIVEN mistakes WHEN loaded THEN each is refused at its fleet.yaml line, naming the cluster or field', () => {
    const head = 'name: f\ncilium: {version: 1.19.6}\ntiers: [{name: dev, distro: gke}, {name: az, distro: aks}, {name: dc, distro: generic}]\nclusters:\n';
    expect(faults(`${head}  - {name: a, id: 1, tier: dev, region: europe-west7, dnsZone: d.example.com, podCidr: 10.8.0.0/14}\n`))
      .toEqual(['fleet.yaml:5:41: cluster "a": region "europe-west7" is not a Google Cloud region; did you mean "europe-west1"?']);
    expect(faults(`${head}  - {name: a, id: 1, tier: dev, region: europe-west1, dnsZone: d.example.com, podCidr: 10.8.0.0/14}\n  - {name: b, id: 2, tier: dev, distro: aks, region: westeurope, dnsZone: d.example.com, podCidr: 10.20.0.0/16}\n`))
      .toEqual(['fleet.yaml:6:41: cluster "b": mesh "dev" cannot mix datapaths: it would route through a tunnel on aks, but "a" routes natively on gke; every member of a Cluster Mesh must use the same routing mode and tunnel protocol (put them in different meshes)']);
    expect(faults(`${head}  - {name: a, id: 1, tier: az, region: westeurope, dnsZone: d.example.com, podCidr: 10.20.0.0/16}\n  - {name: b, id: 2, tier: az, region: northeurope, dnsZone: d.example.com, podCidr: 10.20.128.0/17}\n`))
      .toEqual(['fleet.yaml:6:86: cluster "b": podCidr 10.20.128.0/17 overlaps 10.20.0.0/16 of cluster "a" in mesh "az"']);
    expect(faults(`${head}  - {name: a, id: 1, tier: dc, region: rack-1, dnsZone: d.example.com}\n`))
      .toEqual(['fleet.yaml:5:5: cluster "a": podCidr is missing; on generic Cilium allocates pod addresses from the cluster\'s own pool (cluster-pool IPAM), which must not overlap its mesh\'s']);
    expect(faults('name: f\ncilium: {version: 1.19.6, cni: eni}\ntiers: [{name: dev, distro: gke}]\nclusters:\n  - {name: a, id: 1, tier: dev, region: europe-west1, dnsZone: d.example.com, podCidr: 10.8.0.0/14}\n'))
      .toEqual(['fleet.yaml:2:32: fleet: cilium.cni applies to EKS clusters only, and this fleet has none (gke: their IPAM follows the platform); remove it']);
    expect(faults('name: f\ncilium:\n  version: 1.19.6\n  apiserver:\n    annotations: {service.beta.kubernetes.io/aws-load-balancer-scheme: internal}\ntiers: [dev, {name: g, distro: gke}]\nclusters:\n'
      + '  - {name: a, id: 1, tier: dev, region: us-east-1, dnsZone: d.example.com}\n  - {name: b, id: 1, tier: g, region: europe-west1, dnsZone: d.example.com, podCidr: 10.8.0.0/14}\n'))
      .toEqual(['fleet.yaml:5:18: fleet: cilium.apiserver.annotations "service.beta.kubernetes.io/aws-load-balancer-scheme" is AWS\'s, but cluster "b" runs on gke; every cluster gets these settings, so leave them out (each platform has its own internal load balancer default) or give them under cilium.apiserver.platforms.eks']);
    expect(faults('name: f\ncilium: {version: 1.19.6}\nplural: {terraformFolder: terraform/cluster}\ntiers: [dev, {name: g, distro: gke}]\nclusters:\n'
      + '  - {name: a, id: 1, tier: dev, region: us-east-1, dnsZone: d.example.com}\n  - {name: b, id: 1, tier: g, region: europe-west1, dnsZone: d.example.com, podCidr: 10.8.0.0/14}\n'))
      .toEqual(['fleet.yaml:3:27: fleet: plural.terraformFolder is one folder, but clusters with stacks run on eks, gke; give one module per platform (plural.terraformFolder.eks, .gke)']);
    expect(faults('name: f\ncilium: {version: 1.19.6}\ntiers: [{name: dev, distro: gke}, {name: dev-aks, distro: aks}]\n'))
      .toEqual(['fleet.yaml:3:42: tier "dev-aks": name is tier "dev" plus a platform, which the Plural tree uses for "dev"\'s clusters on that platform; choose another']);
    expect(faults(`${head}  - {name: a, id: 1, tier: dev, region: europe-west1, dnsZone: d.example.com, podCidr: 10.8.0.0/14}\n  - {name: b, id: 2, tier: dev, region: europe-west2, dnsZone: d.example.com, podCidr: 192.168.0.0/16}\n`))
      .toEqual([expect.stringMatching(/^fleet\.yaml:5:\d+: cluster "a": on gke Cilium routes natively, and ipv4NativeRoutingCIDR must hold the pod CIDRs of every member of mesh "dev" \(10\.8\.0\.0\/14, 192\.168\.0\.0\/16\), which span 0\.0\.0\.0\/0/)]);
  });

  test('GIVEN kube-proxy replacement WHEN synthesized THEN every cluster replaces kube-proxy, reads its API server host from its ConfigMap, and members dial each other\'s own node port', () => {
    const fleet = new Fleet(SHAPES[3][1]);
    const values = delivered('plural', fleet);
    expect(values.get('fra')).toMatchObject({ kubeProxyReplacement: 'true', k8sServiceHostRef: { name: 'meshfleet-kube-apiserver', key: 'host' }, k8sServicePort: 6443 });
    expect(values.get('ams')!.clustermesh.apiserver.service.nodePort).toBe(32380);
    expect(values.get('fra')!.clustermesh.apiserver.service.nodePort).toBe(32379);
    expect(values.get('fra')!.clustermesh.config.clusters).toContainEqual({ name: 'ams', address: 'ams-cilium-apiserver.dc.example.com', port: 32380 });
    // Without kube-proxy replacement nothing of it is written.
    expect(JSON.stringify(delivered('plural', new Fleet(SHAPES[2][1])).get('fra'))).not.toMatch(/kubeProxyReplacement|k8sService/);
  });

  test('GIVEN kube-proxy replacement WHEN two members of a mesh share a node port, or a member sets its own beside a LoadBalancer member THEN it is refused at the line', () => {
    const head = 'name: f\ncilium: {version: 1.19.6, kubeProxyReplacement: {}}\ntiers: [{name: dc, distro: generic}, {name: az, distro: aks, mesh: dc}]\nclusters:\n';
    const fra = '  - {name: fra, id: 1, tier: dc, region: dc-fra, dnsZone: d.example.com, podCidr: 10.30.0.0/16}\n';
    expect(faults(`${head}${fra}  - {name: ams, id: 2, tier: dc, region: dc-ams, dnsZone: d.example.com, podCidr: 10.31.0.0/16}\n`))
      .toEqual(['fleet.yaml:6:12: cluster "ams": its clustermesh-apiserver node port 32379 is also "fra"\'s in mesh "dc"; under kube-proxy replacement each member needs its own (cilium/cilium#24692): set apiserverNodePort (e.g. 32380)']);
    expect(faults(`${head}${fra}  - {name: ams, id: 2, tier: dc, region: dc-ams, dnsZone: d.example.com, podCidr: 10.31.0.0/16, apiserverNodePort: 32379}\n`))
      .toEqual(['fleet.yaml:6:116: cluster "ams": its clustermesh-apiserver node port 32379 is also "fra"\'s in mesh "dc"; under kube-proxy replacement each member needs its own (cilium/cilium#24692): set apiserverNodePort (e.g. 32380)']);
    expect(faults(`${head}  - {name: fra, id: 1, tier: dc, region: dc-fra, dnsZone: d.example.com, podCidr: 10.30.0.0/16, apiserverNodePort: 31000}\n  - {name: z, id: 2, tier: az, region: westeurope, dnsZone: d.example.com, podCidr: 10.31.0.0/16}\n`))
      .toEqual([expect.stringMatching(/^fleet\.yaml:5:\d+: cluster "fra": apiserverNodePort needs every member of mesh "dc" on a NodePort, but "z" \(aks\) is on a LoadBalancer$/)]);
    expect(faults(`${head}  - {name: z, id: 2, tier: az, region: westeurope, dnsZone: d.example.com, podCidr: 10.31.0.0/16, apiserverNodePort: 31000}\n`))
      .toEqual([expect.stringMatching(/^fleet\.yaml:5:\d+: cluster "z": apiserverNodePort is only used with a NodePort clustermesh-apiserver, and on aks it is a LoadBalancer \(the aks default\)$/)]);
  });

  test('GIVEN a running cluster WHEN its distro changes THEN plan refuses it as a replacement, and the writer will not re-point its live stack', () => {
    const before = new Fleet(SHAPES[5][1]);
    const props = SHAPES[5][1];
    const after = new Fleet({ ...props, clusters: props.clusters!.map((c) => (c.name === 'eg' ? { ...c, distro: 'eks' as const, region: 'eu-west-2' } : c)) });
    const review = reviewChange(before, after);
    expect(review.refusals.join('\n')).toContain('cluster "eg": its distro changes from gke to eks');
    expect(review.breaksMesh).toBe(true);
    const live = synthPluralTree(before).get('bootstrap/m/clusters/eg.yaml')!;
    expect(pluralReplaceProblem(after, 'bootstrap/m/clusters/eg.yaml', live)).toContain('its stack\'s folder changes from "terraform/modules/clusters/gcp" to "terraform/modules/clusters/aws"');
  });

  test('GIVEN region names THEN each cloud takes its own, a GKE zone, and generic any location label', () => {
    expect(platformRegionProblem('ap-southeast-5', 'eks')).toBeUndefined();
    expect(platformRegionProblem('us-central1-f', 'gke')).toBeUndefined();
    expect(platformRegionProblem('us-central9-f', 'gke')).toBe('is not a Google Cloud region; did you mean "us-central1"?');
    expect(platformRegionProblem('eastus', 'aks')).toBeUndefined();
    expect(platformRegionProblem('east-us', 'aks')).toBe('is not an Azure region; did you mean "eastus"?');
    expect(platformRegionProblem('eastus', 'eks')).toBe('is an Azure region, but the cluster\'s distro is eks (AWS); set distro: aks or use an AWS region');
    expect(platformRegionProblem('anywhere-1', 'generic')).toBeUndefined();
    expect(coveringCidr([parseCidr('10.8.0.0/14') as Cidr, parseCidr('10.12.0.0/14') as Cidr]).text).toBe('10.8.0.0/13');
    expect(coveringCidr([parseCidr('10.1.2.0/24') as Cidr]).text).toBe('10.1.2.0/24');
  });
});

describe('the PR automations ask for the platform (issue 20)', () => {
  test.each([
    ['eks', { awsRegion: 'eu-central-1' }],
    ['gke', { gcpRegion: 'europe-west3-a', podCidr: '10.88.0.0/14' }],
    ['aks', { azureRegion: 'northeurope', podCidr: '10.91.0.0/16' }],
    ['generic', { location: 'dc-ber', podCidr: '10.92.0.0/16' }],
  ])('GIVEN the creator form answered for %s WHEN its overlay is rendered with Liquid and appended THEN the fleet takes the new cluster on that platform', (distro, answers) => {
    const { Liquid } = require('liquidjs');
    const YAML = require('yaml');
    const props = all({ name: 'p', cilium: { version: '1.19.6' }, tiers: [{ name: 'dev', distro: distro as 'eks' }], clusters: [] });
    const fleet = new Fleet(props, undefined, 'fleet.yaml');
    const creator = YAML.parse(synthPluralTree(fleet).get('bootstrap/p/pr-automations/cluster-creator.yaml')!);
    const form = creator.spec.configuration as Array<{ name: string; condition?: { field: string; operation: string; value: string }; validation?: { regex: string } }>;
    const context: Record<string, string> = { name: 'newbie', tier: 'dev', clusterId: '7', dnsZone: 'dev.example.com', distro, ...answers };
    // Every answer given matches its field's regex, and only fields shown for this distro are answered.
    for (const [k, v] of Object.entries(context)) {
      const field = form.find((f) => f.name === k)!;
      if (field.validation) expect([k, new RegExp(field.validation.regex).test(v)]).toEqual([k, true]);
      if (field.condition) expect([k, field.condition.operation === 'EQ' ? field.condition.value === distro : field.condition.value !== distro]).toEqual([k, true]);
    }
    const entry = new Liquid().parseAndRenderSync(creator.spec.updates.yamlOverlays[0].yaml, { context });
    const added = new Fleet({ ...props, clusters: YAML.parse(entry).clusters });
    expect(added.cluster('newbie')).toMatchObject({ distro, region: Object.values(answers)[0], id: 7 });
  });
});

test('GIVEN the example of docs/platforms.md WHEN loaded THEN it is a valid fleet with a cluster on each platform it names', () => {
  const text = fs.readFileSync(path.join(__dirname, '..', 'docs', 'platforms.md'), 'utf8');
  const example = /```yaml\n([\s\S]*?)```/.exec(text)![1];
  const { parseFleet } = require('../src');
  const fleet: Fleet = parseFleet(`name: docs\ncilium: {version: 1.19.6}\n${example}`);
  expect(fleet.clusters.map((c) => `${c.name} ${c.distro}`)).toEqual(['use1 eks', 'euw4 gke', 'fra generic']);
});

test('GIVEN kube-proxy replacement turned on WHEN planned THEN the setting and the takeover are reported', () => {
  const after = new Fleet(SHAPES[3][1]);
  const before = new Fleet({ ...SHAPES[3][1], cilium: { version: '1.19.6' } });
  const review = reviewChange(before, after);
  expect(review.lines.join('\n')).toContain('setting cilium.kubeProxyReplacement: (default) -> {"apiServerPort":6443,"hostConfigMap":"meshfleet-kube-apiserver"}');
  expect(review.lines.join('\n')).toContain('kube-proxy replacement turns on: Cilium takes over Service handling on every node');
});

describe('found by review (issue 20)', () => {
  const mixed = 'name: f\ncilium:\n  version: 1.19.6\n';
  const members = 'tiers: [prod, {name: g, distro: gke, mesh: prod}]\nclusters:\n  - {name: e1, id: 1, tier: prod, region: us-east-1, dnsZone: d.example.com}\n'
    + '  - {name: g1, id: 2, tier: g, region: europe-west1, dnsZone: d.example.com, podCidr: 10.8.0.0/14}\n';

  test('GIVEN a GKE member beside an EKS member without podCidr WHEN loaded THEN the EKS member must give its pod range (GKE\'s native routing range must hold it)', () => {
    expect(faults(`${mixed}${members}`)).toEqual([expect.stringMatching(/^fleet\.yaml:6:5: cluster "e1": podCidr is missing; mesh "prod" has GKE members \(e\.g\. "g1"\), whose ipv4NativeRoutingCIDR must hold every member's pod range/)]);
  });

  test('GIVEN apiserver annotations or a class for every cluster THEN annotations add to each platform\'s internal load balancer, and a class no cloud claims is refused beside a cloud', () => {
    const withPods = members.replace('dnsZone: d.example.com}', 'dnsZone: d.example.com, podCidr: 10.12.0.0/16}');
    const fleet = parseFleetText(`${mixed}  apiserver:\n    annotations: {external-dns.alpha.kubernetes.io/ttl: "60"}\n${withPods}`);
    const plan = planFleet(fleet);
    const service = (c: string) => (clusterCiliumValues(plan, fleet.cluster(c)) as Obj).clustermesh.apiserver.service;
    expect(service('g1').annotations).toMatchObject({ 'networking.gke.io/load-balancer-type': 'Internal', 'external-dns.alpha.kubernetes.io/ttl': '60' });
    expect(service('e1').annotations).toMatchObject({ 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal', 'external-dns.alpha.kubernetes.io/ttl': '60' });
    // MetalLB for every cluster of a fleet with bare metal beside clouds: refused (nothing claims it on a cloud); for the bare-metal clusters: theirs.
    const metal = withPods.replace('tiers: [prod, {name: g, distro: gke, mesh: prod}]', 'tiers: [prod, {name: g, distro: gke, mesh: prod}, {name: dc, distro: generic}]')
      + '  - {name: b1, id: 1, tier: dc, region: dc-fra, dnsZone: d.example.com, podCidr: 10.30.0.0/16}\n';
    expect(faults(`${mixed}  apiserver:\n    serviceType: LoadBalancer\n    loadBalancerClass: metallb.io/metallb\n${metal}`))
      .toEqual([expect.stringMatching(/^fleet\.yaml:6:24: fleet: cilium\.apiserver\.loadBalancerClass "metallb\.io\/metallb" is no cloud's, but cluster "e1" runs on eks, .*\(cilium\.apiserver\.platforms\.generic: \{serviceType: LoadBalancer, loadBalancerClass: \.\.\.\}\)$/)]);
    const withMetalLb = parseFleetText(`${mixed}  apiserver:\n    platforms:\n      generic: {serviceType: LoadBalancer, loadBalancerClass: metallb.io/metallb, annotations: {metallb.universe.tf/address-pool: mesh}}\n${metal}`);
    const metalPlan = planFleet(withMetalLb);
    const svc = (c: string) => (clusterCiliumValues(metalPlan, withMetalLb.cluster(c)) as Obj).clustermesh.apiserver.service;
    expect(svc('b1')).toMatchObject({ type: 'LoadBalancer', loadBalancerClass: 'metallb.io/metallb', annotations: { 'metallb.universe.tf/address-pool': 'mesh' } });
    expect(svc('e1')).toMatchObject({ type: 'LoadBalancer', loadBalancerClass: 'service.k8s.aws/nlb' });
    expect(svc('g1').loadBalancerClass).toBeUndefined();
    expect(JSON.stringify([svc('e1'), svc('g1')])).not.toContain('metallb');
    expect(withMetalLb.cluster('b1').apiserverPort).toBe(2379);
    // A cloud's setting under another platform is refused.
    expect(faults(`${mixed}  apiserver:\n    platforms:\n      gke: {annotations: {service.beta.kubernetes.io/aws-load-balancer-scheme: internal}}\n${withPods}`))
      .toEqual([expect.stringMatching(/^fleet\.yaml:6:26: fleet: cilium\.apiserver\.platforms\.gke\.annotations "service\.beta\.kubernetes\.io\/aws-load-balancer-scheme" is AWS's, but cluster "g1" runs on gke; give it under its own platform$/)]);
    expect(faults(`${mixed}  apiserver:\n    loadBalancerClass: eks.amazonaws.com/nlb\n${withPods}`))
      .toEqual([expect.stringMatching(/^fleet\.yaml:5:24: fleet: cilium\.apiserver\.loadBalancerClass "eks\.amazonaws\.com\/nlb" is AWS's, but cluster "g1" runs on gke/)]);
  });

  test('GIVEN a generic cluster WHEN decommissioned with detach, or given one folder for every platform THEN it has no stack: detach is refused at its line, not a crash', () => {
    const head = 'name: f\ncilium: {version: 1.19.6}\nplural: {terraformFolder: terraform/modules/clusters/aws}\ntiers: [{name: dc, distro: generic}]\nclusters:\n';
    expect(faults(`${head}  - {name: b1, id: 1, tier: dc, region: dc1, dnsZone: d.example.com, podCidr: 10.30.0.0/16, decommission: detach}\n`))
      .toEqual([expect.stringMatching(/^fleet\.yaml:6:\d+: cluster "b1": decommission: detach keeps the cluster's InfrastructureStack, but it has none \(no module for generic clusters\)/)]);
    const fleet = parseFleetText(`${head}  - {name: b1, id: 1, tier: dc, region: dc1, dnsZone: d.example.com, podCidr: 10.30.0.0/16}\n`);
    expect(fleet.cluster('b1').stack).toBe(false);
  });

  test('GIVEN Multigres on a GKE cluster named by zone THEN its cell is in the zone\'s region (the node label the operator selects)', () => {
    const fleet = new Fleet({ ...SHAPES[0][1], multigres: { deployments: [{ name: 'pg', mesh: 'dev', topology: 'shared-etcd', etcdCluster: 'g1', clusters: ['g2'] }] } });
    const text = synthPluralTree(fleet).get('services/g/multigres/g2/pg.yaml')!;
    expect(text).toContain('region: us-central1\n');
    expect(text).not.toContain('us-central1-a');
  });

  test('GIVEN a one-platform tier WHEN a cluster of another platform joins it THEN plan warns that its service now also selects by the distro tag', () => {
    const before = new Fleet(SHAPES[0][1]);
    const after = new Fleet({ ...SHAPES[0][1], clusters: [...SHAPES[0][1].clusters!, { name: 'e9', id: 9, tier: 'dev', distro: 'eks', region: 'us-east-1', dnsZone: 'dev.example.com', podCidr: '10.20.0.0/16' }] });
    expect(reviewChange(before, after).lines.join('\n')).toContain('warning: tier dev now has clusters on gke and eks: with Plural, its Cilium service for gke also selects by each Cluster\'s distro tag (distro: gke)');
  });
});

function parseFleetText(text: string): Fleet {
  const { parseFleet } = require('../src');
  return parseFleet(text);
}

test('GIVEN a bare-metal cluster without a stack WHEN decommissioned THEN plan says it leaves the mesh and nothing is destroyed', () => {
  const before = new Fleet(SHAPES[2][1]);
  const after = new Fleet({ ...SHAPES[2][1], clusters: SHAPES[2][1].clusters!.map((c) => (c.name === 'ams' ? { ...c, decommission: 'destroy' as const } : c)) });
  const text = reviewChange(before, after).lines.join('\n');
  expect(text).toContain('cluster decommissioned: ams (it has no stack: it leaves the mesh, the cluster itself stays)');
  expect(text).not.toContain('stack deleted');
});

test('GIVEN a GKE cluster WHEN meshfleet values prints its values THEN they are what every target delivers, with the helm install of a first install by hand', () => {
  const dir = fs.mkdtempSync(path.join(require('os').tmpdir(), 'meshfleet-values-'));
  try {
    const file = path.join(dir, 'fleet.yaml');
    fs.writeFileSync(file, require('yaml').stringify(SHAPES[0][1]));
    const r = runCli(['values', 'g2', '--fleet', file]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('#   helm install cilium cilium --repo https://helm.cilium.io --version 1.18.1 --namespace kube-system -f <this file>');
    expect(r.out).toContain('install cert-manager\'s CRDs first');
    const fleet = new Fleet(SHAPES[0][1]);
    expect(require('yaml').parse(r.out)).toEqual(delivered('argocd', fleet).get('g2'));
    expect(runCli(['values', 'nope', '--fleet', file])).toMatchObject({ code: 2, err: expect.stringContaining('fleet "g" has no cluster "nope" (g1, g2)') });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe('found by the new-user trial (issue 20)', () => {
  test('GIVEN a GKE zone letter Google does not use, or a distro written as people say it THEN each is refused with what was meant, and a tier\'s faulty distro is its only fault', () => {
    expect(platformRegionProblem('us-central1-z', 'gke')).toBe('is not a Google Cloud zone (zones are us-central1-a to -f)');
    const text = 'name: f\ncilium: {version: 1.19.6}\ntiers: [{name: azure, distro: AKS}]\nclusters:\n  - {name: a, id: 1, tier: azure, region: westeurope, dnsZone: d.example.com, podCidr: 10.20.0.0/16}\n';
    expect(faults(text)).toEqual(['fleet.yaml:3:31: tier "azure" (tiers[0]): distro must be one of eks, gke, aks, generic (got "AKS"); did you mean "aks"?']);
    expect(faults(text.replace('distro: AKS', 'distro: baremetal'))).toEqual([expect.stringContaining('(got "baremetal"); did you mean "generic"?')]);
  });

  test('GIVEN kube-proxy replacement in a fleet of clouds and bare metal THEN each platform\'s API server port is its own (443 on the clouds, kubeadm\'s 6443 on generic)', () => {
    const fleet = new Fleet({ name: 'p', cilium: { version: '1.20.0', kubeProxyReplacement: {} }, tiers: [{ name: 'dc', distro: 'generic' }, { name: 'az', distro: 'aks' }],
      clusters: [
        { name: 'fra', id: 1, tier: 'dc', region: 'dc-fra', dnsZone: 'd.example.com', podCidr: '10.30.0.0/16' },
        { name: 'z1', id: 1, tier: 'az', region: 'westeurope', dnsZone: 'a.example.com', podCidr: '10.20.0.0/16' },
      ] });
    const plan = planFleet(fleet);
    expect(clusterCiliumValues(plan, fleet.cluster('fra'))).toMatchObject({ kubeProxyReplacement: 'true', k8sServicePort: 6443 });
    expect(clusterCiliumValues(plan, fleet.cluster('z1'))).toMatchObject({ kubeProxyReplacement: 'true', k8sServicePort: 443 });
  });
});

describe('found by the second review (issue 20)', () => {
  const dc = (extra: string) => `name: f\ncilium:\n  version: 1.20.0\n${extra}tiers: [{name: dc, distro: generic}, {name: az, distro: aks}]\nclusters:\n`
    + '  - {name: b1, id: 1, tier: dc, region: dc-fra, dnsZone: d.example.com, podCidr: 10.30.0.0/16}\n'
    + '  - {name: z1, id: 1, tier: az, region: westeurope, dnsZone: a.example.com, podCidr: 10.20.0.0/16}\n';

  test('GIVEN a platform\'s class or node port that its service type would drop THEN it is refused, saying which service type to add', () => {
    expect(faults(dc('  apiserver:\n    platforms:\n      generic: {loadBalancerClass: metallb.io/metallb}\n')))
      .toEqual([expect.stringMatching(/^fleet\.yaml:6:\d+: fleet: cilium\.apiserver\.platforms\.generic\.loadBalancerClass is only used with a LoadBalancer, and generic's clustermesh-apiservers are on a NodePort; add serviceType: LoadBalancer/)]);
    expect(faults(dc('  apiserver:\n    platforms:\n      aks: {nodePort: 31000}\n')))
      .toEqual([expect.stringMatching(/^fleet\.yaml:6:\d+: fleet: cilium\.apiserver\.platforms\.aks\.nodePort is only used with a NodePort, and aks's clustermesh-apiservers are on a LoadBalancer; add serviceType: NodePort/)]);
    expect(faults(dc('').replace('podCidr: 10.20.0.0/16}', 'podCidr: 10.20.0.0/16, apiserverNodePort: 31000}')))
      .toEqual([expect.stringContaining('apiserverNodePort is only used with a NodePort clustermesh-apiserver, and on aks it is a LoadBalancer (the aks default)')]);
  });

  test('GIVEN three members on one node port under kube-proxy replacement THEN each is told a different free port', () => {
    const text = dc('  kubeProxyReplacement: {}\n') + '  - {name: b2, id: 2, tier: dc, region: dc-ams, dnsZone: d.example.com, podCidr: 10.31.0.0/16}\n'
      + '  - {name: b3, id: 3, tier: dc, region: dc-ber, dnsZone: d.example.com, podCidr: 10.32.0.0/16}\n';
    const found = faults(text);
    expect(found).toHaveLength(2);
    expect(found[0]).toContain('(e.g. 32380)');
    expect(found[1]).toContain('(e.g. 32381)');
  });

  test('GIVEN a tier whose clusters set their own distro WHEN the tier\'s distro changes THEN plan refuses it (its Plural GlobalServices would swap)', () => {
    const props: FleetProps = { name: 'f', cilium: { version: '1.20.0' }, tiers: [{ name: 'm', distro: 'generic' }], clusters: [
      { name: 'a1', id: 1, tier: 'm', distro: 'aks', region: 'westeurope', dnsZone: 'd.example.com', podCidr: '10.20.0.0/16' },
      { name: 'b1', id: 2, tier: 'm', distro: 'generic', region: 'dc-fra', dnsZone: 'd.example.com', podCidr: '10.30.0.0/16' }] };
    const review = reviewChange(new Fleet(props), new Fleet({ ...props, tiers: [{ name: 'm', distro: 'aks' }] }));
    expect(review.refusals.join('\n')).toContain('tier m: its distro changes from generic to aks; with Plural its Cilium GlobalServices are named after it');
  });

  test('GIVEN a tier with a faulty distro and cilium.cni THEN only the distro is at fault', () => {
    const text = 'name: f\ncilium: {version: 1.19.6, cni: eni}\ntiers: [{name: aws, distro: AWS}]\nclusters:\n  - {name: a, id: 1, tier: aws, region: us-east-1, dnsZone: d.example.com}\n';
    expect(faults(text)).toEqual([expect.stringContaining('did you mean "eks"?')]);
  });

  test('GIVEN the same per-platform settings written in another order THEN plan sees no change', () => {
    const a = new Fleet({ ...SHAPES[4][1], cilium: { version: '1.20.0', apiserver: { platforms: { generic: { serviceType: 'LoadBalancer', loadBalancerClass: 'metallb.io/metallb' } } } } });
    const b = new Fleet({ ...SHAPES[4][1], cilium: { version: '1.20.0', apiserver: { platforms: { generic: { loadBalancerClass: 'metallb.io/metallb', serviceType: 'LoadBalancer' } } } } });
    expect(reviewChange(a, b).lines.join('\n')).not.toContain('cilium.apiserver.platforms');
  });
});
