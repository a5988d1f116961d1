import { describe, expect, it } from 'vitest';
import type { RecordEvent } from '../../../src/events/types.js';
import { makeResult } from '../../../src/exec/result.js';
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

const START = (id: number, label: string, command: string): RecordEvent => ({
  kind: 'start',
  id,
  at: `2026-11-24T15:00:0${id}.000Z`,
  argv: command.split(' '),
  netns: undefined,
  escapedCommand: command,
  label,
});
const END = (id: number): RecordEvent => ({
  kind: 'end',
  id,
  at: `2026-11-24T15:00:0${id}.500Z`,
  result: makeResult({ argv: ['x'], startedAt: new Date('2026-11-24T15:00:00.000Z'), exitCode: 0 }),
});
const PHASE = (phase: 'vpc1' | 'peering'): RecordEvent => ({
  kind: 'phase',
  at: '2026-11-24T15:00:00.000Z',
  phase,
  state: 'begin',
});

describe('explainNoSummary', () => {
  it('blames the target command that was running when the harness was SIGKILLed, in its phase, with a finding', () => {
    const events = [
      PHASE('vpc1'),
      START(1, 'step:createVpc', '/t/vpcctl create-vpc --name vpc1'),
      END(1),
      START(2, 'probe:vpc1', 'ping -c 1 10.0.1.2'),
      END(2),
      PHASE('peering'),
      START(3, 'step:peerVpcs', '/t/vpcctl peer-vpcs --bridge-a br-vpc1 --bridge-b br-vpc2'),
    ];
    const { why, findings, killed } = explainNoSummary(sandboxResult({ exitCode: 137 }), 60_000, events);
    expect(why).toBe(
      'the harness was killed (SIGKILL) while the target ran `/t/vpcctl peer-vpcs --bridge-a br-vpc1 --bridge-b br-vpc2` (step peerVpcs) in phase peering: a target that kills processes it did not start (pkill -f node, killall) kills the harness, its listeners and the internet host too, so nothing from then on could be judged',
    );
    expect(findings).toEqual([{ id: 'harness-killed', severity: 'warning', message: why }]);
    expect(killed).toBe(true);
  });

  it('says "after" when the last target command had ended (a daemon it left may have done it)', () => {
    const events = [START(1, 'step:deployHttp', '/t/vpcctl deploy-http'), END(1)];
    const { why } = explainNoSummary(sandboxResult({ exitCode: 143 }), 60_000, events);
    expect(why).toMatch(
      /^the harness was killed \(SIGTERM\) after the target's last command `\/t\/vpcctl deploy-http`/,
    );
  });

  it('keeps the deadline reason, and the plain reason when no target command ran', () => {
    const late = explainNoSummary(sandboxResult({ timedOut: true }), 90_000, []);
    expect(late).toEqual({
      why: 'the run did not finish within its deadline (90 s) and was stopped',
      findings: [],
      killed: false,
    });
    const crashed = explainNoSummary(
      sandboxResult({ exitCode: 125, stderr: 'sandbox: a\nsandbox: b\nsandbox: cannot keep /x visible\n' }),
      60_000,
      [START(1, 'sandbox', 'mount -t tmpfs')],
    );
    expect(crashed.why).toBe(
      'the harness stopped without a summary (exit 125): sandbox: a | sandbox: b | sandbox: cannot keep /x visible',
    );
    expect(crashed.findings).toEqual([]);
    expect(crashed.killed).toBe(false);
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
