import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { StartStateName } from '../lab/sandbox/sandbox.js';
import { type Manifest, runBatch, type VerifyOne } from '../src/batch/index.js';
import { runPool } from '../src/batch/pool.js';
import { PACKAGE_ROOT } from '../src/util/paths.js';
import { verify } from '../src/verify/verify.js';
import { childrenCpuMs } from './cpu.js';

export interface BatchSample {
  submissions: number;
  concurrency: number;
  wallMs: number;
  /** CPU of all the batch's processes (undefined off Linux). */
  cpuMs: number | undefined;
  passed: number;
}

/** verify() as the batch's single-run verifier. */
export const verifyOne: VerifyOne = async (o) => {
  const { summary, reportsDir } = await verify({
    targetDir: o.targetDir,
    profile: o.profile,
    outDir: o.outDir,
    ...(o.timeoutsMs ? { stepTimeoutsMs: o.timeoutsMs } : {}),
    ...(o.startState ? { startState: o.startState as StartStateName } : {}),
  });
  return { summary, exitCode: summary.verdict === 'pass' ? 0 : 1, reportsDir };
};

/** N copies of the reference, as a grader's manifest would list N students. */
export function referenceManifest(count: number): Manifest {
  return {
    file: '<bench>',
    submissions: Array.from({ length: count }, (_, i) => ({
      name: `reference-${String(i + 1).padStart(2, '0')}`,
      dir: PACKAGE_ROOT,
      profile: 'seed',
      timeouts: {},
    })),
  };
}

/** Runs a manifest `concurrency` at a time; returns how many passed. */
type BatchDriver = (manifest: Manifest, concurrency: number, outDir: string) => Promise<number>;

/** Through the grading batch runner (what `vpc-verify batch` does). */
const viaRunBatch: BatchDriver = async (manifest, concurrency, outDir) => {
  const { scoreboard } = await runBatch(manifest, { outDir, verifyOne, concurrency });
  return scoreboard.rows.filter((row) => row.verdict === 'pass').length;
};

/** A plain promise pool over verify(), for a tree without the batch runner. */
export const viaPool: BatchDriver = async (manifest, concurrency, outDir) => {
  const settled = await runPool(manifest.submissions, concurrency, (s) =>
    verifyOne({ targetDir: s.dir, profile: s.profile, outDir: join(outDir, s.name), timeoutsMs: undefined }),
  );
  return settled.filter((s) => s.ok && s.value.exitCode === 0).length;
};

// The one line to switch drivers.
const driver: BatchDriver = viaRunBatch;

export async function measureBatch(
  submissions: number,
  concurrency: number,
  outDir: string,
): Promise<BatchSample> {
  mkdirSync(outDir, { recursive: true });
  const cpuBefore = childrenCpuMs();
  const started = performance.now();
  const passed = await driver(referenceManifest(submissions), concurrency, outDir);
  const wallMs = performance.now() - started;
  const cpuAfter = childrenCpuMs();
  const cpuMs = cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore;
  return { submissions, concurrency, wallMs, cpuMs, passed };
}
