import { createRequire } from 'node:module';
import { VpcError } from './errors.js';

// ipaddr.js is CommonJS: loading it through require() takes ~2 ms, through the
// ESM loader ~7 ms, and CLIs that start a fresh process per command notice.
const ipaddr = createRequire(import.meta.url)('ipaddr.js') as typeof import('ipaddr.js');

/**
 * IPv4 CIDR blocks as plain values. ipaddr.js does the parsing (strict
 * dotted-quad: no octal, hex or short forms); the arithmetic is on unsigned
 * 32-bit integers so containment and overlap are exact.
 */
export interface Cidr {
  /** Network address, dotted quad. */
  address: string;
  prefix: number;
  /** Network address as an unsigned 32-bit integer. */
  network: number;
  /** Canonical text, `10.0.0.0/16`. */
  text: string;
}

export interface ParseCidrOptions {
  /** Accept host bits (`10.0.0.5/16` means 10.0.0.0/16). Default false: such input is a mistake. */
  allowHostBits?: boolean;
  /** Name of the value in error messages, e.g. `--cidr`. */
  what?: string;
}

function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

export function ipToInt(ip: string): number {
  const parts = ip.split('.').map(Number);
  return (((parts[0] ?? 0) << 24) | ((parts[1] ?? 0) << 16) | ((parts[2] ?? 0) << 8) | (parts[3] ?? 0)) >>> 0;
}

export function intToIp(value: number): string {
  return [value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff].join('.');
}

export function isIpv4(text: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(text);
}

/** Parse and validate an IPv4 CIDR; throws VpcError(E_BAD_INPUT) saying what is wrong and how to fix it. */
export function parseCidr(text: string, options: ParseCidrOptions = {}): Cidr {
  const what = options.what ?? 'CIDR';
  const bad = (reason: string, hint?: string): VpcError =>
    new VpcError('E_BAD_INPUT', `${what} ${JSON.stringify(text)} is not a valid IPv4 CIDR: ${reason}`, {
      hint: hint ?? 'write it as ADDRESS/PREFIX, e.g. 10.0.0.0/16',
    });
  if (typeof text !== 'string' || text.trim() === '') throw bad('it is empty');
  const slash = text.indexOf('/');
  if (slash < 0) throw bad('the /PREFIX is missing');
  const addressText = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  if (!isIpv4(addressText)) {
    if (ipaddr.IPv6.isValid(addressText)) throw bad('it is IPv6; only IPv4 is supported');
    throw bad(`${JSON.stringify(addressText)} is not a dotted-quad IPv4 address`);
  }
  if (!/^(?:[0-9]|[12][0-9]|3[0-2])$/.test(prefixText)) {
    throw bad(`the prefix ${JSON.stringify(prefixText)} is not a number from 0 to 32`);
  }
  const prefix = Number(prefixText);
  const raw = ipToInt(addressText);
  const network = (raw & maskOf(prefix)) >>> 0;
  if (network !== raw && !options.allowHostBits) {
    const suggestion = `${intToIp(network)}/${prefix}`;
    throw bad(
      `host bits are set (the network address of a /${prefix} is ${intToIp(network)})`,
      `did you mean ${suggestion}?`,
    );
  }
  const address = intToIp(network);
  return { address, prefix, network, text: `${address}/${prefix}` };
}

/** Like parseCidr, but undefined instead of an error. */
export function tryParseCidr(text: string, options: ParseCidrOptions = {}): Cidr | undefined {
  try {
    return parseCidr(text, options);
  } catch {
    return undefined;
  }
}

function asCidr(value: Cidr | string): Cidr {
  return typeof value === 'string' ? parseCidr(value) : value;
}

/** Number of addresses in the block. */
export function cidrSize(value: Cidr | string): number {
  return 2 ** (32 - asCidr(value).prefix);
}

/** The last address of the block (broadcast for prefixes below 31). */
export function broadcastAddress(value: Cidr | string): string {
  const c = asCidr(value);
  return intToIp((c.network + cidrSize(c) - 1) >>> 0);
}

/** The n-th address of the block (0 = network address, 1 = first host). Throws when outside the block. */
export function addressAt(value: Cidr | string, n: number): string {
  const c = asCidr(value);
  if (!Number.isInteger(n) || n < 0 || n >= cidrSize(c)) {
    throw new VpcError('E_BAD_INPUT', `${c.text} has no address number ${n}`);
  }
  return intToIp((c.network + n) >>> 0);
}

/** First usable host (`.1` of a /24). */
export function firstHost(value: Cidr | string): string {
  return addressAt(value, 1);
}

/** Whether `inner` lies entirely inside `outer` (equal blocks count). */
export function cidrContains(outer: Cidr | string, inner: Cidr | string): boolean {
  const o = asCidr(outer);
  const i = asCidr(inner);
  return i.prefix >= o.prefix && (i.network & maskOf(o.prefix)) >>> 0 === o.network;
}

/** Whether two blocks share at least one address. */
export function cidrsOverlap(a: Cidr | string, b: Cidr | string): boolean {
  return cidrContains(a, b) || cidrContains(b, a);
}

/** Whether the IPv4 address lies inside the block. */
export function ipInCidr(ip: string, value: Cidr | string): boolean {
  if (!isIpv4(ip)) return false;
  const c = asCidr(value);
  return (ipToInt(ip) & maskOf(c.prefix)) >>> 0 === c.network;
}
