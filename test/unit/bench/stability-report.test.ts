import { describe, expect, it } from 'vitest';
import {
  analyse,
  formatStability,
  isStable,
  type StabilityRun,
  signature,
} from '../../../bench/stability-report.js';
import { ALL_CRITERIA } from '../../../src/criteria/ids.js';
import type { CriterionStatus } from '../../../src/model/criteria.js';

function run(
  target: string,
  round: number,
  load: boolean,
  over: Partial<Record<string, CriterionStatus>> = {},
  findings: string[] = [],
): StabilityRun {
  const criteria = ALL_CRITERIA.map((id) => ({ id, status: over[id] ?? 'passed' }));
  const verdict = criteria.slice(0, 11).every((c) => c.status === 'passed') ? 'pass' : 'fail';
  return {
    target,
    round,
    load,
    durationMs: 1000 * round,
    exitCode: verdict === 'pass' ? 0 : 1,
    summary: {
      verdict,
      criteria: criteria as never,
      findings: findings.map((id) => ({ id, severity: 'warning', message: id })),
      reportsDir: `/r/${target}/${round}`,
    },
  };
}

describe('signature', () => {
  it('is the verdict and one letter per criterion, Stage 4 before the dot', () => {
    expect(signature(run('ref', 1, false))).toBe('pass PPPPPPPPPPP.PPPPP');
    expect(
      signature(
        run('crash', 1, false, {
          'peering-public': 'failed',
          'teardown-clean': 'error',
          'inspect-works': 'not-run',
        }),
      ),
    ).toBe('fail PPPPPPFPPPE.PPPNP');
    expect(signature({ target: 'x', round: 1, load: false, durationMs: 1, exitCode: 3 })).toBe(
      'no-summary(exit 3)',
    );
  });
});

describe('analyse', () => {
  it('calls identical runs stable, under load or not', () => {
    const report = analyse([run('ref', 1, false), run('ref', 2, true), run('ref', 3, false)]);
    expect(report).toHaveLength(1);
    expect(report[0]).toMatchObject({ target: 'ref', runs: 3, loadRuns: 1, changed: [], broken: [] });
    expect(isStable(report)).toBe(true);
    expect(formatStability(report)).toContain('Every target gave the same verdict');
  });

  it('names each criterion whose status changed, with the rounds and which ran under load', () => {
    const report = analyse([
      run('ref', 1, false),
      run('crash', 1, false, { 'peering-public': 'failed' }),
      run('ref', 2, true, { 'peering-public': 'failed' }),
      run('crash', 2, true, { 'peering-public': 'failed' }),
    ]);
    expect(isStable(report)).toBe(false);
    const ref = report.find((t) => t.target === 'ref');
    expect(ref?.changed).toEqual([
      {
        id: 'peering-public',
        statuses: { passed: [{ round: 1, load: false }], failed: [{ round: 2, load: true }] },
      },
    ]);
    expect(report.find((t) => t.target === 'crash')?.changed).toEqual([]);
    const text = formatStability(report);
    expect(text).toContain('ref: peering-public: passed in 1; failed in 2*');
    expect(text).toMatch(/^ref +2 +1 .*pass PPPPPPPPPPP\.PPPPP x1 {2}CHANGED$/m);
    expect(text).toMatch(/^crash +2 .*fail PPPPPPFPPPP\.PPPPP {2}stable$/m);
  });

  it('counts a run without a summary as unstable, and notes findings seen in some runs only', () => {
    const report = analyse([
      run('ref', 1, false, {}, ['settle-stall']),
      run('ref', 2, true),
      { target: 'ref', round: 3, load: false, durationMs: 5, exitCode: 4, problem: 'harness broke' },
    ]);
    expect(isStable(report)).toBe(false);
    expect(report[0]?.unstableFindings).toEqual(['settle-stall']);
    const text = formatStability(report);
    expect(text).toContain('ref: round 3 produced no summary: harness broke');
    expect(text).toContain('note: ref: findings present in some runs only: settle-stall');
  });
});
