import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import type { Scoreboard } from '../../../src/batch/index.js';
import { INFERRED_PROFILE_FILE } from '../../../src/init/files.js';
import { inferProfile } from '../../../src/init/init.js';
import { distPath, PACKAGE_ROOT } from '../../../src/util/paths.js';
import { isRoot } from '../../helpers/root.js';
import { FIXTURES, statuses, verifyCli } from '../../helpers/verify-cli.js';

/**
 * `vpc-verify init` on tools of different grammars: the profile it infers
 * must drive the lab to exactly the verdicts of the fixture's hand-written
 * profile. Sandboxes are heavy on a 2-core machine: at most 3 at once.
 */

const FIXTURE_NAMES = [
  'init-positional',
  'init-verb-noun',
  'init-flag-values',
  'init-one-create',
  'init-python-pkg',
  'init-noexec',
  'init-readme-wrong',
  'init-no-deploy',
];

function limiter(slots: number) {
  let free = slots;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (free === 0) await new Promise<void>((r) => waiting.push(r));
    else free -= 1;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else free += 1;
    }
  };
}
const slot = limiter(3);

describe.skipIf(!isRoot)('vpc-verify init', () => {
  it("finds the seed profile's steps on the reference vpcctl", async () => {
    const result = await slot(() => inferProfile(PACKAGE_ROOT));
    const seed = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'src/profiles/builtin/seed.json'), 'utf8'));
    expect(result.profile.command).toEqual(seed.command);
    expect(result.profile.steps).toEqual(seed.steps);
    expect(result.lines.every((l) => l.outcome === 'proved')).toBe(true);
  }, 600_000);

  for (const name of FIXTURE_NAMES) {
    it.concurrent(`${name}: the inferred profile gives the hand-written profile's verdicts`, async () => {
      const dir = join(FIXTURES, name);
      const out = join(mkdtempSync(join(tmpdir(), 'vpc-init-test-')), 'profile.json');
      const result = await slot(() => inferProfile(dir, { out }));
      const [hand, inferred] = await Promise.all([
        slot(() => verifyCli([dir, '--profile', join(dir, 'profile.json')])),
        slot(() => verifyCli([dir, '--profile', out])),
      ]);
      // Equal verdicts mean nothing if the harness could not judge either run.
      const judged = hand.summary.criteria.filter((c) => c.status !== 'error');
      expect(judged.length, hand.summary.criteria[0]?.message).toBeGreaterThan(0);
      expect(statuses(inferred.summary), JSON.stringify(result.lines, null, 1)).toEqual(
        statuses(hand.summary),
      );
      // Every step not proved by its effect carries its reason for the grader.
      for (const line of result.lines.filter((l) => l.outcome !== 'proved')) {
        expect(
          result.profile.notes?.some((n) => n.startsWith(`${line.step}:`)),
          line.step,
        ).toBe(true);
      }
    }, 1_200_000);
  }

  it.concurrent('vpc-verify --profile auto and a batch manifest with profile: auto', async () => {
    const dir = join(FIXTURES, 'init-flag-values');
    const run = await slot(() => verifyCli([dir, '--profile', 'auto']));
    expect(run.summary.profile.inferred).toBe(true);
    expect(run.summary.profile.path).toBe(join(run.reportsDir, INFERRED_PROFILE_FILE));
    expect(
      JSON.parse(readFileSync(join(run.reportsDir, INFERRED_PROFILE_FILE), 'utf8')).steps.createVpc,
    ).toEqual(['--create-vpc', '{vpc}', '{cidr}']);
    expect(readFileSync(join(run.reportsDir, 'report.html'), 'utf8')).toContain(
      `href="${INFERRED_PROFILE_FILE}"`,
    );
    expect(run.summary.verdict).toBe('pass');

    const work = mkdtempSync(join(tmpdir(), 'vpc-init-batch-'));
    const manifest = join(work, 'class.yaml');
    writeFileSync(
      manifest,
      `version: 1\nsubmissions:\n  - name: flags\n    dir: ${dir}\n    profile: auto\n`,
    );
    const batch = await slot(() =>
      execa(
        process.execPath,
        [distPath('src/verify/main.js'), 'batch', manifest, '--concurrency', '1', '--out', join(work, 'out')],
        {
          reject: false,
          env: { CI: 'true' },
        },
      ),
    );
    const board = JSON.parse(readFileSync(join(work, 'out', 'scoreboard.json'), 'utf8')) as Scoreboard;
    expect(
      board.rows.map((r) => [r.submission, r.verdict]),
      batch.stderr,
    ).toEqual([['flags', 'pass']]);
  }, 1_200_000);
});
