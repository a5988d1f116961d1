import { describe, expect, it } from 'vitest';
import { parseVitestSplit } from '../../../bench/measure-vitest.js';
import { batchCells, bestBatch, formatReport } from '../../../bench/report.js';
import type { BenchResult } from '../../../bench/result.js';
import { summarize } from '../../../bench/stats.js';
import { evaluateTargets } from '../../../bench/targets.js';

const raw = [
  { submissions: 4, concurrency: 2, wallMs: 40_000, passed: 4 },
  { submissions: 1, concurrency: 1, wallMs: 19_000, passed: 1 },
  { submissions: 4, concurrency: 1, wallMs: 76_000, passed: 4 },
  { submissions: 4, concurrency: 2, wallMs: 44_000, passed: 3 },
  { submissions: 4, concurrency: 4, wallMs: 30_000, cpuMs: 36_000, passed: 4 },
];

describe('batchCells', () => {
  it('groups runs by size and concurrency, in order, keeping each run’s pass count', () => {
    const cells = batchCells(raw);
    expect(cells.map((c) => `${c.submissions}x${c.concurrency}`)).toEqual(['1x1', '4x1', '4x2', '4x4']);
    expect(cells[2]?.wall.median).toBe(42_000);
    expect(cells[2]?.passed).toEqual([4, 3]);
  });
});

describe('bestBatch', () => {
  it('picks the fastest parallel concurrency for the size', () => {
    expect(bestBatch(batchCells(raw), 4)).toEqual({ concurrency: 4, wallMs: 30_000 });
  });

  it('uses concurrency 1 only when nothing parallel ran, and nothing for an unmeasured size', () => {
    expect(bestBatch(batchCells(raw), 1)).toEqual({ concurrency: 1, wallMs: 19_000 });
    expect(bestBatch(batchCells(raw), 20)).toBeUndefined();
  });
});

describe('formatReport', () => {
  const result: BenchResult = {
    schemaVersion: 1,
    startedAt: '2026-11-24T15:00:00.000Z',
    finishedAt: '2026-11-24T16:00:00.000Z',
    options: { runs: 3, checklistRuns: 3, batchRuns: 3, batchSizes: [1, 4], concurrencies: [1, 2, 4] },
    machine: {
      cores: 2,
      memoryGiB: 23.5,
      kernel: '6.1',
      cpuModel: 'Xeon',
      node: 'v20.0.0',
      loadStart: 1,
      loadEnd: 2,
    },
    measurements: {
      'verify.wall': summarize([18_000, 19_000, 20_000]),
      'verify.probes.total': summarize([8000]),
      'verify.probes.vpc1': summarize([2000]),
      'checklist.total': summarize([222_000]),
      'verify.target': summarize([2400]),
      'startup.node': summarize([90, 92, 94]),
      'startup.vpcctl': summarize([99, 105]),
      'setup.noChange': summarize([150]),
    },
    counts: { verifyTargetCommands: 30 },
    batch: batchCells(raw),
    ratios: {
      checklistVsVerify: 222 / 19,
      seedVsReference: 0.25,
      overheadShare: 0.6,
      vpcctlVsNode: 1.2,
      unbundledVsNode: 1.4,
      unbundledVsBundledBuild: 1.3,
    },
    targets: evaluateTargets({ cores: 2, verifyWallMs: 19_000 }),
    problems: ['batch N=4 C=2 run 2: 3/4 passed'],
  };
  const text = formatReport(result);

  it('prints the measurements, one line per phase, the batch speed-ups, the ratios, targets and machine', () => {
    expect(text).toContain('total wall (CLI start to exit)');
    expect(text).toMatch(/probes, phase vpc1 +2\.00 s/);
    expect(text).not.toMatch(/phase total/);
    expect(text).toMatch(
      /N=4 C=4 +30\.0 s .*7\.50 s per submission, 2\.53x vs C=1, CPU 9\.00 s per submission/,
    );
    expect(text).toMatch(/N=4 C=2 .*passed 4\/3/);
    expect(text).toContain('checklist script / full verification: 11.7x');
    expect(text).toContain('✘ full verification of the reference <= 5 s wall');
    expect(text).toContain('Machine: 2 cores, 23.5 GiB memory, Xeon');
  });

  it("shows a call's start-up beside node -e 0, the set-up with nothing to do, and the cost per call", () => {
    expect(text).toMatch(/`node -e 0` +92 ms +90 ms +94 ms +3 /);
    expect(text).toMatch(/`vpcctl --version` \(bin\/vpcctl\) +102 ms/);
    expect(text).toMatch(/`node dist\/src\/vpcctl\/main\.js --version` +- /);
    expect(text).toMatch(/nothing to do +150 ms/);
    expect(text).toContain(
      'vpcctl --version / node -e 0: 1.20x (medians, unbundled 1.40x); fastest calls 1.10x',
    );
    expect(text).toContain('vpcctl calls in a verification: 30, 80 ms each on average');
    expect(text.match(/lab build, unbundled \/ bundled vpcctl: 1\.30x/g)).toHaveLength(1);
  });

  it('lists the problems that make figures doubtful', () => {
    expect(text).toMatch(/Problems.*\n {2}- batch N=4 C=2 run 2: 3\/4 passed/);
  });
});

describe('parseVitestSplit', () => {
  it('reads the last vitest-split line and ignores other output', () => {
    const out = 'noise\nvitest-split: {"importMs":150,"runMs":950,"testsMs":40,"startupMs":910,"tests":16}\n';
    expect(parseVitestSplit(out)?.startupMs).toBe(910);
    expect(parseVitestSplit('nothing')).toBeUndefined();
  });
});
