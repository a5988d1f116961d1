import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';

/**
 * The one ajv instance the harness validates with (profiles, manifests,
 * scoreboards, summaries; all draft-07). The reference vpcctl does not load
 * ajv: its validators are generated ahead of time (`npm run generate`).
 */

// ajv-formats is CommonJS: under NodeNext the default import is the module object, the plugin is its `default`.
const addFormats = addFormatsModule.default;

export type SchemaNode = boolean | { [key: string]: unknown };

export interface CompiledSchema {
  schema: Record<string, unknown>;
  /** ajv's errors for `data` (empty when it is valid): `verbose`, so each carries its data and schema. */
  errorsOf(data: unknown): ErrorObject[];
}

let instance: Ajv | undefined;

function ajv(): Ajv {
  if (instance) return instance;
  // verbose: errors carry the offending data and schema, which the messages quote.
  // strictTuples off: a tuple `items` may look at the first elements only.
  instance = new Ajv({ allErrors: true, verbose: true, strict: true, strictTuples: false });
  // What a valid value looks like, in words: the humanizer quotes it (humanize.ts).
  instance.addKeyword({ keyword: 'x-expected', schemaType: 'string' });
  addFormats(instance, ['date-time']);
  return instance;
}

const compiled = new Map<Record<string, unknown>, CompiledSchema>();

/** A schema compiled once per process (by object identity). */
export function compileSchema(schema: Record<string, unknown>): CompiledSchema {
  const known = compiled.get(schema);
  if (known) return known;
  const validate = ajv().compile(schema);
  const result: CompiledSchema = {
    schema,
    errorsOf: (data) => (validate(data) ? [] : [...(validate.errors ?? [])]),
  };
  compiled.set(schema, result);
  return result;
}

const files = new Map<string, Record<string, unknown>>();

/** A schema file read and compiled once per process. */
export function compileSchemaFile(path: string): CompiledSchema {
  let schema = files.get(path);
  if (!schema) {
    schema = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    files.set(path, schema);
  }
  return compileSchema(schema);
}
