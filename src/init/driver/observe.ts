import { parseAddrJson } from '../../discovery/ip-json.js';
import { inCidr } from '../../discovery/ipv4.js';
import { sys } from './run-cmd.js';

/** The kernel's state that lab steps change: what a trial's effect is read from. */
export interface Snapshot {
  /** `''` is the sandbox's own namespace. */
  namespaces: string[];
  addresses: { ns: string; ifname: string; address: string; prefixlen: number }[];
  links: { ns: string; name: string; kind: string }[];
  /** iptables-save per namespace, counters stripped. */
  rules: Record<string, string>;
  routes: Record<string, string>;
  listeners: Record<string, string>;
}

const inNs = (ns: string, argv: string[]) => (ns ? ['ip', 'netns', 'exec', ns, ...argv] : argv);

export async function netnsNames(): Promise<string[]> {
  const text = await sys(['ip', '-j', 'netns', 'list']);
  try {
    return (JSON.parse(text || '[]') as { name: string }[]).map((n) => n.name);
  } catch {
    return [];
  }
}

function stripCounters(text: string): string {
  return text
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .map((l) => l.replace(/\[\d+:\d+\]/g, ''))
    .join('\n');
}

export async function snapshot(): Promise<Snapshot> {
  const namespaces = ['', ...(await netnsNames())];
  const snap: Snapshot = { namespaces, addresses: [], links: [], rules: {}, routes: {}, listeners: {} };
  await Promise.all(
    namespaces.map(async (ns) => {
      const [addr, link, rules, routes, listeners] = await Promise.all([
        sys(inNs(ns, ['ip', '-j', 'addr', 'show'])),
        sys(inNs(ns, ['ip', '-j', '-d', 'link', 'show'])),
        sys(inNs(ns, ['iptables-save'])),
        sys(inNs(ns, ['ip', 'route', 'show', 'table', 'all'])),
        sys(inNs(ns, ['ss', '-ltnH'])),
      ]);
      const parsed = parseAddrJson(addr || '[]');
      if (parsed.ok) {
        for (const a of parsed.value)
          snap.addresses.push({ ns, ifname: a.ifname, address: a.address, prefixlen: a.prefixlen });
      }
      try {
        for (const l of JSON.parse(link || '[]') as { ifname: string; linkinfo?: { info_kind?: string } }[]) {
          snap.links.push({ ns, name: l.ifname, kind: l.linkinfo?.info_kind ?? '' });
        }
      } catch {
        // unreadable: no links recorded for this namespace
      }
      snap.rules[ns] = stripCounters(rules);
      snap.routes[ns] = routes;
      snap.listeners[ns] = listeners;
    }),
  );
  return snap;
}

/** Addresses inside `cidr`; `subnetOnly` keeps those in a namespace of its own (a subnet's host). */
export function addressesIn(snap: Snapshot, cidr: string, subnetOnly = false) {
  return snap.addresses.filter((a) => inCidr(a.address, cidr) && (!subnetOnly || a.ns !== ''));
}

/** What changed between two snapshots, in words (empty: nothing). */
export function changes(before: Snapshot, after: Snapshot): string[] {
  const out: string[] = [];
  const key = (l: { ns: string; name: string }) => `${l.ns}/${l.name}`;
  const newLinks = after.links.filter((l) => !before.links.some((b) => key(b) === key(l)));
  const goneLinks = before.links.filter((l) => !after.links.some((a) => key(a) === key(l)));
  if (newLinks.length)
    out.push(`new links ${newLinks.map((l) => `${l.name}${l.kind ? `(${l.kind})` : ''}`).join(', ')}`);
  if (goneLinks.length) out.push(`links gone ${goneLinks.map((l) => l.name).join(', ')}`);
  const newNs = after.namespaces.filter((n) => !before.namespaces.includes(n));
  if (newNs.length) out.push(`new namespaces ${newNs.join(', ')}`);
  for (const ns of after.namespaces) {
    if ((before.rules[ns] ?? '') !== (after.rules[ns] ?? ''))
      out.push(`iptables rules changed in ${ns || 'the root namespace'}`);
    if ((before.routes[ns] ?? '') !== (after.routes[ns] ?? ''))
      out.push(`routes changed in ${ns || 'the root namespace'}`);
  }
  return out;
}

export function rulesChanged(before: Snapshot, after: Snapshot): boolean {
  const all = new Set([...Object.keys(before.rules), ...Object.keys(after.rules)]);
  return [...all].some((ns) => (before.rules[ns] ?? '') !== (after.rules[ns] ?? ''));
}

/** A MASQUERADE (or SNAT) rule whose source covers `cidr`, in any namespace. */
export function natCovers(snap: Snapshot, cidr: string): string | undefined {
  const [net] = cidr.split('/') as [string];
  for (const [ns, text] of Object.entries(snap.rules)) {
    for (const line of text.split('\n')) {
      if (!/-j (MASQUERADE|SNAT)/.test(line)) continue;
      const src = /-s (\S+)/.exec(line)?.[1];
      const prefix = Number(src?.split('/')[1] ?? 32);
      if (!src || (inCidr(net, src) && prefix <= Number(cidr.split('/')[1])))
        return `${ns || 'root'}: ${line.trim()}`;
    }
  }
  return undefined;
}

export function listensOn(snap: Snapshot, ns: string, port: number): boolean {
  return (snap.listeners[ns] ?? '').split('\n').some((l) => l.trim().split(/\s+/)[3]?.endsWith(`:${port}`));
}
