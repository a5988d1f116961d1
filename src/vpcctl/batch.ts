import { readFileSync } from 'node:fs';
import { VpcError } from '../util/errors.js';

/** One command of a batch file: its line number and argv. */
export interface BatchLine {
  line: number;
  argv: string[];
}

/**
 * Split a command line as a shell would for the simple cases a lab file
 * needs: words, 'single' and "double" quotes, backslash escapes. No
 * expansion of any kind: a batch file is data, never a script.
 */
export function splitCommandLine(text: string, line = 1): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && i + 1 < text.length) word += text[++i];
      else word += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (quote)
    throw new VpcError('E_BAD_INPUT', `line ${line}: unterminated ${quote} quote`, {
      hint: 'close the quote',
    });
  if (inWord) words.push(word);
  return words;
}

/** The commands of a batch file: blank lines and `#` comments skipped, an optional leading `vpcctl` dropped. */
export function parseBatch(text: string): BatchLine[] {
  const lines: BatchLine[] = [];
  text.split('\n').forEach((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const argv = splitCommandLine(trimmed, index + 1);
    if (argv[0] === 'vpcctl') argv.shift();
    if (argv[0] === 'batch') {
      throw new VpcError('E_BAD_INPUT', `line ${index + 1}: a batch file cannot run another batch`, {
        hint: 'list the commands themselves',
      });
    }
    if (argv.length > 0) lines.push({ line: index + 1, argv });
  });
  return lines;
}

export function readBatchFile(path: string): BatchLine[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new VpcError('E_NOT_FOUND', `cannot read the batch file ${path}: ${(error as Error).message}`, {
      hint: 'give the path of a text file with one vpcctl command per line',
    });
  }
  return parseBatch(text);
}
