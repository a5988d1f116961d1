import { describe, expect, it } from 'vitest';
import type { CommandResult } from '../../../src/exec/types.js';
import { validateSummary } from '../../../src/reports/summary.js';
import { explainNoSummary } from '../../../src/verify/no-summary.js';
import { fallbackSummary } from '../../../src/verify/verify.js';

function sandboxResult(over: Partial<CommandResult>): CommandResult {
  return {
    argv: ['unshare'],
    command: 'unshare',
    escapedCommand: 'unshare',
    netns: undefined,
    exitCode: 0,
    signal: undefined,
    stdout: '',
    stderr: '',
    startedAt: '2026-11-24T15:00:00.000Z',
    durationMs: 1000,
    timedOut: false,
    failed: true,
    spawnError: undefined,
    ...over,
  };
}

const START = (id: number, label: string, command: string) =>
  `2026-11-24T15:00:0${id}.000Z #${id} START ns=- label=${label}\n  $ ${command}\n  argv ${JSON.stringify(command.split(' '))}\n`;
const END = (id: number) =>
  `2026-11-24T15:00:0${id}.500Z #${id} END exit=0 signal=- timedOut=false duration=500ms\n`;

describe('explainNoSummary', () => {
  it('blames the target command that was running when the harness was SIGKILLed, with a finding', () => {
    const transcript =
      START(1, 'step:createVpc', '/t/vpcctl create-vpc --name vpc1') +
      END(1) +
      START(2, 'probe:vpc1', 'ping -c 1 10.0.1.2') +
      END(2) +
      START(3, 'step:peerVpcs', '/t/vpcctl peer-vpcs --bridge-a br-vpc1 --bridge-b br-vpc2');
    const { why, findings } = explainNoSummary(sandboxResult({ exitCode: 137 }), 60_000, transcript);
    expect(why).toBe(
      'the harness was killed (SIGKILL) while the target ran `/t/vpcctl peer-vpcs --bridge-a br-vpc1 --bridge-b br-vpc2` (step peerVpcs): a target that kills processes it did not start (pkill -f node, killall) kills the harness, its listeners and the internet host too, so nothing could be judged',
    );
    expect(findings).toEqual([{ id: 'harness-killed', severity: 'warning', message: why }]);
  });

  it('says "after" when the last target command had ended (a daemon it left may have done it)', () => {
    const transcript = START(1, 'step:deployHttp', '/t/vpcctl deploy-http') + END(1);
    const { why } = explainNoSummary(sandboxResult({ exitCode: 143 }), 60_000, transcript);
    expect(why).toMatch(
      /^the harness was killed \(SIGTERM\) after the target's last command `\/t\/vpcctl deploy-http`/,
    );
  });

  it('keeps the deadline reason, and the plain reason when no target command ran', () => {
    expect(explainNoSummary(sandboxResult({ timedOut: true }), 90_000, '').why).toBe(
      'the run did not finish within its deadline (90 s) and was stopped',
    );
    const crashed = explainNoSummary(
      sandboxResult({ exitCode: 125, stderr: 'sandbox: a\nsandbox: b\nsandbox: cannot keep /x visible\n' }),
      60_000,
      START(1, 'sandbox', 'mount -t tmpfs'),
    );
    expect(crashed.why).toBe(
      'the harness stopped without a summary (exit 125): sandbox: a | sandbox: b | sandbox: cannot keep /x visible',
    );
    expect(crashed.findings).toEqual([]);
  });
});

describe('fallbackSummary', () => {
  it('is a schema-valid summary.json for both start states (so the file is written, not dropped)', () => {
    for (const startState of ['fresh', 'docker-host'] as const) {
      const summary = fallbackSummary(
        {
          runId: 'r1',
          targetDir: '/t',
          reference: false,
          profile: 'seed',
          reportsDir: '/tmp/r1',
          only: [],
          startState,
          deadlineMs: 60_000,
          keep: false,
          startedAt: '2026-11-24T15:00:00.000Z',
          host: {},
        },
        1_000,
        'the harness was killed',
        false,
      );
      const validation = validateSummary(summary);
      expect(validation.ok ? [] : validation.errors).toEqual([]);
      expect(summary.environment.startState.ipForward).toBe(startState === 'fresh' ? 0 : 1);
      expect(new Set(summary.criteria.map((c) => c.status))).toEqual(new Set(['error']));
    }
  });
});
