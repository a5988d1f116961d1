import { emptyState, type State } from '../../../../src/vpcctl/model.js';
import type { Draft } from '../../../../src/vpcctl/plan/compose.js';
import { emptySnapshot } from '../../../../src/vpcctl/plan/iptables.js';
import { planAllowCidr, planPeerVpcs } from '../../../../src/vpcctl/plan/peering.js';
import { planAddSubnet, planEnableNat } from '../../../../src/vpcctl/plan/subnet.js';
import {
  DEFAULT_CHAIN_PREFIX,
  DEFAULT_COMMENT_TAG,
  type Observed,
  type PlanOptions,
} from '../../../../src/vpcctl/plan/types.js';
import { planAllowIntraVpc, planCreateVpc, planIsolateVpcs } from '../../../../src/vpcctl/plan/vpc.js';

export const OPTIONS: PlanOptions = {
  chainPrefix: DEFAULT_CHAIN_PREFIX,
  commentTag: DEFAULT_COMMENT_TAG,
  httpServerScript: '/opt/vpcctl/http-server.js',
  logDir: '/var/lib/vpcctl',
  now: '2026-01-01T00:00:00.000Z',
};

export function observed(extra: Partial<Observed> = {}): Observed {
  return {
    links: ['lo', 'eth0'],
    addresses: [
      { ifname: 'lo', address: '127.0.0.1', prefix: 8 },
      { ifname: 'eth0', address: '203.0.113.10', prefix: 24 },
    ],
    netns: [],
    iptables: emptySnapshot(),
    sysctls: { 'net.ipv4.ip_forward': '0' },
    ...extra,
  };
}

/** The seed lab's state (vpc1, vpc2, NAT on vpc1 public, isolation, peering, public <-> public), built by the planners. */
export function seedState(): State {
  let state = emptyState();
  const step = (draft: (s: State) => Draft): void => {
    state = draft(state).state;
  };
  const o = observed();
  step((s) => planCreateVpc(s, o, { name: 'vpc1', cidr: '10.0.0.0/16' }, OPTIONS));
  step((s) => planAddSubnet(s, o, { vpc: 'vpc1', name: 'publicsub', cidr: '10.0.1.0/24' }, OPTIONS));
  step((s) => planAddSubnet(s, o, { vpc: 'vpc1', name: 'privatesub', cidr: '10.0.2.0/24' }, OPTIONS));
  step((s) => planAllowIntraVpc(s, 'vpc1'));
  step((s) => planEnableNat(s, o, { vpc: 'vpc1', subnet: 'publicsub', wan: 'eth0' }));
  step((s) => planCreateVpc(s, o, { name: 'vpc2', cidr: '10.1.0.0/16' }, OPTIONS));
  step((s) => planAddSubnet(s, o, { vpc: 'vpc2', name: 'publicsub', cidr: '10.1.1.0/24' }, OPTIONS));
  step((s) => planAddSubnet(s, o, { vpc: 'vpc2', name: 'privatesub', cidr: '10.1.2.0/24' }, OPTIONS));
  step((s) => planAllowIntraVpc(s, 'vpc2'));
  step((s) => planIsolateVpcs(s, { cidrA: '10.0.0.0/16', cidrB: '10.1.0.0/16' }));
  step((s) => planPeerVpcs(s, o, { bridgeA: 'br-vpc1', bridgeB: 'br-vpc2' }, OPTIONS));
  step((s) => planAllowCidr(s, { src: '10.0.1.0/24', dst: '10.1.1.0/24' }));
  step((s) => planAllowCidr(s, { src: '10.1.1.0/24', dst: '10.0.1.0/24' }));
  return state;
}
