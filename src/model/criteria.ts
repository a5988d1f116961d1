/** Stable criterion ids (DESIGN.md): reports, JUnit testcase names and summary.json use exactly these. */
export const STAGE4_CRITERIA = [
  'vpc-created',
  'intra-vpc-routing',
  'app-deployed',
  'nat-public-egress',
  'nat-private-blocked',
  'isolation-default',
  'peering-public',
  'peering-private-blocked',
  'policy-allowed',
  'policy-denied',
  'teardown-clean',
] as const;

/** Reported, never part of the Stage 4 verdict. */
export const ADVISORY_CRITERIA = [
  'rejects-bad-input',
  'idempotent-create',
  'source-preserved',
  'inspect-works',
  'teardown-independent',
] as const;

export type Stage4CriterionId = (typeof STAGE4_CRITERIA)[number];
export type AdvisoryCriterionId = (typeof ADVISORY_CRITERIA)[number];
export type CriterionId = Stage4CriterionId | AdvisoryCriterionId;

export const ALL_CRITERIA: readonly CriterionId[] = [...STAGE4_CRITERIA, ...ADVISORY_CRITERIA];

export function isCriterionId(value: string): value is CriterionId {
  return (ALL_CRITERIA as readonly string[]).includes(value);
}

export function isAdvisory(id: CriterionId): boolean {
  return (ADVISORY_CRITERIA as readonly string[]).includes(id);
}

/** Only `passed` counts towards the verdict. */
export type CriterionStatus = 'passed' | 'failed' | 'error' | 'not-run';
