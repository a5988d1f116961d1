import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { discoverSubnets, isDiscovered, type NamespaceState } from '../../../src/discovery/discover.js';
import { parseAddrJson, parseDefaultRoute } from '../../../src/discovery/ip-json.js';
import { STAGE4_PLAN } from '../../../src/plan/stage4.js';
import type { LabPlan } from '../../../src/plan/types.js';

// Real `ip -j` output of a sandboxed lab (fixtures/capture.sh): vpc1 the seed's
// way (bridge router in the root namespace), vpc2 with a router namespace `r2`
// holding both gateways, plus `noroute` and `downif`.
const states = JSON.parse(
  readFileSync(new URL('./fixtures/ip-json.json', import.meta.url), 'utf8'),
) as NamespaceState[];
const state = (netns: string): NamespaceState => {
  const found = states.find((s) => s.netns === netns);
  if (!found) throw new Error(`fixture has no ${netns}`);
  return found;
};

/** A plan with one VPC holding the given subnets (for addresses outside the Stage 4 plan). */
function planOf(...cidrs: string[]): LabPlan {
  return {
    ...STAGE4_PLAN,
    vpcs: [
      {
        name: 'v',
        cidr: '10.0.0.0/8',
        subnets: cidrs.map((cidr, i) => ({
          key: `v/s${i}`,
          vpc: 'v',
          name: `s${i}`,
          cidr,
          type: 'private' as const,
          label: `v s${i}`,
        })),
      },
    ],
  };
}

function hostState(netns: string, address: string, prefixlen: number, route = '[]'): NamespaceState {
  return {
    netns,
    addrJson: JSON.stringify([
      {
        ifindex: 2,
        ifname: 'eth0',
        flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'],
        addr_info: [{ family: 'inet', local: address, prefixlen, scope: 'global' }],
      },
    ]),
    routeJson: route,
  };
}

describe('discoverSubnets on a real lab', () => {
  const found = discoverSubnets(states, STAGE4_PLAN);

  it('finds the seed-style subnets by address, with their gateways', () => {
    expect(found.slice(0, 2)).toEqual([
      expect.objectContaining({
        key: 'vpc1/publicsub',
        netns: 'vpc1-publicsub',
        address: '10.0.1.2',
        gateway: '10.0.1.1',
        gatewayAnswers: false,
        problem: undefined,
      }),
      expect.objectContaining({
        key: 'vpc1/privatesub',
        netns: 'vpc1-privatesub',
        address: '10.0.2.2',
        gateway: '10.0.2.1',
        problem: undefined,
      }),
    ]);
  });

  it('picks the host, not the router namespace that holds the gateway address', () => {
    expect(found[2]).toMatchObject({
      key: 'vpc2/publicsub',
      netns: 'h-pub',
      address: '10.1.1.10',
      problem: undefined,
    });
    expect(found[3]).toMatchObject({
      key: 'vpc2/privatesub',
      netns: 'h-priv',
      address: '10.1.2.10',
      gateway: '10.1.2.1',
    });
    expect(found.every(isDiscovered)).toBe(true);
  });

  it('only looks for the subnets asked for', () => {
    expect(discoverSubnets(states, STAGE4_PLAN, ['vpc2/privatesub']).map((s) => s.key)).toEqual([
      'vpc2/privatesub',
    ]);
  });
});

describe('discoverSubnets: what can go wrong', () => {
  it('says where it looked when a subnet is missing', () => {
    const [pub2] = discoverSubnets([state('vpc1-publicsub'), state('vpc1-privatesub')], STAGE4_PLAN, [
      'vpc2/publicsub',
    ]);
    expect(pub2).toMatchObject({ netns: undefined, address: undefined, gateway: undefined });
    expect(pub2?.problem).toBe(
      'no namespace holds an address inside 10.1.1.0/24 (searched: vpc1-publicsub, vpc1-privatesub)',
    );
    expect(isDiscovered(pub2)).toBe(false);
  });

  it('says so when there are no namespaces at all (a do-nothing target)', () => {
    const result = discoverSubnets([], STAGE4_PLAN);
    expect(result).toHaveLength(4);
    for (const s of result) {
      expect(isDiscovered(s)).toBe(false);
      expect(s.problem).toMatch(/no named namespaces at all/);
    }
  });

  it('reports two namespaces claiming one CIDR, and still picks one deterministically', () => {
    const twin = hostState(
      'zz-twin',
      '10.0.1.3',
      24,
      '[{"dst":"default","gateway":"10.0.1.1","dev":"eth0","flags":[]}]',
    );
    const [pub1] = discoverSubnets([twin, state('vpc1-publicsub')], STAGE4_PLAN, ['vpc1/publicsub']);
    expect(pub1).toMatchObject({ netns: 'vpc1-publicsub', address: '10.0.1.2' });
    expect(pub1?.problem).toBe(
      'several namespaces hold addresses inside 10.0.1.0/24: vpc1-publicsub (10.0.1.2), zz-twin (10.0.1.3); using vpc1-publicsub',
    );
  });

  it('prefers the namespace with a default route among claimants', () => {
    const bare = hostState('aa-bare', '10.0.1.3', 24);
    const [pub1] = discoverSubnets([bare, state('vpc1-publicsub')], STAGE4_PLAN, ['vpc1/publicsub']);
    expect(pub1?.netns).toBe('vpc1-publicsub');
  });

  it('does not take the network or broadcast address as a host', () => {
    for (const [address, role] of [
      ['10.0.1.0', 'network'],
      ['10.0.1.255', 'broadcast'],
    ]) {
      const [pub1] = discoverSubnets([hostState('odd', address as string, 24)], STAGE4_PLAN, [
        'vpc1/publicsub',
      ]);
      expect(pub1?.address).toBeUndefined();
      expect(pub1?.problem).toContain(`odd holds ${address}, the ${role} address of 10.0.1.0/24`);
    }
  });

  it('takes a usable address over a reserved one in the same namespace', () => {
    const ns = hostState('two', '10.0.1.0', 24);
    const parsed = JSON.parse(ns.addrJson);
    parsed[0].addr_info.push({ family: 'inet', local: '10.0.1.7', prefixlen: 24 });
    const [pub1] = discoverSubnets([{ ...ns, addrJson: JSON.stringify(parsed) }], STAGE4_PLAN, [
      'vpc1/publicsub',
    ]);
    expect(pub1?.address).toBe('10.0.1.7');
  });

  it('finds a namespace without a default route, and says it has none', () => {
    const [s] = discoverSubnets([state('noroute')], planOf('10.5.1.0/24'));
    expect(s).toMatchObject({ netns: 'noroute', address: '10.5.1.2', gateway: undefined });
    expect(s?.problem).toBe('no default route in noroute');
  });

  it('reports an interface that is down', () => {
    const [s] = discoverSubnets([state('downif')], planOf('10.5.2.0/24'));
    expect(s?.problem).toMatch(/interface d0 holding 10.5.2.2 in downif is down/);
  });

  it('reports a default route without a gateway', () => {
    const devOnly = hostState(
      'p2p',
      '10.0.1.2',
      24,
      '[{"dst":"default","dev":"eth0","scope":"link","flags":[]}]',
    );
    const [pub1] = discoverSubnets([devOnly], STAGE4_PLAN, ['vpc1/publicsub']);
    expect(pub1?.gateway).toBeUndefined();
    expect(pub1?.problem).toMatch(/default route in p2p has no gateway \(dev eth0 only\)/);
  });

  it('survives unreadable output and names it', () => {
    const [pub1] = discoverSubnets([{ netns: 'broken', addrJson: '', routeJson: 'nope' }], STAGE4_PLAN, [
      'vpc1/publicsub',
    ]);
    expect(pub1?.netns).toBeUndefined();
    expect(pub1?.problem).toMatch(/could not read broken: ip -j addr printed nothing/);
  });
});

describe('ip -j parsers', () => {
  it('reads only IPv4 addresses, with the UP flag and secondary marks', () => {
    const parsed = parseAddrJson(state('vpc1-publicsub').addrJson);
    expect(parsed.ok && parsed.value.map((a) => [a.ifname, a.address, a.prefixlen, a.up])).toEqual([
      ['lo', '127.0.0.1', 8, true],
      ['veth-public', '10.0.1.2', 24, true],
    ]);
  });

  it('picks the lowest-metric default route, skips blackholes, reads nexthops', () => {
    const routes = JSON.stringify([
      { type: 'blackhole', dst: 'default', flags: [] },
      { dst: 'default', gateway: '10.0.1.9', dev: 'a', metric: 200, flags: [] },
      { dst: 'default', gateway: '10.0.1.1', dev: 'b', metric: 100, flags: [] },
    ]);
    expect(parseDefaultRoute(routes)).toEqual({
      ok: true,
      value: { gateway: '10.0.1.1', dev: 'b', metric: 100 },
    });
    const multipath = JSON.stringify([
      { dst: 'default', nexthops: [{ gateway: '10.0.1.5', dev: 'c' }], flags: [] },
    ]);
    expect(parseDefaultRoute(multipath)).toEqual({
      ok: true,
      value: { gateway: '10.0.1.5', dev: 'c', metric: 0 },
    });
    expect(parseDefaultRoute('[]')).toEqual({ ok: true, value: undefined });
  });

  it('reports bad JSON instead of throwing', () => {
    expect(parseAddrJson('{"not":"an array"}')).toEqual({
      ok: false,
      problem: 'ip -j addr did not print a JSON array',
    });
    expect(parseDefaultRoute('[').ok).toBe(false);
  });
});
