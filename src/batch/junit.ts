import junitModule, { type Builder } from 'junit-report-builder';
import { cdataSafe, oneLine, xmlSafe } from '../reports/text.js';
import type { Scoreboard, ScoreboardCell, ScoreboardRow } from './scoreboard.js';

export const BATCH_JUNIT_NAME = 'vpc-verify-batch';

// The package's types describe an ES default export; at run time (CommonJS) the default import is the builder.
const rootBuilder: Builder =
  (junitModule as unknown as { default?: Builder }).default ?? (junitModule as unknown as Builder);

function attr(text: string): string {
  return xmlSafe(oneLine(text));
}

function reasonOf(cell: ScoreboardCell): string {
  const reason = oneLine(cell.message) || `${cell.status} (no reason given)`;
  return cell.advisory ? `[advisory] ${reason}` : reason;
}

function details(row: ScoreboardRow, cell: ScoreboardCell): string {
  const lines = [`${cell.id}: ${cell.status}`, reasonOf(cell)];
  if (row.error !== null) lines.push(`run: ${oneLine(row.error)}`);
  if (row.report !== null) lines.push(`report: ${row.report}`);
  return cdataSafe(lines.join('\n'));
}

/**
 * junit.xml of a batch: one testsuite per submission (named after it), one
 * testcase per criterion id. Built from the scoreboard only, so a merge of
 * shards yields the same bytes as the unsharded batch.
 */
export function buildBatchJUnit(board: Scoreboard): string {
  const report = rootBuilder.newBuilder().name(BATCH_JUNIT_NAME);
  for (const row of board.rows) {
    const suite = report
      .testSuite()
      .name(row.submission)
      .time(row.durationMs / 1000);
    if (row.startedAt !== null) suite.timestamp(row.startedAt);
    suite
      .property('verdict', row.verdict)
      .property('score', `${row.score}/${row.maxScore}`)
      .property('profile', attr(row.profile));
    if (row.runId !== null) suite.property('runId', attr(row.runId));
    if (row.report !== null) suite.property('report', attr(row.report));
    if (row.error !== null) suite.property('error', attr(row.error));
    for (const cell of row.criteria) {
      const testCase = suite
        .testCase()
        .className(`${BATCH_JUNIT_NAME}.${row.submission}`)
        .name(cell.id)
        .property('status', cell.status)
        .property('advisory', String(cell.advisory));
      switch (cell.status) {
        case 'passed':
          break;
        case 'failed':
          testCase.failure(attr(reasonOf(cell)), 'failed').stacktrace(details(row, cell));
          break;
        case 'error':
          testCase.error(attr(reasonOf(cell)), 'error', details(row, cell));
          break;
        case 'not-run':
          testCase.skipped().standardOutput(details(row, cell));
          break;
      }
    }
  }
  return `${report.build()}\n`;
}
