import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ErrorObject } from 'ajv';
import { isAdvisory, isCriterionId, STAGE4_CRITERIA } from '../criteria/ids.js';
import type { Summary } from '../model/summary.js';
import { compileSchema } from '../schema/index.js';
import { VpcError } from '../util/errors.js';
import schema from './summary.schema.json' with { type: 'json' };

export const SUMMARY_FILE = 'summary.json';
export { schema as summarySchema };

export type SummaryValidation = { ok: true; summary: Summary } | { ok: false; errors: string[] };

function describe(error: ErrorObject): string {
  let path = error.instancePath;
  let message = error.message ?? 'is invalid';
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required') {
    path = `${path}/${String(params.missingProperty)}`;
    message = 'is required';
  } else if (error.keyword === 'additionalProperties') {
    path = `${path}/${String(params.additionalProperty)}`;
    message = 'is not a known property';
  } else if (error.keyword === 'enum') {
    message = `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  } else if (error.keyword === 'const') {
    message = `must be ${JSON.stringify(params.allowedValue)}`;
  }
  return `${path || '/'}: ${message}`;
}

/** Rules the schema cannot say: unique ids, the advisory flag, and a verdict that follows from the criteria. */
function semanticErrors(summary: Summary): string[] {
  const errors: string[] = [];
  const firstIndex = new Map<string, number>();
  summary.criteria.forEach((criterion, index) => {
    const seen = firstIndex.get(criterion.id);
    if (seen !== undefined) {
      errors.push(
        `/criteria/${index}/id: duplicate criterion "${criterion.id}" (first at /criteria/${seen})`,
      );
    } else {
      firstIndex.set(criterion.id, index);
    }
    if (!isCriterionId(criterion.id)) {
      errors.push(
        `/criteria/${index}/id: "${criterion.id}" is not a criterion (no scenarios/${criterion.id}.scenario.ts)`,
      );
    } else if (criterion.advisory !== isAdvisory(criterion.id)) {
      errors.push(`/criteria/${index}/advisory: must be ${isAdvisory(criterion.id)} for "${criterion.id}"`);
    }
  });
  const allPassed = STAGE4_CRITERIA.every((id) => {
    const index = firstIndex.get(id);
    return index !== undefined && summary.criteria[index]?.status === 'passed';
  });
  const expected = allPassed && !summary.deadlineHit ? 'pass' : 'fail';
  if (summary.verdict !== expected) {
    const why =
      expected === 'pass'
        ? 'every Stage 4 criterion passed and the deadline was not hit'
        : summary.deadlineHit
          ? 'the run hit its deadline'
          : 'not every Stage 4 criterion is present and passed';
    errors.push(`/verdict: must be "${expected}" because ${why}`);
  }
  return errors;
}

/**
 * Validate a parsed summary.json (or a Summary about to be written). Errors
 * name JSON Pointer paths, e.g. `/criteria/3/status: must be one of ...`.
 */
export function validateSummary(json: unknown): SummaryValidation {
  const errors = compileSchema(schema).errorsOf(json);
  if (errors.length > 0) return { ok: false, errors: errors.map(describe) };
  const summary = json as Summary;
  const semantic = semanticErrors(summary);
  return semantic.length > 0 ? { ok: false, errors: semantic } : { ok: true, summary };
}

/** Write `summary.json` into `dir`, refusing (E_SCHEMA) anything the schema rejects. Returns the path. */
export function writeSummary(dir: string, summary: Summary): string {
  // Validate exactly what lands on disk: JSON drops undefined members.
  const text = `${JSON.stringify(summary, null, 2)}\n`;
  const result = validateSummary(JSON.parse(text));
  if (!result.ok) {
    throw new VpcError(
      'E_SCHEMA',
      `summary.json for run ${JSON.stringify(summary.runId)} does not match its schema:\n  ${result.errors.join('\n  ')}`,
      {
        hint: 'fix the code that builds the Summary (src/model/summary.ts is the contract, src/reports/summary.schema.json its schema)',
      },
    );
  }
  mkdirSync(dir, { recursive: true });
  const path = join(dir, SUMMARY_FILE);
  writeFileSync(path, text);
  return path;
}
