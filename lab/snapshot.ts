import { readdirSync, readFileSync } from 'node:fs';
import type { Snapshot } from '../src/model/evidence.js';
import { addressLines, linkLines, namespaceNames, routeLines } from '../src/snapshot/ip.js';
import { parseRules } from '../src/snapshot/iptables.js';
import type { LabShell } from './shell.js';

/**
 * Reads the sandbox's state as teardown-clean compares it; the parsing of
 * each view lives in src/snapshot/ (pure, unit-tested), this runs the commands.
 */

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
 * it is still our child. A foreign process whose parent is foreign too is part
 * of its parent's tree and is not listed on its own.
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
  const foreign = new Set(
    [...commands.keys()].filter(
      (pid) => pid !== 1 && !(descendsFromHarness(pid) && groups.get(pid) === harnessGroup),
    ),
  );
  // Only the root of each foreign tree counts: a daemon's own children come and go (a loop's
  // `sleep 1`, a fork not yet exec'd that still shows its parent's command line), and reading
  // them would make a snapshot depend on the moment it was taken. The daemon itself is the leftover.
  return [...foreign]
    .filter((pid) => !foreign.has(parents.get(pid) ?? 0))
    .map((pid) => commands.get(pid) ?? '')
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
    netns: namespaceNames(netns.stdout),
    links: linkLines(links.stdout),
    addresses: addressLines(addrs.stdout),
    routes: routeLines(routes.stdout),
    rules,
    policies,
    processes: foreignProcesses(harnessPids),
  };
}
