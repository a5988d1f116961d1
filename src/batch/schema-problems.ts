import type { ErrorObject } from 'ajv';

/**
 * Turns ajv's errors (allErrors + verbose) into problems a grader can act on:
 * the JSON path, the bad value and what was expected. Schemas annotate their
 * nodes with `x-expected`; the message takes the "expected" part from there.
 */
export interface SchemaProblem {
  /** JSON pointer of the bad value (`/submissions/2/dir`). */
  path: string;
  /** The bad value as shown to a person (`42`, `"a b"`, `nothing`). */
  got: string;
  expected: string;
  /** What is wrong, in words (`unknown key "profle"`, `wrong value`). */
  problem: string;
}

type SchemaNode = boolean | { [key: string]: unknown };

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

function expectedOf(root: SchemaNode, node: unknown): string | undefined {
  if (!isObject(node)) return undefined;
  if (typeof node['x-expected'] === 'string') return node['x-expected'];
  if (typeof node.$ref === 'string') return expectedOf(root, resolveRef(root, node.$ref));
  if (typeof node.type === 'string') return `${/^[aeiou]/.test(node.type) ? 'an' : 'a'} ${node.type}`;
  return undefined;
}

/** A value for a message: JSON, cut short. */
export function showValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

export function pointerJoin(base: string, key: string | number): string {
  return `${base}/${String(key).replaceAll('~', '~0').replaceAll('/', '~1')}`;
}

export function translateAjvErrors(errors: readonly ErrorObject[], root: SchemaNode): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  for (const error of errors) {
    // Errors raised inside `propertyNames` are reported once, by the propertyNames error itself.
    if ((error as { propertyName?: string }).propertyName !== undefined) continue;
    const params = error.params as Record<string, unknown>;
    const parent = error.parentSchema;
    switch (error.keyword) {
      case 'required': {
        const missing = String(params.missingProperty);
        const properties = isObject(parent) && isObject(parent.properties) ? parent.properties : {};
        problems.push({
          path: pointerJoin(error.instancePath, missing),
          problem: `missing required key "${missing}"`,
          got: 'nothing',
          expected: expectedOf(root, properties[missing]) ?? 'a value',
        });
        break;
      }
      case 'additionalProperties': {
        const key = String(params.additionalProperty);
        const known = isObject(parent) && isObject(parent.properties) ? Object.keys(parent.properties) : [];
        problems.push({
          path: pointerJoin(error.instancePath, key),
          problem: `unknown key "${key}"`,
          got: showValue(isObject(error.data) ? error.data[key] : undefined),
          expected: known.length > 0 ? `one of the keys ${known.map((k) => `"${k}"`).join(', ')}` : 'no key',
        });
        break;
      }
      case 'propertyNames': {
        const name = String(params.propertyName);
        problems.push({
          path: pointerJoin(error.instancePath, name),
          problem: `bad key "${name}"`,
          got: showValue(name),
          expected: 'a lab step name in camelCase (createVpc, addSubnet, deployHttp, ...)',
        });
        break;
      }
      default:
        problems.push({
          path: error.instancePath === '' ? '/' : error.instancePath,
          problem: error.message ?? 'is invalid',
          got: showValue(error.data),
          expected: expectedOf(root, parent) ?? error.message ?? 'a valid value',
        });
    }
  }
  // The same path may fail several keywords (type and pattern): one line per path and problem.
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}\u0000${p.expected}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
