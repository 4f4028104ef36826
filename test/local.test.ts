// The local profile (--target local): kind configs, Cilium values per cluster, the printed steps, and their checks.
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { Fleet, loadFleet } from '../src';
import { run } from '../src/cli/main';
import { UpstreamSchemas } from '../src/schemas/upstream-schemas';
import { checkLocalTree } from '../src/targets/local/checks';
import { LocalLayout } from '../src/targets/local/layout';
import { localSubnets, synthLocalTree } from '../src/targets/local/tree';
import { cleanTmp, tmp } from './gitops/helpers';
import { fleetProps } from './support';

afterAll(cleanTmp);

const ROOT = path.resolve(__dirname, '..');
const SHARED = path.resolve(ROOT, '..', 'shared');
const EXAMPLE = path.join(ROOT, 'fleet.yaml');

describe('the local profile', () => {
  const fleet = loadFleet(EXAMPLE);
  const files = synthLocalTree(fleet);

  test('GIVEN the example WHEN brought up locally THEN the first mesh\'s clusters get kind configs, values, the issuer, the echo check and the steps', () => {
    expect([...files.keys()].sort()).toEqual([
      'local/orchid/cilium/orchid-dev-usw1.yaml', 'local/orchid/cilium/orchid-dev-usw2.yaml', 'local/orchid/cilium/orchid-dev.yaml',
      'local/orchid/echo/server.yaml', 'local/orchid/echo/service.yaml', 'local/orchid/issuer.yaml',
      'local/orchid/kind/orchid-dev-usw1.yaml', 'local/orchid/kind/orchid-dev-usw2.yaml', 'local/orchid/kind/orchid-dev.yaml',
      'local/orchid/steps.sh',
    ]);
    for (const [p, text] of files) expect(text).toMatchSnapshot(p);
  });

  test('GIVEN the tree THEN the kind configs are valid, the subnets overlap nothing, and with node IPs the mesh invariants hold', () => {
    expect(checkLocalTree(fleet, files).problems).toEqual([]);
    const kind = parse(files.get('local/orchid/kind/orchid-dev.yaml')!);
    expect(kind.networking).toEqual({ disableDefaultCNI: true, podSubnet: '10.1.0.0/16', serviceSubnet: '10.100.0.0/16' });
  });

  test('GIVEN clusters without a pod CIDR THEN free /16s are assigned around the ones given', () => {
    const f = new Fleet(fleetProps({}, [
      { name: 'a', id: 1, tier: 'dev', region: 'us-east-1', dnsZone: 'dev.example.com', podCidr: '10.100.0.0/16' },
      { name: 'b', id: 2, tier: 'dev', region: 'us-east-1', dnsZone: 'dev.example.com' },
    ]));
    expect(Object.fromEntries(localSubnets(f.clusters))).toEqual({
      a: { pod: '10.100.0.0/16', service: '10.102.0.0/16' },
      b: { pod: '10.101.0.0/16', service: '10.103.0.0/16' },
    });
  });

  test('GIVEN the values THEN the apiserver is a NodePort, peers come by node IP at run time, and no CA is in the tree', () => {
    const v = parse(files.get('local/orchid/cilium/orchid-dev-usw1.yaml')!);
    expect(v.cluster).toEqual({ name: 'orchid-dev-usw1', id: 2 });
    expect(v.clustermesh.apiserver.service).toEqual({ type: 'NodePort', nodePort: 32379 });
    expect(v.clustermesh.config.clusters).toBeUndefined();
    expect(v.ipam).toEqual({ mode: 'kubernetes' });
    expect(v.clustermesh.apiserver.tls.auto).toMatchObject({ method: 'certmanager', certManagerIssuerRef: { name: 'cilium-dev' } });
    for (const [p, text] of files) expect({ p, key: /BEGIN [A-Z ]*KEY|tls\.key:/.test(text) }).toEqual({ p, key: false });
    const steps = files.get('local/orchid/steps.sh')!;
    expect(steps).toContain('openssl req -x509');
    expect(steps).toContain("IP_ORCHID_DEV=$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' orchid-dev-control-plane)");
    expect(steps).toContain('kubectl --context kind-orchid-dev-usw1 run curl --rm -i --restart=Never');
  });

  test('GIVEN the steps script WHEN run THEN it only prints (every command is inside the printed heredoc)', () => {
    const steps = files.get('local/orchid/steps.sh')!;
    const outside = steps.replace(/cat <<'STEPS'\n[\s\S]*?\nSTEPS\n/, '').split('\n').filter((l) => l.trim() && !l.startsWith('#'));
    expect(outside).toEqual([]);
  });

  test('GIVEN the echo check THEN the consuming cluster gets the same global Service without a backend', () => {
    const server = files.get('local/orchid/echo/server.yaml')!;
    const service = files.get('local/orchid/echo/service.yaml')!;
    expect(service).toContain('service.cilium.io/global: "true"');
    expect(service).not.toContain('kind: Deployment');
    expect(server).toContain('kind: Deployment');
    expect(server.slice(server.indexOf('kind: Service'))).toBe(service.slice(service.indexOf('kind: Service')));
  });

  test('GIVEN --mesh or --clusters WHEN synthesized THEN exactly those clusters come up; clusters of two meshes are refused', () => {
    const dir = tmp('meshfleet-local-');
    const cli = (args: string[]) => {
      const err: string[] = [];
      const code = run(['synth', '--fleet', EXAMPLE, '--out', dir, '--target', 'local', ...args], () => undefined, (s) => err.push(s));
      return { code, err: err.join('\n') };
    };
    expect(cli(['--mesh', 'prod']).code).toBe(0);
    expect(fs.readdirSync(path.join(dir, 'local/orchid/kind')).sort()).toEqual(['orchid-prod-use1.yaml', 'orchid-prod-usw2.yaml']);
    expect(cli(['--clusters', 'orchid-dev,orchid-dev-usw2']).code).toBe(0);
    expect(fs.readdirSync(path.join(dir, 'local/orchid/kind')).sort()).toEqual(['orchid-dev-usw2.yaml', 'orchid-dev.yaml']);
    const r = cli(['--clusters', 'orchid-dev,orchid-prod-use1']);
    expect([r.code, r.err]).toEqual([1, 'meshfleet: --clusters names clusters of 2 meshes (dev, prod); a local mesh is one mesh']);
    expect(cli(['--clusters', 'orchid-dev']).err).toBe('meshfleet: --clusters must name two or more clusters of one mesh');
  });

  (fs.existsSync(SHARED) ? test : test.skip)('GIVEN each chart version THEN every local cluster\'s values (with the peer list) pass the chart\'s values schema', () => {
    const schemas = UpstreamSchemas.load(SHARED);
    for (const version of ['1.18.1', '1.19.6', '1.20.0']) {
      const f = new Fleet({ ...fleet.props, cilium: { ...fleet.props.cilium, version } });
      const r = checkLocalTree(f, synthLocalTree(f), new LocalLayout(f.name));
      expect({ version, problems: r.problems }).toEqual({ version, problems: [] });
      for (const [cluster, services] of r.delivered) {
        const s = services.find((x) => x.helm)!;
        expect({ version, cluster, schema: schemas.validateCiliumValues(version, s.values) }).toEqual({ version, cluster, schema: [] });
      }
    }
  });

  test('GIVEN a broken kind config WHEN checked THEN the field is named', () => {
    const broken = new Map(files);
    broken.set('local/orchid/kind/orchid-dev.yaml', files.get('local/orchid/kind/orchid-dev.yaml')!.replace('disableDefaultCNI: true', 'disableDefaultCni: true').replace('10.100.0.0/16', '10.2.0.0/16'));
    expect(checkLocalTree(fleet, broken).problems).toEqual([
      'local/orchid/kind/orchid-dev.yaml: unknown networking field "disableDefaultCni"',
      'local/orchid/kind/orchid-dev.yaml: the default CNI is not disabled (Cilium would run beside kindnet)',
      'orchid-dev-usw1 podSubnet: 10.2.0.0/16 overlaps orchid-dev serviceSubnet 10.2.0.0/16',
    ]);
  });
});
