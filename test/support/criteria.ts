import { createExpect, expect as globalExpect } from 'vitest';
import type { CriterionDefinition } from '../../src/criteria/define.js';
import { CRITERION_MATCHERS } from '../../src/criteria/matchers/index.js';
import { CRITERIA } from '../../src/criteria/registry.js';
import { runCriterion } from '../../src/criteria/run.js';
import { resultOfTest, type TestErrorLike, type TestOutcome } from '../../src/criteria/test-result.js';
import type { LabEvidence } from '../../src/model/evidence.js';
import type { CriterionResult } from '../../src/model/summary.js';
import { STAGE4_PLAN } from '../../src/plan/stage4.js';
import type { LabPlan } from '../../src/plan/types.js';

/**
 * Judge evidence in-process with the criterion files and their matchers, the
 * way a scenario run does (src/criteria/scenario-setup.ts): each criterion's
 * test body runs against a test of its own (vitest's createExpect bound to
 * it, so expect.soft records there, not in the calling unit test), and its
 * outcome becomes the result through the reporter's own mapping. A unit test
 * (test/unit/verdict/scenario-run.test.ts) holds this to a real scenario run.
 */

globalExpect.extend(CRITERION_MATCHERS);

class Skipped extends Error {
  constructor(readonly note: string) {
    super(note);
  }
}

interface FakeTest {
  type: 'test';
  name: string;
  fullTestName: string;
  meta: { criterion?: CriterionResult };
  result: { state: 'run' | 'fail'; errors?: TestErrorLike[] };
}

/** One criterion's test, run in-process: its outcome and meta, as the reporter would see them. */
export function runOne(
  definition: CriterionDefinition,
  evidence: LabEvidence,
  plan: LabPlan = STAGE4_PLAN,
): { outcome: TestOutcome; meta: CriterionResult | undefined } {
  const test: FakeTest = {
    type: 'test',
    name: definition.id,
    fullTestName: definition.id,
    meta: {},
    result: { state: 'run' },
  };
  const expect = createExpect(test as never);
  let outcome: TestOutcome;
  try {
    runCriterion(
      definition,
      { plan, evidence },
      {
        expect,
        skip: (note) => {
          throw new Skipped(note);
        },
        meta: test.meta,
      },
    );
    const errors = test.result.errors ?? [];
    outcome = { state: errors.length > 0 ? 'failed' : 'passed', errors };
  } catch (error) {
    const errors = test.result.errors ?? [];
    outcome =
      error instanceof Skipped && errors.length === 0
        ? { state: 'skipped', errors: [], note: error.note }
        : { state: 'failed', errors: [...errors, error as TestErrorLike] };
  }
  return { outcome, meta: test.meta.criterion };
}

/** Every criterion (Stage 4 and advisory), judged from the lab's evidence, in the canonical order. */
export function evaluate(evidence: LabEvidence, options: { plan?: LabPlan } = {}): CriterionResult[] {
  return CRITERIA.map((definition) => {
    const { outcome, meta } = runOne(definition, evidence, options.plan);
    return resultOfTest(definition.id, definition.advisory, outcome, meta);
  });
}
