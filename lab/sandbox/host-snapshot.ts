import { readFileSync } from 'node:fs';
import { execa } from 'execa';

/**
 * What "the host is untouched" means: these views of the machine's own
 * namespaces are identical before and after any run. Read-only commands only
 * (`iptables-save` of the backend in use; never iptables-legacy, which would
 * create tables).
 */
export interface HostSnapshot {
  netns: string;
  links: string;
  routes: string;
  iptables: string;
  ip6tables: string;
  mounts: string;
}

async function read(argv: string[]): Promise<string> {
  const [file, ...args] = argv;
  const result = await execa(file as string, args, { reject: false, stdin: 'ignore' });
  return `${result.stdout}${result.stderr ? `\n[stderr] ${result.stderr}` : ''}`;
}

/** iptables-save without its timestamp comments and packet counters. */
export function normaliseRules(text: string): string {
  return text
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .map((line) => line.replace(/\[\d+:\d+\]/g, '[0:0]'))
    .join('\n');
}

/** Mount table without the per-mount ids (which stay the same anyway) kept simple: mount point, fs, source. */
function mountTable(): string {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) =>
      line
        .split(' ')
        .slice(4, 5)
        .concat(line.split(' - ')[1] ?? '')
        .join(' '),
    )
    .join('\n');
}

export async function hostSnapshot(): Promise<HostSnapshot> {
  const [netns, links, routes, iptables, ip6tables] = await Promise.all([
    read(['ip', 'netns', 'list']),
    read(['ip', '-o', 'link']),
    read(['ip', 'route', 'show', 'table', 'all']),
    read(['iptables-save']),
    read(['ip6tables-save']),
  ]);
  return {
    netns,
    links,
    routes,
    iptables: normaliseRules(iptables),
    ip6tables: normaliseRules(ip6tables),
    mounts: mountTable(),
  };
}

/** Names of the views that differ. */
export function diffSnapshots(before: HostSnapshot, after: HostSnapshot): string[] {
  return (Object.keys(before) as (keyof HostSnapshot)[]).filter((key) => before[key] !== after[key]);
}
