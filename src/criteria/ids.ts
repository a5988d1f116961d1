import type { AdvisoryCriterionId, CriterionId, Stage4CriterionId } from '../model/criteria.js';
import { CRITERIA } from './registry.js';

/** The criterion lists, read from the criterion files (docs/architecture.md "Criteria: one file each"). */

/** The Stage 4 criteria, in the canonical order. */
export const STAGE4_CRITERIA = CRITERIA.filter((c) => !c.advisory).map(
  (c) => c.id,
) as readonly Stage4CriterionId[];

/** Reported, never part of the Stage 4 verdict. */
export const ADVISORY_CRITERIA = CRITERIA.filter((c) => c.advisory).map(
  (c) => c.id,
) as readonly AdvisoryCriterionId[];

export const ALL_CRITERIA: readonly CriterionId[] = CRITERIA.map((c) => c.id);

export function isCriterionId(value: string): value is CriterionId {
  return (ALL_CRITERIA as readonly string[]).includes(value);
}

export function isAdvisory(id: CriterionId): boolean {
  return (ADVISORY_CRITERIA as readonly string[]).includes(id);
}
