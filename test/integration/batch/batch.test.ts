import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { XMLParser } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Scoreboard } from '../../../src/batch/index.js';
import { distPath, PACKAGE_ROOT } from '../../../src/util/paths.js';
import { isRoot } from '../../helpers/root.js';
import { FIXTURES } from '../../helpers/verify-cli.js';

const SUBMISSIONS = [
  { name: 'reference', dir: PACKAGE_ROOT, profile: 'seed' },
  { name: 'reference-docker-host', dir: PACKAGE_ROOT, profile: 'seed', startState: 'docker-host' },
  {
    name: 'positional',
    dir: join(FIXTURES, 'positional'),
    profile: join(FIXTURES, 'positional', 'profile.json'),
  },
  // The built-in `positional` example has no allow-cidr and no deploy command.
  { name: 'positional-builtin', dir: join(FIXTURES, 'positional'), profile: 'positional' },
  {
    name: 'do-nothing',
    dir: join(FIXTURES, 'do-nothing'),
    profile: join(FIXTURES, 'do-nothing', 'profile.json'),
  },
  { name: 'hang', dir: join(FIXTURES, 'hang'), profile: join(FIXTURES, 'hang', 'profile.json') },
];

async function cli(args: string[]) {
  return execa(process.execPath, [distPath('src/verify/main.js'), ...args], {
    reject: false,
    env: { CI: 'true' },
  });
}

function board(dir: string): Scoreboard {
  return JSON.parse(readFileSync(join(dir, 'scoreboard.json'), 'utf8')) as Scoreboard;
}

/** What a grader reads off a row: verdict, score and every criterion's status (durations differ run to run). */
function verdicts(scoreboard: Scoreboard) {
  return scoreboard.rows.map((r) => ({
    submission: r.submission,
    verdict: r.verdict,
    score: r.score,
    criteria: Object.fromEntries(r.criteria.map((c) => [c.id, c.status])),
  }));
}

describe.skipIf(!isRoot)('vpc-verify batch', () => {
  const work = mkdtempSync(join(tmpdir(), 'batch-'));
  const manifest = join(work, 'class.json');
  let full: Scoreboard;

  beforeAll(async () => {
    writeFileSync(manifest, JSON.stringify({ version: 1, submissions: SUBMISSIONS }, null, 2));
    const run = await cli(['batch', manifest, '--concurrency', '3', '--out', join(work, 'all')]);
    expect(run.exitCode, run.stderr).toBe(1);
    full = board(join(work, 'all'));
  }, 600_000);

  it('judges each submission in its own sandbox: one row per submission with the right verdicts', () => {
    const rows = new Map(full.rows.map((r) => [r.submission, r]));
    expect([...rows.keys()].sort()).toEqual(SUBMISSIONS.map((s) => s.name).sort());
    expect(rows.get('reference')?.verdict).toBe('pass');
    expect(rows.get('reference-docker-host')?.verdict).toBe('pass');
    expect(rows.get('positional')?.verdict).toBe('pass');
    expect(rows.get('reference')?.score).toBe(11);
    expect(rows.get('do-nothing')?.score).toBe(0);
    expect(rows.get('hang')?.score).toBe(0);
    const builtin = Object.fromEntries(
      rows.get('positional-builtin')?.criteria.map((c) => [c.id, c.status]) ?? [],
    );
    expect(builtin['peering-public']).toBe('not-run');
    expect(builtin['vpc-created']).toBe('passed');
  });

  it('writes the scoreboard as CSV and HTML too, and one JUnit suite per submission', () => {
    const csv = readFileSync(join(work, 'all', 'scoreboard.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(csv).toHaveLength(SUBMISSIONS.length + 1);
    expect(csv[0]).toContain('vpc-created');
    const html = readFileSync(join(work, 'all', 'scoreboard.html'), 'utf8');
    for (const s of SUBMISSIONS) expect(html).toContain(s.name);
    const junit = new XMLParser({ ignoreAttributes: false }).parse(
      readFileSync(join(work, 'all', 'junit.xml'), 'utf8'),
    );
    const suites = [junit.testsuites.testsuite].flat() as { '@_name': string }[];
    expect(suites.map((s) => s['@_name']).sort()).toEqual(SUBMISSIONS.map((s) => s.name).sort());
  });

  it('sharded 1/2 + 2/2 and merged gives the same scoreboard as the whole class at once', async () => {
    const [one, two] = await Promise.all([
      cli(['batch', manifest, '--shard', '1/2', '--concurrency', '2', '--out', join(work, 'shard1')]),
      cli(['batch', manifest, '--shard', '2/2', '--concurrency', '2', '--out', join(work, 'shard2')]),
    ]);
    expect(
      [one.exitCode, two.exitCode].every((c) => c === 0 || c === 1),
      `${one.stderr}\n${two.stderr}`,
    ).toBe(true);
    const merged = await cli([
      'merge',
      join(work, 'shard1'),
      join(work, 'shard2'),
      '--out',
      join(work, 'merged'),
    ]);
    expect(merged.exitCode, merged.stderr).toBe(1);
    expect(verdicts(board(join(work, 'merged')))).toEqual(verdicts(full));
  }, 600_000);
});
