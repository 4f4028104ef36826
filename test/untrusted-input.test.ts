/**
 * Issue 6: fleet.yaml and the output folder are untrusted (a pull request can change both). One test
 * per reproduced defect, each written to fail on the code before the fix.
 */
import * as fs from 'fs';
import * as path from 'path';
import { stringifyYaml as stringifyValues } from '../src/k8s/yaml';
import { Liquid } from '../src/targets/plural/liquid';
import { parseFleet } from '../src';
import { cleanTmp, tmp, tree } from './gitops/helpers';
import { faults, runCli } from './support';

const EXAMPLE = path.join(__dirname, '..', 'fleet.yaml');
// The example without its first line (the editors' schema hint), so the lines below are those of the fleet.
const example = fs.readFileSync(EXAMPLE, 'utf8').replace(/^# yaml-language-server:.*\n/, '');

afterAll(cleanTmp);

/** The example fleet with apiserver annotations. */
function withAnnotations(lines: string): string {
  return example.replace('    serviceType: LoadBalancer\n', `    serviceType: LoadBalancer\n    annotations:\n${lines}`);
}

describe('no input can become Liquid (defect 2)', () => {
  test.each([
    ['{{ configuration["ca.key.b64"] }}', 'must not contain "{{" or "{%"'],
    ['{% raw %}x', 'must not contain "{{" or "{%"'],
    ['__meshfleet_liquid_3__', 'must not contain "__meshfleet_liquid_", a name meshfleet reserves'],
    ['__meshfleet_liquid_99__', 'must not contain "__meshfleet_liquid_", a name meshfleet reserves'],
  ])('GIVEN an apiserver annotation value %j WHEN loaded THEN it is refused, naming the field and line', (value, why) => {
    expect(faults(withAnnotations(`      example.com/x: '${value}'\n`)))
      .toEqual([`fleet.yaml:12:22: fleet: cilium.apiserver.annotations.example.com/x ${why}${why.includes('{{') ? ': Plural renders these files as Liquid, and only meshfleet writes Liquid' : ''}`]);
  });

  test('GIVEN an annotation key holding Liquid WHEN loaded THEN the key is refused', () => {
    expect(faults(withAnnotations("      '{{ x }}': v\n"))[0]).toMatch(/^fleet\.yaml:12:18: fleet: cilium\.apiserver\.annotations\.\{\{ x \}\} \(the key\) must not contain "\{\{"/);
  });

  test.each([
    ['fleetFile', '"{{ context.x }}.yaml"'],
    ['actor', '"{% if true %}a{% endif %}"'],
    ['identifier', '"org/{{ repo }}"'],
    ['gitRef', '"{{ ref }}"'],
  ])('GIVEN plural.%s with Liquid WHEN loaded THEN it is refused before it can reach a PR automation', (field, value) => {
    const text = example.replace('plural:\n  identifier: orchid/infra\n', `plural:\n  ${field}: ${value}\n`);
    expect(faults(text)).toEqual([expect.stringMatching(new RegExp(`^fleet\\.yaml:12:\\d+: fleet: plural\\.${field} must not contain "\\{\\{" or "\\{%"`))]);
  });

  test('GIVEN a user string equal to a placeholder WHEN values are written THEN it stays that string; Liquid comes only from Liquid values', () => {
    const text = stringifyValues({ a: '__meshfleet_liquid_0__', b: Liquid.string('cluster.handle'), c: Liquid.scalar('cluster.metadata.cilium_cluster_id'), d: [Liquid.string('x')] });
    expect(text).toBe("a: __meshfleet_liquid_0__\nb: '{{ cluster.handle }}'\nc: {{ cluster.metadata.cilium_cluster_id }}\nd:\n  - '{{ x }}'\n");
    expect(stringifyValues({ a: '__meshfleet_liquid_99__' })).toBe('a: __meshfleet_liquid_99__\n');
  });
});

describe('every free-form string has a syntax rule (defects 9, 10, 11)', () => {
  test.each([
    ['""', 'key "" must not be empty'],
    ['"Bad Key!"', 'key "Bad Key!" must be [prefix/]name'],
    ['"-x/y"', 'key "-x/y" has an invalid prefix "-x"'],
  ])('GIVEN annotation key %s WHEN loaded THEN it is refused', (key, why) => {
    expect(faults(withAnnotations(`      ${key}: v\n`))).toEqual([expect.stringContaining(`fleet: cilium.apiserver.annotations ${why}`)]);
  });

  test('GIVEN tags with an empty key, a 300-character value and a huge value WHEN loaded THEN each is refused', () => {
    const huge = 'x'.repeat(5000);
    const text = example.replace('    podCidr: 10.1.0.0/16\n', `    podCidr: 10.1.0.0/16\n    tags: {"": a, long: ${'y'.repeat(300)}, huge: ${huge}}\n`);
    expect(faults(text)).toEqual([
      'fleet.yaml:23:16: cluster "orchid-dev": tag key "" must not be empty',
      'fleet.yaml:23:25: cluster "orchid-dev": tags.long is 300 characters long; at most 255 are allowed',
      'fleet.yaml:23:333: cluster "orchid-dev": tags.huge is 5000 characters long; at most 4096 are allowed',
    ]);
  });

  test.each([
    ['-----BEGIN PRIVATE KEY-----', 'a PEM block (key or certificate)'],
    ['LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t', 'base64-encoded PEM'],
    ['eC0tLS0tQkVHSU4g', 'base64-encoded PEM'],
    ['ghp_0123456789abcdefghijABCDEFGHIJ', 'a GitHub token'],
    ['glpat-0123456789abcdefghij', 'a GitLab token'],
    ['AKIAIOSFODNN7EXAMPLE', 'an AWS access key id'],
    ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig', 'a JSON Web Token'],
    // Issue 16, defect 12: shapes that passed.
    ['wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'an AWS secret access key'],
    ['aws_secret=wJalrXUtnFEMI+K7MDENGabPxRfiCYEXAMPLEKEY', 'an AWS secret access key'],
    ['https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX', 'a webhook URL (the URL itself is the credential)'],
    ['https://discord.com/api/webhooks/123456/abcdef', 'a webhook URL (the URL itself is the credential)'],
    ['https://acme.webhook.office.com/webhookb2/abc@def/IncomingWebhook/x/y', 'a webhook URL (the URL itself is the credential)'],
    ['https://chat.googleapis.com/v1/spaces/AAA/messages?key=AIzaSyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI&token=x', 'a webhook URL (the URL itself is the credential)'],
    ['npm_0123456789abcdefghijABCDEFGHIJ012345', 'an npm token'],
    ['gldt-0123456789abcdefghij', 'a GitLab token'],
    ['glrt-0123456789abcdefghij', 'a GitLab token'],
    ['AIzaSyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI', 'a Google API key or OAuth secret'],
    ['GOCSPX-0123456789abcdefghijABCD', 'a Google API key or OAuth secret'],
    ['-----BEGIN OPENSSH PRIVATE KEY-----', 'a PEM block (key or certificate)'],
    ['-----BEGIN EC PRIVATE KEY-----', 'a PEM block (key or certificate)'],
    ['-----BEGIN PGP PRIVATE KEY BLOCK-----', 'a PEM block (key or certificate)'],
    ['-----BEGIN ENCRYPTED PRIVATE KEY-----', 'a PEM block (key or certificate)'],
    ['---BEGIN DSA PRIVATE KEY---', 'a PEM block (key or certificate)'],
    ['PuTTY-User-Key-File-3: ssh-ed25519', 'a PEM block (key or certificate)'],
    ['DefaultEndpointsProtocol=https;AccountName=x;AccountKey=abcdefghijklmnopqrstuvwxyz0123==', 'an Azure storage or Service Bus key'],
    // The red-team round: case, a PEM body alone, and more vendors.
    ['https://HOOKS.SLACK.COM/services/T00000000/B00000000/XXXXXXXX', 'a webhook URL (the URL itself is the credential)'],
    ['https://Discord.com/api/webhooks/1/x', 'a webhook URL (the URL itself is the credential)'],
    ['-----begin rsa private key-----', 'a PEM block (key or certificate)'],
    [`MIIEowIBAAKCAQEA${'q'.repeat(64)}`, 'a PEM body (base64 DER of a key or certificate)'],
    ['SG.abcdefghijklmnopqrst.abcdefghijklmnopqrstu', 'a SendGrid API key'],
    ['hf_abcdefghijklmnopqrstuvwxyz0123456789', 'a Hugging Face token'],
    ['pk_live_abcdefghijklmnop1234', 'an API secret key'],
    ['je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY', 'an AWS secret access key'],
  ])('GIVEN %s in a tag WHEN loaded THEN it is refused as %s, naming the field', (value, what) => {
    const text = example.replace('    podCidr: 10.1.0.0/16\n', `    podCidr: 10.1.0.0/16\n    tags: {owner: "${value}"}\n`);
    expect(faults(text)).toEqual([`fleet.yaml:23:19: cluster "orchid-dev": tags.owner looks like ${what}; secrets never go into fleet.yaml, which is committed to Git; keep them in a Secret or your CI's secret store`]);
  });

  test('GIVEN ordinary values that resemble nothing secret WHEN loaded THEN they pass', () => {
    const text = example.replace('    podCidr: 10.1.0.0/16\n', '    podCidr: 10.1.0.0/16\n    tags: {team: task-runner, cost-center: sk-42, note: "eyJ is how JSON starts in base64", '
      + 'commit: 0123456789abcdef0123456789abcdef01234567, word: abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN, url: "https://hooks.example.com/services/x", '
      + 'cc: CostCenter/Engineering/Platform/Team2024, tf: Terraform/Modules/Clusters/Aws/UsEast2ab, camel: MyLongTagValueWithCamelCase1234567890abc, '
      + 'upper: 0123456789ABCDEF0123456789ABCDEF01234567}\n');
    expect(faults(text)).toEqual([]);
  });

  test('GIVEN plural.namespace "../x" WHEN loaded THEN the fleet.yaml field is named, not a generated object', () => {
    expect(faults(example.replace('plural:\n', 'plural:\n  namespace: "../x"\n')))
      .toEqual(['fleet.yaml:12:14: fleet: plural.namespace "../x" must consist of lowercase letters, digits and "-", and start and end with a letter or digit']);
  });

  test.each([
    ['fleetFile: ../fleet.yaml', 'plural.fleetFile "../fleet.yaml" must be a path relative to the repository root'],
    ['fleetFile: fleet.txt', 'plural.fleetFile "fleet.txt" must name a .yaml or .yml file'],
    ['gitRef: "main branch"', 'plural.gitRef "main branch" is not a valid git ref'],
    ['identifier: "not a slug"', 'plural.identifier "not a slug" must be a repository slug'],
    ['actor: "a b"', 'plural.actor "a b" must be a Plural user\'s email'],
    ['repository: Infra', 'plural.repository "Infra" must consist of lowercase letters'],
    ['terraformVersion: latest', 'plural.terraformVersion "latest" must be a Terraform version'],
    ['terraformFolder: /abs', 'plural.terraformFolder "/abs" must be a path relative to the repository root'],
  ])('GIVEN plural %s WHEN loaded THEN it is refused at its line', (line, message) => {
    expect(faults(example.replace('plural:\n  identifier: orchid/infra\n', `plural:\n  ${line}\n`))).toEqual([expect.stringMatching(new RegExp(`^fleet\\.yaml:12:\\d+: fleet: ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`))]);
  });

  test('GIVEN poolerReplicas of 2^31 WHEN loaded THEN the fleet.yaml field is named with its line', () => {
    const text = example.replace('      clusters: [orchid-dev-usw1, orchid-dev-usw2]\n', '      clusters: [orchid-dev-usw1, orchid-dev-usw2]\n      poolerReplicas: 2147483648\n');
    expect(faults(text)).toEqual(['fleet.yaml:59:23: multigres deployment "orders": poolerReplicas must be within 1..2147483647 (got 2147483648)']);
  });

  test('GIVEN api cluster with a 26-character deployment name and a 31-character cluster name WHEN loaded THEN the loader refuses both with lines', () => {
    const text = example.replace('api: components', 'api: cluster').replace('networkPolicies: true', 'networkPolicies: false').replace('- name: orders\n', '- name: orders-abcdefghijklmnopqrs\n')
      .replace(/orchid-dev-usw1/g, 'orchid-dev-usw1-abcdefghijklmnop');
    expect(faults(text)).toEqual([
      'fleet.yaml:54:13: multigres deployment "orders-abcdefghijklmnopqrs": name is 26 characters long; with multigres.api cluster it names a MultigresCluster, whose CRD allows at most 25',
    ]);
    const cells = example.replace('api: components', 'api: cluster').replace('networkPolicies: true', 'networkPolicies: false').replace(/orchid-dev-usw1/g, 'orchid-dev-usw1-abcdefghijklmnop');
    expect(faults(cells)).toEqual([
      'fleet.yaml:55:13: multigres deployment "orders": cluster "orchid-dev-usw1-abcdefghijklmnop" of mesh "dev" has a 32-character name; with multigres.api cluster it names a cell, which the MultigresCluster CRD limits to 30 characters',
    ]);
  });

  test('GIVEN a YAML alias bomb WHEN loaded THEN it is cheap: aliases share one value, and more than 100 are refused naming the line', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const [k, p] of [['b', 'a'], ['c', 'b'], ['d', 'c'], ['e', 'd']]) bomb.push(`${k}: &${k} [${Array(9).fill(`*${p}`).join(', ')}]`);
    expect(faults(`${bomb.join('\n')}\n${example}`)).toEqual(['a', 'b', 'c', 'd', 'e'].map((k, i) => `fleet.yaml:${i + 1}:1: fleet: unknown key "${k}"`));
    const many = `x: &x {a: 1}\ny: [${Array(101).fill('*x').join(', ')}]\n`;
    expect(faults(`${many}${example}`)).toEqual([expect.stringMatching(/^fleet\.yaml:2:\d+: yaml syntax error: more than 100 aliases; write the values out/)]);
  });

  test('GIVEN id 1e400 WHEN loaded THEN the fault shows what was written', () => {
    expect(faults(example.replace('    id: 1\n', '    id: 1e400\n'))).toEqual(['fleet.yaml:18:9: cluster "orchid-dev": id must be an integer (got \"1e400\")']);
  });
});

describe('validation is linear (defect 8)', () => {

  test('GIVEN random pod CIDRs WHEN checked THEN exactly the clusters overlapping an earlier one are reported, as a pairwise check finds', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 20; round++) {
      const cidrs = Array.from({ length: 30 }, () => {
        const bits = 8 + Math.floor(next() * 9);
        const size = 2 ** (32 - bits);
        const base = Math.floor((next() * 2 ** 24) / (size / 256)) * size % 2 ** 32;
        return `${[24, 16, 8, 0].map((s) => (base >>> s) & 255).join('.')}/${bits}`;
      });
      const range = (c: string) => {
        const [ip, b] = c.split('/');
        const first = ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
        return [first, first + 2 ** (32 - Number(b)) - 1];
      };
      const expected = cidrs.map((c, i) => cidrs.slice(0, i).some((d) => range(d)[0] <= range(c)[1] && range(c)[0] <= range(d)[1])).map((x, i) => (x ? `c${i}` : '')).filter(Boolean);
      const lines = ['name: r', 'cilium:', '  version: 1.18.1', '  cni: cluster-pool', 'tiers: [dev]', 'clusters:'];
      cidrs.forEach((c, i) => lines.push(`  - {name: c${i}, id: ${i + 1}, tier: dev, region: us-east-1, dnsZone: a.example.com, podCidr: ${c}}`));
      const reported = faults(lines.join('\n')).map((f) => /cluster "(c\d+)": podCidr/.exec(f)?.[1]).filter(Boolean);
      expect({ cidrs, reported }).toEqual({ cidrs, reported: expected });
    }
  });
});

describe('the CLI refuses a bad output folder (defect 5) and a renamed fleet (defect 12)', () => {
  test.each([[['--out', '']], [['--out=']], [['--out', ' ']]])('GIVEN %j WHEN run THEN it exits 2 at once', (args) => {
    const r = runCli(['--fleet', EXAMPLE, ...args]);
    expect(r.code).toBe(2);
    expect(r.err).toBe('meshfleet: --out needs a non-empty value; nothing was written');
  });

  test('GIVEN --out naming a file WHEN run THEN it exits 2 with one line and the file is untouched', () => {
    const dir = tmp();
    const file = path.join(dir, 'file');
    fs.writeFileSync(file, 'keep\n');
    const r = runCli(['--fleet', EXAMPLE, '--out', file]);
    expect({ code: r.code, err: r.err }).toEqual({ code: 2, err: `meshfleet: output folder ${file} exists and is not a folder; nothing was written` });
    expect(fs.readFileSync(file, 'utf8')).toBe('keep\n');
  });

  test('GIVEN the tree of the fleet under its old name WHEN the renamed fleet is synthesized into the same folder THEN it is refused, saying what to do', () => {
    const dir = tmp();
    expect(runCli(['--fleet', EXAMPLE, '--out', dir]).code).toBe(0);
    const renamed = path.join(tmp(), 'fleet.yaml');
    fs.writeFileSync(renamed, example.replace('name: orchid\n', 'name: lotus\n'));
    const before = tree(dir);
    const r = runCli(['--fleet', renamed, '--out', dir]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('.meshfleet/orchid.files: another tree in this folder already declares clusters "orchid-dev", "orchid-dev-usw1", "orchid-dev-usw2", "orchid-prod-use1", "orchid-prod-usw2"');
    expect(r.err).toContain('If you renamed the fleet, delete the old tree first');
    expect(tree(dir)).toEqual(before);
  });

  test('GIVEN two fleets with different clusters WHEN written into one folder THEN both trees live side by side', () => {
    const dir = tmp();
    expect(runCli(['--fleet', EXAMPLE, '--out', dir]).code).toBe(0);
    const other = path.join(tmp(), 'fleet.yaml');
    fs.writeFileSync(other, example.replace('name: orchid\n', 'name: lotus\n').replace(/orchid-/g, 'lotus-'));
    expect(runCli(['--fleet', other, '--out', dir]).code).toBe(0);
    expect(Object.keys(tree(dir)).filter((p) => p.startsWith('.meshfleet/'))).toEqual(['.meshfleet/lotus.argocd.files', '.meshfleet/lotus.files', '.meshfleet/orchid.argocd.files', '.meshfleet/orchid.files']);
  });
});

describe('fuzzed fleet.yaml: every mistake is a located fault, never a crash or a generated object (issue 6, defect 11)', () => {
  const regional = (extra: string) => example.replace('      topology: shared-etcd\n      etcdCluster: orchid-dev\n', `      topology: regional\n${extra}`);
  test.each([
    ['a tier that is null', example.replace('  - prod\n', '  - null\n'), /^fleet\.yaml:15:5: fleet: tiers\[1\] must be a mapping \(got nothing\)$/],
    ['a cluster written as a bare name', example.replace(/  - name: orchid-prod-usw2\n(    .*\n)+/, '  - orchid-prod-usw2\n'), /^fleet\.yaml:41:5: fleet: clusters\[4\] must be a mapping \(got "orchid-prod-usw2"\)$/],
    ['a deployment that is null', example.replace(/    - name: orders\n(      .*\n)+/, '    - null\n'), /^fleet\.yaml:54:7: fleet: multigres\.deployments\[0\] must be a mapping \(got nothing\)$/],
    ['gatewayNodes with an empty nodeLabel', regional('      gatewayNodes: {taintKey: dedicated, taintValue: gw, nodeLabel: {}}\n'), /gatewayNodes\.nodeLabel must hold exactly one label/],
    ['gatewayNodes without a taint key', regional('      gatewayNodes: {taintValue: gw}\n'), /gatewayNodes\.taintKey is missing/],
    ['gatewayNodes on a label no node carries', regional('      gatewayNodes: {taintKey: topology.cilium.io/cluster, taintValue: gw}\n'), /gatewayNodes label "topology\.cilium\.io\/cluster" is a label no node carries/],
    ['gatewayNodes with shared-etcd', example.replace('      etcdCluster: orchid-dev\n', '      etcdCluster: orchid-dev\n      gatewayNodes: {taintKey: a, taintValue: b}\n'), /gatewayNodes is only used with topology regional/],
    ['a deployment name starting with a digit', example.replace('    - name: orders\n', '    - name: 1orders\n'), /name must start with a letter/],
    ['terraformVersion "1"', example.replace('plural:\n', 'plural:\n  terraformVersion: "1"\n'), /plural\.terraformVersion "1" must be a Terraform version/],
    ['a tier named issuer', example.replace('  - prod\n', '  - issuer\n').replace(/tier: prod/g, 'tier: issuer'), /tier "issuer" \(tiers\[1\]\): name is reserved/],
    ['no tiers at all', example.replace('tiers:\n  - dev\n  - prod\n', 'tiers: []\n'), /fleet: tiers must name at least one tier/],
    ['a tag named constructor', example.replace('    podCidr: 10.1.0.0/16\n', '    podCidr: 10.1.0.0/16\n    tags: {constructor: x}\n'), /tags\.constructor \(the key\) is a name JavaScript objects already carry/],
    ['a top-level key named toString', `toString: x\n${example}`, /fleet\.yaml:1:1: fleet: unknown key "toString"|toString \(the key\) is a name JavaScript objects/],
    ['no name', example.replace('name: orchid\n', ''), /^fleet\.yaml:\d+:\d+: fleet: name is missing/],
    ['a name with a line break', example.replace('name: orchid\n', 'name: "or\\nchid"\n'), /^fleet\.yaml:\d+:\d+: fleet: name "or\\nchid" must consist/],
    ['a deployment without a mesh', example.replace('      mesh: dev\n', ''), /multigres deployment "orders": mesh is missing/],
    ['an empty clusters list in a deployment', example.replace('      clusters: [orchid-dev-usw1, orchid-dev-usw2]\n', '      clusters: []\n'), /clusters must name at least one cluster/],
    ['a chart URL with credentials', example.replace('  version: 1.18.1\n', '  version: 1.18.1\n  chartUrl: https://user:s3cret@charts.example.com\n'), /cilium\.chartUrl must not carry credentials/],
    ['identifier ../x', example.replace('  identifier: orchid/infra\n', '  identifier: ../x\n'), /plural\.identifier "\.\.\/x" must be a repository slug/],
    ['a cluster named like the management cluster', example.replace('  - name: orchid-prod-usw2\n', '  - name: mgmt\n'), /cluster "mgmt": name is the management cluster's/],
    ['chart version 1.18.01', example.replace('  version: 1.18.1\n', '  version: 1.18.01\n'), /cilium\.version "1\.18\.01" is not a chart version/],
    ['65 tags', example.replace('    podCidr: 10.1.0.0/16\n', `    podCidr: 10.1.0.0/16\n    tags: {${Array.from({ length: 65 }, (_, i) => `t${i}: v`).join(', ')}}\n`), /tags has 65 entries; at most 64 are allowed/],
  ])('GIVEN %s WHEN loaded THEN one located fault says so', (_, text, expected) => {
    const found = faults(text);
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((f) => /^fleet\.yaml:\d+:\d+: /.test(f) && !f.includes('\n'))).toBe(true);
    expect(found).toContainEqual(expect.stringMatching(expected));
  });

  test('GIVEN two deployments whose names joined to a cluster name coincide WHEN synthesized THEN both are written', () => {
    const text = example.replace('    podCidr: 10.3.0.0/16\n', '    podCidr: 10.3.0.0/16\n  - {name: usw1, id: 4, tier: dev, region: us-west-2, dnsZone: dev.pocs.plural.sh, podCidr: 10.4.0.0/16}\n')
      .replace('      clusters: [orchid-dev-usw1, orchid-dev-usw2]\n', '      clusters: [orchid-dev-usw1, orchid-dev-usw2]\n    - {name: orders-orchid-dev, mesh: dev, topology: shared-etcd, etcdCluster: orchid-dev, clusters: [usw1]}\n');
    const { synthPluralTree } = jest.requireActual('../src') as typeof import('../src');
    const files = synthPluralTree(parseFleet(text, 'fleet.yaml'));
    expect([...files.keys()]).toEqual(expect.arrayContaining(['services/orchid/multigres/orchid-dev-usw1/orders.yaml', 'services/orchid/multigres/usw1/orders-orchid-dev.yaml']));
  });

  test('GIVEN 1,000 tiers WHEN loaded THEN it finishes (tiers are looked up in maps, not scanned); 1,001 are refused (issue 16: bounded lists)', () => {
    const text = (n: number) => `name: many\ncilium: {version: 1.18.1}\ntiers: [${Array.from({ length: n }, (_, i) => `t${i}`).join(', ')}]\nclusters: [{name: a, id: 1, tier: t999, region: us-east-1, dnsZone: a.example.com}]\n`;
    expect(parseFleet(text(1000), 'fleet.yaml').meshes.length).toBe(1000);
    expect(faults(text(1001))).toEqual(['fleet.yaml:3:8: fleet: tiers has 1001 entries; at most 1000 are allowed']);
  });
});
