import { describe, expect, it } from 'vitest';
import { topologyOf } from '../../../src/discovery/topology.js';
import type { DiscoveredSubnet, LabEvidence, PhaseEvidence } from '../../../src/model/evidence.js';
import { STAGE4_PLAN } from '../../../src/plan/stage4/index.js';

function found(key: string, netns?: string, address?: string, problem?: string): DiscoveredSubnet {
  const [vpc = '', name = ''] = key.split('/');
  return {
    key,
    vpc,
    name,
    cidr: '',
    netns,
    address,
    gateway: netns ? '10.0.1.1' : undefined,
    gatewayAnswers: netns !== undefined,
    problem,
  };
}

function phase(discovery: DiscoveredSubnet[]): PhaseEvidence {
  return { discovery } as PhaseEvidence;
}

describe('topologyOf (the plan as built)', () => {
  it('each planned subnet with what discovery last found for it, a later miss not erasing a find', () => {
    const evidence = {
      phases: [
        phase([found('vpc1/publicsub', undefined, undefined, 'no namespace holds 10.0.1.0/24')]),
        phase([found('vpc1/publicsub', 'ns-a', '10.0.1.2')]),
        phase([found('vpc1/publicsub', undefined, undefined, 'gone after teardown')]),
      ],
    } as LabEvidence;
    const topology = topologyOf(STAGE4_PLAN, evidence);
    expect(topology.vpcs.map((v) => v.name)).toEqual(STAGE4_PLAN.vpcs.map((v) => v.name));
    const subnets = topology.vpcs.flatMap((v) => v.subnets);
    expect(subnets.find((s) => s.key === 'vpc1/publicsub')).toMatchObject({
      netns: 'ns-a',
      address: '10.0.1.2',
      gateway: '10.0.1.1',
    });
    const unseen = subnets.find((s) => s.key === 'vpc1/privatesub');
    expect(unseen).toBeDefined();
    expect(unseen).not.toHaveProperty('netns');
    expect(topology.peerings).toEqual([['vpc1', 'vpc2']]);
  });

  it('a subnet never found keeps the first problem discovery gave', () => {
    const evidence = { phases: [phase([found('vpc1/privatesub', undefined, undefined, 'not found')])] };
    const subnet = topologyOf(STAGE4_PLAN, evidence as LabEvidence)
      .vpcs.flatMap((v) => v.subnets)
      .find((s) => s.key === 'vpc1/privatesub');
    expect(subnet?.problem).toBe('not found');
  });
});
