import { describe, expect, it } from 'vitest';
import { formatTerminalSummary } from '../../../src/reports/terminal.js';
import { clone, failingRun, passingRun } from './fixtures.js';

const ESC = '\u001b';

describe('terminal summary', () => {
  it('puts the verdict first, one line per criterion with its symbol, and the reports path last', () => {
    const { summary } = failingRun();
    const text = formatTerminalSummary(summary, { color: false });
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^FAIL 5\/11 Stage 4 criteria passed \(advisory 4\/5\) in \d/);
    expect(lines.at(-1)).toBe(`Reports: ${summary.reportsDir}`);
    for (const criterion of summary.criteria) {
      const symbol = { passed: '✔', failed: '✘', error: '!', 'not-run': '-' }[criterion.status];
      expect(lines.filter((l) => l.startsWith(`  ${symbol} ${criterion.id} `))).toHaveLength(1);
    }
    expect(text).toContain('warning[settle-stall] (peering): traffic stalled 31.2 s');
    expect(text).toContain('info[leftover-process] (teardown):');
  });

  it('has no colour when color is false, and colours when asked', () => {
    const { summary } = failingRun();
    expect(formatTerminalSummary(summary, { color: false })).not.toContain(ESC);
    const coloured = formatTerminalSummary(summary, { color: true });
    expect(coloured.startsWith(`${ESC}[31m${ESC}[1mFAIL`)).toBe(true);
    expect(coloured).toContain(`${ESC}[32m✔${ESC}[0m vpc-created`);
  });

  it('shows control characters from the target as escapes, never raw', () => {
    const { summary } = failingRun();
    const text = formatTerminalSummary(summary, { color: false, maxReason: 400 });
    const app = text.split('\n').find((l) => l.includes(' app-deployed ')) ?? '';
    expect(app).toContain('\\x1b[31mred\\x1b[0m');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  });

  it('says when the deadline was hit and which Stage 4 criteria have no result', () => {
    const summary = clone(passingRun().summary);
    summary.deadlineHit = true;
    summary.verdict = 'fail';
    summary.criteria = summary.criteria.filter((c) => c.id !== 'teardown-clean' && c.id !== 'policy-denied');
    const text = formatTerminalSummary(summary, { color: false });
    expect(text.split('\n')[0]).toMatch(
      /^FAIL 9\/11 Stage 4 criteria passed \(advisory 5\/5\), deadline hit in /,
    );
    expect(text).toContain('✘ no result for: policy-denied, teardown-clean');
  });

  it('matches the snapshots and does not depend on the order results came in', () => {
    const pass = passingRun();
    const fail = failingRun();
    expect(formatTerminalSummary(pass.summary, { color: false })).toMatchSnapshot('passing');
    expect(formatTerminalSummary(fail.summary, { color: false })).toMatchSnapshot('failing');
    const shuffled = clone(fail.summary);
    shuffled.criteria.reverse();
    shuffled.findings.reverse();
    expect(formatTerminalSummary(shuffled, { color: true })).toBe(
      formatTerminalSummary(fail.summary, { color: true }),
    );
  });
});
