/**
 * One thing wrong in a document, the shape every validation message takes
 * (`<path>: <problem> (got <got>), expected <expected>` or close to it).
 */
export interface SchemaProblem {
  /** JSON pointer of the bad value (`/submissions/2/dir`), `/` for the document itself. */
  path: string;
  /** What is wrong, in words (`unknown key "profle"`, `wrong type`). */
  problem: string;
  /** The bad value as shown to a person (`42`, `"a b"`), `nothing` when a key is missing. */
  got: string;
  expected: string;
}

/** A JSON pointer one key deeper (escaping `~` and `/` as RFC 6901 says). */
export function pointerJoin(base: string, key: string | number): string {
  return `${base}/${String(key).replaceAll('~', '~0').replaceAll('/', '~1')}`;
}

/** A value for a message: JSON, cut to `max` characters with `ellipsis`. */
export function showJson(value: unknown, max: number, ellipsis: string): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > max ? `${text.slice(0, max - ellipsis.length)}${ellipsis}` : text;
}
