import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffSnapshots, hostSnapshot } from '../../../lab/sandbox/host-snapshot.js';
import { STAGE4_CRITERIA } from '../../../src/criteria/ids.js';
import { expectValidReports } from '../../helpers/reports-check.js';
import { isRoot } from '../../helpers/root.js';
import { FIXTURES, statuses, verifyCli } from '../../helpers/verify-cli.js';

describe.skipIf(!isRoot)('vpc-verify on targets that do not work', () => {
  it('fails every criterion of a target that only echoes, each with an honest reason, none vacuously', async () => {
    const dir = join(FIXTURES, 'do-nothing');
    const before = await hostSnapshot();
    const run = await verifyCli([dir, '--profile', join(dir, 'profile.json')]);
    expect(diffSnapshots(before, await hostSnapshot())).toEqual([]);
    expect(run.exitCode).toBe(1);
    expectValidReports(run);
    expect(run.summary.verdict).toBe('fail');
    for (const criterion of run.summary.criteria) {
      expect(criterion.status, `${criterion.id}: ${criterion.message}`).not.toBe('passed');
      expect(criterion.message.length, criterion.id).toBeGreaterThan(10);
    }
    const created = run.summary.criteria.find((c) => c.id === 'vpc-created');
    expect(created?.message).toMatch(/namespace|not found|10\.0\.1\.0\/24/);
  }, 300_000);

  it('kills each hanging step at its timeout and still completes the run with reports', async () => {
    const dir = join(FIXTURES, 'hang');
    const before = await hostSnapshot();
    const run = await verifyCli([dir, '--profile', join(dir, 'profile.json')]);
    expect(diffSnapshots(before, await hostSnapshot())).toEqual([]);
    expect(run.exitCode).toBe(1);
    expect(run.summary.deadlineHit).toBe(false);
    expect(new Set(Object.values(statuses(run.summary)))).toEqual(new Set(['failed']));
    expectValidReports(run);
    const steps = run.summary.phases.flatMap((p) => p.steps);
    expect(steps.length).toBeGreaterThan(10);
    for (const step of steps.filter((s) => s.commands.length > 0))
      expect(step.status, step.step).toBe('timeout');
    for (const id of STAGE4_CRITERIA) {
      expect(run.summary.criteria.find((c) => c.id === id)?.status, id).not.toBe('passed');
    }
  }, 300_000);
});
