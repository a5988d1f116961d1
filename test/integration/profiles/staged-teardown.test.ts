import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_CRITERIA } from '../../../src/criteria/ids.js';
import { isRoot } from '../../helpers/root.js';
import { FIXTURES, statuses, verifyCli } from '../../helpers/verify-cli.js';

const LAB_TIMEOUT_MS = 600_000;

describe.skipIf(!isRoot)('a profile with setup, teardownSubnet, teardownAll and allowCidr impliedBy', () => {
  it(
    'staged-teardown: runs in the folder setup makes, removes subnets before their VPC, purges last: every criterion passes',
    async () => {
      const dir = join(FIXTURES, 'staged-teardown');
      const run = await verifyCli([dir, '--profile', join(dir, 'profile.json')]);
      expect(statuses(run.summary), run.stderr).toEqual(
        Object.fromEntries(ALL_CRITERIA.map((id) => [id, 'passed'])),
      );
      const steps = run.summary.phases.flatMap((p) => p.steps);
      const of = (step: string) => steps.filter((s) => s.step === step).map((s) => `${s.phase} ${s.status}`);
      expect(of('setup')).toEqual(['bad-input ran']);
      expect(of('teardownSubnet')).toEqual(Array(4).fill('teardown ran'));
      expect(of('teardownAll')).toEqual(['teardown ran']);
      expect(of('allowCidr')).toEqual(['peering skipped', 'peering skipped']);
      expect(steps.find((s) => s.step === 'allowCidr')?.message).toMatch(
        /step peerVpcs already does allowCidr/,
      );
    },
    LAB_TIMEOUT_MS,
  );
});
