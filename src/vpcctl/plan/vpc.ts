import { cidrsOverlap, parseCidr } from '../../util/cidr.js';
import { VpcError } from '../../util/errors.js';
import { cloneState, findVpc, type State, type VpcRecord } from '../model.js';
import { bridgeMac, bridgeName, pickId, validateVpcName } from '../naming.js';
import type { Draft } from './compose.js';
import { requireVpc, requireVpcContaining } from './lookup.js';
import { managedLinks, stopServerStep } from './shared.js';
import type { Observed, PlanOptions, Step } from './types.js';

/** Blocks a VPC must not use: the host would route them elsewhere or not at all. */
const RESERVED: { cidr: string; why: string }[] = [
  { cidr: '0.0.0.0/8', why: '"this network"' },
  { cidr: '127.0.0.0/8', why: 'loopback' },
  { cidr: '169.254.0.0/16', why: 'link-local' },
  { cidr: '224.0.0.0/4', why: 'multicast' },
  { cidr: '240.0.0.0/4', why: 'reserved' },
];

export function planCreateVpc(
  state: State,
  observed: Observed,
  input: { name: string; cidr: string },
  options: PlanOptions,
): Draft {
  validateVpcName(input.name);
  const cidr = parseCidr(input.cidr, { what: '--cidr' });
  const existing = findVpc(state, input.name);
  if (existing) {
    if (existing.cidr !== cidr.text) {
      throw new VpcError(
        'E_CONFLICT',
        `VPC ${existing.name} already exists with CIDR ${existing.cidr}, not ${cidr.text}`,
        {
          hint: `tear it down first (vpcctl teardown-vpc --name ${existing.name}) or use another name`,
        },
      );
    }
    const messages = [`VPC ${existing.name} (${existing.cidr}) already exists; nothing to do`];
    if (!observed.links.includes(existing.bridge)) {
      messages.push(
        `warning: its bridge ${existing.bridge} is missing; tear the VPC down and create it again`,
      );
    }
    return { state, topology: [], rollback: [], messages, order: 'build' };
  }
  if (cidr.prefix > 30) {
    throw new VpcError('E_BAD_INPUT', `--cidr ${cidr.text} is too small to hold a subnet`, {
      hint: 'a subnet needs at least a /30 (gateway .1 and host .2); use e.g. 10.0.0.0/16',
    });
  }
  for (const reserved of RESERVED) {
    if (cidrsOverlap(cidr, reserved.cidr)) {
      throw new VpcError('E_BAD_INPUT', `--cidr ${cidr.text} overlaps ${reserved.cidr} (${reserved.why})`, {
        hint: 'use private address space, e.g. 10.0.0.0/16',
      });
    }
  }
  for (const vpc of state.vpcs) {
    if (cidrsOverlap(vpc.cidr, cidr)) {
      throw new VpcError('E_CONFLICT', `--cidr ${cidr.text} overlaps VPC ${vpc.name} (${vpc.cidr})`, {
        hint: 'VPCs on one host need disjoint CIDRs, e.g. 10.0.0.0/16 and 10.1.0.0/16',
      });
    }
  }
  const ours = managedLinks(state);
  for (const a of observed.addresses) {
    if (ours.has(a.ifname)) continue;
    const net = parseCidr(`${a.address}/${a.prefix}`, { allowHostBits: true });
    if (cidrsOverlap(net, cidr)) {
      throw new VpcError(
        'E_CONFLICT',
        `--cidr ${cidr.text} overlaps ${net.text} on interface ${a.ifname} (address ${a.address})`,
        { hint: 'the host already routes that range; choose a CIDR it does not use' },
      );
    }
  }
  const bridge = bridgeName(input.name);
  if (observed.links.includes(bridge)) {
    throw new VpcError(
      'E_CONFLICT',
      `an interface named ${bridge} already exists and vpcctl did not create it`,
      {
        hint: `choose another VPC name, or remove the interface (ip link del ${bridge}) if it is a leftover`,
      },
    );
  }
  const id = pickId(state.vpcs.map((v) => v.id));
  const vpc: VpcRecord = {
    name: input.name,
    cidr: cidr.text,
    id,
    bridge,
    bridgeMac: bridgeMac(id),
    intraVpc: false,
    subnets: [],
    createdAt: options.now,
  };
  const next = cloneState(state);
  next.vpcs.push(vpc);
  return {
    state: next,
    topology: [
      { kind: 'ip', args: ['link', 'add', bridge, 'address', vpc.bridgeMac, 'type', 'bridge'] },
      { kind: 'ip', args: ['link', 'set', bridge, 'up'] },
    ],
    rollback: [{ kind: 'ip', args: ['link', 'del', bridge] }],
    messages: [`created VPC ${vpc.name} (${vpc.cidr}) with bridge ${bridge}`],
    order: 'build',
  };
}

/** Removes the VPC and everything it owns; a missing VPC is not an error. */
export function planTeardownVpc(state: State, observed: Observed, name: string): Draft {
  const vpc = findVpc(state, name);
  if (!vpc) {
    return {
      state,
      topology: [],
      rollback: [],
      messages: [`VPC ${name} does not exist; nothing to do`],
      order: 'remove',
    };
  }
  const topology: Step[] = [];
  for (const subnet of vpc.subnets)
    for (const server of subnet.servers) topology.push(stopServerStep(vpc, subnet, server));
  const peerings = state.peerings.filter((p) => p.vpcA === vpc.name || p.vpcB === vpc.name);
  for (const p of peerings) {
    const end = [p.linkA, p.linkB].find((l) => observed.links.includes(l));
    if (end) topology.push({ kind: 'ip', args: ['link', 'del', end] });
  }
  for (const subnet of vpc.subnets) {
    if (observed.links.includes(subnet.hostIf))
      topology.push({ kind: 'ip', args: ['link', 'del', subnet.hostIf] });
    if (observed.netns.includes(subnet.netns))
      topology.push({ kind: 'ip', args: ['netns', 'del', subnet.netns] });
  }
  if (observed.links.includes(vpc.bridge)) topology.push({ kind: 'ip', args: ['link', 'del', vpc.bridge] });
  const next = cloneState(state);
  next.vpcs = next.vpcs.filter((v) => v.name !== vpc.name);
  next.peerings = next.peerings.filter((p) => p.vpcA !== vpc.name && p.vpcB !== vpc.name);
  next.allows = next.allows.filter((a) => a.srcVpc !== vpc.name && a.dstVpc !== vpc.name);
  next.isolations = next.isolations.filter((i) => i.vpcA !== vpc.name && i.vpcB !== vpc.name);
  const parts = [
    `${vpc.subnets.length} subnet(s)`,
    ...(peerings.length > 0 ? [`${peerings.length} peering(s)`] : []),
    `bridge ${vpc.bridge}`,
  ];
  return {
    state: next,
    topology,
    rollback: [],
    messages: [`tore down VPC ${vpc.name}: ${parts.join(', ')} and its rules removed`],
    order: 'remove',
  };
}

export function planAllowIntraVpc(state: State, name: string): Draft {
  const vpc = requireVpc(state, name);
  if (vpc.intraVpc) {
    return {
      state,
      topology: [],
      rollback: [],
      messages: [`subnets of ${vpc.name} may already talk to each other`],
      order: 'build',
    };
  }
  const next = cloneState(state);
  const target = findVpc(next, name);
  if (target) target.intraVpc = true;
  return {
    state: next,
    topology: [],
    rollback: [],
    messages: [`subnets of ${vpc.name} may now talk to each other (${vpc.cidr} <-> ${vpc.cidr})`],
    order: 'build',
  };
}

export function planIsolateVpcs(state: State, input: { cidrA: string; cidrB: string }): Draft {
  const a = requireVpcContaining(state, input.cidrA, '--cidr-a');
  const b = requireVpcContaining(state, input.cidrB, '--cidr-b');
  if (a.vpc.name === b.vpc.name) {
    throw new VpcError(
      'E_BAD_INPUT',
      `--cidr-a ${a.cidr} and --cidr-b ${b.cidr} are both in VPC ${a.vpc.name}`,
      {
        hint: 'isolation is between two VPCs; inside one VPC use (or do not use) allow-intra-vpc',
      },
    );
  }
  const exists = state.isolations.some(
    (i) => (i.cidrA === a.cidr && i.cidrB === b.cidr) || (i.cidrA === b.cidr && i.cidrB === a.cidr),
  );
  if (exists) {
    return {
      state,
      topology: [],
      rollback: [],
      messages: [`${a.cidr} and ${b.cidr} are already isolated`],
      order: 'build',
    };
  }
  const next = cloneState(state);
  next.isolations.push({ cidrA: a.cidr, cidrB: b.cidr, vpcA: a.vpc.name, vpcB: b.vpc.name });
  return {
    state: next,
    topology: [],
    rollback: [],
    messages: [
      `isolated ${a.cidr} (${a.vpc.name}) from ${b.cidr} (${b.vpc.name}) both ways; allow-cidr can still open given pairs across a peering`,
    ],
    order: 'build',
  };
}
