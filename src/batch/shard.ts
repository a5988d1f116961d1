import { VpcError } from '../util/errors.js';

/** One slice of a batch: shard `index` of `count`, 1-based (`--shard 2/3`). */
export interface ShardSpec {
  index: number;
  count: number;
}

const SHARD_HINT =
  'write --shard I/N with whole numbers 1 <= I <= N, e.g. --shard 1/3 (the first of three slices)';

/** Parse `I/N` (1-based). */
export function parseShard(text: string): ShardSpec {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!match) {
    throw new VpcError('E_BAD_INPUT', `bad shard "${text}": expected I/N, e.g. 2/4`, { hint: SHARD_HINT });
  }
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (!Number.isSafeInteger(count) || count < 1) {
    throw new VpcError('E_BAD_INPUT', `bad shard "${text}": the number of shards N must be at least 1`, {
      hint: SHARD_HINT,
    });
  }
  if (!Number.isSafeInteger(index) || index < 1 || index > count) {
    throw new VpcError(
      'E_BAD_INPUT',
      `bad shard "${text}": the shard number I must be between 1 and ${count} (shards are numbered from 1)`,
      { hint: SHARD_HINT },
    );
  }
  return { index, count };
}

export function formatShard(spec: ShardSpec): string {
  return `${spec.index}/${spec.count}`;
}

/** Code-point order: the same on every machine and locale. */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The submissions of shard `index` of `count`: sort by name, then deal them
 * out round-robin. Sorting makes the slice independent of the manifest's
 * order; dealing keeps the shards' sizes within one of each other. Every
 * submission lands in exactly one shard.
 */
export function shard<T extends { name: string }>(
  submissions: readonly T[],
  index: number,
  count: number,
): T[] {
  if (
    !Number.isSafeInteger(count) ||
    count < 1 ||
    !Number.isSafeInteger(index) ||
    index < 1 ||
    index > count
  ) {
    throw new VpcError('E_BAD_INPUT', `bad shard ${index}/${count}`, { hint: SHARD_HINT });
  }
  return [...submissions]
    .sort((a, b) => compareNames(a.name, b.name))
    .filter((_, position) => position % count === index - 1);
}
