import ipaddr from 'ipaddr.js';

/** IPv4 helpers for discovery (addresses come from `ip -j`, CIDRs from the plan). */

export function isIpv4(text: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(text);
}

export function inCidr(address: string, cidr: string): boolean {
  if (!isIpv4(address) || !ipaddr.IPv4.isValidCIDR(cidr)) return false;
  return ipaddr.IPv4.parse(address).match(ipaddr.IPv4.parseCIDR(cidr));
}

/** The network or broadcast address of the CIDR (not usable as a host address); undefined otherwise. */
export function reservedRole(address: string, cidr: string): 'network' | 'broadcast' | undefined {
  const [, bits] = ipaddr.IPv4.parseCIDR(cidr);
  // /31 and /32 have no network or broadcast address (RFC 3021).
  if (bits >= 31) return undefined;
  if (ipaddr.IPv4.networkAddressFromCIDR(cidr).toString() === address) return 'network';
  if (ipaddr.IPv4.broadcastAddressFromCIDR(cidr).toString() === address) return 'broadcast';
  return undefined;
}
