import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { buildBatchJUnit } from '../../../src/batch/junit.js';
import {
  batchExitCode,
  buildRow,
  buildScoreboard,
  type RowInput,
  SCOREBOARD_CRITERIA,
  type Scoreboard,
} from '../../../src/batch/scoreboard.js';
import { csvField, renderScoreboardCsv } from '../../../src/batch/scoreboard-csv.js';
import { renderScoreboardJson, validateScoreboard } from '../../../src/batch/scoreboard-files.js';
import { renderScoreboardHtml } from '../../../src/batch/scoreboard-html.js';
import { ADVISORY_CRITERIA, STAGE4_CRITERIA } from '../../../src/criteria/ids.js';
import { parseCsv } from './csv-reader.js';
import { makeSummary } from './fixtures.js';

const base: Omit<RowInput, 'submission' | 'summary'> = {
  profile: 'seed',
  exitCode: 1,
  durationMs: 5,
  report: null,
  summaryLink: null,
  error: null,
};

const HOSTILE_ERROR =
  '=HYPERLINK("http://x") failed, with "quotes",\r\nnewlines <img src=x onerror=alert(1)> & \u0007 ]]> twice ]]> <x/>';

function sampleBoard(): Scoreboard {
  return buildScoreboard([
    buildRow({
      ...base,
      submission: 'zoe',
      summary: makeSummary('zoe'),
      exitCode: 0,
      report: 'zoe/run/report.html',
      summaryLink: 'zoe/run/summary.json',
    }),
    buildRow({
      ...base,
      submission: 'bob',
      summary: makeSummary('bob', { failing: ['nat-private-blocked', 'source-preserved'], hostile: true }),
      report: 'bob/run/report.html',
    }),
    buildRow({ ...base, submission: 'mallory', summary: undefined, exitCode: null, error: HOSTILE_ERROR }),
    buildRow({
      ...base,
      submission: 'carl',
      summary: makeSummary('carl', { errors: ['teardown-clean'] }),
      exitCode: 4,
    }),
  ]);
}

describe('buildRow', () => {
  it('scores Stage 4 criteria only and keeps every column in order', () => {
    const row = buildRow({
      ...base,
      submission: 'a',
      summary: makeSummary('a', {
        failing: ['vpc-created', 'rejects-bad-input'],
        notRun: ['peering-public'],
        errors: ['idempotent-create'],
      }),
    });
    expect(row.score).toBe(9);
    expect(row.maxScore).toBe(11);
    expect(row.verdict).toBe('fail');
    expect(row.criteria.map((c) => c.id)).toEqual([...STAGE4_CRITERIA, ...ADVISORY_CRITERIA]);
    expect(row.criteria.find((c) => c.id === 'peering-public')?.status).toBe('not-run');
    expect(row.criteria.filter((c) => c.advisory).map((c) => c.id)).toEqual([...ADVISORY_CRITERIA]);
    expect(row).toMatchObject({ startedAt: '2026-11-24T15:00:00.000Z', durationMs: 47_250, exitCode: 1 });
  });

  it('marks a run without a verdict (no summary, or exit code 2-4) as error', () => {
    const none = buildRow({ ...base, submission: 'a', summary: undefined, exitCode: 4 });
    expect(none.verdict).toBe('error');
    expect(none.error).toMatch(/exited with code 4 without a summary/);
    expect(none.criteria.every((c) => c.status === 'error')).toBe(true);
    const harness = buildRow({ ...base, submission: 'b', summary: makeSummary('b'), exitCode: 4 });
    expect(harness.verdict).toBe('error');
    expect(harness.score).toBe(11);
    expect(harness.error).toMatch(/exited with code 4 \(not a verdict\)/);
  });

  it('fills a criterion the summary lacks as not-run', () => {
    const summary = makeSummary('a');
    summary.criteria = summary.criteria.filter((c) => c.id !== 'inspect-works');
    const row = buildRow({ ...base, submission: 'a', summary, exitCode: 0 });
    expect(row.criteria.find((c) => c.id === 'inspect-works')).toMatchObject({
      status: 'not-run',
      message: 'not reported by the verifier',
    });
    expect(row.verdict).toBe('pass');
  });
});

describe('scoreboard', () => {
  it('sorts rows by name, counts totals and derives the exit code', () => {
    const board = sampleBoard();
    expect(board.rows.map((r) => r.submission)).toEqual(['bob', 'carl', 'mallory', 'zoe']);
    expect(board.totals).toEqual({ submissions: 4, pass: 1, fail: 1, error: 2 });
    expect(batchExitCode(board)).toBe(4);
    expect(batchExitCode(buildScoreboard(board.rows.filter((r) => r.verdict !== 'error')))).toBe(1);
    expect(batchExitCode(buildScoreboard(board.rows.filter((r) => r.verdict === 'pass')))).toBe(0);
  });

  it('scoreboard.json validates against its schema, and the schema catches a broken one', () => {
    const board = sampleBoard();
    expect(validateScoreboard(JSON.parse(renderScoreboardJson(board)))).toEqual([]);
    const broken = JSON.parse(renderScoreboardJson(board));
    broken.rows[0].verdict = 'maybe';
    broken.rows[1].criteria.pop();
    broken.totals.pass = 7;
    delete broken.rows[2].score;
    const problems = validateScoreboard(broken);
    expect(problems.join('\n')).toMatch(/\/rows\/0\/verdict/);
    expect(problems.join('\n')).toMatch(/\/rows\/2\/score: missing required key/);
    const semantic = JSON.parse(renderScoreboardJson(board));
    semantic.rows[1].criteria.pop();
    semantic.totals.pass = 7;
    semantic.rows.reverse();
    expect(validateScoreboard(semantic)).toEqual([
      '/rows/1/submission: rows must be sorted by name without duplicates',
      expect.stringMatching(/^\/rows\/2\/criteria: cells .* do not match the columns/),
      '/rows/2/submission: rows must be sorted by name without duplicates',
      '/rows/3/submission: rows must be sorted by name without duplicates',
      '/totals: do not match the rows',
    ]);
  });

  it('scoreboard.csv is RFC 4180 and reads back to the same table', () => {
    const board = sampleBoard();
    const csv = renderScoreboardCsv(board);
    expect(csv.endsWith('\r\n')).toBe(true);
    const records = parseCsv(csv);
    const [header, ...rows] = records;
    expect(header).toEqual([
      'submission',
      'verdict',
      'score',
      'max_score',
      ...SCOREBOARD_CRITERIA,
      'duration_ms',
      'started_at',
      'profile',
      'exit_code',
      'report',
      'error',
    ]);
    expect(rows).toHaveLength(4);
    for (const [i, row] of board.rows.entries()) {
      const record = rows[i] ?? [];
      expect(record).toHaveLength(header?.length ?? 0);
      const get = (column: string) => record[header?.indexOf(column) ?? -1];
      expect(get('submission')).toBe(row.submission);
      expect(get('verdict')).toBe(row.verdict);
      expect(get('score')).toBe(String(row.score));
      expect(get('max_score')).toBe('11');
      for (const cell of row.criteria) expect(get(cell.id)).toBe(cell.status);
      expect(get('duration_ms')).toBe(String(row.durationMs));
      expect(get('report')).toBe(row.report ?? '');
    }
    // Free text survives quoting (commas, quotes, CRLF) and cannot run as a spreadsheet formula.
    expect(rows[2]?.at(-1)).toBe(`'${HOSTILE_ERROR}`);
    expect(rows[1]?.[header?.indexOf('nat-private-blocked') ?? -1]).toBe('passed');
  });

  it('quotes a CSV field only when it must', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    expect(csvField(7)).toBe('7');
  });

  it('scoreboard.html is self-contained, escapes every string, and shows symbol and colour per cell', () => {
    const board = sampleBoard();
    const html = renderScoreboardHtml(board);
    expect(html).not.toMatch(/<script|<img|onerror=alert\(1\)>|<link |src="http/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp;');
    expect(html).toContain('evil | `tick` &lt;script&gt;');
    expect(html).not.toContain('\u0007');
    expect(html.match(/<tr id="row-/g)).toHaveLength(4);
    expect(
      html.match(/<td class="c-passed"[^>]*>✔<span class="sr"> passed<\/span><\/td>/g)?.length,
    ).toBeGreaterThan(20);
    expect(html).toMatch(/<td class="c-failed" title="nat-private-blocked: failed: [^"]*">✘/);
    expect(html).toMatch(/<td class="c-error" title="teardown-clean: error: [^"]*">⚠/);
    expect(html).toContain('<td class="v-error">⚠ ERROR</td>');
    expect(html).toContain('<a href="zoe/run/report.html">report</a>');
    expect(html).toContain('1 pass</strong>, 1 fail, 2 error');
    // A column header per criterion, Stage 4 first.
    const headers = [...html.matchAll(/<th class="crit[^"]*" scope="col">([^<]+)<\/th>/g)].map((m) => m[1]);
    expect(headers).toEqual([...STAGE4_CRITERIA, ...ADVISORY_CRITERIA]);
  });

  it('never renders a link with a scheme', () => {
    const board = sampleBoard();
    const evil = { ...board, rows: board.rows.map((r) => ({ ...r, report: 'javascript:alert(1)' })) };
    expect(renderScoreboardHtml(evil)).not.toContain('href="javascript');
  });
});

describe('aggregated junit.xml', () => {
  it('holds one testsuite per submission and one testcase per criterion, XML-safe', () => {
    const board = sampleBoard();
    const xml = buildBatchJUnit(board);
    expect(XMLValidator.validate(xml)).toBe(true);
    const parsed = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      cdataPropName: '#cdata',
    }).parse(xml);
    const parsedSuites = parsed.testsuites.testsuite as { name: string; testcase: { name: string }[] }[];
    expect(parsedSuites.map((s) => [s.name, s.testcase.length])).toEqual([
      ['bob', 16],
      ['carl', 16],
      ['mallory', 16],
      ['zoe', 16],
    ]);
    // The CDATA pieces of a split section join back to the original text.
    const mallory = parsedSuites[2] as unknown as { testcase: { error: { '#cdata': string | string[] } }[] };
    const body = mallory.testcase[0]?.error['#cdata'];
    expect(Array.isArray(body) ? body.join('') : body).toContain(
      `run: ${HOSTILE_ERROR.replace(/\s+/g, ' ').replace('\u0007', '\uFFFD')}`,
    );
    const suites = [...xml.matchAll(/<testsuite name="([^"]+)"[^>]*>/g)];
    expect(suites.map((m) => m[1])).toEqual(['bob', 'carl', 'mallory', 'zoe']);
    expect(xml.match(/<testcase /g)).toHaveLength(4 * SCOREBOARD_CRITERIA.length);
    for (const suite of xml.split('<testsuite ').slice(1)) {
      const cases = [...suite.matchAll(/<testcase classname="[^"]+" name="([^"]+)"/g)].map((m) => m[1]);
      expect(cases).toEqual([...SCOREBOARD_CRITERIA]);
    }
    expect(xml).toMatch(/<testsuite name="bob" [^>]*tests="16" failures="2" errors="0" skipped="0">/);
    expect(xml).toMatch(/<testsuite name="carl" [^>]*tests="16" failures="0" errors="1" skipped="0">/);
    expect(xml).toMatch(
      /<testsuite name="mallory" time="0.005" tests="16" failures="0" errors="16" skipped="0">/,
    );
    expect(xml).toContain(
      '<testsuite name="zoe" time="47.25" timestamp="2026-11-24T15:00:00.000Z" tests="16" failures="0" errors="0" skipped="0">',
    );
    expect(xml).toContain('message="[advisory] source-preserved: target said: evil | `tick` &lt;script');
    // No raw control character, no unescaped markup from the target.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    // Outside CDATA sections no markup from a target survives, and every CDATA section is closed once.
    const outside = xml.replace(/<!\[CDATA\[[\s\S]*?]]>/g, '').replace(/"[^"]*"/g, '""');
    expect(outside).not.toMatch(/<script|<img|<x\/>|]]>|<!\[CDATA\[/);
    expect(xml).toContain('twice ]]]]><![CDATA[> <x/>');
  });
});
