import { ADVISORY_CRITERIA, STAGE4_CRITERIA } from '../criteria/ids.js';
import type { CriterionId, CriterionStatus } from '../model/criteria.js';
import type { Summary } from '../model/summary.js';
import type { ShardSpec } from './shard.js';
import { compareNames } from './shard.js';

/**
 * The scoreboard is the one record of a batch: scoreboard.json holds it,
 * and every other output (CSV, HTML, the aggregated JUnit, the Markdown
 * job summary) is rendered from it alone. That is what lets `merge` rebuild
 * byte-identical outputs from the shards' scoreboard.json files.
 */

/** Columns of the scoreboard, in order: Stage 4 criteria, then advisory ones. */
export const SCOREBOARD_CRITERIA: readonly CriterionId[] = [...STAGE4_CRITERIA, ...ADVISORY_CRITERIA];
export const MAX_SCORE = STAGE4_CRITERIA.length;

/** `error`: the submission could not be judged (crash, hang, bad input, environment, harness bug). */
export type RowVerdict = 'pass' | 'fail' | 'error';

export interface ScoreboardCell {
  id: CriterionId;
  status: CriterionStatus;
  advisory: boolean;
  message: string;
}

export interface ScoreboardRow {
  submission: string;
  verdict: RowVerdict;
  /** Stage 4 criteria passed (out of `maxScore`). */
  score: number;
  maxScore: number;
  /** The verifier's own run time (from summary.json); for a run without a summary, the batch's wall time. */
  durationMs: number;
  /** From summary.json; never the batch's clock. */
  startedAt: string | null;
  runId: string | null;
  /** Profile name (from summary.json when there is one). */
  profile: string;
  /** The verifier's exit code; null when it never returned (crash, timeout). */
  exitCode: number | null;
  /** Relative link (from the batch's output folder) to the submission's report.html. */
  report: string | null;
  /** Relative link to the submission's summary.json. */
  summary: string | null;
  /** Why the row is `error` (or what went wrong besides the criteria). */
  error: string | null;
  /** Every column of SCOREBOARD_CRITERIA, in that order. */
  criteria: ScoreboardCell[];
}

export interface ScoreboardTotals {
  submissions: number;
  pass: number;
  fail: number;
  error: number;
}

export interface Scoreboard {
  schemaVersion: 1;
  kind: 'vpc-verify-scoreboard';
  /** The slice this scoreboard covers; null for a whole batch (or a merge). */
  shard: ShardSpec | null;
  columns: { stage4: CriterionId[]; advisory: CriterionId[] };
  totals: ScoreboardTotals;
  rows: ScoreboardRow[];
}

export interface RowInput {
  submission: string;
  /** Profile as the manifest gave it (used when there is no summary). */
  profile: string;
  summary: Summary | undefined;
  exitCode: number | null;
  durationMs: number;
  report: string | null;
  summaryLink: string | null;
  error: string | null;
}

const NO_RESULT = 'no result: the run did not produce a summary (see the row error)';

/** One row from one verifier run (or from its failure to produce one). */
export function buildRow(input: RowInput): ScoreboardRow {
  const { summary } = input;
  const byId = new Map(summary?.criteria.map((c) => [c.id, c]) ?? []);
  const advisory = new Set<string>(ADVISORY_CRITERIA);
  const criteria = SCOREBOARD_CRITERIA.map((id): ScoreboardCell => {
    const found = byId.get(id);
    if (found) return { id, status: found.status, advisory: advisory.has(id), message: found.message };
    return {
      id,
      status: summary ? 'not-run' : 'error',
      advisory: advisory.has(id),
      message: summary ? 'not reported by the verifier' : NO_RESULT,
    };
  });
  const score = criteria.filter((c) => !c.advisory && c.status === 'passed').length;
  const judged = summary !== undefined && (input.exitCode === 0 || input.exitCode === 1);
  let error = input.error;
  if (!judged && error === null) {
    error = summary
      ? `the verifier exited with code ${input.exitCode ?? 'none'} (not a verdict)`
      : `the verifier exited with code ${input.exitCode ?? 'none'} without a summary`;
  }
  return {
    submission: input.submission,
    verdict: judged ? summary.verdict : 'error',
    score,
    maxScore: MAX_SCORE,
    durationMs: Math.max(0, Math.round(summary?.durationMs ?? input.durationMs)),
    startedAt: summary?.startedAt ?? null,
    runId: summary?.runId ?? null,
    profile: summary?.profile.name ?? input.profile,
    exitCode: input.exitCode,
    report: input.report,
    summary: input.summaryLink,
    error,
    criteria,
  };
}

export function computeTotals(rows: readonly ScoreboardRow[]): ScoreboardTotals {
  return {
    submissions: rows.length,
    pass: rows.filter((r) => r.verdict === 'pass').length,
    fail: rows.filter((r) => r.verdict === 'fail').length,
    error: rows.filter((r) => r.verdict === 'error').length,
  };
}

/** Rows sorted by submission name (code-point order), totals computed. */
export function buildScoreboard(rows: readonly ScoreboardRow[], shard: ShardSpec | null = null): Scoreboard {
  const sorted = [...rows].sort((a, b) => compareNames(a.submission, b.submission));
  return {
    schemaVersion: 1,
    kind: 'vpc-verify-scoreboard',
    shard: shard ? { index: shard.index, count: shard.count } : null,
    columns: { stage4: [...STAGE4_CRITERIA], advisory: [...ADVISORY_CRITERIA] },
    totals: computeTotals(sorted),
    rows: sorted,
  };
}

/**
 * Exit code of `vpc-verify batch` / `merge` (same meanings as a single run):
 * 0 every submission passed, 1 some failed and every one was judged,
 * 4 some submission could not be judged.
 */
export function batchExitCode(board: Scoreboard): number {
  if (board.totals.error > 0) return 4;
  if (board.totals.fail > 0) return 1;
  return 0;
}
