/**
 * Strings from the target (stdout, stderr, names, messages) may hold anything:
 * control bytes, terminal escapes, lone surrogates, markup. Every writer passes
 * them through one of these before they reach a file or a terminal.
 */

// XML 1.0 forbids C0 controls but tab/newline/CR, lone surrogates, U+FFFE and U+FFFF.
const XML_INVALID =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Replace every character XML cannot carry with U+FFFD, so the document always parses. */
export function xmlSafe(text: string): string {
  return text.replace(XML_INVALID, '\uFFFD');
}

/** Text bound for a CDATA section: xmlbuilder 15 splits only the first `]]>`; split the others here. */
export function cdataSafe(text: string): string {
  let first = true;
  return xmlSafe(text).replace(/]]>/g, (match) => {
    if (first) {
      first = false;
      return match;
    }
    return ']]]]><![CDATA[>';
  });
}

/** One line: runs of whitespace (newlines included) become one space. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escape for HTML/SVG text and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return xmlSafe(text).replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

// C0 and C1 controls, DEL: a target's output must not drive the reader's terminal.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const TERMINAL_CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/** Show control characters as `\xNN` so they cannot move the cursor or change colours. */
export function terminalSafe(text: string): string {
  return text.replace(TERMINAL_CONTROL, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Cut `text` to at most `max` characters without splitting a surrogate pair. */
export function sliceChars(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max);
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return text.slice(0, end);
}

/** Cut to `max` characters (not splitting a surrogate pair), marking the cut with `…`. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${sliceChars(text, max - 1)}…`;
}
