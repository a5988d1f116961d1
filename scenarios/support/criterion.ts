import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import type { CriterionId } from '../../src/model/criteria.js';
import type { CriterionResult } from '../../src/model/summary.js';
import { evaluate } from '../../src/verdict/index.js';
import '../../src/verify/task-meta.js';
import { explainCriterion } from '../../src/verify/explain.js';
import type { EvidenceFile } from '../../src/verify/run-config.js';

let cached: Map<string, CriterionResult> | undefined;

/** The criteria as judged from the lab's evidence (VPC_EVIDENCE names the file). */
function results(): Map<string, CriterionResult> {
  if (cached) return cached;
  const path = process.env.VPC_EVIDENCE;
  if (!path) throw new Error('VPC_EVIDENCE is not set: scenarios run through vpc-verify, inside its sandbox');
  const file = JSON.parse(readFileSync(path, 'utf8')) as EvidenceFile;
  cached = new Map(evaluate(file.evidence).map((r) => [r.id, r]));
  return cached;
}

/**
 * One vitest test per criterion id. The test passes only when the criterion
 * passed; its failure message says expected vs actual and the command to
 * reproduce; `not-run` is a skip with the reason; `error` is an error.
 */
export function criterion(id: CriterionId, title: string): void {
  test(id, { meta: {} }, (context) => {
    const result = results().get(id);
    if (!result) throw new Error(`no verdict was computed for ${id}`);
    context.task.meta.criterion = result;
    if (result.status === 'not-run') {
      context.skip(`${title}: not run: ${result.message}`);
      return;
    }
    if (result.status === 'error') {
      throw new Error(`${title}: the harness could not judge it: ${result.message}`);
    }
    expect(result.status, explainCriterion(result, title)).toBe('passed');
  });
}
