import type { DiscoveredSubnet } from '../model/evidence.js';
import { allSubnets } from '../plan/lookup.js';
import type { LabPlan, SubnetPlan } from '../plan/types.js';
import { type DefaultRoute, type InterfaceAddress, parseAddrJson, parseDefaultRoute } from './ip-json.js';
import { inCidr, reservedRole } from './ipv4.js';

/**
 * Finds each planned subnet's namespace by its addresses, never by the
 * target's names (docs/architecture.md "Discovery"). Pure: the lab runner collects
 * `ip -j addr` and `ip -j route` of every namespace in `ip netns list`.
 */

export interface NamespaceState {
  netns: string;
  addrJson: string;
  routeJson: string;
}

interface NamespaceView {
  netns: string;
  addresses: InterfaceAddress[];
  route: DefaultRoute | undefined;
  problems: string[];
}

interface Candidate {
  view: NamespaceView;
  address: InterfaceAddress;
}

function view(state: NamespaceState): NamespaceView {
  const problems: string[] = [];
  const addr = parseAddrJson(state.addrJson);
  if (!addr.ok) problems.push(addr.problem);
  const route = parseDefaultRoute(state.routeJson);
  if (!route.ok) problems.push(route.problem);
  return {
    netns: state.netns,
    addresses: addr.ok ? addr.value : [],
    route: route.ok ? route.value : undefined,
    problems,
  };
}

/** The host addresses a namespace holds inside the CIDR: primary before secondary, up before down. */
function addressesIn(ns: NamespaceView, cidr: string): InterfaceAddress[] {
  return ns.addresses
    .filter((a) => inCidr(a.address, cidr))
    .sort((a, b) => Number(a.secondary) - Number(b.secondary) || Number(b.up) - Number(a.up));
}

function listNames(names: string[]): string {
  if (names.length === 0) return 'none';
  const shown = names.slice(0, 8).join(', ');
  return names.length > 8 ? `${shown}, ... (${names.length} in all)` : shown;
}

/**
 * Choose the subnet's host among the namespaces holding an address inside its
 * CIDR. A router namespace also holds one (the gateway): drop candidates whose
 * address is another candidate's default gateway, then prefer a namespace that
 * sits in one planned subnet only, then one with a default route.
 */
function choose(
  candidates: Candidate[],
  plan: LabPlan,
): { chosen: Candidate | undefined; ambiguous: Candidate[] } {
  if (candidates.length <= 1) return { chosen: candidates[0], ambiguous: [] };
  const gateways = new Set(candidates.map((c) => c.view.route?.gateway).filter(Boolean));
  let pool = candidates.filter((c) => !gateways.has(c.address.address));
  if (pool.length === 0) pool = candidates;
  const subnetCount = (c: Candidate) =>
    allSubnets(plan).filter((s) => c.view.addresses.some((a) => inCidr(a.address, s.cidr))).length;
  const fewest = Math.min(...pool.map(subnetCount));
  pool = pool.filter((c) => subnetCount(c) === fewest);
  const routed = pool.filter((c) => c.view.route !== undefined);
  if (routed.length > 0) pool = routed;
  pool.sort((a, b) => a.view.netns.localeCompare(b.view.netns));
  return { chosen: pool[0], ambiguous: pool.length > 1 ? pool : [] };
}

function discoverOne(subnet: SubnetPlan, views: NamespaceView[], plan: LabPlan): DiscoveredSubnet {
  const base: DiscoveredSubnet = {
    key: subnet.key,
    vpc: subnet.vpc,
    name: subnet.name,
    cidr: subnet.cidr,
    netns: undefined,
    address: undefined,
    gateway: undefined,
    gatewayAnswers: false,
    problem: undefined,
  };
  const problems: string[] = [];
  const candidates: Candidate[] = [];
  const reservedOnly: string[] = [];
  for (const ns of views) {
    const inside = addressesIn(ns, subnet.cidr);
    const usable = inside.filter((a) => reservedRole(a.address, subnet.cidr) === undefined);
    const first = usable[0];
    if (first) {
      candidates.push({ view: ns, address: first });
    } else if (inside[0]) {
      const role = reservedRole(inside[0].address, subnet.cidr);
      reservedOnly.push(`${ns.netns} holds ${inside[0].address}, the ${role} address of ${subnet.cidr}`);
    }
  }

  if (candidates.length === 0) {
    const unreadable = views.filter((v) => v.problems.length > 0).map((v) => `${v.netns}: ${v.problems[0]}`);
    let message =
      views.length === 0
        ? `no namespace holds an address inside ${subnet.cidr}: there are no named namespaces at all`
        : `no namespace holds an address inside ${subnet.cidr} (searched: ${listNames(views.map((v) => v.netns))})`;
    if (reservedOnly.length > 0)
      message += `; ${reservedOnly.join('; ')}, which is not a usable host address`;
    if (unreadable.length > 0) message += `; could not read ${unreadable.join('; ')}`;
    return { ...base, problem: message };
  }

  const { chosen, ambiguous } = choose(candidates, plan);
  if (!chosen) return { ...base, problem: `no usable namespace for ${subnet.cidr}` };
  if (ambiguous.length > 0) {
    problems.push(
      `several namespaces hold addresses inside ${subnet.cidr}: ${ambiguous
        .map((c) => `${c.view.netns} (${c.address.address})`)
        .join(', ')}; using ${chosen.view.netns}`,
    );
  }
  const { view: ns, address } = chosen;
  if (!address.up)
    problems.push(`interface ${address.ifname} holding ${address.address} in ${ns.netns} is down`);
  let gateway: string | undefined;
  if (!ns.route) {
    problems.push(`no default route in ${ns.netns}`);
  } else if (!ns.route.gateway) {
    problems.push(
      `the default route in ${ns.netns} has no gateway (dev ${ns.route.dev ?? '?'} only): no router to check`,
    );
  } else {
    gateway = ns.route.gateway;
  }
  return {
    ...base,
    netns: ns.netns,
    address: address.address,
    gateway,
    problem: problems.length > 0 ? problems.join('; ') : undefined,
  };
}

/**
 * Discover the given planned subnets (all of the plan's by default) in the
 * collected namespace states.
 */
export function discoverSubnets(
  states: readonly NamespaceState[],
  plan: LabPlan,
  keys?: readonly string[],
): DiscoveredSubnet[] {
  const views = states.map(view);
  const subnets = allSubnets(plan).filter((s) => !keys || keys.includes(s.key));
  return subnets.map((s) => discoverOne(s, views, plan));
}

/** Whether the subnet can be probed from and to. */
export function isDiscovered(
  subnet: DiscoveredSubnet | undefined,
): subnet is DiscoveredSubnet & { netns: string; address: string } {
  return subnet?.netns !== undefined && subnet.address !== undefined;
}
