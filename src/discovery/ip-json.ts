/**
 * Parsers for `ip -j addr` and `ip -j route` (iproute2's JSON output), kept
 * to the fields discovery needs. They never throw: unreadable output is a
 * `problem`, because a target's broken namespace must not crash the harness.
 */

export interface InterfaceAddress {
  ifname: string;
  /** Administratively up (`UP` in flags). */
  up: boolean;
  address: string;
  prefixlen: number;
  secondary: boolean;
}

export interface DefaultRoute {
  gateway: string | undefined;
  dev: string | undefined;
  metric: number;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

function parseJsonArray(text: string, what: string): Parsed<unknown[]> {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, problem: `${what} printed nothing` };
  try {
    const value: unknown = JSON.parse(trimmed);
    if (!Array.isArray(value)) return { ok: false, problem: `${what} did not print a JSON array` };
    return { ok: true, value };
  } catch (error) {
    return { ok: false, problem: `${what} printed invalid JSON (${(error as Error).message})` };
  }
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** IPv4 addresses of every interface. */
export function parseAddrJson(json: string): Parsed<InterfaceAddress[]> {
  const parsed = parseJsonArray(json, 'ip -j addr');
  if (!parsed.ok) return parsed;
  const out: InterfaceAddress[] = [];
  for (const item of parsed.value) {
    const link = record(item);
    if (!link) continue;
    const ifname = text(link.ifname) ?? '?';
    const flags = Array.isArray(link.flags)
      ? link.flags.filter((f): f is string => typeof f === 'string')
      : [];
    const infos = Array.isArray(link.addr_info) ? link.addr_info : [];
    for (const info of infos) {
      const entry = record(info);
      if (entry?.family !== 'inet') continue;
      const address = text(entry.local);
      if (!address) continue;
      out.push({
        ifname,
        up: flags.includes('UP'),
        address,
        prefixlen: typeof entry.prefixlen === 'number' ? entry.prefixlen : 32,
        secondary: entry.secondary === true,
      });
    }
  }
  return { ok: true, value: out };
}

/** The default route with the lowest metric (undefined: none). */
export function parseDefaultRoute(json: string): Parsed<DefaultRoute | undefined> {
  const parsed = parseJsonArray(json, 'ip -j route');
  if (!parsed.ok) return parsed;
  let best: DefaultRoute | undefined;
  for (const item of parsed.value) {
    const route = record(item);
    if (!route) continue;
    const dst = text(route.dst);
    if (dst !== 'default' && dst !== '0.0.0.0/0') continue;
    const type = text(route.type);
    // `blackhole default`, `unreachable default`, `prohibit default` send nothing anywhere.
    if (type && type !== 'unicast') continue;
    let gateway = text(route.gateway);
    let dev = text(route.dev);
    if (!gateway && Array.isArray(route.nexthops)) {
      const first = record(route.nexthops[0]);
      gateway = text(first?.gateway);
      dev ??= text(first?.dev);
    }
    const metric = typeof route.metric === 'number' ? route.metric : 0;
    if (!best || metric < best.metric) best = { gateway, dev, metric };
  }
  return { ok: true, value: best };
}
