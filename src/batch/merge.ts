import { cpSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { VpcError } from '../util/errors.js';
import { buildScoreboard, type Scoreboard } from './scoreboard.js';
import { readScoreboard, type ScoreboardPaths, writeScoreboardFiles } from './scoreboard-files.js';
import { formatShard } from './shard.js';

/**
 * Join scoreboards (pure). Shards must be one complete set (every I of the
 * same N once); a submission may appear in only one of them. Whole-batch
 * scoreboards (shard null) may be joined with each other too.
 */
export function mergeScoreboards(
  boards: readonly Scoreboard[],
  options: { allowPartial?: boolean } = {},
): Scoreboard {
  if (boards.length === 0) {
    throw new VpcError('E_BAD_INPUT', 'nothing to merge: no scoreboard given', {
      hint: 'vpc-verify merge SHARD_DIR... --out DIR',
    });
  }
  const sharded = boards.filter((b) => b.shard !== null);
  if (sharded.length > 0) {
    const counts = new Set(sharded.map((b) => b.shard?.count));
    if (counts.size > 1 || sharded.length !== boards.length) {
      throw new VpcError(
        'E_BAD_INPUT',
        `cannot merge shards of different splits: ${boards.map((b) => (b.shard ? formatShard(b.shard) : 'whole batch')).join(', ')}`,
        { hint: 'merge the outputs of one `--shard I/N` split, all with the same N' },
      );
    }
    const count = sharded[0]?.shard?.count ?? 0;
    const seen = new Map<number, number>();
    for (const b of sharded) seen.set(b.shard?.index ?? 0, (seen.get(b.shard?.index ?? 0) ?? 0) + 1);
    const twice = [...seen].filter(([, n]) => n > 1).map(([i]) => `${i}/${count}`);
    if (twice.length > 0) {
      throw new VpcError('E_BAD_INPUT', `shard ${twice.join(', ')} given more than once`, {
        hint: 'give each shard output folder once',
      });
    }
    const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
    if (missing.length > 0 && !options.allowPartial) {
      throw new VpcError(
        'E_BAD_INPUT',
        `incomplete set of shards: missing ${missing.map((i) => `${i}/${count}`).join(', ')}`,
        { hint: 'download every shard artifact (or pass --allow-partial to merge what there is)' },
      );
    }
  }
  const owner = new Map<string, number>();
  boards.forEach((b, index) => {
    for (const row of b.rows) {
      const first = owner.get(row.submission);
      if (first !== undefined) {
        throw new VpcError(
          'E_CONFLICT',
          `submission "${row.submission}" appears in more than one scoreboard (inputs ${first + 1} and ${index + 1})`,
          { hint: 'each submission must be verified in exactly one shard' },
        );
      }
      owner.set(row.submission, index);
    }
  });
  return buildScoreboard(
    boards.flatMap((b) => b.rows),
    null,
  );
}

export interface MergeResult {
  scoreboard: Scoreboard;
  files: ScoreboardPaths;
}

/**
 * `vpc-verify merge DIR... --out OUT`: read each shard's scoreboard.json,
 * copy each submission's own folder (its reports) into OUT so the links stay
 * valid, and write the merged scoreboard files. The outputs are rebuilt from
 * the rows (junit.xml included), so they are byte-identical to an unsharded
 * run with the same results.
 */
export function merge(
  dirs: readonly string[],
  outDir: string,
  options: { allowPartial?: boolean; copyReports?: boolean } = {},
): MergeResult {
  const boards = dirs.map((dir) => readScoreboard(dir));
  const scoreboard = mergeScoreboards(boards, options);
  const out = resolve(outDir);
  if (options.copyReports ?? true) {
    dirs.forEach((dir, index) => {
      if (resolve(dir) === out) return;
      for (const row of boards[index]?.rows ?? []) {
        const from = join(dir, row.submission);
        if (existsSync(from)) cpSync(from, join(out, row.submission), { recursive: true });
      }
    });
  }
  return { scoreboard, files: writeScoreboardFiles(out, scoreboard) };
}
