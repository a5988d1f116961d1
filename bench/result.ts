import type { InitTiming } from './init-times.js';
import type { Machine } from './machine.js';
import type { Stat } from './stats.js';
import type { TargetResult } from './targets.js';

/** What `npm run bench` writes as JSON (and prints as a table). All durations in ms. */
export interface BenchResult {
  schemaVersion: 1;
  startedAt: string;
  finishedAt: string;
  options: {
    runs: number;
    checklistRuns: number;
    batchRuns: number;
    batchSizes: number[];
    concurrencies: number[];
    /** Calls of each start-up command (absent in results written before it was measured). */
    startupRuns?: number;
  };
  machine: Machine;
  /**
   * Named measurements: `verify.*` (full verification and its split),
   * `vitest.*`, `checklist.*`, `build.*` (see bench/README in docs/performance.md).
   */
  measurements: Record<string, Stat>;
  /** Counts that explain the times: `verifyTargetCommands`, `buildReferenceCalls`, `checklistChecks` (last run). */
  counts: Record<string, number>;
  batch: BatchCell[];
  /** checklist / verification, seed build / reference build, vpcctl and unbundled start-up / node -e 0. */
  ratios: Record<string, number | undefined>;
  /** `vpc-verify init` per fixture tool (test/fixtures/targets/init-*). */
  init?: InitTiming[];
  targets: TargetResult[];
  /** Anything that makes a figure doubtful: a verification that did not pass, a checklist FAIL, a broken run. */
  problems: string[];
}

export interface BatchCell {
  submissions: number;
  concurrency: number;
  wall: Stat;
  /** CPU of the whole batch (all its processes), per run. */
  cpu: Stat | undefined;
  /** Passing submissions in each run (all of them should pass: they are the reference). */
  passed: number[];
}
