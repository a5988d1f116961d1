import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isCriterionId } from '../criteria/ids.js';
import { compileSchemaFile } from '../schema/index.js';
import { VpcError } from '../util/errors.js';
import { PACKAGE_ROOT } from '../util/paths.js';
import { buildBatchJUnit } from './junit.js';
import { translateAjvErrors } from './schema-problems.js';
import type { Scoreboard } from './scoreboard.js';
import { renderScoreboardCsv } from './scoreboard-csv.js';
import { renderScoreboardHtml } from './scoreboard-html.js';

export const SCOREBOARD_FILES = {
  json: 'scoreboard.json',
  csv: 'scoreboard.csv',
  html: 'scoreboard.html',
  junit: 'junit.xml',
} as const;

export const SCOREBOARD_SCHEMA_FILE = join(PACKAGE_ROOT, 'src', 'batch', 'scoreboard.schema.json');

/** Problems of a scoreboard.json document: the schema's, then the rules it cannot say. */
export function validateScoreboard(data: unknown): string[] {
  const { errorsOf, schema } = compileSchemaFile(SCOREBOARD_SCHEMA_FILE);
  const errors = errorsOf(data);
  if (errors.length > 0) {
    return translateAjvErrors(errors, schema).map(
      (p) => `${p.path}: ${p.problem}: got ${p.got}, expected ${p.expected}`,
    );
  }
  const board = data as Scoreboard;
  const problems: string[] = [];
  const ids = [...board.columns.stage4, ...board.columns.advisory];
  for (const id of ids.filter((c) => !isCriterionId(c))) {
    problems.push(`/columns: "${id}" is not a criterion (no scenarios/${id}.scenario.ts)`);
  }
  board.rows.forEach((row, index) => {
    const cells = row.criteria.map((c) => c.id);
    if (cells.join(',') !== ids.join(',')) {
      problems.push(
        `/rows/${index}/criteria: cells ${cells.join(',')} do not match the columns ${ids.join(',')}`,
      );
    }
    if (index > 0 && (board.rows[index - 1]?.submission ?? '') >= row.submission) {
      problems.push(`/rows/${index}/submission: rows must be sorted by name without duplicates`);
    }
  });
  const t = board.totals;
  const count = (v: string) => board.rows.filter((r) => r.verdict === v).length;
  if (
    t.submissions !== board.rows.length ||
    t.pass !== count('pass') ||
    t.fail !== count('fail') ||
    t.error !== count('error')
  ) {
    problems.push('/totals: do not match the rows');
  }
  return problems;
}

/** scoreboard.json text: the canonical, byte-stable serialisation. */
export function renderScoreboardJson(board: Scoreboard): string {
  return `${JSON.stringify(board, null, 2)}\n`;
}

export interface ScoreboardPaths {
  json: string;
  csv: string;
  html: string;
  junit: string;
}

/** Validate, then write scoreboard.json/.csv/.html and junit.xml into `dir`. */
export function writeScoreboardFiles(dir: string, board: Scoreboard): ScoreboardPaths {
  const problems = validateScoreboard(board);
  if (problems.length > 0) {
    throw new VpcError('E_INTERNAL', `the scoreboard does not match its schema:\n  ${problems.join('\n  ')}`);
  }
  mkdirSync(dir, { recursive: true });
  const paths: ScoreboardPaths = {
    json: join(dir, SCOREBOARD_FILES.json),
    csv: join(dir, SCOREBOARD_FILES.csv),
    html: join(dir, SCOREBOARD_FILES.html),
    junit: join(dir, SCOREBOARD_FILES.junit),
  };
  writeFileSync(paths.json, renderScoreboardJson(board));
  writeFileSync(paths.csv, renderScoreboardCsv(board));
  writeFileSync(paths.html, renderScoreboardHtml(board));
  writeFileSync(paths.junit, buildBatchJUnit(board));
  return paths;
}

/** Read and validate `dir/scoreboard.json` (a shard's or a batch's output folder). */
export function readScoreboard(dir: string): Scoreboard {
  const path = join(dir, SCOREBOARD_FILES.json);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new VpcError('E_NOT_FOUND', `cannot read ${path}: ${(error as Error).message}`, {
      hint: 'give the output folders of `vpc-verify batch` runs (each holds a scoreboard.json)',
      cause: error,
    });
  }
  const problems = validateScoreboard(data);
  if (problems.length > 0) {
    throw new VpcError('E_SCHEMA', `${path} is not a valid scoreboard:\n  ${problems.join('\n  ')}`, {
      hint: 'was it written by the same version of vpc-verify? Re-run that shard.',
    });
  }
  return data as Scoreboard;
}
