import { mergeScheduling, NodeLabels, Placement } from '../../src/multigres/placement';

const labels = { 'app.kubernetes.io/component': 'etcd', 'app.kubernetes.io/instance': 'topo' };

describe('Placement', () => {
  test('zoneSpread: a zone topology spread constraint selecting the component', () => {
    expect(Placement.zoneSpread().render(labels)).toEqual({
      topologySpreadConstraints: [{
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: 'DoNotSchedule',
        labelSelector: { matchLabels: labels },
      }],
    });
    expect(Placement.zoneSpread({ maxSkew: 2, minDomains: 3 }).render(labels).topologySpreadConstraints![0])
      .toMatchObject({ maxSkew: 2, minDomains: 3 });
  });

  test('inRegion: required node affinity on the region label', () => {
    expect(Placement.inRegion('us-east-1', 'us-east-2').render(labels)).toEqual({
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: NodeLabels.REGION, operator: 'In', values: ['us-east-1', 'us-east-2'] }] }],
          },
        },
      },
    });
  });

  test('distinctNodes: required by default, preferred on request', () => {
    expect(Placement.distinctNodes().render(labels).affinity).toEqual({
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: labels }, topologyKey: 'kubernetes.io/hostname' }],
      },
    });
    expect(Placement.distinctNodes({ required: false }).render(labels).affinity).toEqual({
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [{
          weight: 100,
          podAffinityTerm: { labelSelector: { matchLabels: labels }, topologyKey: 'kubernetes.io/hostname' },
        }],
      },
    });
  });

  test('dedicatedNodes: a toleration plus required node affinity on the label', () => {
    const s = Placement.dedicatedNodes({ taintKey: 'dedicated', taintValue: 'database', taintEffect: 'NoExecute' }).render(labels);
    expect(s.tolerations).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'database', effect: 'NoExecute' }]);
    expect(s.affinity!.nodeAffinity!.requiredDuringSchedulingIgnoredDuringExecution!.nodeSelectorTerms)
      .toEqual([{ matchExpressions: [{ key: 'dedicated', operator: 'In', values: ['database'] }] }]);
  });

  test('and: required node terms are ANDed into one term, not ORed as separate terms', () => {
    // GIVEN
    const p = Placement.inRegion('us-east-1').and(Placement.dedicatedNodes({ taintKey: 'dedicated', taintValue: 'db' }), Placement.zoneSpread());
    // WHEN
    const s = p.render(labels);
    // THEN
    expect(s.affinity!.nodeAffinity!.requiredDuringSchedulingIgnoredDuringExecution!.nodeSelectorTerms).toEqual([{
      matchExpressions: [
        { key: 'topology.kubernetes.io/region', operator: 'In', values: ['us-east-1'] },
        { key: 'dedicated', operator: 'In', values: ['db'] },
      ],
    }]);
    expect(s.tolerations).toHaveLength(1);
    expect(s.topologySpreadConstraints).toHaveLength(1);
  });

  test('mergeScheduling multiplies out ORed node terms', () => {
    const term = (k: string) => ({ matchExpressions: [{ key: k, operator: 'Exists' as const }] });
    const s = mergeScheduling(
      { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [term('a'), term('b')] } } } },
      { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [term('c')] } } } },
      'test');
    expect(s.affinity!.nodeAffinity!.requiredDuringSchedulingIgnoredDuringExecution!.nodeSelectorTerms).toEqual([
      { matchExpressions: [{ key: 'a', operator: 'Exists' }, { key: 'c', operator: 'Exists' }] },
      { matchExpressions: [{ key: 'b', operator: 'Exists' }, { key: 'c', operator: 'Exists' }] },
    ]);
  });

  test('identical tolerations are written once', () => {
    const d = Placement.dedicatedNodes({ taintKey: 'dedicated', taintValue: 'db' });
    expect(d.and(d).render(labels).tolerations).toHaveLength(1);
  });

  test('none renders nothing', () => {
    expect(Placement.none().render({})).toEqual({});
  });

  describe('refusals', () => {
    test.each([
      [() => Placement.spread('topology.cilium.io/cluster'),
        'placement: topology key "topology.cilium.io/cluster" is a label no node carries (cilium sets no such node label); kube-scheduler sees only its own cluster\'s nodes, so spread across clusters by placing one workload per cluster'],
      [() => Placement.spread('io.cilium.k8s.policy.cluster'),
        'placement: topology key "io.cilium.k8s.policy.cluster" is a label no node carries (it is a cilium identity label on endpoints, not a node label)'],
      [() => Placement.nodeSelector({ 'topology.cilium.io/cluster': 'a' }),
        'placement: nodeSelector key "topology.cilium.io/cluster" is a label no node carries'],
      [() => Placement.zoneSpread({ maxSkew: 0 }), 'placement: maxSkew must be a whole number >= 1 (got 0)'],
      [() => Placement.zoneSpread({ minDomains: 2, whenUnsatisfiable: 'ScheduleAnyway' }), 'placement: minDomains only works with whenUnsatisfiable DoNotSchedule'],
      [() => Placement.inRegion(), 'placement: inRegion needs at least one value'],
      [() => Placement.inZones('us east 1a'), 'placement: inZones value "us east 1a" is not a valid label value'],
      [() => Placement.distinctNodes({ weight: 50 }), 'placement: distinctNodes weight only applies when required is false'],
      [() => Placement.distinctNodes({ required: false, weight: 0 }), 'placement: distinctNodes weight must be a whole number in 1..100 (got 0)'],
      [() => Placement.dedicatedNodes({ taintKey: '', taintValue: 'db' }), 'placement: dedicatedNodes taintKey must not be empty'],
      [() => Placement.zoneSpread().and(Placement.zoneSpread()).render(labels),
        'placement: two topologySpreadConstraints on "topology.kubernetes.io/zone" with DoNotSchedule; kubernetes allows one per topology key and whenUnsatisfiable'],
      [() => Placement.nodeSelector({ disk: 'ssd' }).and(Placement.nodeSelector({ disk: 'hdd' })).render(labels),
        'placement: nodeSelector "disk" is set to both "ssd" and "hdd"'],
      [() => Placement.zoneSpread().render({}), 'placement: placement needs the component\'s selector labels (got none)'],
    ] as Array<[() => unknown, string]>)('%#', (fn, message) => {
      expect(fn).toThrow(message);
    });
  });
});
