import type { ErrorObject } from 'ajv/dist/2020.js';
import { type Problem, quoteList, showValue } from './problems.js';
import { didYouMean } from './suggest.js';

/**
 * Turns ajv's errors (allErrors + verbose) into Problems a person can act on.
 * The schema annotates its nodes with `x-expected` (what a valid value looks
 * like); messages take the "expected" part from there.
 */
type SchemaNode = boolean | { [key: string]: unknown };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function resolveRef(root: SchemaNode, ref: string): SchemaNode | undefined {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const part of ref.slice(2).split('/')) {
    if (!isObject(node)) return undefined;
    node = node[part.replaceAll('~1', '/').replaceAll('~0', '~')];
  }
  return typeof node === 'boolean' || isObject(node) ? node : undefined;
}

function expectedOf(root: SchemaNode, node: unknown): string | undefined {
  if (!isObject(node)) return undefined;
  if (typeof node['x-expected'] === 'string') return node['x-expected'];
  if (typeof node.$ref === 'string') return expectedOf(root, resolveRef(root, node.$ref));
  if (Array.isArray(node.enum)) return `one of ${node.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  if (typeof node.type === 'string') return `${/^[aeiou]/.test(node.type) ? 'an' : 'a'} ${node.type}`;
  return undefined;
}

function join(instancePath: string, key: string): string {
  return `${instancePath}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
}

function at(instancePath: string): string {
  return instancePath === '' ? '/' : instancePath;
}

export function translateAjvErrors(errors: readonly ErrorObject[], root: SchemaNode): Problem[] {
  const problems: Problem[] = [];
  // Keys reported missing that an unknown key probably meant: one message (the unknown key's) is enough.
  const explained = new Set<string>();

  for (const error of errors) {
    const parent = error.parentSchema;
    const data: unknown = error.data;
    const params = error.params as Record<string, unknown>;
    const expected = expectedOf(root, parent);
    switch (error.keyword) {
      case 'if':
        // "must match then/else schema": the branch's own errors say what is wrong.
        break;
      case 'required': {
        const missing = String(params.missingProperty);
        const propSchema =
          isObject(parent) && isObject(parent.properties) ? parent.properties[missing] : undefined;
        problems.push({
          path: join(error.instancePath, missing),
          problem:
            error.instancePath === '/steps'
              ? `missing step "${missing}"`
              : `missing required key "${missing}"`,
          got: 'nothing',
          expected: expectedOf(root, propSchema) ?? 'a value',
        });
        break;
      }
      case 'additionalProperties': {
        const key = String(params.additionalProperty);
        const known =
          isObject(parent) && isObject(parent.properties) ? Object.keys(parent.properties) : ([] as string[]);
        const suggestion = didYouMean(key, known);
        if (suggestion) explained.add(join(error.instancePath, suggestion));
        const format = isObject(data) && typeof data.format === 'string' ? data.format : undefined;
        let problem = `unknown key "${key}"`;
        if (error.instancePath === '/steps') problem = `unknown step "${key}"`;
        else if (error.instancePath === '/policy' && format) {
          problem = `key "${key}" is not used by policy format "${format}"`;
        }
        problems.push({
          path: join(error.instancePath, key),
          problem,
          got: showValue(isObject(data) ? data[key] : undefined),
          expected: `one of ${quoteList(known)}${suggestion ? `; did you mean "${suggestion}"?` : ''}`,
        });
        break;
      }
      case 'propertyNames': {
        const name = String(params.propertyName);
        problems.push({
          path: join(error.instancePath, name),
          problem: `invalid name "${name}"`,
          got: showValue(name),
          expected: 'a name of letters, digits and "_" that does not start with a digit',
        });
        break;
      }
      case 'false schema':
        problems.push({
          path: at(error.instancePath),
          problem: 'not allowed here',
          got: showValue(data),
          expected: 'nothing',
        });
        break;
      default: {
        // Errors inside propertyNames carry the name; the propertyNames error itself reports it.
        if ('propertyName' in error) break;
        let problem = error.keyword === 'type' ? 'wrong type' : (error.message ?? 'invalid value');
        let suggestion: string | undefined;
        if (error.keyword === 'enum' || error.keyword === 'const') {
          problem = 'invalid value';
          const allowed = Array.isArray(params.allowedValues) ? params.allowedValues : [];
          const names = allowed.filter((v): v is string => typeof v === 'string');
          if (typeof data === 'string') suggestion = didYouMean(data, names);
        }
        if (data === 'harness' && error.instancePath.startsWith('/steps/')) {
          problem = '"harness" is not allowed for this step';
        }
        problems.push({
          path: at(error.instancePath),
          problem,
          got: showValue(data),
          expected: `${expected ?? error.message ?? 'a valid value'}${suggestion ? `; did you mean "${suggestion}"?` : ''}`,
        });
      }
    }
  }
  const seen = new Set<string>();
  return byPath(problems).filter((p) => {
    if (p.got === 'nothing' && explained.has(p.path)) return false;
    const key = `${p.path}\0${p.problem}\0${p.expected}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Sorted by path (stable), so problems of one key read together. */
export function byPath(problems: readonly Problem[]): Problem[] {
  return [...problems].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
