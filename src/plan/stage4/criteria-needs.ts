import { CRITERIA, CRITERION_PHASES, CRITERION_STEPS } from '../../criteria/registry.js';
import type { CriterionId } from '../../model/criteria.js';
import type { LabStep } from '../types.js';

/**
 * What each criterion needs, as its file declares it (scenarios/<id>.scenario.ts):
 * the lab steps (when one is unsupported, `null` in the profile, the criterion
 * is `not-run`, naming the step) and the phases whose evidence decides it.
 */
export { CRITERION_PHASES, CRITERION_STEPS };

/** Which criteria cannot run when `step` is unsupported (and are suspect when it failed). */
export function criteriaForStep(step: string): CriterionId[] {
  return CRITERIA.filter((c) => (c.needs as readonly string[]).includes(step)).map((c) => c.id);
}

export function stepsForCriterion(id: CriterionId): readonly LabStep[] {
  return CRITERION_STEPS[id];
}
