import { describe, expect, it } from 'vitest';
import { formatMs, formatRatio, formatTable } from '../../../bench/format.js';
import { summarize } from '../../../bench/stats.js';

describe('formatMs', () => {
  it('uses ms below a second and fewer decimals as values grow', () => {
    expect(formatMs(524.6)).toBe('525 ms');
    expect(formatMs(4563)).toBe('4.56 s');
    expect(formatMs(18_066)).toBe('18.1 s');
    expect(formatMs(222_160)).toBe('222 s');
  });

  it('shows a missing value as a dash', () => {
    expect(formatMs(undefined)).toBe('-');
    expect(formatMs(Number.NaN)).toBe('-');
  });
});

describe('formatRatio', () => {
  it('keeps two decimals for small factors and one for large ones', () => {
    expect(formatRatio(0.2345)).toBe('0.23x');
    expect(formatRatio(12.34)).toBe('12.3x');
    expect(formatRatio(undefined)).toBe('-');
  });
});

describe('formatTable', () => {
  it('aligns the statistics in columns under a header, with headings and notes', () => {
    const text = formatTable([
      { heading: 'Build' },
      { label: 'reference', stat: summarize([2000, 2200, 2100]), note: '15 calls' },
      { label: 'seed script', stat: summarize([500]) },
      { label: 'skipped', stat: undefined },
    ]);
    expect(text.split('\n')).toEqual([
      '             median     min     max  runs',
      '',
      'Build',
      'reference    2.10 s  2.00 s  2.20 s     3  15 calls',
      'seed script  500 ms  500 ms  500 ms     1',
      'skipped           -       -       -     -',
    ]);
  });
});
