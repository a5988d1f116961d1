import type { ErrorObject } from 'ajv';
import { humanizeAjvErrors, type SchemaNode, type Wording } from '../schema/index.js';
import { type Problem, quoteList, showValue } from './problems.js';
import { didYouMean } from './suggest.js';

/** How profile problems are worded (docs/profiles.md speaks of steps, keys and placeholders). */
const PROFILE_WORDING: Wording = {
  show: showValue,
  suggest: (key, known) => didYouMean(key, [...known]),
  knownKeys: (known, suggestion) =>
    `one of ${quoteList(known)}${suggestion ? `; did you mean "${suggestion}"?` : ''}`,
  badName: (name) => ({
    problem: `invalid name "${name}"`,
    expected: 'a name of letters, digits and "_" that does not start with a digit',
  }),
  otherProblem: (error) => {
    if (error.keyword === 'type') return 'wrong type';
    if (error.keyword === 'enum' || error.keyword === 'const') return 'invalid value';
    return error.message ?? 'invalid value';
  },
  enumIsExpected: true,
  oneProblemPerExpectation: false,
  refine: (problem, error) => {
    const params = error.params as Record<string, unknown>;
    if (error.keyword === 'required' && error.instancePath === '/steps') {
      return { ...problem, problem: `missing step "${String(params.missingProperty)}"` };
    }
    if (error.keyword === 'additionalProperties') {
      const key = String(params.additionalProperty);
      if (error.instancePath === '/steps') return { ...problem, problem: `unknown step "${key}"` };
      const data = error.data as { format?: unknown } | undefined;
      if (error.instancePath === '/policy' && typeof data?.format === 'string') {
        return { ...problem, problem: `key "${key}" is not used by policy format "${data.format}"` };
      }
    }
    if (error.data === 'harness' && error.instancePath.startsWith('/steps/') && isOther(error.keyword)) {
      return { ...problem, problem: '"harness" is not allowed for this step' };
    }
    return problem;
  },
};

function isOther(keyword: string): boolean {
  return !['if', 'required', 'additionalProperties', 'propertyNames', 'false schema'].includes(keyword);
}

/** A profile's schema errors as Problems (unsorted: the caller merges them with the template checks). */
export function translateAjvErrors(errors: readonly ErrorObject[], root: SchemaNode): Problem[] {
  return humanizeAjvErrors(errors, root, PROFILE_WORDING);
}

/** Sorted by path (stable), so problems of one key read together. */
export function byPath(problems: readonly Problem[]): Problem[] {
  return [...problems].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
