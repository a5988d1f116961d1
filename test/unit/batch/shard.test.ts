import { describe, expect, it } from 'vitest';
import { formatShard, parseShard, shard } from '../../../src/batch/shard.js';
import { VpcError } from '../../../src/util/errors.js';

/** A deterministic shuffle (LCG), so a failure replays. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const names = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    name: `student-${String((i * 7919) % 1000).padStart(3, '0')}-${i}`,
  }));

describe('parseShard', () => {
  it('parses I/N, 1-based, with optional spaces', () => {
    expect(parseShard('1/2')).toEqual({ index: 1, count: 2 });
    expect(parseShard(' 3 / 3 ')).toEqual({ index: 3, count: 3 });
    expect(formatShard({ index: 2, count: 5 })).toBe('2/5');
  });

  it.each([
    ['0/2', /between 1 and 2 \(shards are numbered from 1\)/],
    ['3/2', /between 1 and 2/],
    ['1/0', /at least 1/],
    ['1-2', /expected I\/N/],
    ['a/b', /expected I\/N/],
    ['1/2/3', /expected I\/N/],
    ['', /expected I\/N/],
    ['-1/2', /expected I\/N/],
  ])('rejects %j with a clear message', (text, message) => {
    let caught: unknown;
    try {
      parseShard(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(VpcError);
    expect((caught as VpcError).code).toBe('E_BAD_INPUT');
    expect((caught as VpcError).message).toMatch(message);
    expect((caught as VpcError).hint).toMatch(/--shard I\/N/);
  });
});

describe('shard', () => {
  it('puts every submission in exactly one shard, sizes within one, for many sizes and splits', () => {
    for (let size = 0; size <= 40; size++) {
      const all = names(size);
      for (let count = 1; count <= 9; count++) {
        const slices = Array.from({ length: count }, (_, i) => shard(all, i + 1, count));
        const seen = slices.flat().map((s) => s.name);
        expect(seen.length).toBe(size);
        expect(new Set(seen)).toEqual(new Set(all.map((s) => s.name)));
        const sizes = slices.map((s) => s.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }
    }
  });

  it('gives the same slice whatever the manifest order', () => {
    for (let size = 1; size <= 30; size += 3) {
      const all = names(size);
      for (let count = 1; count <= 5; count++) {
        for (let index = 1; index <= count; index++) {
          const reference = shard(all, index, count).map((s) => s.name);
          for (let seed = 1; seed <= 5; seed++) {
            expect(shard(shuffled(all, seed * 31 + size), index, count).map((s) => s.name)).toEqual(
              reference,
            );
          }
        }
      }
    }
  });

  it('deals sorted names round-robin (documented order)', () => {
    const all = ['eve', 'bob', 'dan', 'alice', 'carol', 'fay', 'Zed'].map((name) => ({ name }));
    expect(shard(all, 1, 3).map((s) => s.name)).toEqual(['Zed', 'carol', 'fay']);
    expect(shard(all, 2, 3).map((s) => s.name)).toEqual(['alice', 'dan']);
    expect(shard(all, 3, 3).map((s) => s.name)).toEqual(['bob', 'eve']);
  });

  it('does not modify its input', () => {
    const all = [{ name: 'b' }, { name: 'a' }];
    shard(all, 1, 2);
    expect(all.map((s) => s.name)).toEqual(['b', 'a']);
  });

  it('refuses an impossible shard', () => {
    expect(() => shard(names(3), 0, 2)).toThrow(VpcError);
    expect(() => shard(names(3), 3, 2)).toThrow(VpcError);
  });
});
