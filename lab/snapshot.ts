import { readdirSync, readFileSync } from 'node:fs';
import type { Snapshot } from '../src/model/evidence.js';
import { difference } from '../src/verdict/teardown.js';
import type { LabShell } from './shell.js';

/**
 * The sandbox's state as teardown-clean compares it: names and addresses,
 * never counters, ids or timestamps, so that equal means "nothing added".
 */

interface IpLink {
  ifname: string;
  linkinfo?: { info_kind?: string };
}
interface IpAddr {
  ifname: string;
  addr_info?: { family: string; local: string; prefixlen: number }[];
}
interface IpRoute {
  dst: string;
  gateway?: string;
  dev?: string;
  table?: string;
  type?: string;
}

function json<T>(text: string): T[] {
  try {
    const value = JSON.parse(text || '[]') as unknown;
    return Array.isArray(value) ? (value as T[]) : [];
  } catch {
    return [];
  }
}

/** iptables-save into rule lines and policies, per table, without counters or comments. */
export function parseRules(save: string): { rules: string[]; policies: string[] } {
  const rules: string[] = [];
  const policies: string[] = [];
  let table = '';
  for (const line of save.split('\n')) {
    if (line.startsWith('*')) table = line;
    else if (line.startsWith('-A ')) rules.push(`${table} ${line}`);
    else if (line.startsWith(':')) {
      const [name, policy] = line.slice(1).split(' ');
      if (policy === '-') rules.push(`${table} :${name} -`);
      else if (policy && policy !== 'ACCEPT') policies.push(`${table} ${name} ${policy}`);
    }
  }
  return { rules: rules.sort(), policies: policies.sort() };
}

function processGroup(pid: number | 'self'): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
  } catch {
    return undefined;
  }
}

/**
 * Processes in this PID namespace that the harness did not start (zombies
 * ignored). The harness's own processes descend from `harnessPids` AND stay
 * in its process group; every target command runs in a group of its own
 * (src/exec/run.ts), so a target's daemon counts as the target's even while
 * it is still our child.
 */
export function foreignProcesses(harnessPids: ReadonlySet<number>): string[] {
  const harnessGroup = processGroup('self');
  const parents = new Map<number, number>();
  const groups = new Map<number, number>();
  const commands = new Map<number, string>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const afterComm = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (afterComm[0] === 'Z') continue;
      parents.set(pid, Number(afterComm[1]));
      groups.set(pid, Number(afterComm[2]));
      commands.set(pid, readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim());
    } catch {
      // exited while we looked
    }
  }
  const descendsFromHarness = (pid: number): boolean => {
    for (let p: number | undefined = pid; p !== undefined && p > 0; p = parents.get(p)) {
      if (harnessPids.has(p)) return true;
    }
    return false;
  };
  return [...commands.entries()]
    .filter(([pid]) => pid !== 1 && !(descendsFromHarness(pid) && groups.get(pid) === harnessGroup))
    .map(([, cmd]) => cmd)
    .sort();
}

export async function takeSnapshot($: LabShell, harnessPids: ReadonlySet<number>): Promise<Snapshot> {
  const [netns, links, addrs, routes, save] = await Promise.all([
    $`ip -j netns list`,
    $`ip -j -d link show`,
    $`ip -j -4 addr show`,
    $`ip -j -4 route show table all`,
    $`iptables-save`,
  ]);
  const { rules, policies } = parseRules(save.stdout);
  return {
    netns: json<{ name: string }>(netns.stdout)
      .map((n) => n.name)
      .sort(),
    links: json<IpLink>(links.stdout)
      .map((l) => `${l.ifname} ${l.linkinfo?.info_kind ?? 'device'}`)
      .sort(),
    addresses: json<IpAddr>(addrs.stdout)
      .flatMap((a) => (a.addr_info ?? []).map((i) => `${a.ifname} ${i.local}/${i.prefixlen}`))
      .sort(),
    routes: json<IpRoute>(routes.stdout)
      .filter((r) => r.table !== 'local')
      .map(
        (r) =>
          `${r.type && r.type !== 'unicast' ? `${r.type} ` : ''}${r.dst}${r.gateway ? ` via ${r.gateway}` : ''}${r.dev ? ` dev ${r.dev}` : ''}${r.table ? ` table ${r.table}` : ''}`,
      )
      .sort(),
    rules,
    policies,
    processes: foreignProcesses(harnessPids),
  };
}

/** What `after` holds that `before` did not, per view (`netns vpc1-publicsub`, `rules *nat -A ...`). */
export function addedSince(before: Snapshot, after: Snapshot): string[] {
  const added: string[] = [];
  for (const key of ['netns', 'links', 'addresses', 'routes', 'rules', 'processes'] as const) {
    for (const item of difference(after[key], before[key])) added.push(`${key}: ${item}`);
  }
  return added;
}
