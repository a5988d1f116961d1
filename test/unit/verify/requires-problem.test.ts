import { describe, expect, it } from 'vitest';
import { type DoctorReport, requiresProblem } from '../../../src/verify/doctor.js';

const ok = { name: 'command ip', ok: true, detail: '/usr/sbin/ip' };
const helper = {
  name: 'command jq',
  ok: false,
  detail: "missing (needed for the target (its profile's requires))",
  pkg: 'jq',
  forProfile: true,
};

describe('requiresProblem: the one error for a program a profile requires', () => {
  it('names the program, why it is missing and both fixes', () => {
    const report: DoctorReport = {
      ok: false,
      checks: [ok, helper],
      installed: [],
      installError: 'E: Unable to locate package jq',
    };
    expect(requiresProblem(report, 'mine')).toBe(
      'profile "mine" requires jq, which could not be installed from Debian (E: Unable to locate package jq).\n' +
        '  fix: install it (sudo apt-get install -y jq), or remove it from "requires" if the tool does not need it',
    );
  });

  it('without an install attempt says what installing needs', () => {
    const report: DoctorReport = { ok: false, checks: [helper], installed: [] };
    expect(requiresProblem(report, 'mine')).toMatch(
      /which is not installed \(installing needs root and apt-get\)/,
    );
  });

  it('leaves a machine that lacks something itself to the whole doctor report', () => {
    const machine = { name: 'command ping', ok: false, detail: 'missing', pkg: 'iputils-ping' };
    expect(requiresProblem({ ok: false, checks: [machine, helper], installed: [] }, 'mine')).toBeUndefined();
    expect(requiresProblem({ ok: true, checks: [ok], installed: [] }, 'mine')).toBeUndefined();
  });
});
