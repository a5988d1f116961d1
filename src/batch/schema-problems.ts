import type { ErrorObject } from 'ajv';
import {
  humanizeAjvErrors,
  type SchemaNode,
  type SchemaProblem,
  showJson,
  type Wording,
} from '../schema/index.js';

export { pointerJoin, type SchemaProblem } from '../schema/index.js';

/** A value for a message: JSON, cut short. */
export function showValue(value: unknown): string {
  return showJson(value, 60, '…');
}

/** How manifest and scoreboard problems are worded (for a grader, docs/grading.md). */
const BATCH_WORDING: Wording = {
  show: showValue,
  knownKeys: (known) =>
    known.length > 0 ? `one of the keys ${known.map((k) => `"${k}"`).join(', ')}` : 'no key',
  badName: (name) => ({
    problem: `bad key "${name}"`,
    expected: 'a lab step name in camelCase (createVpc, addSubnet, deployHttp, ...)',
  }),
  otherProblem: (error) => error.message ?? 'is invalid',
  enumIsExpected: false,
  oneProblemPerExpectation: true,
};

export function translateAjvErrors(errors: readonly ErrorObject[], root: SchemaNode): SchemaProblem[] {
  return humanizeAjvErrors(errors, root, BATCH_WORDING);
}
