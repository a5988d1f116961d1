import type { Reporter, TestCase } from 'vitest/node';
import { ALL_CRITERIA, type CriterionId, isAdvisory, isCriterionId } from '../model/criteria.js';
import type { CriterionResult } from '../model/summary.js';
import './task-meta.js';

/**
 * Collects each criterion's result from its vitest test (task meta) when the
 * run ends. A test that ended without a verdict (the scenario itself broke)
 * becomes `error`, never a silent pass.
 */
export class CriterionReporter implements Reporter {
  readonly #seen = new Map<
    string,
    { result: CriterionResult | undefined; state: string; error: string | undefined }
  >();
  readonly #selected: ReadonlySet<string>;

  constructor(only: readonly string[]) {
    this.#selected = new Set(only.length > 0 ? only : ALL_CRITERIA);
  }

  onTestCaseResult(testCase: TestCase): void {
    const outcome = testCase.result();
    this.#seen.set(testCase.name, {
      result: testCase.meta().criterion,
      state: outcome.state,
      error: outcome.errors?.[0]?.message,
    });
  }

  /** Criteria in the canonical order, including ones vitest never reported. */
  criteria(): CriterionResult[] {
    return ALL_CRITERIA.map((id): CriterionResult => {
      const seen = this.#seen.get(id);
      if (!this.#selected.has(id)) {
        return notRun(id, 'not selected (--only)');
      }
      if (!seen?.result) {
        const why = seen?.error ?? 'its scenario did not run';
        return { ...notRun(id, ''), status: 'error', message: `the scenario produced no verdict: ${why}` };
      }
      const consistent =
        (seen.result.status === 'passed' && seen.state === 'passed') ||
        (seen.result.status === 'not-run' && seen.state === 'skipped') ||
        (seen.result.status !== 'passed' && seen.state === 'failed');
      if (!consistent) {
        return {
          ...seen.result,
          status: 'error',
          message: `scenario state ${seen.state} disagrees with ${seen.result.status}: ${seen.error ?? seen.result.message}`,
        };
      }
      return seen.result;
    });
  }
}

function notRun(id: CriterionId, message: string): CriterionResult {
  return { id, status: 'not-run', message, advisory: isAdvisory(id), phase: '-', probes: [] };
}

export { isCriterionId };
