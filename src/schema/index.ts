export { type CompiledSchema, compileSchema, compileSchemaFile, type SchemaNode } from './ajv.js';
export { humanizeAjvErrors, type Wording } from './humanize.js';
export { pointerJoin, type SchemaProblem, showJson } from './problem.js';
