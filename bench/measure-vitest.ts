import { run } from '../src/exec/index.js';
import { distPath } from '../src/util/paths.js';

export interface VitestSplit {
  /** `import('vitest/node')` (in a run, paid when the harness starts inside the sandbox). */
  importMs: number;
  /** startVitest to close: start-up, collecting the scenario files, the tests. */
  runMs: number;
  /** The scenario tests themselves (sum of their durations). */
  testsMs: number;
  /** runMs - testsMs. */
  startupMs: number;
  tests: number;
}

export function parseVitestSplit(output: string): VitestSplit | undefined {
  const line = output
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('vitest-split: '));
  if (!line) return undefined;
  return JSON.parse(line.slice('vitest-split: '.length)) as VitestSplit;
}

/** Re-judges a run's saved evidence in a fresh Node process (no lab: the scenarios only read evidence). */
export async function measureVitest(evidencePath: string): Promise<VitestSplit> {
  const result = await run([process.execPath, distPath('bench/vitest-split.js'), evidencePath], {
    timeoutMs: 120_000,
    label: 'bench:vitest',
  });
  const split = parseVitestSplit(result.stdout);
  if (!split) throw new Error(`vitest-split failed (exit ${result.exitCode}): ${result.stderr.slice(-500)}`);
  return split;
}
