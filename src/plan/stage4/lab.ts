import type { ProbeKind } from '../../model/probe.js';
import type { SubnetPlan, VpcPlan } from '../types.js';

/**
 * The Stage 4 lab's fixed facts (docs/architecture.md "The lab plan"): the two
 * VPCs, their subnets' keys, the ports. Phases, probes and criteria refer to
 * these names, never to literals of their own.
 */

export const PUB1 = 'vpc1/publicsub';
export const PRIV1 = 'vpc1/privatesub';
export const PUB2 = 'vpc2/publicsub';
export const PRIV2 = 'vpc2/privatesub';
export const INTERNET = 'internet';

export const APP_PORT = 80;
export const PROBE_PORT = 7070;
export const POLICY_DENIED_PORTS = [22, 443];

function subnet(vpc: string, name: string, cidr: string, type: 'public' | 'private'): SubnetPlan {
  return { key: `${vpc}/${name}`, vpc, name, cidr, type, label: `${vpc} ${type}` };
}

export const VPC1: VpcPlan = {
  name: 'vpc1',
  cidr: '10.0.0.0/16',
  subnets: [
    subnet('vpc1', 'publicsub', '10.0.1.0/24', 'public'),
    subnet('vpc1', 'privatesub', '10.0.2.0/24', 'private'),
  ],
};
export const VPC2: VpcPlan = {
  name: 'vpc2',
  cidr: '10.1.0.0/16',
  subnets: [
    subnet('vpc2', 'publicsub', '10.1.1.0/24', 'public'),
    subnet('vpc2', 'privatesub', '10.1.2.0/24', 'private'),
  ],
};
export const SUBNETS = new Map([...VPC1.subnets, ...VPC2.subnets].map((s) => [s.key, s]));

export function probeId(stage: string, kind: ProbeKind, from: string, to: string, port?: number): string {
  return `${stage}:${kind}:${from}->${to}${port === undefined ? '' : `:${port}`}`;
}

export const [VPC1_PUB, VPC1_PRIV] = VPC1.subnets as [SubnetPlan, SubnetPlan];
export const [VPC2_PUB, VPC2_PRIV] = VPC2.subnets as [SubnetPlan, SubnetPlan];
