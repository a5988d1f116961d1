import { VpcError } from '../../util/errors.js';
import { cloneState, findPeering, type State, type VpcRecord } from '../model.js';
import { peeringLinkNames } from '../naming.js';
import type { Draft } from './compose.js';
import { requireBridge, requireVpc, requireVpcContaining } from './lookup.js';
import { managedLinks } from './shared.js';
import type { Observed, PlanOptions, Step } from './types.js';

export interface PeerInput {
  bridgeA?: string;
  bridgeB?: string;
  vpcA?: string;
  vpcB?: string;
}

function resolvePair(state: State, input: PeerInput): [VpcRecord, VpcRecord] {
  const pick = (bridge: string | undefined, vpc: string | undefined, side: 'a' | 'b'): VpcRecord => {
    if (bridge !== undefined && vpc !== undefined) {
      throw new VpcError('E_BAD_INPUT', `give either --bridge-${side} or --vpc-${side}, not both`);
    }
    if (bridge !== undefined) return requireBridge(state, bridge, `--bridge-${side}`);
    if (vpc !== undefined) return requireVpc(state, vpc);
    throw new VpcError('E_BAD_INPUT', `--bridge-${side} is required`, {
      hint: 'e.g. vpcctl peer-vpcs --bridge-a br-vpc1 --bridge-b br-vpc2',
    });
  };
  const a = pick(input.bridgeA, input.vpcA, 'a');
  const b = pick(input.bridgeB, input.vpcB, 'b');
  if (a.name === b.name) {
    throw new VpcError(
      'E_BAD_INPUT',
      `both sides name VPC ${a.name} (${a.bridge}); a VPC cannot peer with itself`,
    );
  }
  return [a, b];
}

/**
 * Peering plugs a veth pair between the two bridges. Its ends are isolated
 * bridge ports: frames never cross from one peering to another (three peered
 * VPCs make no loop) nor reach the other VPC's subnets directly. Traffic
 * between VPCs is routed by the host, and only allow-cidr pairs pass.
 */
export function planPeerVpcs(
  state: State,
  observed: Observed,
  input: PeerInput,
  options: PlanOptions,
): Draft {
  const [a, b] = resolvePair(state, input);
  const existing = findPeering(state, a.name, b.name);
  if (existing) {
    return {
      state,
      topology: [],
      rollback: [],
      messages: [`${a.name} and ${b.name} are already peered (${existing.linkA} <-> ${existing.linkB})`],
      order: 'build',
    };
  }
  const ours = managedLinks(state);
  let names = peeringLinkNames(a.id, b.id);
  for (let attempt = 1; names.some((n) => ours.has(n) || observed.links.includes(n)); attempt++) {
    names = peeringLinkNames(a.id, b.id, attempt);
  }
  const [linkA, linkB] = names;
  const next = cloneState(state);
  next.peerings.push({ vpcA: a.name, vpcB: b.name, linkA, linkB, createdAt: options.now });
  const plug = (link: string, bridge: string): Step[] => [
    { kind: 'ip', args: ['link', 'set', link, 'master', bridge] },
    { kind: 'ip', args: ['link', 'set', link, 'type', 'bridge_slave', 'isolated', 'on'] },
    { kind: 'ip', args: ['link', 'set', link, 'up'] },
  ];
  return {
    state: next,
    topology: [
      { kind: 'ip', args: ['link', 'add', linkA, 'type', 'veth', 'peer', 'name', linkB] },
      ...plug(linkA, a.bridge),
      ...plug(linkB, b.bridge),
    ],
    rollback: [{ kind: 'ip', args: ['link', 'del', linkA] }],
    messages: [
      `peered ${a.name} (${a.bridge}) and ${b.name} (${b.bridge}) with ${linkA} <-> ${linkB}; nothing crosses until allow-cidr`,
    ],
    order: 'build',
  };
}

/** Removes the peering link and the allow-cidr rules between the two VPCs; a missing peering is not an error. */
export function planUnpeerVpcs(state: State, observed: Observed, input: PeerInput): Draft {
  const [a, b] = resolvePair(state, input);
  const peering = findPeering(state, a.name, b.name);
  if (!peering) {
    return {
      state,
      topology: [],
      rollback: [],
      messages: [`${a.name} and ${b.name} are not peered; nothing to do`],
      order: 'remove',
    };
  }
  const end = [peering.linkA, peering.linkB].find((l) => observed.links.includes(l));
  const next = cloneState(state);
  next.peerings = next.peerings.filter((p) => p.linkA !== peering.linkA);
  const between = (x: string, y: string): boolean =>
    (x === a.name && y === b.name) || (x === b.name && y === a.name);
  const dropped = next.allows.filter((r) => between(r.srcVpc, r.dstVpc)).length;
  next.allows = next.allows.filter((r) => !between(r.srcVpc, r.dstVpc));
  return {
    state: next,
    topology: end ? [{ kind: 'ip', args: ['link', 'del', end] }] : [],
    rollback: [],
    messages: [
      `unpeered ${a.name} and ${b.name}${dropped > 0 ? ` (${dropped} allow-cidr rule(s) removed)` : ''}`,
    ],
    order: 'remove',
  };
}

/** Lets NEW connections from src to dst cross a peering (one direction; replies always pass). */
export function planAllowCidr(state: State, input: { src: string; dst: string }): Draft {
  const src = requireVpcContaining(state, input.src, '--src');
  const dst = requireVpcContaining(state, input.dst, '--dst');
  if (src.vpc.name === dst.vpc.name) {
    throw new VpcError(
      'E_BAD_INPUT',
      `--src ${src.cidr} and --dst ${dst.cidr} are both in VPC ${src.vpc.name}`,
      {
        hint: `allow-cidr opens a peering between two VPCs; inside one VPC use: vpcctl allow-intra-vpc ${src.vpc.name}`,
      },
    );
  }
  if (!findPeering(state, src.vpc.name, dst.vpc.name)) {
    throw new VpcError('E_CONFLICT', `VPCs ${src.vpc.name} and ${dst.vpc.name} are not peered`, {
      hint: `peer them first: vpcctl peer-vpcs --bridge-a ${src.vpc.bridge} --bridge-b ${dst.vpc.bridge}`,
    });
  }
  if (state.allows.some((r) => r.src === src.cidr && r.dst === dst.cidr)) {
    return {
      state,
      topology: [],
      rollback: [],
      messages: [`${src.cidr} -> ${dst.cidr} is already allowed`],
      order: 'build',
    };
  }
  const next = cloneState(state);
  next.allows.push({ src: src.cidr, dst: dst.cidr, srcVpc: src.vpc.name, dstVpc: dst.vpc.name });
  const reverse = state.allows.some((r) => r.src === dst.cidr && r.dst === src.cidr);
  return {
    state: next,
    topology: [],
    rollback: [],
    messages: [
      `allowed ${src.cidr} (${src.vpc.name}) -> ${dst.cidr} (${dst.vpc.name})${
        reverse
          ? '; the reverse direction is allowed too'
          : `; for the reverse direction run: vpcctl allow-cidr --src ${dst.cidr} --dst ${src.cidr}`
      }`,
    ],
    order: 'build',
  };
}
