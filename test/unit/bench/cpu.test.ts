import { describe, expect, it } from 'vitest';
import { childCpuTicks } from '../../../bench/cpu.js';

describe('childCpuTicks', () => {
  it('adds cutime and cstime (fields 16 and 17)', () => {
    const stat = '4242 (node) S 1 4242 4242 0 -1 4194304 100 200 0 0 37 12 715 180 20 0 11 0 123 456 789';
    expect(childCpuTicks(stat)).toBe(895);
  });

  it('is not thrown off by spaces and parentheses in the command name', () => {
    const stat = '7 (a b) c)) R 1 7 7 0 -1 0 0 0 0 0 1 2 30 40 20 0 1 0 5 6 7';
    expect(childCpuTicks(stat)).toBe(70);
  });

  it('refuses text that is not a stat line', () => {
    expect(() => childCpuTicks('nonsense')).toThrow(/unreadable/);
  });
});
