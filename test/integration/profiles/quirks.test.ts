import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_CRITERIA } from '../../../src/criteria/ids.js';
import { isRoot } from '../../helpers/root.js';
import { type CliRun, FIXTURES, statuses, verifyCli } from '../../helpers/verify-cli.js';

/** Our fixture tools with a quirk each, driven by profiles that say it in their own fields (no `sh -c`). */
const FIXTURE_NAMES = ['hardwired-wan', 'short-names', 'foreground-deploy'] as const;

function allPassedBut(failed: Record<string, string>): Record<string, string> {
  return { ...Object.fromEntries(ALL_CRITERIA.map((id) => [id, 'passed'])), ...failed };
}

// Three labs at once on a shared machine: the first one awaited waits for the slowest start.
const LAB_TIMEOUT_MS = 600_000;

describe.skipIf(!isRoot)('profiles for tools with quirks', () => {
  const runs = new Map<string, Promise<CliRun>>();
  const runOf = (name: (typeof FIXTURE_NAMES)[number]) => {
    let run = runs.get(name);
    if (!run) {
      const dir = join(FIXTURES, name);
      run = verifyCli([dir, '--profile', join(dir, 'profile.json')]);
      runs.set(name, run);
    }
    return run;
  };
  // All three at once: each builds its lab in its own sandbox.
  for (const name of FIXTURE_NAMES) void runOf(name).catch(() => undefined);

  it(
    'hardwired-wan: the uplink is named ens33, state path and sudo work: every criterion passes',
    async () => {
      const run = await runOf('hardwired-wan');
      expect(statuses(run.summary), run.stderr).toEqual(allPassedBut({}));
      expect(run.summary.profile.uplink).toBe('ens33');
    },
    LAB_TIMEOUT_MS,
  );

  it(
    'short-names: subnet names of 7 characters, --primary for vpc1 only, an allowed failure: every criterion passes',
    async () => {
      const run = await runOf('short-names');
      expect(statuses(run.summary), run.stderr).toEqual(allPassedBut({}));
      const steps = run.summary.phases.flatMap((p) => p.steps);
      expect(steps.find((s) => s.step === 'addSubnet' && s.phase === 'vpc1')?.commands[0]?.command).toMatch(
        / pub1 /,
      );
      const intra = steps.find((s) => s.step === 'allowIntraVpc');
      expect(intra?.status).toBe('ran');
      expect(intra?.allowedFailures?.[0]).toMatch(/selftest exited with 1/);
    },
    LAB_TIMEOUT_MS,
  );

  it(
    'foreground-deploy: the daemon serves the app; peering opens everything, so only peering-private-blocked fails',
    async () => {
      const run = await runOf('foreground-deploy');
      expect(statuses(run.summary), run.stderr).toEqual(
        allPassedBut({ 'peering-private-blocked': 'failed' }),
      );
      const deploy = run.summary.phases.flatMap((p) => p.steps).find((s) => s.step === 'deployHttp');
      expect(deploy?.daemons?.[0]).toMatchObject({ port: 80, netns: 'vpc1-publicsub' });
    },
    LAB_TIMEOUT_MS,
  );
});
