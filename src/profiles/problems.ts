import type { SchemaProblem } from '../schema/index.js';

/**
 * One thing wrong in a profile, in the shape every validation message takes:
 * `<source>: <JSON path>: <what was wrong> (got <bad value>), expected <what>`.
 */
export type Problem = SchemaProblem;

const MAX_SHOWN = 80;

/** A value as it appears in a message: JSON, cut short when long. */
export function showValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value) ?? String(value);
  return json.length > MAX_SHOWN ? `${json.slice(0, MAX_SHOWN - 3)}...` : json;
}

export function formatProblem(source: string, p: Problem): string {
  return `${source}: ${p.path}: ${p.problem} (got ${p.got}), expected ${p.expected}`;
}

/** A JSON pointer from path segments (escaping `~` and `/` as RFC 6901 says). */
export function pointer(segments: readonly (string | number)[]): string {
  if (segments.length === 0) return '/';
  return segments.map((s) => `/${String(s).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

export function quoteList(
  names: readonly string[],
  wrap: (name: string) => string = (n) => `"${n}"`,
): string {
  return names.map(wrap).join(', ');
}
