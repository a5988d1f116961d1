import { describe, expect, it } from 'vitest';
import { VpcError } from '../../../../src/util/errors.js';
import { emptyState, type State } from '../../../../src/vpcctl/model.js';
import { planAllowCidr, planPeerVpcs, planUnpeerVpcs } from '../../../../src/vpcctl/plan/peering.js';
import {
  planAddSubnet,
  planDeleteSubnet,
  planDeployHttp,
  planEnableNat,
} from '../../../../src/vpcctl/plan/subnet.js';
import { planCreateVpc, planIsolateVpcs, planTeardownVpc } from '../../../../src/vpcctl/plan/vpc.js';
import { OPTIONS, observed, seedState } from './helpers.js';

function fails(fn: () => unknown): VpcError {
  try {
    fn();
  } catch (error) {
    if (error instanceof VpcError) return error;
    throw error;
  }
  throw new Error('did not throw');
}

describe('create-vpc', () => {
  it('creates a bridge with a fixed MAC, and records the VPC', () => {
    const draft = planCreateVpc(emptyState(), observed(), { name: 'vpc1', cidr: '10.0.0.0/16' }, OPTIONS);
    expect(draft.topology).toEqual([
      { kind: 'ip', args: ['link', 'add', 'br-vpc1', 'address', '02:76:70:63:00:01', 'type', 'bridge'] },
      { kind: 'ip', args: ['link', 'set', 'br-vpc1', 'up'] },
    ]);
    expect(draft.state.vpcs[0]).toMatchObject({
      name: 'vpc1',
      cidr: '10.0.0.0/16',
      id: 1,
      bridge: 'br-vpc1',
      intraVpc: false,
    });
  });

  it('is a no-op with the same arguments, and a conflict with another CIDR', () => {
    const state = seedState();
    const again = planCreateVpc(
      state,
      observed({ links: ['br-vpc1'] }),
      { name: 'vpc1', cidr: '10.0.0.0/16' },
      OPTIONS,
    );
    expect(again.state).toBe(state);
    expect(again.topology).toEqual([]);
    expect(
      fails(() => planCreateVpc(state, observed(), { name: 'vpc1', cidr: '10.7.0.0/16' }, OPTIONS)).code,
    ).toBe('E_CONFLICT');
  });

  it.each([
    ['10.0.0.0/31', 'E_BAD_INPUT', /too small to hold a subnet/],
    ['127.0.0.0/16', 'E_BAD_INPUT', /overlaps 127\.0\.0\.0\/8 \(loopback\)/],
    ['169.254.0.0/16', 'E_BAD_INPUT', /link-local/],
    ['224.1.0.0/16', 'E_BAD_INPUT', /multicast/],
    ['10.0.0.0/8', 'E_CONFLICT', /overlaps VPC vpc1 \(10\.0\.0\.0\/16\)/],
    [
      '203.0.113.128/25',
      'E_CONFLICT',
      /overlaps 203\.0\.113\.0\/24 on interface eth0 \(address 203\.0\.113\.10\)/,
    ],
  ])('rejects %s', (cidr, code, message) => {
    const error = fails(() => planCreateVpc(seedState(), observed(), { name: 'vpc9', cidr }, OPTIONS));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });

  it('refuses a bridge name that some other tool already uses', () => {
    const error = fails(() =>
      planCreateVpc(
        emptyState(),
        observed({ links: ['lo', 'br-vpc1'] }),
        { name: 'vpc1', cidr: '10.0.0.0/16' },
        OPTIONS,
      ),
    );
    expect(error.message).toMatch(/an interface named br-vpc1 already exists and vpcctl did not create it/);
  });

  it('gives a new VPC the smallest free id (and so a distinct MAC)', () => {
    let state = seedState();
    state = planTeardownVpc(state, observed(), 'vpc1').state;
    const draft = planCreateVpc(state, observed(), { name: 'vpc3', cidr: '10.2.0.0/16' }, OPTIONS);
    expect(draft.state.vpcs.map((v) => [v.name, v.id, v.bridgeMac])).toEqual([
      ['vpc2', 2, '02:76:70:63:00:02'],
      ['vpc3', 1, '02:76:70:63:00:01'],
    ]);
  });
});

describe('add-subnet', () => {
  const vpc1 = (): State =>
    planCreateVpc(emptyState(), observed(), { name: 'vpc1', cidr: '10.0.0.0/16' }, OPTIONS).state;

  it('creates the namespace, a veth into it, the gateway on the bridge and the default route', () => {
    const draft = planAddSubnet(
      vpc1(),
      observed(),
      { vpc: 'vpc1', name: 'publicsub', cidr: '10.0.1.0/24' },
      OPTIONS,
    );
    expect(draft.topology).toEqual([
      { kind: 'ip', args: ['netns', 'add', 'vpc1-publicsub'] },
      {
        kind: 'ip',
        args: ['link', 'add', 'v1s1', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', 'vpc1-publicsub'],
      },
      { kind: 'ip', args: ['link', 'set', 'v1s1', 'master', 'br-vpc1'] },
      { kind: 'ip', args: ['link', 'set', 'v1s1', 'type', 'bridge_slave', 'isolated', 'on'] },
      { kind: 'ip', args: ['link', 'set', 'v1s1', 'up'] },
      { kind: 'ip', args: ['addr', 'add', '10.0.1.1/24', 'dev', 'br-vpc1'] },
      { kind: 'ip', netns: 'vpc1-publicsub', args: ['link', 'set', 'lo', 'up'] },
      { kind: 'ip', netns: 'vpc1-publicsub', args: ['addr', 'add', '10.0.1.2/24', 'dev', 'eth0'] },
      { kind: 'ip', netns: 'vpc1-publicsub', args: ['link', 'set', 'eth0', 'up'] },
      { kind: 'ip', netns: 'vpc1-publicsub', args: ['route', 'add', 'default', 'via', '10.0.1.1'] },
    ]);
    expect(draft.rollback).toEqual([
      { kind: 'ip', args: ['link', 'del', 'v1s1'] },
      { kind: 'ip', args: ['netns', 'del', 'vpc1-publicsub'] },
      { kind: 'ip', args: ['addr', 'del', '10.0.1.1/24', 'dev', 'br-vpc1'] },
    ]);
  });

  it('never reuses a veth name, even one some other tool took', () => {
    const draft = planAddSubnet(
      vpc1(),
      observed({ links: ['lo', 'eth0', 'v1s1', 'v1s2'] }),
      { vpc: 'vpc1', name: 's', cidr: '10.0.1.0/24' },
      OPTIONS,
    );
    expect(draft.state.vpcs[0]?.subnets[0]?.hostIf).toBe('v1s3');
  });

  it('keeps every veth name within 15 characters, whatever the names', () => {
    const draft = planAddSubnet(
      planCreateVpc(emptyState(), observed(), { name: 'abcdefghijkl', cidr: '10.0.0.0/16' }, OPTIONS).state,
      observed(),
      { vpc: 'abcdefghijkl', name: 'a-very-long-subnet-name-of-32-ch', cidr: '10.0.1.0/24' },
      OPTIONS,
    );
    const subnet = draft.state.vpcs[0]?.subnets[0];
    expect(subnet?.hostIf.length).toBeLessThanOrEqual(15);
    expect(subnet?.netns).toBe('abcdefghijkl-a-very-long-subnet-name-of-32-ch');
  });

  it('refuses names whose namespaces would collide (vpc "a-b" + subnet "c" vs vpc "a" + subnet "b-c")', () => {
    let state = planCreateVpc(emptyState(), observed(), { name: 'a-b', cidr: '10.0.0.0/16' }, OPTIONS).state;
    state = planCreateVpc(state, observed(), { name: 'a', cidr: '10.1.0.0/16' }, OPTIONS).state;
    state = planAddSubnet(state, observed(), { vpc: 'a-b', name: 'c', cidr: '10.0.1.0/24' }, OPTIONS).state;
    const error = fails(() =>
      planAddSubnet(state, observed(), { vpc: 'a', name: 'b-c', cidr: '10.1.1.0/24' }, OPTIONS),
    );
    expect(error.message).toMatch(/namespace a-b-c is already used by subnet a-b\/c/);
  });

  it('refuses a namespace that exists but is not ours', () => {
    const error = fails(() =>
      planAddSubnet(
        vpc1(),
        observed({ netns: ['vpc1-s'] }),
        { vpc: 'vpc1', name: 's', cidr: '10.0.1.0/24' },
        OPTIONS,
      ),
    );
    expect(error.message).toMatch(
      /a network namespace named vpc1-s already exists and vpcctl did not create it/,
    );
  });

  it('accepts a /30 (gateway .1, host .2) and the whole VPC block', () => {
    const small = planAddSubnet(vpc1(), observed(), { vpc: 'vpc1', name: 's', cidr: '10.0.9.4/30' }, OPTIONS);
    expect(small.state.vpcs[0]?.subnets[0]).toMatchObject({ gateway: '10.0.9.5', host: '10.0.9.6' });
    const whole = planAddSubnet(vpc1(), observed(), { vpc: 'vpc1', name: 's', cidr: '10.0.0.0/16' }, OPTIONS);
    expect(whole.state.vpcs[0]?.subnets[0]).toMatchObject({ gateway: '10.0.0.1', host: '10.0.0.2' });
  });
});

describe('enable-nat and deploy-http', () => {
  it('replaces the WAN of a subnet instead of adding a second one', () => {
    const state = seedState();
    const draft = planEnableNat(state, observed({ links: ['lo', 'eth0', 'eth1'] }), {
      vpc: 'vpc1',
      subnet: 'publicsub',
      wan: 'eth1',
    });
    expect(draft.state.vpcs[0]?.subnets[0]?.nat).toEqual({ wan: 'eth1' });
    expect(draft.messages[0]).toMatch(/via eth1 \(was eth0\)/);
  });

  it('starts a server only when none answers on that port', () => {
    const state = seedState();
    const draft = planDeployHttp(
      state,
      { vpc: 'vpc1', subnet: 'publicsub', port: '8080' },
      OPTIONS,
      () => false,
    );
    expect(draft.topology).toEqual([
      {
        kind: 'start-http',
        vpc: 'vpc1',
        subnet: 'publicsub',
        netns: 'vpc1-publicsub',
        address: '10.0.1.2',
        port: 8080,
        log: '/var/lib/vpcctl/http-vpc1-publicsub-8080.log',
      },
    ]);
    expect(
      fails(() =>
        planDeployHttp(state, { vpc: 'vpc1', subnet: 'publicsub', port: '65536' }, OPTIONS, () => false),
      ).message,
    ).toMatch(/--port "65536" is not a port number/);
  });
});

describe('peering', () => {
  it('plugs isolated veth ends into both bridges', () => {
    const state = seedState();
    const fresh = planUnpeerVpcs(state, observed({ links: ['p1-2'] }), { vpcA: 'vpc1', vpcB: 'vpc2' }).state;
    const draft = planPeerVpcs(fresh, observed(), { bridgeA: 'br-vpc2', bridgeB: 'br-vpc1' }, OPTIONS);
    expect(draft.topology).toEqual([
      { kind: 'ip', args: ['link', 'add', 'p2-1', 'type', 'veth', 'peer', 'name', 'p1-2'] },
      { kind: 'ip', args: ['link', 'set', 'p2-1', 'master', 'br-vpc2'] },
      { kind: 'ip', args: ['link', 'set', 'p2-1', 'type', 'bridge_slave', 'isolated', 'on'] },
      { kind: 'ip', args: ['link', 'set', 'p2-1', 'up'] },
      { kind: 'ip', args: ['link', 'set', 'p1-2', 'master', 'br-vpc1'] },
      { kind: 'ip', args: ['link', 'set', 'p1-2', 'type', 'bridge_slave', 'isolated', 'on'] },
      { kind: 'ip', args: ['link', 'set', 'p1-2', 'up'] },
    ]);
  });

  it('picks other link names when foreign interfaces hold them', () => {
    const state = planUnpeerVpcs(seedState(), observed(), { vpcA: 'vpc1', vpcB: 'vpc2' }).state;
    const draft = planPeerVpcs(
      state,
      observed({ links: ['lo', 'eth0', 'p2-1'] }),
      { vpcA: 'vpc1', vpcB: 'vpc2' },
      OPTIONS,
    );
    expect(draft.state.peerings[0]).toMatchObject({ linkA: 'p1-2x1', linkB: 'p2-1x1' });
  });

  it('unpeering drops the allow-cidr pairs of the two VPCs', () => {
    const draft = planUnpeerVpcs(seedState(), observed({ links: ['p1-2', 'p2-1'] }), {
      bridgeA: 'br-vpc1',
      bridgeB: 'br-vpc2',
    });
    expect(draft.topology).toEqual([{ kind: 'ip', args: ['link', 'del', 'p1-2'] }]);
    expect(draft.state.allows).toEqual([]);
    expect(draft.state.peerings).toEqual([]);
  });

  it('allow-cidr needs a peering and two different VPCs; a repeat is a no-op', () => {
    const state = seedState();
    expect(planAllowCidr(state, { src: '10.0.1.0/24', dst: '10.1.1.0/24' }).state).toBe(state);
    const unpeered = planUnpeerVpcs(state, observed(), { vpcA: 'vpc1', vpcB: 'vpc2' }).state;
    expect(fails(() => planAllowCidr(unpeered, { src: '10.0.1.0/24', dst: '10.1.1.0/24' })).message).toMatch(
      /not peered/,
    );
    expect(fails(() => planAllowCidr(state, { src: '10.0.1.0/24', dst: '10.0.2.0/24' })).message).toMatch(
      /both in VPC vpc1/,
    );
    expect(fails(() => planAllowCidr(state, { src: '10.0.1.0/24', dst: '10.9.1.0/24' })).message).toMatch(
      /--dst 10\.9\.1\.0\/24 is not inside any VPC/,
    );
  });

  it('isolate-vpcs needs CIDRs in two VPCs; a repeat (either order) is a no-op', () => {
    const state = seedState();
    expect(planIsolateVpcs(state, { cidrA: '10.1.0.0/16', cidrB: '10.0.0.0/16' }).state).toBe(state);
    expect(
      fails(() => planIsolateVpcs(state, { cidrA: '10.0.1.0/24', cidrB: '10.0.2.0/24' })).message,
    ).toMatch(/both in VPC vpc1/);
  });
});

describe('teardown and delete-subnet', () => {
  it('stops servers first, then removes peering links, veths, namespaces and the bridge that exist', () => {
    let state = seedState();
    state = planDeployHttp(
      state,
      { vpc: 'vpc1', subnet: 'publicsub', port: '80' },
      OPTIONS,
      () => false,
    ).state;
    const present = observed({
      links: ['lo', 'eth0', 'br-vpc1', 'br-vpc2', 'v1s1', 'p1-2', 'p2-1'],
      netns: ['vpc1-publicsub', 'vpc1-privatesub'],
    });
    const draft = planTeardownVpc(state, present, 'vpc1');
    expect(draft.topology).toEqual([
      {
        kind: 'stop-process',
        pid: 0,
        match: ['http-server.js', '10.0.1.2', '80'],
        what: 'HTTP server of vpc1/publicsub on 10.0.1.2:80',
      },
      { kind: 'ip', args: ['link', 'del', 'p1-2'] },
      { kind: 'ip', args: ['link', 'del', 'v1s1'] },
      { kind: 'ip', args: ['netns', 'del', 'vpc1-publicsub'] },
      { kind: 'ip', args: ['netns', 'del', 'vpc1-privatesub'] },
      { kind: 'ip', args: ['link', 'del', 'br-vpc1'] },
    ]);
    expect(draft.state.vpcs.map((v) => v.name)).toEqual(['vpc2']);
    expect(draft.state.peerings).toEqual([]);
    expect(draft.state.allows).toEqual([]);
    expect(draft.state.isolations).toEqual([]);
  });

  it('delete-subnet removes its gateway address only when present', () => {
    const state = seedState();
    const withAddress = observed({
      links: ['br-vpc1', 'v1s2'],
      netns: ['vpc1-privatesub'],
      addresses: [{ ifname: 'br-vpc1', address: '10.0.2.1', prefix: 24 }],
    });
    expect(planDeleteSubnet(state, withAddress, { vpc: 'vpc1', name: 'privatesub' }).topology).toEqual([
      { kind: 'ip', args: ['link', 'del', 'v1s2'] },
      { kind: 'ip', args: ['netns', 'del', 'vpc1-privatesub'] },
      { kind: 'ip', args: ['addr', 'del', '10.0.2.1/24', 'dev', 'br-vpc1'] },
    ]);
    expect(planDeleteSubnet(state, observed(), { vpc: 'vpc1', name: 'privatesub' }).topology).toEqual([]);
  });
});
