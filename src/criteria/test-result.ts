import type { CriterionId, CriterionStatus } from '../model/criteria.js';
import type { CriterionResult } from '../model/summary.js';

/**
 * How a scenario's vitest result becomes the criterion's status
 * (docs/architecture.md "Criteria: one file each"):
 * - passed: every assertion held;
 * - failed: an assertion failed (a criterion matcher said no);
 * - error: only CannotJudge errors (a broken probe, evidence that never came);
 * - not-run: the test was skipped, with the reason as its note.
 * The message comes from the parts the matchers recorded (task meta): the
 * most telling one, as ranked by combine().
 */

/** Thrown (inside expect.soft, so judging goes on) when the evidence cannot be judged. */
export class CannotJudge extends Error {
  override name = 'CannotJudge';
  readonly code = 'CANNOT_JUDGE';
}

/** A vitest error as reporters see it (serialized) or as thrown in-process. */
export interface TestErrorLike {
  name?: string;
  message?: string;
  code?: unknown;
  __vitest_error_context__?: { assertionName?: string };
}

export interface TestOutcome {
  state: 'passed' | 'failed' | 'skipped' | 'pending';
  errors: readonly TestErrorLike[];
  /** The skip reason. */
  note?: string;
}

export function isCannotJudge(error: TestErrorLike): boolean {
  return error.code === 'CANNOT_JUDGE' || error.name === 'CannotJudge';
}

/** A failed custom assertion (expect.extend matcher): vitest records its name with the error. */
export function isAssertionFailure(error: TestErrorLike): boolean {
  return typeof error.__vitest_error_context__?.assertionName === 'string' || error.name === 'AssertionError';
}

/** The status the vitest result says, or `broken` when the scenario itself threw something else. */
export function statusOfTest(outcome: TestOutcome): CriterionStatus | 'broken' {
  if (outcome.state === 'passed') return 'passed';
  if (outcome.state === 'skipped' || outcome.state === 'pending') return 'not-run';
  if (outcome.errors.some(isAssertionFailure)) return 'failed';
  if (outcome.errors.length > 0 && outcome.errors.every(isCannotJudge)) return 'error';
  return 'broken';
}

/**
 * The criterion's result from its test: the status from vitest, the message,
 * phase and probes from what its matchers recorded (`meta`, written by
 * runCriterion). A test that ended without a verdict (the scenario broke)
 * becomes `error`, never a silent pass.
 */
export function resultOfTest(
  id: CriterionId,
  advisory: boolean,
  outcome: TestOutcome | undefined,
  meta: CriterionResult | undefined,
): CriterionResult {
  const status = outcome ? statusOfTest(outcome) : 'broken';
  const firstError =
    outcome?.errors.find((e) => !isAssertionFailure(e) && !isCannotJudge(e)) ?? outcome?.errors[0];
  if (!meta || status === 'broken') {
    const why =
      firstError?.message ?? (outcome ? `its test ended ${outcome.state}` : 'its scenario did not run');
    return {
      id,
      status: 'error',
      message: `the scenario produced no verdict: ${why}`,
      advisory,
      phase: '-',
      probes: [],
    };
  }
  const { phase, probes } = meta;
  if (status !== meta.status) {
    const why = firstError?.message ?? meta.message;
    return {
      id,
      status: 'error',
      message: `scenario state ${outcome?.state} disagrees with ${meta.status}: ${why}`,
      advisory,
      phase,
      probes,
    };
  }
  const message = status === 'not-run' ? (outcome?.note ?? meta.message) : meta.message;
  return { id, status, message, advisory, phase, probes };
}
