/**
 * Usage lines, as a tool prints them (`--help`, a bash `usage()`, a README
 * example), parsed into a command path and its argument slots. The format is
 * the common denominator of argparse, commander, click and hand-written
 * usage texts: `prog create-vpc [-h] --name NAME --cidr CIDR [--public]`.
 */

export interface Slot {
  /** Metavar or flag name, lowercased, without `<>[]-` decoration: `name`, `cidr-a`. */
  name: string;
  /** `--name` for a flag slot; undefined for a positional one. */
  flag?: string;
  /** A flag without value (`--public`). */
  boolean?: boolean;
  optional: boolean;
  /** For a concrete example (README): the literal value shown. */
  example?: string;
  /** An option its help calls an alternative to a positional argument: the argument is the usual form. */
  alternative?: boolean;
}

export interface Usage {
  /** The literal words that select the command: `["create-vpc"]`, `["vpc", "create"]`, `["--create-vpc"]`. */
  words: string[];
  slots: Slot[];
  /** Where it was read: `help`, `command help`, `source`, `readme`. */
  origin: UsageOrigin;
}

export type UsageOrigin = 'command help' | 'help' | 'source' | 'readme';

const IGNORED = new Set([
  '[options]',
  '[-h]',
  '[--help]',
  '[options...]',
  '[OPTIONS]',
  '[flags]',
  '...',
  '[-h|--help]',
]);
const LITERAL = /^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$/;
const FLAG_LITERAL = /^--[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$/;

function cleanName(token: string): string {
  return token
    .replace(/^[[<{(]+|[\]>})]+$/g, '')
    .replace(/\.\.\.$/, '')
    .replace(/^-+/, '')
    .toLowerCase();
}

function isMetavar(token: string): boolean {
  const t = token.replace(/^\[|\]$/g, '');
  return /^<[^>]+>$/.test(t) || /^[A-Z][A-Z0-9_-]*$/.test(t) || /^\{[^}]+\}$/.test(t);
}

/** Split on spaces but keep `[--vpc VPC]` and `{a,b}` groups together. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text.trim()) {
    if (ch === '[' || ch === '{') depth += 1;
    if (ch === ']' || ch === '}') depth = Math.max(0, depth - 1);
    if (/\s/.test(ch) && depth === 0) {
      if (current) out.push(current);
      current = '';
    } else current += ch;
  }
  if (current) out.push(current);
  return out;
}

const CIDR_RE = /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/;

/** Value-like words of a concrete example: `vpc1`, `10.0.0.0/16`, `eth0`, `80`, `policy.json`. */
function looksLikeValue(token: string): boolean {
  return CIDR_RE.test(token) || /^\d+$/.test(token) || /\d/.test(token) || /[./]/.test(token);
}

/** Parse the part of a usage line after the program name. Returns undefined when it names no command. */
export function parseUsage(rest: string, origin: UsageOrigin, fixedWords?: string[]): Usage | undefined {
  const tokens = tokenize(rest.replace(/\s+#.*$/, '')).filter((t) => !IGNORED.has(t) && t !== '|');
  const words: string[] = [];
  const slots: Slot[] = [];
  let i = 0;
  if (fixedWords) {
    // A command's own help: its words are known, so `create name cidr` (argparse's lowercase metavars) parses.
    if (fixedWords.some((w, k) => tokens[k] !== w)) return undefined;
    words.push(...fixedWords);
    i = fixedWords.length;
  }
  // The command path: literal words first (a flag-style command like `--create-vpc` only as the first).
  while (!fixedWords && i < tokens.length) {
    const t = tokens[i] as string;
    const literal = LITERAL.test(t) || (words.length === 0 && FLAG_LITERAL.test(t));
    if (!literal || (origin === 'readme' && words.length > 0 && looksLikeValue(t))) break;
    if (origin === 'readme' && words.length > 0 && !/^[a-z-]+$/.test(t)) break;
    words.push(t);
    i += 1;
    if (origin === 'readme' && words.length >= 2) break;
  }
  if (words.length === 0) return undefined;
  for (; i < tokens.length; i += 1) {
    const t = tokens[i] as string;
    const optional = t.startsWith('[');
    const inner = optional ? t.slice(1, -1).trim() : t;
    const parts = tokenize(inner);
    const head = parts[0] ?? '';
    if (head.startsWith('-')) {
      const [flagName, inlineValue] = head.split('=', 2) as [string, string | undefined];
      const flag = flagName.split('|').pop() as string;
      const next = inlineValue ?? parts[1] ?? (!optional ? tokens[i + 1] : undefined);
      const hasValue =
        inlineValue !== undefined ||
        parts.length > 1 ||
        (!optional &&
          next !== undefined &&
          (isMetavar(next) || (origin === 'readme' && !next.startsWith('-'))));
      if (!optional && parts.length === 1 && hasValue && inlineValue === undefined) i += 1;
      const slot: Slot = { name: cleanName(flag), flag, optional, ...(hasValue ? {} : { boolean: true }) };
      if (origin === 'readme' && hasValue && next !== undefined) slot.example = next;
      slots.push(slot);
    } else if (isMetavar(inner) || /^[a-z][a-z0-9_-]*$/.test(inner)) {
      if (/^\{.*,.*\}$/.test(inner)) slots.push({ name: inner.slice(1, -1).toLowerCase(), optional });
      else if (origin === 'readme' && !optional) slots.push({ name: '', optional, example: t });
      else slots.push({ name: cleanName(inner), optional });
    } else if (origin === 'readme') {
      slots.push({ name: '', optional: false, example: t });
    }
  }
  return { words, slots, origin };
}

/** argparse wraps a long usage line; its continuation lines are indented under the first. */
function joinWrapped(text: string): string[] {
  const out: string[] = [];
  let inUsage = false;
  for (const line of text.split('\n')) {
    if (inUsage && /^\s{8,}[[{<A-Z-]/.test(line)) {
      out[out.length - 1] += ` ${line.trim()}`;
      continue;
    }
    inUsage = /^\s*usage:/i.test(line);
    out.push(line);
  }
  return out;
}

/**
 * Every usage of `prog` in a text: lines `usage: prog ...`, `  prog ...`,
 * `$ sudo prog ...`, and `|`-separated alternatives on one line.
 */
export function usagesIn(
  text: string,
  progNames: string[],
  origin: UsageOrigin,
  fixedWords?: string[],
): Usage[] {
  const names = progNames.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  const prog = new RegExp(`(?:^|[\\s/'"])(?:${names})(?=\\s)`);
  const out: Usage[] = [];
  for (const rawLine of joinWrapped(text)) {
    const line = rawLine.replace(/^\s*(?:usage:|\$|#)?\s*(?:sudo\s+)?(?:(?:python3?|bash|sh)\s+)?/i, ' ');
    const match = prog.exec(line);
    if (!match) continue;
    const after = line.slice(match.index + match[0].length);
    for (const part of after.split(/\s\|\s|\s+or\s+/)) {
      // A `|` alternative may repeat the program name.
      const trimmed = part.trim().replace(new RegExp(`^(?:\\S*/)?(?:${names})\\s+`), '');
      const usage = parseUsage(trimmed.replace(/["'`;)]+$/, ''), origin, fixedWords);
      if (usage) out.push(usage);
    }
  }
  return out;
}

/** A commander/argparse/click `Options:` section: `  -n, --name <name>  desc`, `  --public  desc`. */
export function optionsIn(text: string): Slot[] {
  const out: Slot[] = [];
  let inOptions = false;
  for (const line of text.split('\n')) {
    if (/^\s*(options|optional arguments|flags)\s*:/i.test(line)) {
      inOptions = true;
      continue;
    }
    if (/^\S/.test(line)) inOptions = false;
    if (!inOptions) continue;
    const m = /^\s+(?:-\w(?:\s+\S+)?,\s*)?(--[a-z][\w-]*)(?:[ =](<[^>]+>|[A-Z][A-Z0-9_-]*|\{[^}]+\}))?/.exec(
      line,
    );
    if (!m) continue;
    const flag = m[1] as string;
    if (flag === '--help' || flag === '--version') continue;
    out.push({
      name: cleanName(flag),
      flag,
      optional: !/\(required\)|required/i.test(line),
      ...(m[2] ? {} : { boolean: true }),
      ...(/alternative to the argument|instead of the argument/i.test(line) ? { alternative: true } : {}),
    });
  }
  return out;
}

/** Command words listed in a help text: `Commands:` sections, argparse's `{a,b,c}`. */
export function commandWordsIn(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(/\{([a-z][\w-]*(?:,[a-z][\w-]*)+)\}/g)) {
    for (const w of (m[1] as string).split(',')) out.add(w);
  }
  let inCommands = false;
  for (const line of text.split('\n')) {
    if (/^\s*(commands|subcommands|available commands|positional arguments)\s*:/i.test(line)) {
      inCommands = true;
      continue;
    }
    if (/^\S/.test(line)) inCommands = false;
    const m = /^\s{2,}([a-z][a-z0-9]*(?:[-_][a-z0-9]+)*)\b/.exec(line);
    if (inCommands && m) out.add(m[1] as string);
  }
  return [...out];
}
