import { md, STATUS, table } from '../reports/markdown.js';
import { formatDuration } from '../reports/order.js';
import type { Scoreboard } from './scoreboard.js';

/** The job summary of a batch (or a merge): totals and one row per submission. */
export function formatBatchMarkdown(board: Scoreboard): string {
  const t = board.totals;
  const shard = board.shard ? ` (shard ${board.shard.index}/${board.shard.count})` : '';
  const out: string[] = [];
  out.push(`## vpc-verify batch${shard}: ${t.submissions} submission${t.submissions === 1 ? '' : 's'}`);
  out.push('', `✅ ${t.pass} pass · ❌ ${t.fail} fail · ⚠️ ${t.error} could not be judged`);
  const ids = [...board.columns.stage4, ...board.columns.advisory];
  const advisory = new Set<string>(board.columns.advisory);
  const header = [
    'submission',
    'verdict',
    'score',
    ...ids.map((id) => (advisory.has(id) ? `_${id}_` : id)),
    'duration',
    'report',
  ];
  const verdictWord = { pass: '✅ PASS', fail: '❌ FAIL', error: '⚠️ ERROR' } as const;
  const rows = board.rows.map((row) => [
    `**${md(row.submission, 100)}**`,
    verdictWord[row.verdict],
    `${row.score}/${row.maxScore}`,
    ...ids.map((id) => {
      const cell = row.criteria.find((c) => c.id === id);
      return cell ? STATUS[cell.status].symbol : '·';
    }),
    formatDuration(row.durationMs),
    row.report === null ? '—' : md(row.report, 200),
  ]);
  out.push('');
  out.push(
    rows.length === 0
      ? '_No submission in this batch._'
      : table(header, rows, ['l', 'l', 'c', ...ids.map(() => 'c' as const), 'l', 'l']),
  );
  out.push(
    '',
    `Score = Stage 4 criteria passed out of ${board.columns.stage4.length}; _italic_ columns are advisory. ✅ passed · ❌ failed · ⚠️ error · ⏭️ not run.`,
  );
  const errors = board.rows.filter((r) => r.error !== null);
  if (errors.length > 0) {
    out.push('', '### Problems', '');
    for (const row of errors) out.push(`- **${md(row.submission, 100)}**: ${md(row.error ?? '', 500)}`);
  }
  return `${out.join('\n')}\n`;
}
