import { START_STATES, type StartStateName } from '../../lab/sandbox/sandbox.js';
import { ALL_CRITERIA } from '../criteria/ids.js';
import type { CriterionStatus } from '../model/criteria.js';
import type { Finding, Summary } from '../model/summary.js';
import { readRunRecord, writeReports } from '../reports/index.js';
import { type VerifyOptions, verify } from './verify.js';

/** One criterion whose status depends on the sandbox's start state. */
export interface StateDifference {
  id: string;
  statuses: Record<StartStateName, CriterionStatus | 'missing'>;
}

export interface StartStateRun {
  startState: StartStateName;
  summary: Summary;
  reportsDir: string;
}

export interface StartStateComparison {
  runs: StartStateRun[];
  differences: StateDifference[];
  /** The finding added to every run's reports (absent when the verdicts agree). */
  finding?: Finding;
}

export const START_STATE_FINDING = 'start-state-dependent';

/** Criteria (in the usual order) whose status is not the same in every run. */
export function stateDifferences(
  runs: readonly Pick<StartStateRun, 'startState' | 'summary'>[],
): StateDifference[] {
  const differences: StateDifference[] = [];
  for (const id of ALL_CRITERIA) {
    const statuses = Object.fromEntries(
      runs.map((r) => [r.startState, r.summary.criteria.find((c) => c.id === id)?.status ?? 'missing']),
    ) as StateDifference['statuses'];
    if (new Set(Object.values(statuses)).size > 1) differences.push({ id, statuses });
  }
  return differences;
}

/** The warning every run's reports carry when the verdicts depend on the start state. */
export function startStateFinding(differences: readonly StateDifference[]): Finding | undefined {
  if (differences.length === 0) return undefined;
  const states = Object.keys(differences[0]?.statuses ?? {});
  const listed = differences
    .map(
      (d) =>
        `${d.id} (${Object.entries(d.statuses)
          .map(([state, status]) => `${state}: ${status}`)
          .join(', ')})`,
    )
    .join('; ');
  return {
    id: START_STATE_FINDING,
    severity: 'warning',
    message: `verdicts differ between the start states ${states.join(' and ')}: ${listed}. The target relies on the machine's starting state (ip_forward, FORWARD policy, existing chains) instead of setting what it needs; see README "The sandbox" for each state`,
  };
}

/**
 * Verify the same target from every start state (fresh kernel defaults, a
 * Docker host), concurrently, each in its own sandbox and reports folder.
 * When any criterion's status differs, every run's reports get a
 * `start-state-dependent` warning naming those criteria.
 */
export async function compareStartStates(options: VerifyOptions): Promise<StartStateComparison> {
  const runs = await Promise.all(
    START_STATES.map(async (startState) => {
      const outcome = await verify({
        ...options,
        startState,
        runIdSuffix: startState,
        onProgress: options.onProgress
          ? (line) => options.onProgress?.(`[${startState}] ${line}`)
          : undefined,
      });
      return { startState, ...outcome };
    }),
  );
  const differences = stateDifferences(runs);
  const finding = startStateFinding(differences);
  if (finding) {
    for (const run of runs) {
      run.summary.findings = [...run.summary.findings, finding];
      const written = await writeReports(run.reportsDir, run.summary, readRunRecord(run.reportsDir));
      for (const { writer, error } of written.errors) {
        options.onProgress?.(`warning: the ${writer} report could not be rewritten: ${error.message}`);
      }
    }
  }
  return { runs, differences, ...(finding ? { finding } : {}) };
}

/** The lines the terminal shows after both runs' summaries. */
export function formatComparison(comparison: StartStateComparison): string {
  const lines = [
    `Start states compared: ${comparison.runs.map((r) => `${r.startState} ${r.summary.verdict.toUpperCase()}`).join(', ')}`,
  ];
  if (comparison.differences.length === 0) {
    lines.push('  every criterion has the same status in every start state');
  } else {
    const states = comparison.runs.map((r) => r.startState);
    const width = Math.max(...comparison.differences.map((d) => d.id.length)) + 2;
    lines.push(`  ${'criterion'.padEnd(width)}${states.map((s) => s.padEnd(13)).join('')}`);
    for (const d of comparison.differences) {
      lines.push(`  ${d.id.padEnd(width)}${states.map((s) => String(d.statuses[s]).padEnd(13)).join('')}`);
    }
    lines.push(`  warning[${START_STATE_FINDING}] added to every run's reports`);
  }
  for (const run of comparison.runs) lines.push(`  reports (${run.startState}): ${run.reportsDir}`);
  return `${lines.join('\n')}\n`;
}
