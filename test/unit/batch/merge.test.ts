import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../../src/batch/manifest.js';
import { merge, mergeScoreboards } from '../../../src/batch/merge.js';
import { runBatch } from '../../../src/batch/runner.js';
import type { Scoreboard } from '../../../src/batch/scoreboard.js';
import { readScoreboard, SCOREBOARD_FILES } from '../../../src/batch/scoreboard-files.js';
import { VpcError } from '../../../src/util/errors.js';
import { CLASS, classManifest, fakeVerifier } from './fake-verifier.js';

let root: string;
let manifest: Manifest;

async function batch(outDir: string, shard?: { index: number; count: number }) {
  return runBatch(manifest, {
    outDir,
    concurrency: 3,
    verifyOne: fakeVerifier(CLASS).verifyOne,
    abortGraceMs: 10,
    now: () => 0,
    ...(shard ? { shard } : {}),
  });
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'batch-merge-'));
  manifest = classManifest(root);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('merge', () => {
  it('shard 1/2 + shard 2/2, merged, gives the unsharded outputs byte for byte', async () => {
    const whole = await batch(join(root, 'whole'));
    const one = await batch(join(root, 'shard-1'), { index: 1, count: 2 });
    const two = await batch(join(root, 'shard-2'), { index: 2, count: 2 });
    expect(one.scoreboard.rows.length + two.scoreboard.rows.length).toBe(whole.scoreboard.rows.length);
    expect(one.scoreboard.rows.length).toBeGreaterThan(0);
    expect(two.scoreboard.rows.length).toBeGreaterThan(0);

    // Given in the "wrong" order, as downloaded artifacts may be.
    const merged = merge([join(root, 'shard-2'), join(root, 'shard-1')], join(root, 'merged'));
    for (const file of Object.values(SCOREBOARD_FILES)) {
      const expected = readFileSync(join(root, 'whole', file));
      const actual = readFileSync(join(root, 'merged', file));
      expect(actual.equals(expected), `${file} differs`).toBe(true);
    }
    expect(merged.scoreboard).toEqual(whole.scoreboard);
    // The reports were copied along, so the links work from the merged folder.
    for (const row of merged.scoreboard.rows) {
      if (row.report !== null) expect(existsSync(join(root, 'merged', row.report))).toBe(true);
    }
    expect(existsSync(join(root, 'merged', 'dave', 'batch-error.txt'))).toBe(true);
  });

  it('refuses an incomplete or inconsistent set of shards, and a submission seen twice', async () => {
    await batch(join(root, 'a-1'), { index: 1, count: 3 });
    await batch(join(root, 'a-2'), { index: 2, count: 3 });
    await batch(join(root, 'b-1'), { index: 1, count: 2 });
    await batch(join(root, 'w'));
    const boards = (dirs: string[]): Scoreboard[] => dirs.map((d) => readScoreboard(join(root, d)));
    const fails = (dirs: string[], message: RegExp, options = {}) => {
      let caught: unknown;
      try {
        mergeScoreboards(boards(dirs), options);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(VpcError);
      expect((caught as VpcError).message).toMatch(message);
    };
    fails(['a-1', 'a-2'], /incomplete set of shards: missing 3\/3/);
    fails(['a-1', 'a-1'], /shard 1\/3 given more than once/);
    fails(['a-1', 'b-1'], /cannot merge shards of different splits: 1\/3, 1\/2/);
    fails(['w', 'a-1'], /different splits: whole batch, 1\/3/);
    fails(['w', 'w'], /submission "alice" appears in more than one scoreboard/);
    fails([], /nothing to merge/);
    const partial = mergeScoreboards(boards(['a-1', 'a-2']), { allowPartial: true });
    expect(partial.shard).toBeNull();
    expect(partial.rows.map((r) => r.submission)).toEqual(['alice', 'bob', 'dave', 'erin', 'ghost', 'grace']);
  });

  it('says which folder holds no valid scoreboard', () => {
    const dir = mkdtempSync(join(root, 'bad-'));
    expect(() => merge([dir], join(root, 'out-bad'))).toThrow(/cannot read .*scoreboard\.json/);
    writeFileSync(
      join(dir, 'scoreboard.json'),
      JSON.stringify({ schemaVersion: 1, kind: 'vpc-verify-scoreboard' }),
    );
    expect(() => merge([dir], join(root, 'out-bad'))).toThrow(
      /is not a valid scoreboard:\n {2}\/shard: missing required key/,
    );
  });
});
