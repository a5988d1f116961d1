import type { CriterionStatus } from '../model/criteria.js';
import { formatDuration } from '../reports/order.js';
import { escapeHtml, oneLine, truncate } from '../reports/text.js';
import type { RowVerdict, Scoreboard, ScoreboardRow } from './scoreboard.js';

/** Symbol and word per cell: the colour is never the only signal. */
const CELL: Record<CriterionStatus, { symbol: string; word: string }> = {
  passed: { symbol: '✔', word: 'passed' },
  failed: { symbol: '✘', word: 'failed' },
  error: { symbol: '⚠', word: 'error' },
  'not-run': { symbol: '–', word: 'not run' },
};

const VERDICT: Record<RowVerdict, { symbol: string; word: string }> = {
  pass: { symbol: '✔', word: 'PASS' },
  fail: { symbol: '✘', word: 'FAIL' },
  error: { symbol: '⚠', word: 'ERROR' },
};

const STYLE = `
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 1.5rem; color: #1f2328; }
h1 { font-size: 1.4rem; margin: 0 0 .5rem; }
p.totals { margin: 0 0 1rem; }
table { border-collapse: collapse; font-size: .9rem; }
th, td { border: 1px solid #d0d7de; padding: .3rem .45rem; text-align: center; }
th.name, td.note { text-align: left; }
thead th { background: #f6f8fa; }
thead th.crit { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; font-weight: 500; }
thead th.advisory { color: #57606a; font-style: italic; }
.c-passed { background: #dafbe1; color: #116329; }
.c-failed { background: #ffebe9; color: #a40e26; font-weight: 600; }
.c-error { background: #fff8c5; color: #7d4e00; font-weight: 600; }
.c-not-run { background: #f6f8fa; color: #57606a; }
td.v-pass { background: #1a7f37; color: #fff; font-weight: 700; }
td.v-fail { background: #cf222e; color: #fff; font-weight: 700; }
td.v-error { background: #9a6700; color: #fff; font-weight: 700; }
td.sep, th.sep { border: none; width: .4rem; padding: 0; }
td.note { color: #7d4e00; font-size: .85rem; max-width: 40rem; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
ul.legend { list-style: none; padding: 0; display: flex; gap: 1.2rem; font-size: .85rem; }
`;

/** A relative link we made ourselves; anything with a scheme is not rendered as a link. */
function safeHref(link: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(link) || link.startsWith('//')) return undefined;
  return link
    .split('/')
    .map((part) => encodeURIComponent(part))
    .join('/');
}

function cell(row: ScoreboardRow, index: number): string {
  const c = row.criteria[index];
  if (!c) return '<td class="c-not-run">?</td>';
  const look = CELL[c.status];
  const title = escapeHtml(`${c.id}: ${c.status}: ${truncate(oneLine(c.message), 400)}`);
  return `<td class="c-${c.status}" title="${title}">${look.symbol}<span class="sr"> ${look.word}</span></td>`;
}

function rowHtml(row: ScoreboardRow, stage4: number, advisory: number, width: number): string {
  const verdict = VERDICT[row.verdict];
  const link = row.report === null ? undefined : safeHref(row.report);
  const report = link === undefined ? '—' : `<a href="${escapeHtml(link)}">report</a>`;
  const cells = [
    `<th scope="row" class="name">${escapeHtml(row.submission)}</th>`,
    `<td class="v-${row.verdict}">${verdict.symbol} ${verdict.word}</td>`,
    `<td>${row.score}/${row.maxScore}</td>`,
    '<td class="sep"></td>',
    ...Array.from({ length: stage4 }, (_, i) => cell(row, i)),
    '<td class="sep"></td>',
    ...Array.from({ length: advisory }, (_, i) => cell(row, stage4 + i)),
    '<td class="sep"></td>',
    `<td>${escapeHtml(formatDuration(row.durationMs))}</td>`,
    `<td>${report}</td>`,
  ];
  const lines = [`<tr id="row-${escapeHtml(row.submission)}">${cells.join('')}</tr>`];
  if (row.error !== null) {
    lines.push(
      `<tr class="note"><td></td><td class="note" colspan="${width - 1}">${escapeHtml(truncate(oneLine(row.error), 2000))}</td></tr>`,
    );
  }
  return lines.join('\n');
}

/** scoreboard.html: one self-contained page (no script, no external resource), every string escaped. */
export function renderScoreboardHtml(board: Scoreboard): string {
  const { stage4, advisory } = board.columns;
  const width = 3 + 1 + stage4.length + 1 + advisory.length + 1 + 2;
  const t = board.totals;
  const shard = board.shard ? ` (shard ${board.shard.index}/${board.shard.count})` : '';
  const head1 = [
    '<th rowspan="2">submission</th>',
    '<th rowspan="2">verdict</th>',
    '<th rowspan="2">score</th>',
    '<th class="sep" rowspan="2"></th>',
    `<th colspan="${stage4.length}">Stage 4 criteria</th>`,
    '<th class="sep" rowspan="2"></th>',
    `<th colspan="${advisory.length}">advisory (not in the score)</th>`,
    '<th class="sep" rowspan="2"></th>',
    '<th rowspan="2">duration</th>',
    '<th rowspan="2">report</th>',
  ].join('');
  const head2 = [
    ...stage4.map((id) => `<th class="crit" scope="col">${escapeHtml(id)}</th>`),
    ...advisory.map((id) => `<th class="crit advisory" scope="col">${escapeHtml(id)}</th>`),
  ].join('');
  const body =
    board.rows.length === 0
      ? `<tr><td colspan="${width}">no submission in this ${board.shard ? 'shard' : 'batch'}</td></tr>`
      : board.rows.map((row) => rowHtml(row, stage4.length, advisory.length, width)).join('\n');
  const legend = (Object.keys(CELL) as CriterionStatus[])
    .map((status) => `<li><span class="c-${status}">${CELL[status].symbol}</span> ${CELL[status].word}</li>`)
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>vpc-verify scoreboard${escapeHtml(shard)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>vpc-verify scoreboard${escapeHtml(shard)}</h1>
<p class="totals">${t.submissions} submission${t.submissions === 1 ? '' : 's'}: <strong>${t.pass} pass</strong>, ${t.fail} fail, ${t.error} error. Score = Stage 4 criteria passed out of ${stage4.length}; hover a cell for its reason.</p>
<table>
<thead>
<tr>${head1}</tr>
<tr>${head2}</tr>
</thead>
<tbody>
${body}
</tbody>
</table>
<ul class="legend">${legend}</ul>
</body>
</html>
`;
}
