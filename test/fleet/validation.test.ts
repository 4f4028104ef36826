import { Fleet, FleetValidationError } from '../../src';
import { cluster, fleetProps } from '../support';
import { ClusterProps } from '../../src/fleet/props';

/** The fault messages a fleet produces (none when valid). */
function faultsOf(props: ReturnType<typeof fleetProps>): string[] {
  try {
    new Fleet(props);
    return [];
  } catch (e) {
    if (e instanceof FleetValidationError) return e.faults.map((f) => f.message);
    throw e;
  }
}

describe('Fleet validation', () => {
  test('GIVEN a valid fleet WHEN built THEN meshes group the clusters of each tier', () => {
    const fleet = new Fleet(fleetProps());
    expect(fleet.meshes.map((m) => [m.name, m.clusters.map((c) => c.name)])).toEqual([
      ['dev', ['orchid-dev', 'orchid-dev-usw1']],
      ['prod', ['orchid-prod']],
    ]);
    expect(fleet.cluster('orchid-dev').apiserverAddress).toBe('orchid-dev-cilium-apiserver.dev.example.com');
    expect(fleet.cluster('orchid-dev').apiserverPort).toBe(2379);
    expect(fleet.cluster('orchid-dev').tags).toEqual({ fleet: 'orchid', tier: 'dev', distro: 'eks' });
  });

  test.each([
    [{ id: 0 }, 'cluster "c1": id 0 is outside 1..255 (0 is reserved and cannot join a mesh); with aws-cni chaining use 1..127'],
    [{ id: 256 }, 'cluster "c1": id 256 is outside 1..255; with aws-cni chaining use 1..127'],
    [{ id: 128 }, 'cluster "c1": id 128 is not usable with aws-cni chaining (ids 128-255 and 384-511 fail, cilium/cilium#21330); use 1..127'],
    [{ id: 1.5 }, 'cluster "c1": id must be an integer (got 1.5)'],
    [{ name: 'default' }, 'cluster "default": name must not be "default" (Cilium rejects it for a cluster with a non-zero id)'],
    [{ name: 'a'.repeat(33) }, `cluster "${'a'.repeat(33)}": name is 33 characters long; Cilium allows at most 32`],
    [{ name: 'Orchid' }, 'cluster "Orchid": name must consist of lowercase letters, digits and "-", and start and end with a letter or digit'],
    [{ name: 'orchid-' }, 'cluster "orchid-": name must consist of lowercase letters, digits and "-", and start and end with a letter or digit'],
    [{ tier: 'qa' }, 'cluster "c1": tier "qa" is not a known tier (dev, prod); add it to tiers:'],
    [{ region: 'US West' }, 'cluster "c1": region "US West" is not an AWS region (e.g. "us-east-1")'],
    [{ region: 'us-west-3' }, 'cluster "c1": region "us-west-3" is not an AWS region; did you mean "us-west-1"?'],
    [{ region: 'europe-west1' }, 'cluster "c1": region "europe-west1" is a Google Cloud region, but the cluster\'s distro is eks (AWS); set distro: gke or use an AWS region'],
    [{ region: 'us-east-1', distro: 'gke', podCidr: '10.8.0.0/14' }, 'cluster "c1": region "us-east-1" is an AWS region, but the cluster\'s distro is gke (Google Cloud); set distro: eks or use a Google Cloud region'],
    [{ region: 'westeurop', distro: 'aks', podCidr: '10.8.0.0/14' }, 'cluster "c1": region "westeurop" is not an Azure region; did you mean "westeurope"?'],
    [{ region: 'Rack 4', distro: 'generic', podCidr: '10.8.0.0/14' }, 'cluster "c1": region "Rack 4" must be a location name of lowercase letters, digits and "-" (e.g. "dc-frankfurt")'],
    [{ distro: 'gke', region: 'europe-west1' }, 'cluster "c1": podCidr is missing; on gke Cilium routes natively over the cluster\'s pod range (ipv4NativeRoutingCIDR), so give it (its pod secondary range)'],
    [{ distro: 'aks', region: 'westeurope' }, 'cluster "c1": podCidr is missing; on aks Cilium allocates pod addresses from the cluster\'s own pool (cluster-pool IPAM), which must not overlap its mesh\'s'],
    [{ distro: 'generic', region: 'dc1' }, 'cluster "c1": podCidr is missing; on generic Cilium allocates pod addresses from the cluster\'s own pool (cluster-pool IPAM), which must not overlap its mesh\'s'],
    [{ distro: 'openshift' as never }, 'cluster "c1": distro must be one of eks, gke, aks, generic (got "openshift"); did you mean "generic"?'],
    [{ tags: { distro: 'gke' } }, 'cluster "c1": tags.distro is set by meshfleet from the fleet, tier and distro; remove it'],
    [{ distro: 'generic', region: 'dc1', podCidr: '10.8.0.0/14', stack: true }, 'cluster "c1": stack: true, but plural.terraformFolder names no module for generic clusters; add plural.terraformFolder.generic, or set stack: false'],
    [{ id: 200, distro: 'gke', region: 'europe-west1-b', podCidr: '10.8.0.0/14' }, undefined],
    [{ dnsZone: 'localhost' }, 'cluster "c1": dnsZone "localhost" must have at least two labels (e.g. "dev.example.com")'],
    [{ dnsZone: 'dev.example.com.' }, 'cluster "c1": dnsZone "dev.example.com." must not end with "."'],
    [{ dnsZone: 'dev.Example.com' }, 'cluster "c1": dnsZone "dev.Example.com" has an invalid label "Example" (lowercase letters, digits and "-", 1..63 characters, not starting or ending with "-")'],
    [{ podCidr: '10.1.0.0/33' }, 'cluster "c1": podCidr "10.1.0.0/33" must be an IPv4 CIDR such as "10.1.0.0/16"'],
    [{ podCidr: '10.1.0.1/16' }, 'cluster "c1": podCidr "10.1.0.1/16" has host bits set (the network address of a /16 here is 10.1.0.0)'],
    [{ tags: { tier: 'x' } }, 'cluster "c1": tags.tier is set by meshfleet from the fleet, tier and distro; remove it'],
  ] as Array<[Partial<ClusterProps>, string | undefined]>)('GIVEN cluster %j WHEN validated THEN the exact fault names the cluster and field', (change, message) => {
    expect(faultsOf(fleetProps({}, [cluster(change)]))).toEqual(message === undefined ? [] : [message]);
  });

  test('GIVEN a missing field WHEN validated THEN it is named', () => {
    const { dnsZone, ...rest } = cluster();
    void dnsZone;
    expect(faultsOf(fleetProps({}, [rest as never]))).toEqual(['cluster "c1": dnsZone is missing']);
  });

  test('GIVEN maxConnectedClusters 511 and aws-cni WHEN ids are checked THEN 256..383 are usable and 384.. are not', () => {
    const cilium = { version: '1.18.1', maxConnectedClusters: 511 as const };
    expect(faultsOf(fleetProps({ cilium }, [cluster({ id: 300 })]))).toEqual([]);
    expect(faultsOf(fleetProps({ cilium }, [cluster({ id: 400 })]))).toEqual([
      'cluster "c1": id 400 is not usable with aws-cni chaining (ids 128-255 and 384-511 fail, cilium/cilium#21330); use 1..127 or 256..383',
    ]);
  });

  test('GIVEN cluster-pool IPAM WHEN ids above 127 are used THEN they are fine, but podCidr is required', () => {
    const cilium = { version: '1.18.1', cni: 'cluster-pool' as const };
    expect(faultsOf(fleetProps({ cilium }, [cluster({ id: 200, podCidr: '10.1.0.0/16' })]))).toEqual([]);
    expect(faultsOf(fleetProps({ cilium }, [cluster({ id: 200 })]))).toEqual([
      'cluster "c1": podCidr is missing; with cilium.cni cluster-pool every cluster needs its own pod CIDR',
    ]);
  });

  test('GIVEN two clusters of one mesh with one id WHEN validated THEN the later one is named with the earlier', () => {
    expect(faultsOf(fleetProps({}, [cluster({ name: 'a' }), cluster({ name: 'b' })]))).toEqual([
      'cluster "b": id 1 is already used by cluster "a" in mesh "dev"',
    ]);
  });

  test('GIVEN one id in two meshes WHEN validated THEN it is fine (ids are unique per mesh)', () => {
    expect(faultsOf(fleetProps({}, [cluster({ name: 'a' }), cluster({ name: 'b', tier: 'prod' })]))).toEqual([]);
  });

  test('GIVEN two tiers sharing a mesh WHEN one id is in both THEN it clashes', () => {
    const tiers = ['dev', { name: 'staging', mesh: 'dev' }];
    expect(faultsOf(fleetProps({ tiers }, [cluster({ name: 'a' }), cluster({ name: 'b', tier: 'staging' })]))).toEqual([
      'cluster "b": id 1 is already used by cluster "a" in mesh "dev"',
    ]);
  });

  test('GIVEN a duplicate name WHEN validated THEN it is reported', () => {
    expect(faultsOf(fleetProps({}, [cluster({ name: 'a' }), cluster({ name: 'a', id: 2, tier: 'prod' })]))).toEqual([
      'cluster "a": name is already used by clusters[0]; cluster names must be unique in the fleet',
    ]);
  });

  test('GIVEN overlapping pod CIDRs in one mesh WHEN validated THEN both clusters are named', () => {
    expect(faultsOf(fleetProps({}, [
      cluster({ name: 'a', podCidr: '10.0.0.0/8' }),
      cluster({ name: 'b', id: 2, podCidr: '10.2.0.0/16' }),
      cluster({ name: 'c', id: 3, tier: 'prod', podCidr: '10.2.0.0/16' }),
    ]))).toEqual(['cluster "b": podCidr 10.2.0.0/16 overlaps 10.0.0.0/8 of cluster "a" in mesh "dev"']);
  });

  test.each([
    [{ cilium: { version: '1.17.3' } }, 'fleet: cilium.version "1.17.3" is not supported (supported: 1.18.x, 1.19.x, 1.20.x)'],
    [{ cilium: { version: '1.18' } }, 'fleet: cilium.version "1.18" is not a chart version such as "1.18.1"'],
    [{ cilium: { version: '1.18.1', maxConnectedClusters: 300 as never } }, 'fleet: cilium.maxConnectedClusters must be 255 or 511 (got 300)'],
    [{ cilium: { version: '1.18.1', cni: 'calico' as never } }, 'fleet: cilium.cni must be one of aws-cni, eni, cluster-pool (got "calico")'],
    [{ cilium: { version: '1.18.1', apiserver: { serviceType: 'ClusterIP' as never } } }, 'fleet: cilium.apiserver.serviceType must be LoadBalancer or NodePort (got "ClusterIP")'],
    [{ cilium: { version: '1.18.1', apiserver: { nodePort: 32000 } } }, 'fleet: cilium.apiserver.nodePort is only used with serviceType NodePort (no cluster\'s clustermesh-apiserver is on a NodePort)'],
    [{ cilium: { version: '1.18.1', apiserver: { serviceType: 'NodePort' as const, nodePort: 2379 } } }, 'fleet: cilium.apiserver.nodePort 2379 is outside the node port range 30000..32767'],
    [{ cilium: { version: '1.18.1', apiserver: { annotations: { 'external-dns.alpha.kubernetes.io/hostname': 'x' } } } }, 'fleet: cilium.apiserver.annotations must not set external-dns.alpha.kubernetes.io/hostname; meshfleet sets it to the address peers dial'],
    [{ cilium: { version: '1.18.1', tls: { issuer: 'Cilium CA' } } }, 'fleet: cilium.tls.issuer "Cilium CA" must consist of lowercase letters, digits and "-", and start and end with a letter or digit'],
    [{ name: 'Orchid' }, 'fleet: name "Orchid" must consist of lowercase letters, digits and "-", and start and end with a letter or digit'],
    [{ tiers: ['dev', 'dev'] }, 'tier "dev" (tiers[1]): declared twice'],
  ])('GIVEN fleet settings %j WHEN validated THEN the exact fault is reported', (change, message) => {
    expect(faultsOf(fleetProps(change as never, [cluster()]))).toEqual([message]);
  });

  test('GIVEN a NodePort apiserver WHEN built THEN peers dial the node port', () => {
    const fleet = new Fleet(fleetProps({ cilium: { version: '1.18.1', apiserver: { serviceType: 'NodePort', nodePort: 31000 } } }));
    expect(fleet.clusters.map((c) => c.apiserverPort)).toEqual([31000, 31000, 31000]);
  });

  test('GIVEN many faults WHEN validated THEN all are reported at once, in one error', () => {
    const e = (() => {
      try {
        new Fleet(fleetProps({}, [cluster({ id: 0 }), cluster({ name: 'default', id: 2, tier: 'qa' })]));
      } catch (err) {
        return err as FleetValidationError;
      }
      throw new Error('no error');
    })();
    expect(e.faults).toHaveLength(3);
    expect(e.message).toBe([
      'invalid fleet (3 faults):',
      '  cluster "c1": id 0 is outside 1..255 (0 is reserved and cannot join a mesh); with aws-cni chaining use 1..127',
      '  cluster "default": name must not be "default" (Cilium rejects it for a cluster with a non-zero id)',
      '  cluster "default": tier "qa" is not a known tier (dev, prod); add it to tiers:',
    ].join('\n'));
  });

  test('GIVEN a fleet WHEN a cluster is added with withCluster THEN the new fleet is validated and the old one is unchanged', () => {
    const fleet = new Fleet(fleetProps());
    const bigger = fleet.withCluster(cluster({ name: 'orchid-dev-usw2', id: 3 }));
    expect(bigger.mesh('dev').clusters).toHaveLength(3);
    expect(fleet.mesh('dev').clusters).toHaveLength(2);
    expect(() => fleet.withCluster(cluster({ name: 'x', id: 2 }))).toThrow('cluster "x": id 2 is already used by cluster "orchid-dev-usw1" in mesh "dev"');
  });
});
