import type { LabEvidence, PhaseEvidence, PhaseId } from '../model/evidence.js';
import type { LabPlan } from '../plan/types.js';
import { type Part, part, RANK } from './part.js';

/** What every judge sees. */
export interface Context {
  plan: LabPlan;
  evidence: LabEvidence;
}

export function phaseEvidence(ctx: Context, id: PhaseId | string): PhaseEvidence | undefined {
  return ctx.evidence.phases.find((p) => p.phase === id);
}

/** The phase's evidence, or the not-run part that says why there is none. */
export function reached(ctx: Context, id: PhaseId): PhaseEvidence | Part {
  const phase = phaseEvidence(ctx, id);
  if (phase?.reached) return phase;
  const why = ctx.evidence.deadlineHit
    ? 'the run hit its deadline first'
    : 'an earlier problem stopped the run before it';
  return part('not-run', `phase ${id} was not reached: ${why}`, id, RANK.info);
}

export function isPart(value: PhaseEvidence | Part): value is Part {
  return 'status' in value;
}

/** Unsupported in the profile (`null`): listed by the runner or recorded as a step. */
export function isUnsupported(ctx: Context, step: string): boolean {
  return (
    ctx.evidence.unsupportedSteps.includes(step) ||
    ctx.evidence.phases.some((p) => p.steps.some((s) => s.step === step && s.status === 'unsupported'))
  );
}
