import { CRITERIA } from '../criteria/registry.js';

/**
 * Stable criterion ids: reports, JUnit testcase names and summary.json use
 * exactly these. Each criterion is one file, scenarios/<id>.scenario.ts
 * (docs/architecture.md "Criteria: one file each"); the lists below are read
 * from those files. The id types are written out so code can name criteria;
 * a unit test holds them to the files.
 */
export type Stage4CriterionId =
  | 'vpc-created'
  | 'intra-vpc-routing'
  | 'app-deployed'
  | 'nat-public-egress'
  | 'nat-private-blocked'
  | 'isolation-default'
  | 'peering-public'
  | 'peering-private-blocked'
  | 'policy-allowed'
  | 'policy-denied'
  | 'teardown-clean';

/** Reported, never part of the Stage 4 verdict. */
export type AdvisoryCriterionId =
  | 'rejects-bad-input'
  | 'idempotent-create'
  | 'source-preserved'
  | 'inspect-works'
  | 'teardown-independent';

export type CriterionId = Stage4CriterionId | AdvisoryCriterionId;

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

/** Only `passed` counts towards the verdict. */
export type CriterionStatus = 'passed' | 'failed' | 'error' | 'not-run';
