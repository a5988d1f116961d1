import type { Scoreboard } from './scoreboard.js';

/**
 * RFC 4180: CRLF between records, a field is quoted when it holds a comma,
 * a double quote, CR or LF, and a quote inside is doubled. Free text that a
 * spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) gets
 * a leading `'`: error messages can quote a target's output.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function defuseFormula(text: string | null): string | null {
  if (text === null) return null;
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export function scoreboardCsvHeader(board: Scoreboard): string[] {
  return [
    'submission',
    'verdict',
    'score',
    'max_score',
    ...board.columns.stage4,
    ...board.columns.advisory,
    'duration_ms',
    'started_at',
    'profile',
    'exit_code',
    'report',
    'error',
  ];
}

/** scoreboard.csv: one header line, one record per submission, criteria cells hold the status. */
export function renderScoreboardCsv(board: Scoreboard): string {
  const ids = [...board.columns.stage4, ...board.columns.advisory];
  const records: (string | number | null)[][] = [scoreboardCsvHeader(board)];
  for (const row of board.rows) {
    const status = new Map(row.criteria.map((c) => [c.id, c.status]));
    records.push([
      row.submission,
      row.verdict,
      row.score,
      row.maxScore,
      ...ids.map((id) => status.get(id) ?? 'not-run'),
      row.durationMs,
      row.startedAt,
      defuseFormula(row.profile),
      row.exitCode,
      row.report,
      defuseFormula(row.error),
    ]);
  }
  return records.map((record) => `${record.map(csvField).join(',')}\r\n`).join('');
}
