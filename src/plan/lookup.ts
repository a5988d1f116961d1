import type { PhaseId } from '../model/evidence.js';
import type { LabPlan, PhasePlan, PlacedProbe, StagePlan, SubnetPlan } from './types.js';

/** Lookups over a plan (indexed once per plan object). */
const indexes = new WeakMap<LabPlan, Map<string, PlacedProbe>>();

export function placedProbes(plan: LabPlan): PlacedProbe[] {
  return plan.phases.flatMap((phase) =>
    phase.stages.flatMap((stage) => stage.probes.map((spec) => ({ phase: phase.id, stage: stage.id, spec }))),
  );
}

/** Where the probe with this id sits in the plan (undefined: not a probe of this plan). */
export function placeProbe(plan: LabPlan, id: string): PlacedProbe | undefined {
  let index = indexes.get(plan);
  if (!index) {
    index = new Map(placedProbes(plan).map((placed) => [placed.spec.id, placed]));
    indexes.set(plan, index);
  }
  return index.get(id);
}

export function allSubnets(plan: LabPlan): SubnetPlan[] {
  return plan.vpcs.flatMap((vpc) => vpc.subnets);
}

export function subnetByKey(plan: LabPlan, key: string): SubnetPlan | undefined {
  return allSubnets(plan).find((s) => s.key === key);
}

export function phaseOf(plan: LabPlan, id: PhaseId | string): PhasePlan | undefined {
  return plan.phases.find((phase) => phase.id === id);
}

export function stageById(plan: LabPlan, id: string): { phase: PhasePlan; stage: StagePlan } | undefined {
  for (const phase of plan.phases) {
    const stage = phase.stages.find((s) => s.id === id);
    if (stage) return { phase, stage };
  }
  return undefined;
}

/** A table label for a subnet key or the internet. */
export function labelOf(plan: LabPlan, key: string): string {
  if (key === plan.internet.label || key === 'internet') return plan.internet.label;
  return subnetByKey(plan, key)?.label ?? key;
}
