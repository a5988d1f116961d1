/**
 * The placeholder syntax of every profile template: `{name}` is replaced,
 * `{{` and `}}` stand for literal braces (as in Python's str.format), and any
 * other brace is an error, so a typo never silently reaches a target.
 */
export type Segment = { text: string } | { placeholder: string };

export interface ParseProblem {
  /** 0-based index into the template. */
  index: number;
  message: string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

export function parseTemplate(template: string): { segments: Segment[]; problem?: ParseProblem } {
  const segments: Segment[] = [];
  let text = '';
  let i = 0;
  while (i < template.length) {
    const char = template[i];
    const next = template[i + 1];
    if (char === '{' && next === '{') {
      text += '{';
      i += 2;
    } else if (char === '}' && next === '}') {
      text += '}';
      i += 2;
    } else if (char === '{') {
      const name = NAME.exec(template.slice(i + 1))?.[0];
      if (name === undefined || template[i + 1 + name.length] !== '}') {
        return {
          segments,
          problem: { index: i, message: `"{" at character ${i + 1} does not start a placeholder` },
        };
      }
      if (text) segments.push({ text });
      text = '';
      segments.push({ placeholder: name });
      i += name.length + 2;
    } else if (char === '}') {
      return { segments, problem: { index: i, message: `unmatched "}" at character ${i + 1}` } };
    } else {
      text += char;
      i += 1;
    }
  }
  if (text) segments.push({ text });
  return { segments };
}

/** The placeholder names a template uses, in order (duplicates kept). */
export function placeholdersOf(template: string): string[] {
  return parseTemplate(template).segments.flatMap((s) => ('placeholder' in s ? [s.placeholder] : []));
}

/** When the whole template is one placeholder, its name (policy templates keep the value's type then). */
export function solePlaceholder(template: string): string | undefined {
  const { segments, problem } = parseTemplate(template);
  const only = segments[0];
  return !problem && segments.length === 1 && only && 'placeholder' in only ? only.placeholder : undefined;
}

/**
 * Replace every placeholder with `lookup(name)`; `lookup` throws for a name it
 * cannot give. A malformed template throws too (validation catches that first).
 */
export function substitute(template: string, lookup: (name: string) => string): string {
  const { segments, problem } = parseTemplate(template);
  if (problem) throw new Error(`${problem.message} in ${JSON.stringify(template)}`);
  return segments.map((s) => ('placeholder' in s ? lookup(s.placeholder) : s.text)).join('');
}
