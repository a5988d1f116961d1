import { VpcError } from '../util/errors.js';

/**
 * Every name vpcctl gives to a kernel object. Linux interface names are at
 * most 15 bytes (IFNAMSIZ - 1); veth names are built from small numeric ids
 * (never from user names) so they always fit and never collide.
 */
export const MAX_IFNAME = 15;
export const BRIDGE_PREFIX = 'br-';
export const MAX_VPC_NAME = MAX_IFNAME - BRIDGE_PREFIX.length;
export const MAX_SUBNET_NAME = 32;
/** Ids stay below this so veth names stay short and the bridge MAC can encode them. */
export const MAX_ID = 9999;
/** The subnet's interface inside its own namespace. */
export const SUBNET_NS_IFNAME = 'eth0';

const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const IFNAME = /^[A-Za-z0-9_.-]+$/;

export function bridgeName(vpc: string): string {
  return `${BRIDGE_PREFIX}${vpc}`;
}

export function netnsName(vpc: string, subnet: string): string {
  return `${vpc}-${subnet}`;
}

/** Bridge-side veth of a subnet: `v1s2` for subnet 2 of VPC 1. */
export function subnetVethName(vpcId: number, subnetId: number): string {
  return `v${vpcId}s${subnetId}`;
}

/** Peering veth ends: `p1-2` sits in VPC 1's bridge, `p2-1` in VPC 2's. A suffix keeps them unique. */
export function peeringLinkNames(idA: number, idB: number, attempt = 0): [string, string] {
  const suffix = attempt === 0 ? '' : `x${attempt}`;
  return [`p${idA}-${idB}${suffix}`, `p${idB}-${idA}${suffix}`];
}

/**
 * A locally administered unicast MAC (02:...) that encodes the VPC id. Set at
 * creation, so the bridge keeps it when ports join: otherwise the kernel takes
 * the lowest port MAC, and neighbours keep the stale gateway MAC for seconds.
 */
export function bridgeMac(vpcId: number): string {
  const hi = (vpcId >> 8) & 0xff;
  const lo = vpcId & 0xff;
  return ['02', '76', '70', '63', hi, lo]
    .map((b) => (typeof b === 'number' ? b.toString(16).padStart(2, '0') : b))
    .join(':');
}

/** Smallest id >= 1 not in `used` whose derived names are all free. */
export function pickId(used: Iterable<number>, isFree: (id: number) => boolean = () => true): number {
  const taken = new Set(used);
  for (let id = 1; id <= MAX_ID; id++) {
    if (!taken.has(id) && isFree(id)) return id;
  }
  throw new VpcError('E_CONFLICT', `no free id left (all ids up to ${MAX_ID} are in use)`);
}

export function validateVpcName(name: string, what = 'VPC name'): void {
  if (!NAME.test(name)) {
    throw new VpcError('E_BAD_INPUT', `${what} ${JSON.stringify(name)} is not valid`, {
      hint: 'use letters, digits, "_" and "-", starting with a letter or digit (e.g. vpc1)',
    });
  }
  const bridge = bridgeName(name);
  if (bridge.length > MAX_IFNAME) {
    throw new VpcError(
      'E_BAD_INPUT',
      `${what} ${JSON.stringify(name)} is too long: its bridge would be ${bridge} (${bridge.length} characters) and Linux interface names have at most ${MAX_IFNAME}`,
      { hint: `use a VPC name of at most ${MAX_VPC_NAME} characters` },
    );
  }
}

export function validateSubnetName(name: string): void {
  if (!NAME.test(name)) {
    throw new VpcError('E_BAD_INPUT', `subnet name ${JSON.stringify(name)} is not valid`, {
      hint: 'use letters, digits, "_" and "-", starting with a letter or digit (e.g. publicsub)',
    });
  }
  if (name.length > MAX_SUBNET_NAME) {
    throw new VpcError(
      'E_BAD_INPUT',
      `subnet name ${JSON.stringify(name)} is too long (${name.length} characters; its namespace name would be unwieldy)`,
      { hint: `use at most ${MAX_SUBNET_NAME} characters` },
    );
  }
}

export function validateIfName(name: string, what: string): void {
  if (!IFNAME.test(name) || name.length > MAX_IFNAME || name === '.' || name === '..') {
    throw new VpcError('E_BAD_INPUT', `${what} ${JSON.stringify(name)} is not a valid interface name`, {
      hint: `interface names have 1 to ${MAX_IFNAME} characters: letters, digits, "_", "." and "-"`,
    });
  }
}
