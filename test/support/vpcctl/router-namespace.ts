import { parseCidr } from '../../../src/util/cidr.js';
import type { State, VpcRecord } from '../../../src/vpcctl/model.js';
import {
  formatRule,
  type ManagedChain,
  reconcileChains,
  restoreInput,
} from '../../../src/vpcctl/plan/chains.js';
import { simulateChains } from '../../../src/vpcctl/plan/compose.js';
import { forwardChainName, forwardRules } from '../../../src/vpcctl/plan/firewall.js';
import { emptySnapshot } from '../../../src/vpcctl/plan/iptables.js';
import type { Plan, PlanOptions, Step } from '../../../src/vpcctl/plan/types.js';
import { mapRules, plain, type Variant } from './variant.js';

/**
 * A correct design that differs from ours: each VPC's router is a network
 * namespace, not the bridge. Subnets are wired to their router by a veth
 * each (the gateway address lives in the router), routers reach the host by
 * an uplink veth, and a peering is a veth between two routers. Filtering
 * happens in each router's FORWARD; the host only NATs and forwards between
 * the uplinks and eth0. The reference planners still keep the state; this
 * replaces their topology steps with its own, derived from the state before
 * and after each command.
 */

const ROUTER_UPLINK = 'uplink';

function routerNs(vpc: VpcRecord): string {
  return `${vpc.name}-router`;
}

/** The host's end of a router's uplink. */
function hostUplink(vpc: VpcRecord): string {
  return `vr${vpc.id}`;
}

/** 100.64.0.0/10 (shared address space), a /30 per VPC: the host is .1, the router .2. */
function uplinkNet(vpc: VpcRecord): { host: string; router: string } {
  const base = `100.${64 + ((vpc.id >> 8) & 63)}.${vpc.id & 255}`;
  return { host: `${base}.1`, router: `${base}.2` };
}

/** A /30 per peering in 100.127.0.0/16 (ids below 64, as in any test lab): A is .1, B is .2. */
function peeringNet(a: VpcRecord, b: VpcRecord): { a: string; b: string } {
  const base = `100.127.${a.id & 255}`;
  const first = (b.id & 63) * 4;
  return { a: `${base}.${first + 1}`, b: `${base}.${first + 2}` };
}

const ip = (args: string[], netns?: string): Step => ({ kind: 'ip', ...(netns ? { netns } : {}), args });

interface Part {
  key: string;
  create: Step[];
  remove: Step[];
}

/** Everything the design builds for a state, in build order (routers, subnets, peerings). */
function parts(state: State): Part[] {
  const out: Part[] = [];
  for (const vpc of state.vpcs) {
    const r = routerNs(vpc);
    const up = hostUplink(vpc);
    const net = uplinkNet(vpc);
    out.push({
      key: `router:${vpc.name}`,
      create: [
        ip(['netns', 'add', r]),
        ip(['link', 'set', 'lo', 'up'], r),
        ip(['netns', 'exec', r, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1']),
        ip(['link', 'add', up, 'type', 'veth', 'peer', 'name', ROUTER_UPLINK, 'netns', r]),
        ip(['addr', 'add', `${net.host}/30`, 'dev', up]),
        ip(['link', 'set', up, 'up']),
        ip(['addr', 'add', `${net.router}/30`, 'dev', ROUTER_UPLINK], r),
        ip(['link', 'set', ROUTER_UPLINK, 'up'], r),
        ip(['route', 'add', 'default', 'via', net.host], r),
        ip(['route', 'add', vpc.cidr, 'via', net.router, 'dev', up]),
      ],
      remove: [ip(['link', 'del', up]), ip(['netns', 'del', r])],
    });
  }
  for (const vpc of state.vpcs) {
    const r = routerNs(vpc);
    for (const s of vpc.subnets) {
      const prefix = parseCidr(s.cidr).prefix;
      out.push({
        key: `subnet:${vpc.name}/${s.name}`,
        create: [
          ip(['netns', 'add', s.netns]),
          ip(['link', 'add', s.hostIf, 'type', 'veth', 'peer', 'name', s.nsIf, 'netns', s.netns], r),
          ip(['addr', 'add', `${s.gateway}/${prefix}`, 'dev', s.hostIf], r),
          ip(['link', 'set', s.hostIf, 'up'], r),
          ip(['link', 'set', 'lo', 'up'], s.netns),
          ip(['addr', 'add', `${s.host}/${prefix}`, 'dev', s.nsIf], s.netns),
          ip(['link', 'set', s.nsIf, 'up'], s.netns),
          ip(['route', 'add', 'default', 'via', s.gateway], s.netns),
        ],
        remove: [ip(['link', 'del', s.hostIf], r), ip(['netns', 'del', s.netns])],
      });
    }
  }
  for (const p of state.peerings) {
    const a = state.vpcs.find((v) => v.name === p.vpcA);
    const b = state.vpcs.find((v) => v.name === p.vpcB);
    if (!a || !b) continue;
    const [ra, rb] = [routerNs(a), routerNs(b)];
    const net = peeringNet(a, b);
    out.push({
      key: `peering:${p.linkA}`,
      create: [
        ip(['link', 'add', p.linkA, 'type', 'veth', 'peer', 'name', p.linkB, 'netns', rb], ra),
        ip(['addr', 'add', `${net.a}/30`, 'dev', p.linkA], ra),
        ip(['link', 'set', p.linkA, 'up'], ra),
        ip(['route', 'add', b.cidr, 'via', net.b], ra),
        ip(['addr', 'add', `${net.b}/30`, 'dev', p.linkB], rb),
        ip(['link', 'set', p.linkB, 'up'], rb),
        ip(['route', 'add', a.cidr, 'via', net.a], rb),
      ],
      remove: [ip(['link', 'del', p.linkA], ra)],
    });
  }
  return out;
}

/** The router's FORWARD: replies, intra-VPC, NAT subnets to the uplink, allowed pairs, isolation, then DROP. */
function routerChains(state: State, vpc: VpcRecord, options: PlanOptions): ManagedChain[] {
  const chain = forwardChainName(options);
  const tag = options.commentTag;
  const rule = (spec: Omit<Parameters<typeof formatRule>[1], 'comment'>, what: string) =>
    formatRule(chain, { ...spec, comment: `${tag}:${vpc.name}:router:${what}` });
  const rules = [
    rule({ matches: ['-m conntrack --ctstate RELATED,ESTABLISHED'], target: 'ACCEPT' }, 'replies'),
  ];
  if (vpc.intraVpc)
    rules.push(rule({ source: vpc.cidr, destination: vpc.cidr, target: 'ACCEPT' }, 'intra-vpc'));
  for (const s of vpc.subnets) {
    if (s.nat) rules.push(rule({ source: s.cidr, outIf: ROUTER_UPLINK, target: 'ACCEPT' }, 'nat-egress'));
  }
  for (const a of state.allows) {
    if (a.srcVpc === vpc.name || a.dstVpc === vpc.name) {
      rules.push(rule({ source: a.src, destination: a.dst, target: 'ACCEPT' }, 'peering'));
    }
  }
  for (const i of state.isolations) {
    if (i.vpcA !== vpc.name && i.vpcB !== vpc.name) continue;
    rules.push(rule({ source: i.cidrA, destination: i.cidrB, target: 'DROP' }, 'isolate'));
    rules.push(rule({ source: i.cidrB, destination: i.cidrA, target: 'DROP' }, 'isolate'));
  }
  rules.push(rule({ target: 'DROP' }, 'default-deny'));
  return [{ table: 'filter', chain, hook: 'FORWARD', wanted: true, rules }];
}

/** Rule changes in each router that stays (a new router starts empty; a removed one goes whole). */
function routerFirewall(prev: State, next: State, options: PlanOptions): Step[] {
  const steps: Step[] = [];
  for (const vpc of next.vpcs) {
    const before = prev.vpcs.find((v) => v.name === vpc.name);
    const current = before
      ? simulateChains(emptySnapshot(), routerChains(prev, before, options), options.commentTag)
      : emptySnapshot();
    const changes = reconcileChains(routerChains(next, vpc, options), current, options.commentTag);
    if (changes.size > 0) {
      steps.push({ kind: 'iptables-restore', netns: routerNs(vpc), input: restoreInput(changes) });
    }
  }
  return steps;
}

/** The host forwards only between the uplinks and eth0: the reference's rules with each uplink as the "bridge". */
function hostRules(state: State, options: PlanOptions): string[] {
  const host: State = {
    ...structuredClone(state),
    allows: [],
    peerings: [],
  };
  host.vpcs = host.vpcs.map((v) => ({ ...v, bridge: hostUplink(v), intraVpc: false }));
  return forwardRules(host, plain(options));
}

function routerPlan(plan: Plan, prev: State, options: PlanOptions): Plan {
  const next = plan.state;
  const before = new Map(parts(prev).map((p) => [p.key, p]));
  const after = new Map(parts(next).map((p) => [p.key, p]));
  const created = [...after.values()].filter((p) => !before.has(p.key));
  const removed = [...before.values()].filter((p) => !after.has(p.key)).reverse();
  const of = (kind: Step['kind'], netns?: boolean) =>
    plan.steps.filter(
      (s) => s.kind === kind && (netns === undefined || ('netns' in s && s.netns !== undefined) === netns),
    );
  const sysctls = of('sysctl');
  const routers = routerFirewall(prev, next, options);
  const messages = plan.messages.filter((m) => !/its bridge .* is missing/.test(m));
  if (plan.bestEffort) {
    const first = next.vpcs.length > 0 ? sysctls : [];
    const last = next.vpcs.length > 0 ? [] : sysctls;
    return {
      ...plan,
      messages,
      steps: [
        ...first,
        ...of('stop-process'),
        ...removed.flatMap((p) => p.remove),
        ...routers,
        ...of('iptables-restore', false),
        ...last,
        ...of('nft-delete-table'),
      ],
    };
  }
  return {
    ...plan,
    messages,
    steps: [
      ...sysctls,
      ...of('iptables-restore', false),
      ...created.flatMap((p) => p.create),
      ...routers,
      ...of('iptables-restore', true),
      ...of('start-http'),
    ],
    rollback: [
      ...[...created].reverse().flatMap((p) => p.remove),
      ...plan.rollback.filter((s) => s.kind !== 'ip'),
    ],
  };
}

export const ROUTER_NAMESPACE: Variant = {
  name: 'router-namespace',
  kind: 'correct',
  mistake:
    'a router namespace per VPC instead of the bridge as router: subnets, the uplink and peerings are veths into <vpc>-router, which filters in its own FORWARD',
  change:
    "topology steps replaced (no bridge: <vpc>-router holds every gateway, an uplink veth to the host, peering veths between routers); the host's FORWARD only sees the uplinks",
  fails: [],
  why: 'discovery must tell the router (which holds an address in every subnet) from the subnet hosts',
  hooks: () => ({
    rootChains: (chains, state, options) => mapRules(chains, 'FORWARD', () => hostRules(state, options)),
    plan: (plan, { prev, options }) => routerPlan(plan, prev, options),
  }),
};
