import * as generated from './validators.generated.js';

/** An ajv error object (the fields vpcctl reads). */
export interface SchemaError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

type ValidateFn = ((data: unknown) => boolean) & { errors?: SchemaError[] | null };

const validators = {
  policy: generated.validatePolicy as unknown as ValidateFn,
  state: generated.validateState as unknown as ValidateFn,
};

/** The value at a JSON pointer (`/ingress/1/port`) inside `data`. */
export function valueAt(data: unknown, pointer: string): unknown {
  if (pointer === '') return data;
  let current: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** One line per error: `/ingress/1/action: must be one of "allow", "deny" (got "permit")`. */
export function describeError(error: SchemaError, data: unknown): string {
  const path = error.instancePath || '/';
  const value = valueAt(data, error.instancePath);
  switch (error.keyword) {
    case 'additionalProperties':
      return `${path}: unknown property ${show(error.params.additionalProperty)}`;
    case 'required':
      return `${path}: missing required property ${show(error.params.missingProperty)}`;
    case 'enum':
      return `${path}: must be one of ${(error.params.allowedValues as unknown[]).map(show).join(', ')} (got ${show(value)})`;
    case 'const':
      return `${path}: must be ${show(error.params.allowedValue)} (got ${show(value)})`;
    case 'pattern':
      return `${path}: ${show(value)} does not have the expected form (${error.params.pattern})`;
    case 'type':
      return `${path}: must be ${String(error.params.type).replace(',', ' or ')} (got ${show(value)})`;
    default:
      return `${path}: ${error.message ?? error.keyword} (got ${show(value)})`;
  }
}

/**
 * Errors worth showing: a value that is neither number nor string reports
 * only its type; for a `port` that is a string, `pattern` is the real error.
 */
function relevant(errors: SchemaError[]): SchemaError[] {
  const seen = new Set<string>();
  const out: SchemaError[] = [];
  for (const e of errors) {
    const key = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(e);
  }
  return out;
}

export interface ValidationResult {
  ok: boolean;
  /** Human-readable, one per problem, naming the JSON path and the bad value. */
  problems: string[];
}

export function validateWith(kind: keyof typeof validators, data: unknown): ValidationResult {
  const validate = validators[kind];
  if (validate(data)) return { ok: true, problems: [] };
  return { ok: false, problems: relevant(validate.errors ?? []).map((e) => describeError(e, data)) };
}
