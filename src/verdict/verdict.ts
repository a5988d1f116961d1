import { STAGE4_CRITERIA } from '../criteria/ids.js';
import type { CriterionResult } from '../model/summary.js';

/**
 * The Stage 4 verdict: `pass` only when every Stage 4 criterion is `passed`
 * (advisory ones never count) and the run was not cut short by its deadline.
 */
export function verdictOf(
  results: readonly CriterionResult[],
  options: { deadlineHit?: boolean } = {},
): 'pass' | 'fail' {
  if (options.deadlineHit) return 'fail';
  return STAGE4_CRITERIA.every((id) => results.some((r) => r.id === id && r.status === 'passed'))
    ? 'pass'
    : 'fail';
}
