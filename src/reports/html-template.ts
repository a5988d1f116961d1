import { escapeHtml } from './text.js';

/**
 * A tagged template that escapes every interpolated value unless it is
 * already markup (`Markup`, produced by `html` itself or by `trusted`). So a
 * string from the target cannot become markup by someone forgetting to escape.
 */
export class Markup {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

type Value = Markup | string | number | boolean | null | undefined | readonly Value[];

function render(value: Value): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Markup) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): Markup {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '');
  });
  return new Markup(out);
}

/** Markup written by our own code (CSS, SVG built with `html`); never pass target text here. */
export function trusted(text: string): Markup {
  return new Markup(text);
}

/** A value for an id or fragment link: letters, digits, `-` and `_` only. */
export function anchor(prefix: string, id: string): string {
  return `${prefix}-${id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}
