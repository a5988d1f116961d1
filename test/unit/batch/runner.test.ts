import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConcurrency, parseConcurrency } from '../../../src/batch/concurrency.js';
import { type Manifest, parseManifest } from '../../../src/batch/manifest.js';
import { runPool } from '../../../src/batch/pool.js';
import { formatBatchEvent } from '../../../src/batch/progress.js';
import { type BatchEvent, runBatch } from '../../../src/batch/runner.js';
import { validateScoreboard } from '../../../src/batch/scoreboard-files.js';
import { parseCsv } from './csv-reader.js';
import { CLASS, classManifest, fakeVerifier } from './fake-verifier.js';

let root: string;
let manifest: Manifest;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'batch-runner-'));
  manifest = classManifest(root);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('runPool', () => {
  it('keeps at most N in flight, keeps results in order, and isolates a rejection', async () => {
    let inFlight = 0;
    let max = 0;
    const results = await runPool([5, 1, 4, 2, 3, 0, 6], 3, async (n) => {
      inFlight += 1;
      max = Math.max(max, inFlight);
      await new Promise((done) => setTimeout(done, n * 3));
      inFlight -= 1;
      if (n === 4) throw new Error('four');
      return n * 10;
    });
    expect(max).toBe(3);
    expect(results.map((r) => (r.ok ? r.value : `error:${(r.error as Error).message}`))).toEqual([
      50,
      10,
      'error:four',
      20,
      30,
      0,
      60,
    ]);
  });

  it('refuses a concurrency below 1', async () => {
    await expect(runPool([1], 0, async (n) => n)).rejects.toThrow(/concurrency/);
  });
});

describe('defaultConcurrency', () => {
  it('is one per core, at most one per GiB, at least one', () => {
    const GiB = 1024 ** 3;
    expect(defaultConcurrency({ cores: 2, memoryBytes: 24 * GiB })).toBe(2);
    expect(defaultConcurrency({ cores: 16, memoryBytes: 6 * GiB })).toBe(6);
    expect(defaultConcurrency({ cores: 4, memoryBytes: 0.5 * GiB })).toBe(1);
    expect(defaultConcurrency()).toBeGreaterThanOrEqual(1);
  });

  it('parses --concurrency', () => {
    expect(parseConcurrency('3')).toBe(3);
    for (const bad of ['0', '-1', '1.5', 'two', ''])
      expect(() => parseConcurrency(bad)).toThrow(/--concurrency/);
  });
});

describe('runBatch', () => {
  it('runs 9 submissions 3 at a time; crashes, hangs and a missing directory become error rows', async () => {
    const fake = fakeVerifier(CLASS);
    const events: BatchEvent[] = [];
    const outDir = join(root, 'out-all');
    const result = await runBatch(manifest, {
      outDir,
      concurrency: 3,
      verifyOne: fake.verifyOne,
      onEvent: (event) => {
        events.push(event);
        if (event.submission === 'alice') throw new Error('a broken progress printer');
      },
      abortGraceMs: 50,
      now: () => 0,
    });

    expect(fake.maxInFlight()).toBe(3);
    const started = events.filter((e) => e.type === 'started');
    expect(Math.max(...started.map((e) => (e.type === 'started' ? e.inFlight : 0)))).toBeLessThanOrEqual(3);
    expect(started.map((e) => e.submission).sort()).toEqual([...Object.keys(CLASS), 'ghost'].sort());
    expect(events.filter((e) => e.type === 'finished')).toHaveLength(9);
    expect(events.filter((e) => e.type === 'timeout').map((e) => e.submission)).toEqual(['erin']);
    expect(fake.aborted).toEqual(['erin']);
    // The missing directory never reaches the verifier.
    expect(fake.calls.map((c) => c.targetDir)).not.toContain(join(root, 'subs', 'does-not-exist'));

    const board = result.scoreboard;
    const summary = board.rows.map((r) => [r.submission, r.verdict, r.score]);
    expect(summary).toEqual([
      ['alice', 'pass', 11],
      ['bob', 'fail', 9],
      ['carol', 'pass', 11],
      ['dave', 'error', 0],
      ['erin', 'error', 0],
      ['frank', 'fail', 7],
      ['ghost', 'error', 0],
      ['grace', 'pass', 11],
      ['heidi', 'error', 0],
    ]);
    expect(board.totals).toEqual({ submissions: 9, pass: 3, fail: 2, error: 4 });
    expect(result.exitCode).toBe(4);
    const row = (name: string) => board.rows.find((r) => r.submission === name);
    expect(row('dave')?.error).toMatch(/the verifier crashed: TypeError: Cannot read properties/);
    expect(row('erin')?.error).toMatch(/^no result after 300 ms: .*per-submission timeout/);
    expect(row('ghost')?.error).toMatch(
      /directory .*does-not-exist does not exist .*the verifier was not run/,
    );
    expect(row('heidi')?.error).toBe('this machine cannot run labs: unshare: operation not permitted');
    expect(row('heidi')?.exitCode).toBe(3);
    expect(row('alice')?.report).toBe('alice/2026-11-24T15-00-00-000Z-alice/report.html');
    expect(row('alice')?.summary).toBe('alice/2026-11-24T15-00-00-000Z-alice/summary.json');
    expect(existsSync(join(outDir, row('alice')?.report ?? 'x'))).toBe(true);
    expect(row('grace')).toMatchObject({ startedAt: '2026-11-24T15:02:00.000Z', durationMs: 61_000 });
    expect(readFileSync(join(outDir, 'dave', 'batch-error.txt'), 'utf8')).toMatch(/crashed/);
    // The files on disk: JSON valid, CSV and HTML one row per submission, JUnit one suite per submission.
    const names = board.rows.map((r) => r.submission);
    expect(validateScoreboard(JSON.parse(readFileSync(result.files.json, 'utf8')))).toEqual([]);
    const csv = parseCsv(readFileSync(result.files.csv, 'utf8'));
    expect(csv.slice(1).map((r) => [r[0], r[1], r[2]])).toEqual(
      board.rows.map((r) => [r.submission, r.verdict, String(r.score)]),
    );
    const html = readFileSync(result.files.html, 'utf8');
    expect([...html.matchAll(/<tr id="row-([^"]+)">/g)].map((m) => m[1])).toEqual(names);
    const junit = readFileSync(result.files.junit, 'utf8');
    expect([...junit.matchAll(/<testsuite name="([^"]+)"/g)].map((m) => m[1])).toEqual(names);
    expect(junit).toMatch(
      /<testsuites name="vpc-verify-batch" tests="144" failures="5" errors="65" skipped="2">/,
    );
    const lines = events.map((e) => formatBatchEvent(e));
    expect(lines).toContainEqual(expect.stringMatching(/^batch: bob: FAIL 9\/11 in 47\.3 s \[\d\/9 done\]$/));
    expect(lines).toContain('batch: erin: no result after 300 ms, aborting it');
    expect(lines).toContainEqual(
      expect.stringMatching(/^batch: dave: ERROR 0\/11 in 0 ms \(the verifier crashed: TypeError: /),
    );
  });

  it('gives each submission its own folder, its timeouts, start state and profile', async () => {
    const dir = mkdtempSync(join(root, 'opts-'));
    mkdirSync(join(dir, 'a'));
    mkdirSync(join(dir, 'p'));
    const m = parseManifest(
      'defaults: {startState: docker-host, timeouts: {default: 1000}}\nsubmissions:\n  - {name: a, dir: a, profile: p/x.json, timeouts: {steps: {createVpc: 5}}}\n',
      join(dir, 'm.yaml'),
      { checkProfileFiles: false },
    );
    const fake = fakeVerifier({});
    await runBatch(m, { outDir: join(dir, 'out'), concurrency: 1, verifyOne: fake.verifyOne, now: () => 0 });
    expect(fake.calls).toEqual([
      {
        targetDir: join(dir, 'a'),
        profile: join(dir, 'p', 'x.json'),
        outDir: join(dir, 'out', 'a'),
        timeoutsMs: { createVpc: 5, default: 1000 },
        startState: 'docker-host',
        signal: expect.any(AbortSignal),
      },
    ]);
  });

  it('survives a verifyOne that throws synchronously and one that hangs ignoring the abort', async () => {
    const dir = mkdtempSync(join(root, 'sync-'));
    for (const n of ['sync', 'deaf', 'ok']) mkdirSync(join(dir, n));
    const m = parseManifest(
      'submissions:\n  - {name: sync, dir: sync}\n  - {name: deaf, dir: deaf, timeouts: {overall: 100}}\n  - {name: ok, dir: ok}\n',
      join(dir, 'm.yaml'),
    );
    const fake = fakeVerifier({ sync: { kind: 'throw-sync' }, deaf: { kind: 'hang', honoursAbort: false } });
    const started = Date.now();
    const result = await runBatch(m, {
      outDir: join(dir, 'out'),
      concurrency: 2,
      verifyOne: fake.verifyOne,
      abortGraceMs: 50,
    });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.scoreboard.rows.map((r) => [r.submission, r.verdict])).toEqual([
      ['deaf', 'error'],
      ['ok', 'pass'],
      ['sync', 'error'],
    ]);
    expect(result.scoreboard.rows[0]?.durationMs).toBeGreaterThanOrEqual(100);
    expect(result.scoreboard.rows[2]?.error).toMatch(/synchronous failure for sync/);
  });

  it('runs only its shard and records it', async () => {
    const fake = fakeVerifier(CLASS);
    const result = await runBatch(manifest, {
      outDir: join(root, 'out-shard'),
      concurrency: 4,
      shard: { index: 2, count: 3 },
      verifyOne: fake.verifyOne,
      abortGraceMs: 10,
      now: () => 0,
    });
    expect(result.scoreboard.shard).toEqual({ index: 2, count: 3 });
    // Sorted: alice bob carol dave erin frank ghost grace heidi -> positions 1, 4, 7.
    expect(result.scoreboard.rows.map((r) => r.submission)).toEqual(['bob', 'erin', 'grace']);
  });

  it('writes an empty scoreboard for an empty shard', async () => {
    const m = parseManifest('submissions:\n  - {name: only, dir: .}\n', join(root, 'm.yaml'));
    const result = await runBatch(m, {
      outDir: join(root, 'out-empty'),
      shard: { index: 2, count: 2 },
      verifyOne: fakeVerifier({}).verifyOne,
    });
    expect(result.scoreboard.rows).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(readFileSync(result.files.html, 'utf8')).toContain('no submission in this shard');
  });
});
