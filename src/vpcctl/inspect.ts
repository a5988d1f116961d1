import type { Context } from './context.js';
import type { PolicyRecord, State } from './model.js';
import { reconcileChains } from './plan/chains.js';
import { rootChains } from './plan/firewall.js';
import { IP_FORWARD } from './plan/host.js';
import { parseIptablesSave, ruleChain } from './plan/iptables.js';
import { describeRule, policyChains } from './plan/policy.js';
import { serverMatch } from './plan/shared.js';
import type { Observed } from './plan/types.js';

export interface InspectSubnet {
  name: string;
  cidr: string;
  type: string | undefined;
  netns: string;
  netnsPresent: boolean;
  host: string;
  gateway: string;
  veth: string;
  nat: string | undefined;
  policy: { file: string; ingress: string[]; egress: string[] } | undefined;
  servers: { address: string; port: number; pid: number; running: boolean; log: string }[];
  addresses: string[];
  routes: string[];
}

export interface InspectReport {
  stateDir: string;
  vpcs: {
    name: string;
    cidr: string;
    bridge: string;
    bridgeMac: string;
    bridgePresent: boolean;
    bridgeAddresses: string[];
    intraVpc: boolean;
    subnets: InspectSubnet[];
  }[];
  peerings: { vpcA: string; vpcB: string; link: string; allowed: string[] }[];
  isolations: string[];
  host: { ipForward: string | undefined; ipForwardBefore: string | undefined };
  rules: Record<string, string[]>;
  /** Differences between the state file and the machine. */
  drift: string[];
  state: State;
}

interface IpAddr {
  ifname?: string;
  addr_info?: { family?: string; local?: string; prefixlen?: number }[];
}
interface IpRoute {
  dst?: string;
  gateway?: string;
  dev?: string;
}

function policySummary(policy: PolicyRecord): { file: string; ingress: string[]; egress: string[] } {
  return {
    file: policy.file,
    ingress: [...policy.ingress.map(describeRule), `default ${policy.defaultIngress}`],
    egress: [...policy.egress.map(describeRule), `default ${policy.defaultEgress}`],
  };
}

function parseJson<T>(text: string): T[] {
  try {
    return JSON.parse(text || '[]') as T[];
  } catch {
    return [];
  }
}

export async function gatherInspect(ctx: Context, state: State, observed: Observed): Promise<InspectReport> {
  const drift: string[] = [];
  const rules: Record<string, string[]> = {};
  for (const table of ['filter', 'nat']) {
    const t = observed.iptables.tables.get(table);
    const own = (t?.rules ?? []).filter(
      (r) => r.includes(`--comment ${ctx.options.commentTag}`) || r.includes(`"${ctx.options.commentTag}:`),
    );
    if (own.length > 0) rules[table] = own;
  }
  const rootChanges = reconcileChains(
    rootChains(state, ctx.options),
    observed.iptables,
    ctx.options.commentTag,
  );
  for (const [table, lines] of rootChanges) {
    drift.push(
      `iptables ${table}: vpcctl's rules differ from the state (${lines.length} change(s) would restore them)`,
    );
  }
  const vpcs: InspectReport['vpcs'] = [];
  for (const vpc of state.vpcs) {
    const bridgePresent = observed.links.includes(vpc.bridge);
    if (!bridgePresent) drift.push(`bridge ${vpc.bridge} of ${vpc.name} is missing`);
    const subnets = await Promise.all(
      vpc.subnets.map(async (s): Promise<InspectSubnet> => {
        const netnsPresent = observed.netns.includes(s.netns);
        if (!netnsPresent) drift.push(`namespace ${s.netns} of ${vpc.name}/${s.name} is missing`);
        if (!observed.links.includes(s.hostIf))
          drift.push(`veth ${s.hostIf} of ${vpc.name}/${s.name} is missing`);
        let addresses: string[] = [];
        let routes: string[] = [];
        if (netnsPresent) {
          const [addr, route, save] = await Promise.all([
            ctx.system.run(['ip', '-n', s.netns, '-j', 'addr', 'show']),
            ctx.system.run(['ip', '-n', s.netns, '-j', 'route', 'show']),
            s.policy ? ctx.system.run(['iptables-save', '-t', 'filter'], { netns: s.netns }) : undefined,
          ]);
          addresses = parseJson<IpAddr>(addr.stdout).flatMap((l) =>
            (l.addr_info ?? [])
              .filter((a) => a.family === 'inet')
              .map((a) => `${a.local}/${a.prefixlen} dev ${l.ifname}`),
          );
          routes = parseJson<IpRoute>(route.stdout).map(
            (r) => `${r.dst}${r.gateway ? ` via ${r.gateway}` : ''}${r.dev ? ` dev ${r.dev}` : ''}`,
          );
          if (save && !save.failed) {
            const snapshot = parseIptablesSave(save.stdout);
            const own = (snapshot.tables.get('filter')?.rules ?? []).filter((r) =>
              ruleChain(r).startsWith(`${ctx.options.chainPrefix}-`),
            );
            rules[`${s.netns} filter`] = own;
            if (
              reconcileChains(policyChains(s.policy, ctx.options), snapshot, ctx.options.commentTag).size > 0
            ) {
              drift.push(`policy rules in ${s.netns} differ from the state`);
            }
          }
        }
        const servers = s.servers.map((server) => {
          const running = ctx.system.processRunning(server.pid, serverMatch(server));
          if (!running) drift.push(`HTTP server of ${vpc.name}/${s.name} (pid ${server.pid}) is not running`);
          return { address: server.address, port: server.port, pid: server.pid, running, log: server.log };
        });
        return {
          name: s.name,
          cidr: s.cidr,
          type: s.type,
          netns: s.netns,
          netnsPresent,
          host: s.host,
          gateway: s.gateway,
          veth: `${s.hostIf} <-> ${s.nsIf}`,
          nat: s.nat?.wan,
          policy: s.policy ? policySummary(s.policy) : undefined,
          servers,
          addresses,
          routes,
        };
      }),
    );
    vpcs.push({
      name: vpc.name,
      cidr: vpc.cidr,
      bridge: vpc.bridge,
      bridgeMac: vpc.bridgeMac,
      bridgePresent,
      bridgeAddresses: observed.addresses
        .filter((a) => a.ifname === vpc.bridge)
        .map((a) => `${a.address}/${a.prefix}`),
      intraVpc: vpc.intraVpc,
      subnets,
    });
  }
  const peerings = state.peerings.map((p) => {
    if (!observed.links.includes(p.linkA))
      drift.push(`peering link ${p.linkA} (${p.vpcA} <-> ${p.vpcB}) is missing`);
    const allowed = state.allows
      .filter(
        (a) => (a.srcVpc === p.vpcA && a.dstVpc === p.vpcB) || (a.srcVpc === p.vpcB && a.dstVpc === p.vpcA),
      )
      .map((a) => `${a.src} -> ${a.dst}`);
    return { vpcA: p.vpcA, vpcB: p.vpcB, link: `${p.linkA} <-> ${p.linkB}`, allowed };
  });
  return {
    stateDir: ctx.store.dir,
    vpcs,
    peerings,
    isolations: state.isolations.map((i) => `${i.cidrA} (${i.vpcA}) x ${i.cidrB} (${i.vpcB})`),
    host: { ipForward: observed.sysctls[IP_FORWARD], ipForwardBefore: state.baseline?.sysctls[IP_FORWARD] },
    rules,
    drift,
    state,
  };
}

export function renderInspect(report: InspectReport): string {
  const out: string[] = [];
  if (report.vpcs.length === 0) out.push('No VPCs.');
  for (const vpc of report.vpcs) {
    out.push(
      `VPC ${vpc.name}  ${vpc.cidr}  bridge ${vpc.bridge} (${vpc.bridgePresent ? vpc.bridgeMac : 'MISSING'})  intra-VPC traffic: ${vpc.intraVpc ? 'allowed' : 'blocked'}`,
    );
    out.push(`  gateways on ${vpc.bridge}: ${vpc.bridgeAddresses.join(', ') || '(none)'}`);
    for (const s of vpc.subnets) {
      out.push(
        `  subnet ${s.name}  ${s.cidr}${s.type ? ` (${s.type})` : ''}  namespace ${s.netns}${s.netnsPresent ? '' : ' (MISSING)'}  host ${s.host}  gateway ${s.gateway}  veth ${s.veth}`,
      );
      out.push(`    NAT: ${s.nat ? `via ${s.nat}` : 'none (no internet)'}`);
      if (s.addresses.length > 0) out.push(`    addresses: ${s.addresses.join(', ')}`);
      if (s.routes.length > 0) out.push(`    routes: ${s.routes.join('; ')}`);
      if (s.policy) {
        out.push(`    policy ${s.policy.file}`);
        out.push(`      ingress: ${s.policy.ingress.join(', ')}`);
        out.push(`      egress: ${s.policy.egress.join(', ')}`);
      }
      for (const server of s.servers) {
        out.push(
          `    http: http://${server.address}:${server.port}/ pid ${server.pid} ${server.running ? 'running' : 'NOT RUNNING'} (log ${server.log})`,
        );
      }
    }
  }
  if (report.peerings.length > 0) {
    out.push('Peerings:');
    for (const p of report.peerings) {
      out.push(
        `  ${p.vpcA} <-> ${p.vpcB}  link ${p.link}  allowed: ${p.allowed.join(', ') || 'nothing yet'}`,
      );
    }
  }
  if (report.isolations.length > 0) out.push(`Isolated: ${report.isolations.join('; ')}`);
  out.push(
    `Host: ip_forward=${report.host.ipForward ?? '?'}${report.host.ipForwardBefore !== undefined ? ` (was ${report.host.ipForwardBefore} before the first VPC)` : ''}; state in ${report.stateDir}`,
  );
  for (const [table, lines] of Object.entries(report.rules)) {
    out.push(`iptables ${table} (vpcctl's rules):`);
    for (const line of lines) out.push(`  ${line}`);
  }
  out.push(report.drift.length === 0 ? 'Drift: none' : `Drift:\n  ${report.drift.join('\n  ')}`);
  return out.join('\n');
}
