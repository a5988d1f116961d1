import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Entry } from './entry.js';
import { type Usage, usagesIn } from './usage.js';

const MAX_BYTES = 400_000;

function read(path: string): string {
  try {
    return readFileSync(path).subarray(0, MAX_BYTES).toString('utf8');
  } catch {
    return '';
  }
}

/** Command words named in the source: bash `case` labels, argparse `add_parser`, click `@command`. */
export function commandWordsInSource(text: string): string[][] {
  const out: string[][] = [];
  const add = (w: string) => {
    if (!out.some((o) => o.join(' ') === w)) out.push(w.split(' '));
  };
  for (const m of text.matchAll(/^\s*((?:--)?[a-z][\w-]*(?:\s*\|\s*(?:--)?[a-z][\w-]*)*)\)/gm)) {
    for (const w of (m[1] as string).split('|')) add(w.trim());
  }
  for (const m of text.matchAll(/add_parser\(\s*['"]([\w-]+)['"]/g)) add(m[1] as string);
  for (const m of text.matchAll(/@\w+\.command\(\s*(?:name\s*=\s*)?['"]([\w-]+)['"]/g)) add(m[1] as string);
  return out;
}

/** Usage lines and command words read from the tool's files and README, without running anything. */
export function staticVocabulary(dir: string, entry: Entry): { usages: Usage[]; words: string[][] } {
  const usages: Usage[] = [];
  const words: string[][] = [];
  for (const file of entry.sourceFiles) {
    const text = read(file);
    usages.push(...usagesIn(text, entry.progNames, 'source'));
    words.push(...commandWordsInSource(text));
  }
  for (const name of ['README.md', 'README', 'README.txt', 'readme.md']) {
    const path = join(dir, name);
    if (existsSync(path)) usages.push(...usagesIn(read(path), entry.progNames, 'readme'));
  }
  return { usages, words };
}
