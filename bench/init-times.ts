import { formatMs } from './format.js';
import { type Stat, summarize } from './stats.js';

/** One `vpc-verify init` run on a fixture: its time and how many steps it proved. */
export interface InitSample {
  fixture: string;
  ms: number;
  proved: number;
  steps: number;
}

export interface InitTiming {
  fixture: string;
  time: Stat;
  /** Proved steps per run (the same in every run when init is stable). */
  proved: number[];
  steps: number;
}

/** Per fixture, in the order first seen: the time of its runs (median of them) and the steps proved. */
export function initTimings(samples: readonly InitSample[]): InitTiming[] {
  const order = [...new Set(samples.map((s) => s.fixture))];
  return order.map((fixture) => {
    const mine = samples.filter((s) => s.fixture === fixture);
    return {
      fixture,
      time: summarize(mine.map((s) => s.ms)),
      proved: mine.map((s) => s.proved),
      steps: Math.max(...mine.map((s) => s.steps)),
    };
  });
}

export function formatInitTimings(rows: readonly InitTiming[]): string {
  if (rows.length === 0) return 'vpc-verify init: not measured';
  const width = Math.max(...rows.map((r) => r.fixture.length), 'fixture'.length);
  const lines = rows.map(
    (r) =>
      `  ${r.fixture.padEnd(width)}  ${formatMs(r.time.median).padStart(8)}  ${`${formatMs(r.time.min)}..${formatMs(r.time.max)}`.padStart(16)}  ${r.time.n}  ${[...new Set(r.proved)].join('/')} of ${r.steps}`,
  );
  return [
    'vpc-verify init per fixture (median of the runs):',
    `  ${'fixture'.padEnd(width)}  ${'median'.padStart(8)}  ${'range'.padStart(16)}  n  steps proved`,
    ...lines,
  ].join('\n');
}
