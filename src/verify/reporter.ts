import type { Reporter, TestCase } from 'vitest/node';
import { CRITERIA } from '../criteria/registry.js';
import { resultOfTest, type TestOutcome } from '../criteria/test-result.js';
import type { CriterionId } from '../model/criteria.js';
import type { CriterionResult } from '../model/summary.js';

/**
 * Collects each criterion's result from its vitest test when the run ends:
 * the status is the test's (src/criteria/test-result.ts), the message, phase
 * and probes what its matchers recorded (task meta).
 */
export class CriterionReporter implements Reporter {
  readonly #seen = new Map<string, { outcome: TestOutcome; meta: CriterionResult | undefined }>();
  readonly #selected: ReadonlySet<string>;

  constructor(only: readonly string[]) {
    this.#selected = new Set(only.length > 0 ? only : CRITERIA.map((c) => c.id));
  }

  onTestCaseResult(testCase: TestCase): void {
    const result = testCase.result();
    this.#seen.set(testCase.name, {
      outcome: {
        state: result.state,
        errors: result.errors ?? [],
        ...('note' in result && result.note ? { note: result.note } : {}),
      },
      meta: testCase.meta().criterion,
    });
  }

  /** Criteria in the canonical order, including ones vitest never reported. */
  criteria(): CriterionResult[] {
    return CRITERIA.map((c): CriterionResult => {
      if (!this.#selected.has(c.id)) return notRun(c.id, c.advisory, 'not selected (--only)');
      const seen = this.#seen.get(c.id);
      return resultOfTest(c.id, c.advisory, seen?.outcome, seen?.meta);
    });
  }
}

function notRun(id: CriterionId, advisory: boolean, message: string): CriterionResult {
  return { id, status: 'not-run', message, advisory, phase: '-', probes: [] };
}
