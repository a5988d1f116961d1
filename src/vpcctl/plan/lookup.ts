import { cidrContains, parseCidr } from '../../util/cidr.js';
import { VpcError } from '../../util/errors.js';
import {
  findSubnet,
  findVpc,
  findVpcByBridge,
  type State,
  type SubnetRecord,
  type VpcRecord,
} from '../model.js';

/** Lookups that fail with a message naming what exists, so the user can correct the name. */
function known(state: State): string {
  return state.vpcs.length === 0
    ? 'no VPC exists yet (create one with: vpcctl create-vpc --name NAME --cidr CIDR)'
    : `known VPCs: ${state.vpcs.map((v) => `${v.name} (${v.cidr})`).join(', ')}`;
}

export function requireVpc(state: State, name: string): VpcRecord {
  const vpc = findVpc(state, name);
  if (!vpc)
    throw new VpcError('E_NOT_FOUND', `VPC ${JSON.stringify(name)} does not exist`, { hint: known(state) });
  return vpc;
}

export function requireSubnet(
  state: State,
  vpcName: string,
  subnetName: string,
): { vpc: VpcRecord; subnet: SubnetRecord } {
  const vpc = requireVpc(state, vpcName);
  const subnet = findSubnet(vpc, subnetName);
  if (!subnet) {
    throw new VpcError(
      'E_NOT_FOUND',
      `subnet ${JSON.stringify(subnetName)} does not exist in VPC ${vpc.name}`,
      {
        hint:
          vpc.subnets.length === 0
            ? `${vpc.name} has no subnet yet (add one with: vpcctl add-subnet --vpc ${vpc.name} --name NAME --cidr CIDR)`
            : `subnets of ${vpc.name}: ${vpc.subnets.map((s) => `${s.name} (${s.cidr})`).join(', ')}`,
      },
    );
  }
  return { vpc, subnet };
}

export function requireBridge(state: State, bridge: string, what: string): VpcRecord {
  const vpc = findVpcByBridge(state, bridge);
  if (!vpc) {
    throw new VpcError('E_NOT_FOUND', `${what}: no VPC has a bridge named ${JSON.stringify(bridge)}`, {
      hint:
        state.vpcs.length === 0
          ? known(state)
          : `bridges: ${state.vpcs.map((v) => `${v.bridge} (${v.name})`).join(', ')}`,
    });
  }
  return vpc;
}

/** The VPC whose CIDR contains the given block. */
export function requireVpcContaining(
  state: State,
  cidrText: string,
  what: string,
): { vpc: VpcRecord; cidr: string } {
  const cidr = parseCidr(cidrText, { what });
  const vpc = state.vpcs.find((v) => cidrContains(v.cidr, cidr));
  if (!vpc) {
    throw new VpcError('E_NOT_FOUND', `${what} ${cidr.text} is not inside any VPC`, { hint: known(state) });
  }
  return { vpc, cidr: cidr.text };
}
