import type { LabPlan } from '../types.js';
import {
  APP_PORT,
  POLICY_DENIED_PORTS,
  PRIV1,
  PRIV2,
  PROBE_PORT,
  PUB1,
  PUB2,
  VPC1,
  VPC1_PUB,
  VPC2,
} from './lab.js';
import { STAGE4_PHASES } from './phases.js';

/**
 * The Stage 4 lab (docs/architecture.md "The lab plan") as data: what the lab
 * runner does, in order, and which probe answers which criterion.
 */
export * from './criteria-needs.js';
export * from './lab.js';

export const STAGE4_PLAN: LabPlan = {
  name: 'stage4',
  vpcs: [VPC1, VPC2],
  wan: { interface: 'eth0', address: '203.0.113.10', gateway: '203.0.113.1' },
  internet: { address: '198.51.100.10', httpPort: 80, label: 'internet' },
  appPort: APP_PORT,
  probePort: PROBE_PORT,
  listeners: [
    { subnet: PUB1, ports: [PROBE_PORT, ...POLICY_DENIED_PORTS] },
    { subnet: PRIV1, ports: [PROBE_PORT] },
    { subnet: PUB2, ports: [PROBE_PORT] },
    { subnet: PRIV2, ports: [PROBE_PORT] },
  ],
  policy: {
    vpc: 'vpc1',
    subnet: VPC1_PUB.name,
    cidr: VPC1_PUB.cidr,
    ingress: [
      { port: 80, protocol: 'tcp', action: 'allow' },
      { port: 22, protocol: 'tcp', action: 'deny' },
      { port: 443, protocol: 'tcp', action: 'deny' },
    ],
  },
  phases: STAGE4_PHASES,
};
