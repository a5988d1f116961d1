import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import type { Summary } from '../model/summary.js';
import { formatDuration } from '../reports/order.js';
import { defaultConcurrency } from './concurrency.js';
import { isProfilePath, type Manifest, type Submission } from './manifest.js';
import { runPool } from './pool.js';
import {
  batchExitCode,
  buildRow,
  buildScoreboard,
  type Scoreboard,
  type ScoreboardRow,
} from './scoreboard.js';
import { type ScoreboardPaths, writeScoreboardFiles } from './scoreboard-files.js';
import { type ShardSpec, shard } from './shard.js';

/** What `verifyOne` (the single-run verifier, injected) is given. */
export interface VerifyOneOptions {
  targetDir: string;
  profile: string;
  /** The submission's own folder; the verifier writes `<outDir>/<run-id>/...` under it. */
  outDir: string;
  /** Per-step timeouts by lab step name, plus `default` for the others. */
  timeoutsMs?: Record<string, number>;
  startState?: string;
  /** Aborted when the batch gives up on the submission (its overall timeout). */
  signal?: AbortSignal;
}

export interface VerifyOneResult {
  summary: Summary | undefined;
  /** vpc-verify's exit code: 0 pass, 1 criteria failed, 2 bad input, 3 environment, 4 harness error. */
  exitCode: number;
  /** The run's folder (holds summary.json, report.html, junit.xml, transcript.log). */
  reportsDir: string;
  error?: string;
}

export type VerifyOne = (options: VerifyOneOptions) => Promise<VerifyOneResult>;

export type BatchEvent =
  | { type: 'started'; submission: string; position: number; total: number; inFlight: number }
  | { type: 'timeout'; submission: string; afterMs: number }
  | {
      type: 'finished';
      submission: string;
      position: number;
      total: number;
      done: number;
      row: ScoreboardRow;
    };

/** A submission's run, start to row, when the manifest sets no `timeouts.overall`. */
export const DEFAULT_SUBMISSION_TIMEOUT_MS = 30 * 60_000;
/** After aborting a hung run, how long to wait for it to stop before moving on. */
export const DEFAULT_ABORT_GRACE_MS = 15_000;

export interface BatchOptions {
  outDir: string;
  verifyOne: VerifyOne;
  /** Runs in flight at once (default: defaultConcurrency()). */
  concurrency?: number;
  shard?: ShardSpec;
  onEvent?: (event: BatchEvent) => void;
  submissionTimeoutMs?: number;
  abortGraceMs?: number;
  /** Clock for the wall time of runs without a summary (tests pin it). */
  now?: () => number;
}

export interface BatchResult {
  scoreboard: Scoreboard;
  files: ScoreboardPaths;
  /** batchExitCode(scoreboard): 0 all passed, 1 some failed, 4 some could not be judged. */
  exitCode: number;
  /** The submissions this run covered (its shard). */
  submissions: Submission[];
}

/** A path under the batch folder as a relative, forward-slash link. */
function linkTo(outDir: string, path: string): string {
  return relative(outDir, path).split(sep).join('/');
}

function timeoutsFor(submission: Submission): Record<string, number> | undefined {
  const { steps, default: fallback } = submission.timeouts;
  if (steps === undefined && fallback === undefined) return undefined;
  return { ...steps, ...(fallback === undefined ? {} : { default: fallback }) };
}

function profileLabel(profile: string): string {
  return isProfilePath(profile) ? basename(profile) : profile;
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

type Outcome =
  | { kind: 'result'; result: VerifyOneResult }
  | { kind: 'crash'; error: unknown }
  | { kind: 'timeout'; afterMs: number }
  | { kind: 'unusable'; reason: string };

/** Run verifyOne, giving up (and aborting it) after `timeoutMs`; never throws. */
async function guardedRun(
  verifyOne: VerifyOne,
  options: Omit<VerifyOneOptions, 'signal'>,
  timeoutMs: number,
  graceMs: number,
  onTimeout: () => void,
): Promise<Outcome> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const run: Promise<Outcome> = (async () => {
    try {
      // Called inside the async function: a verifyOne that throws synchronously is a crash too.
      return { kind: 'result', result: await verifyOne({ ...options, signal: controller.signal }) };
    } catch (error) {
      return { kind: 'crash', error };
    }
  })();
  const deadline = new Promise<Outcome>((done) => {
    timer = setTimeout(() => done({ kind: 'timeout', afterMs: timeoutMs }), timeoutMs);
  });
  const first = await Promise.race([run, deadline]);
  clearTimeout(timer);
  if (first.kind !== 'timeout') return first;
  onTimeout();
  controller.abort(new Error(`the batch gave up after ${timeoutMs} ms`));
  // Give the verifier a moment to kill its sandbox, so the next run does not start on a loaded machine.
  let grace: NodeJS.Timeout | undefined;
  await Promise.race([run, new Promise((done) => (grace = setTimeout(done, graceMs)))]);
  clearTimeout(grace);
  return first;
}

function rowFor(
  submission: Submission,
  outcome: Outcome,
  outDir: string,
  durationMs: number,
): { row: ScoreboardRow; errorText?: string } {
  const base = {
    submission: submission.name,
    profile: profileLabel(submission.profile),
    durationMs,
    report: null,
    summaryLink: null,
  };
  if (outcome.kind === 'timeout') {
    const error = `no result after ${formatDuration(outcome.afterMs)}: the batch gave up on this submission and aborted its run (per-submission timeout; raise timeouts.overall in the manifest if it is legitimately slow)`;
    return { row: buildRow({ ...base, summary: undefined, exitCode: null, error }), errorText: error };
  }
  if (outcome.kind === 'unusable') {
    return {
      row: buildRow({ ...base, summary: undefined, exitCode: null, error: outcome.reason }),
      errorText: outcome.reason,
    };
  }
  if (outcome.kind === 'crash') {
    const error = `the verifier crashed: ${describeError(outcome.error)}`;
    return { row: buildRow({ ...base, summary: undefined, exitCode: null, error }), errorText: error };
  }
  const { result } = outcome;
  if (typeof result !== 'object' || result === null || typeof result.exitCode !== 'number') {
    const error = `the verifier returned no usable result (${JSON.stringify(result) ?? String(result)})`;
    return { row: buildRow({ ...base, summary: undefined, exitCode: null, error }), errorText: error };
  }
  const reportsDir = result.reportsDir ? resolve(result.reportsDir) : undefined;
  const file = (name: string) =>
    reportsDir && existsSync(join(reportsDir, name)) ? join(reportsDir, name) : undefined;
  const report = file('report.html');
  const summaryFile = file('summary.json');
  const row = buildRow({
    ...base,
    summary: result.summary,
    exitCode: result.exitCode,
    error: result.error ?? null,
    report: report ? linkTo(outDir, report) : null,
    summaryLink: summaryFile ? linkTo(outDir, summaryFile) : null,
  });
  return row.verdict === 'error' ? { row, errorText: row.error ?? undefined } : { row };
}

/**
 * Verify every submission of the manifest (or of one shard of it), at most
 * `concurrency` at once, each into `outDir/<name>/`, then write the
 * scoreboard files and the aggregated junit.xml into `outDir`. A submission
 * that crashes, hangs or has no directory becomes an `error` row; the others
 * go on.
 */
export async function runBatch(manifest: Manifest, options: BatchOptions): Promise<BatchResult> {
  const outDir = resolve(options.outDir);
  const concurrency = options.concurrency ?? defaultConcurrency();
  const submissions = options.shard
    ? shard(manifest.submissions, options.shard.index, options.shard.count)
    : [...manifest.submissions];
  const now = options.now ?? (() => performance.now());
  const emit = (event: BatchEvent) => {
    try {
      options.onEvent?.(event);
    } catch {
      // A broken progress printer must not stop the batch.
    }
  };
  mkdirSync(outDir, { recursive: true });

  let inFlight = 0;
  let done = 0;
  const settled = await runPool(submissions, concurrency, async (submission, position) => {
    inFlight += 1;
    emit({ type: 'started', submission: submission.name, position, total: submissions.length, inFlight });
    const ownDir = join(outDir, submission.name);
    const started = now();
    let outcome: Outcome;
    try {
      mkdirSync(ownDir, { recursive: true });
      if (!existsSync(submission.dir) || !statSync(submission.dir).isDirectory()) {
        outcome = {
          kind: 'unusable',
          reason: `the submission's directory ${submission.dir} does not exist (or is not a directory); the verifier was not run`,
        };
      } else {
        const timeoutsMs = timeoutsFor(submission);
        outcome = await guardedRun(
          options.verifyOne,
          {
            targetDir: submission.dir,
            profile: submission.profile,
            outDir: ownDir,
            ...(timeoutsMs ? { timeoutsMs } : {}),
            ...(submission.startState ? { startState: submission.startState } : {}),
          },
          submission.timeouts.overall ?? options.submissionTimeoutMs ?? DEFAULT_SUBMISSION_TIMEOUT_MS,
          options.abortGraceMs ?? DEFAULT_ABORT_GRACE_MS,
          () =>
            emit({
              type: 'timeout',
              submission: submission.name,
              afterMs:
                submission.timeouts.overall ?? options.submissionTimeoutMs ?? DEFAULT_SUBMISSION_TIMEOUT_MS,
            }),
        );
      }
    } catch (error) {
      outcome = { kind: 'crash', error };
    }
    const { row, errorText } = rowFor(submission, outcome, outDir, Math.round(now() - started));
    if (errorText !== undefined) {
      try {
        writeFileSync(join(ownDir, 'batch-error.txt'), `${errorText}\n`);
      } catch {
        // The row already carries the error.
      }
    }
    inFlight -= 1;
    done += 1;
    emit({ type: 'finished', submission: submission.name, position, total: submissions.length, done, row });
    return row;
  });

  const rows = settled.map((s, index) =>
    s.ok
      ? s.value
      : buildRow({
          submission: submissions[index]?.name ?? `unknown-${index}`,
          profile: profileLabel(submissions[index]?.profile ?? ''),
          summary: undefined,
          exitCode: null,
          durationMs: 0,
          report: null,
          summaryLink: null,
          error: `the batch runner broke on this submission: ${describeError(s.error)}`,
        }),
  );
  const scoreboard = buildScoreboard(rows, options.shard ?? null);
  const files = writeScoreboardFiles(outDir, scoreboard);
  return { scoreboard, files, exitCode: batchExitCode(scoreboard), submissions };
}
