import type { LabEvidence } from '../model/evidence.js';
import type { Topology } from '../model/summary.js';
import type { LabPlan } from '../plan/types.js';

/** The plan as built: each subnet with the namespace and address discovery last found for it. */
export function topologyOf(plan: LabPlan, evidence: LabEvidence): Topology {
  const latest = new Map<string, LabEvidence['phases'][number]['discovery'][number]>();
  for (const phase of evidence.phases) {
    for (const found of phase.discovery) {
      if (found.netns || !latest.has(found.key)) latest.set(found.key, found);
    }
  }
  return {
    vpcs: plan.vpcs.map((vpc) => ({
      name: vpc.name,
      cidr: vpc.cidr,
      subnets: vpc.subnets.map((s) => {
        const found = latest.get(s.key);
        return {
          key: s.key,
          name: s.name,
          cidr: s.cidr,
          type: s.type,
          ...(found?.netns ? { netns: found.netns } : {}),
          ...(found?.address ? { address: found.address } : {}),
          ...(found?.gateway ? { gateway: found.gateway } : {}),
          ...(found?.problem ? { problem: found.problem } : {}),
        };
      }),
    })),
    peerings: [[plan.vpcs[0]?.name ?? 'vpc1', plan.vpcs[1]?.name ?? 'vpc2']],
  };
}
