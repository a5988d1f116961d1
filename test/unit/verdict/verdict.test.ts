import { describe, expect, it } from 'vitest';
import { ADVISORY_CRITERIA, STAGE4_CRITERIA } from '../../../src/criteria/ids.js';
import type { CriterionStatus } from '../../../src/model/criteria.js';
import type { CriterionResult } from '../../../src/model/summary.js';
import { verdictOf } from '../../../src/verdict/index.js';

const result = (id: CriterionResult['id'], status: CriterionStatus): CriterionResult => ({
  id,
  status,
  message: '',
  advisory: false,
  phase: 'x',
  probes: [],
});
const allStage4 = (status: CriterionStatus) => STAGE4_CRITERIA.map((id) => result(id, status));

describe('verdictOf', () => {
  it('passes only when all 11 Stage 4 criteria passed', () => {
    expect(verdictOf(allStage4('passed'))).toBe('pass');
  });
  it('ignores advisory criteria', () => {
    expect(verdictOf([...allStage4('passed'), ...ADVISORY_CRITERIA.map((id) => result(id, 'failed'))])).toBe(
      'pass',
    );
  });
  it.each(['failed', 'error', 'not-run'] as const)('fails when one is %s', (status) => {
    const results = allStage4('passed');
    results[4] = result(STAGE4_CRITERIA[4] as CriterionResult['id'], status);
    expect(verdictOf(results)).toBe('fail');
  });
  it('fails when one is missing, or the deadline was hit', () => {
    expect(verdictOf(allStage4('passed').slice(1))).toBe('fail');
    expect(verdictOf(allStage4('passed'), { deadlineHit: true })).toBe('fail');
  });
});
