/**
 * `ip -j` output as teardown-clean compares it: names and addresses, never
 * counters, ids or timestamps, so that equal means "nothing added". Output
 * that is not a JSON array (an old iproute2, a crashed command) reads as empty.
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

function jsonArray<T>(text: string): T[] {
  try {
    const value = JSON.parse(text || '[]') as unknown;
    return Array.isArray(value) ? (value as T[]) : [];
  } catch {
    return [];
  }
}

/** `ip -j netns list`: the names, sorted. */
export function namespaceNames(text: string): string[] {
  return jsonArray<{ name: string }>(text)
    .map((n) => n.name)
    .sort();
}

/** `ip -j -d link show`: `<name> <kind>` (`device` for a plain one). */
export function linkLines(text: string): string[] {
  return jsonArray<IpLink>(text)
    .map((l) => `${l.ifname} ${l.linkinfo?.info_kind ?? 'device'}`)
    .sort();
}

/** `ip -j -4 addr show`: `<name> <address>/<prefix>`. */
export function addressLines(text: string): string[] {
  return jsonArray<IpAddr>(text)
    .flatMap((a) => (a.addr_info ?? []).map((i) => `${a.ifname} ${i.local}/${i.prefixlen}`))
    .sort();
}

/** `ip -j -4 route show table all` without the kernel's `local` table, as `ip route` prints them. */
export function routeLines(text: string): string[] {
  return jsonArray<IpRoute>(text)
    .filter((r) => r.table !== 'local')
    .map(
      (r) =>
        `${r.type && r.type !== 'unicast' ? `${r.type} ` : ''}${r.dst}${r.gateway ? ` via ${r.gateway}` : ''}${r.dev ? ` dev ${r.dev}` : ''}${r.table ? ` table ${r.table}` : ''}`,
    )
    .sort();
}
