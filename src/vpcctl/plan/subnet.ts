import { addressAt, cidrContains, cidrsOverlap, firstHost, parseCidr } from '../../util/cidr.js';
import { VpcError } from '../../util/errors.js';
import { cloneState, findSubnet, findVpc, type State, type SubnetRecord, type SubnetType } from '../model.js';
import {
  netnsName,
  pickId,
  SUBNET_NS_IFNAME,
  subnetVethName,
  validateIfName,
  validateSubnetName,
} from '../naming.js';
import type { Draft } from './compose.js';
import { requireSubnet, requireVpc } from './lookup.js';
import { managedLinks, stopServerStep } from './shared.js';
import type { Observed, PlanOptions, Step } from './types.js';

function noop(state: State, message: string, order: Draft['order'] = 'build'): Draft {
  return { state, topology: [], rollback: [], messages: [message], order };
}

export function planAddSubnet(
  state: State,
  observed: Observed,
  input: { vpc: string; name: string; cidr: string; type?: string },
  options: PlanOptions,
): Draft {
  const vpc = requireVpc(state, input.vpc);
  validateSubnetName(input.name);
  const cidr = parseCidr(input.cidr, { what: '--cidr' });
  if (input.type !== undefined && input.type !== 'public' && input.type !== 'private') {
    throw new VpcError('E_BAD_INPUT', `--type ${JSON.stringify(input.type)} is not valid`, {
      hint: 'use --type public or --type private',
    });
  }
  const type = input.type as SubnetType | undefined;
  const existing = findSubnet(vpc, input.name);
  if (existing) {
    if (existing.cidr !== cidr.text || (type !== undefined && existing.type !== type)) {
      const was = `${existing.cidr}${existing.type ? ` (${existing.type})` : ''}`;
      throw new VpcError('E_CONFLICT', `subnet ${vpc.name}/${existing.name} already exists as ${was}`, {
        hint: `delete it first (vpcctl delete-subnet --vpc ${vpc.name} --name ${existing.name}) or use another name`,
      });
    }
    return noop(
      state,
      `subnet ${vpc.name}/${existing.name} (${existing.cidr}) already exists; nothing to do`,
    );
  }
  if (!cidrContains(vpc.cidr, cidr)) {
    throw new VpcError('E_BAD_INPUT', `--cidr ${cidr.text} is outside VPC ${vpc.name} (${vpc.cidr})`, {
      hint: `a subnet must lie inside its VPC's CIDR ${vpc.cidr}`,
    });
  }
  if (cidr.prefix > 30) {
    throw new VpcError('E_BAD_INPUT', `--cidr ${cidr.text} is too small for a subnet`, {
      hint: 'a subnet needs a gateway (.1) and a host (.2): use a /30 or larger, e.g. a /24',
    });
  }
  for (const other of vpc.subnets) {
    if (cidrsOverlap(other.cidr, cidr)) {
      throw new VpcError(
        'E_CONFLICT',
        `--cidr ${cidr.text} overlaps subnet ${vpc.name}/${other.name} (${other.cidr})`,
        { hint: 'subnets of a VPC need disjoint CIDRs' },
      );
    }
  }
  const netns = netnsName(vpc.name, input.name);
  for (const v of state.vpcs) {
    for (const s of v.subnets) {
      if (s.netns === netns) {
        throw new VpcError('E_CONFLICT', `namespace ${netns} is already used by subnet ${v.name}/${s.name}`, {
          hint: 'choose another subnet name',
        });
      }
    }
  }
  if (observed.netns.includes(netns)) {
    throw new VpcError(
      'E_CONFLICT',
      `a network namespace named ${netns} already exists and vpcctl did not create it`,
      {
        hint: `choose another subnet name, or remove it (ip netns del ${netns}) if it is a leftover`,
      },
    );
  }
  const ours = managedLinks(state);
  const id = pickId(
    vpc.subnets.map((s) => s.id),
    (candidate) => {
      const name = subnetVethName(vpc.id, candidate);
      return !ours.has(name) && !observed.links.includes(name);
    },
  );
  const gateway = firstHost(cidr);
  const host = addressAt(cidr, 2);
  const hostIf = subnetVethName(vpc.id, id);
  const subnet: SubnetRecord = {
    name: input.name,
    cidr: cidr.text,
    ...(type ? { type } : {}),
    id,
    netns,
    gateway,
    host,
    hostIf,
    nsIf: SUBNET_NS_IFNAME,
    servers: [],
    createdAt: options.now,
  };
  const next = cloneState(state);
  findVpc(next, vpc.name)?.subnets.push(subnet);
  const gw = `${gateway}/${cidr.prefix}`;
  const topology: Step[] = [
    { kind: 'ip', args: ['netns', 'add', netns] },
    {
      kind: 'ip',
      args: ['link', 'add', hostIf, 'type', 'veth', 'peer', 'name', subnet.nsIf, 'netns', netns],
    },
    { kind: 'ip', args: ['link', 'set', hostIf, 'master', vpc.bridge] },
    // Isolated ports reach only the bridge itself: subnets talk through the router (and its FORWARD rules), never directly.
    { kind: 'ip', args: ['link', 'set', hostIf, 'type', 'bridge_slave', 'isolated', 'on'] },
    { kind: 'ip', args: ['link', 'set', hostIf, 'up'] },
    { kind: 'ip', args: ['addr', 'add', gw, 'dev', vpc.bridge] },
    { kind: 'ip', netns, args: ['link', 'set', 'lo', 'up'] },
    { kind: 'ip', netns, args: ['addr', 'add', `${host}/${cidr.prefix}`, 'dev', subnet.nsIf] },
    { kind: 'ip', netns, args: ['link', 'set', subnet.nsIf, 'up'] },
    { kind: 'ip', netns, args: ['route', 'add', 'default', 'via', gateway] },
  ];
  return {
    state: next,
    topology,
    rollback: [
      { kind: 'ip', args: ['link', 'del', hostIf] },
      { kind: 'ip', args: ['netns', 'del', netns] },
      { kind: 'ip', args: ['addr', 'del', gw, 'dev', vpc.bridge] },
    ],
    messages: [
      `added subnet ${vpc.name}/${subnet.name} (${subnet.cidr}${type ? `, ${type}` : ''}): namespace ${netns}, host ${host}, gateway ${gateway} on ${vpc.bridge}`,
    ],
    order: 'build',
  };
}

/** Removes one subnet (its server, namespace, veth and gateway address); a missing one is not an error. */
export function planDeleteSubnet(
  state: State,
  observed: Observed,
  input: { vpc: string; name: string },
): Draft {
  const vpc = findVpc(state, input.vpc);
  const subnet = vpc ? findSubnet(vpc, input.name) : undefined;
  if (!vpc || !subnet)
    return noop(state, `subnet ${input.vpc}/${input.name} does not exist; nothing to do`, 'remove');
  const topology: Step[] = subnet.servers.map((server) => stopServerStep(vpc, subnet, server));
  if (observed.links.includes(subnet.hostIf))
    topology.push({ kind: 'ip', args: ['link', 'del', subnet.hostIf] });
  if (observed.netns.includes(subnet.netns))
    topology.push({ kind: 'ip', args: ['netns', 'del', subnet.netns] });
  const prefix = parseCidr(subnet.cidr).prefix;
  if (observed.addresses.some((a) => a.ifname === vpc.bridge && a.address === subnet.gateway)) {
    topology.push({ kind: 'ip', args: ['addr', 'del', `${subnet.gateway}/${prefix}`, 'dev', vpc.bridge] });
  }
  const next = cloneState(state);
  const nextVpc = findVpc(next, vpc.name);
  if (nextVpc) nextVpc.subnets = nextVpc.subnets.filter((s) => s.name !== subnet.name);
  return {
    state: next,
    topology,
    rollback: [],
    messages: [`deleted subnet ${vpc.name}/${subnet.name} (${subnet.cidr})`],
    order: 'remove',
  };
}

export function planEnableNat(
  state: State,
  observed: Observed,
  input: { vpc: string; subnet: string; wan: string },
): Draft {
  const { vpc, subnet } = requireSubnet(state, input.vpc, input.subnet);
  validateIfName(input.wan, '--wan');
  if (managedLinks(state).has(input.wan)) {
    throw new VpcError('E_BAD_INPUT', `--wan ${input.wan} is an interface of vpcctl itself, not an uplink`, {
      hint: 'give the host interface that leads to the internet, e.g. eth0',
    });
  }
  if (!observed.links.includes(input.wan)) {
    throw new VpcError('E_NOT_FOUND', `--wan interface ${JSON.stringify(input.wan)} does not exist`, {
      hint: `interfaces on this host: ${observed.links.join(', ') || '(none)'}`,
    });
  }
  if (subnet.type === 'private') {
    throw new VpcError(
      'E_CONFLICT',
      `subnet ${vpc.name}/${subnet.name} was added as --type private; NAT is for public subnets`,
      {
        hint: `a private subnet never reaches the internet; add a public subnet (--type public) for egress`,
      },
    );
  }
  if (subnet.nat?.wan === input.wan) {
    return noop(state, `NAT for ${vpc.name}/${subnet.name} via ${input.wan} is already enabled`);
  }
  const next = cloneState(state);
  const target = findSubnet(findVpc(next, vpc.name) ?? vpc, subnet.name);
  if (target) target.nat = { wan: input.wan };
  const was = subnet.nat ? ` (was ${subnet.nat.wan})` : '';
  return {
    state: next,
    topology: [],
    rollback: [],
    messages: [
      `NAT enabled: ${vpc.name}/${subnet.name} (${subnet.cidr}) reaches the internet via ${input.wan}${was}`,
    ],
    order: 'build',
  };
}

export function validatePort(text: string, what = '--port'): number {
  if (!/^[0-9]{1,5}$/.test(text) || Number(text) < 1 || Number(text) > 65535) {
    throw new VpcError('E_BAD_INPUT', `${what} ${JSON.stringify(text)} is not a port number`, {
      hint: 'use a number from 1 to 65535',
    });
  }
  return Number(text);
}

export function planDeployHttp(
  state: State,
  input: { vpc: string; subnet: string; port: string },
  options: PlanOptions,
  isRunning: (pid: number, match: string[]) => boolean,
): Draft {
  const { vpc, subnet } = requireSubnet(state, input.vpc, input.subnet);
  const port = validatePort(input.port);
  const existing = subnet.servers.find((s) => s.port === port);
  const match = ['http-server.js', subnet.host, String(port)];
  if (existing && isRunning(existing.pid, match)) {
    return noop(
      state,
      `HTTP server of ${vpc.name}/${subnet.name} already answers on ${existing.address}:${port} (pid ${existing.pid})`,
    );
  }
  const log = `${options.logDir}/http-${vpc.name}-${subnet.name}-${port}.log`;
  const next = cloneState(state);
  const target = findSubnet(findVpc(next, vpc.name) ?? vpc, subnet.name);
  if (target) {
    target.servers = target.servers.filter((s) => s.port !== port);
    target.servers.push({ port, address: subnet.host, pid: 0, log, startedAt: options.now });
  }
  return {
    state: next,
    topology: [
      {
        kind: 'start-http',
        vpc: vpc.name,
        subnet: subnet.name,
        netns: subnet.netns,
        address: subnet.host,
        port,
        log,
      },
    ],
    rollback: [],
    messages: [
      `HTTP server of ${vpc.name}/${subnet.name} answers on http://${subnet.host}:${port}/ (log ${log})`,
    ],
    order: 'build',
  };
}
