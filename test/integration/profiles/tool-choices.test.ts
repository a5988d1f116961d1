import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { ALL_CRITERIA } from '../../../src/criteria/ids.js';
import { distPath } from '../../../src/util/paths.js';
import { isRoot } from '../../helpers/root.js';
import { FIXTURES, readReport, statuses, verifyCli } from '../../helpers/verify-cli.js';

/**
 * Profiles for tools that decide things themselves: the subnet CIDRs (by
 * order), and a helper program they insist on (`requires`). The helper is
 * "installed" by a stand-in apt-get first on PATH, so the host's packages are
 * never touched; it lives under /var/tmp because the sandbox's /tmp is private.
 */
const LAB_TIMEOUT_MS = 600_000;
const allPassed = () => Object.fromEntries(ALL_CRITERIA.map((id) => [id, 'passed']));

describe.skipIf(!isRoot)('profiles for tools that choose for themselves', () => {
  const aptDir = mkdtempSync('/var/tmp/vpc-fake-apt-');
  copyFileSync(join(FIXTURES, 'needs-helper', 'fake-apt-get'), join(aptDir, 'apt-get'));
  const path = `${aptDir}:${process.env.PATH ?? ''}`;
  afterAll(() => rmSync(aptDir, { recursive: true, force: true }));

  const byOrder = join(FIXTURES, 'cidr-by-order');
  const helper = join(FIXTURES, 'needs-helper');
  const byOrderRun = verifyCli([byOrder, '--profile', join(byOrder, 'profile.json')]);
  const helperRun = verifyCli([helper, '--profile', join(helper, 'profile.json')], { env: { PATH: path } });
  for (const run of [byOrderRun, helperRun]) void run.catch(() => undefined);

  it(
    'cidr-by-order: the tool picks subnet CIDRs by order; the check it cannot be given is skipped, named, and neutral',
    async () => {
      const run = await byOrderRun;
      expect(statuses(run.summary), run.stderr).toEqual(allPassed());
      const rejects = run.summary.criteria.find((c) => c.id === 'rejects-bad-input');
      expect(rejects?.message).toMatch(
        /1 not put to the tool: add-subnet .*outside its VPC.*subnetCidrs: "tool-by-order"/,
      );
      const subnetSteps = run.summary.phases
        .flatMap((p) => p.steps)
        .filter((s) => s.step === 'addSubnet' && s.phase !== 'bad-input');
      // The lab never hands it a CIDR: the commands are `add-subnet VPC NAME`.
      expect(subnetSteps.length).toBeGreaterThan(0);
      for (const step of subnetSteps) expect(step.commands[0]?.command).not.toMatch(/\/\d+/);
      expect(readReport(run, 'transcript.log')).toMatch(/subnet publicsub of vpc1 is 10\.0\.1\.0\/24/);
    },
    LAB_TIMEOUT_MS,
  );

  it(
    'needs-helper: the program its profile requires is installed (by apt-get) before the run, and every criterion passes',
    async () => {
      const run = await helperRun;
      expect(statuses(run.summary), run.stderr).toEqual(allPassed());
      expect(run.stderr).toMatch(/installing Debian packages: vpc-helper-probe/);
    },
    LAB_TIMEOUT_MS,
  );

  it(
    'a required program that cannot be installed: one error naming it, why, and the fix; exit 3, nothing run',
    async () => {
      // Only after the lab above: its helper must not be there yet for this one.
      await helperRun;
      const profile = join(aptDir, 'profile.json');
      const text = readFileSync(join(helper, 'profile.json'), 'utf8');
      writeFileSync(profile, text.replace('"vpc-helper-probe"', '"vpc-helper-nowhere"'));
      const out = mkdtempSync('/var/tmp/vpc-requires-out-');
      try {
        const result = await execa(
          process.execPath,
          [distPath('src/verify/main.js'), helper, '--profile', profile, '--out', out],
          { reject: false, env: { CI: 'true', PATH: path } },
        );
        expect(result.exitCode).toBe(3);
        expect(result.stderr).toContain(
          'error[E_ENVIRONMENT]: profile "needs-helper" requires vpc-helper-nowhere, which could not be installed from Debian (E: Unable to locate package vpc-helper-nowhere).',
        );
        expect(result.stderr).toMatch(/fix: install it \(sudo apt-get install -y vpc-helper-nowhere\)/);
        expect(result.stderr).not.toMatch(/✔ platform/);
        expect(result.stdout).not.toMatch(/phase bad-input/);
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    },
    LAB_TIMEOUT_MS,
  );
});

describe.skipIf(!isRoot)('a tool with only a global clean-up', () => {
  it(
    'global-teardown: teardownAll cleans up after each bad input and judges teardown-clean; teardown-independent is not-run',
    async () => {
      const dir = join(FIXTURES, 'global-teardown');
      const run = await verifyCli([dir, '--profile', join(dir, 'profile.json')]);
      expect(statuses(run.summary), run.stderr).toEqual({
        ...allPassed(),
        'teardown-independent': 'not-run',
      });
      expect(run.summary.criteria.find((c) => c.id === 'teardown-independent')?.message).toMatch(
        /needs step teardownVpc, which the profile does not support/,
      );
      const steps = run.summary.phases.flatMap((p) => p.steps);
      const cleanups = steps.filter((s) => s.phase === 'bad-input' && s.step === 'teardownAll');
      expect(cleanups.length).toBeGreaterThan(0);
      for (const s of cleanups) expect(s.commands[0]?.command).toMatch(/vpcctl nuke$/);
      expect(
        steps.filter((s) => s.phase === 'teardown' && s.step === 'teardownAll').map((s) => s.status),
      ).toEqual(['ran']);
      // The bad-input phase's own VPCs are gone before the lab starts: teardown removes nothing older.
      expect(run.summary.findings.map((f) => f.id)).not.toContain('baseline-removed');
    },
    LAB_TIMEOUT_MS,
  );
});
