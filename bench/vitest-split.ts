/**
 * Child process of the bench: judges a saved evidence.json with the scenario
 * files the way src/verify/scenarios.ts does, and splits the time into
 * importing vitest, starting it (and collecting the files) and the scenario
 * tests themselves. Prints one line: `vitest-split: {json}`.
 *   node dist/bench/vitest-split.js reports/<run>/evidence.json
 */
const evidencePath = process.argv[2];
if (!evidencePath) {
  process.stderr.write('usage: vitest-split.js EVIDENCE.json\n');
  process.exit(2);
}

const t0 = performance.now();
const { startVitest } = await import('vitest/node');
const importMs = performance.now() - t0;
const { scenarioRunOptions } = await import('../src/verify/scenarios.js');

let testsMs = 0;
let tests = 0;
const t1 = performance.now();
const vitest = await startVitest(
  ...scenarioRunOptions(
    evidencePath,
    [],
    [
      {
        onTestCaseResult(testCase) {
          tests += 1;
          testsMs += testCase.diagnostic()?.duration ?? 0;
        },
      },
    ],
  ),
);
await vitest?.close();
const runMs = performance.now() - t1;
process.exitCode = 0;
process.stdout.write(
  `vitest-split: ${JSON.stringify({ importMs, runMs, testsMs, startupMs: runMs - testsMs, tests })}\n`,
);
