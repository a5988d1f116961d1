import { describe, expect, it } from 'vitest';
import { median, ratio, Samples, summarize } from '../../../bench/stats.js';

describe('median', () => {
  it('takes the middle value of an odd count, whatever the order', () => {
    expect(median([30, 10, 20])).toBe(20);
    expect(median([5])).toBe(5);
  });

  it('averages the middle two of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('is NaN for no values', () => {
    expect(median([])).toBeNaN();
  });

  it('does not reorder its input', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('summarize', () => {
  it('gives median, min, max and count', () => {
    expect(summarize([18_000, 25_000, 17_500])).toEqual({
      n: 3,
      median: 18_000,
      min: 17_500,
      max: 25_000,
      samples: [18_000, 25_000, 17_500],
    });
  });
});

describe('ratio', () => {
  it('divides', () => {
    expect(ratio(220_000, 20_000)).toBe(11);
  });

  it('has no value when a side is missing or the divisor is not positive', () => {
    expect(ratio(undefined, 1)).toBeUndefined();
    expect(ratio(1, undefined)).toBeUndefined();
    expect(ratio(1, 0)).toBeUndefined();
    expect(ratio(Number.NaN, 2)).toBeUndefined();
  });
});

describe('Samples', () => {
  it('keeps names in first-use order and summarizes each', () => {
    const s = new Samples();
    s.add('b', 2);
    s.add('a', 1);
    s.add('b', 4);
    expect(s.names()).toEqual(['b', 'a']);
    expect(s.get('b')?.median).toBe(3);
    expect(s.get('missing')).toBeUndefined();
    expect(Object.keys(s.toJSON())).toEqual(['b', 'a']);
  });

  it('drops values that are not finite (a broken run adds nothing)', () => {
    const s = new Samples();
    s.add('x', Number.NaN);
    s.add('x', 5);
    expect(s.get('x')?.n).toBe(1);
  });
});
