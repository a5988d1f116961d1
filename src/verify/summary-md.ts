import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Scoreboard } from '../batch/scoreboard.js';
import { validateScoreboard } from '../batch/scoreboard-files.js';
import { formatBatchMarkdown } from '../batch/scoreboard-md.js';
import type { Summary } from '../model/summary.js';
import { formatMarkdownSummary } from '../reports/markdown.js';
import { validateSummary } from '../reports/summary.js';
import { VpcError } from '../util/errors.js';

const HINT =
  'give a summary.json, a scoreboard.json, or the --out folder of a run or a batch, e.g. vpc-verify summary-md reports/';

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new VpcError('E_BAD_INPUT', `cannot read ${path} as JSON: ${(error as Error).message}`, {
      hint: HINT,
      cause: error,
    });
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asSummary(data: unknown, path: string): Summary {
  const result = validateSummary(data);
  if (!result.ok) {
    const shown = result.errors.slice(0, 5).join('\n  ');
    const more = result.errors.length > 5 ? `\n  (${result.errors.length - 5} more)` : '';
    throw new VpcError('E_BAD_INPUT', `${path} is not a vpc-verify summary.json:\n  ${shown}${more}`, {
      hint: HINT,
    });
  }
  return result.summary;
}

function renderFile(path: string): string {
  const data = readJson(path);
  if (isObject(data) && data.kind === 'vpc-verify-scoreboard') {
    const problems = validateScoreboard(data);
    if (problems.length > 0) {
      throw new VpcError('E_BAD_INPUT', `${path} is not a valid scoreboard:\n  ${problems.join('\n  ')}`, {
        hint: HINT,
      });
    }
    return formatBatchMarkdown(data as unknown as Scoreboard);
  }
  return formatMarkdownSummary(asSummary(data, path));
}

/**
 * `vpc-verify summary-md PATH`: the Markdown for `$GITHUB_STEP_SUMMARY`.
 * PATH is a summary.json, a scoreboard.json, or an output folder: a batch's
 * (its scoreboard.json), a run's (its summary.json), or a `--out` folder
 * holding `<run-id>/summary.json` runs (each rendered, oldest first).
 */
export function runSummaryMd(path: string): string {
  if (!existsSync(path)) {
    throw new VpcError('E_NOT_FOUND', `${path} does not exist`, { hint: HINT });
  }
  if (!statSync(path).isDirectory()) return renderFile(path);
  for (const name of ['scoreboard.json', 'summary.json']) {
    if (existsSync(join(path, name))) return renderFile(join(path, name));
  }
  const runs = readdirSync(path, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(path, entry.name, 'summary.json')))
    .map((entry) => {
      const file = join(path, entry.name, 'summary.json');
      const summary = asSummary(readJson(file), file);
      return { summary, key: `${summary.startedAt}\u0000${entry.name}` };
    })
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  if (runs.length === 0) {
    throw new VpcError(
      'E_NOT_FOUND',
      `no summary.json or scoreboard.json in ${path} (nor in its sub-folders)`,
      {
        hint: HINT,
      },
    );
  }
  return runs.map((run) => formatMarkdownSummary(run.summary)).join('\n---\n\n');
}
