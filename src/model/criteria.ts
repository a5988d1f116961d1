/**
 * Stable criterion ids: reports, JUnit testcase names and summary.json use
 * exactly these. Each criterion is one file, scenarios/<id>.scenario.ts
 * (docs/architecture.md "Criteria: one file each"); the lists are read from
 * those files (src/criteria/ids.ts). The id types are written out so code can name criteria;
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

/** Only `passed` counts towards the verdict. */
export type CriterionStatus = 'passed' | 'failed' | 'error' | 'not-run';
