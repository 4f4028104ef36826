import { CiliumAnnotation, ciliumAnnotationProblems, ciliumServiceAnnotations, validateCiliumAnnotations } from '../../src/cilium/annotations';

describe('ciliumServiceAnnotations', () => {
  test('a global service with every option, current names, fixed order', () => {
    // WHEN
    const a = ciliumServiceAnnotations({
      global: true, shared: false, affinity: 'remote', syncEndpointSlices: true,
      lbIpamIps: ['10.0.0.10', 'fd00::10'], lbIpamSharingKey: 'multigres',
    });
    // THEN
    expect(a).toEqual({
      'service.cilium.io/global': 'true',
      'service.cilium.io/shared': 'false',
      'service.cilium.io/affinity': 'remote',
      'service.cilium.io/global-sync-endpoint-slices': 'true',
      'lbipam.cilium.io/ips': '10.0.0.10,fd00::10',
      'lbipam.cilium.io/sharing-key': 'multigres',
    });
    expect(Object.keys(a)).toEqual([
      CiliumAnnotation.GLOBAL, CiliumAnnotation.SHARED, CiliumAnnotation.AFFINITY,
      CiliumAnnotation.GLOBAL_SYNC_ENDPOINT_SLICES, CiliumAnnotation.LBIPAM_IPS, CiliumAnnotation.LBIPAM_SHARING_KEY,
    ]);
  });

  test('affinity none writes nothing; nothing set writes nothing', () => {
    expect(ciliumServiceAnnotations({ global: true, affinity: 'none' })).toEqual({ 'service.cilium.io/global': 'true' });
    expect(ciliumServiceAnnotations({ affinity: 'none' })).toEqual({});
    expect(ciliumServiceAnnotations({})).toEqual({});
    expect(ciliumServiceAnnotations({ global: false })).toEqual({});
  });

  test('LB-IPAM works without global', () => {
    expect(ciliumServiceAnnotations({ lbIpamIps: ['192.0.2.1'] })).toEqual({ 'lbipam.cilium.io/ips': '192.0.2.1' });
  });

  test.each([
    [{ shared: true }, 'service "db/gw": shared only takes effect on a global service; set global: true'],
    [{ global: false, affinity: 'local' }, 'service "db/gw": affinity only takes effect on a global service; set global: true'],
    [{ syncEndpointSlices: true }, 'service "db/gw": syncEndpointSlices only takes effect on a global service; set global: true'],
    [{ global: true, affinity: 'nearest' }, 'service "db/gw": affinity must be local, remote or none (got "nearest")'],
    [{ lbIpamIps: [] }, 'service "db/gw": lbIpamIps must not be empty'],
    [{ lbIpamIps: ['10.0.0.300'] }, 'service "db/gw": lbIpamIps entry "10.0.0.300" is not an ip address'],
    [{ lbIpamSharingKey: ' ' }, 'service "db/gw": lbIpamSharingKey must not be empty'],
  ] as Array<[any, string]>)('refuses %j', (options, message) => {
    expect(() => ciliumServiceAnnotations(options, 'service "db/gw"')).toThrow(message);
  });
});

describe('validateCiliumAnnotations', () => {
  const where = 'service "db/gw"';

  test('accepts current names and unrelated annotations', () => {
    expect(() => validateCiliumAnnotations({
      'service.cilium.io/global': 'true', 'service.cilium.io/affinity': 'local', 'service.cilium.io/shared': 'true',
      'service.cilium.io/global-sync-endpoint-slices': 'false', 'lbipam.cilium.io/ips': '10.0.0.1, 10.0.0.2',
      'prometheus.io/scrape': 'true',
    }, where)).not.toThrow();
    expect(() => validateCiliumAnnotations(undefined, where)).not.toThrow();
  });

  test.each([
    ['io.cilium/global-service', 'true', 'service "db/gw": annotation "io.cilium/global-service" is a legacy name; use "service.cilium.io/global"'],
    ['io.cilium/shared-service', 'false', 'service "db/gw": annotation "io.cilium/shared-service" is a legacy name; use "service.cilium.io/shared"'],
    ['io.cilium/service-affinity', 'local', 'service "db/gw": annotation "io.cilium/service-affinity" is a legacy name; use "service.cilium.io/affinity"'],
    ['io.cilium/lb-ipam-ips', '10.0.0.100', 'service "db/gw": annotation "io.cilium/lb-ipam-ips" is a legacy name; use "lbipam.cilium.io/ips"'],
    ['io.cilium/lb-ipam-sharing-key', 'x', 'service "db/gw": annotation "io.cilium/lb-ipam-sharing-key" is a legacy name; use "lbipam.cilium.io/sharing-key"'],
    ['io.cilium/something-else', 'x', 'service "db/gw": annotation "io.cilium/something-else" uses the legacy io.cilium/ prefix; use the current service.cilium.io/, lbipam.cilium.io/ or policy.cilium.io/ name'],
    ['hubble.cilium.io/visibility', 'enabled', 'service "db/gw": annotation "hubble.cilium.io/visibility" does not exist in cilium; for l7 visibility write an l7 CiliumNetworkPolicy (toPorts[].rules) instead'],
    ['policy.cilium.io/proxy-visibility', '<Ingress/80/TCP/HTTP>', 'service "db/gw": annotation "policy.cilium.io/proxy-visibility" was removed in cilium 1.17; for l7 visibility write an l7 CiliumNetworkPolicy (toPorts[].rules) instead'],
    ['io.cilium.proxy-visibility', '<Ingress/80/TCP/HTTP>', 'service "db/gw": annotation "io.cilium.proxy-visibility" was removed in cilium 1.17; for l7 visibility write an l7 CiliumNetworkPolicy (toPorts[].rules) instead'],
    ['service.cilium.io/shared', 'false', 'service "db/gw": annotation "service.cilium.io/shared" only takes effect on a global service; add "service.cilium.io/global": "true"'],
    ['service.cilium.io/affinity', 'remote', 'service "db/gw": annotation "service.cilium.io/affinity" only takes effect on a global service; add "service.cilium.io/global": "true"'],
    ['service.cilium.io/global-sync-endpoint-slices', 'true', 'service "db/gw": annotation "service.cilium.io/global-sync-endpoint-slices" only takes effect on a global service; add "service.cilium.io/global": "true"'],
    ['service.cilium.io/global', 'yes', 'service "db/gw": annotation "service.cilium.io/global" must be "true" or "false" (got "yes")'],
    ['lbipam.cilium.io/ips', '10.0.0.1,nope', 'service "db/gw": annotation "lbipam.cilium.io/ips" holds "nope", which is not an ip address'],
  ])('refuses %s', (key, value, message) => {
    expect(() => validateCiliumAnnotations({ [key]: value }, where)).toThrow(message);
  });

  test('affinity none is refused even on a global service', () => {
    expect(() => validateCiliumAnnotations({ 'service.cilium.io/global': 'true', 'service.cilium.io/affinity': 'none' }, where))
      .toThrow('service "db/gw": annotation "service.cilium.io/affinity: none" must not be written (cilium v1.18.10+ then drops remote backends, cilium/cilium#46623); omit the annotation instead');
  });

  test('a global service set to "false" is not global', () => {
    expect(() => validateCiliumAnnotations({ 'service.cilium.io/global': 'false', 'service.cilium.io/shared': 'true' }, where))
      .toThrow('annotation "service.cilium.io/shared" only takes effect on a global service');
  });

  test('every problem is reported, in key order', () => {
    const annotations = { 'io.cilium/global-service': 'true', 'hubble.cilium.io/visibility': 'on' };
    expect(ciliumAnnotationProblems(annotations, where)).toEqual([
      'service "db/gw": annotation "hubble.cilium.io/visibility" does not exist in cilium; for l7 visibility write an l7 CiliumNetworkPolicy (toPorts[].rules) instead',
      'service "db/gw": annotation "io.cilium/global-service" is a legacy name; use "service.cilium.io/global"',
    ]);
    expect(() => validateCiliumAnnotations(annotations, where)).toThrow(ciliumAnnotationProblems(annotations, where).join('; '));
  });
});
