import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VpcError } from '../../../../src/util/errors.js';
import { PACKAGE_ROOT } from '../../../../src/util/paths.js';
import { emptySnapshot, parseIptablesSave } from '../../../../src/vpcctl/plan/iptables.js';
import {
  parsePolicy,
  planApplyPolicy,
  policyRules,
  policyTarget,
} from '../../../../src/vpcctl/plan/policy.js';
import { OPTIONS, seedState } from './helpers.js';

const SEED = {
  subnet: '10.0.1.0/24',
  ingress: [
    { port: 80, protocol: 'tcp', action: 'allow' },
    { port: 22, protocol: 'tcp', action: 'deny' },
    { port: 443, protocol: 'tcp', action: 'deny' },
  ],
};

function problems(doc: unknown): string {
  try {
    parsePolicy(doc, 'p.json');
  } catch (error) {
    if (error instanceof VpcError) {
      expect(error.code).toBe('E_SCHEMA');
      return error.message;
    }
    throw error;
  }
  throw new Error('accepted');
}

describe('parsePolicy', () => {
  it("accepts the seed's policy and fills the defaults", () => {
    expect(parsePolicy(SEED, 'p.json')).toEqual({
      subnet: '10.0.1.0/24',
      ingress: [
        { protocol: 'tcp', fromPort: 80, toPort: 80, action: 'allow' },
        { protocol: 'tcp', fromPort: 22, toPort: 22, action: 'deny' },
        { protocol: 'tcp', fromPort: 443, toPort: 443, action: 'deny' },
      ],
      egress: [],
      defaultIngress: 'allow',
      defaultEgress: 'allow',
    });
  });

  it('accepts the extensions: ranges, udp/icmp/all, source and destination, egress, defaults', () => {
    const parsed = parsePolicy(
      {
        subnet: '10.0.1.0/24',
        ingress: [
          { protocol: 'tcp', port: '8000-8080', source: '10.0.2.0/24', action: 'allow', description: 'app' },
          { protocol: 'icmp', action: 'allow' },
        ],
        egress: [
          { protocol: 'udp', port: 53, destination: '10.0.0.0/16', action: 'allow' },
          { protocol: 'all', action: 'deny' },
        ],
        default: { ingress: 'deny' },
      },
      'p.json',
    );
    expect(parsed.ingress[0]).toEqual({
      protocol: 'tcp',
      fromPort: 8000,
      toPort: 8080,
      cidr: '10.0.2.0/24',
      action: 'allow',
      description: 'app',
    });
    expect(parsed.egress[0]).toEqual({
      protocol: 'udp',
      fromPort: 53,
      toPort: 53,
      cidr: '10.0.0.0/16',
      action: 'allow',
    });
    expect([parsed.defaultIngress, parsed.defaultEgress]).toEqual(['deny', 'allow']);
  });

  it.each([
    [
      { ...SEED, ingress: [{ port: 80, protocol: 'tcp', action: 'permit' }] },
      '/ingress/0/action: must be one of "allow", "deny" (got "permit")',
    ],
    [
      { ...SEED, ingress: [{ port: 80, protocol: 'sctp', action: 'allow' }] },
      '/ingress/0/protocol: must be one of "tcp", "udp", "icmp", "all" (got "sctp")',
    ],
    [
      { ...SEED, ingress: [{ port: 0, protocol: 'tcp', action: 'allow' }] },
      '/ingress/0/port: must be >= 1 (got 0)',
    ],
    [
      { ...SEED, ingress: [{ port: 65536, protocol: 'tcp', action: 'allow' }] },
      '/ingress/0/port: must be <= 65535 (got 65536)',
    ],
    [
      { ...SEED, ingress: [{ port: 'http', protocol: 'tcp', action: 'allow' }] },
      '/ingress/0/port: "http" does not have the expected form',
    ],
    [
      { ...SEED, ingress: [{ port: 8.5, protocol: 'tcp', action: 'allow' }] },
      '/ingress/0/port: must be integer or string (got 8.5)',
    ],
    [
      { ...SEED, ingress: [{ port: '90-80', protocol: 'tcp', action: 'allow' }] },
      '/ingress/0/port: "90-80" is not a range of ports',
    ],
    [
      { ...SEED, ingress: [{ port: '1-70000', protocol: 'tcp', action: 'allow' }] },
      '/ingress/0/port: "1-70000" is not a range of ports',
    ],
    [
      { ...SEED, ingress: [{ port: 7, protocol: 'icmp', action: 'deny' }] },
      '/ingress/0/port: a port only applies to tcp and udp',
    ],
    [{ ...SEED, ingress: [{ protocol: 'tcp' }] }, '/ingress/0: missing required property "action"'],
    [
      { ...SEED, ingress: [{ protocol: 'tcp', action: 'allow', destination: '10.0.0.0/8' }] },
      '/ingress/0: unknown property "destination"',
    ],
    [
      { ...SEED, ingress: [{ protocol: 'tcp', action: 'allow', source: '10.0.2.1/24' }] },
      '/ingress/0/source: CIDR "10.0.2.1/24" is not a valid IPv4 CIDR: host bits are set',
    ],
    [{ ...SEED, ingress: {} }, '/ingress: must be array (got {})'],
    [{ ...SEED, subnet: '10.0.1.0' }, '/subnet: "10.0.1.0" does not have the expected form'],
    [{ ingress: [] }, '/: missing required property "subnet"'],
    [
      { ...SEED, default: { ingress: 'block' } },
      '/default/ingress: must be one of "allow", "deny" (got "block")',
    ],
    [[SEED], '/: must be object (got [{"subnet"'],
  ])('names the JSON path and the bad value: %j', (doc, message) => {
    const text = problems(doc);
    expect(text).toMatch(/^policy file p\.json is not valid:\n {2}/);
    expect(text).toContain(message);
  });

  it('reports every problem at once', () => {
    const text = problems({
      subnet: 'x',
      ingress: [{ protocol: 'tcp', action: 'nope' }],
      egress: [{ action: 'allow' }],
    });
    expect(text.split('\n').length).toBeGreaterThanOrEqual(4);
  });

  it('every example policy in docs/ validates', () => {
    const dir = join(PACKAGE_ROOT, 'docs/examples/policies');
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files)
      expect(() => parsePolicy(JSON.parse(readFileSync(join(dir, file), 'utf8')), file)).not.toThrow();
  });
});

describe('policy translation', () => {
  it("turns the seed's policy into namespace rules: loopback, replies, the rules in order, the default", () => {
    const rules = policyRules(parsePolicy(SEED, 'p.json'), OPTIONS);
    expect(rules.ingress).toEqual([
      '-A VPCCTL-INGRESS -i lo -m comment --comment "vpcctl:policy:loopback" -j ACCEPT',
      '-A VPCCTL-INGRESS -m conntrack --ctstate RELATED,ESTABLISHED -m comment --comment "vpcctl:policy:replies" -j ACCEPT',
      '-A VPCCTL-INGRESS -p tcp -m tcp --dport 80 -m comment --comment "vpcctl:policy:ingress:1" -j ACCEPT',
      '-A VPCCTL-INGRESS -p tcp -m tcp --dport 22 -m comment --comment "vpcctl:policy:ingress:2" -j DROP',
      '-A VPCCTL-INGRESS -p tcp -m tcp --dport 443 -m comment --comment "vpcctl:policy:ingress:3" -j DROP',
      '-A VPCCTL-INGRESS -m comment --comment "vpcctl:policy:ingress:default" -j ACCEPT',
    ]);
    expect(rules.egress).toEqual([
      '-A VPCCTL-EGRESS -o lo -m comment --comment "vpcctl:policy:loopback" -j ACCEPT',
      '-A VPCCTL-EGRESS -m conntrack --ctstate RELATED,ESTABLISHED -m comment --comment "vpcctl:policy:replies" -j ACCEPT',
      '-A VPCCTL-EGRESS -m comment --comment "vpcctl:policy:egress:default" -j ACCEPT',
    ]);
  });

  it('ranges, protocols, peers and defaults', () => {
    const rules = policyRules(
      parsePolicy(
        {
          subnet: '10.0.1.0/24',
          ingress: [
            { protocol: 'udp', port: '5000-5010', source: '10.0.2.0/24', action: 'allow' },
            { protocol: 'icmp', action: 'deny' },
            { protocol: 'tcp', action: 'allow' },
          ],
          egress: [{ protocol: 'all', destination: '198.51.100.0/24', action: 'deny' }],
          default: { ingress: 'deny', egress: 'allow' },
        },
        'p.json',
      ),
      OPTIONS,
    );
    expect(rules.ingress.slice(2)).toEqual([
      '-A VPCCTL-INGRESS -s 10.0.2.0/24 -p udp -m udp --dport 5000:5010 -m comment --comment "vpcctl:policy:ingress:1" -j ACCEPT',
      '-A VPCCTL-INGRESS -p icmp -m comment --comment "vpcctl:policy:ingress:2" -j DROP',
      '-A VPCCTL-INGRESS -p tcp -m tcp -m comment --comment "vpcctl:policy:ingress:3" -j ACCEPT',
      '-A VPCCTL-INGRESS -m comment --comment "vpcctl:policy:ingress:default" -j DROP',
    ]);
    expect(rules.egress[2]).toBe(
      '-A VPCCTL-EGRESS -d 198.51.100.0/24 -m comment --comment "vpcctl:policy:egress:1" -j DROP',
    );
  });

  it('applies in the namespace and replaces the chains on the next apply (never appends)', () => {
    const state = seedState();
    const policy = parsePolicy(SEED, 'p.json');
    const target = policyTarget(state, policy, { vpc: 'vpc1', subnet: 'publicsub' }, 'p.json');
    const first = planApplyPolicy(state, emptySnapshot(), target, policy, 'p.json', OPTIONS);
    const step = first.topology[0];
    expect(step).toMatchObject({ kind: 'iptables-restore', netns: 'vpc1-publicsub' });
    const input = step?.kind === 'iptables-restore' ? step.input : '';
    expect(input).toMatch(/^\*filter\n:VPCCTL-INGRESS - \[0:0\]\n/);
    expect(input).toContain('-I INPUT 1 -m comment --comment vpcctl -j VPCCTL-INGRESS');
    expect(input).toContain('-I OUTPUT 1 -m comment --comment vpcctl -j VPCCTL-EGRESS');
    // The namespace once the first apply is in: the second apply plans only a rewrite, no second hook.
    const rules = policyRules(policy, OPTIONS);
    const applied = parseIptablesSave(
      `*filter\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:VPCCTL-INGRESS - [0:0]\n:VPCCTL-EGRESS - [0:0]\n-A INPUT -m comment --comment vpcctl -j VPCCTL-INGRESS\n-A OUTPUT -m comment --comment vpcctl -j VPCCTL-EGRESS\n${[...rules.ingress, ...rules.egress].join('\n')}\nCOMMIT\n`,
    );
    expect(planApplyPolicy(state, applied, target, policy, 'p.json', OPTIONS).topology).toEqual([]);
    const other = parsePolicy(
      { subnet: '10.0.1.0/24', ingress: [{ protocol: 'icmp', action: 'deny' }] },
      'q.json',
    );
    const second = planApplyPolicy(state, applied, target, other, 'q.json', OPTIONS).topology[0];
    const text = second?.kind === 'iptables-restore' ? second.input : '';
    expect(text).not.toMatch(/-I (INPUT|OUTPUT)/);
    expect(text).toContain(':VPCCTL-INGRESS - [0:0]');
    expect(text).not.toContain('--dport');
  });

  it('finds the subnet by the CIDR in the file, or checks it against --vpc/--subnet', () => {
    const state = seedState();
    const policy = parsePolicy({ subnet: '10.1.2.0/24' }, 'p.json');
    expect(policyTarget(state, policy, {}, 'p.json').subnet.netns).toBe('vpc2-privatesub');
    expect(() => policyTarget(state, policy, { vpc: 'vpc1', subnet: 'publicsub' }, 'p.json')).toThrow(
      /\/subnet is "10\.1\.2\.0\/24" but subnet vpc1\/publicsub is 10\.0\.1\.0\/24/,
    );
    expect(() => policyTarget(state, parsePolicy({ subnet: '10.9.0.0/24' }, 'p.json'), {}, 'p.json')).toThrow(
      /no subnet has CIDR 10\.9\.0\.0\/24/,
    );
  });
});
