import { describe, expect, it } from 'vitest';
import { emptyState } from '../../../../src/vpcctl/model.js';
import { forwardRules, postroutingRules, rootChains } from '../../../../src/vpcctl/plan/firewall.js';
import { OPTIONS, seedState } from './helpers.js';

/** The parts of a rule, read back from its iptables-save form. */
function parts(rule: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = / (-[sdioj]) (\S+)/g;
  for (let m = re.exec(rule); m; m = re.exec(rule)) out[m[1] ?? ''] = m[2] ?? '';
  return out;
}

describe('root firewall of the seed lab', () => {
  const state = seedState();
  const rules = forwardRules(state, OPTIONS);

  it('is exactly this, in iptables-save form', () => {
    expect(rules).toEqual([
      '-A VPCCTL-FORWARD -o br-vpc1 -m conntrack --ctstate RELATED,ESTABLISHED -m comment --comment "vpcctl:vpc1:replies" -j ACCEPT',
      '-A VPCCTL-FORWARD -o br-vpc2 -m conntrack --ctstate RELATED,ESTABLISHED -m comment --comment "vpcctl:vpc2:replies" -j ACCEPT',
      '-A VPCCTL-FORWARD -s 10.0.0.0/16 -d 10.0.0.0/16 -i br-vpc1 -o br-vpc1 -m comment --comment "vpcctl:vpc1:intra-vpc" -j ACCEPT',
      '-A VPCCTL-FORWARD -s 10.1.0.0/16 -d 10.1.0.0/16 -i br-vpc2 -o br-vpc2 -m comment --comment "vpcctl:vpc2:intra-vpc" -j ACCEPT',
      '-A VPCCTL-FORWARD -s 10.0.1.0/24 -i br-vpc1 -o eth0 -m comment --comment "vpcctl:vpc1/publicsub:nat-egress" -j ACCEPT',
      '-A VPCCTL-FORWARD -s 10.0.1.0/24 -d 10.1.1.0/24 -i br-vpc1 -o br-vpc2 -m comment --comment "vpcctl:peering:vpc1->vpc2" -j ACCEPT',
      '-A VPCCTL-FORWARD -s 10.1.1.0/24 -d 10.0.1.0/24 -i br-vpc2 -o br-vpc1 -m comment --comment "vpcctl:peering:vpc2->vpc1" -j ACCEPT',
      '-A VPCCTL-FORWARD -s 10.0.0.0/16 -d 10.1.0.0/16 -m comment --comment "vpcctl:isolate:vpc1/vpc2" -j DROP',
      '-A VPCCTL-FORWARD -s 10.1.0.0/16 -d 10.0.0.0/16 -m comment --comment "vpcctl:isolate:vpc1/vpc2" -j DROP',
      '-A VPCCTL-FORWARD -i br-vpc1 -m comment --comment "vpcctl:vpc1:default-deny" -j DROP',
      '-A VPCCTL-FORWARD -o br-vpc1 -m comment --comment "vpcctl:vpc1:default-deny" -j DROP',
      '-A VPCCTL-FORWARD -i br-vpc2 -m comment --comment "vpcctl:vpc2:default-deny" -j DROP',
      '-A VPCCTL-FORWARD -o br-vpc2 -m comment --comment "vpcctl:vpc2:default-deny" -j DROP',
    ]);
  });

  it('lets nothing out of the WAN but the NAT subnets (a private subnet never leaves, NATed or not)', () => {
    const toWan = rules.filter((r) => parts(r)['-o'] === 'eth0' && r.endsWith('-j ACCEPT'));
    expect(toWan.map((r) => parts(r)['-s'])).toEqual(['10.0.1.0/24']);
    // Every packet entering from a bridge meets a final DROP for that bridge.
    for (const bridge of ['br-vpc1', 'br-vpc2']) {
      const lastIn = rules.findLastIndex((r) => parts(r)['-i'] === bridge);
      expect(rules[lastIn]).toMatch(/default-deny" -j DROP$/);
    }
  });

  it('accepts peering traffic only for the allowed pairs, each in its own direction, before the isolation DROPs', () => {
    const accepts = rules.filter((r) => parts(r)['-i'] !== parts(r)['-o'] && /br-vpc\d -o br-vpc/.test(r));
    expect(accepts.map((r) => `${parts(r)['-s']} ${parts(r)['-d']}`)).toEqual([
      '10.0.1.0/24 10.1.1.0/24',
      '10.1.1.0/24 10.0.1.0/24',
    ]);
    const firstIsolation = rules.findIndex((r) => r.includes('isolate'));
    expect(rules.findIndex((r) => r.includes('peering'))).toBeLessThan(firstIsolation);
  });

  it('masquerades only the NAT subnet and only out of the WAN (sources stay intact inside and across VPCs)', () => {
    expect(postroutingRules(state, OPTIONS)).toEqual([
      '-A VPCCTL-POSTROUTING -s 10.0.1.0/24 -o eth0 -m comment --comment "vpcctl:vpc1/publicsub:masquerade" -j MASQUERADE',
    ]);
  });

  it('wants the chains only while they have work', () => {
    expect(rootChains(emptyState(), OPTIONS).map((c) => c.wanted)).toEqual([false, false]);
    expect(rootChains(state, OPTIONS).map((c) => [c.table, c.chain, c.hook, c.wanted])).toEqual([
      ['filter', 'VPCCTL-FORWARD', 'FORWARD', true],
      ['nat', 'VPCCTL-POSTROUTING', 'POSTROUTING', true],
    ]);
  });

  it('uses the chain prefix and comment tag it is given (fault variants change these)', () => {
    const rules = forwardRules(state, { ...OPTIONS, chainPrefix: 'X', commentTag: 'tag' });
    expect(rules[0]).toBe(
      '-A X-FORWARD -o br-vpc1 -m conntrack --ctstate RELATED,ESTABLISHED -m comment --comment "tag:vpc1:replies" -j ACCEPT',
    );
  });
});
