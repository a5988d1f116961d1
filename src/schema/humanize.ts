import type { ErrorObject } from 'ajv';
import type { SchemaNode } from './ajv.js';
import { pointerJoin, type SchemaProblem } from './problem.js';

/**
 * The one translation of ajv's errors (allErrors + verbose) into problems a
 * person can act on: the JSON path, the bad value and what was expected.
 * Schemas annotate their nodes with `x-expected` (what a valid value looks
 * like); the "expected" part comes from there. Each kind of document words a
 * few things its own way (a Wording), so its messages read as its docs do.
 */
export interface Wording {
  /** A bad value as the messages show it. */
  show(value: unknown): string;
  /** "expected" for an unknown key, given the keys the object may have. */
  knownKeys(known: readonly string[], suggestion: string | undefined): string;
  /** A known key an unknown one probably meant (a typo), if this document suggests any. */
  suggest?(key: string, known: readonly string[]): string | undefined;
  /** A key that fails the object's `propertyNames`. */
  badName(name: string): { problem: string; expected: string };
  /** "problem" for any other keyword (type, enum, pattern, minimum...). */
  otherProblem(error: ErrorObject): string;
  /** Whether a node's `enum` says what is expected when it has no `x-expected`. */
  enumIsExpected: boolean;
  /** One problem per path and expectation (a value failing type and pattern reads once). */
  oneProblemPerExpectation: boolean;
  /** The document's own rules on top: rewords a problem given the error it came from. */
  refine?(problem: SchemaProblem, error: ErrorObject): SchemaProblem;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function resolveRef(root: SchemaNode, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const part of ref.slice(2).split('/')) {
    if (!isObject(node)) return undefined;
    node = node[part.replaceAll('~1', '/').replaceAll('~0', '~')];
  }
  return node;
}

function expectedOf(root: SchemaNode, node: unknown, enums: boolean): string | undefined {
  if (!isObject(node)) return undefined;
  if (typeof node['x-expected'] === 'string') return node['x-expected'];
  if (typeof node.$ref === 'string') return expectedOf(root, resolveRef(root, node.$ref), enums);
  if (enums && Array.isArray(node.enum))
    return `one of ${node.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  if (typeof node.type === 'string') return `${/^[aeiou]/.test(node.type) ? 'an' : 'a'} ${node.type}`;
  return undefined;
}

function at(instancePath: string): string {
  return instancePath === '' ? '/' : instancePath;
}

function draft(error: ErrorObject, root: SchemaNode, wording: Wording): SchemaProblem | undefined {
  const parent = error.parentSchema;
  const data: unknown = error.data;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'if':
      // "must match then/else schema": the branch's own errors say what is wrong.
      return undefined;
    case 'required': {
      const missing = String(params.missingProperty);
      const properties = isObject(parent) && isObject(parent.properties) ? parent.properties : {};
      return {
        path: pointerJoin(error.instancePath, missing),
        problem: `missing required key "${missing}"`,
        got: 'nothing',
        expected: expectedOf(root, properties[missing], wording.enumIsExpected) ?? 'a value',
      };
    }
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const known = isObject(parent) && isObject(parent.properties) ? Object.keys(parent.properties) : [];
      return {
        path: pointerJoin(error.instancePath, key),
        problem: `unknown key "${key}"`,
        got: wording.show(isObject(data) ? data[key] : undefined),
        expected: wording.knownKeys(known, wording.suggest?.(key, known)),
      };
    }
    case 'propertyNames': {
      const name = String(params.propertyName);
      return {
        path: pointerJoin(error.instancePath, name),
        got: wording.show(name),
        ...wording.badName(name),
      };
    }
    case 'false schema':
      return {
        path: at(error.instancePath),
        problem: 'not allowed here',
        got: wording.show(data),
        expected: 'nothing',
      };
    default: {
      const expected = expectedOf(root, parent, wording.enumIsExpected) ?? error.message ?? 'a valid value';
      // A value close to an allowed one is most likely a typo of it.
      const allowed =
        error.keyword === 'enum' && Array.isArray(error.params.allowedValues)
          ? error.params.allowedValues
          : [];
      const names = allowed.filter((v: unknown): v is string => typeof v === 'string');
      const suggestion = typeof data === 'string' ? wording.suggest?.(data, names) : undefined;
      return {
        path: at(error.instancePath),
        problem: wording.otherProblem(error),
        got: wording.show(data),
        expected: `${expected}${suggestion ? `; did you mean "${suggestion}"?` : ''}`,
      };
    }
  }
}

export function humanizeAjvErrors(
  errors: readonly ErrorObject[],
  root: SchemaNode,
  wording: Wording,
): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  // Keys reported missing that an unknown key probably meant: the unknown key's message is enough.
  const explained = new Set<string>();
  for (const error of errors) {
    // Errors raised inside `propertyNames` are reported once, by the propertyNames error itself.
    if ((error as { propertyName?: string }).propertyName !== undefined) continue;
    const problem = draft(error, root, wording);
    if (!problem) continue;
    if (error.keyword === 'additionalProperties' && wording.suggest) {
      const parent = error.parentSchema;
      const known = isObject(parent) && isObject(parent.properties) ? Object.keys(parent.properties) : [];
      const suggestion = wording.suggest(String(error.params.additionalProperty), known);
      if (suggestion) explained.add(pointerJoin(error.instancePath, suggestion));
    }
    problems.push(wording.refine ? wording.refine(problem, error) : problem);
  }
  const seen = new Set<string>();
  return problems.filter((p) => {
    if (p.got === 'nothing' && explained.has(p.path)) return false;
    const key = wording.oneProblemPerExpectation
      ? `${p.path}\0${p.expected}`
      : `${p.path}\0${p.problem}\0${p.expected}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
