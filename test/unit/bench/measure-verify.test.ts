import { describe, expect, it } from 'vitest';
import { splitOf, startupSplit } from '../../../bench/measure-verify.js';
import type { Summary } from '../../../src/model/summary.js';

function summaryWith(timings: Summary['timings'], commandsPerStep: number[]): Summary {
  const steps = commandsPerStep.map((n, i) => ({
    step: `s${i}`,
    phase: 'vpc1',
    status: 'ran' as const,
    commands: Array.from({ length: n }, () => ({
      command: 'vpcctl x',
      exitCode: 0,
      durationMs: 1,
      stderr: '',
    })),
    durationMs: n,
  }));
  const partial: Partial<Summary> = {
    runId: 'r1',
    verdict: 'pass',
    durationMs: 17_000,
    phases: [{ id: 'vpc1', title: 'vpc1', steps, truthTables: [], durationMs: 1 }],
    timings,
  };
  return partial as Summary;
}

describe('splitOf', () => {
  const timings = {
    labMs: 15_000,
    targetMs: 5000,
    probesMs: { vpc1: 2000, peering: 2500 },
    scenariosMs: 1500,
    reportsMs: 200,
  };

  it('splits the wall time into target, probes, the rest of the lab and what lies outside it', () => {
    const s = splitOf(summaryWith(timings, [1, 2, 3]), 18_000);
    expect(s.targetCommands).toBe(6);
    expect(s.labRestMs).toBe(15_000 - 5000 - 4500);
    expect(s.outsideMs).toBe(18_000 - 15_000 - 1500 - 200);
    expect(s.overheadMs).toBe(13_000);
    expect(s.runMs).toBe(17_000);
  });

  it('refuses a summary without timings', () => {
    expect(() => splitOf(summaryWith(undefined, []), 1000)).toThrow(/no timings/);
  });
});

describe('startupSplit', () => {
  const transcript = [
    '2026-11-24T15:29:12.170Z #9000001 START ns=- label=sandbox',
    '  $ mount -t tmpfs',
    '2026-11-24T15:29:12.171Z #9000001 END exit=0 signal=- timedOut=false duration=1ms',
    '2026-11-24T15:29:12.430Z #9000024 START ns=- label=sandbox',
    '2026-11-24T15:29:12.445Z #9000024 END exit=0 signal=- timedOut=false duration=14ms',
    '# vpc-acceptance transcript v1',
    '2026-11-24T15:29:12.952Z #1 START ns=- label=harness',
    '2026-11-24T15:29:12.960Z #1 END exit=0 signal=- timedOut=false duration=8ms',
    '2026-11-24T15:29:12.980Z NOTE phase bad-input begins',
  ].join('\n');

  it('times the CLI before the sandbox, the sandbox set-up and the harness start-up', () => {
    const cliStart = Date.parse('2026-11-24T15:29:11.000Z');
    expect(startupSplit(transcript, cliStart)).toEqual({
      beforeSandboxMs: 1170,
      sandboxSetupMs: 275,
      harnessStartMs: 507,
    });
  });

  it('has no split for a transcript without the sandbox records', () => {
    expect(startupSplit('2026-11-24T15:29:12.952Z #1 START ns=- label=harness\n', 0)).toBeUndefined();
  });
});
