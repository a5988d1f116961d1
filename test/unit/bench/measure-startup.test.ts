import { describe, expect, it } from 'vitest';
import { interleave, STARTUP_COMMANDS } from '../../../bench/measure-startup.js';

describe('interleave', () => {
  it('runs each item once a round, each round starting one further along', () => {
    expect(interleave(['a', 'b', 'c'], 4)).toEqual([
      'a',
      'b',
      'c',
      'b',
      'c',
      'a',
      'c',
      'a',
      'b',
      'a',
      'b',
      'c',
    ]);
  });

  it('gives every item the same number of calls and every position to each item', () => {
    const order = interleave(['a', 'b', 'c'], 3);
    for (const item of ['a', 'b', 'c']) {
      expect(order.filter((x) => x === item)).toHaveLength(3);
      const positions = order.flatMap((x, i) => (x === item ? [i % 3] : []));
      expect(new Set(positions)).toEqual(new Set([0, 1, 2]));
    }
  });

  it('no rounds, no calls', () => {
    expect(interleave(['a'], 0)).toEqual([]);
  });
});

describe('STARTUP_COMMANDS', () => {
  it('times the shipped bin/vpcctl and the unbundled CLI with the same argument, beside bare node', () => {
    expect(STARTUP_COMMANDS.node).toEqual(['node', '-e', '0']);
    expect(STARTUP_COMMANDS.vpcctl[0]).toMatch(/\/bin\/vpcctl$/);
    expect(STARTUP_COMMANDS.unbundled[1]).toMatch(/\/dist\/src\/vpcctl\/main\.js$/);
    expect(STARTUP_COMMANDS.vpcctl.at(-1)).toBe('--version');
    expect(STARTUP_COMMANDS.unbundled.at(-1)).toBe('--version');
  });
});
