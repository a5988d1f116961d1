import type { Part } from '../../verdict/part.js';
import type { CriterionLab } from '../lab.js';
import { CannotJudge } from '../test-result.js';

/** What an expect.extend matcher returns. */
export interface MatcherResult {
  pass: boolean;
  message: () => string;
}

/** The `this` of a matcher, as far as these matchers use it. */
export interface MatcherThis {
  isNot?: boolean;
}

/**
 * Record what a matcher judged and answer vitest: a failed part fails the
 * assertion with its message (the criterion's reason); a part that cannot be
 * judged throws CannotJudge (inside expect.soft, recorded and judging goes
 * on); not-run and passed parts pass (the scenario is skipped at its end when
 * nothing else happened).
 */
export function answer(
  self: MatcherThis,
  name: string,
  lab: CriterionLab,
  parts: readonly Part[],
): MatcherResult {
  if (self.isNot) throw new TypeError(`${name}() cannot be negated: a criterion says what must hold`);
  lab.record(parts);
  const failed = parts.find((p) => p.status === 'failed');
  if (failed) return { pass: false, message: () => failed.message };
  const broken = parts.find((p) => p.status === 'error');
  if (broken) throw new CannotJudge(broken.message);
  return { pass: true, message: () => `${name}: ${parts.map((p) => p.message).join('; ')}` };
}
