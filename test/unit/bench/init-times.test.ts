import { describe, expect, it } from 'vitest';
import { formatInitTimings, initTimings } from '../../../bench/init-times.js';

describe('init timings', () => {
  it('takes the median per fixture, in the order first seen', () => {
    const rows = initTimings([
      { fixture: 'init-b', ms: 30_000, proved: 10, steps: 11 },
      { fixture: 'init-a', ms: 5_000, proved: 11, steps: 11 },
      { fixture: 'init-b', ms: 10_000, proved: 10, steps: 11 },
      { fixture: 'init-b', ms: 20_000, proved: 9, steps: 11 },
    ]);
    expect(rows.map((r) => [r.fixture, r.time.median, r.time.n, r.proved])).toEqual([
      ['init-b', 20_000, 3, [10, 10, 9]],
      ['init-a', 5_000, 1, [11]],
    ]);
    const text = formatInitTimings(rows);
    expect(text).toMatch(/init-b\s+20\.0 s/);
    expect(text).toMatch(/10\/9 of 11/);
  });

  it('says when nothing was measured', () => {
    expect(formatInitTimings(initTimings([]))).toBe('vpc-verify init: not measured');
  });
});
