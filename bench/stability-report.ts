/**
 * Verdict stability, as data: each run of a target reduces to a signature
 * (the verdict and one letter per criterion); a target is stable when every
 * run has the same signature. Pure functions, so the report is testable
 * without running labs (bench/stability.ts runs them).
 */

import { ALL_CRITERIA } from '../src/criteria/ids.js';
import type { CriterionStatus } from '../src/model/criteria.js';
import type { Summary } from '../src/model/summary.js';

export interface StabilityRun {
  target: string;
  /** 1-based round. */
  round: number;
  /** Two busy loops were running during this run. */
  load: boolean;
  durationMs: number;
  exitCode: number | undefined;
  /** Absent when the CLI printed no summary (it could not run at all). */
  summary?: Pick<Summary, 'verdict' | 'criteria' | 'findings' | 'reportsDir'>;
  /** Why there is no summary. */
  problem?: string;
}

const LETTER: Record<CriterionStatus, string> = { passed: 'P', failed: 'F', error: 'E', 'not-run': 'N' };

/** `fail PPPPPPFPPFF.PPPFFP`: the verdict, then one letter per criterion (Stage 4 first, advisory after the dot). */
export function signature(run: StabilityRun): string {
  if (!run.summary) return `no-summary(exit ${run.exitCode ?? '?'})`;
  const statuses = ALL_CRITERIA.map((id) => {
    const status = run.summary?.criteria.find((c) => c.id === id)?.status;
    return status ? LETTER[status] : '?';
  });
  const stage4 = statuses.slice(0, 11).join('');
  const advisory = statuses.slice(11).join('');
  return `${run.summary.verdict} ${stage4}.${advisory}`;
}

export interface CriterionChange {
  id: string;
  /** status -> the runs (round, load) that had it. */
  statuses: Record<string, { round: number; load: boolean }[]>;
}

export interface TargetStability {
  target: string;
  runs: number;
  loadRuns: number;
  /** Signature -> how many runs had it. */
  signatures: Record<string, number>;
  changed: CriterionChange[];
  /** Finding ids that some runs had and others did not (informative: findings never change a verdict). */
  unstableFindings: string[];
  /** Runs that produced no summary. */
  broken: StabilityRun[];
  meanMs: number;
  maxMs: number;
}

export function analyse(runs: readonly StabilityRun[]): TargetStability[] {
  const targets = [...new Set(runs.map((r) => r.target))];
  return targets.map((target) => {
    const mine = runs.filter((r) => r.target === target);
    const signatures: Record<string, number> = {};
    for (const run of mine) signatures[signature(run)] = (signatures[signature(run)] ?? 0) + 1;
    const judged = mine.filter((r) => r.summary);
    const changed: CriterionChange[] = [];
    for (const id of ALL_CRITERIA) {
      const statuses: CriterionChange['statuses'] = {};
      for (const run of judged) {
        const status = run.summary?.criteria.find((c) => c.id === id)?.status ?? 'missing';
        const runs = statuses[status] ?? [];
        runs.push({ round: run.round, load: run.load });
        statuses[status] = runs;
      }
      if (Object.keys(statuses).length > 1) changed.push({ id, statuses });
    }
    const verdicts = new Set(judged.map((r) => r.summary?.verdict));
    if (verdicts.size > 1 && changed.length === 0) {
      changed.push({
        id: 'verdict',
        statuses: Object.fromEntries(
          [...verdicts].map((v) => [
            String(v),
            judged.filter((r) => r.summary?.verdict === v).map((r) => ({ round: r.round, load: r.load })),
          ]),
        ),
      });
    }
    const findingSets = judged.map((r) => new Set(r.summary?.findings.map((f) => f.id)));
    const allFindings = [...new Set(findingSets.flatMap((s) => [...s]))].sort();
    const unstableFindings = allFindings.filter((id) => !findingSets.every((s) => s.has(id)));
    const durations = mine.map((r) => r.durationMs);
    return {
      target,
      runs: mine.length,
      loadRuns: mine.filter((r) => r.load).length,
      signatures,
      changed,
      unstableFindings,
      broken: mine.filter((r) => !r.summary),
      meanMs: durations.reduce((a, b) => a + b, 0) / Math.max(1, durations.length),
      maxMs: Math.max(0, ...durations),
    };
  });
}

/** True when every target gave the same signature in every run, and every run was judged. */
export function isStable(report: readonly TargetStability[]): boolean {
  return report.every((t) => Object.keys(t.signatures).length === 1 && t.broken.length === 0);
}

function runList(runs: { round: number; load: boolean }[]): string {
  return runs.map((r) => `${r.round}${r.load ? '*' : ''}`).join(',');
}

/** The table a person reads: one line per target, then every criterion whose status changed. */
export function formatStability(report: readonly TargetStability[]): string {
  const width = Math.max(6, ...report.map((t) => t.target.length)) + 2;
  const lines = [
    `${'target'.padEnd(width)}${'runs'.padEnd(6)}${'load'.padEnd(6)}${'mean'.padEnd(8)}${'max'.padEnd(8)}signature (verdict, then ${ALL_CRITERIA.length} criteria: P passed, F failed, E error, N not-run)`,
  ];
  for (const t of report) {
    const sigs = Object.entries(t.signatures).sort((a, b) => b[1] - a[1]);
    const first = sigs[0];
    const stable = sigs.length === 1 && t.broken.length === 0;
    lines.push(
      `${t.target.padEnd(width)}${String(t.runs).padEnd(6)}${String(t.loadRuns).padEnd(6)}${`${(t.meanMs / 1000).toFixed(0)} s`.padEnd(8)}${`${(t.maxMs / 1000).toFixed(0)} s`.padEnd(8)}${first ? `${first[0]}${sigs.length > 1 ? ` x${first[1]}` : ''}` : '-'}${stable ? '  stable' : '  CHANGED'}`,
    );
    for (const [sig, count] of sigs.slice(1)) lines.push(`${' '.repeat(width + 28)}${sig} x${count}`);
  }
  lines.push('');
  lines.push(`criteria: ${ALL_CRITERIA.map((id, i) => `${i + 1}=${id}`).join(' ')}`);
  const unstable = report.filter((t) => t.changed.length > 0 || t.broken.length > 0);
  if (unstable.length === 0) {
    lines.push('Every target gave the same verdict and the same status for every criterion in every run.');
  } else {
    lines.push('Changed between runs (round numbers; * = under CPU load):');
    for (const t of unstable) {
      for (const c of t.changed) {
        const parts = Object.entries(c.statuses).map(([status, runs]) => `${status} in ${runList(runs)}`);
        lines.push(`  ${t.target}: ${c.id}: ${parts.join('; ')}`);
      }
      for (const b of t.broken) {
        lines.push(
          `  ${t.target}: round ${b.round}${b.load ? '*' : ''} produced no summary: ${b.problem ?? `exit ${b.exitCode}`}`,
        );
      }
    }
  }
  const findings = report.filter((t) => t.unstableFindings.length > 0);
  for (const t of findings) {
    lines.push(`note: ${t.target}: findings present in some runs only: ${t.unstableFindings.join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}
